"""A transparent model of the argument in "The Folly of Interlinking NATO and US Asian
Alliances" (Park and DerSimonian, The Diplomat, July 2024).

An **illustration of an argument, not a forecast**: a student toggles alliance links and
watches the security dilemma the authors predict unfold, then flips the assumptions (above
all the adversaries' motive mix ``theta``) to see when it does not.

>>> from lessons.model import load_scenario, simulate
>>> sc = load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True)
>>> res = simulate(sc, horizon=20)
>>> sorted(res.tidy.columns)
['metric', 'subject', 'value', 'year']

The mechanisms (described in ``docs/model.md``), one module each: perceived threat
(:mod:`.threat`), motive mix and Richardson posture dynamics with a stability verdict
(:mod:`.dynamics`), entente cohesion and the simulation loop (:mod:`.engine`), credibility
and provocation (:mod:`.credibility`), the Korean diplomacy window (:mod:`.korea`),
reciprocity (:mod:`.reciprocity`), burden shifting (:mod:`.burden`), structural balance
(:mod:`.network`). Parameters and scenarios are data (``data/parameters.csv``,
``data/scenarios/*.yaml``); uncertainty in :mod:`.montecarlo` and :mod:`.sensitivity`.
"""

from lessons.model.decomposition import credibility_breakdown, credibility_contributions
from lessons.model.dynamics import Verdict, richardson_path, stability
from lessons.model.engine import simulate
from lessons.model.errors import ModelError
from lessons.model.montecarlo import monte_carlo, toggle_effect
from lessons.model.network import balance_report
from lessons.model.parameters import list_parameters
from lessons.model.result import METRICS, Result
from lessons.model.scenario import (
    Scenario,
    list_scenarios,
    list_toggles,
    load_scenario,
    resolve,
    save_scenario,
    scenario_reasons,
)
from lessons.model.sensitivity import sensitivity

#: The model's mechanisms (``docs/model.md``, "The mechanisms"), as named in
#: ``data/claims.csv`` and ``data/parameters.csv``, with the module that encodes each and
#: the paragraphs.
MECHANISMS: dict[str, str] = {
    "perceived_threat": "lessons.model.threat (balance of threat, ¶13-14)",
    "motive_mix": "lessons.model.dynamics (spiral vs deterrence, theta, ¶13, ¶17)",
    "arms_dynamics": "lessons.model.dynamics (N-actor Richardson dynamics, ¶13)",
    "entente_cohesion": "lessons.model.engine (cohesion of the adversary pairs, ¶13-14, ¶18)",
    "credibility": "lessons.model.credibility (extended deterrence, ¶15-17)",
    "provocation": "lessons.model.credibility (nationalism, ¶16-17)",
    "diplomacy_window": "lessons.model.korea (the Korean diplomacy window, ¶18)",
    "reciprocity": "lessons.model.reciprocity (the iterated game, ¶17, ¶21)",
    "burden_shifting": "lessons.model.burden (Europe for Europe, pivot to Asia, ¶19-21)",
    "structural_balance": "lessons.model.network (signed-network balance, ¶13-14)",
    "crisis_risk": "lessons.model.engine (crisis-risk index by theater)",
}


def clear_caches() -> None:
    """Forget every cached table, structure, reference and model run (after editing
    ``data/``, so that no result computed from the old data is served again)."""
    from lessons.model import engine, network, parameters, runs, scenario, tables, threat

    runs.RUNS.clear()

    for fn in (tables.table, tables.spending, parameters._spec, network.actors,
               network.build_structure, network._link_rows, scenario._toggle_links,
               scenario._default_toggles, scenario.reference_toggles, scenario._link_records,
               scenario._link_sets, scenario._paragraph_ids,
               engine._reference_structure, engine._reference, engine._mutual_accommodation,
               engine._constants, engine._logit_kappa0, threat._constants):
        fn.cache_clear()


def structural_balance(sc: Scenario) -> dict:
    """Structural balance of a scenario's signed network (triad census and the pressure
    toward a positive tie for each adversary pair), computed with networkx."""
    from lessons.model.network import build_structure

    return balance_report(build_structure(sc.link_set()), sc.params["encirclement"])


__all__ = [
    "MECHANISMS",
    "METRICS",
    "ModelError",
    "Result",
    "Scenario",
    "Verdict",
    "clear_caches",
    "credibility_breakdown",
    "credibility_contributions",
    "list_parameters",
    "list_scenarios",
    "list_toggles",
    "load_scenario",
    "monte_carlo",
    "resolve",
    "richardson_path",
    "save_scenario",
    "scenario_reasons",
    "sensitivity",
    "simulate",
    "stability",
    "structural_balance",
    "toggle_effect",
]
