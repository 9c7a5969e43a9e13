"""The charts of the lessons by name, and their composition into one live figure.

Every chart is a pair of pure functions of the model state, ``(state) -> figure`` and
``(state) -> summary`` (:class:`~lessons.views.chart_spec.ChartSpec`), so the same call
gives a static figure (batch renders, nbval) and the data a live
:class:`plotly.graph_objects.FigureWidget` is updated with (:mod:`lessons.live.widgets`).
The builders live by kind::

    lessons.views.network_chart.network_figure   # the actor network
    lessons.views.series_charts.tension_figure   # tension by theater over time (and
        cohesion_figure, diplomacy_figure,       # the other outputs of the run)
        credibility_figure, crisis_figure, posture_figure
    lessons.views.series_charts.verdict_figure   # "spiral" or "settles", with the eigenvalue

and each has a ``summarise_*`` function in :mod:`lessons.views.summaries` returning one or
two sentences a screen reader can read. This module lists them (:data:`CHARTS`,
:func:`spec`) and places several in one figure (:func:`compose`).

Design rules (CONTRIBUTING.md): the Okabe–Ito palette (:mod:`lessons.views.style`), never
colour alone (hostile links are dashed, series have their own marker symbols, ghosts are
dotted), axis titles in words with units, and a fixed number of traces per chart whatever
the state, so a live chart is updated in place and never rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import plotly.graph_objects as go

from lessons.views.chart_spec import ChartSpec, ChartState, figure_data
from lessons.views.network_chart import NETWORK_SPEC
from lessons.views.series_charts import SERIES_SPECS, VERDICT_SPEC
from lessons.views.style import AXIS_STYLE, TEMPLATE, template_without
from lessons.views.text import stripped_text

#: A table cell as text, under the name lessons.live.widgets reads it by.
_text = stripped_text

#: This module's names; ``AXIS_STYLE``, ``ChartState``, ``figure_data`` and
#: ``template_without`` are defined in :mod:`lessons.views.style` and
#: :mod:`lessons.views.chart_spec` and kept here because lessons.live imports them from here.
__all__ = [
    "AXIS_STYLE",
    "CHARTS",
    "COMPOSITE_KEYS",
    "Cell",
    "ChartSpec",
    "ChartState",
    "cells",
    "chart_data",
    "compose",
    "compose_layout",
    "compose_traces",
    "composite_spec",
    "figure",
    "figure_data",
    "grid",
    "spec",
    "strip_composite",
    "summary",
    "template_without",
]


# --------------------------------------------------------------------------- registry

#: Every chart by name: what :class:`lessons.live.widgets.Explorer` and the tests use.
CHARTS: dict[str, ChartSpec] = {
    "network": NETWORK_SPEC,
    **SERIES_SPECS,
    "verdict": VERDICT_SPEC,
}
#: Aliases accepted by :func:`spec` (``"diplomacy_window"`` -> ``"diplomacy"``).
ALIASES = {"diplomacy_window": "diplomacy", "crisis_risk": "crisis", "stability": "verdict"}


def spec(name: str) -> ChartSpec:
    """The :class:`ChartSpec` for a chart name (or alias); raises with the valid names."""
    key = ALIASES.get(name, name)
    if key not in CHARTS:
        raise KeyError(f"unknown chart {name!r}: valid charts are {sorted(CHARTS)}")
    return CHARTS[key]


def figure(name: str, state: ChartState) -> go.Figure:
    """Build chart ``name`` for ``state`` (what static mode shows)."""
    return spec(name).figure(state)


def summary(name: str, state: ChartState) -> str:
    """The text summary of chart ``name`` for ``state``."""
    return spec(name).summary(state)


# --------------------------------------------------------------------------- composition
#
# A live explorer shows all its charts in ONE FigureWidget. anywidget 0.11 loads plotly's
# 5 MB widget code afresh for every FigureWidget model and gives each model two seconds to
# be ready; several FigureWidgets created together compete for the browser's main thread,
# and those that miss the deadline silently drop every later update (the chart freezes).
# One widget per explorer costs one load. The per-chart builders above stay the unit of
# truth: the composite places each chart's own traces and layout in a cell of a grid.

#: Keys the composition adds to (or changes in) a chart's traces; strip them to compare a
#: chart inside a composite with the chart built alone (:func:`strip_composite`).
COMPOSITE_KEYS = ("xaxis", "yaxis", "legend", "legendgroup", "domain")
#: Pixel heights: a cell's plot area by chart kind, the band above it (title) and below
#: it (axis title and legend).
_CELL_PX = {"network": 470, "indicator": 150, "series": 270}
_ABOVE_PX = 44
_BELOW_PX = {"network": 110, "indicator": 40, "series": 85}
_COMPOSITE_MARGIN = {"l": 80, "r": 30, "t": 10, "b": 10}


@dataclass(frozen=True)
class Cell:
    """Where one chart sits in a composite: its name, trace range and paper domain."""

    name: str
    index: int
    start: int
    stop: int
    x: tuple[float, float]
    y: tuple[float, float]
    below: float

    @property
    def suffix(self) -> str:
        """Plotly's axis/legend suffix for the cell: ``""``, ``"2"``, ``"3"``, ..."""
        return "" if self.index == 1 else str(self.index)


def _kind(name: str) -> str:
    return {"network": "network", "verdict": "indicator"}.get(spec(name).name, "series")


def grid(names: Sequence[str]) -> tuple[list[list[str]], float]:
    """Rows of chart names (one chart per row: a chart keeps the full width whatever the
    width of the screen) and the composite's height in pixels."""
    rows = [[n] for n in _names(names)]
    height = _COMPOSITE_MARGIN["t"] + _COMPOSITE_MARGIN["b"]
    for (n,) in rows:
        height += _ABOVE_PX + _CELL_PX[_kind(n)] + _BELOW_PX[_kind(n)]
    return rows, float(height)


@cache
def _placement(names: tuple[str, ...]) -> tuple[Cell, ...]:
    """Cells of a composite in the order of ``names`` (trace ranges not yet known)."""
    rows, height = grid(names)
    area = height - _COMPOSITE_MARGIN["t"] - _COMPOSITE_MARGIN["b"]

    def paper(px: float) -> float:
        return round(1.0 - px / area, 6)

    placed: dict[str, tuple] = {}
    cursor = 0.0
    for row in rows:
        kind = max((_kind(n) for n in row), key=lambda k: _CELL_PX[k])
        top = cursor + _ABOVE_PX
        bottom = top + _CELL_PX[kind]
        cursor = bottom + _BELOW_PX[kind]
        for n in row:
            placed[n] = ((0.0, 1.0), (paper(bottom), paper(top)), paper(bottom + 36))
    return tuple(Cell(n, i, 0, 0, *placed[n]) for i, n in enumerate(names, 1))


def _names(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(spec(n).name for n in names)


def cells(names: Sequence[str], state: ChartState) -> list[Cell]:
    """The cell of every chart of a composite (with its range of trace indexes)."""
    out, start = [], 0
    for c in _placement(_names(names)):
        count = len(spec(c.name).traces(state))
        out.append(Cell(c.name, c.index, start, start + count, c.x, c.y, c.below))
        start += count
    return out


def _map_x(c: Cell, x: float) -> float:
    return round(c.x[0] + x * (c.x[1] - c.x[0]), 6)


def _map_y(c: Cell, y: float) -> float:
    return round(c.y[0] + y * (c.y[1] - c.y[0]), 6)


def _place_ref(item: dict[str, Any], c: Cell) -> dict[str, Any]:
    """An annotation or shape of a chart, moved into its cell."""
    out = dict(item)
    for axis, mapper in (("x", _map_x), ("y", _map_y)):
        ref = out.get(f"{axis}ref", axis)
        if ref == "paper":
            for key in (axis, f"{axis}0", f"{axis}1"):
                if key in out:
                    out[key] = mapper(c, out[key])
        else:
            out[f"{axis}ref"] = f"{axis}{c.suffix}"
    return out


def compose_traces(names: Sequence[str], state: ChartState) -> list[dict[str, Any]]:
    """Every chart's traces, placed on its cell's axes, legend and domain."""
    out: list[dict[str, Any]] = []
    for c in _placement(_names(names)):
        for trace in spec(c.name).traces(state):
            t = dict(trace)
            if t.get("type") == "indicator":
                d = t.get("domain", {"x": [0, 1], "y": [0, 1]})
                t["domain"] = {"x": [_map_x(c, v) for v in d["x"]],
                               "y": [_map_y(c, v) for v in d["y"]]}
            else:
                t["xaxis"], t["yaxis"] = f"x{c.suffix}", f"y{c.suffix}"
                t["legend"] = f"legend{c.suffix}"
                if "legendgroup" in t:  # charts never share a legend group
                    t["legendgroup"] = f"{c.name}:{t['legendgroup']}"
            out.append(t)
    return out


def compose_layout(names: Sequence[str], state: ChartState) -> dict[str, Any]:
    """The composite's layout: each chart's axes, legend, annotations and shapes moved
    into its cell, and each chart's title as an annotation above it."""
    _rows, height = grid(names)
    layout: dict[str, Any] = {
        "template": TEMPLATE, "height": height, "margin": dict(_COMPOSITE_MARGIN),
        "hovermode": "closest", "showlegend": True,
    }
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    for c in _placement(_names(names)):
        own = spec(c.name).layout(state)
        annotations.append({
            "text": f"<b>{own.get('title', {}).get('text', spec(c.name).title)}</b>",
            "x": c.x[0], "y": c.y[1], "xref": "paper", "yref": "paper",
            "xanchor": "left", "yanchor": "bottom", "yshift": 8, "showarrow": False,
            "font": {"size": 14},
        })
        annotations.extend(_place_ref(a, c) for a in own.get("annotations", []))
        shapes.extend(_place_ref(s, c) for s in own.get("shapes", []))
        if "xaxis" in own:
            x = {**own["xaxis"], "domain": list(c.x), "anchor": f"y{c.suffix}",
                 "automargin": False}
            y = {**own["yaxis"], "domain": list(c.y), "anchor": f"x{c.suffix}",
                 "automargin": False}
            if "scaleanchor" in y:
                y["scaleanchor"] = f"x{c.suffix}"
            layout[f"xaxis{c.suffix}"] = x
            layout[f"yaxis{c.suffix}"] = y
            legend = dict(own.get("legend", {}))
            legend.update({"orientation": "h", "x": c.x[0], "xanchor": "left",
                           "y": c.below, "yanchor": "top", "xref": "paper", "yref": "paper"})
            layout[f"legend{c.suffix}"] = legend
    layout["annotations"] = annotations
    layout["shapes"] = shapes
    return layout


def compose(names: Sequence[str], state: ChartState) -> go.Figure:
    """All charts ``names`` for ``state`` in one figure (what a live explorer shows)."""
    return go.Figure(data=compose_traces(names, state), layout=compose_layout(names, state))


def composite_spec(names: Sequence[str]) -> ChartSpec:
    """A :class:`ChartSpec` for the composite of ``names`` (its summary joins theirs)."""
    names = [spec(n).name for n in names]
    return ChartSpec(
        name="+".join(names),
        title=", ".join(spec(n).title for n in names),
        traces=lambda state: compose_traces(names, state),
        layout=lambda state: compose_layout(names, state),
        summary=lambda state: " ".join(spec(n).summary(state) for n in names),
    )


def strip_composite(traces: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trace dicts without the keys a composition sets (see :data:`COMPOSITE_KEYS`)."""
    return [{k: v for k, v in t.items() if k not in COMPOSITE_KEYS} for t in traces]


def chart_data(name: str, state: ChartState) -> list[dict[str, Any]]:
    """One chart's trace data built alone, as JSON values without composite keys."""
    return strip_composite(figure_data(figure(name, state)))
