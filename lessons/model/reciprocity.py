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
too heavy for a lesson that must start in seconds; the six strategies needed are a few
lines each, implemented here vectorised over many matches with numpy and tested against
the game theory (and against the exact Markov-chain results below).

The classics on top of single matches are here too, as pure functions: the round-robin
:func:`tournament` of Axelrod (1984), the :func:`replicator` dynamics of his ecological
tournament, and :func:`noise_sweep`, which strategy a population converges to at no,
little and much misperception (the headline of the explorable "The Evolution of Trust").

Strategies
----------
``tit_for_tat``, ``generous_tit_for_tat`` (answers confrontation with accommodation with
probability ``generosity``), ``always_confront``, ``always_accommodate``, ``grim``
(accommodates until the other side has confronted once, then confronts for ever),
``tit_for_two_tats`` (confronts only after two confrontations in a row, so one
misperceived move sets off no echo; the "copykitten" of "The Evolution of Trust").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.model.errors import ModelError, choices

STRATEGIES: tuple[str, ...] = ("tit_for_tat", "generous_tit_for_tat", "always_confront",
                               "always_accommodate", "grim", "tit_for_two_tats")
#: Noise levels of :func:`noise_sweep`: none, a little, much (probability per move).
SWEEP_NOISE: tuple[float, ...] = (0.0, 0.05, 0.25)
#: Final shares closer than this to the leader's count as a tie in :func:`noise_sweep`.
TIE = 0.005
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
            triggered: np.ndarray, generosity: float, u: np.ndarray,
            their_prev: np.ndarray) -> np.ndarray:
    """Intended move (True = accommodate) of ``strategy`` this round, for every match;
    ``their_prev`` is the other side's move before its last (True before the game)."""
    if strategy == "grim":
        return ~triggered
    if strategy == "tit_for_two_tats":
        return their_last | their_prev
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
    rounds, matches = _whole("rounds", rounds), _whole("matches", matches)
    if seed is not None:
        _whole("seed", seed, lo=0)
    rng = np.random.default_rng(seed)
    shape = (int(matches), int(rounds))
    ua, ub = rng.random(shape), rng.random(shape)
    flip_a, flip_b = rng.random(shape) < noise, rng.random(shape) < noise
    A, B = np.empty(shape, bool), np.empty(shape, bool)
    trig_a = np.zeros(shape[0], bool)  # has B ever confronted A? (for grim)
    trig_b = np.zeros(shape[0], bool)
    last_a = last_b = prev_a = prev_b = np.ones(shape[0], bool)
    for t in range(shape[1]):
        a = _intend(strategy_a, t == 0, last_a, last_b, trig_a, generosity, ua[:, t], prev_b)
        b = _intend(strategy_b, t == 0, last_b, last_a, trig_b, generosity, ub[:, t], prev_a)
        a ^= flip_a[:, t]
        b ^= flip_b[:, t]
        A[:, t], B[:, t] = a, b
        trig_a |= ~b
        trig_b |= ~a
        prev_a, prev_b = last_a, last_b
        last_a, last_b = a, b
    return MatchResult(A, B)


def _whole(name: str, value: object, lo: int = 1) -> int:
    """``value`` as a whole number of at least ``lo``; ModelError otherwise (no silent
    truncation: 2.5 rounds is refused, not played as 2)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
        raise ModelError(f"{name} must be a whole number of at least {lo}, got {value!r}")
    return int(value)


def tournament(noise: float = 0.05, rounds: int = 50, generosity: float = 0.3,
               seed: int = 2024, matches: int = 400,
               strategies: tuple[str, ...] = STRATEGIES) -> np.ndarray:
    """Axelrod's round-robin: mean payoff per round of each strategy (rows) against each
    (columns), itself included, ``(k, k)``.

    Every pairing plays ``matches`` matches of ``rounds`` rounds with the same seed, so
    the strategies face the same misperceptions (common random numbers).
    """
    for name in strategies:
        _check(name)
    return np.array([[play(a, b, rounds=rounds, matches=matches, noise=noise,
                           generosity=generosity, seed=seed).payoff_a.mean()
                      for b in strategies] for a in strategies])


def replicator(payoffs: np.ndarray, generations: int = 60,
               shares: np.ndarray | None = None) -> np.ndarray:
    """Discrete replicator dynamics (Axelrod's ecological tournament), ``(generations + 1,
    k)``: each generation a strategy's share is multiplied by its mean payoff against the
    current population and divided by the population's mean payoff, so strategies that
    earn more become more common. Starts from ``shares`` (default: equal shares).

    Payoffs must be positive (they are here: the smallest, the sucker's, is averaged with
    others), so shares stay shares.
    """
    M = np.asarray(payoffs, dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or not np.all(np.isfinite(M)) \
            or np.any(M < 0):
        raise ModelError(f"payoffs must be a square matrix of non-negative numbers, got "
                         f"shape {M.shape}")
    gens = _whole("generations", generations)
    x = np.full(M.shape[0], 1 / M.shape[0]) if shares is None \
        else np.asarray(shares, dtype=float) / np.sum(shares)
    out = np.empty((gens + 1, M.shape[0]))
    out[0] = x
    for g in range(1, gens + 1):
        f = M @ x
        x = x * f / float(x @ f)
        out[g] = x
    return out


def converges_to(noise: float, rounds: int = 50, generosity: float = 0.3, seed: int = 2024,
                 matches: int = 400, generations: int = 300,
                 strategies: tuple[str, ...] = STRATEGIES) -> tuple[str, float]:
    """The strategy that leads the population after ``generations`` of the replicator
    dynamics from equal shares, and its share: computed, not asserted."""
    shares = replicator(tournament(noise, rounds, generosity, seed, matches, strategies),
                        generations)[-1]
    best = int(np.argmax(shares))
    return strategies[best], float(shares[best])


def noise_sweep(noises: tuple[float, ...] = SWEEP_NOISE, rounds: int = 50,
                generosity: float = 0.3, seed: int = 2024, matches: int = 400,
                generations: int = 300, strategies: tuple[str, ...] = STRATEGIES
                ) -> list[dict[str, object]]:
    """For each noise level, which strategy the population converges to (as "The
    Evolution of Trust" shows: the winner depends on how noisy the world is).

    Returns
    -------
    list of dict
        One per noise level: ``noise``, ``winner`` (a strategy), ``share`` (its final
        share of the population), ``leaders`` (every strategy within ``TIE`` of the
        winner's share: without noise the nice strategies cannot be told apart) and
        ``shares`` (every strategy's final share, a dict).
    """
    rows = []
    for n in noises:
        final = replicator(tournament(n, rounds, generosity, seed, matches, strategies),
                           generations)[-1]
        best = int(np.argmax(final))
        rows.append({"noise": float(n), "winner": strategies[best],
                     "share": float(final[best]),
                     "leaders": tuple(s for s, v in zip(strategies, final, strict=True)
                                      if v >= final[best] - TIE),
                     "shares": dict(zip(strategies, map(float, final), strict=True))})
    return rows


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
