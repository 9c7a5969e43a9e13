"""Monte Carlo views for the capstone (lesson 09): how uncertain is the path, and in how
many worlds does a link make things worse?

Seeded Monte Carlo over every parameter's plausible range (:func:`lessons.model.monte_carlo`),
drawn as a fan chart: the median and the 50% and 90% bands over the years
(:func:`fan_runs`, :func:`fan_quantiles`, :func:`fan_figure`, :func:`summarise_fan`); and
the share of draws in which switching links on raises an output, measured draw by draw
with common random numbers (:func:`effect_share`, :func:`effect_shares`,
:func:`summarise_shares`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons import model
from lessons.views.labels import scenario_label
from lessons.views.sensitivity_view import (
    _toggle_list,
    _unit,
    outcome_phrase,
    switched,
)
from lessons.views.style import SERIES_COLORS, SUBTITLE_SIZE, TEMPLATE, rgba
from lessons.views.summaries import NO_CHANGE, as_scenario, mid_sentence, model_summary
from lessons.views.text import DIGITS, join_clauses, num, signed

if TYPE_CHECKING:
    from lessons.model import Scenario

#: Quantiles of a fan chart: the 90% band, the 50% band and the median.
FAN_PROBS: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)

# --------------------------------------------------------------------------- fan chart


def fan_runs(scenarios: Sequence[Scenario | str] | Mapping[str, Scenario | str],
             metric: str = "crisis_risk",
             draws: int = 500, seed: int | None = 2024, horizon: int = 20
             ) -> dict[str, pd.DataFrame]:
    """Monte Carlo draws of one metric for several scenarios, with the same seed.

    Returns ``{label: tidy frame}`` with the columns of
    ``lessons.model.monte_carlo(..., summary=False)`` (``draw, year, metric, subject,
    value``). A sequence of names is labelled with the scenarios' readable names; a mapping
    gives its own labels.
    """
    items = (list(scenarios.items()) if isinstance(scenarios, Mapping)
             else [(scenario_label(s), s) for s in scenarios])
    return {label: model.monte_carlo(as_scenario(s), draws=draws, seed=seed, horizon=horizon,
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
                fillcolor=rgba(colour, alpha), legendgroup=label,
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
               "font": {"size": SUBTITLE_SIZE}},
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
        parts.append(f"for “{label}” the median goes from {num(q['q50'].iloc[0])} in model "
                     f"year {first} to "
                     f"{num(q['q50'].iloc[-1])} in model year {last}, with 90% of draws between "
                     f"{num(q['q05'].iloc[-1])} and {num(q['q95'].iloc[-1])}")
        bands.append((float(q["q05"].iloc[-1]), float(q["q95"].iloc[-1])))
    text = f"{what[:1].upper() + what[1:]}: " + join_clauses(parts) + "."
    if len(bands) > 1:
        overlap = max(b[0] for b in bands) <= min(b[1] for b in bands)
        text += (f" In model year {last} the 90% bands overlap: the bands alone cannot show "
                 "whether the scenarios differ draw by draw (compare the draws in pairs)."
                 if overlap else
                 f" In model year {last} the 90% bands do not overlap: the difference between the "
                 "scenarios is larger than the spread of the assumptions.")
    return text


# --------------------------------------------------------------------------- toggle shares


def _final_draws(sc: Scenario, metric: str, subject: str, draws: int, seed: int | None,
                 horizon: int) -> np.ndarray:
    frame = model.monte_carlo(sc, draws=draws, seed=seed, horizon=horizon, summary=False,
                                 metrics=[metric])
    last = frame["year"].max()
    sub = frame[(frame["year"] == last) & (frame["subject"] == subject)]
    if sub.empty:
        raise model.ModelError(f"unknown subject {subject!r} for metric {metric!r}")
    return sub.sort_values("draw")["value"].to_numpy(dtype=float)


def _share_row(eff: np.ndarray) -> dict[str, float]:
    q = np.quantile(eff, (0.05, 0.5, 0.95))
    return {"share_raises": float((eff > NO_CHANGE).mean()),
            "share_lowers": float((eff < -NO_CHANGE).mean()),
            "median_effect": float(q[1]), "q05": float(q[0]), "q95": float(q[2]),
            "draws": int(eff.size)}


def effect_share(scenario: Scenario | str, toggles: str | Iterable[str],
                 metric: str = "crisis_risk",
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
    sc = as_scenario(scenario)
    ts = _toggle_list(toggles)
    off = _final_draws(switched(sc, ts, False), metric, subject, draws, seed, horizon)
    on = _final_draws(switched(sc, ts, True), metric, subject, draws, seed, horizon)
    return _share_row(on - off)


def effect_shares(scenario: Scenario | str, changes: Mapping[str, str | Iterable[str]],
                  metric: str = "crisis_risk", subject: str = "indo_pacific",
                  draws: int = 500, seed: int | None = 2024, horizon: int = 20
                  ) -> pd.DataFrame:
    """:func:`effect_share` for several sets of links, one row each (``change`` is the
    label), sorted as given. ``attrs`` record the scenario and the outcome."""
    sc = as_scenario(scenario)
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
    parts = [f"“{mid_sentence(r.change)}” raises {what} in {r.share_raises:.0%} of {r.draws} "
             "draws and "
             f"lowers it in {r.share_lowers:.0%} (median effect {signed(r.median_effect)}, "
             f"90% of effects between {signed(r.q05)} and {signed(r.q95)})"
             for r in shares.itertuples()]
    where = scenario_label(shares.attrs.get("scenario", ""))
    return f"Switched on in the scenario “{where}”, " + join_clauses(parts) + "."
