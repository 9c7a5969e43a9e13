"""The two types every chart is made of, :class:`ChartState` and :class:`ChartSpec`, and
the plain-JSON views of a figure the tests and live widgets compare.

A chart is a pair of pure functions of a :class:`ChartState` (its traces and layout) plus
a text summary; :mod:`lessons.views.network_chart` and :mod:`lessons.views.series_charts`
define them, :mod:`lessons.views.charts` lists them by name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from lessons.views.style import LABEL_SIZE, TEMPLATE, title

if TYPE_CHECKING:
    from lessons.model import Scenario

# --------------------------------------------------------------------------- state and specs


@dataclass(frozen=True)
class ChartState:
    """Everything a chart may show: the scenario, its result, and an optional baseline.

    ``baseline`` is a model result drawn as ghost lines; ``baseline_label`` names it in
    legends and summaries; ``baseline_scenario`` lets the network summary count the links
    added or removed relative to it. In the network, ``expand_nato`` shows NATO's member
    states as nodes of their own, and ``previous_scenario`` highlights the links switched
    on or off since it (the last change a student made).
    """

    scenario: Scenario | None
    result: Any = None
    baseline: Any = None
    baseline_label: str = "2021 baseline"
    baseline_scenario: Scenario | None = None
    expand_nato: bool = False
    previous_scenario: Scenario | None = None


@dataclass(frozen=True)
class ChartSpec:
    """One chart: a title, and pure functions of a :class:`ChartState`.

    ``traces(state)`` returns the full list of trace dicts (always the same length and the
    same keys per trace, whatever the state); ``layout(state)`` the full layout dict;
    ``summary(state)`` the text summary. :meth:`figure` assembles a ``go.Figure``; live
    widgets apply only the keys that differ from the previous state.
    """

    name: str
    title: str
    traces: Callable[[ChartState], list[dict[str, Any]]]
    layout: Callable[[ChartState], dict[str, Any]]
    summary: Callable[[ChartState], str]
    needs_result: bool = True
    description: str = ""
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def figure(self, state: ChartState) -> go.Figure:
        """The complete static figure for ``state``."""
        return go.Figure(data=self.traces(state), layout=self.layout(state))


def _plain(value: Any) -> Any:
    """JSON values with plotly's base64 arrays (``{"dtype", "bdata"}``) decoded to lists."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
            return arr.tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def figure_data(fig: go.Figure) -> list[dict[str, Any]]:
    """A figure's trace data as plain JSON values (``uid`` dropped) — for comparisons.

    Works for ``go.Figure`` and ``go.FigureWidget`` alike; arrays become lists, whether a
    trace holds them as lists or numpy arrays.
    """
    data = _plain(json.loads(pio.to_json(fig, validate=False))["data"])
    for trace in data:
        trace.pop("uid", None)
    return data


def figure_layout(fig: go.Figure) -> dict[str, Any]:
    """A figure's layout as plain JSON values (for comparisons)."""
    return _plain(json.loads(pio.to_json(fig, validate=False))["layout"])


def base_layout(text: str, **extra: Any) -> dict[str, Any]:
    """The layout every chart of the explorers starts from (template, title, legend
    below the plot); ``extra`` keys replace or add to it."""
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": title(text),
        "margin": {"l": 80, "r": 20, "t": 60, "b": 40},
        "height": 430,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0,
                   "font": {"size": LABEL_SIZE}},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout
