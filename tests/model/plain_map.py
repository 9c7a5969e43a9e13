"""The model's one-year map written out plainly: the oracle the fused loop is tested against.

:func:`lessons.model.engine.run` is the package's implementation of the yearly step,
vectorised over draws, with a fast path for a single draw (tested to agree). These tests
keep a second,
deliberately plain transcription of the equations in ``docs/model.md`` so that a fused-loop
optimisation that changes the dynamics, or a Jacobian that disagrees with them, fails.
It lives here, not in the package, because nothing but the tests needs it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lessons.model import burden, credibility, network
from lessons.model.network import PAIRS


def posture_step(x: np.ndarray, tau: np.ndarray, delta: np.ndarray, theta_i: np.ndarray,
                 fatigue: np.ndarray, reaction: np.ndarray, greed: np.ndarray,
                 beta: np.ndarray, drive: np.ndarray) -> np.ndarray:
    """One year of posture dynamics for a batch of draws (all arrays ``(D, n)`` or ``(D, 1)``).

    See the module docstring for the equation; ``drive`` is the calibrated grievance plus
    any extra drive (new grievance, Europe's home effort).
    """
    return np.maximum(0.0, (1 - fatigue) * x + reaction * theta_i * tau
                      + (1 - theta_i) * greed / (1 + beta * delta) + drive)



def one_year(state: Any, x: np.ndarray, kappa: np.ndarray,
             p: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model's one-year map written plainly (the loop in
    :func:`lessons.model.engine.run` is the same map, fused for speed): from postures
    ``x`` and cohesion ``kappa`` to next year's, and the threat ``tau`` seen this year.
    ``p`` fixes the U.S. pivot (default: from burden shifting, as in the simulation).
    ``state`` is a run's final state (``engine.run(...)["state"]``)."""
    act = network.actors()
    P, w, c = state.P, state.w, state.c
    usa = act.index("USA")
    v = c * x
    ve = credibility.supported(v, state.structure, P["deployment_share"])
    if p is None:
        p = burden.pivot(P["us_pivot"], P["burden_shift"],
                         np.einsum("dn,dn->d", v, w.home), state.e_ref)
    tau = w.op(ve, kappa, p) / state.t_scale + state.offset
    rel = credibility.credibility(ve, p, w.w_cred, usa) * state.inv_cred_ref
    theater_of = np.where(act.home_ip > 0, 1, 0)
    x_new = posture_step(x, tau, rel[:, theater_of], state.theta_i,
                                  (P["fatigue"])[:, None], P["reaction"][:, None],
                                  P["greed"][:, None], P["deterrence_sensitivity"][:, None],
                                  state.drive)
    ia = np.array([act.index(a) for a, _ in PAIRS])
    ib = np.array([act.index(b) for _, b in PAIRS])
    target = 0.5 + 0.5 * np.tanh(0.5 * (state.z0 + P["cohesion_gain"][:, None]
                                        * np.sqrt(tau[:, ia] * tau[:, ib])))
    k_new = kappa + P["cohesion_decay"][:, None] * (target - kappa)
    return x_new, k_new, tau
