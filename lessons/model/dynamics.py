"""Posture dynamics: N-actor Richardson arms model with a motive mix (¶13, ¶17).

Each year every actor ``i`` moves its posture ``x_i`` (1 = its 2021 level):

    x_i' = (1 - fatigue) x_i
           + reaction · θ_i · τ_i                    security-seeking part: threat τ
           + (1 - θ_i) · greed / (1 + β · δ_i)         greedy part: restrained by deterrence δ
           + g_i                                     grievance (calibrated to 2021)

``θ_i`` is the motive mix (``theta`` for the adversaries, 1 for the U.S. side): θ = 1 is the
spiral model (Jervis 1976) the authors assume, θ = 0 the deterrence model. ``τ_i`` is the
perceived threat relative to 2021 (:mod:`lessons.model.threat`), ``δ_i`` the credible
deterrence the adversary faces relative to 2021 (:mod:`lessons.model.credibility`).
``g_i`` is calibrated so that the 2021 network at 2021 postures is a rest point
(``fatigue - reaction θ_i τ_i - (1 - θ_i) greed / (1 + β)`` with ``τ_i = 1``), plus any new
grievance. The calibrated term takes whatever sign the rest point needs: where reaction
outweighs fatigue it is negative (without threat the state would shed arms faster than
fatigue alone), so 2021 stays a rest point across the whole documented (reaction,
fatigue) range. Because that drive can be negative, a posture is floored at 0 (a state
cannot disarm below nothing).

**Stability verdict.** Linearising the one-year map around a state gives
``x' ≈ B x + const`` with ``B = (1 - fatigue) I + K``; the system spirals (a small
disturbance grows without bound) when the **spectral radius** of ``B`` exceeds 1, and
settles otherwise. The model uses the spectral radius of the one-year map (the map it
iterates), not the largest real part of a continuous-time system; for the non-negative
matrices of pure arms races the two criteria agree (Perron–Frobenius). Two actors with
equal fatigue ``a`` give Richardson's classic condition: spiral iff ``k1 k2 > a²``; a
two-against-one bloc spirals iff ``kA kCA + kB kCB > a²``, even when each dyad alone would
settle. In the full model the linearisation also includes entente cohesion (see
:func:`lessons.model.engine.jacobian`), and the verdict is decided on a 200-year path,
linearised at its end and guarded by its growth, whatever the horizon shown
(:func:`long_run`; ``docs/model.md`` explains it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from lessons.model.errors import ModelError

#: Years of simulated path the model's verdict looks at (from 2024), whatever the horizon.
VERDICT_YEARS = 200
#: Per-year growth of the largest posture above which a path counts as still climbing.
GROWTH_TOL = 1e-3
#: A settled path is within this share of its rest point from the year it "settles within".
SETTLE_TOL = 0.01
#: A path whose largest posture still moves by more than this share in its last year is
#: not at rest: linearising there says nothing about where it goes next.
REST_TOL = 1e-5


@dataclass(frozen=True)
class Verdict:
    """Stability of the model's dynamics (or of a linear Richardson system).

    Attributes
    ----------
    eigenvalue : float
        Spectral radius (largest absolute eigenvalue) of the one-year linearised map (not
        the largest real part: the model is a discrete yearly map). For the model it is
        taken at the end of a 200-year path: at the scenario's own rest point when the path
        settles, on the escaping path when it spirals (where it is the growth per year).
    label : str
        ``"spiral"`` (disturbances grow, or postures keep climbing) or ``"settles"``.
    text : str
        The verdict in words with its time scale, e.g. ``"spiral within 40 years"`` or
        ``"settles within 12 years"`` (the label alone when no time is known).
    year : int or None
        The number of years ``text`` refers to: for a spiral, the years in which postures
        double at the long-run pace (the growth per year after 200 years); for a settled
        path, the year (after 2024) from which every posture stays within 1% of the rest
        point; None when there is no such number.
    """

    eigenvalue: float
    label: str
    text: str = ""
    year: int | None = None

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self.label)

    @classmethod
    def of(cls, radius: float) -> Verdict:
        """Verdict for a spectral radius alone (a linear system: no time scale)."""
        return cls(float(radius), "spiral" if radius > 1.0 else "settles")


def long_run(postures: np.ndarray, radius: np.ndarray) -> dict[str, np.ndarray]:
    """Decide the verdict for a batch of long simulated paths (vectorised over draws).

    Parameters
    ----------
    postures : ndarray (D, T + 1, n)
        Posture paths over ``T`` years (the model uses ``T = VERDICT_YEARS``).
    radius : ndarray (D,)
        Spectral radius of the one-year map linearised at each path's last year.

    Returns
    -------
    dict of str to ndarray (D,)
        ``"spiral"`` (bool), ``"eigenvalue"`` (the radius; on a path still climbing
        geometrically that the linearisation misses, the measured growth per year),
        ``"year"`` (int, -1 for none; see :class:`Verdict`) and ``"kind"``: ``"climbs"``
        (spiral: at the long-run pace postures double within the window), ``"slow"``
        (spiral, doubling takes longer than the window),
        ``"knife_edge"`` (at rest, but the rest point is unstable), ``"drifting"`` (still
        moving after the window, the largest posture growing by less than ``GROWTH_TOL``
        a year: too slow to call; ``"spiral"`` then follows the linearisation alone),
        ``"settles"`` (at rest, and the rest point is stable).

    Notes
    -----
    A path spirals when the linearisation at its end has a radius above 1, or when its
    largest posture still grows by more than ``GROWTH_TOL`` (0.1%) a year over the last 20
    of the 200 years: a pace that doubles it within about 700 years, whether or not it
    would level off later. So the verdict never reads "settles" while the postures
    climb, and it does not depend on the horizon shown.
    """
    X = np.asarray(postures, dtype=float)
    T = X.shape[1] - 1
    w = min(20, T // 2)
    top = X.max(axis=2)  # (D, T + 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        g_last = np.nan_to_num((top[:, T] / top[:, T - w]) ** (1 / w), nan=1.0)
    climbing = g_last > 1 + GROWTH_TOL
    spiral = (radius > 1.0) | climbing
    eig = np.where(climbing & (radius <= 1.0), g_last, radius)
    # the long-run pace: postures double every ln 2 / ln(growth) years
    growth = np.where(g_last > 1.0, g_last, radius)
    with np.errstate(divide="ignore", invalid="ignore"):
        doubling = np.where(growth > 1.0, np.ceil(np.log(2.0) / np.log(growth)), np.inf)
    # settles: the first year from which every posture stays within SETTLE_TOL of the end
    gap = np.abs(X - X[:, -1:, :]).max(axis=2) / np.maximum(top[:, -1:], 1e-12)
    far = gap > SETTLE_TOL
    settled_from = np.where(far.any(axis=1), T + 1 - far[:, ::-1].argmax(axis=1), 0)
    moving = np.abs(X[:, -1] - X[:, -2]).max(axis=1) / np.maximum(top[:, -1], 1e-12)
    at_rest = moving < REST_TOL
    knife = spiral & ~climbing & at_rest
    kind = np.where(~climbing & ~at_rest, "drifting",
                    np.where(~spiral, "settles",
                             np.where(knife, "knife_edge",
                                      np.where(doubling <= T, "climbs", "slow"))))
    fast = np.where(kind == "climbs", doubling, -1).astype(int)
    year = np.where(kind == "settles", settled_from, fast)
    return {"spiral": spiral, "eigenvalue": eig, "year": year, "kind": kind}


def verdict_of(result: Mapping[str, np.ndarray], i: int = 0) -> Verdict:
    """The :class:`Verdict` of draw ``i`` of :func:`long_run`'s result, with its text."""
    kind, year, eig = str(result["kind"][i]), int(result["year"][i]), \
        float(result["eigenvalue"][i])
    window = result.get("window", VERDICT_YEARS)
    if kind == "settles":
        text = "settles" if year == 0 else f"settles within {year} years"
        return Verdict(eig, "settles", text, year)
    if kind == "climbs":
        return Verdict(eig, "spiral", f"spiral within {year} years (at the long-run pace "
                       f"postures double every {year} years)", year)
    if kind == "drifting":
        label = "spiral" if result["spiral"][i] else "settles"
        return Verdict(eig, label, f"{label}, uncertain: after {window} years postures "
                       f"are still moving, the largest growing by less than "
                       f"{GROWTH_TOL:.1%} a year")
    if kind == "knife_edge":
        return Verdict(eig, "spiral", "spiral if disturbed: the path rests at an unstable "
                       "rest point, which any disturbance leaves")
    return Verdict(eig, "spiral", f"spiral, slowly: at the long-run pace postures take "
                   f"more than {window} years to double")


def _as_system(K: np.ndarray, fatigue: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    K = np.asarray(K, dtype=float)
    if K.ndim != 2 or K.shape[0] != K.shape[1] or K.shape[0] == 0:
        raise ModelError(f"reaction matrix must be square and non-empty, got shape {K.shape}")
    a = np.broadcast_to(np.asarray(fatigue, dtype=float), (K.shape[0],))
    if not (np.all(np.isfinite(K)) and np.all(np.isfinite(a))):
        raise ModelError("reaction matrix and fatigue must be finite")
    return K, a


def one_year_map(K: np.ndarray, fatigue: np.ndarray | float) -> np.ndarray:
    """The linear Richardson map ``B = diag(1 - fatigue) + K``.

    Parameters
    ----------
    K : ndarray (n, n)
        Reaction matrix: ``K[i, j]`` is how much ``i``'s posture rises in a year per unit of
        ``j``'s posture (any real matrix; negative entries are deterrence).
    fatigue : float or ndarray (n,)
        Share of its posture each actor sheds in a year.
    """
    K, a = _as_system(K, fatigue)
    return np.diag(1.0 - a) + K


def spectral_radius(B: np.ndarray) -> np.ndarray:
    """Largest absolute eigenvalue of one or a batch of square matrices (``(..., n, n)``)."""
    return np.abs(np.linalg.eigvals(B)).max(axis=-1)


def stability(K: np.ndarray, fatigue: np.ndarray | float) -> Verdict:
    """Stability verdict of the linear Richardson system ``x' = B x + g`` (see module doc).

    Examples
    --------
    Two rivals, each raising its posture by 0.4 per unit of the other's, shedding 0.3:

    >>> stability([[0, 0.4], [0.4, 0]], 0.3).label
    'spiral'
    >>> stability([[0, 0.2], [0.2, 0]], 0.3).label
    'settles'
    """
    return Verdict.of(float(spectral_radius(one_year_map(K, fatigue))))


def richardson_path(K: np.ndarray, fatigue: np.ndarray | float, grievance: np.ndarray | float,
                    x0: np.ndarray | float, steps: int) -> np.ndarray:
    """Iterate ``x' = diag(1 - fatigue) x + K x + grievance``; return ``(steps + 1, n)``.

    A small pure function for hand-built cases (two rivals, a two-against-one bloc): it
    accepts arbitrary matrices, so tests can check the verdict against the simulated path.
    """
    K, a = _as_system(K, fatigue)
    if int(steps) < 0:
        raise ModelError(f"steps must be non-negative, got {steps}")
    B = np.diag(1.0 - a) + K
    n = K.shape[0]
    g = np.broadcast_to(np.asarray(grievance, dtype=float), (n,))
    x = np.broadcast_to(np.asarray(x0, dtype=float), (n,)).copy()
    out = np.empty((int(steps) + 1, n))
    out[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, int(steps) + 1):
            x = B @ x + g
            out[t] = x
    return out


def calibrated_grievance(fatigue: np.ndarray, reaction: np.ndarray, theta_i: np.ndarray,
                         tau_2021: np.ndarray, greed: np.ndarray, beta: np.ndarray
                         ) -> np.ndarray:
    """Grievance that makes 2021 postures a rest point of the 2021 network, ``(D, n)``."""
    return (fatigue[:, None] - reaction[:, None] * theta_i * tau_2021
            - (1 - theta_i) * (greed / (1 + beta))[:, None])


def posture_jacobian(M: np.ndarray, c: np.ndarray, t_ref: np.ndarray, theta_i: np.ndarray,
                     fatigue: np.ndarray, reaction: np.ndarray, greed: np.ndarray,
                     beta: np.ndarray, delta: np.ndarray, ddelta: np.ndarray) -> np.ndarray:
    """The one-year linearised posture map ``B`` for a batch of draws, ``(D, n, n)``.

    ``B = (1 - fatigue) I + diag(reaction θ / T_2021) M diag(c)
          - diag((1 - θ) greed β / (1 + β δ)²) dδ/dx``,
    with ``M`` the threat map (``T = M (c x)``) and ``ddelta`` the derivative of the
    deterrence each actor faces with respect to postures. Cohesion and the U.S. pivot are
    held at the state they are evaluated at.
    """
    n = c.shape[1]
    B = (reaction[:, None] * theta_i / t_ref)[:, :, None] * M * c[:, None, :]
    B -= ((1 - theta_i) * (greed * beta)[:, None] / (1 + beta[:, None] * delta) ** 2
          )[:, :, None] * ddelta
    idx = np.arange(n)
    B[:, idx, idx] += (1 - fatigue)[:, None]
    return B
