"""Lesson 06's views (¶18): how Seoul's alignment changes the window for diplomacy with
Pyongyang, and how the patrons' leverage restrains North Korea.

* :func:`korea_effects`, :func:`pair_outcome`, :func:`korea_steps` — how Seoul's alignment
  moves the diplomacy window and the three ententes; :func:`summarise_korea_effects`.
* :func:`restraint_curves` — North Korea's belligerence as its patrons' support grows, for
  several levels of their leverage (:mod:`lessons.model.korea`); :func:`restraint_figure`,
  :func:`summarise_restraint`.
* :func:`leverage_sweep` — the diplomacy window with and without Seoul's alignment across
  the patrons' leverage; :func:`leverage_figure`, :func:`summarise_leverage`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons import model
from lessons.model import korea
from lessons.views.credibility_view import scenario_with
from lessons.views.labels import scenario_label
from lessons.views.style import (
    FRIENDLY,
    HOSTILE,
    NEUTRAL,
    SERIES_COLORS,
    SERIES_SYMBOLS,
    lesson_layout,
)
from lessons.views.summaries import NO_CHANGE, mid_sentence, model_summary, toggle_labels
from lessons.views.text import DIGITS, join_and, rounded

if TYPE_CHECKING:
    from lessons.model import Scenario

#: The toggles of Seoul's alignment against Moscow and Beijing named in ¶18.
SEOUL_TOGGLES: tuple[str, ...] = ("kor_arms_direct", "kor_china_containment")
#: The outputs :func:`korea_effects` reports: (label, metric, subject).
KOREA_OUTPUTS: tuple[tuple[str, str, str], ...] = (
    ("Korean diplomacy window (0–1)", "diplomacy_window", "korea"),
    ("Russia–North Korea cohesion (0–1)", "cohesion", "RUS-PRK"),
    ("China–North Korea cohesion (0–1)", "cohesion", "CHN-PRK"),
    ("China–Russia cohesion (0–1)", "cohesion", "CHN-RUS"),
    ("North Korea's posture (index, 2021 = 1)", "posture", "PRK"),
)


# --------------------------------------------------------------------------- Korea


def korea_effects(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Scenario | str = "mid_2024",
                  horizon: int = 20, **params: float) -> pd.DataFrame:
    """How switching ``toggles`` on in ``scenario`` moves the Korean outputs (¶18).

    Parameters
    ----------
    toggles : sequence of str
        Toggle ids switched on (default: Seoul's two steps named in ¶18).
    scenario : str or Scenario
        The starting world.
    horizon : int
        Years simulated.
    **params : float
        Model parameter overrides, applied before and after alike.

    Returns
    -------
    pandas.DataFrame
        One row per output in :data:`KOREA_OUTPUTS`: ``output``, ``metric``, ``subject``,
        ``before``, ``after`` (final values after ``horizon`` years) and ``change``.
        ``attrs``: ``toggles``, ``horizon``, ``theta``.
    """
    before = scenario_with(scenario, **params)
    after = scenario_with(before, on=toggles)
    r0, r1 = model.simulate(before, horizon=horizon), model.simulate(after, horizon=horizon)
    rows = []
    for label, metric, subject in KOREA_OUTPUTS:
        v0, v1 = r0.final(metric, subject), r1.final(metric, subject)
        rows.append({"output": label, "metric": metric, "subject": subject,
                     "before": round(v0, 4), "after": round(v1, 4),
                     "change": round(v1 - v0, 4)})
    out = pd.DataFrame(rows)
    out.attrs = {"toggles": tuple(toggles), "horizon": int(horizon),
                 "theta": float(before.params["theta"])}
    return out


def _toggle_labels(toggles: Iterable[str]) -> list[str]:
    labels = toggle_labels()
    return [labels[t] for t in toggles]


@model_summary
def summarise_korea_effects(effects: pd.DataFrame) -> str:
    """The Korea table in words: the window, and which entente moves most."""
    e = effects.set_index("subject")
    labels = _toggle_labels(effects.attrs.get("toggles", ()))
    what = join_and([f"“{x}”" for x in labels]) or "the added links"
    w = e.loc["korea"]
    verb = ("narrows" if w["change"] < -NO_CHANGE else "widens" if w["change"] > NO_CHANGE
            else "barely moves")
    text = (f"With {what} switched on, after {effects.attrs.get('horizon', 20)} model years the "
            f"Korean diplomacy window {verb} from {w['before']:.3f} to {w['after']:.3f} "
            f"({w['change']:+.3f}).")
    pairs = effects[effects["metric"] == "cohesion"].set_index("subject")
    top = pairs["change"].abs().idxmax()
    name = str(pairs.loc[top, "output"]).split(" cohesion")[0]
    text += f" Of the three ententes, {name} tightens most ({pairs.loc[top, 'change']:+.4f})"
    if top != "RUS-PRK":
        text += (f"; Russia–North Korea, already at {e.loc['RUS-PRK', 'before']:.2f}, moves "
                 f"{e.loc['RUS-PRK', 'change']:+.4f}")
    return text + "."


def pair_outcome(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Scenario | str = "mid_2024",
                 horizon: int = 20, tolerance: float = 0.005, **params: float) -> str:
    """Which of Pyongyang's ententes Seoul's alignment tightens more: ``"russia"``,
    ``"china"`` or ``"equal"`` (changes within ``tolerance`` of each other)."""
    e = korea_effects(toggles, scenario, horizon, **params).set_index("subject")["change"]
    diff = float(e["RUS-PRK"] - e["CHN-PRK"])
    return "russia" if diff > tolerance else "china" if diff < -tolerance else "equal"


def korea_steps(scenario: Scenario | str = "mid_2024", steps: Sequence[str] = SEOUL_TOGGLES,
                horizon: int = 20, **params: float) -> pd.DataFrame:
    """The change in each Korean output for each of Seoul's steps alone and for all together.

    Returns
    -------
    pandas.DataFrame
        Indexed by output label; one column per step (its toggle label) and a last column
        ``"all together"``; values are changes in the final values after ``horizon``
        years, relative to ``scenario`` (see :func:`korea_effects`).
    """
    labels = _toggle_labels(steps)
    columns = {}
    for step, label in zip(steps, labels, strict=True):
        columns[label] = korea_effects([step], scenario, horizon, **params).set_index(
            "output")["change"]
    columns["all together"] = korea_effects(steps, scenario, horizon, **params).set_index(
        "output")["change"]
    out = pd.DataFrame(columns)
    out.index.name = "change after the step"
    return out


def support_marks(scenario: Scenario | str = "mid_2024", **params: float) -> dict[str, float]:
    """The patrons' support for Pyongyang in 2024 in the 2021 baseline and in ``scenario``,
    keyed by readable scenario names (the vertical markers of :func:`restraint_figure`)."""
    sc = scenario_with(scenario, **params)
    marks = {"2021 baseline": patron_support("baseline_2021", **params)}
    marks[scenario_label(sc)] = patron_support(sc)
    return marks


def restraint_curves(leverages: Sequence[float] = (0.3, 1.0, 2.0),
                     supports: Sequence[float] | None = None) -> pd.DataFrame:
    """North Korea's belligerence (at its 2021 posture) as its patrons' support grows.

    The model's rule (:func:`lessons.model.korea.belligerence`): belligerence =
    posture × (1 + support) / (1 + leverage × (1 − support)), where support is the mean
    cohesion of China–North Korea and Russia–North Korea.

    Parameters
    ----------
    leverages : sequence of float
        Values of the patrons' leverage, one curve each.
    supports : sequence of float, optional
        Support levels from 0 to 1 (default: 21 even steps).

    Returns
    -------
    pandas.DataFrame
        Long form: ``leverage``, ``support``, ``belligerence``.
    """
    s = np.linspace(0.0, 1.0, 21) if supports is None else np.asarray(supports, dtype=float)
    rows = [{"leverage": float(lev), "support": float(si),
             "belligerence": float(korea.belligerence(1.0, si, float(lev)))}
            for lev in leverages for si in s]
    return pd.DataFrame(rows)


def patron_support(scenario: Scenario | str = "mid_2024", year_index: int = 0,
                   **params: float) -> float:
    """The patrons' support for Pyongyang in the model (mean cohesion of China–North Korea
    and Russia–North Korea) in a scenario, in 2024 (``year_index`` 0) or a later year."""
    res = model.simulate(scenario_with(scenario, **params), horizon=max(1, year_index))
    return float(0.5 * (res.series("cohesion", "CHN-PRK")[year_index]
                        + res.series("cohesion", "RUS-PRK")[year_index]))


def restraint_figure(curves: pd.DataFrame, marks: Mapping[str, float] | None = None
                     ) -> go.Figure:
    """Lines of belligerence against support, one per leverage (colour, dash and symbol
    differ), with vertical markers at named support levels (``{"2021": 0.38, ...}``)."""
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    fig = go.Figure()
    for k, (lev, part) in enumerate(curves.groupby("leverage", sort=True)):
        fig.add_trace(go.Scatter(
            x=rounded(part["support"]), y=rounded(part["belligerence"]), mode="lines+markers",
            name=f"patron leverage {lev:g}",
            line={"color": SERIES_COLORS[k % len(SERIES_COLORS)],
                  "dash": dashes[k % len(dashes)]},
            marker={"symbol": SERIES_SYMBOLS[k % len(SERIES_SYMBOLS)], "size": 6},
            hovertemplate="support %{x:.2f}: belligerence %{y:.2f}<extra></extra>"))
    top = float(curves["belligerence"].max())
    for name, value in (marks or {}).items():
        fig.add_trace(go.Scatter(
            x=[round(value, DIGITS)] * 2, y=[0, round(top, DIGITS)], mode="lines+text",
            name=f"patrons' support, {name}", text=["", f"{name}: {value:.2f}"],
            textposition="top center", line={"color": NEUTRAL, "dash": "dot",
                                             "width": 1},
            showlegend=False, hoverinfo="skip"))
    fig.update_layout(**lesson_layout(
        "Patron restraint: North Korea's belligerence as Beijing and Moscow align with it",
        height=420, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "patrons' support for Pyongyang (mean cohesion, 0–1)"},
               "range": [0, 1.02]},
        yaxis={"title": {"text": "belligerence (index, at 2021 posture)"},
               "range": [0, top * 1.12]}))
    return fig


@model_summary
def summarise_restraint(curves: pd.DataFrame, marks: Mapping[str, float] | None = None) -> str:
    """The restraint curves in words: how far belligerence rises between the marked
    support levels (or from no support to full support) at each leverage."""
    marks = dict(marks or {"no support": 0.0, "full support": 1.0})
    items = list(marks.items())
    (n0, s0), (n1, s1) = items[0], items[-1]
    parts = []
    for lev in sorted(curves["leverage"].unique()):
        b0 = float(korea.belligerence(1.0, s0, lev))
        b1 = float(korea.belligerence(1.0, s1, lev))
        parts.append(f"{b1 / b0:.1f} times at leverage {lev:g}")
    ratios = [float(korea.belligerence(1.0, s1, lev) / korea.belligerence(1.0, s0, lev))
              for lev in sorted(curves["leverage"].unique())]
    verb = "rises" if ratios[0] >= 1 else "falls"
    tail = (": the stronger the restraint Beijing and Moscow could exert, the more is lost "
            "when they align with Pyongyang instead." if ratios[-1] > ratios[0] + 0.01
            else ".")
    return (f"As the patrons' support moves from {s0:.2f} ({mid_sentence(n0)}) to {s1:.2f} "
            f"({mid_sentence(n1)}), "
            f"North Korea's belligerence at the same posture {verb} {join_and(parts)}{tail}")


def leverage_sweep(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Scenario | str = "mid_2024",
                   leverages: Sequence[float] = (0.3, 0.6, 1.0, 1.5, 2.0), horizon: int = 20,
                   **params: float) -> pd.DataFrame:
    """The final diplomacy window with and without Seoul's alignment, across leverage.

    Parameters
    ----------
    toggles : sequence of str
        Seoul's steps switched on for the ``with`` column.
    scenario : str or Scenario
        The starting world.
    leverages : sequence of float
        Values of ``patron_leverage``.
    horizon : int
        Years simulated.
    **params : float
        Other parameter overrides.

    Returns
    -------
    pandas.DataFrame
        Columns ``patron_leverage``, ``without`` (``scenario`` as it is), ``with``
        (``toggles`` on) and ``change``. ``attrs``: ``toggles``, ``horizon``.
    """
    rows = []
    for lev in leverages:
        before = scenario_with(scenario, **{**params, "patron_leverage": float(lev)})
        after = scenario_with(before, on=toggles)
        w0 = model.simulate(before, horizon=horizon).final("diplomacy_window", "korea")
        w1 = model.simulate(after, horizon=horizon).final("diplomacy_window", "korea")
        rows.append({"patron_leverage": float(lev), "without": round(w0, 4),
                     "with": round(w1, 4), "change": round(w1 - w0, 4)})
    out = pd.DataFrame(rows)
    out.attrs = {"toggles": tuple(toggles), "horizon": int(horizon)}
    return out


def leverage_figure(sweep: pd.DataFrame) -> go.Figure:
    """Two lines (solid circles: as it is; dashed squares: with Seoul's alignment)."""
    fig = go.Figure()
    styles = (("without", "Seoul as in the scenario", FRIENDLY, "solid", "circle"),
              ("with", "Seoul aligns against Moscow and Beijing", HOSTILE, "dash",
               "square"))
    for col, name, colour, dash, symbol in styles:
        fig.add_trace(go.Scatter(
            x=rounded(sweep["patron_leverage"]), y=rounded(sweep[col]), mode="lines+markers",
            name=name, line={"color": colour, "dash": dash},
            marker={"symbol": symbol, "size": 8},
            hovertemplate="leverage %{x:g}: window %{y:.3f}<extra></extra>"))
    fig.update_layout(**lesson_layout(
        f"The diplomacy window after {sweep.attrs.get('horizon', 20)} model years, by the "
        "patrons' leverage", height=400, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "patrons' restraining leverage (ratio)"}},
        yaxis={"title": {"text": "diplomacy window (index, 0 = closed, 1 = wide open)"},
               "range": [0, max(0.6, float(sweep[["without", "with"]].max().max()) * 1.15)]}))
    return fig


def _trend(values: Sequence[float], up: str, down: str, flat: str) -> str:
    v = [float(x) for x in values]
    if v[-1] - v[0] > NO_CHANGE:
        return up
    if v[0] - v[-1] > NO_CHANGE:
        return down
    return flat


@model_summary
def summarise_leverage(sweep: pd.DataFrame) -> str:
    """The sweep in words: how the window's level and the cost of Seoul's alignment vary
    with the patrons' leverage."""
    lo, hi = sweep.iloc[0], sweep.iloc[-1]
    level = _trend(sweep["without"], "wider", "narrower", "about as wide")
    cost = _trend(sweep["change"].abs(), "more", "less", "about as much")
    return (f"With the patrons' leverage at {lo['patron_leverage']:g} the window ends at "
            f"{lo['without']:.3f}, and at {hi['patron_leverage']:g} at {hi['without']:.3f}: "
            f"the stronger the patrons' restraint, the {level} the window. Seoul's alignment "
            f"changes it by {lo['change']:+.3f} at the lowest leverage and by "
            f"{hi['change']:+.3f} at the highest, so it costs {cost} where the patrons' "
            "leverage is greater.")

