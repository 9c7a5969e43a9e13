"""The Korean diplomacy window (¶18).

North Korea's **belligerence** rises with its posture and with its patrons' support, and
falls with their restraining leverage ("the role of Beijing and Moscow ... remains decisive
in constraining the regime's belligerence"):

    support     s = mean cohesion of China–North Korea and Russia–North Korea
    belligerence b = x_PRK × (1 + s) / (1 + patron_leverage × (1 - s))

The more Moscow and Beijing align with Pyongyang, the more they back it and the less they
restrain it. Seoul aligning against them (arming Ukraine directly, joining the containment
of China) raises their shared threat with Pyongyang, hence that cohesion; and a patron
answering Seoul in retaliation (:func:`lessons.model.network.retaliation`) also restrains
Pyongyang less: its leverage is divided by ``1 + retaliation × r``, with ``r`` the mean
retaliation pressure on the two North Korean pairs above 2021.

The **window** for diplomacy is a share in (0, 1): ``window_base`` at 2021 belligerence,
closing as belligerence rises (a logistic curve with slope ``window_sensitivity``).
"""

from __future__ import annotations

import numpy as np


def logistic(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, without overflow and without rounding
    to exactly 0 far below zero (so a narrower window stays visibly narrower)."""
    ez = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + ez), ez / (1 + ez))


def belligerence(x_prk: np.ndarray, support: np.ndarray, leverage: np.ndarray) -> np.ndarray:
    """North Korea's belligerence index (1 ≈ 2021 with full posture and no support)."""
    return x_prk * (1 + support) / (1 + leverage * (1 - support))


def retaliating_leverage(leverage: np.ndarray, retaliation: np.ndarray,
                         pressure_change: float) -> np.ndarray:
    """The patrons' restraining leverage once they retaliate against Seoul (¶18):
    ``leverage / (1 + retaliation × pressure_change)``, the full leverage when nothing
    has changed since 2021 (a retaliation pressure at or below its 2021 value)."""
    return leverage / (1 + retaliation * max(pressure_change, 0.0))


def window(bel: np.ndarray, bel_2021: np.ndarray, base: np.ndarray,
           sensitivity: np.ndarray) -> np.ndarray:
    """Diplomacy window in (0, 1): ``base`` when ``bel == bel_2021``, smaller above it."""
    z = np.log(base / (1 - base)) - sensitivity * (bel / bel_2021 - 1)
    return logistic(z)
