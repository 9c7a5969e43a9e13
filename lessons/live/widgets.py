"""Live controls for the lessons: what a notebook cell imports as ``widgets``.

Two objects, each usable from a lesson in one or two lines::

    explorer = widgets.Explorer("04", charts=["network", "tension", "cohesion", "verdict"],
                                scenario=scenario, theta=theta)
    explorer                      # display

    widgets.Predict.compare("If NATO deepens its presence in Asia, what happens to the "
                            "China–Russia entente?", metric="cohesion", subject="CHN-RUS",
                            before=scenario, after="deeper_interlinking", theta=theta)

This module only gathers them; they live where their idea lives:

* :mod:`lessons.live.model_explorer` — :class:`Explorer` (link toggles, a scenario picker
  and sliders beside the model's charts) and its one-figure view :class:`LiveChart`;
* :mod:`lessons.live.controls` — the explorer's control panel;
* :mod:`lessons.live.predict` — :class:`Predict` and :func:`predict`, and the collapsed
  reveal block of static pages;
* :mod:`lessons.live.explorer` — the explorer framework every lesson's explorer shares;
* :mod:`lessons.live.figure_widget` — the one figure-widget factory, in-place updates and
  stale-view detection;
* :mod:`lessons.views.labels` — the labels and the tolerance rule, re-exported here
  because lessons and notebooks read them here.

**Live mode** (a person in JupyterLab): charts are Plotly ``FigureWidget`` objects updated
in place. **Static mode** (:func:`lessons.mode.is_static`, set by batch renders and
nbval): the same calls display static ``go.Figure`` objects of the same state with
``fig.show()``, each followed by its summary as Markdown. No widget is created, so no
widget state is stored.
"""

from __future__ import annotations

from lessons.live.controls import HORIZON_RANGE, PANEL_CSS, Controls
from lessons.live.figure_widget import STALE_AFTER_S, figure_widget
from lessons.live.model_explorer import (
    COMMON_FIRST_WORDS,
    DEFAULT_CHARTS,
    DEFAULT_SLIDERS,
    STATIC_NOTE,
    Explorer,
    LiveChart,
    explore,
    title_in_sentence,
)
from lessons.live.options import LETTERS, OPTIONS_CSS, option_buttons, question_html
from lessons.live.predict import (
    REVEAL_SUMMARY,
    STATIC_REVEAL_NOTE,
    Predict,
    predict,
    reveal_html,
    stable_key,
)
from lessons.views.labels import (
    LITTLE_CHANGE,
    SCENARIO_LABELS,
    SIDE_HEADINGS,
    SLIDER_LABELS,
    change_key,
    little_change_rule,
    scenario_label,
    scenario_phrase,
)

__all__ = [
    "COMMON_FIRST_WORDS", "DEFAULT_CHARTS", "DEFAULT_SLIDERS", "HORIZON_RANGE", "LETTERS",
    "LITTLE_CHANGE", "OPTIONS_CSS", "PANEL_CSS", "REVEAL_SUMMARY", "SCENARIO_LABELS",
    "SIDE_HEADINGS", "SLIDER_LABELS", "STALE_AFTER_S", "STATIC_NOTE", "STATIC_REVEAL_NOTE",
    "Controls", "Explorer", "LiveChart", "Predict", "change_key", "explore", "figure_widget",
    "little_change_rule", "option_buttons", "predict", "question_html", "reveal_html",
    "scenario_label", "scenario_phrase", "stable_key", "title_in_sentence",
]
