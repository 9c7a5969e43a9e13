"""Answer options as widgets: the radio buttons of checks and predictions, and the letters.

Shared by the checks (:mod:`lessons.live.ui`) and the predict-first widget
(:mod:`lessons.live.predict`), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Option letters of checks and predictions.
LETTERS = "ABCDEFGHIJ"


#: Styles that let long option labels wrap inside their box (ipywidgets sets every radio
#: label to one line of fixed height, so a long label prints over the next option).
OPTIONS_CSS = """<style>
.lesson-options { width: 100% !important; max-width: 100%; height: auto; line-height: 1.35; }
.lesson-options .widget-radio-box, .lesson-options .jupyter-widget-radio-box {
  width: 100%; height: auto; margin-bottom: 0; }
.lesson-options .widget-radio-box label, .lesson-options .jupyter-widget-radio-box label {
  display: flex; align-items: flex-start; height: auto; min-height: 24px;
  line-height: 1.35; white-space: normal; overflow: visible; overflow-wrap: anywhere;
  padding: 3px 0; box-sizing: border-box; max-width: 100%; }
.lesson-options .widget-radio-box input, .lesson-options .jupyter-widget-radio-box input {
  order: -1; float: none; flex: 0 0 auto; height: auto; line-height: normal;
  margin: 0.2em 8px 0 1px; }
.lesson-question, .lesson-question .widget-html-content { height: auto; line-height: 1.4; }
</style>"""


def option_buttons(options: Sequence[tuple[str, Any]]) -> Any:
    """Radio buttons whose labels wrap inside their box (see :data:`OPTIONS_CSS`).

    Native radio inputs, so the keyboard works as usual (Tab to the group, arrow keys
    to move); the style sheet must be on the page (the question's HTML carries it).
    """
    import ipywidgets as w

    radios = w.RadioButtons(options=list(options), value=None, description="",
                            layout=w.Layout(width="100%", max_width="100%"))
    radios.add_class("lesson-options")
    return radios


def question_html(value: str) -> Any:
    """The question of a check or prediction as an HTML widget, carrying
    :data:`OPTIONS_CSS` so that the options under it wrap, with normal line spacing."""
    import ipywidgets as w

    widget = w.HTML(OPTIONS_CSS + value, layout=w.Layout(width="100%"))
    widget.add_class("lesson-question")
    return widget
