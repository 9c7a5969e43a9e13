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
(``max(0, fatigue - reaction θ_i τ_i - (1 - θ_i) greed / (1 + β))``), plus any new
grievance. Every term is non-negative and ``fatigue <= 1``, so postures stay
non-negative by construction.

**Stability verdict.** Linearising the one-year map around a state gives
``x' ≈ B x + const`` with ``B = (1 - fatigue) I + K``; the system spirals (a small
disturbance grows without bound) when the **spectral radius** of ``B`` exceeds 1, and
settles otherwise. The model uses the spectral radius of the one-year map (the map it
iterates), not the largest real part of a continuous-time system; for the non-negative
matrices of pure arms races the two criteria agree (Perron–Frobenius). Two actors with
equal fatigue ``a`` give Richardson's classic condition: spiral iff ``k1 k2 > a²``; a
two-against-one bloc spirals iff ``kA kCA + kB kCB > a²``, even when each dyad alone would
settle. In the full model the linearisation also includes entente cohesion (see
:func:`lessons.model.engine.jacobian`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.model.errors import ModelError


@dataclass(frozen=True)
class Verdict:
    """Stability of the linearised posture system.

    Attributes
    ----------
    eigenvalue : float
        Spectral radius (largest absolute eigenvalue) of the one-year linearised map (not
        the largest real part: the model is a discrete yearly map).
    label : str
        ``"spiral"`` if ``eigenvalue > 1`` (disturbances grow), else ``"settles"``.
    """

    eigenvalue: float
    label: str

    @classmethod
    def of(cls, radius: float) -> Verdict:
        """Verdict for a spectral radius."""
        return cls(float(radius), "spiral" if radius > 1.0 else "settles")


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
    return np.maximum(0.0, fatigue[:, None] - reaction[:, None] * theta_i * tau_2021
                      - (1 - theta_i) * (greed / (1 + beta))[:, None])


def posture_step(x: np.ndarray, tau: np.ndarray, delta: np.ndarray, theta_i: np.ndarray,
                 fatigue: np.ndarray, reaction: np.ndarray, greed: np.ndarray,
                 beta: np.ndarray, drive: np.ndarray) -> np.ndarray:
    """One year of posture dynamics for a batch of draws (all arrays ``(D, n)`` or ``(D, 1)``).

    See the module docstring for the equation; ``drive`` is the calibrated grievance plus
    any extra drive (new grievance, Europe's home effort).
    """
    return ((1 - fatigue) * x + reaction * theta_i * tau
            + (1 - theta_i) * greed / (1 + beta * delta) + drive)


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
