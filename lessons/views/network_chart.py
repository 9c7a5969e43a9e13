"""The actor-network chart: U.S. allies above, their rivals below, Europe left, Asia right.

Links in force are drawn (friendly solid, hostile dashed, switchable links thicker);
parallel links between the same two nodes are fanned into curves; the links the last
change touched get a highlight band. The geometry is computed once per view and cached.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go

from lessons import data
from lessons.views.chart_spec import ChartSpec, ChartState, base_layout
from lessons.views.style import BLOC_STYLE, HIGHLIGHT, LABEL_SIZE, OFF_COLOR, SIGN_STYLE
from lessons.views.summaries import active_links, scenario_of, summarise_network
from lessons.views.text import DIGITS, rounded_array, stripped_text

if TYPE_CHECKING:
    from lessons.model import Scenario

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
        toggle = stripped_text(row.toggle)
        date = stripped_text(row.established) or "no date (hypothetical)"
        lines = [
            f"<b>{names[src]} – {names[tgt]}</b>",
            f"{_KIND_LABEL.get(str(row.kind), str(row.kind))}, {SIGN_STYLE[sign]['label']}"
            f" ({_STATUS_LABEL.get(str(row.status), str(row.status))})",
            f"since {date} · article ¶{int(row.paragraph)}",
        ]
        if toggle:
            lines.append(f"switch: {stripped_text(toggles.loc[toggle, 'label'])}")
        half = len(xs) // 2
        mid = ((xs[0] + xs[-1]) / 2, (ys[0] + ys[-1]) / 2) if len(xs) == 2 else (xs[half], ys[half])
        out.append(
            _Link(
                id=str(row.id),
                sign=sign,
                switchable=bool(toggle),
                xs=tuple(rounded_array(xs)),
                ys=tuple(rounded_array(ys)),
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


def changed_links(scenario: Scenario, previous: Scenario | None) -> frozenset[str]:
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
        "line": {"color": HIGHLIGHT, "width": 11}, "opacity": 0.45,
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
    return base_layout(
        # two lines: one long line ran off the right edge in a notebook column at 1024 px
        "Who is linked to whom<br><span style='font-size:13px'>U.S. allies above, their "
        "rivals below; Europe left, Asia right</span>",
        height=540,
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        xaxis={**axis, "range": [left, 1.6]},  # room for "New Zealand" at the right
        yaxis={**axis, "range": [-0.95, 1.26], "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0.0,
                "font": {"size": LABEL_SIZE}},
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
    return NETWORK_SPEC.figure(state)


#: The network chart: what :data:`lessons.views.charts.CHARTS` lists as ``"network"``.
NETWORK_SPEC = ChartSpec(
    name="network",
    title="Actor network",
    traces=_network_traces,
    layout=_network_layout,
    summary=_network_summary,
    needs_result=False,
    description="Alliances, partnerships, support flows and rivalries among the actors.",
)
