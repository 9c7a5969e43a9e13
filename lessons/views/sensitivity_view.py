"""One-factor-at-a-time sensitivity for the capstone (lesson 09): which assumption moves
the result most, and which values flip it?

Sensitivity from :func:`lessons.model.sensitivity` (ten Broeke et al. 2016), drawn as a
tornado chart (:func:`tornado_figure`, :func:`summarise_tornado`); the values at which an
effect changes sign or the stability verdict changes, found on a grid
(:func:`flip_points`, :func:`summarise_flips`). The capstone's shared vocabulary lives here
too: :func:`outcome_phrase`, :func:`switched`, :func:`deeper_toggles`; parameters are named
by :func:`lessons.views.labels.parameter_label` (the ``label`` column of
``data/parameters.csv``), as in every lesson.

Everything is an **illustration of an argument, not a forecast**: the numbers are indices
under teaching assumptions, and the point is which conclusions change when the assumptions
do. All model runs are vectorised over grid points (one batch per structure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons import model
from lessons.model import network
from lessons.model import parameters as params_mod
from lessons.model.engine import params_batch, run, subjects
from lessons.views import summaries
from lessons.views.labels import parameter_label
from lessons.views.style import NOTE_SIZE, PALETTE, SUBTITLE_SIZE, TEMPLATE
from lessons.views.summaries import as_scenario, mid_sentence, model_summary, toggle_labels
from lessons.views.text import DIGITS, join_clauses, num

if TYPE_CHECKING:
    from lessons.model import Scenario

#: How outputs the chart metadata in :mod:`lessons.views.summaries` does not cover are named.
_EXTRA_PHRASES: Mapping[tuple[str, str], str] = {
    ("threat", "CHN"): "China's perceived threat",
    ("threat", "RUS"): "Russia's perceived threat",
    ("threat", "PRK"): "North Korea's perceived threat",
    ("us_pivot", "indo_pacific"): "the U.S. pivot to Asia",
}
_UNITS: Mapping[str, str] = {
    "tension": "index, 2021 = 1",
    "cohesion": "index, 0–1",
    "diplomacy_window": "index, 0–1",
    "credibility": "index, 2021 = 1",
    "crisis_risk": "index, 0–1, not a probability",
    "posture": "index, 2021 = 1",
    "threat": "index, 2021 = 1",
    "us_pivot": "share of U.S. capability",
}


def outcome_phrase(metric: str, subject: str) -> str:
    """A model output in words (``("crisis_risk", "indo_pacific")`` -> ``"Indo-Pacific
    crisis risk"``)."""
    if (metric, subject) in _EXTRA_PHRASES:
        return _EXTRA_PHRASES[(metric, subject)]
    meta = summaries.METRICS.get(metric)
    if meta is not None and subject in meta.subjects:
        return meta.phrase(subject)
    return f"{metric.replace('_', ' ')} ({subject})"


def _unit(metric: str) -> str:
    return _UNITS.get(metric, "index")


def _toggle_list(toggles: str | Iterable[str]) -> tuple[str, ...]:
    out = (toggles,) if isinstance(toggles, str) else tuple(toggles)
    if not out:
        raise ValueError("name at least one toggle")
    return out


def _toggles_phrase(toggles: Sequence[str]) -> str:
    labels = toggle_labels()
    names = [mid_sentence(labels.get(t, t)) for t in toggles]
    if len(names) > 3:  # a switch can carry several links: count what the student flips
        return f"{len(names)} switches ({', '.join(names[:2])} and {len(names) - 2} more)"
    return join_clauses(names)


def deeper_toggles() -> tuple[str, ...]:
    """The toggles the *deeper interlinking* scenario switches on beyond mid-2024, in
    ``data/toggles.csv`` order (Tokyo office, patrols near Taiwan, Korean arms, Seoul in
    containment, AP4 membership)."""
    deeper, mid = model.load_scenario("deeper_interlinking"), model.load_scenario("mid_2024")
    return tuple(t for t in deeper.toggles if deeper.toggles[t] and not mid.toggles[t])


def switched(sc: Scenario | str, toggles: str | Iterable[str], on: bool = True) -> Scenario:
    """``sc`` (a Scenario or name) with ``toggles`` all switched on (or all off)."""
    sc = as_scenario(sc)
    for t in _toggle_list(toggles):
        sc = sc.with_toggle(t, on)
    return sc


# --------------------------------------------------------------------------- tornado

_SENS_COLUMNS = ("parameter", "low_value", "high_value", "outcome_at_low", "outcome_at_high",
                 "swing", "flips_sign", "base_outcome", "flips_verdict")


def tornado_data(sens: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """The bars of a tornado chart: the ``top`` rows of a sensitivity table by swing.

    Parameters
    ----------
    sens : pandas.DataFrame
        The table :func:`lessons.model.sensitivity` returns.
    top : int or None
        How many parameters to keep (largest swing first); ``None`` keeps all.

    Returns
    -------
    pandas.DataFrame
        The same columns, sorted by ``swing`` (largest first, ties in table order), plus
        ``label`` (the parameter in words, marked when it flips the sign of the outcome or
        the stability verdict).
    """
    missing = [c for c in _SENS_COLUMNS if c not in sens.columns]
    if missing:
        raise ValueError(f"not a sensitivity table: missing columns {missing}")
    df = sens.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    if top is not None:
        df = df.head(int(top)).copy()
    marks = np.where(df["flips_sign"] & df["flips_verdict"], " ⇄ sign and verdict",
                     np.where(df["flips_sign"], " ⇄ sign",
                              np.where(df["flips_verdict"], " ⇄ verdict", "")))
    df["label"] = [parameter_label(p) + m for p, m in zip(df["parameter"], marks, strict=True)]
    df.attrs.update(sens.attrs)
    return df


def _sens_outcome(attrs: Mapping[str, Any]) -> str:
    metric, subject = attrs.get("metric", "tension"), attrs.get("subject", "indo_pacific")
    phrase = outcome_phrase(metric, subject)
    toggle = attrs.get("toggle")
    if toggle:
        label = summaries.mid_sentence(toggle_labels().get(toggle, toggle))
        return f"effect of {label} on {phrase}"
    return phrase


def tornado_figure(sens: pd.DataFrame, top: int | None = 10) -> go.Figure:
    """A tornado chart of a one-factor-at-a-time sensitivity table.

    Each parameter gets two horizontal bars starting at the scenario's outcome: to the
    outcome with the parameter at the low end of its range (hatched, blue) and at the high
    end (solid, vermillion), each labelled with the parameter value. The longest bars are at
    the top. Parameters that flip the outcome's sign or the stability verdict are marked in
    their label (⇄), so nothing is told by colour alone.
    """
    df = tornado_data(sens, top)
    base = float(df["base_outcome"].iloc[0]) if len(df) else 0.0
    what = _sens_outcome(df.attrs)
    unit = _unit(df.attrs.get("metric", "tension"))
    labels = list(df["label"])
    traces = []
    for end, colour, pattern, name in (
            ("low", PALETTE["blue"], "/", "parameter at the low end of its range"),
            ("high", PALETTE["vermillion"], "", "parameter at the high end of its range")):
        outcome = df[f"outcome_at_{end}"].to_numpy(dtype=float)
        values = df[f"{end}_value"].to_numpy(dtype=float)
        traces.append(go.Bar(
            name=name, orientation="h", y=labels,
            x=[round(float(v), DIGITS) for v in outcome - base],
            base=[round(base, DIGITS)] * len(df),
            marker={"color": colour, "pattern": {"shape": pattern},
                    "line": {"color": "#222222", "width": 0.5}},
            text=[f"{end} {v:g}" for v in values], textposition="outside",
            cliponaxis=False,
            customdata=[[round(float(o), DIGITS), float(v)] for o, v in
                        zip(outcome, values, strict=True)],
            hovertemplate=("%{y}<br>" + end + " end = %{customdata[1]}<br>outcome = "
                           "%{customdata[0]:.4f}<extra></extra>"),
        ))
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": round(base, DIGITS),
               "x1": round(base, DIGITS), "y0": 0, "y1": 1,
               "line": {"color": PALETTE["black"], "width": 1.5, "dash": "dash"}}]
    annotations = [{"x": round(base, DIGITS), "y": 1.0, "xref": "x", "yref": "paper",
                    "text": f"scenario's value {base:.3f}", "showarrow": False,
                    "xanchor": "left", "yanchor": "bottom", "font": {"size": NOTE_SIZE}}]
    if df.attrs.get("toggle"):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0,
                       "y0": 0, "y1": 1,
                       "line": {"color": PALETTE["bluish_green"], "width": 1.5, "dash": "dot"}})
        annotations.append({"x": 0, "y": 1.0, "xref": "x", "yref": "paper",
                            "text": "no effect (0)", "showarrow": False, "xanchor": "right",
                            "yanchor": "bottom", "font": {"size": NOTE_SIZE}})
    n = len(df)
    fig = go.Figure(data=traces)
    metric, subject = df.attrs.get("metric", "tension"), df.attrs.get("subject", "indo_pacific")
    axis = outcome_phrase(metric, subject)
    axis = (f"Effect on {axis}" if df.attrs.get("toggle") else axis[:1].upper() + axis[1:])
    height = max(360, 140 + 44 * n)
    fig.update_layout(
        template=TEMPLATE, barmode="group", bargap=0.3, bargroupgap=0.05,
        title={"text": f"What moves the {what}? (one factor at a time)", "x": 0.0,
               "xanchor": "left", "font": {"size": SUBTITLE_SIZE}},
        xaxis={"title": {"text": f"{axis}, last year ({unit})"}},
        yaxis={"title": {"text": "assumption (parameter)"}, "autorange": "reversed",
               "categoryorder": "array", "categoryarray": labels},
        height=height, margin={"l": 210, "r": 70, "t": 80, "b": 120},
        # the legend sits below the axis title: 70 px under the plot area, in paper units
        legend={"orientation": "h", "yanchor": "top", "y": -70 / (height - 200), "x": 0.0},
        shapes=shapes, annotations=annotations,
    )
    return fig


@model_summary
def summarise_tornado(sens: pd.DataFrame, top: int = 3) -> str:
    """The tornado chart in words: the ``top`` assumptions by swing, with the outcome at
    each end of their range, and which assumptions flip the sign or the verdict."""
    df = tornado_data(sens, None)
    what = _sens_outcome(df.attrs)
    base = float(df["base_outcome"].iloc[0])
    parts = [f"{parameter_label(r.parameter)}, from {num(r.outcome_at_low, 3)} at "
             f"{r.low_value:g} to {num(r.outcome_at_high, 3)} at {r.high_value:g}"
             for r in df.head(top).itertuples()]
    text = (f"The {what} is {base:.3f} at the scenario's values; the assumptions that move "
            f"it most, one at a time across their ranges, are " + join_clauses(parts) + ".")
    sign = [parameter_label(p) for p in df.loc[df["flips_sign"], "parameter"]]
    verdict = [parameter_label(p) for p in df.loc[df["flips_verdict"], "parameter"]]
    if sign:
        text += " Its sign flips within the range of " + join_clauses(sign) + "."
    else:
        text += " No single assumption flips its sign within its range."
    if verdict:
        text += " The stability verdict flips with " + join_clauses(verdict) + "."
    return text


def top_parameter(sens: pd.DataFrame, among: Iterable[str] | None = None) -> str:
    """The parameter with the largest swing (optionally among ``among`` only)."""
    df = tornado_data(sens, None)
    if among is not None:
        df = df[df["parameter"].isin(list(among))]
    if df.empty:
        raise ValueError("no parameter to choose from")
    return str(df["parameter"].iloc[0])


def _refine_flip(sc: Scenario, name: str, guess: float, grid: np.ndarray, horizon: int,
                 steps: int = 12) -> float:
    """Where the verdict's label changes near ``guess``, by bisection with real runs.

    The long-run eigenvalue jumps at the spiral threshold, so interpolating it on the grid
    lands off the point where the label changes; bisection between the grid points around
    ``guess`` finds it to (grid step) / 2**steps.
    """
    i = int(np.clip(np.searchsorted(grid, guess), 1, len(grid) - 1))
    lo, hi = float(grid[i - 1]), float(grid[i])

    def label(x: float) -> str:
        return model.simulate(sc.with_params(**{name: x}), horizon).verdict.label

    left = label(lo)
    if left == label(hi):
        return guess
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if label(mid) == left else (lo, mid)
    return (lo + hi) / 2


def _crossings(x: np.ndarray, y: np.ndarray) -> list[float]:
    """Where ``y`` (sampled at increasing ``x``) crosses zero, by linear interpolation."""
    s = np.sign(y)
    idx = np.flatnonzero((s[:-1] * s[1:] < 0) | ((s[:-1] != 0) & (s[1:] == 0)))
    x0, x1, y0, y1 = x[idx], x[idx + 1], y[idx], y[idx + 1]
    return [float(v) for v in x0 - y0 * (x1 - x0) / (y1 - y0)]


def flip_points(sc: Scenario | str, parameters: Iterable[str] | None = None,
                metric: str = "crisis_risk",
                subject: str = "indo_pacific", toggle: str | Iterable[str] | None = None,
                grid: int = 41, horizon: int = 20, only_flips: bool = False) -> pd.DataFrame:
    """The values at which an outcome changes sign, or the verdict changes, one parameter at
    a time.

    Each parameter in turn is moved across ``grid`` evenly spaced values of its range, the
    others held at the scenario's values (as in :func:`lessons.model.sensitivity`, but on a
    grid, so the crossing points can be found). All grid points of all parameters run in
    one vectorised batch per link structure.

    Parameters
    ----------
    sc : Scenario or str
    parameters : iterable of str, optional
        Which parameters (default: all, in table order).
    metric, subject : str
        The outcome, in the last year.
    toggle : str or iterable of str, optional
        If given, the outcome is the *effect* of switching these links on (on minus off),
        and the verdict is that of the scenario with them on.
    grid : int
        Grid points per parameter (at least 3).
    horizon : int
    only_flips : bool
        Keep only the parameters with a crossing.

    Returns
    -------
    pandas.DataFrame
        ``parameter, scenario_value, low, high, outcome_at_scenario, outcome_flips_at``
        (the first value where the outcome crosses zero, NaN if none),
        ``verdict_at_scenario`` and ``verdict_flips_at`` (the first value where the largest
        eigenvalue crosses 1, NaN if none). ``attrs`` record the outcome.
    """
    sc = as_scenario(sc)
    names = list(params_mod.names()) if parameters is None else list(parameters)
    ranges = params_mod.ranges()
    bad = [n for n in names if n not in ranges]
    if bad:
        raise model.ModelError(f"unknown parameters {bad}; valid parameters: "
                               f"{', '.join(params_mod.names())}")
    subj = subjects(network.actors())
    if metric not in subj or subject not in subj[metric]:
        raise model.ModelError(f"unknown output {metric!r}/{subject!r}")
    if grid < 3:
        raise ValueError("grid needs at least 3 points")
    col = subj[metric].index(subject)
    g = int(grid)
    D = len(names) * g
    values = {k: np.full(D, float(sc.params[k])) for k in params_mod.names()}
    xs = {}
    for i, k in enumerate(names):
        lo, hi = ranges[k]
        xs[k] = np.linspace(lo, hi, g)
        values[k][i * g:(i + 1) * g] = xs[k]
    P = params_batch(values, D)
    toggles = None if toggle is None else _toggle_list(toggle)
    if toggles is None:
        out = run(network.build_structure(sc.link_set()), P, horizon)
        y = out[metric][:, -1, col]
    else:
        out = run(network.build_structure(switched(sc, toggles, True).link_set()), P, horizon)
        off = run(network.build_structure(switched(sc, toggles, False).link_set()), P, horizon,
                  verdict=False)
        y = out[metric][:, -1, col] - off[metric][:, -1, col]
    eig = out["eigenvalue"]
    # the scenario itself, for the "at scenario" columns
    if toggles is None:
        r_on = model.simulate(sc, horizon)
        y0 = r_on.final(metric, subject)
    else:
        r_on = model.simulate(switched(sc, toggles, True), horizon)
        y0 = r_on.final(metric, subject) - model.simulate(
            switched(sc, toggles, False), horizon).final(metric, subject)
    v0 = r_on.verdict.label
    rows = []
    for i, k in enumerate(names):
        sl = slice(i * g, (i + 1) * g)
        out_x = _crossings(xs[k], y[sl])
        ver_x = [_refine_flip(sc, k, x, xs[k], horizon)
                 for x in _crossings(xs[k], eig[sl] - 1.0)[:1]]
        rows.append({"parameter": k, "scenario_value": float(sc.params[k]),
                     "low": float(ranges[k][0]), "high": float(ranges[k][1]),
                     "outcome_at_scenario": round(float(y0), DIGITS),
                     "outcome_flips_at": round(out_x[0], 4) if out_x else np.nan,
                     "verdict_at_scenario": str(v0),
                     "verdict_flips_at": round(ver_x[0], 4) if ver_x else np.nan})
    df = pd.DataFrame(rows)
    if only_flips:
        df = df[df["outcome_flips_at"].notna() | df["verdict_flips_at"].notna()]
        df = df.reset_index(drop=True)
    df.attrs.update(scenario=sc.name, metric=metric, subject=subject,
                    toggle=None if toggles is None else list(toggles), grid=g)
    return df


@model_summary
def summarise_flips(flips: pd.DataFrame) -> str:
    """The flip points in words: for each parameter with a crossing, at which value the
    outcome changes sign or the verdict changes, and from which side the scenario sits."""
    metric, subject = flips.attrs.get("metric", "?"), flips.attrs.get("subject", "?")
    toggles = flips.attrs.get("toggle")
    what = outcome_phrase(metric, subject)
    if toggles:
        what = f"the effect of {_toggles_phrase(toggles)} on {what}"
    parts = []
    for r in flips.itertuples():
        if not np.isnan(r.outcome_flips_at):
            side = "below" if r.scenario_value < r.outcome_flips_at else "above"
            parts.append(f"{what} changes sign when {parameter_label(r.parameter)} crosses "
                         f"{r.outcome_flips_at:.3g} (the scenario's {r.scenario_value:g} is "
                         f"{side} it)")
        if not np.isnan(r.verdict_flips_at):
            other = "settles" if r.verdict_at_scenario == "spiral" else "spiral"
            parts.append(f"the verdict turns from {r.verdict_at_scenario} to {other} when "
                         f"{parameter_label(r.parameter)} crosses {r.verdict_flips_at:.3g} "
                         f"(scenario: {r.scenario_value:g})")
    if not parts:
        return (f"Moving one assumption at a time across its range, {what} never changes sign "
                "and the verdict never changes.")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
