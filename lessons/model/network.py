"""Actors and the signed alliance network, precomputed once per set of active links.

The data (``actors.csv``, ``links.csv``) describe who is linked to whom. This module turns
a set of active links into the arrays the dynamics use, once, so that a widget can
re-simulate on every click:

* ``F`` (friendship) and ``H`` (hostility): symmetric, non-negative ``(n, n)`` matrices over
  the state actors, summing the weights of positive and negative links between each pair.
* **NATO as an institution** is not a state and has no capability of its own (¶15). Its
  links are folded onto the states: two links ``X–NATO`` (weight ``w1``, sign ``s1``) and
  ``NATO–Y`` (``w2``, ``s2``) give a link ``X–Y`` of weight ``w1·w2`` and sign ``s1·s2``.
  So members become allies and each is a rival of Russia (NATO's rival); a summit partner
  like Japan becomes a weak rival of Russia and a weak friend of Ukraine (NATO's external
  ties, undivided) and a friend of the members with its tie spread over them (weight
  ``w1·w2 / number of members``, so a tie to the bloc is not counted once per member) —
  the "connective tissue" of ¶5.
* The three **adversary pairs** (China–Russia, Russia–North Korea, China–North Korea) have
  their friendship kept out of ``F``: it is the dynamic *cohesion* (see
  :mod:`lessons.model.engine`), which starts at ``kappa0`` (a noisy-OR of the pair's links).
* Out-of-region **deployments** to the Indo-Pacific (European ships and aircraft, ¶12, ¶16)
  per actor, and **support flows** (aid and arms for Ukraine, ¶11; China's commerce and
  North Korea's munitions for Russia, ¶3) as a supplier-to-recipient matrix.
* **Structural balance** (¶13–14; Heider 1946, Cartwright and Harary 1956) on the signed
  graph, with networkx: the triad census, and the pressure toward a positive tie for each
  adversary pair — the signed sum of two-step paths through common neighbours after adding
  the implied ties "the friend of my enemy is my enemy".

Everything here is pure and cached by the frozen set of active links.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from lessons.model import parameters
from lessons.model.errors import ModelError, choices
from lessons.model.tables import spending, table

if TYPE_CHECKING:  # networkx is imported when a balance report is asked for (it is slow)
    import networkx as nx

#: The adversary pairs whose entente cohesion the model tracks, and their subject labels.
PAIRS: tuple[tuple[str, str], ...] = (("CHN", "RUS"), ("RUS", "PRK"), ("CHN", "PRK"))
PAIR_LABELS: tuple[str, ...] = tuple(f"{a}-{b}" for a, b in PAIRS)
#: Floor and ceiling of an entente's baseline cohesion (its log-odds must be finite).
KAPPA_FLOOR, KAPPA_CEIL = 0.05, 0.95
THEATERS: tuple[str, ...] = ("euro_atlantic", "indo_pacific")


@dataclass(frozen=True, eq=False)
class Actors:
    """The state actors (NATO, an institution, is excluded) as aligned numpy arrays.

    Attributes
    ----------
    ids : tuple of str
        Actor ids in ``actors.csv`` order; index ``i`` of every per-actor array.
    spending : ndarray
        Military expenditure, US$ bn (SIPRI via :func:`lessons.data.capabilities`).
    home_ip, home_ea, home_global : ndarray of float (0/1)
        Home theater: Indo-Pacific, Euro-Atlantic, or global (the United States).
    axis : ndarray of bool
        The adversaries (bloc ``axis``: China, Russia, North Korea).
    european : ndarray of bool
        European NATO members (bloc ``nato``): their effort can be shifted (¶19–21).
    ip_partners : ndarray of bool
        The U.S.-side actors at home in the Indo-Pacific (Japan, South Korea, Australia,
        New Zealand, Taiwan): the ones European commitment in Asia is measured against.
    """

    ids: tuple[str, ...]
    spending: np.ndarray
    home_ip: np.ndarray
    home_ea: np.ndarray
    home_global: np.ndarray
    axis: np.ndarray
    european: np.ndarray
    ip_partners: np.ndarray
    institutions: frozenset[str]

    @property
    def n(self) -> int:
        """Number of state actors."""
        return len(self.ids)

    def index(self, actor: str) -> int:
        """Position of ``actor`` in the arrays; unknown ids raise :class:`ModelError`."""
        try:
            return self.ids.index(actor)
        except ValueError:
            raise ModelError(f"unknown actor {actor!r}; valid actors: {choices(self.ids)}"
                             ) from None


@cache
def actors() -> Actors:
    """Return the state actors (cached)."""
    df = table("actors")
    states = df[df["kind"] != "institution"]
    ids = tuple(str(i) for i in states["id"])
    spend = spending()
    missing = [a for a in ids if a not in spend.index or not np.isfinite(spend[a])]
    if missing:
        raise ModelError(f"no capability figure for actors {missing}")
    theater = states["theater"].astype(str).to_numpy()
    bloc = states["bloc"].astype(str).to_numpy()
    home_ip = (theater == "indo_pacific").astype(float)
    home_ea = (theater == "euro_atlantic").astype(float)
    axis = bloc == "axis"
    return Actors(
        ids=ids,
        spending=np.array([float(spend[a]) for a in ids]),
        home_ip=home_ip,
        home_ea=home_ea,
        home_global=(theater == "global").astype(float),
        axis=axis,
        european=(bloc == "nato") & (theater == "euro_atlantic"),
        ip_partners=(~axis) & (home_ip > 0),
        institutions=frozenset(str(i) for i in df.loc[df["kind"] == "institution", "id"]),
    )


@dataclass(frozen=True, eq=False)
class Structure:
    """Everything the dynamics need from one set of active links (arrays are read-only).

    Attributes
    ----------
    links : frozenset of str
        The active link ids this structure was built from.
    F, H : ndarray (n, n)
        Friendship and hostility weights between states (NATO folded onto its members);
        ``F`` excludes the adversary pairs, whose friendship is the dynamic cohesion.
    S : ndarray (n, n)
        The signed network ``F - H`` with the adversary pairs' link weights included.
    kappa0 : ndarray (3,)
        Baseline cohesion of each adversary pair (noisy-OR of its links, clipped to
        ``[0.05, 0.95]``): what cohesion decays back to without shared threat.
    deployed : ndarray (n,)
        Summed weight of each actor's out-of-region deployments to the Indo-Pacific.
    provocation : float
        Summed weight of all out-of-region deployments to the Indo-Pacific: the visible
        presence near China that nationalism reacts to (¶16–17).
    support : ndarray (n, n)
        ``support[i, j]``: weight of the support flows from ``j`` to ``i`` (aid and arms for
        Ukraine, ¶11; Chinese commerce and North Korean munitions for Russia, ¶3). A share
        ``deployment_share`` per unit of weight of the supplier's capability counts as the
        recipient's.
    commit_ip : ndarray (n,)
        European commitment to the Indo-Pacific: mean over the Asian U.S. partners of
        ``min(1, F[j, k])`` (summits, partnership programmes, deployments, membership).
    balance_coef : ndarray (3, 3)
        Pressure toward a positive tie for each adversary pair as a polynomial in the
        encirclement weight ``e``: ``coef[p, 0] + coef[p, 1]*e + coef[p, 2]*e**2``.
    retaliation : ndarray (3,)
        Retaliation pressure on each adversary pair (¶18; see :func:`retaliation`).
    """

    links: frozenset[str]
    F: np.ndarray
    H: np.ndarray
    S: np.ndarray
    kappa0: np.ndarray
    deployed: np.ndarray
    provocation: float
    support: np.ndarray
    commit_ip: np.ndarray
    balance_coef: np.ndarray
    retaliation: np.ndarray


@cache
def _link_rows() -> tuple[tuple[str, str, str, float, int, str, str], ...]:
    """(id, source, target, weight, sign, kind, theater) of every link, read once."""
    return tuple((str(r.id), str(r.source), str(r.target), float(r.weight), int(r.sign),
                  str(r.kind), str(r.theater))
                 for r in table("links").itertuples(index=False))


def _state_edges(active: frozenset[str]) -> list[tuple[str, str, float, int, str, str]]:
    """Active links as state-to-state edges (source, target, weight, sign, kind, theater),
    with links to an institution folded onto the states linked to it."""
    inst = actors().institutions
    edges, via = [], {}
    for link_id, *row in _link_rows():
        if link_id not in active:
            continue
        if row[0] in inst or row[1] in inst:
            hub, other = (row[0], row[1]) if row[0] in inst else (row[1], row[0])
            via.setdefault(hub, []).append((other, row[2], row[3], row[4], row[5]))
        else:
            edges.append(row)
    affiliation = ("treaty_alliance", "partnership")
    for hub_links in via.values():
        members = {x for x, _, s, k, _ in hub_links if k == "treaty_alliance" and s > 0}
        n_members = max(len(members), 1)
        for (x, w1, s1, k1, _), (y, w2, s2, k2, _) in combinations(hub_links, 2):
            if x == y:
                continue
            w = w1 * w2
            both_affiliated = k1 in affiliation and k2 in affiliation and s1 > 0 and s2 > 0
            if both_affiliated and not (x in members and y in members):
                w /= n_members  # a partner's tie to the bloc is spread over its members
            edges.append((x, y, w, s1 * s2, f"via:{k1}+{k2}", "global"))
    return edges


@lru_cache(maxsize=256)
def build_structure(active: frozenset[str]) -> Structure:
    """Build (and cache) the arrays for one set of active link ids.

    Parameters
    ----------
    active : frozenset of str
        Link ids in force (see :meth:`lessons.model.Scenario.active_links`).
    """
    act = actors()
    n, idx = act.n, {a: i for i, a in enumerate(act.ids)}
    F, H = np.zeros((n, n)), np.zeros((n, n))
    pair_w: dict[frozenset, list[float]] = {frozenset(p): [] for p in PAIRS}
    deployed, support = np.zeros(n), np.zeros((n, n))
    out_of_region = act.home_ip == 0  # neither Asian nor global
    for s, t, w, sign, kind, theater in _state_edges(active):
        i, j = idx[s], idx[t]
        key = frozenset((s, t))
        if kind == "support_flow" and sign > 0:
            support[j, i] += w
        if key in pair_w and sign > 0:
            pair_w[key].append(w)
            continue
        M = F if sign > 0 else H
        M[i, j] += w
        M[j, i] += w
        if kind == "deployment" and theater == "indo_pacific" and out_of_region[i] \
                and act.home_global[i] == 0:
            deployed[i] += w
    np.fill_diagonal(F, 0.0)
    np.fill_diagonal(H, 0.0)
    top = parameters.ranges()["deployment_share"][1]
    if deployed.max() * top >= 0.9:
        heavy = [act.ids[i] for i in np.flatnonzero(deployed * top >= 0.9)]
        raise ModelError(f"deployment weights of {heavy} are too large: at deployment_share "
                         f"{top} they would send 90% or more of a force abroad")
    kappa0 = np.empty(len(PAIRS))
    S = F - H
    for p, (a, b) in enumerate(PAIRS):
        ws = pair_w[frozenset((a, b))]
        kappa0[p] = np.clip(1.0 - np.prod([1.0 - min(w, 1.0) for w in ws]), KAPPA_FLOOR,
                            KAPPA_CEIL)
        S[idx[a], idx[b]] = S[idx[b], idx[a]] = float(sum(ws))
    ip = act.ip_partners
    commit = np.where(act.european, np.minimum(F[:, ip], 1.0).mean(axis=1), 0.0)
    Q = S @ S  # two-step paths; the implied tie saturates softly at a full tie
    np.fill_diagonal(Q, 0.0)
    Qc = np.tanh(Q)
    c1, c2 = S @ Qc + Qc @ S, Qc @ Qc
    coef = np.array([[Q[idx[a], idx[b]], c1[idx[a], idx[b]], c2[idx[a], idx[b]]]
                     for a, b in PAIRS])
    retal = retaliation(support, H, act)
    arrays = (F, H, S, kappa0, deployed, support, commit, coef, retal)
    for arr in arrays:
        arr.setflags(write=False)
    return Structure(links=active, F=F, H=H, S=S, kappa0=kappa0, deployed=deployed,
                     provocation=float(deployed.sum()), support=support,
                     commit_ip=commit, balance_coef=coef, retaliation=retal)


def retaliation(support: np.ndarray, H: np.ndarray, act: Actors) -> np.ndarray:
    """Retaliation pressure on each adversary pair ``(a, b)``, ``(3,)`` (¶18).

    A state answers a neighbour's partner: when a state at home in the Indo-Pacific, a
    rival of ``b``, supplies a rival of ``a`` (Seoul arming Ukraine against Moscow), ``a``
    draws closer to ``b`` (Moscow to Pyongyang), in retaliation rather than from any
    shared threat. The pressure sums, over such supply links, the link's weight times the
    two rivalries (each capped at a full rivalry), both ways round. The engine adds
    ``retaliation × (pressure − its 2021 value)`` to the pair's target log-odds.

    Parameters
    ----------
    support : ndarray (n, n)
        ``support[t, s]``: weight of the supply from ``s`` to ``t``.
    H : ndarray (n, n)
        Hostility weights between states.
    act : Actors
        The actors (for the Indo-Pacific neighbours and the pair indices).
    """
    Hc = np.minimum(H, 1.0)
    near = act.home_ip > 0
    out = np.empty(len(PAIRS))
    for p, (a, b) in enumerate(PAIRS):
        ia, ib = act.index(a), act.index(b)
        supplier = near.copy()
        supplier[[ia, ib]] = False
        flows = support[:, supplier]  # (recipient t, supplier s)
        out[p] = float((Hc[:, ia, None] * flows * Hc[None, supplier, ib]).sum()
                       + (Hc[:, ib, None] * flows * Hc[None, supplier, ia]).sum())
    return out


def signed_graph(structure: Structure, encirclement: float = 0.0) -> nx.Graph:
    """The signed, weighted network of states as a networkx graph.

    Edge attribute ``weight`` is the signed weight (``S``); with ``encirclement > 0`` the
    implied ties of structural balance are added: the two-step paths ``i–k–j`` give a tie
    ``i–j`` of weight ``encirclement * tanh(sum over k of S[i,k] * S[k,j])`` (friend of a
    friend is a friend, friend of an enemy is an enemy, enemy of an enemy is a friend;
    saturating at a full tie, so a bloc of allies counts about once).
    """
    import networkx as nx

    ids = actors().ids
    G = nx.Graph()
    G.add_nodes_from(ids)
    S = structure.S
    n = len(ids)
    for i in range(n):
        for j in range(i + 1, n):
            if S[i, j] != 0.0:
                G.add_edge(ids[i], ids[j], weight=float(S[i, j]))
    if encirclement:
        implied: dict[tuple[str, str], float] = {}
        for k in G.nodes:
            nbrs = list(G[k])
            for a, b in combinations(nbrs, 2):
                key = (a, b) if ids.index(a) < ids.index(b) else (b, a)
                implied[key] = implied.get(key, 0.0) + G[k][a]["weight"] * G[k][b]["weight"]
        for (a, b), w in implied.items():
            old = G[a][b]["weight"] if G.has_edge(a, b) else 0.0
            G.add_edge(a, b, weight=old + encirclement * math.tanh(w))
    return G


def triad_census(G: nx.Graph) -> tuple[int, int]:
    """Balanced and unbalanced triangles of a signed graph (edge attribute ``weight``).

    A triangle is balanced when the product of its three signs is positive: all friends,
    or two friends with a common enemy (Heider 1946; Cartwright and Harary 1956).
    """
    import networkx as nx

    balanced = unbalanced = 0
    for clique in nx.enumerate_all_cliques(G):
        if len(clique) < 3:
            continue
        if len(clique) > 3:
            break
        a, b, c = clique
        prod = G[a][b]["weight"] * G[b][c]["weight"] * G[a][c]["weight"]
        balanced += prod > 0
        unbalanced += prod < 0
    return balanced, unbalanced


def balance_report(structure: Structure, encirclement: float = 0.5) -> dict[str, object]:
    """Structural balance of the signed network, computed with networkx.

    Returns
    -------
    dict
        ``triads``: triangles of direct ties; ``balanced`` / ``unbalanced``: how many have a
        positive / negative product of signs; ``share_balanced``; ``pressure``: for each
        adversary pair (``"CHN-RUS"`` ...), the signed sum over common neighbours ``k`` of
        ``w(i,k)·w(k,j)`` in the network with implied ties — positive means balance
        theory presses toward a friendly tie ("the enemy of my enemy", ¶13–14).
    """
    balanced, unbalanced = triad_census(signed_graph(structure))
    Gi = signed_graph(structure, encirclement)
    pressure = {}
    for (a, b), label in zip(PAIRS, PAIR_LABELS, strict=True):
        common = set(Gi[a]) & set(Gi[b])
        pressure[label] = float(sum(Gi[a][k]["weight"] * Gi[k][b]["weight"] for k in common))
    total = balanced + unbalanced
    return {"triads": total, "balanced": balanced, "unbalanced": unbalanced,
            "share_balanced": balanced / total if total else float("nan"),
            "pressure": pressure}


def pressure(structure: Structure, encirclement: np.ndarray | float) -> np.ndarray:
    """Balance pressure on each adversary pair for one or many encirclement weights.

    The vectorised twin of ``balance_report(...)["pressure"]``: shape ``(..., 3)``.
    """
    e = np.asarray(encirclement, dtype=float)[..., None]
    c = structure.balance_coef
    return c[:, 0] + c[:, 1] * e + c[:, 2] * e * e
