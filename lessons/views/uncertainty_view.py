"""Uncertainty views for the capstone (lesson 09): how robust is the authors' argument?

Four questions a student asks of a model before trusting what it says, each answered by a
pure function that returns a table or a figure, and a twin that says the same in one or two
sentences (the chart's alt text):

* **Which assumption moves the result most, and which values flip it?** One-factor-at-a-
  time sensitivity (ten Broeke et al. 2016) from :func:`lessons.model.sensitivity`, drawn as
  a tornado chart (:func:`tornado_figure`, :func:`summarise_tornado`); the values at which
  an effect changes sign or the stability verdict changes, found on a grid
  (:func:`flip_points`, :func:`summarise_flips`).
* **How uncertain is the path?** Seeded Monte Carlo over every parameter's plausible range
  (:func:`lessons.model.monte_carlo`), drawn as a fan chart: the median and the 50% and 90%
  bands over the years (:func:`fan_runs`, :func:`fan_quantiles`, :func:`fan_figure`,
  :func:`summarise_fan`).
* **In how many of those worlds does a link make things worse?** The share of draws in
  which switching links on raises an output, measured draw by draw with common random
  numbers (:func:`effect_share`, :func:`effect_shares`, :func:`summarise_shares`).
* **Which of the authors' predictions survive a change of world?** Every modelled claim of
  the registry (``data/claims.csv``) checked as a direction of change in two worlds — the
  authors' (``mid_2024``, high θ) and the deterrence model's (``deterrence_world``, low θ)
  (:data:`CLAIM_CHECKS`, :func:`claims_survival`, :func:`summarise_survival`,
  :func:`unchecked_claims`).

Two helpers serve the "build, save and render your own scenario" part of the lesson:
:func:`describe_scenario` and :func:`render_check` (whether ``lessons render`` accepts a
value for a lesson's ``scenario`` parameter).

Everything is an **illustration of an argument, not a forecast**: the numbers are indices
under teaching assumptions, and the point is which conclusions change when the assumptions
do. All model runs are vectorised over draws or grid points (one batch per structure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons.views import summaries
from lessons.views.charts import DIGITS, PALETTE, SERIES_COLORS, TEMPLATE
from lessons.views.summaries import model_summary

__all__ = [
    "CLAIM_CHECKS",
    "FAN_PROBS",
    "NOT_SIMULATED",
    "SMALL",
    "WORLDS",
    "Change",
    "ClaimCheck",
    "check_scenarios",
    "claims_survival",
    "deeper_toggles",
    "describe_scenario",
    "effect_share",
    "effect_shares",
    "fan_figure",
    "fan_quantiles",
    "fan_runs",
    "flip_points",
    "outcome_phrase",
    "parameter_label",
    "render_check",
    "summarise_fan",
    "summarise_flips",
    "summarise_shares",
    "summarise_survival",
    "summarise_tornado",
    "switched",
    "top_parameter",
    "tornado_data",
    "tornado_figure",
    "unchecked_claims",
]

#: Quantiles of a fan chart: the 90% band, the 50% band and the median.
FAN_PROBS: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
#: The two worlds the capstone compares: the authors' (high θ) and the deterrence model's.
WORLDS: Mapping[str, str] = {"authors' world": "mid_2024",
                             "deterrence world": "deterrence_world"}
#: Changes smaller than this count as "no change" (the same threshold as lesson 04's table).
NO_CHANGE = summaries.NO_CHANGE
#: A claim that a change is *small* holds when the change is below this (index points).
SMALL = 0.05

#: Short labels for the model's parameters (``data/parameters.csv`` names).
PARAMETER_LABELS: Mapping[str, str] = {
    "theta": "θ motive mix",
    "nationalism": "nationalism weight",
    "euro_interest": "Europe's stake in Asia",
    "reaction": "reaction to threat",
    "fatigue": "fatigue (cost of arms)",
    "grievance": "new grievance",
    "greed": "greed",
    "deterrence_sensitivity": "deterrence sensitivity",
    "distance_discount": "distance discount",
    "encirclement": "encirclement weight",
    "capability_exponent": "capability exponent",
    "cohesion_gain": "cohesion gain",
    "cohesion_decay": "cohesion speed",
    "balance_pressure": "balance pressure",
    "us_pivot": "U.S. pivot (start)",
    "burden_shift": "burden shifting",
    "euro_home_effort": "Europe's effort at home",
    "deployment_share": "deployment share",
    "reciprocity_noise": "misperception noise",
    "generosity": "U.S. generosity",
    "reciprocity_weight": "reciprocity weight",
    "crisis_scale": "crisis scale",
    "window_base": "diplomacy window (base)",
    "window_sensitivity": "window sensitivity",
    "patron_leverage": "patrons' leverage",
}

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


def _model():
    from lessons import model

    return model


def _scenario(sc: Any) -> Any:
    return _model().load_scenario(sc) if isinstance(sc, str) else sc


def _num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


def _signed(x: float, digits: int = 3) -> str:
    return f"{x:+.{digits}f}"


def parameter_label(name: str) -> str:
    """A short readable label for a model parameter (``"theta"`` -> ``"θ motive mix"``)."""
    return PARAMETER_LABELS.get(name, name.replace("_", " "))


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


@cache
def _toggle_labels() -> dict[str, str]:
    t = _model().list_toggles()
    return dict(zip(t["id"].astype(str), t["label"].astype(str), strict=True))


def _toggle_list(toggles: str | Iterable[str]) -> tuple[str, ...]:
    out = (toggles,) if isinstance(toggles, str) else tuple(toggles)
    if not out:
        raise ValueError("name at least one toggle")
    return out


def _toggles_phrase(toggles: Sequence[str]) -> str:
    labels = _toggle_labels()
    names = [labels.get(t, t) for t in toggles]
    if len(names) > 3:
        return f"{len(names)} links ({', '.join(names[:2])} and {len(names) - 2} more)"
    return summaries.join(names)


def deeper_toggles() -> tuple[str, ...]:
    """The toggles the *deeper interlinking* scenario switches on beyond mid-2024, in
    ``data/toggles.csv`` order (Tokyo office, patrols near Taiwan, Korean arms, Seoul in
    containment, AP4 membership)."""
    model = _model()
    deeper, mid = model.load_scenario("deeper_interlinking"), model.load_scenario("mid_2024")
    return tuple(t for t in deeper.toggles if deeper.toggles[t] and not mid.toggles[t])


def switched(sc: Any, toggles: str | Iterable[str], on: bool = True) -> Any:
    """``sc`` (a Scenario or name) with ``toggles`` all switched on (or all off)."""
    sc = _scenario(sc)
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
        label = summaries.mid_sentence(_toggle_labels().get(toggle, toggle))
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
                    "xanchor": "left", "yanchor": "bottom", "font": {"size": 11}}]
    if df.attrs.get("toggle"):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0,
                       "y0": 0, "y1": 1,
                       "line": {"color": PALETTE["bluish_green"], "width": 1.5, "dash": "dot"}})
        annotations.append({"x": 0, "y": 1.0, "xref": "x", "yref": "paper",
                            "text": "no effect (0)", "showarrow": False, "xanchor": "right",
                            "yanchor": "bottom", "font": {"size": 11}})
    n = len(df)
    fig = go.Figure(data=traces)
    metric, subject = df.attrs.get("metric", "tension"), df.attrs.get("subject", "indo_pacific")
    axis = outcome_phrase(metric, subject)
    axis = (f"Effect on {axis}" if df.attrs.get("toggle") else axis[:1].upper() + axis[1:])
    height = max(360, 140 + 44 * n)
    fig.update_layout(
        template=TEMPLATE, barmode="group", bargap=0.3, bargroupgap=0.05,
        title={"text": f"What moves the {what}? (one factor at a time)", "x": 0.0,
               "xanchor": "left", "font": {"size": 15}},
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
    parts = [f"{parameter_label(r.parameter)}, from {_num(r.outcome_at_low, 3)} at "
             f"{r.low_value:g} to {_num(r.outcome_at_high, 3)} at {r.high_value:g}"
             for r in df.head(top).itertuples()]
    text = (f"The {what} is {base:.3f} at the scenario's values; the assumptions that move "
            f"it most, one at a time across their ranges, are " + summaries.join(parts) + ".")
    sign = [parameter_label(p) for p in df.loc[df["flips_sign"], "parameter"]]
    verdict = [parameter_label(p) for p in df.loc[df["flips_verdict"], "parameter"]]
    if sign:
        text += " Its sign flips within the range of " + summaries.join(sign) + "."
    else:
        text += " No single assumption flips its sign within its range."
    if verdict:
        text += " The stability verdict flips with " + summaries.join(verdict) + "."
    return text


def top_parameter(sens: pd.DataFrame, among: Iterable[str] | None = None) -> str:
    """The parameter with the largest swing (optionally among ``among`` only)."""
    df = tornado_data(sens, None)
    if among is not None:
        df = df[df["parameter"].isin(list(among))]
    if df.empty:
        raise ValueError("no parameter to choose from")
    return str(df["parameter"].iloc[0])


def _refine_flip(sc: Any, name: str, guess: float, grid: np.ndarray, horizon: int,
                 steps: int = 12) -> float:
    """Where the verdict's label changes near ``guess``, by bisection with real runs.

    The long-run eigenvalue jumps at the spiral threshold, so interpolating it on the grid
    lands off the point where the label changes; bisection between the grid points around
    ``guess`` finds it to (grid step) / 2**steps.
    """
    model = _model()
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


def flip_points(sc: Any, parameters: Iterable[str] | None = None, metric: str = "crisis_risk",
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
    from lessons.model import network
    from lessons.model import parameters as params_mod
    from lessons.model.engine import params_batch, run, subjects

    model = _model()
    sc = _scenario(sc)
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


# --------------------------------------------------------------------------- fan chart


def fan_runs(scenarios: Sequence[Any] | Mapping[str, Any], metric: str = "crisis_risk",
             draws: int = 500, seed: int | None = 2024, horizon: int = 20
             ) -> dict[str, pd.DataFrame]:
    """Monte Carlo draws of one metric for several scenarios, with the same seed.

    Returns ``{label: tidy frame}`` with the columns of
    ``lessons.model.monte_carlo(..., summary=False)`` (``draw, year, metric, subject,
    value``). A sequence of names is labelled with the scenarios' readable names; a mapping
    gives its own labels.
    """
    from lessons.views.labels import scenario_label

    items = (list(scenarios.items()) if isinstance(scenarios, Mapping)
             else [(scenario_label(s), s) for s in scenarios])
    model = _model()
    return {label: model.monte_carlo(_scenario(s), draws=draws, seed=seed, horizon=horizon,
                                     summary=False, metrics=[metric])
            for label, s in items}


def fan_quantiles(frame: pd.DataFrame, metric: str = "crisis_risk",
                  subject: str = "indo_pacific", probs: Sequence[float] = FAN_PROBS
                  ) -> pd.DataFrame:
    """Quantiles of one output across draws, per year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Monte Carlo draws in tidy form (``draw, year, metric, subject, value``).
    metric, subject : str
    probs : sequence of float
        Quantile levels (numpy's default linear method).

    Returns
    -------
    pandas.DataFrame
        ``year`` and one column per level, ``q05``, ``q25``, ``q50``…
    """
    sub = frame[(frame["metric"] == metric) & (frame["subject"] == subject)]
    if sub.empty:
        raise ValueError(f"no draws of {metric}/{subject} in the frame")
    sub = sub.sort_values(["year", "draw"], kind="stable")
    years = np.unique(sub["year"].to_numpy())
    n_draws = sub["draw"].nunique()
    if len(sub) != len(years) * n_draws:
        raise ValueError("every year needs one value per draw")
    values = sub["value"].to_numpy(dtype=float).reshape(len(years), n_draws)
    q = np.quantile(values, list(probs), axis=1)
    out = pd.DataFrame({"year": years.astype(int)})
    for p, row in zip(probs, q, strict=True):
        out[f"q{round(p * 100):02d}"] = row
    out.attrs.update(draws=int(n_draws), metric=metric, subject=subject)
    return out


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


_DASHES = ("solid", "dash", "dot", "dashdot")
_SYMBOLS = ("circle", "square", "diamond", "triangle-up")


def fan_figure(frames: Mapping[str, pd.DataFrame], metric: str = "crisis_risk",
               subject: str = "indo_pacific") -> go.Figure:
    """A fan chart per scenario: the median path (a line with its own dash and marker) and
    the 50% and 90% bands of the Monte Carlo draws (shaded, darker for 50%)."""
    what = outcome_phrase(metric, subject)
    traces: list[go.Scatter] = []
    for i, (label, frame) in enumerate(frames.items()):
        q = fan_quantiles(frame, metric, subject)
        colour = SERIES_COLORS[i % len(SERIES_COLORS)]
        x = [int(v) for v in q["year"]]

        def col(name: str, q: pd.DataFrame = q) -> list[float]:
            return [round(float(v), DIGITS) for v in q[name]]

        dash = _DASHES[i % len(_DASHES)]
        for lo, hi, alpha, band in (("q05", "q95", 0.12, "90%"), ("q25", "q75", 0.3, "50%")):
            # band edges: thin lines in the scenario's colour and dash (not colour alone)
            edge = {"width": 0.8 if band == "90%" else 0, "color": colour, "dash": dash}
            traces.append(go.Scatter(x=x, y=col(hi), mode="lines", line=edge,
                                     legendgroup=label, showlegend=False, hoverinfo="skip",
                                     name=f"{label}: {band} band (upper)"))
            traces.append(go.Scatter(
                x=x, y=col(lo), mode="lines", line=edge, fill="tonexty",
                fillcolor=_rgba(colour, alpha), legendgroup=label,
                name=f"{label}: middle {band} of draws",
                hovertemplate=(f"{label}, {band} band<br>model year %{{x}}: "
                               "from %{{y:.3f}}<extra></extra>")))
        traces.append(go.Scatter(
            x=x, y=col("q50"), mode="lines+markers", legendgroup=label,
            name=f"{label}: median",
            line={"color": colour, "width": 2.5, "dash": dash},
            marker={"symbol": _SYMBOLS[i % len(_SYMBOLS)], "size": 6, "color": colour},
            hovertemplate=f"{label}, median<br>model year %{{x}}: %{{y:.3f}}<extra></extra>"))
    draws = next(iter(frames.values()))["draw"].nunique() if frames else 0
    fig = go.Figure(data=traces)
    fig.update_layout(
        template=TEMPLATE,
        title={"text": f"{what[:1].upper() + what[1:]}: median and the middle 50% and 90% of "
                       f"{draws} Monte Carlo draws", "x": 0.0, "xanchor": "left",
               "font": {"size": 15}},
        xaxis={"title": {"text": "model year"}},
        yaxis={"title": {"text": f"{what[:1].upper() + what[1:]} ({_unit(metric)})"}},
        height=500, margin={"l": 70, "r": 20, "t": 60, "b": 150},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0},
        hovermode="closest",
    )
    return fig


@model_summary
def summarise_fan(frames: Mapping[str, pd.DataFrame], metric: str = "crisis_risk",
                  subject: str = "indo_pacific") -> str:
    """The fan chart in words: per scenario, the median in the first and last year and the
    90% band in the last year; whether the last-year 90% bands overlap."""
    what = outcome_phrase(metric, subject)
    parts, bands = [], []
    last = None
    for label, frame in frames.items():
        q = fan_quantiles(frame, metric, subject)
        last = int(q["year"].iloc[-1])
        first = int(q["year"].iloc[0])
        parts.append(f"for “{label}” the median goes from {_num(q['q50'].iloc[0])} in model "
                     f"year {first} to "
                     f"{_num(q['q50'].iloc[-1])} in model year {last}, with 90% of draws between "
                     f"{_num(q['q05'].iloc[-1])} and {_num(q['q95'].iloc[-1])}")
        bands.append((float(q["q05"].iloc[-1]), float(q["q95"].iloc[-1])))
    text = f"{what[:1].upper() + what[1:]}: " + summaries.join(parts) + "."
    if len(bands) > 1:
        overlap = max(b[0] for b in bands) <= min(b[1] for b in bands)
        text += (f" In model year {last} the 90% bands overlap: the bands alone cannot show "
                 "whether the scenarios differ draw by draw (compare the draws in pairs)."
                 if overlap else
                 f" In model year {last} the 90% bands do not overlap: the difference between the "
                 "scenarios is larger than the spread of the assumptions.")
    return text


# --------------------------------------------------------------------------- toggle shares


def _final_draws(sc: Any, metric: str, subject: str, draws: int, seed: int | None,
                 horizon: int) -> np.ndarray:
    frame = _model().monte_carlo(sc, draws=draws, seed=seed, horizon=horizon, summary=False,
                                 metrics=[metric])
    last = frame["year"].max()
    sub = frame[(frame["year"] == last) & (frame["subject"] == subject)]
    if sub.empty:
        raise _model().ModelError(f"unknown subject {subject!r} for metric {metric!r}")
    return sub.sort_values("draw")["value"].to_numpy(dtype=float)


def _share_row(eff: np.ndarray) -> dict[str, float]:
    q = np.quantile(eff, (0.05, 0.5, 0.95))
    return {"share_raises": float((eff > NO_CHANGE).mean()),
            "share_lowers": float((eff < -NO_CHANGE).mean()),
            "median_effect": float(q[1]), "q05": float(q[0]), "q95": float(q[2]),
            "draws": int(eff.size)}


def effect_share(scenario: Any, toggles: str | Iterable[str], metric: str = "crisis_risk",
                 subject: str = "indo_pacific", draws: int = 500, seed: int | None = 2024,
                 horizon: int = 20) -> dict[str, float]:
    """In what share of Monte Carlo draws does switching ``toggles`` on raise an output?

    The scenario is run with the toggles off and on, with the same seed, so both runs use
    the same parameter draws (common random numbers) and the effect is measured draw by
    draw: on minus off, in the last year.

    Returns
    -------
    dict
        ``share_raises`` and ``share_lowers`` (changes beyond ±0.0005), ``median_effect``,
        ``q05``, ``q95`` (of the effect) and ``draws``.
    """
    sc = _scenario(scenario)
    ts = _toggle_list(toggles)
    off = _final_draws(switched(sc, ts, False), metric, subject, draws, seed, horizon)
    on = _final_draws(switched(sc, ts, True), metric, subject, draws, seed, horizon)
    return _share_row(on - off)


def effect_shares(scenario: Any, changes: Mapping[str, str | Iterable[str]],
                  metric: str = "crisis_risk", subject: str = "indo_pacific",
                  draws: int = 500, seed: int | None = 2024, horizon: int = 20
                  ) -> pd.DataFrame:
    """:func:`effect_share` for several sets of links, one row each (``change`` is the
    label), sorted as given. ``attrs`` record the scenario and the outcome."""
    sc = _scenario(scenario)
    rows = []
    for label, toggles in changes.items():
        row = effect_share(sc, toggles, metric, subject, draws, seed, horizon)
        rows.append({"change": label, **{k: (round(v, 4) if isinstance(v, float) else v)
                                         for k, v in row.items()}})
    df = pd.DataFrame(rows)
    df.attrs.update(scenario=sc.name, metric=metric, subject=subject, seed=seed)
    return df


@model_summary
def summarise_shares(shares: pd.DataFrame) -> str:
    """The shares in words: for each set of links, in how many draws it raises the output,
    and the median effect with its 90% range."""
    what = outcome_phrase(shares.attrs.get("metric", "crisis_risk"),
                          shares.attrs.get("subject", "indo_pacific"))
    parts = [f"“{r.change}” raises {what} in {r.share_raises:.0%} of {r.draws} draws and "
             f"lowers it in {r.share_lowers:.0%} (median effect {_signed(r.median_effect)}, "
             f"90% of effects between {_signed(r.q05)} and {_signed(r.q95)})"
             for r in shares.itertuples()]
    from lessons.views.labels import scenario_label

    where = scenario_label(shares.attrs.get("scenario", ""))
    return f"Switched on in the scenario “{where}”, " + summaries.join(parts) + "."


# --------------------------------------------------------------------------- claims survival


@dataclass(frozen=True)
class Change:
    """How a run differs from its world: toggles switched on and off, parameters set, or
    the links and explicit parameters of a named scenario (``like``; θ is never copied,
    since θ is what defines the world)."""

    on: tuple[str, ...] = ()
    off: tuple[str, ...] = ()
    params: tuple[tuple[str, float], ...] = ()
    like: str | None = None

    def apply(self, world: Any) -> Any:
        """The world with this change made."""
        sc = _scenario(world)
        if self.like is not None:
            other = _model().load_scenario(self.like)
            for t, v in other.toggles.items():
                sc = sc.with_toggle(t, bool(v))
            copied = {k: float(other.params[k]) for k in sorted(other.overrides) if k != "theta"}
            if copied:
                sc = sc.with_params(**copied)
        if self.off:
            sc = switched(sc, self.off, False)
        if self.on:
            sc = switched(sc, self.on, True)
        if self.params:
            sc = sc.with_params(**dict(self.params))
        return sc


@dataclass(frozen=True)
class ClaimCheck:
    """One directional check of a registry claim: ``metric``/``subject`` in the last year
    of the ``after`` run minus the ``before`` run, both made from the same world.

    ``expect`` is what the claim's author predicts: ``"rise"``, ``"fall"`` or ``"small"``
    (a change below :data:`SMALL` in absolute value).
    """

    claim: str
    checked_as: str
    metric: str
    subject: str
    expect: str
    before: Change
    after: Change


_IN_2024 = ("ap4_summits", "nato_itpp", "euro_deployments", "kor_shells_indirect",
            "jpn_aid_ukraine")
_INTERLINKING = (*_IN_2024, "nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
                 "kor_china_containment", "ap4_membership")
_DEEPER = ("nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
           "kor_china_containment", "ap4_membership")
_NATO_ASIA = ("nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership")
_NATO_FORCES = ("nato_tokyo_office", "euro_taiwan_patrols")
_SEOUL = ("kor_arms_direct", "kor_china_containment")


def _onoff(toggles: tuple[str, ...]) -> tuple[Change, Change]:
    return Change(off=toggles), Change(on=toggles)


#: The directional checks, one per claim and output, for every modelled claim of
#: ``data/claims.csv`` that a comparison of two model runs can test.
CLAIM_CHECKS: tuple[ClaimCheck, ...] = (
    ClaimCheck("C03", "the mid-2024 interlinking links raise Indo-Pacific tension",
               "tension", "indo_pacific", "rise", Change(off=_INTERLINKING), Change(on=_IN_2024)),
    ClaimCheck("C26", "deeper interlinking deters: China's posture falls",
               "posture", "CHN", "fall", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises China's posture",
               "posture", "CHN", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises Russia's posture",
               "posture", "RUS", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises North Korea's posture",
               "posture", "PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises Russia–North Korea cohesion",
               "cohesion", "RUS-PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises China–North Korea cohesion",
               "cohesion", "CHN-PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C29", "NATO–AP4 ties (summits, partnerships) raise China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(("ap4_summits", "nato_itpp"))),
    ClaimCheck("C31", "more NATO in Asia (Tokyo office, Taiwan patrols, AP4 membership) "
               "raises China's perceived threat", "threat", "CHN", "rise", *_onoff(_NATO_ASIA)),
    ClaimCheck("C32", "more NATO in Asia raises China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(_NATO_ASIA)),
    ClaimCheck("C34", "NATO's own presence (Tokyo office, Taiwan patrols) adds little credible "
               "deterrence in Asia", "credibility", "indo_pacific", "small",
               *_onoff(_NATO_FORCES)),
    ClaimCheck("C37", "European patrols near Taiwan provoke more than they deter: Indo-Pacific "
               "crisis risk rises", "crisis_risk", "indo_pacific", "rise",
               *_onoff(("euro_taiwan_patrols",))),
    ClaimCheck("C38", "European ships and aircraft in Asia add little credible deterrence",
               "credibility", "indo_pacific", "small", *_onoff(("euro_deployments",))),
    ClaimCheck("C39", "European patrols near Taiwan push China to arm more",
               "posture", "CHN", "rise", *_onoff(("euro_taiwan_patrols",))),
    ClaimCheck("C41", "U.S. generosity (0 → 0.3) lowers Indo-Pacific tension",
               "tension", "indo_pacific", "fall", Change(params=(("generosity", 0.0),)),
               Change(params=(("generosity", 0.3),))),
    ClaimCheck("C44", "Seoul arming Ukraine and joining containment raises Russia–North Korea "
               "cohesion", "cohesion", "RUS-PRK", "rise", *_onoff(_SEOUL)),
    ClaimCheck("C44", "Seoul arming Ukraine and joining containment raises China–North Korea "
               "cohesion", "cohesion", "CHN-PRK", "rise", *_onoff(_SEOUL)),
    ClaimCheck("C45", "Seoul arming Ukraine and joining containment narrows the diplomacy "
               "window", "diplomacy_window", "korea", "fall", *_onoff(_SEOUL)),
    ClaimCheck("C50", "Europe's effort at home (0 → 0.05) frees U.S. capacity for Asia",
               "us_pivot", "indo_pacific", "rise", Change(params=(("euro_home_effort", 0.0),)),
               Change(params=(("euro_home_effort", 0.05),))),
    ClaimCheck("C52", "the authors' alternative ends with lower Indo-Pacific tension than "
               "mid-2024", "tension", "indo_pacific", "fall", Change(like="mid_2024"),
               Change(like="authors_alternative")),
    ClaimCheck("C52", "the authors' alternative ends with lower China–Russia cohesion than "
               "mid-2024", "cohesion", "CHN-RUS", "fall", Change(like="mid_2024"),
               Change(like="authors_alternative")),
)

#: Modelled claims that are not a comparison of two runs, and why.
NOT_SIMULATED: Mapping[str, str] = {
    "C40": "an assumption of the reciprocity game (China plays tit-for-tat with probability θ); "
           "lesson 07 plays the game",
    "C43": "built into the diplomacy-window formula (lessons.model.korea.belligerence): more "
           "patron leverage, less belligerence; comparing runs across leverage values is "
           "confounded, because every index is re-measured against 2021 under the same leverage",
}


def check_scenarios(check: ClaimCheck, world: Any) -> tuple[Any, Any]:
    """The two scenarios a check compares in ``world``: ``(before, after)``."""
    w = _scenario(world)
    return check.before.apply(w), check.after.apply(w)


def _word(expect: str, change: float) -> str:
    if expect == "small":
        return "holds" if abs(change) < SMALL else "fails"
    sign = 1 if expect == "rise" else -1
    if abs(change) <= NO_CHANGE:
        return "no change"
    return "holds" if sign * change > 0 else "reverses"


@cache
def _claims_registry() -> pd.DataFrame:
    from lessons import data

    return data.load("claims").set_index("id")


def claims_survival(worlds: Mapping[str, Any] | None = None, horizon: int = 20,
                    checks: Sequence[ClaimCheck] = CLAIM_CHECKS) -> pd.DataFrame:
    """Which of the registry's modelled claims survive in each world?

    Every check is run in every world: its ``before`` and ``after`` scenarios are built from
    the world (keeping the world's θ), simulated, and the change in the last year compared
    with what the claim's author expects.

    Parameters
    ----------
    worlds : mapping of label -> Scenario or name
        Default :data:`WORLDS` (the authors' world and the deterrence world).
    horizon : int
    checks : sequence of ClaimCheck

    Returns
    -------
    pandas.DataFrame
        One row per check: ``claim``, ``¶``, ``who``, ``type`` (from ``data/claims.csv``),
        ``checked as``, ``expects``; per world ``<label>: change`` and ``<label>``
        (``holds``, ``reverses``, ``no change``, or for "small" claims ``holds``/``fails``);
        and ``across worlds`` (``survives`` or what happens where).
    """
    worlds = dict(WORLDS if worlds is None else worlds)
    model = _model()
    reg = _claims_registry()
    runs: dict[Any, Any] = {}

    def final(sc: Any, metric: str, subject: str) -> float:
        res = runs.get(sc)
        if res is None:
            res = runs[sc] = model.simulate(sc, horizon)
        return res.final(metric, subject)

    rows = []
    for check in checks:
        if check.claim not in reg.index:
            raise ValueError(f"claim {check.claim} is not in data/claims.csv")
        meta = reg.loc[check.claim]
        row: dict[str, Any] = {"claim": check.claim, "¶": int(meta["paragraph"]),
                               "who": str(meta["who"]), "type": str(meta["type"]),
                               "checked as": check.checked_as, "expects": check.expect}
        fates = []
        for label, world in worlds.items():
            before, after = check_scenarios(check, world)
            change = final(after, check.metric, check.subject) - final(
                before, check.metric, check.subject)
            word = _word(check.expect, change)
            row[f"{label}: change"] = round(change, 4)
            row[label] = word
            if word != "holds":
                fates.append(f"{word} in the {label}")
        row["across worlds"] = "survives" if not fates else "; ".join(fates)
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs.update(worlds=list(worlds), horizon=horizon)
    return df


@model_summary
def summarise_survival(table: pd.DataFrame) -> str:
    """The survival table in words: how many checks hold in every world, and which claims
    reverse, vanish or fail in which world."""
    worlds = table.attrs.get("worlds") or [c for c in table.columns
                                          if f"{c}: change" in table.columns]
    n = len(table)
    held = int((table["across worlds"] == "survives").sum())
    text = (f"Of {n} checks of {table['claim'].nunique()} modelled claims, {held} hold in "
            f"every world.")
    verbs = {"reverses": ("reverses", "reverse"),
             "no change": ("shows no change", "show no change"), "fails": ("fails", "fail")}
    for w in worlds:
        parts = []
        for word, verb in verbs.items():
            hit = table[table[w] == word]
            if not hit.empty:
                items = ", ".join(f"{c} ({what})" for c, what in
                                  zip(hit["claim"], hit["checked as"], strict=True))
                parts.append(f"{len(hit)} {verb[0] if len(hit) == 1 else verb[1]}: {items}")
        text += f" In the {w}, " + ("; ".join(parts) if parts else "every check holds") + "."
    return text


def unchecked_claims() -> pd.DataFrame:
    """Modelled claims of the registry with no two-run check here, and why."""
    reg = _claims_registry()
    modelled = reg[reg["status"] == "modelled"]
    checked = {c.claim for c in CLAIM_CHECKS}
    rows = [{"claim": cid, "¶": int(r["paragraph"]), "who": str(r["who"]),
             "mechanism": str(r["mechanism"]),
             "why not here": NOT_SIMULATED.get(cid, "no check written yet")}
            for cid, r in modelled.iterrows() if cid not in checked]
    return pd.DataFrame(rows, columns=["claim", "¶", "who", "mechanism", "why not here"])


# --------------------------------------------------------------------------- own scenarios


def describe_scenario(sc: Any, base: Any = None) -> str:
    """A scenario in words: its name and structure year, which switches differ from
    ``base`` (a scenario or name; without one, how many switches are on), and the
    parameters it sets explicitly."""
    sc = _scenario(sc)
    labels = _toggle_labels()
    text = f"Scenario “{sc.name}” (structure {sc.structure})"
    if base is not None:
        b = _scenario(base)
        on = [labels.get(t, t) for t in sc.toggles if sc.toggles[t] and not b.toggles[t]]
        off = [labels.get(t, t) for t in sc.toggles if not sc.toggles[t] and b.toggles[t]]
        text += f": compared with {b.name}, "
        text += summaries.join([s for s in (
            ("switched on: " + ", ".join(on)) if on else "",
            ("switched off: " + ", ".join(off)) if off else "") if s]) or "the same links"
    else:
        n_on = sum(bool(v) for v in sc.toggles.values())
        text += f": {n_on} of {len(sc.toggles)} switches on"
    if sc.overrides:
        text += "; parameters set: " + ", ".join(
            f"{parameter_label(k)} = {sc.params[k]:g}" for k in sorted(sc.overrides))
    else:
        text += "; every parameter at its default"
    return text + "."


def render_check(lesson_id: str, scenario: str | Path) -> str:
    """Would ``lessons render --lesson ID --scenario VALUE`` accept ``scenario``?

    ``scenario`` is a scenario name or the path to a scenario file (validated by the
    catalog exactly as the renderer does, before any kernel starts). Returns a sentence with
    the command, or the first line of the catalog's error. Files are named by their file
    name only, so no machine-specific path reaches a lesson's output.
    """
    from lessons.sources.catalog import CatalogError, load_catalog

    lesson = load_catalog().get(lesson_id)
    shown = Path(scenario).name if isinstance(scenario, Path) or "/" in str(scenario) else scenario
    try:
        lesson.check_parameters({"scenario": str(scenario)}, _model().load_scenario)
    except CatalogError as exc:
        reason = str(exc).splitlines()[0].replace(str(scenario), shown)
        return f"Not accepted: {reason}."
    return f"Accepted: lessons render --lesson {lesson.id} --scenario {shown}"
