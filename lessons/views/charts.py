"""Plotly figures for the lessons: one pure builder and one text summary per chart.

Every chart is a pair of pure functions of the model state, ``(state) -> figure`` and
``(state) -> summary``, so the same call gives a static figure (batch renders, nbval) and
the data a live :class:`plotly.graph_objects.FigureWidget` is updated with
(:mod:`lessons.live.widgets`). The public builders::

    network_figure(result_or_scenario, baseline=None,  # the actor network (NATO's
                   expand_nato=False, previous=None)   # members bundled unless expanded)
    tension_figure(result, baseline=None)              # tension by theater over time
    cohesion_figure(result, baseline=None)             # entente cohesion by pair
    diplomacy_figure(result, baseline=None)            # the Korean diplomacy window
    credibility_figure(result, baseline=None)          # extended-deterrence credibility
    crisis_figure(result, baseline=None)               # crisis-risk index by theater
    posture_figure(result, baseline=None)              # the adversaries' military posture
    verdict_figure(result)                             # "spiral" or "settles", with the eigenvalue

and for each a ``summarise_*`` function with the same arguments returning one or two
sentences (what rose, what fell, by how much) that a screen reader can read; they live in
:mod:`lessons.views.summaries` and are re-exported here. ``baseline`` is a model result drawn as a
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

from lessons.views import palette, summaries
from lessons.views.summaries import (
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
    "LAYOUT",
    "NATO_MEMBERS",
    "OKABE_ITO",
    "PALETTE",
    "SERIES_COLORS",
    "SERIES_SYMBOLS",
    "SIGN_STYLE",
    "ChartSpec",
    "ChartState",
    "changed_links",
    "cohesion_figure",
    "credibility_figure",
    "crisis_figure",
    "diplomacy_figure",
    "figure_data",
    "label_position",
    "network_figure",
    "node_of",
    "positions",
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
#: (the same object as :data:`lessons.views.palette.OKABE_ITO`).
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
#: Node style by bloc: colour and marker symbol from :mod:`lessons.views.palette`, legend label.
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
    added or removed relative to it. In the network, ``expand_nato`` shows NATO's member
    states as nodes of their own, and ``previous_scenario`` highlights the links switched
    on or off since it (the last change a student made).
    """

    scenario: Any
    result: Any = None
    baseline: Any = None
    baseline_label: str = "2021 baseline"
    baseline_scenario: Any = None
    expand_nato: bool = False
    previous_scenario: Any = None


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


#: NATO's member states in the actor table; by default they are drawn inside one "NATO"
#: node (``expand_nato=False``), so a class sees the alliance, not a tangle of capitals.
NATO_MEMBERS: tuple[str, ...] = ("GBR", "FRA", "DEU", "ITA", "ESP", "BALT")

#: Node positions of the drawn network (chart units), chosen for legibility: U.S. allies
#: above, their rivals below, Europe on the left, Asia on the right. They differ from the
#: schematic map positions in ``data/actors.csv`` because with those the mid-2024 links
#: crossed each other hundreds of times; here the straight links of mid-2024 cross about
#: fifty times (``tests/views/test_charts.py`` counts them).
LAYOUT: dict[str, tuple[float, float]] = {
    "USA": (0.0, 0.05),
    "NATO": (-0.9, 0.5),
    "UKR": (-0.9, -0.4),
    "RUS": (-0.4, -0.7),
    "KOR": (0.2, 0.5),
    "JPN": (0.6, 0.75),
    "AUS": (0.95, 0.45),
    "NZL": (1.1, 0.05),
    "PRK": (0.25, -0.45),
    "CHN": (0.6, -0.75),
    "TWN": (0.95, -0.3),
}
#: Where the member states sit when NATO is expanded: on an arc left of the NATO node.
MEMBER_LAYOUT: dict[str, tuple[float, float]] = {
    "GBR": (-1.3, 0.95),
    "BALT": (-0.9, 0.95),
    "FRA": (-1.45, 0.65),
    "DEU": (-1.45, 0.3),
    "ITA": (-1.3, 0.0),
    "ESP": (-1.6, -0.05),
}
#: Short node labels a class can read from the back of a room.
SHORT_NAMES: dict[str, str] = {
    "USA": "United States", "NATO": "NATO", "GBR": "UK", "FRA": "France",
    "DEU": "Germany", "ITA": "Italy", "ESP": "Spain", "BALT": "Baltic states",
    "UKR": "Ukraine", "RUS": "Russia", "CHN": "China", "PRK": "North Korea",
    "KOR": "South Korea", "JPN": "Japan", "TWN": "Taiwan", "AUS": "Australia",
    "NZL": "New Zealand",
}
#: Label positions around a marker, by the direction (degrees) they point to.
_TEXT_POSITIONS: tuple[tuple[str, float], ...] = (
    ("top center", 90.0), ("bottom center", 270.0), ("middle right", 0.0),
    ("middle left", 180.0), ("top right", 45.0), ("top left", 135.0),
    ("bottom left", 225.0), ("bottom right", 315.0),
)
#: Colour of the band under the links the last change switched on or off.
HIGHLIGHT_COLOR = palette.HIGHLIGHT
#: Points per curve of a fanned (parallel) link.
_CURVE_POINTS = 9


@dataclass(frozen=True)
class _Link:
    id: str
    sign: int
    switchable: bool
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    mid: tuple[float, float]
    hover: str


@dataclass(frozen=True)
class _Geometry:
    links: tuple[_Link, ...]
    nodes: Mapping[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...],
                              tuple[str, ...], tuple[str, ...], tuple[str, ...]]]
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
#: Bulge between neighbouring parallel links joining the same two nodes (chart units).
_PARALLEL_GAP = 0.035


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in {"nan", "none", "nat", "<na>"} else text


def node_of(actor: str, expand_nato: bool = False) -> str:
    """The node an actor is drawn as: a member state is drawn as ``"NATO"`` unless
    ``expand_nato``."""
    return actor if expand_nato or actor not in NATO_MEMBERS else "NATO"


def positions(expand_nato: bool = False) -> dict[str, tuple[float, float]]:
    """Where each drawn node sits (:data:`LAYOUT`, plus :data:`MEMBER_LAYOUT` when the
    member states are shown)."""
    return {**LAYOUT, **(MEMBER_LAYOUT if expand_nato else {})}


def curve(p0: tuple[float, float], p1: tuple[float, float], bulge: float,
          points: int = _CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic Bézier from ``p0`` to ``p1`` whose middle lies ``bulge`` chart units to
    the left of the straight line (a straight segment when ``bulge`` is 0).

    Parallel links between the same two nodes become curves that share their end points,
    so a bundle never crosses itself and each link keeps its own hover point.
    """
    (x0, y0), (x1, y1) = p0, p1
    if bulge == 0:
        return np.array([x0, x1]), np.array([y0, y1])
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy) or 1.0
    # control point twice the bulge away: a quadratic's midpoint lies halfway to it
    cx, cy = (x0 + x1) / 2 - 2 * bulge * dy / norm, (y0 + y1) / 2 + 2 * bulge * dx / norm
    t = np.linspace(0.0, 1.0, points)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1
    return xs, ys


def label_position(angles: Iterable[float]) -> str:
    """The text position of a node label farthest from the directions (degrees) of the
    links at the node, so labels sit clear of lines; ties keep the order of
    :data:`_TEXT_POSITIONS` (above, below, right, left, then the diagonals)."""
    angles = np.asarray(list(angles), dtype=float)
    if angles.size == 0:
        return _TEXT_POSITIONS[0][0]

    def clearance(direction: float) -> float:
        gap = np.abs((angles - direction + 180.0) % 360.0 - 180.0)
        return float(gap.min())

    best = max(_TEXT_POSITIONS, key=lambda p: clearance(p[1]) - 1e-6 * _TEXT_POSITIONS.index(p))
    return best[0]


@cache
def _geometry(expand_nato: bool = False) -> _Geometry:
    """Positions, link curves (parallel links fanned out) and hover texts, computed once
    per view (member states bundled into NATO, or shown)."""
    data = _data()
    actors = data.load("actors")
    links = data.load("links")
    toggles = data.load("toggles").set_index("id")
    pos = positions(expand_nato)
    names = dict(zip(actors["id"].astype(str), actors["name"].astype(str), strict=True))
    ends = [(node_of(str(s), expand_nato), node_of(str(t), expand_nato))
            for s, t in zip(links["source"], links["target"], strict=True)]
    pair_count: dict[frozenset[str], int] = {}
    for s, t in ends:
        pair_count[frozenset((s, t))] = pair_count.get(frozenset((s, t)), 0) + 1
    pair_seen: dict[frozenset[str], int] = {}
    angles: dict[str, list[float]] = {n: [] for n in pos}
    out = []
    for row, (s, t) in zip(links.itertuples(index=False), ends, strict=True):
        if s == t:  # a member's own membership link, inside the bundled NATO node
            continue
        key = frozenset((s, t))
        k = pair_seen.get(key, 0)
        pair_seen[key] = k + 1
        a, b = sorted((s, t))  # a consistent side whatever the link's direction
        bulge = (k - (pair_count[key] - 1) / 2) * _PARALLEL_GAP
        xs, ys = curve(pos[a], pos[b], bulge)
        for here, there in ((a, b), (b, a)):
            angles[here].append(math.degrees(math.atan2(pos[there][1] - pos[here][1],
                                                        pos[there][0] - pos[here][0])))
        src, tgt = str(row.source), str(row.target)
        sign = 1 if int(row.sign) > 0 else -1
        toggle = _text(row.toggle)
        date = _text(row.established) or "no date (hypothetical)"
        lines = [
            f"<b>{names[src]} – {names[tgt]}</b>",
            f"{_KIND_LABEL.get(str(row.kind), str(row.kind))}, {SIGN_STYLE[sign]['label']}"
            f" ({_STATUS_LABEL.get(str(row.status), str(row.status))})",
            f"since {date} · article ¶{int(row.paragraph)}",
        ]
        if toggle:
            lines.append(f"switch: {_text(toggles.loc[toggle, 'label'])}")
        half = len(xs) // 2
        mid = ((xs[0] + xs[-1]) / 2, (ys[0] + ys[-1]) / 2) if len(xs) == 2 else (xs[half], ys[half])
        out.append(
            _Link(
                id=str(row.id),
                sign=sign,
                switchable=bool(toggle),
                xs=tuple(_round(xs)),
                ys=tuple(_round(ys)),
                mid=(round(float(mid[0]), DIGITS), round(float(mid[1]), DIGITS)),
                hover="<br>".join(lines),
            )
        )
    members = [names[m] for m in NATO_MEMBERS]
    nodes = {}
    for bloc in BLOC_STYLE:
        sub = actors[(actors["bloc"] == bloc) & actors["id"].isin(list(pos))]
        ids = tuple(sub["id"].astype(str))
        hover_names = tuple(
            f"{n} (with its member states: {', '.join(members)})"
            if i == "NATO" and not expand_nato else n
            for i, n in zip(ids, sub["name"].astype(str), strict=True))
        nodes[bloc] = (
            ids,
            tuple(round(pos[i][0], DIGITS) for i in ids),
            tuple(round(pos[i][1], DIGITS) for i in ids),
            hover_names,
            tuple(sub["theater"].astype(str)),
            tuple(label_position(angles[i]) for i in ids),
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
        xs.extend((*link.xs, None))
        ys.extend((*link.ys, None))
    return xs, ys


def changed_links(scenario: Any, previous: Any) -> frozenset[str]:
    """IDs of the links switched on or off between ``previous`` and ``scenario`` (none
    without a previous scenario): what the network highlights after a change."""
    if previous is None:
        return frozenset()
    return active_links(scenario) ^ active_links(scenario_of(previous))


def _network_traces(state: ChartState) -> list[dict[str, Any]]:
    geo = _geometry(state.expand_nato)
    on = active_links(state.scenario)
    changed = changed_links(state.scenario, state.previous_scenario)
    xs, ys = _segments(lk for lk in geo.links if lk.id in changed)
    traces: list[dict[str, Any]] = [{  # under the links: a wide band
        "type": "scatter", "mode": "lines", "name": "Changed by the last switch",
        "x": xs, "y": ys, "showlegend": bool(changed),
        "line": {"color": HIGHLIGHT_COLOR, "width": 11}, "opacity": 0.45,
        "hoverinfo": "skip",
    }]
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
            "customdata": [lk.id for lk in shown],
            "hovertext": [lk.hover for lk in shown], "hoverinfo": "text",
            "marker": {"size": 9 if switchable else 6,
                       "color": [SIGN_STYLE[lk.sign]["color"] for lk in shown],
                       "symbol": [SIGN_STYLE[lk.sign]["symbol"] for lk in shown],
                       "opacity": 0.8},
        })
    for bloc, style in BLOC_STYLE.items():
        ids, xs_, ys_, names, theaters, _where = geo.nodes[bloc]
        traces.append({
            "type": "scatter", "mode": "markers", "name": style["label"],
            "x": list(xs_), "y": list(ys_), "customdata": list(ids),
            "hovertext": [f"<b>{n}</b><br>{style['label']}<br>home theater: "
                          f"{_THEATER_LABEL.get(t, t)}"
                          for n, t in zip(names, theaters, strict=True)],
            "hoverinfo": "text",
            "marker": {"size": 18, "color": style["color"], "symbol": style["symbol"],
                       "line": {"color": "#222222", "width": 1}},
        })
    return traces


#: Anchor and pixel offset of a node label by its text position.
_LABEL_ANCHOR: dict[str, tuple[str, str, int, int]] = {
    "top center": ("center", "bottom", 0, 11), "bottom center": ("center", "top", 0, -11),
    "middle right": ("left", "middle", 12, 0), "middle left": ("right", "middle", -12, 0),
    "top right": ("left", "bottom", 8, 8), "top left": ("right", "bottom", -8, 8),
    "bottom left": ("right", "top", -8, -8), "bottom right": ("left", "top", 8, -8),
}


def _node_labels(geo: _Geometry) -> list[dict[str, Any]]:
    """One annotation per node: its short name on a white box, placed on the side of the
    marker farthest from its links (:func:`label_position`), so no line runs through it."""
    out = []
    for ids, xs, ys, _names, _theaters, where in geo.nodes.values():
        for i, x, y, w in zip(ids, xs, ys, where, strict=True):
            xanchor, yanchor, dx, dy = _LABEL_ANCHOR[w]
            out.append({"text": SHORT_NAMES.get(i, i), "x": x, "y": y, "showarrow": False,
                        "xanchor": xanchor, "yanchor": yanchor, "xshift": dx, "yshift": dy,
                        "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 1,
                        "font": {"size": 13, "color": "#111111"}})
    return out


def _network_layout(state: ChartState) -> dict[str, Any]:
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    left = -1.85 if state.expand_nato else -1.25
    return _base_layout(
        "Who is linked to whom (U.S. allies above, their rivals below; Europe left, Asia right)",
        height=520,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis={**axis, "range": [left, 1.45]},
        yaxis={**axis, "range": [-0.95, 1.26], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0.0, "font": {"size": 12}},
        annotations=[
            {"text": "Euro-Atlantic", "x": -0.9, "y": 1.2, "showarrow": False,
             "font": {"size": 14, "color": "#555555"}},
            {"text": "Indo-Pacific", "x": 0.75, "y": 1.2, "showarrow": False,
             "font": {"size": 14, "color": "#555555"}},
            *_node_labels(_geometry(state.expand_nato)),
        ],
        shapes=[{"type": "line", "x0": -0.2, "x1": -0.2, "y0": 1.25, "y1": 0.8,
                 "line": {"color": "#CCCCCC", "width": 1, "dash": "dot"}}],
    )


def _network_summary(state: ChartState) -> str:
    return summarise_network(state.scenario, baseline=state.baseline_scenario,
                             baseline_label=state.baseline_label)


def network_figure(result_or_scenario: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline", *, expand_nato: bool = False,
                   previous: Any = None) -> go.Figure:
    """The actor network: U.S. allies above, their rivals below, Europe left, Asia right.

    Links in force in the scenario are drawn: friendly ones solid blue, hostile ones
    dashed vermillion, the switchable (toggle) links thicker; parallel links between the
    same two nodes are fanned into curves. Hover a link's midpoint for its kind, date and
    article paragraph. ``baseline`` (a scenario) only affects the summary.

    ``expand_nato`` draws NATO's member states as nodes of their own (by default they sit
    inside the NATO node, which keeps the chart legible); ``previous`` (a scenario or
    result) puts a band under the links switched on or off since it.
    """
    res = result_or_scenario if hasattr(result_or_scenario, "tidy") else None
    state = ChartState(scenario=scenario_of(result_or_scenario), result=res,
                       baseline_scenario=baseline, baseline_label=baseline_label,
                       expand_nato=expand_nato, previous_scenario=previous)
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
                "hovertemplate": f"{label}<br>model year %{{x}}: %{{y:.2f}}<extra></extra>",
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
                    "hovertemplate": f"{label}<br>model year %{{x}}: %{{y:.2f}}<extra></extra>",
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
            xaxis={"title": {"text": "Model year (an illustration, not a forecast)", "standoff": 4},
                   "dtick": 5, "automargin": True},
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

#: Every chart by name: what :class:`lessons.live.widgets.Explorer` and the tests use.
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
