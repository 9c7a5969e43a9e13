"""Reciprocity: an iterated game between "the coalition" (the U.S. side) and China (¶17, ¶21).

Each round both sides either **accommodate** (cooperate) or **confront** (defect), with the
prisoner's-dilemma payoffs of Axelrod (1984): mutual accommodation 3 each, mutual
confrontation 1 each, a confronter facing an accommodator 5 against 0. Misperception is
noise: each move comes out (or is read) as its opposite with probability ``noise``.

The article's claim (¶17) is that China "meet[s] relative accommodation with relative
accommodation and confrontation with confrontation" — tit-for-tat. Under noise two
strict reciprocators fall into echo spirals of confrontation; a generous response (Nowak
and Sigmund 1992) ends them, which is the authors' "diplomatic search for mutual
accommodation".

Why not the Axelrod library: version 4.14 requires torch and takes about 9 s to import,
too heavy for a lesson that must start in seconds; the five strategies needed are a few
lines each, implemented here vectorised over many matches with numpy and tested against
the game theory (and against the exact Markov-chain results below).

Strategies
----------
``tit_for_tat``, ``generous_tit_for_tat`` (answers confrontation with accommodation with
probability ``generosity``), ``always_confront``, ``always_accommodate``, ``grim``
(accommodates until the other side has confronted once, then confronts for ever).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.model.errors import ModelError, choices

STRATEGIES: tuple[str, ...] = ("tit_for_tat", "generous_tit_for_tat", "always_confront",
                               "always_accommodate", "grim")
#: Payoffs (Axelrod 1984): reward, sucker, temptation, punishment.
R, S, T, P = 3.0, 0.0, 5.0, 1.0
#: Memory-one strategies: probability of accommodating after (my last, their last) =
#: (C, C), (C, D), (D, C), (D, D) — ``g`` stands for the generosity — and on the first move.
_MEMORY_ONE = {
    "tit_for_tat": ((1, 0, 1, 0), 1),
    "generous_tit_for_tat": ((1, "g", 1, "g"), 1),
    "always_confront": ((0, 0, 0, 0), 0),
    "always_accommodate": ((1, 1, 1, 1), 1),
}


def _check(strategy: str) -> str:
    if strategy not in STRATEGIES:
        raise ModelError(f"unknown strategy {strategy!r}; valid strategies: "
                         f"{choices(STRATEGIES)}")
    return strategy


def _check_prob(name: str, value: np.ndarray, *, positive: bool = False) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    bad = ~np.isfinite(v) | (v < 0) | (v > 1) | ((v <= 0) if positive else False)
    if np.any(bad):
        rng = "(0, 1]" if positive else "[0, 1]"
        raise ModelError(f"{name} must be a probability in {rng}, got {value!r}")
    return v


@dataclass(frozen=True)
class MatchResult:
    """Moves and payoffs of many matches (``True`` = accommodate).

    Attributes
    ----------
    moves_a, moves_b : ndarray of bool, shape (matches, rounds)
    """

    moves_a: np.ndarray
    moves_b: np.ndarray

    @property
    def payoff_a(self) -> np.ndarray:
        """Mean payoff per round of side A, per match."""
        return _payoff(self.moves_a, self.moves_b).mean(axis=1)

    @property
    def payoff_b(self) -> np.ndarray:
        """Mean payoff per round of side B, per match."""
        return _payoff(self.moves_b, self.moves_a).mean(axis=1)

    @property
    def mutual_accommodation(self) -> float:
        """Share of rounds (over all matches) in which both sides accommodated."""
        return float((self.moves_a & self.moves_b).mean())

    @property
    def accommodation_a(self) -> float:
        """Share of rounds in which side A accommodated."""
        return float(self.moves_a.mean())

    @property
    def accommodation_b(self) -> float:
        """Share of rounds in which side B accommodated."""
        return float(self.moves_b.mean())


def _payoff(me: np.ndarray, other: np.ndarray) -> np.ndarray:
    return np.where(me, np.where(other, R, S), np.where(other, T, P))


def _intend(strategy: str, first: bool, my_last: np.ndarray, their_last: np.ndarray,
            triggered: np.ndarray, generosity: float, u: np.ndarray) -> np.ndarray:
    """Intended move (True = accommodate) of ``strategy`` this round, for every match."""
    if strategy == "grim":
        return ~triggered
    probs, opening = _MEMORY_ONE[strategy]
    if first:
        return np.full(u.shape, bool(opening))
    table = np.array([generosity if p == "g" else float(p) for p in probs])
    state = 2 * (~my_last).astype(int) + (~their_last).astype(int)
    return u < table[state]


def play(strategy_a: str, strategy_b: str, *, rounds: int = 200, matches: int = 1000,
         noise: float = 0.05, generosity: float = 0.3, seed: int | None = 2024
         ) -> MatchResult:
    """Play ``matches`` independent matches of ``rounds`` rounds, vectorised over matches.

    Parameters
    ----------
    strategy_a, strategy_b : str
        One of :data:`STRATEGIES` (A is "the coalition", B is China in the lessons).
    rounds, matches : int
        Length and number of matches (positive).
    noise : float
        Probability that a move comes out as its opposite (misperception), in [0, 1].
    generosity : float
        Used by ``generous_tit_for_tat``: probability of accommodating after a
        confrontation, in [0, 1].
    seed : int or None
        Seed of the random generator; the same seed gives the same moves.
    """
    _check(strategy_a)
    _check(strategy_b)
    _check_prob("noise", noise)
    _check_prob("generosity", generosity)
    if int(rounds) < 1 or int(matches) < 1:
        raise ModelError(f"rounds and matches must be positive, got {rounds}, {matches}")
    rng = np.random.default_rng(seed)
    shape = (int(matches), int(rounds))
    ua, ub = rng.random(shape), rng.random(shape)
    flip_a, flip_b = rng.random(shape) < noise, rng.random(shape) < noise
    A, B = np.empty(shape, bool), np.empty(shape, bool)
    trig_a = np.zeros(shape[0], bool)  # has B ever confronted A? (for grim)
    trig_b = np.zeros(shape[0], bool)
    last_a = last_b = np.ones(shape[0], bool)
    for t in range(shape[1]):
        a = _intend(strategy_a, t == 0, last_a, last_b, trig_a, generosity, ua[:, t])
        b = _intend(strategy_b, t == 0, last_b, last_a, trig_b, generosity, ub[:, t])
        a ^= flip_a[:, t]
        b ^= flip_b[:, t]
        A[:, t], B[:, t] = a, b
        trig_a |= ~b
        trig_b |= ~a
        last_a, last_b = a, b
    return MatchResult(A, B)


def _policy(strategy: str, generosity: np.ndarray) -> np.ndarray:
    """Accommodation probabilities in the four states, shape ``generosity.shape + (4,)``."""
    if strategy not in _MEMORY_ONE:
        raise ModelError(f"strategy {strategy!r} is not memory-one; the exact long-run "
                         f"result exists for {choices(_MEMORY_ONE)}")
    probs, _ = _MEMORY_ONE[strategy]
    g = np.asarray(generosity, dtype=float)
    return np.stack([g if p == "g" else np.full(g.shape, float(p)) for p in probs], axis=-1)


def stationary(strategy_a: str, strategy_b: str, noise: np.ndarray | float,
               generosity: np.ndarray | float = 0.0) -> np.ndarray:
    """Exact long-run shares of the states (CC, CD, DC, DD) seen from side A.

    Two memory-one strategies with noise ``> 0`` make an ergodic Markov chain on the four
    outcomes of a round; its stationary distribution is the long-run frequency of each
    outcome, whatever the opening. Vectorised: ``noise`` and ``generosity`` broadcast,
    the result has shape ``broadcast_shape + (4,)``.
    """
    _check(strategy_a)
    _check(strategy_b)
    e = _check_prob("noise", noise, positive=True)
    g = _check_prob("generosity", generosity)
    e, g = np.broadcast_arrays(e, g)
    pa = _policy(strategy_a, g)
    pb = _policy(strategy_b, g)[..., [0, 2, 1, 3]]  # B sees (its last, A's last)
    e4 = e[..., None]
    qa = pa * (1 - e4) + (1 - pa) * e4  # actual accommodation probability
    qb = pb * (1 - e4) + (1 - pb) * e4
    # transition from state s to (a', b'): qa or 1-qa times qb or 1-qb
    M = np.stack([qa * qb, qa * (1 - qb), (1 - qa) * qb, (1 - qa) * (1 - qb)], axis=-1)
    # solve pi (M - I) = 0 with sum(pi) = 1
    A = np.swapaxes(M, -1, -2) - np.eye(4)
    A[..., -1, :] = 1.0
    rhs = np.zeros(A.shape[:-1])
    rhs[..., -1] = 1.0
    return np.linalg.solve(A, rhs[..., None])[..., 0]


def mutual_accommodation(theta: np.ndarray | float, noise: np.ndarray | float,
                         generosity: np.ndarray | float) -> np.ndarray:
    """Long-run share of mutual accommodation between the coalition and China.

    The coalition plays generous tit-for-tat with ``generosity`` (strict tit-for-tat at
    0). China's type follows the motive mix: with probability ``theta`` a reciprocator
    (tit-for-tat, ¶17), otherwise a greedy confronter (always-confront). Exact, from
    :func:`stationary`; vectorised over arrays of parameters.
    """
    th = np.asarray(theta, dtype=float)
    recip = stationary("generous_tit_for_tat", "tit_for_tat", noise, generosity)[..., 0]
    greedy = stationary("generous_tit_for_tat", "always_confront", noise, generosity)[..., 0]
    return th * recip + (1 - th) * greedy
