"""Burden shifting (¶19–21; Olson and Zeckhauser 1966).

Europe's effort *in Europe* substitutes for U.S. effort there and frees U.S. capacity for
Asia: the U.S. pivot (the share of U.S. capability in the Indo-Pacific) is

    p = us_pivot + burden_shift × (E - E_2021),   clipped to [0.05, 0.95]

where ``E`` is European effective capability at home (posture × capability, minus the
share deployed to Asia) and ``E_2021`` the same at 2021 posture with no deployments. Effort sent
to Asia lowers ``E``: it counts there at low efficiency (see
:mod:`lessons.model.credibility`), adds provocation, and keeps U.S. forces in Europe.
Both are in units of U.S. capability (the capability index is 1 for the United States).
"""

from __future__ import annotations

import numpy as np

PIVOT_MIN, PIVOT_MAX = 0.05, 0.95


def pivot(us_pivot: np.ndarray, burden_shift: np.ndarray, effort: np.ndarray,
          effort_2021: np.ndarray) -> np.ndarray:
    """U.S. pivot to the Indo-Pacific, ``(D,)`` (see the module docstring)."""
    return np.clip(us_pivot + burden_shift * (effort - effort_2021), PIVOT_MIN, PIVOT_MAX)
