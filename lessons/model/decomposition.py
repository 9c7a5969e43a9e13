"""Credible deterrence taken apart: who contributes, and through which factor.

Each U.S.-side actor's credible deterrence in a theater is capability × interest ×
proximity × commitment (:mod:`lessons.model.credibility`, ¶15–17). The simulation only
needs the sums; lessons and views need the pieces, at 2024 postures, before any posture
change: :func:`credibility_contributions` (how much each actor counts) and
:func:`credibility_breakdown` (the four factors behind it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lessons.model import burden, credibility, network, threat
from lessons.model.engine import _reference, _world, params_batch, simulate
from lessons.model.errors import ModelError
from lessons.model.metrics import THEATER_SUBJECTS
from lessons.model.scenario import Scenario


def credibility_contributions(sc: Scenario) -> pd.DataFrame:
    """Credible deterrence each U.S.-side actor contributes per theater, at 2024 postures.

    The pieces of the credibility index (¶15–17): capability in theater × interest ×
    proximity × commitment, for each actor, before any posture change. Columns ``actor``,
    ``theater``, ``credible`` (capability-index units; the United States has capability 1)
    and ``share`` (of the theater's total).
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"expected a Scenario, got {type(sc).__name__}")
    act = network.actors()
    st = network.build_structure(sc.link_set())
    P = params_batch(sc.params)
    w = _world(st, act, P, np.ones(1))
    c = threat.capability_index(act.spending, P["capability_exponent"])
    ve = credibility.supported(c, st, P["deployment_share"])
    e_ref = _reference(P)[3]
    p = burden.pivot(P["us_pivot"], P["burden_shift"], np.einsum("dn,dn->d", c, w.home),
                     e_ref)
    usa = act.index("USA")
    rows = []
    for t, theater in enumerate(THEATER_SUBJECTS):
        contrib = w.w_cred[0, t] * ve[0]
        contrib[usa] = (p[0] if t == 1 else 1 - p[0]) * ve[0, usa]
        total = contrib.sum()
        for i, actor in enumerate(act.ids):
            if contrib[i] > 0:
                rows.append({"actor": actor, "theater": theater, "credible": contrib[i],
                             "share": contrib[i] / total})
    return pd.DataFrame(rows)


#: The four factors of credibility, in the order the model multiplies them (¶15–17).
CREDIBILITY_FACTORS: tuple[str, ...] = ("capability", "interest", "proximity", "commitment")


def credibility_breakdown(sc: Scenario, theater: str = "indo_pacific") -> pd.DataFrame:
    """Credible deterrence per U.S.-side actor in a theater at 2024 postures, factor by
    factor (the decomposition lesson 05 charts).

    Each actor's credible deterrence is capability × interest × proximity × commitment
    (:mod:`lessons.model.credibility`, ¶15–17), with the U.S. pivot of the scenario's first
    simulated year; this returns each factor, so a view can show *why* an actor counts
    for little (a European navy far from home and with little at stake, ¶17) rather than
    only how much it counts (:func:`credibility_contributions`).

    * **capability**: effective capability index (spending relative to the United States
      to the power ``capability_exponent``, plus support received);
    * **interest**: 1 for the United States and states at home in the theater;
      ``euro_interest`` for European states in the Indo-Pacific;
    * **proximity**: the U.S. pivot (or ``1 - pivot`` in the Euro-Atlantic) for the
      United States; for European states in Asia the deployed share plus
      ``distance_discount`` times the rest; for European states at home the share not
      deployed to Asia; 1 for the Asian allies at home;
    * **commitment**: 1 for the United States and states at home; for European states in
      the Indo-Pacific their ties to the Asian partners.

    Parameters
    ----------
    sc : Scenario
        The scenario (links in force and parameters).
    theater : {"indo_pacific", "euro_atlantic"}
        Which theater's deterrence to decompose.

    Returns
    -------
    pandas.DataFrame
        One row per U.S.-side actor that can contribute in the theater, in actor order:
        ``actor``, ``group`` (``"us"``, ``"resident"`` or ``"european"``), the four
        factors, ``credible`` (their product, capability-index units) and ``share`` (of
        the theater's total). ``attrs`` holds ``theater``, ``total`` and ``index`` (the
        model's credibility index for the theater in 2024; 2021 = 1).

    Raises
    ------
    ModelError
        Not a Scenario, or an unknown theater (the message lists the valid ones).
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"expected a Scenario, got {type(sc).__name__}")
    if theater not in THEATER_SUBJECTS:
        raise ModelError(f"unknown theater {theater!r}; valid theaters: "
                         f"{', '.join(sorted(THEATER_SUBJECTS))}")
    act = network.actors()
    st = network.build_structure(sc.link_set())
    P = params_batch(sc.params)
    c = threat.capability_index(act.spending, P["capability_exponent"])
    ve = credibility.supported(c, st, P["deployment_share"])[0]
    dep = threat.deployed_share(st, P["deployment_share"])[0]
    first = simulate(sc, horizon=1)
    pivot = float(first.series("us_pivot", "indo_pacific")[0])
    d = float(P["distance_discount"][0])
    ei = float(P["euro_interest"][0])
    ip = theater == "indo_pacific"
    rows = []
    for i, actor in enumerate(act.ids):
        if act.axis[i]:
            continue
        if act.home_global[i]:
            group, interest, commitment = "us", 1.0, 1.0
            proximity = pivot if ip else 1.0 - pivot
        elif (act.home_ip[i] if ip else act.home_ea[i]):
            group, interest, commitment = "resident", 1.0, 1.0
            proximity = 1.0 if ip else 1.0 - float(dep[i])
        elif ip and act.european[i]:
            group, interest = "european", ei
            proximity = float(dep[i]) + d * (1.0 - float(dep[i]))
            commitment = float(st.commit_ip[i])
        else:
            continue
        capability = float(ve[i])
        rows.append({"actor": actor, "group": group, "capability": capability,
                     "interest": interest, "proximity": proximity, "commitment": commitment,
                     "credible": capability * interest * proximity * commitment})
    table = pd.DataFrame(rows)
    total = float(table["credible"].sum())
    table["share"] = table["credible"] / total if total > 0 else 0.0
    table.attrs = {"theater": theater, "total": total,
                   "index": float(first.series("credibility", theater)[0])}
    return table
