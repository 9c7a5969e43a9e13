"""Perceived threat: balance of threat on the signed network (¶13–14; Walt 1987).

An actor's perceived threat grows with

* the **capability** of its rivals (SIPRI spending, as an index: ``(spend / US spend) **
  capability_exponent``) times their current **posture** (1 = 2021 level);
* their **hostility** (the weights of rivalry links);
* **encirclement by linked rivals**: a rival's friends count as rivals, and so do a
  friend's rivals, with weight ``encirclement`` ("the friend of my enemy is my enemy");
* and it is discounted by **distance**: only the share of a rival's capability present in
  the actor's home theater counts fully; the rest counts at ``distance_discount``.

All functions are vectorised over a leading axis of ``D`` parameter draws.

The threat operator is linear in posture: ``T = (W ∘ R) v`` with ``v`` effective
capability (capability index × posture, plus support received), ``W`` the
hostility-plus-encirclement matrix and ``R`` the reach matrix. Two parts change every year
and are kept apart so that a year costs only a few matrix–vector products: the cohesion of
the three adversary pairs (their friendship, which carries encirclement) and the U.S.
pivot ``p`` (the share of U.S. capability in the Indo-Pacific, which moves the U.S. column
of ``R``). The rest is a fixed matrix per draw, assembled from a handful of constant
matrices with per-draw coefficients (one matrix product for thousands of draws).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lessons.model import network
from lessons.model.network import PAIRS, Actors, Structure


def capability_index(spending: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """Capability index per draw and actor, shape ``(D, n)``; the United States is 1.

    ``(spending / max spending) ** exponent``: SIPRI spending normalised to the largest
    spender; an exponent below 1 gives diminishing military returns to money.
    """
    return (spending / spending.max())[None, :] ** np.asarray(exponent)[:, None]


def deployed_share(structure: Structure, deployment_share: np.ndarray) -> np.ndarray:
    """Share of each actor's capability deployed to the Indo-Pacific, ``(D, n)``."""
    return np.asarray(deployment_share)[:, None] * structure.deployed[None, :]


def reach_parts(act: Actors, structure: Structure) -> tuple[np.ndarray, ...]:
    """Constant pieces of the reach matrix (see :func:`reach`).

    ``R0 = R00 + d R01 + s R02 + d s R03`` (zero diagonal) for distance discount ``d`` and
    deployment share ``s``, and ``R1 = (1 - d) r1`` the U.S. column's change per unit of
    pivot.
    """
    hip, hea, hg = act.home_ip, act.home_ea, act.home_global
    dep = structure.deployed
    # presence of j in i's home theater at p = 0 (the U.S. wholly in Europe) ...
    P0 = hip[:, None] * hip[None, :] + hea[:, None] * (hea + hg)[None, :]
    # ... and its change per unit of deployment share (Europe to Asia)
    P1 = (hip[:, None] - hea[:, None]) * dep[None, :]
    out = (hg[:, None] + (1 - hg[:, None]) * P0, (1 - hg[:, None]) * (1 - P0),
           (1 - hg[:, None]) * P1, -(1 - hg[:, None]) * P1)
    for M in out:
        np.fill_diagonal(M, 0.0)
    r1 = (hip - hea) * (1 - hg)
    return (*out, r1)


def reach(act: Actors, structure: Structure, distance: np.ndarray,
          deployment_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reach matrix ``R[d, i, j]``: share of ``j``'s capability that counts in ``i``'s home.

    ``R = d + (1 - d) * presence of j in i's home theater`` (1 for the United States, whose
    home is global). The U.S. presence depends on the pivot ``p``; it is returned apart:
    ``R[:, i, USA] = R0[:, i, USA] + p * R1[:, i]``.

    Returns
    -------
    R0 : ndarray (D, n, n)
        Reach with the United States wholly in the Euro-Atlantic (``p = 0``); zero diagonal.
    R1 : ndarray (D, n)
        Change of the U.S. column per unit of pivot.
    """
    R00, R01, R02, R03, r1 = reach_parts(act, structure)
    d = np.asarray(distance)[:, None, None]
    s = np.asarray(deployment_share)[:, None, None]
    return R00 + d * R01 + s * R02 + d * s * R03, (1 - d[:, :, 0]) * r1[None, :]


def small_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a stack of rows ``a`` (``(..., k)``) and a small matrix ``b``.

    numpy's ``@`` for a few rows; ``einsum`` (no threads) for thousands, where a threaded
    BLAS product of a tall, thin matrix is slow and erratic on a busy machine.
    """
    if a.size <= 4096:
        return a @ b
    return np.einsum("...k,kn->...n", a, b)


def _china_part(H: np.ndarray, chn: int) -> np.ndarray:
    Hc = np.zeros_like(H)
    Hc[chn, :] = H[chn, :]
    Hc[:, chn] = H[:, chn]
    return Hc


@dataclass(frozen=True, eq=False)
class ThreatOperator:
    """The threat each actor perceives as a function of capability, cohesion and pivot.

    ``T = B0 v + p u b1 + sum over pairs k of e κ_k (pair terms)``, where ``v`` is
    effective capability ``(D, n)``, ``u`` its U.S. entry, ``p`` the pivot and ``κ_k`` the
    cohesion of adversary pair ``k = (a, b)``. The pair terms carry encirclement through the
    pair's friendship: the rivals of ``a`` see ``b``'s capability (``col``), and ``a`` feels
    the rivals of ``b`` (``row``), and vice versa.

    Attributes
    ----------
    B0 : ndarray (D, n, n)
        Static part: ``(H_f + e implied) ∘ R0``.
    b1 : ndarray (D, n)
        Pivot term of the U.S. column.
    col : ndarray (D, 6, n)
        For pair ``k``: ``col[2k]`` multiplies ``v[b]``, ``col[2k + 1]`` multiplies ``v[a]``.
    row : ndarray (D, 6, n)
        ``row[2k] · v`` adds to ``T[a]``, ``row[2k + 1] · v`` to ``T[b]``.
    row1 : ndarray (D, 6)
        Pivot term of the rows (their U.S. entry).
    enc : ndarray (D,)
    """

    B0: np.ndarray
    b1: np.ndarray
    col: np.ndarray
    row: np.ndarray
    row1: np.ndarray
    enc: np.ndarray
    col_src: np.ndarray  # (6,) which v each col multiplies
    row_dst: np.ndarray  # (6,) which T each row adds to
    scatter: np.ndarray  # (6, n) one-hot of row_dst
    usa: int

    def pair_weights(self, kappa: np.ndarray) -> np.ndarray:
        """``e κ`` repeated for the two directions of each pair, ``(D, 6)``."""
        return np.repeat(self.enc[:, None] * kappa, 2, axis=1)

    def __call__(self, v: np.ndarray, kappa: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Threat ``(D, n)`` for effective capability ``v`` ``(D, n)``, cohesion ``kappa``
        ``(D, 3)`` and pivot ``p`` ``(D,)`` (in capability units)."""
        pu = p * v[:, self.usa]
        w6 = self.pair_weights(kappa)
        T = np.matmul(self.B0, v[:, :, None])[:, :, 0] + pu[:, None] * self.b1
        T += np.matmul((w6 * v[:, self.col_src])[:, None, :], self.col)[:, 0]
        rows = np.matmul(self.row, v[:, :, None])[:, :, 0] + pu[:, None] * self.row1
        return T + (w6 * rows) @ self.scatter

    def matrix(self, kappa: np.ndarray, p: np.ndarray) -> np.ndarray:
        """The linear map ``M`` with ``T = M v`` at given cohesion and pivot, ``(D, n, n)``.

        Used for the stability verdict (the linearised posture system).
        """
        w6 = self.pair_weights(kappa)
        M = self.B0.copy()
        M[:, :, self.usa] += p[:, None] * self.b1
        for k in range(self.col.shape[1]):
            M[:, :, self.col_src[k]] += w6[:, k, None] * self.col[:, k]
            M[:, self.row_dst[k], :] += w6[:, k, None] * self.row[:, k]
            M[:, self.row_dst[k], self.usa] += w6[:, k] * p * self.row1[:, k]
        return M


@lru_cache(maxsize=64)
def _constants(structure: Structure) -> dict[str, np.ndarray]:
    """Constant matrices whose per-draw combinations give the operator (cached)."""
    act = network.actors()
    n, chn, usa = act.n, act.index("CHN"), act.index("USA")
    H, F = structure.H, structure.F
    Hc = _china_part(H, chn)
    implied = -np.expm1(-(H @ F + F @ H))  # 1 - exp(-z): soft cap at a full rivalry
    np.fill_diagonal(implied, 0.0)
    R00, R01, R02, R03, r1 = reach_parts(act, structure)
    Ws, Rs = (H, Hc, implied), (R00, R01, R02, R03)
    # B0 = sum over (W, R) of coef * (W ∘ R): coefficients 1, f-1, e  x  1, d, s, d s
    B_parts = np.stack([(W * R).reshape(-1) for W in Ws for R in Rs])
    ia = [act.index(a) for a, _ in PAIRS]
    ib = [act.index(b) for _, b in PAIRS]
    col_src, row_dst = [], []
    col_parts, row_parts = [], []
    for a, b in zip(ia, ib, strict=True):
        col_src += [b, a]
        row_dst += [a, b]
    for W in (H, Hc):
        for R in Rs:
            cols, rows = [], []
            for a, b in zip(ia, ib, strict=True):
                cols += [W[:, a] * R[:, b], W[:, b] * R[:, a]]
                rows += [W[b, :] * R[a, :], W[a, :] * R[b, :]]
            col_parts.append(np.concatenate(cols))
            row_parts.append(np.concatenate(rows))
    src = np.array(col_src)
    dst = np.array(row_dst)
    return {
        "B_parts": B_parts, "col_parts": np.stack(col_parts), "row_parts": np.stack(row_parts),
        "WU": np.stack([H[:, usa], Hc[:, usa], implied[:, usa]]),  # (3, n)
        "HbU": np.stack([H[src, usa], Hc[src, usa]]),  # partner's hostility to the U.S.
        "r1": r1, "col_src": src, "row_dst": dst,
        "scatter": np.eye(n)[dst], "n": np.array(n), "usa": np.array(usa),
    }


def threat_operator(structure: Structure, f: np.ndarray, encirclement: np.ndarray,
                    distance: np.ndarray, deployment_share: np.ndarray) -> ThreatOperator:
    """Assemble the :class:`ThreatOperator` for one structure and a batch of draws.

    ``W0 = H_f + e (1 - exp(-(H F + F H)))``: hostility plus encirclement through static
    friendships (a rival's friends, a friend's rivals), with ``H_f`` the hostility whose
    ties with China are scaled by the reciprocity factor ``f`` and ``e`` the encirclement
    weight. The implied hostility of one actor toward another saturates softly below 1, a
    full rivalry: a bloc of seven allies hostile to Russia makes Japan, their new friend,
    about one implied rival of Russia, not seven — yet every further tie still adds a
    little. The adversary pairs' friendship (their cohesion) enters through the pair terms.
    """
    K = _constants(structure)
    n, usa = int(K["n"]), int(K["usa"])
    f1 = np.asarray(f, dtype=float) - 1
    e = np.asarray(encirclement, dtype=float)
    d = np.asarray(distance, dtype=float)
    s = np.asarray(deployment_share, dtype=float)
    one = np.ones_like(d)
    rc = np.stack([one, d, s, d * s], axis=1)  # (D, 4) reach coefficients
    coef = np.concatenate([rc, f1[:, None] * rc, e[:, None] * rc], axis=1)  # (D, 12)
    D = d.shape[0]
    B0 = small_dot(coef, K["B_parts"]).reshape(D, n, n)
    pc = coef[:, :8]
    col = small_dot(pc, K["col_parts"]).reshape(D, -1, n)
    row = small_dot(pc, K["row_parts"]).reshape(D, -1, n)
    WU = K["WU"]
    w_usa = WU[0][None] + f1[:, None] * WU[1][None] + e[:, None] * WU[2][None]
    r1 = (1 - d)[:, None] * K["r1"][None]
    b1 = w_usa * r1
    hb = K["HbU"][0][None] + f1[:, None] * K["HbU"][1][None]  # (D, 6)
    row1 = hb * r1[:, K["row_dst"]]
    return ThreatOperator(B0=B0, b1=b1, col=col, row=row, row1=row1, enc=e,
                          col_src=K["col_src"], row_dst=K["row_dst"], scatter=K["scatter"],
                          usa=usa)
