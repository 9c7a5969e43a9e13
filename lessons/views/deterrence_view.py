"""The views of lessons 05 (credibility and provocation) and 06 (Korea), under the name
the notebooks import (``from lessons.views import deterrence_view as dv``).

The views themselves live by topic: :mod:`lessons.views.credibility_view` (who makes
deterrence credible, spending, munitions reports, the shared scenarios),
:mod:`lessons.views.deployment_view` (what a European deployment in Asia does) and
:mod:`lessons.views.korea_view` (Seoul's alignment and the patrons' leverage). This
module only re-exports the names the lesson notebooks use, so their code stays as it is.
"""

from __future__ import annotations

from lessons.views.credibility_view import (
    PRESENCE_TOGGLES,
    assumptions,
    capability_comparison,
    capability_figure,
    credibility_factors,
    factors_figure,
    munitions_figure,
    munitions_reports,
    scenario_with,
    summarise_capabilities,
    summarise_factors,
    summarise_munitions,
    without_european_presence,
)
from lessons.views.deployment_view import (
    deployment_ledger,
    ledger_figure,
    presence_map,
    presence_map_figure,
    summarise_ledger,
    summarise_presence_map,
)
from lessons.views.korea_view import (
    SEOUL_TOGGLES,
    korea_effects,
    korea_steps,
    leverage_figure,
    leverage_sweep,
    pair_outcome,
    restraint_curves,
    restraint_figure,
    summarise_korea_effects,
    summarise_leverage,
    summarise_restraint,
    support_marks,
)

__all__ = [
    "PRESENCE_TOGGLES",
    "SEOUL_TOGGLES",
    "assumptions",
    "capability_comparison",
    "capability_figure",
    "credibility_factors",
    "deployment_ledger",
    "factors_figure",
    "korea_effects",
    "korea_steps",
    "ledger_figure",
    "leverage_figure",
    "leverage_sweep",
    "munitions_figure",
    "munitions_reports",
    "pair_outcome",
    "presence_map",
    "presence_map_figure",
    "restraint_curves",
    "restraint_figure",
    "scenario_with",
    "summarise_capabilities",
    "summarise_factors",
    "summarise_korea_effects",
    "summarise_ledger",
    "summarise_leverage",
    "summarise_munitions",
    "summarise_presence_map",
    "summarise_restraint",
    "support_marks",
    "without_european_presence",
]
