"""Credibility of extended deterrence (¶15–17) and provocation (¶16–17).

**Credibility** of the deterrence the U.S.-led side projects in a theater is the sum over
its members of

    capability in theater × interest at stake × proximity × commitment

* the United States: its posture times the share of its capability in the theater (the
  pivot ``p`` in the Indo-Pacific, ``1 - p`` in the Euro-Atlantic); full interest;
* states at home in the theater (Japan, South Korea, Australia, New Zealand, Taiwan; the
  European allies and Ukraine): full interest, proximity and commitment;
* European states in the Indo-Pacific: interest ``euro_interest`` (low: they would "run
  back home", ¶17), proximity 1 for the deployed share and ``distance_discount`` for the
  rest, commitment = their ties to the Asian partners (summits, partnership programmes,
  deployments, membership);
* supporters of Ukraine count through Ukraine: the capability they send is part of
  Ukraine's effective capability (see :func:`supported`; South Korean shells and Japanese
  aid, ¶11).

**Provocation** is independent of credibility: every unit of out-of-region deployment
weight in the Indo-Pacific adds ``nationalism`` to China's perceived threat index, however
little those forces could do in a war ("century of humiliation", ¶17).

Vectorised over a leading axis of ``D`` draws.
"""

from __future__ import annotations

import numpy as np

from lessons.model.network import Actors, Structure


def credibility_weights(structure: Structure, act: Actors, dep: np.ndarray,
                        distance: np.ndarray, euro_interest: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Credible share of each actor's effective capability, per theater, ``(D, n)`` each.

    The United States is left out (its share depends on the pivot; see
    :func:`credibility`). Returns ``(w_euro_atlantic, w_indo_pacific)``.
    """
    coalition = (~act.axis).astype(float) * (1 - act.home_global)
    d = np.asarray(distance)[:, None]
    w_ip = (act.home_ip * coalition)[None, :] + (
        act.european[None, :] * np.asarray(euro_interest)[:, None]
        * structure.commit_ip[None, :] * (dep + d * (1 - dep)))
    w_ea = (act.home_ea * coalition)[None, :] * (1 - dep)
    return w_ea, w_ip


def credibility(v: np.ndarray, p: np.ndarray, w_cred: np.ndarray, usa: int) -> np.ndarray:
    """Credible deterrence by theater, ``(D, 2)``: columns Euro-Atlantic, Indo-Pacific.

    Parameters
    ----------
    v : ndarray (D, n)
        Effective capability (capability index times posture, plus support received).
    p : ndarray (D,)
        U.S. pivot: share of U.S. capability in the Indo-Pacific.
    w_cred : ndarray (D, 2, n)
        The weights of :func:`credibility_weights`, stacked (Euro-Atlantic first).
    usa : int
        Index of the United States, whose share is ``1 - p`` and ``p``.
    """
    u = v[:, usa]
    cred = np.einsum("dtn,dn->dt", w_cred, v)
    cred[:, 0] += (1 - p) * u
    cred[:, 1] += p * u
    return cred


def supported(v: np.ndarray, structure: Structure, deployment_share: np.ndarray
              ) -> np.ndarray:
    """Effective capability including support received, ``(D, n)``.

    ``v + deployment_share × support @ v``: a recipient fights with a share of its
    suppliers' capability per unit of link weight (arms for Ukraine, munitions for Russia).
    """
    s = np.asarray(deployment_share, dtype=float)
    out = v.copy()
    for i, j in zip(*np.nonzero(structure.support), strict=True):
        out[:, i] += (s * structure.support[i, j]) * v[:, j]
    return out


def supported_map(L: np.ndarray, structure: Structure, deployment_share: np.ndarray,
                  inplace: bool = False) -> np.ndarray:
    """``L A`` for a batch of linear maps ``L`` ``(D, m, n)``, where ``A = I + s support``
    turns capability into effective capability (see :func:`supported`).

    Support links are few, so this adds one column per link instead of a dense product
    (into ``L`` itself with ``inplace=True``).
    """
    s = np.asarray(deployment_share, dtype=float)[:, None]
    rows, cols = np.nonzero(structure.support)
    sources = {int(i): L[:, :, i].copy() for i in set(rows.tolist())}  # read before writing
    out = L if inplace else L.copy()
    for i, j in zip(rows, cols, strict=True):
        out[:, :, j] += (s * structure.support[i, j]) * sources[int(i)]
    return out


def provocation(structure: Structure, nationalism: np.ndarray) -> np.ndarray:
    """Addition to China's perceived threat index from out-of-region presence, ``(D,)``.

    ``nationalism × summed weight of out-of-region deployments in the Indo-Pacific`` —
    not multiplied by interest, proximity or commitment: it is the visible presence, not
    its credibility, that provokes (¶16–17).
    """
    return np.asarray(nationalism, dtype=float) * structure.provocation
