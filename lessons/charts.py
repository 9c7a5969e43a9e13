"""Plotly figures for the lessons: one pure builder and one text summary per chart.

Every chart is a pair of pure functions of the model state, ``(state) -> figure`` and
``(state) -> summary``, so the same call gives a static figure (batch renders, nbval) and
the data a live :class:`plotly.graph_objects.FigureWidget` is updated with
(:mod:`lessons.widgets`). The public builders::

    network_figure(result_or_scenario, baseline=None)  # the actor network, map-like
    tension_figure(result, baseline=None)              # tension by theater over time
    cohesion_figure(result, baseline=None)             # entente cohesion by pair
    diplomacy_figure(result, baseline=None)            # the Korean diplomacy window
    credibility_figure(result, baseline=None)          # extended-deterrence credibility
    crisis_figure(result, baseline=None)               # crisis-risk index by theater
    posture_figure(result, baseline=None)              # the adversaries' military posture
    verdict_figure(result)                             # "spiral" or "settles", with the eigenvalue

and for each a ``summarise_*`` function with the same arguments returning one or two
sentences (what rose, what fell, by how much) that a screen reader can read; they live in
:mod:`lessons.summaries` and are re-exported here. ``baseline`` is a model result drawn as a
faint dotted "ghost" line (usually the 2021 baseline under the same assumptions).

Design rules (CONTRIBUTING.md): the Okabe–Ito palette (:data:`PALETTE`), never colour
alone (hostile links are dashed, series have their own marker symbols, ghosts are dotted),
axis titles in words with units, and a fixed number of traces per chart whatever the state,
so a live chart is updated in place and never rebuilt. Figure data are rounded to
:data:`DIGITS` decimals so committed outputs do not depend on the last bits of floating point.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from lessons import palette, summaries
from lessons.summaries import (
    METRICS,
    active_links,
    get_series,
    scenario_of,
    summarise_cohesion,
    summarise_credibility,
    summarise_crisis,
    summarise_diplomacy,
    summarise_network,
    summarise_posture,
    summarise_tension,
    summarise_verdict,
    years_of,
)

__all__ = [
    "BLOC_STYLE",
    "CHARTS",
    "DIGITS",
    "OKABE_ITO",
    "PALETTE",
    "SERIES_COLORS",
    "SERIES_SYMBOLS",
    "SIGN_STYLE",
    "ChartSpec",
    "ChartState",
    "cohesion_figure",
    "credibility_figure",
    "crisis_figure",
    "diplomacy_figure",
    "figure_data",
    "network_figure",
    "posture_figure",
    "summarise_cohesion",
    "summarise_credibility",
    "summarise_crisis",
    "summarise_diplomacy",
    "summarise_network",
    "summarise_posture",
    "summarise_tension",
    "summarise_verdict",
    "tension_figure",
    "verdict_figure",
]

# --------------------------------------------------------------------------- palette

#: The Okabe–Ito colour-blind-safe palette (Okabe and Ito 2008), by its usual names
#: (the same object as :data:`lessons.palette.OKABE_ITO`).
PALETTE: dict[str, str] = palette.OKABE_ITO
#: The same eight colours in their conventional order.
OKABE_ITO: tuple[str, ...] = tuple(PALETTE.values())
#: Colours for data series, in order (yellow is left out: too pale for lines on white).
SERIES_COLORS: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["vermillion"],
    PALETTE["bluish_green"],
    PALETTE["orange"],
    PALETTE["reddish_purple"],
    PALETTE["sky_blue"],
    PALETTE["black"],
)
#: Marker symbols paired with :data:`SERIES_COLORS`, so series differ by shape as well.
SERIES_SYMBOLS: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle-up", "x", "star", "cross",
)
#: Friendly links are solid blue, hostile links dashed vermillion: sign is never colour alone.
SIGN_STYLE: dict[int, dict[str, str]] = {
    1: {"color": palette.FRIENDLY, "dash": "solid", "label": "friendly", "symbol": "circle"},
    -1: {"color": palette.HOSTILE, "dash": "dash", "label": "hostile", "symbol": "x"},
}
_BLOC_LABELS = {
    "us": "United States",
    "nato": "NATO and members",
    "ap4": "AP4 (Asian partners)",
    "partner": "Ukraine and Taiwan",
    "axis": "China, Russia, North Korea",
}
#: Node style by bloc: colour and marker symbol from :mod:`lessons.palette`, legend label.
BLOC_STYLE: dict[str, dict[str, str]] = {
    bloc: {"color": palette.BLOCS[bloc], "symbol": palette.BLOC_SYMBOLS[bloc], "label": label}
    for bloc, label in _BLOC_LABELS.items()
}
#: Decimals kept in figure data (outputs stay identical across machines).
DIGITS = 6
GHOST_OPACITY = 0.45
OFF_COLOR = "#999999"

#: A small explicit template: keeps each figure's JSON small (the default template is
#: about 10 KB per figure) and sets the palette as the colourway.
#: The axis style of every chart of the collection.
AXIS_STYLE: dict[str, Any] = {"showgrid": True, "gridcolor": "#E5E5E5", "linecolor": "#444444",
                              "ticks": "outside", "zeroline": False}
TEMPLATE: dict[str, Any] = {
    "layout": {
        "colorway": list(SERIES_COLORS),
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": 13}},
        "xaxis": dict(AXIS_STYLE),
        "yaxis": dict(AXIS_STYLE),
    }
}


def template_without(*keys: str) -> dict[str, Any]:
    """:data:`TEMPLATE` without the layout ``keys``, for views that set those themselves
    (one house style for every lesson's charts, defined once)."""
    return {"layout": {k: v for k, v in TEMPLATE["layout"].items() if k not in keys}}


def _round(values: Iterable[float]) -> list[float]:
    return np.round(np.asarray(values, dtype=float), DIGITS).tolist()


# --------------------------------------------------------------------------- state and specs


@dataclass(frozen=True)
class ChartState:
    """Everything a chart may show: the scenario, its result, and an optional baseline.

    ``baseline`` is a model result drawn as ghost lines; ``baseline_label`` names it in
    legends and summaries; ``baseline_scenario`` lets the network summary count the links
    added or removed relative to it.
    """

    scenario: Any
    result: Any = None
    baseline: Any = None
    baseline_label: str = "2021 baseline"
    baseline_scenario: Any = None


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


def _base_layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "margin": {"l": 80, "r": 20, "t": 60, "b": 40},
        "height": 430,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0,
                   "font": {"size": 12}},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


# --------------------------------------------------------------------------- network


def _data():
    from lessons import data

    return data


@dataclass(frozen=True)
class _Link:
    id: str
    sign: int
    switchable: bool
    xs: tuple[float, float]
    ys: tuple[float, float]
    mid: tuple[float, float]
    hover: str


@dataclass(frozen=True)
class _Geometry:
    links: tuple[_Link, ...]
    nodes: Mapping[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...],
                              tuple[str, ...], tuple[str, ...]]]
    names: Mapping[str, str]


_KIND_LABEL = {
    "treaty_alliance": "treaty alliance",
    "partnership": "partnership",
    "strategic_partnership": "strategic partnership (entente)",
    "support_flow": "support flow",
    "rivalry": "rivalry",
    "deployment": "military deployment",
}
_THEATER_LABEL = {"euro_atlantic": "Euro-Atlantic", "indo_pacific": "Indo-Pacific",
                  "global": "both theaters"}
_STATUS_LABEL = {"in_force": "in force", "proposed": "proposed", "hypothetical": "hypothetical"}
#: Perpendicular spacing between parallel links joining the same two actors (map units).
_PARALLEL_GAP = 0.035


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in {"nan", "none", "nat", "<na>"} else text


@cache
def _geometry() -> _Geometry:
    """Positions, link segments (parallel links fanned out) and hover texts, computed once."""
    data = _data()
    actors = data.load("actors")
    links = data.load("links")
    toggles = data.load("toggles").set_index("id")
    pos = {
        str(a): (float(x), float(y))
        for a, x, y in zip(actors["id"], actors["x"], actors["y"], strict=True)
    }
    names = dict(zip(actors["id"].astype(str), actors["name"].astype(str), strict=True))
    pair_count: dict[frozenset[str], int] = {}
    for s, t in zip(links["source"], links["target"], strict=True):
        key = frozenset((str(s), str(t)))
        pair_count[key] = pair_count.get(key, 0) + 1
    pair_seen: dict[frozenset[str], int] = {}
    out = []
    for row in links.itertuples(index=False):
        s, t = str(row.source), str(row.target)
        key = frozenset((s, t))
        k = pair_seen.get(key, 0)
        pair_seen[key] = k + 1
        (x0, y0), (x1, y1) = pos[s], pos[t]
        # a consistent perpendicular whatever the link's direction
        a, b = sorted((s, t))
        (ax, ay), (bx, by) = pos[a], pos[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1.0
        px, py = -dy / norm, dx / norm
        shift = (k - (pair_count[key] - 1) / 2) * _PARALLEL_GAP
        x0, y0, x1, y1 = x0 + px * shift, y0 + py * shift, x1 + px * shift, y1 + py * shift
        sign = 1 if int(row.sign) > 0 else -1
        toggle = _text(row.toggle)
        date = _text(row.established) or "no date (hypothetical)"
        lines = [
            f"<b>{names[s]} – {names[t]}</b>",
            f"{_KIND_LABEL.get(str(row.kind), str(row.kind))}, {SIGN_STYLE[sign]['label']}"
            f" ({_STATUS_LABEL.get(str(row.status), str(row.status))})",
            f"since {date} · article ¶{int(row.paragraph)}",
        ]
        if toggle:
            lines.append(f"switch: {_text(toggles.loc[toggle, 'label'])}")
        out.append(
            _Link(
                id=str(row.id),
                sign=sign,
                switchable=bool(toggle),
                xs=(round(x0, DIGITS), round(x1, DIGITS)),
                ys=(round(y0, DIGITS), round(y1, DIGITS)),
                mid=(round((x0 + x1) / 2, DIGITS), round((y0 + y1) / 2, DIGITS)),
                hover="<br>".join(lines),
            )
        )
    nodes = {}
    for bloc in BLOC_STYLE:
        sub = actors[actors["bloc"] == bloc]
        nodes[bloc] = (
            tuple(sub["id"].astype(str)),
            tuple(round(float(v), DIGITS) for v in sub["x"]),
            tuple(round(float(v), DIGITS) for v in sub["y"]),
            tuple(sub["name"].astype(str)),
            tuple(sub["theater"].astype(str)),
        )
    return _Geometry(links=tuple(out), nodes=nodes, names=names)


#: The network's line traces: (legend name, sign, switchable?, line width).
_LINE_GROUPS: tuple[tuple[str, int, bool, float], ...] = (
    ("Friendly link", 1, False, 1.6),
    ("Friendly link, switchable", 1, True, 3.2),
    ("Hostile link", -1, False, 1.6),
    ("Hostile link, switchable", -1, True, 3.2),
)


def _segments(links: Iterable[_Link]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for link in links:
        xs.extend((link.xs[0], link.xs[1], None))
        ys.extend((link.ys[0], link.ys[1], None))
    return xs, ys


def _network_traces(state: ChartState) -> list[dict[str, Any]]:
    geo = _geometry()
    on = active_links(state.scenario)
    traces: list[dict[str, Any]] = []
    for name, sign, switchable, width in _LINE_GROUPS:
        group = [lk for lk in geo.links
                 if lk.sign == sign and lk.switchable == switchable and lk.id in on]
        xs, ys = _segments(group)
        traces.append({
            "type": "scatter", "mode": "lines", "name": name, "x": xs, "y": ys,
            "line": {"color": SIGN_STYLE[sign]["color"], "dash": SIGN_STYLE[sign]["dash"],
                     "width": width},
            "hoverinfo": "skip",
        })
    off = [lk for lk in geo.links if lk.switchable and lk.id not in on]
    xs, ys = _segments(off)
    traces.append({
        "type": "scatter", "mode": "lines", "name": "Switched off (click to show)",
        "x": xs, "y": ys, "visible": "legendonly",
        "line": {"color": OFF_COLOR, "dash": "dot", "width": 1.2}, "hoverinfo": "skip",
    })
    for switchable in (False, True):  # hover points: the switchable ones change alone
        shown = [lk for lk in geo.links if lk.switchable == switchable and lk.id in on]
        traces.append({
            "type": "scatter", "mode": "markers", "showlegend": False,
            "name": "Link details (hover)" + (", switchable" if switchable else ""),
            "x": [lk.mid[0] for lk in shown], "y": [lk.mid[1] for lk in shown],
            "hovertext": [lk.hover for lk in shown], "hoverinfo": "text",
            "marker": {"size": 9 if switchable else 6,
                       "color": [SIGN_STYLE[lk.sign]["color"] for lk in shown],
                       "symbol": [SIGN_STYLE[lk.sign]["symbol"] for lk in shown],
                       "opacity": 0.8},
        })
    for bloc, style in BLOC_STYLE.items():
        ids, xs_, ys_, names, theaters = geo.nodes[bloc]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": style["label"],
            "x": list(xs_), "y": list(ys_), "text": list(ids),
            "textposition": "top center", "textfont": {"size": 11},
            "hovertext": [f"<b>{n}</b><br>{style['label']}<br>home theater: "
                          f"{_THEATER_LABEL.get(t, t)}"
                          for n, t in zip(names, theaters, strict=True)],
            "hoverinfo": "text",
            "marker": {"size": 16, "color": style["color"], "symbol": style["symbol"],
                       "line": {"color": "#222222", "width": 1}},
        })
    return traces


def _network_layout(state: ChartState) -> dict[str, Any]:
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return _base_layout(
        "Who is linked to whom (Europe left, Asia right)",
        height=520,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis={**axis, "range": [-1.2, 1.3]},
        yaxis={**axis, "range": [-1.1, 1.0], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0.0, "font": {"size": 11}},
        annotations=[
            {"text": "Euro-Atlantic", "x": -0.75, "y": 0.98, "showarrow": False,
             "font": {"size": 14, "color": "#555555"}},
            {"text": "Indo-Pacific", "x": 0.8, "y": 0.98, "showarrow": False,
             "font": {"size": 14, "color": "#555555"}},
        ],
        shapes=[{"type": "line", "x0": 0.18, "x1": 0.18, "y0": -1.05, "y1": 0.95,
                 "line": {"color": "#CCCCCC", "width": 1, "dash": "dot"}}],
    )


def _network_summary(state: ChartState) -> str:
    return summarise_network(state.scenario, baseline=state.baseline_scenario,
                             baseline_label=state.baseline_label)


def network_figure(result_or_scenario: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline") -> go.Figure:
    """The actor network, map-like: Europe on the left, Asia on the right.

    Links in force in the scenario are drawn: friendly ones solid blue, hostile ones
    dashed vermillion, the switchable (toggle) links thicker. Hover a link's midpoint for
    its kind, date and article paragraph. ``baseline`` (a scenario) only affects the
    summary.
    """
    res = result_or_scenario if hasattr(result_or_scenario, "tidy") else None
    state = ChartState(scenario=scenario_of(result_or_scenario), result=res,
                       baseline_scenario=baseline, baseline_label=baseline_label)
    return CHARTS["network"].figure(state)


# --------------------------------------------------------------------------- time series


def _series_traces(metric: str, subjects: Sequence[str] | None = None):
    meta = METRICS[metric]

    def traces(state: ChartState) -> list[dict[str, Any]]:
        subs = list(subjects or meta.subjects)
        years = _round(years_of(state.result))
        out: list[dict[str, Any]] = []
        for i, s in enumerate(subs):
            label = meta.label(s)
            color, symbol = SERIES_COLORS[i % len(SERIES_COLORS)], SERIES_SYMBOLS[i % 7]
            out.append({
                "type": "scatter", "mode": "lines+markers", "name": label,
                "x": years, "y": _round(get_series(state.result, metric, s)),
                "line": {"color": color, "dash": "solid", "width": 2.5},
                "marker": {"symbol": symbol, "size": 6, "color": color},
                "legendgroup": s,
                "hovertemplate": f"{label}<br>%{{x}}: %{{y:.2f}}<extra></extra>",
            })
        if state.baseline is not None:
            base_years = _round(years_of(state.baseline))
            for i, s in enumerate(subs):
                label = f"{meta.label(s)} — {state.baseline_label}"
                color = SERIES_COLORS[i % len(SERIES_COLORS)]
                out.append({
                    "type": "scatter", "mode": "lines", "name": label,
                    "x": base_years, "y": _round(get_series(state.baseline, metric, s)),
                    "line": {"color": color, "dash": "dot", "width": 2},
                    "opacity": GHOST_OPACITY, "legendgroup": s, "showlegend": False,
                    "hovertemplate": f"{label}<br>%{{x}}: %{{y:.2f}}<extra></extra>",
                })
        return out

    return traces


def _series_layout(metric: str):
    meta = METRICS[metric]

    def layout(state: ChartState) -> dict[str, Any]:
        ghost = f" (dotted: {state.baseline_label})" if state.baseline is not None else ""
        yaxis: dict[str, Any] = {"title": {"text": meta.axis, "standoff": 10},
                                 "automargin": True}
        if meta.range is not None:
            yaxis["range"] = list(meta.range)
        return _base_layout(
            meta.title + ghost,
            xaxis={"title": {"text": "Year", "standoff": 4}, "dtick": 5, "automargin": True},
            yaxis=yaxis,
        )

    return layout


def _series_summary(metric: str, subjects: Sequence[str] | None = None):
    def summary(state: ChartState) -> str:
        return summaries.summarise_series(
            state.result, metric, subjects, baseline=state.baseline,
            baseline_label=state.baseline_label,
        )

    return summary


def _series_spec(name: str, metric: str, subjects: Sequence[str] | None = None) -> ChartSpec:
    meta = METRICS[metric]
    return ChartSpec(
        name=name,
        title=meta.title,
        traces=_series_traces(metric, subjects),
        layout=_series_layout(metric),
        summary=_series_summary(metric, subjects),
        description=meta.description,
    )


def _series_figure(name: str, result: Any, baseline: Any, baseline_label: str) -> go.Figure:
    return CHARTS[name].figure(
        ChartState(scenario=scenario_of(result), result=result, baseline=baseline,
                   baseline_label=baseline_label)
    )


def tension_figure(result: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline") -> go.Figure:
    """Tension by theater (Euro-Atlantic, Indo-Pacific) over time, baseline dotted."""
    return _series_figure("tension", result, baseline, baseline_label)


def cohesion_figure(result: Any, baseline: Any = None,
                    baseline_label: str = "2021 baseline") -> go.Figure:
    """Cohesion of the China–Russia, Russia–North Korea and China–North Korea pairs."""
    return _series_figure("cohesion", result, baseline, baseline_label)


def diplomacy_figure(result: Any, baseline: Any = None,
                     baseline_label: str = "2021 baseline") -> go.Figure:
    """The window for diplomacy on the Korean peninsula over time."""
    return _series_figure("diplomacy", result, baseline, baseline_label)


def credibility_figure(result: Any, baseline: Any = None,
                       baseline_label: str = "2021 baseline") -> go.Figure:
    """Credibility of extended deterrence by theater over time."""
    return _series_figure("credibility", result, baseline, baseline_label)


def crisis_figure(result: Any, baseline: Any = None,
                  baseline_label: str = "2021 baseline") -> go.Figure:
    """The crisis-risk index by theater over time."""
    return _series_figure("crisis", result, baseline, baseline_label)


def posture_figure(result: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline") -> go.Figure:
    """Military posture of China, Russia, North Korea and the United States over time."""
    return _series_figure("posture", result, baseline, baseline_label)


# --------------------------------------------------------------------------- verdict


def _verdict_values(result: Any) -> tuple[float, str, float, tuple[float, float]]:
    v = result.verdict
    eig = float(v.eigenvalue)
    threshold = float(getattr(v, "threshold", summaries.VERDICT_THRESHOLD))
    lo, hi = summaries.VERDICT_RANGE
    return eig, str(v.label), threshold, (min(lo, eig), max(hi, eig))


def _verdict_traces(state: ChartState) -> list[dict[str, Any]]:
    eig, label, threshold, (lo, hi) = _verdict_values(state.result)
    spiral = label == "spiral"
    return [{
        "type": "indicator",
        "mode": "gauge+number",
        "value": round(eig, 4),
        "number": {"valueformat": ".3f", "font": {"size": 24}},
        "title": {"text": (f"<b>{'Spiral' if spiral else 'Settles'}</b><br>"
                           "<span style='font-size:12px'>"
                           + ("tensions feed on each other" if spiral
                              else "reactions die down")
                           + "<br>largest eigenvalue →</span>"),
                  "font": {"size": 16}},
        "gauge": {
            "shape": "bullet",
            "axis": {"range": [round(lo, 4), round(hi, 4)]},
            "bar": {"color": PALETTE["vermillion"] if spiral else PALETTE["blue"],
                    "thickness": 0.45},
            "steps": [
                {"range": [round(lo, 4), threshold], "color": "#DCEBF5"},
                {"range": [threshold, round(hi, 4)], "color": "#F7DDCB"},
            ],
            "threshold": {"line": {"color": PALETTE["black"], "width": 3},
                          "thickness": 0.9, "value": threshold},
        },
        "domain": {"x": [0.25, 0.85], "y": [0.3, 0.9]},
    }]


def _verdict_layout(state: ChartState) -> dict[str, Any]:
    _eig, _label, threshold, _range = _verdict_values(state.result)
    return _base_layout(
        "Stability verdict: does the arms–threat loop spiral or settle?",
        height=230,
        margin={"l": 30, "r": 30, "t": 60, "b": 20},
        annotations=[
            {"text": f"← settles (below {threshold:g})", "x": 0.25, "y": 0.05,
             "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "left",
             "font": {"color": "#333333", "size": 12}},
            {"text": f"spiral (above {threshold:g}) →", "x": 0.85, "y": 0.05,
             "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "right",
             "font": {"color": "#333333", "size": 12}},
        ],
    )


def _verdict_summary(state: ChartState) -> str:
    return summarise_verdict(state.result, baseline=state.baseline,
                             baseline_label=state.baseline_label)


def verdict_figure(result: Any) -> go.Figure:
    """The stability verdict: the largest eigenvalue on a bullet gauge, labelled in words."""
    return CHARTS["verdict"].figure(ChartState(scenario=scenario_of(result), result=result))


# --------------------------------------------------------------------------- registry

#: Every chart by name: what :class:`lessons.widgets.Explorer` and the tests use.
CHARTS: dict[str, ChartSpec] = {
    "network": ChartSpec(
        name="network",
        title="Actor network",
        traces=_network_traces,
        layout=_network_layout,
        summary=_network_summary,
        needs_result=False,
        description="Alliances, partnerships, support flows and rivalries among the actors.",
    ),
    "tension": _series_spec("tension", "tension"),
    "cohesion": _series_spec("cohesion", "cohesion"),
    "diplomacy": _series_spec("diplomacy", "diplomacy_window"),
    "credibility": _series_spec("credibility", "credibility"),
    "crisis": _series_spec("crisis", "crisis_risk"),
    "posture": _series_spec("posture", "posture"),
    "verdict": ChartSpec(
        name="verdict",
        title="Stability verdict",
        traces=_verdict_traces,
        layout=_verdict_layout,
        summary=_verdict_summary,
        description="Whether the linearised posture–threat system spirals or settles.",
    ),
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
