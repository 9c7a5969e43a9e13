"""Lesson 07's game over generations: Axelrod's ecological tournament, the noise sweep and
the coalition's payoff against a China of uncertain type (see
:mod:`lessons.live.game_view`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons.live.game_play import (
    DEFAULT_GENEROSITY,
    LABELS,
    MATCHES,
    STRATEGIES,
    STYLE,
    GameViewError,
    _layout,
    _number,
    _whole,
    check,
    tournament,
)
from lessons.model import reciprocity
from lessons.views.text import DIGITS, join_and, percent, rounded

# --------------------------------------------------------------------------- evolution


def evolution(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
              seed: int = 2024, generations: int = 60, matches: int = MATCHES) -> pd.DataFrame:
    """Axelrod's ecological tournament: shares of each strategy over generations.

    Discrete replicator dynamics on the round-robin payoffs: a strategy's share next
    generation is its share times its average payoff against the current population,
    divided by the population's average payoff. Starts from equal shares. Columns are
    the strategies, rows the generations ``0..generations``.
    """
    gens = _whole("generations", generations, 1, 1000)
    M = tournament(noise, rounds, generosity, seed, matches).to_numpy()
    return pd.DataFrame(reciprocity.replicator(M, gens),
                        columns=list(STRATEGIES)).rename_axis("generation")


def evolution_figure(noise: float = 0.05, rounds: int = 50,
                     generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                     generations: int = 60, matches: int = MATCHES) -> go.Figure:
    """The ecological tournament: one line per strategy, each with its own dash and
    marker symbol."""
    ev = evolution(noise, rounds, generosity, seed, generations, matches)
    gens = [int(g) for g in ev.index]
    traces = [{
        "type": "scatter", "mode": "lines+markers", "name": LABELS[s],
        "x": gens, "y": rounded(ev[s]),
        "line": {"color": STYLE[s]["color"], "dash": STYLE[s]["dash"], "width": 2.5},
        "marker": {"symbol": STYLE[s]["symbol"], "size": 7, "color": STYLE[s]["color"],
                   "maxdisplayed": 12},
        "hovertemplate": f"{LABELS[s]}: %{{y:.0%}} in generation %{{x}}<extra></extra>",
    } for s in STRATEGIES]
    layout = _layout(
        f"Ecological tournament: who prospers over generations ({percent(check(noise)[0])} "
        "misperceived)",
        xaxis={"title": {"text": "generation"}},
        yaxis={"title": {"text": "share of the population (0–1)"}, "range": [0, 1]},
        margin={"l": 70, "r": 30, "t": 60, "b": 60}, height=400,
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0})
    return go.Figure(data=traces, layout=layout)


def summarise_evolution(noise: float = 0.05, rounds: int = 50,
                        generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                        generations: int = 60, matches: int = MATCHES) -> str:
    """The ecological tournament in words: who leads at the end, who fell first."""
    ev = evolution(noise, rounds, generosity, seed, generations, matches)
    end = ev.iloc[-1].sort_values(ascending=False, kind="stable")
    low = ev.lt(0.05)
    gone = [(int(low[s].to_numpy().argmax()), s) for s in STRATEGIES if low[s].any()]
    gone.sort()
    text = (f"After {len(ev) - 1} generations {LABELS[end.index[0]].lower()} makes up "
            f"{percent(end.iloc[0])} of the population, followed by "
            f"{LABELS[end.index[1]].lower()} ({percent(end.iloc[1])}).")
    if gone:
        order = join_and([f"{LABELS[s].lower()} (generation {g})" for g, s in gone])
        text += f" Shares fall below 5% in this order: {order}."
    return text


# --------------------------------------------------------------------------- noise sweep

#: Words for the noise levels of the sweep.
SWEEP_WORDS: dict[float, str] = {0.0: "no", 0.05: "a little", 0.25: "much"}


@lru_cache(maxsize=32)
def _sweep(rounds: int, generosity: float, seed: int, matches: int, generations: int
           ) -> tuple[dict, ...]:
    return tuple(reciprocity.noise_sweep(reciprocity.SWEEP_NOISE, rounds, generosity, seed,
                                         matches, generations, STRATEGIES))


def noise_sweep(rounds: int = 50, generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                matches: int = MATCHES, generations: int = 300) -> pd.DataFrame:
    """Final population shares after the ecological tournament at no, little and much
    misperception (:func:`lessons.model.reciprocity.noise_sweep`): one row per noise
    level, one column per strategy, plus ``winner`` and ``leaders``."""
    _, r, g, s, m = check(0.0, rounds, generosity, seed, matches)
    gens = _whole("generations", generations, 1, 1000)
    rows = _sweep(r, g, s, m, gens)
    df = pd.DataFrame([row["shares"] for row in rows], index=[row["noise"] for row in rows])
    df["winner"] = [row["winner"] for row in rows]
    df["leaders"] = [row["leaders"] for row in rows]
    return df.rename_axis("noise")


def noise_sweep_figure(rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
                       seed: int = 2024, matches: int = MATCHES,
                       generations: int = 300) -> go.Figure:
    """Grouped bars: each strategy's final share of the population at each noise level
    (each strategy with its own colour and bar pattern)."""
    df = noise_sweep(rounds, generosity, seed, matches, generations)
    cats = [f"{SWEEP_WORDS.get(n, percent(n))} noise ({percent(n)})" for n in df.index]
    traces = [{
        "type": "bar", "name": LABELS[s], "x": cats, "y": rounded(df[s]),
        "marker": {"color": STYLE[s]["color"], "pattern": {"shape": STYLE[s]["pattern"]}},
        "hovertemplate": f"{LABELS[s]}: %{{y:.0%}} of the population at %{{x}}<extra></extra>",
    } for s in STRATEGIES]
    layout = _layout(
        f"Who the population converges to, by misperception ({generations} generations)",
        barmode="group", xaxis={"title": {"text": "misperception (noise per move)"}},
        yaxis={"title": {"text": "final share of the population (0–1)"}, "range": [0, 1]},
        margin={"l": 70, "r": 30, "t": 60, "b": 60}, height=420,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0.0})
    return go.Figure(data=traces, layout=layout)


def summarise_noise_sweep(rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
                          seed: int = 2024, matches: int = MATCHES,
                          generations: int = 300) -> str:
    """The sweep in words: which strategy (or which tied group) the population converges
    to at each noise level, computed from the same numbers as the figure."""
    df = noise_sweep(rounds, generosity, seed, matches, generations)
    parts = []
    for n, row in df.iterrows():
        names = join_and([LABELS[s].lower() for s in row["leaders"]])
        verb = "share the lead" if len(row["leaders"]) > 1 else "wins"
        parts.append(f"with {SWEEP_WORDS.get(n, percent(n))} misperception ({percent(n)}) "
                     f"{names} {verb} ({percent(row[row['winner']])} of the population)")
    text = "After the ecological tournament, " + "; ".join(parts) + "."
    winners = {row["winner"] for _, row in df.iterrows()}
    if len(winners) > 1:
        text += " Which strategy prospers depends on how noisy the world is."
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------- types (θ)


def against_types(noise: float = 0.05, rounds: int = 50,
                  generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                  matches: int = MATCHES) -> pd.DataFrame:
    """The coalition's mean payoff per round for each of its strategies against the two
    types of China: a reciprocator (tit-for-tat, the authors' reading of ¶17) and a
    greedy confronter (always confront, the deterrence model's adversary)."""
    t = tournament(noise, rounds, generosity, seed, matches)
    return pd.DataFrame({"reciprocator": t["tit_for_tat"], "greedy": t["always_confront"]})


THETA_GRID = tuple(round(x, 2) for x in np.linspace(0, 1, 21))


def theta_marks(scenario: str = "mid_2024") -> dict[str, float]:
    """Where to mark θ on :func:`types_figure`: the named scenario's motive mix and the
    deterrence-model world's (both read from the model's scenario files)."""
    from lessons import model

    try:
        sc = model.load_scenario(scenario)
    except model.ModelError as exc:
        raise GameViewError(str(exc)) from None
    det = float(model.load_scenario("deterrence_world").params["theta"])
    own = float(sc.params["theta"])
    from lessons.views.labels import scenario_phrase

    if scenario == "deterrence_world" or abs(own - det) < 1e-9:
        return {"deterrence-model world": det}
    name = scenario if scenario in model.list_scenarios() else (sc.name or "your")
    return {f"{scenario_phrase(name)} scenario": own, "deterrence-model world": det}


def expected_payoff(theta: float, noise: float = 0.05, rounds: int = 50,
                    generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                    matches: int = MATCHES) -> pd.Series:
    """Each coalition strategy's expected payoff when China is a reciprocator with
    probability ``theta`` and greedy otherwise."""
    th = _number("theta", theta, 0.0, 1.0)
    t = against_types(noise, rounds, generosity, seed, matches)
    return th * t["reciprocator"] + (1 - th) * t["greedy"]


def regret(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
           seed: int = 2024, matches: int = MATCHES) -> pd.Series:
    """Each strategy's largest shortfall from the best strategy over all θ in [0, 1]
    (attained at θ = 0 or θ = 1, since the payoffs are linear in θ)."""
    t = against_types(noise, rounds, generosity, seed, matches)
    return pd.concat([t["reciprocator"].max() - t["reciprocator"],
                      t["greedy"].max() - t["greedy"]], axis=1).max(axis=1)


def types_figure(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
                 seed: int = 2024, marks: Mapping[str, float] | None = None,
                 matches: int = MATCHES) -> go.Figure:
    """The coalition's expected payoff per round against a China of uncertain type, as θ
    (the chance that China reciprocates) runs from 0 to 1; ``marks`` draws labelled
    vertical lines at given θ (e.g. the authors' and the deterrence world's)."""
    t = against_types(noise, rounds, generosity, seed, matches)
    grid = list(THETA_GRID)
    traces = [{
        "type": "scatter", "mode": "lines+markers", "name": LABELS[s], "x": grid,
        "y": rounded(th * t.loc[s, "reciprocator"] + (1 - th) * t.loc[s, "greedy"]
                     for th in grid),
        "line": {"color": STYLE[s]["color"], "dash": STYLE[s]["dash"], "width": 2.5},
        "marker": {"symbol": STYLE[s]["symbol"], "size": 7, "color": STYLE[s]["color"],
                   "maxdisplayed": 6},
        "hovertemplate": f"{LABELS[s]}: %{{y:.2f}} per round at θ = %{{x:.2f}}<extra></extra>",
    } for s in STRATEGIES]
    shapes, notes = [], []
    for i, (label, th) in enumerate((marks or {}).items()):
        x = round(float(_number(f"mark {label!r}", th, 0.0, 1.0)), DIGITS)
        shapes.append({"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#444444", "dash": "dot", "width": 1.5}})
        notes.append({"x": x, "y": 1.0 - 0.08 * i, "yref": "paper",
                      "text": f"{label} (θ = {x:.2f})",
                      "showarrow": False, "xanchor": "left" if x < 0.6 else "right",
                      "bgcolor": "white",
                      "font": {"size": 12}})
    layout = _layout(
        "The coalition's payoff against a China of uncertain type",
        xaxis={"title": {"text": "θ: chance that China reciprocates (0 = greedy, "
                                 "1 = reciprocator)"}, "range": [-0.02, 1.02]},
        yaxis={"title": {"text": "coalition's payoff per round (0–5)"},
               "range": [0, 3.3]},
        margin={"l": 70, "r": 30, "t": 60, "b": 60}, height=430, shapes=shapes,
        annotations=notes, legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return go.Figure(data=traces, layout=layout)


def summarise_types(noise: float = 0.05, rounds: int = 50,
                    generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                    marks: Mapping[str, float] | None = None, matches: int = MATCHES) -> str:
    """The types chart in words: the best strategy at each mark and at the ends, and the
    strategy whose worst shortfall is smallest."""
    t = against_types(noise, rounds, generosity, seed, matches)
    best_r, best_g = t["reciprocator"].idxmax(), t["greedy"].idxmax()
    parts = [f"Against a sure reciprocator (θ = 1) {LABELS[best_r].lower()} earns most "
             f"({t.loc[best_r, 'reciprocator']:.2f}); against a sure confronter (θ = 0) "
             f"{LABELS[best_g].lower()} does ({t.loc[best_g, 'greedy']:.2f}), while always "
             f"accommodating earns only {t.loc['always_accommodate', 'greedy']:.2f}."]
    for label, th in (marks or {}).items():
        e = expected_payoff(th, noise, rounds, generosity, seed, matches)
        parts.append(f"At θ = {float(th):.2f} ({label}) the best is "
                     f"{LABELS[e.idxmax()].lower()} ({e.max():.2f}).")
    rg = regret(noise, rounds, generosity, seed, matches)
    safe = rg.idxmin()
    parts.append(f"The strategy that is never far from the best, whatever θ, is "
                 f"{LABELS[safe].lower()} (at most {rg[safe]:.2f} below it).")
    return " ".join(parts)
