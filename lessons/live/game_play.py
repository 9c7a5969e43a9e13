"""Lesson 07's game, drawn and put into words: the strategies' names and styles, the
settings' checks, the round-robin tournament and single matches (see
:mod:`lessons.live.game_view`, which gathers every view of the lesson).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons.model import reciprocity
from lessons.views import charts, palette
from lessons.views.text import join_and, percent, rounded

STRATEGIES: tuple[str, ...] = reciprocity.STRATEGIES
#: How each strategy is named in charts and sentences.
LABELS: dict[str, str] = {
    "tit_for_tat": "Tit-for-tat",
    "generous_tit_for_tat": "Generous tit-for-tat",
    "always_confront": "Always confront",
    "always_accommodate": "Always accommodate",
    "grim": "Grim trigger",
    "tit_for_two_tats": "Tit-for-two-tats",
}
#: One line on each strategy (the options of the predict-first question use them).
DESCRIPTIONS: dict[str, str] = {
    "tit_for_tat": "Tit-for-tat: accommodate first, then do what the other side did last",
    "generous_tit_for_tat": "Generous tit-for-tat: like tit-for-tat, but sometimes answer "
                            "a confrontation with accommodation",
    "always_confront": "Always confront",
    "always_accommodate": "Always accommodate",
    "grim": "Grim trigger: accommodate until the other side confronts once, then confront "
            "for ever",
    "tit_for_two_tats": "Tit-for-two-tats: confront only after the other side has "
                        "confronted twice in a row",
}
#: Colour (Okabe–Ito), marker symbol, line dash and bar pattern of each strategy: a
#: strategy is never told apart by colour alone.
STYLE: dict[str, dict[str, str]] = {
    "tit_for_tat": {"color": palette.OKABE_ITO["blue"], "symbol": "circle",
                    "dash": "solid", "pattern": ""},
    "generous_tit_for_tat": {"color": palette.OKABE_ITO["bluish_green"], "symbol": "star",
                             "dash": "dot", "pattern": "."},
    "always_confront": {"color": palette.OKABE_ITO["vermillion"], "symbol": "x",
                        "dash": "dash", "pattern": "x"},
    "always_accommodate": {"color": palette.OKABE_ITO["orange"], "symbol": "triangle-up",
                           "dash": "dashdot", "pattern": "/"},
    "grim": {"color": palette.OKABE_ITO["reddish_purple"], "symbol": "square",
             "dash": "longdash", "pattern": "\\"},
    "tit_for_two_tats": {"color": palette.OKABE_ITO["sky_blue"], "symbol": "diamond",
                         "dash": "longdashdot", "pattern": "+"},
}
#: Generosity used when a lesson does not choose one: the value of the authors' alternative
#: scenario, close to the 1/3 that Nowak and Sigmund (1992) derive for these payoffs.
DEFAULT_GENEROSITY = 0.3
#: Matches played per pairing when averaging (the same seed for every pairing).
MATCHES = 400
#: Ranges the lesson allows (the catalog's, for noise and rounds).
NOISE_RANGE = (0.0, 0.5)
ROUNDS_RANGE = (5, 500)

#: The collection's chart style; these charts colour each strategy themselves.
_TEMPLATE: dict[str, Any] = charts.template_without("colorway", "hoverlabel")
STATIC_NOTE = (
    "*Static view of the game explorer ({what}). In JupyterLab this cell shows live "
    "controls: a strategy for each side, and sliders for misperception (noise) and "
    "generosity, with the charts and their summaries updating as you change them.*"
)


class GameViewError(ValueError):
    """A bad input to a lesson 07 view; the message names it and says what is valid."""


# --------------------------------------------------------------------------- inputs


def _strategy(name: str, role: str = "strategy") -> str:
    if name not in STRATEGIES:
        raise GameViewError(f"unknown {role} {name!r}; valid strategies: "
                            f"{', '.join(STRATEGIES)}")
    return name


def _number(name: str, value: Any, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise GameViewError(f"{name} must be a number from {lo:g} to {hi:g}, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or not lo <= v <= hi:
        raise GameViewError(f"{name} must be a number from {lo:g} to {hi:g}, got {value!r}")
    return v


def _whole(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise GameViewError(f"{name} must be a whole number from {lo} to {hi}, got {value!r}")
    if not lo <= int(value) <= hi:
        raise GameViewError(f"{name} must be a whole number from {lo} to {hi}, got {value!r}")
    return int(value)


def _seed(value: Any) -> int:
    return _whole("seed", value, 0, 2**32 - 1)


def check(noise: Any = 0.05, rounds: Any = 50, generosity: Any = DEFAULT_GENEROSITY,
          seed: Any = 2024, matches: Any = MATCHES) -> tuple[float, int, float, int, int]:
    """Validate the game's settings; return them as ``(noise, rounds, generosity, seed,
    matches)``. Raises :class:`GameViewError` naming the first bad input."""
    return (_number("noise", noise, *NOISE_RANGE), _whole("rounds", rounds, *ROUNDS_RANGE),
            _number("generosity", generosity, 0.0, 1.0), _seed(seed),
            _whole("matches", matches, 1, 20000))


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": _TEMPLATE,
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "margin": {"l": 170, "r": 30, "t": 60, "b": 60},
        "height": 380,
        "showlegend": True,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0},
    }
    layout.update(extra)
    return layout


# --------------------------------------------------------------------------- tournament


@lru_cache(maxsize=256)
def _matrix(noise: float, rounds: int, generosity: float, seed: int, matches: int
            ) -> tuple[tuple[float, ...], ...]:
    M = reciprocity.tournament(noise, rounds, generosity, seed, matches, STRATEGIES)
    return tuple(tuple(float(v) for v in row) for row in M)


def tournament(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
               seed: int = 2024, matches: int = MATCHES) -> pd.DataFrame:
    """The round-robin: mean payoff per round of each strategy (rows) against each (columns).

    Every pairing plays ``matches`` matches of ``rounds`` rounds with the same seed, so the
    strategies face the same misperceptions (common random numbers).
    """
    n, r, g, s, m = check(noise, rounds, generosity, seed, matches)
    return pd.DataFrame(np.array(_matrix(n, r, g, s, m)), index=list(STRATEGIES),
                        columns=list(STRATEGIES))


def scores(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
           seed: int = 2024, matches: int = MATCHES) -> pd.Series:
    """Each strategy's tournament score: its mean payoff per round over all opponents."""
    return tournament(noise, rounds, generosity, seed, matches).mean(axis=1)


def winner(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
           seed: int = 2024, matches: int = MATCHES) -> str:
    """The strategy with the highest tournament score (ties go to the first in
    :data:`STRATEGIES`)."""
    sc = scores(noise, rounds, generosity, seed, matches)
    return str(sc.index[int(np.argmax(sc.to_numpy()))])


def tournament_table(noise: float = 0.05, rounds: int = 50,
                     generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                     matches: int = MATCHES) -> pd.DataFrame:
    """The round-robin as a readable table (rows: the strategy scored; columns: its
    opponent), with each row's average, rounded to two decimals."""
    t = tournament(noise, rounds, generosity, seed, matches)
    t.index = [LABELS[s] for s in t.index]
    t.columns = [f"vs {LABELS[s].lower()}" for s in t.columns]
    t["average"] = t.mean(axis=1)
    return t.round(2)


def tournament_figure(noise: float = 0.05, rounds: int = 50,
                      generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                      matches: int = MATCHES) -> go.Figure:
    """Bars of each strategy's tournament score, in a fixed order, the winner labelled."""
    sc = scores(noise, rounds, generosity, seed, matches)
    best = winner(noise, rounds, generosity, seed, matches)
    order = list(STRATEGIES)[::-1]  # first strategy at the top
    text = [f"{sc[s]:.2f}" + ("  ★ highest" if s == best else "") for s in order]
    trace = {
        "type": "bar", "orientation": "h", "name": "Average payoff per round",
        "x": rounded(sc[s] for s in order), "y": [LABELS[s] for s in order],
        "text": text, "textposition": "outside", "cliponaxis": False,
        "marker": {"color": [STYLE[s]["color"] for s in order],
                   "pattern": {"shape": [STYLE[s]["pattern"] for s in order],
                               "fgcolor": "#222222", "fgopacity": 0.6,
                               "fillmode": "overlay", "solidity": 0.2},
                   "line": {"color": "#222222", "width": 1}},
        "hovertemplate": "%{y}: %{x:.3f} per round<extra></extra>",
        "showlegend": False,
    }
    layout = _layout(
        f"Round-robin tournament: {percent(check(noise)[0])} of moves misperceived",
        xaxis={"title": {"text": "average payoff per round<br>(0 = exploited, 1 = mutual "
                                 "confrontation, 3 = mutual accommodation, 5 = exploiting)"},
               "range": [0, 3.6]},
        yaxis={"title": {"text": ""}},
        margin={"l": 170, "r": 40, "t": 60, "b": 80}, height=360, showlegend=False)
    return go.Figure(data=[trace], layout=layout)


#: The one margin rule of the tournament's sentences: a winner ahead of the runner-up by
#: at least this many payoff points per round is "clearly ahead"; by less, the top is
#: close ("only just ahead", "the differences at the top are small"). It is a twentieth of
#: the 0–5 payoff scale, as :data:`lessons.views.labels.LITTLE_CHANGE` is of an index: a
#: gap of 0.06 between two strategies is no clear lead.
CLEAR_LEAD = (reciprocity.T - reciprocity.S) / 20
#: Scores closer than this are the same at the three decimals a reader can check: a tie.
TIE = 0.0005


def lead_words(gap: float) -> str:
    """How a sentence names a winner's lead of ``gap`` payoff points over the runner-up.

    Every tournament sentence uses it (with :data:`CLEAR_LEAD` and :data:`TIE`), so the
    summary and the predict-first answer cannot disagree about how close the top is.

    >>> lead_words(0.0), lead_words(0.06), lead_words(0.3)
    ('tied with', 'only just ahead of', 'clearly ahead of')
    """
    if gap < TIE:
        return "tied with"
    return "only just ahead of" if gap < CLEAR_LEAD else "clearly ahead of"


def summarise_tournament(noise: float = 0.05, rounds: int = 50,
                         generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                         matches: int = MATCHES) -> str:
    """The tournament chart in words: the winner, the runner-up, the margin, the last."""
    sc = scores(noise, rounds, generosity, seed, matches).sort_values(ascending=False,
                                                                      kind="stable")
    best, second, last = sc.index[0], sc.index[1], sc.index[-1]
    margin = lead_words(sc.iloc[0] - sc.iloc[1])
    return (f"With {percent(check(noise)[0])} of moves misperceived, {LABELS[best].lower()} "
            f"earns the most ({sc.iloc[0]:.2f} per round), {margin} "
            f"{LABELS[second].lower()} ({sc.iloc[1]:.2f}); {LABELS[last].lower()} earns "
            f"the least ({sc.iloc[-1]:.2f}).")


def _opponent_words(key: str) -> str:
    """How an opponent is named after "against" (the pushover is named as such)."""
    return ("the pushover, " if key == "always_accommodate" else "") + LABELS[key].lower()


def deciding_opponents(noise: float = 0.05, rounds: int = 50,
                       generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                       matches: int = MATCHES) -> str:
    """Which opponents decide the order of the top two, computed from the round-robin.

    The leader's score minus the runner-up's is the mean over opponents of what each earns
    against the same opponent, with self-play paired with self-play ("against itself") and
    their own match paired crosswise ("in their own match"). An opponent *decides* the
    order for a strategy when that strategy gains there more than the leader's mean lead;
    the sentence names those opponents for each of the two, with both payoffs.
    """
    sc = scores(noise, rounds, generosity, seed, matches).sort_values(ascending=False,
                                                                      kind="stable")
    a, b = str(sc.index[0]), str(sc.index[1])
    t = tournament(noise, rounds, generosity, seed, matches)
    slots = {"against itself": (t.loc[a, a], t.loc[b, b]),
             "in their own match": (t.loc[a, b], t.loc[b, a])}
    slots.update({f"against {_opponent_words(o)}": (t.loc[a, o], t.loc[b, o])
                  for o in STRATEGIES if o not in (a, b)})
    lead = sum(x - y for x, y in slots.values()) / len(slots)
    step = max(abs(lead), TIE)

    def named(sign: int) -> str:
        chosen = sorted(((sign * (x - y), where, x, y) for where, (x, y) in slots.items()
                         if sign * (x - y) > step), reverse=True)
        return join_and([f"{where} ({x:.2f} against {y:.2f})" if sign > 0 else
                         f"{where} ({y:.2f} against {x:.2f})" for _d, where, x, y in chosen])

    ahead = named(+1)
    text = (f"{LABELS[a]} is ahead of {LABELS[b].lower()} because of how each fares {ahead}"
            if ahead else
            f"{LABELS[a]} and {LABELS[b].lower()} earn almost the same")
    behind = named(-1)
    if behind:
        text += f"; {LABELS[b].lower()} does better {behind}"
    return text + "."


def explain_winner(noise: float = 0.05, rounds: int = 50,
                   generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                   matches: int = MATCHES) -> str:
    """The predict-first answer in words, with every strategy's score and the opponents
    that decide the order at the top (:func:`deciding_opponents`)."""
    sc = scores(noise, rounds, generosity, seed, matches).sort_values(ascending=False,
                                                                      kind="stable")
    listing = "; ".join(f"{LABELS[s].lower()} {v:.2f}" for s, v in sc.items())
    n, r, g, _s, m = check(noise, rounds, generosity, seed, matches)
    gap = float(sc.iloc[0] - sc.iloc[1])
    top = ("The differences at the top are small" if gap < CLEAR_LEAD else
           f"{LABELS[sc.index[0]]} leads clearly, by {gap:.2f} a round")
    return (f"{m} matches of {r} rounds for every pairing, {percent(n)} of moves misperceived, "
            f"generosity {g:.2f}. Average payoff per round: {listing}. {top}. "
            + deciding_opponents(n, r, g, _s, m))


#: Counts spelled out at the start of a sentence (the predict-first question).
_NUMBER_WORDS: dict[int, str] = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six",
                                 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten"}


def predict(noise: float = 0.05, rounds: int = 50, seed: int = 2024,
            generosity: float = DEFAULT_GENEROSITY, matches: int = MATCHES):
    """The lesson's predict-first control (a :class:`lessons.live.predict.Predict`): which
    strategy earns the most in the round-robin with this much misperception?"""
    from lessons.live.predict import Predict

    n, r, g, s, m = check(noise, rounds, generosity, seed, matches)
    count = _NUMBER_WORDS.get(len(STRATEGIES), str(len(STRATEGIES)))
    question = (f"{count} strategies meet in a round-robin: each plays {r}-round matches "
                f"against every strategy, itself included, and {percent(n)} of moves are "
                "misperceived (an accommodation is read as a confrontation, or the "
                "reverse). Which strategy earns the most per round on average?")
    return Predict(
        question, {k: DESCRIPTIONS[k] for k in STRATEGIES},
        outcome=lambda: winner(n, r, g, s, m),
        explain=lambda _key: explain_winner(n, r, g, s, m))


# --------------------------------------------------------------------------- one match


def intent(strategy: str, mine: np.ndarray, theirs: np.ndarray,
           generosity: float = DEFAULT_GENEROSITY) -> np.ndarray:
    """Probability that ``strategy`` *means* to accommodate in each round, given the moves
    actually made before it (``mine``, ``theirs``: bool arrays, True = accommodate)."""
    _strategy(strategy)
    mine = np.asarray(mine, dtype=bool)
    theirs = np.asarray(theirs, dtype=bool)
    prev = np.concatenate([[True], theirs[:-1]])  # everyone opens as if after accommodation
    if strategy == "always_confront":
        return np.zeros(len(mine))
    if strategy == "always_accommodate":
        return np.ones(len(mine))
    if strategy == "tit_for_tat":
        return prev.astype(float)
    if strategy == "generous_tit_for_tat":
        return np.where(prev, 1.0, float(generosity))
    # grim: accommodate until the other side has confronted once
    confronted = np.concatenate([[False], np.cumsum(~theirs)[:-1] > 0])
    return (~confronted).astype(float)


def slips(strategy: str, mine: np.ndarray, theirs: np.ndarray,
          generosity: float = DEFAULT_GENEROSITY) -> np.ndarray:
    """Rounds in which a move contradicts its own strategy's rule — a misperception made
    visible (a confrontation the rule could not have chosen, or the reverse)."""
    p = intent(strategy, mine, theirs, generosity)
    mine = np.asarray(mine, dtype=bool)
    return (mine & (p == 0)) | (~mine & (p == 1))


@dataclass(frozen=True)
class Match:
    """One match between the coalition (A) and China (B), with what it shows."""

    coalition: str
    china: str
    moves_a: np.ndarray
    moves_b: np.ndarray
    slips_a: np.ndarray
    slips_b: np.ndarray

    @property
    def rounds(self) -> int:
        return int(self.moves_a.size)

    @property
    def mutual(self) -> np.ndarray:
        """Rounds of mutual accommodation."""
        return self.moves_a & self.moves_b

    @property
    def slip_rounds(self) -> list[int]:
        """Rounds (1-based) with a misperception on either side."""
        return [int(i) + 1 for i in np.flatnonzero(self.slips_a | self.slips_b)]

    @property
    def longest_breakdown(self) -> int:
        """The longest run of rounds without mutual accommodation."""
        best = run = 0
        for ok in self.mutual:
            run = 0 if ok else run + 1
            best = max(best, run)
        return best

    @property
    def payoffs(self) -> tuple[float, float]:
        """Mean payoff per round of the coalition and of China."""
        a, b = self.moves_a, self.moves_b
        pa = np.where(a, np.where(b, reciprocity.R, reciprocity.S),
                      np.where(b, reciprocity.T, reciprocity.P))
        pb = np.where(b, np.where(a, reciprocity.R, reciprocity.S),
                      np.where(a, reciprocity.T, reciprocity.P))
        return float(pa.mean()), float(pb.mean())


def match(coalition: str = "tit_for_tat", china: str = "tit_for_tat", noise: float = 0.05,
          rounds: int = 50, generosity: float = DEFAULT_GENEROSITY, seed: int = 2024) -> Match:
    """Play one match (seeded); the same seed gives the same misperception draws whatever
    the strategies, so two matches with one seed differ only in how the sides respond."""
    _strategy(coalition, "coalition strategy")
    _strategy(china, "China strategy")
    n, r, g, s, _m = check(noise, rounds, generosity, seed)
    res = reciprocity.play(coalition, china, rounds=r, matches=1, noise=n, generosity=g,
                           seed=s)
    a, b = res.moves_a[0].copy(), res.moves_b[0].copy()
    return Match(coalition, china, a, b, slips(coalition, a, b, g), slips(china, b, a, g))


def mutual_share(coalition: str, china: str, noise: float = 0.05, rounds: int = 50,
                 generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                 matches: int = MATCHES) -> float:
    """Share of rounds of mutual accommodation over many matches."""
    _strategy(coalition, "coalition strategy")
    _strategy(china, "China strategy")
    n, r, g, s, m = check(noise, rounds, generosity, seed, matches)
    return _mutual(coalition, china, n, r, g, s, m)


@lru_cache(maxsize=512)
def _mutual(a: str, b: str, n: float, r: int, g: float, s: int, m: int) -> float:
    return reciprocity.play(a, b, rounds=r, matches=m, noise=n, generosity=g,
                            seed=s).mutual_accommodation


def _pairs(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if not pairs:
        raise GameViewError("pairs must name at least one (coalition, China) pair of "
                            f"strategies; valid strategies: {', '.join(STRATEGIES)}")
    out = []
    for pair in pairs:
        if len(pair) != 2:
            raise GameViewError(f"each pair must be (coalition strategy, China strategy), "
                                f"got {pair!r}")
        out.append((_strategy(pair[0], "coalition strategy"),
                    _strategy(pair[1], "China strategy")))
    return out


def match_figure(pairs: Sequence[tuple[str, str]] = (("tit_for_tat", "tit_for_tat"),),
                 noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
                 seed: int = 2024, title: str | None = None) -> go.Figure:
    """Single matches drawn move by move: one row per side, one pair of rows per match.

    Three traces whatever the pairs (so a live chart is updated in place): accommodation
    (blue circles), confrontation (vermillion crosses), and misperceptions (large open
    black rings around the move that went wrong).
    """
    pairs = _pairs(pairs)
    xs: dict[str, list] = {"acc": [], "con": [], "slip": []}
    ys: dict[str, list] = {"acc": [], "con": [], "slip": []}
    hover: dict[str, list] = {"acc": [], "con": [], "slip": []}
    tickvals, ticktext = [], []
    k = len(pairs)
    for i, (a, b) in enumerate(pairs):
        m = match(a, b, noise, rounds, generosity, seed)
        y_a, y_b = 2 * (k - 1 - i) + 1.0, 2 * (k - 1 - i) + 0.0
        tickvals += [y_a, y_b]
        ticktext += [f"Coalition: {LABELS[a].lower()}", f"China: {LABELS[b].lower()}"]
        for who, y, moves, sl in (("Coalition", y_a, m.moves_a, m.slips_a),
                                  ("China", y_b, m.moves_b, m.slips_b)):
            for t, (acc, slip) in enumerate(zip(moves, sl, strict=True), 1):
                key = "acc" if acc else "con"
                xs[key].append(t)
                ys[key].append(y)
                word = "accommodates" if acc else "confronts"
                hover[key].append(f"Round {t}: {who} {word}")
                if slip:
                    xs["slip"].append(t)
                    ys["slip"].append(y)
                    hover["slip"].append(f"Round {t}: {who}'s move was misperceived "
                                         f"(it {word}, against its own rule)")
    marker = {
        "acc": {"symbol": "circle", "color": palette.FRIENDLY, "size": 9},
        "con": {"symbol": "x", "color": palette.HOSTILE, "size": 10},
        "slip": {"symbol": "circle-open", "color": palette.NEUTRAL, "size": 18,
                 "line": {"width": 2}},
    }
    names = {"acc": "Accommodates", "con": "Confronts",
             "slip": "Misperception (move against its own rule)"}
    traces = [{"type": "scatter", "mode": "markers", "name": names[key], "x": xs[key],
               "y": ys[key], "marker": marker[key], "hovertext": hover[key],
               "hoverinfo": "text"} for key in ("acc", "con", "slip")]
    n = check(noise)[0]
    layout = _layout(
        title or f"One match, round by round ({percent(n)} of moves misperceived)",
        xaxis={"title": {"text": "round"}, "range": [0.3, int(rounds) + 0.7]},
        yaxis={"title": {"text": ""}, "tickvals": tickvals, "ticktext": ticktext,
               "range": [-0.6, 2 * k - 0.4], "showgrid": False},
        height=190 + 70 * k, margin={"l": 210, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25 - 0.1 / k, "x": 0.0})
    return go.Figure(data=traces, layout=layout)


def _describe_match(m: Match) -> str:
    rounds = m.slip_rounds
    if rounds:
        where = ", ".join(str(r) for r in rounds[:4]) + (", …" if len(rounds) > 4 else "")
        slips_text = (f"{len(rounds)} misperception{'s' * (len(rounds) != 1)} "
                      f"(round{'s' * (len(rounds) != 1)} {where})")
    else:
        slips_text = "no misperception"
    return (f"{LABELS[m.coalition].lower()} against {LABELS[m.china].lower()}: "
            f"{slips_text}; mutual accommodation in {int(m.mutual.sum())} of {m.rounds} "
            f"rounds, the longest stretch without it {m.longest_breakdown} round"
            f"{'s' * (m.longest_breakdown != 1)}")


def summarise_match(pairs: Sequence[tuple[str, str]] = (("tit_for_tat", "tit_for_tat"),),
                    noise: float = 0.05, rounds: int = 50,
                    generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                    matches: int = MATCHES) -> str:
    """The match chart in words, with the long-run average over many matches."""
    pairs = _pairs(pairs)
    parts = [_describe_match(match(a, b, noise, rounds, generosity, seed)) for a, b in pairs]
    avg = [f"{percent(mutual_share(a, b, noise, rounds, generosity, seed, matches))} "
           f"({LABELS[a].lower()} against {LABELS[b].lower()})" for a, b in pairs]
    text = "In this match, " if len(pairs) == 1 else "In these matches (same draws), "
    return (text + "; ".join(parts) + ". Over "
            f"{check(noise, rounds, generosity, seed, matches)[4]} matches like "
            f"{'it' if len(pairs) == 1 else 'them'}, mutual accommodation averages "
            + join_and(avg) + ".")


#: The echo comparison: a strict and a generous coalition against a reciprocating China.
ECHO_PAIRS: tuple[tuple[str, str], ...] = (("tit_for_tat", "tit_for_tat"),
                                           ("generous_tit_for_tat", "tit_for_tat"))


def echo_figure(noise: float = 0.05, rounds: int = 50, generosity: float = DEFAULT_GENEROSITY,
                seed: int = 2024) -> go.Figure:
    """A strict and a generous coalition against a tit-for-tat China, with the same
    misperception draws: the echo of retaliation, and how generosity ends it."""
    return match_figure(ECHO_PAIRS, noise, rounds, generosity, seed,
                        title="The echo: strict and generous coalitions against a "
                              "reciprocating China")


def summarise_echo(noise: float = 0.05, rounds: int = 50,
                   generosity: float = DEFAULT_GENEROSITY, seed: int = 2024,
                   matches: int = MATCHES) -> str:
    """The echo chart in words: rounds of mutual accommodation lost, strict vs generous."""
    _n, _r, g, _s, m = check(noise, rounds, generosity, seed, matches)
    strict = match(*ECHO_PAIRS[0], noise, rounds, generosity, seed)
    gen = match(*ECHO_PAIRS[1], noise, rounds, generosity, seed)
    m_strict = mutual_share(*ECHO_PAIRS[0], noise, rounds, generosity, seed, matches)
    m_gen = mutual_share(*ECHO_PAIRS[1], noise, rounds, generosity, seed, matches)
    r = strict.rounds
    head = (f"Strict tit-for-tat against tit-for-tat loses mutual accommodation in "
            f"{r - int(strict.mutual.sum())} of {r} rounds (longest echo "
            f"{strict.longest_breakdown} rounds); with generosity {g:.2f} "
            f"the coalition loses {r - int(gen.mutual.sum())} (longest "
            f"{gen.longest_breakdown}).")
    if not strict.slip_rounds and not gen.slip_rounds:
        head = (f"No move was misperceived in these {r} rounds, so both pairs accommodate "
                "throughout: without noise there is no echo to end.")
    return (head + f" Over {m} matches, mutual accommodation "
            f"averages {percent(m_strict)} (strict) against {percent(m_gen)} (generous).")
