"""Uncertainty views for the capstone (lesson 09): how robust is the authors' argument?

Four questions a student asks of a model before trusting what it says, each answered by a
pure function that returns a table or a figure, and a twin that says the same in one or two
sentences (the chart's alt text):

* **Which assumption moves the result most, and which values flip it?** One-factor-at-a-
  time sensitivity (ten Broeke et al. 2016) from :func:`lessons.model.sensitivity`, drawn as
  a tornado chart (:func:`tornado_figure`, :func:`summarise_tornado`); the values at which
  an effect changes sign or the stability verdict changes, found on a grid
  (:func:`flip_points`, :func:`summarise_flips`).
* **How uncertain is the path?** Seeded Monte Carlo over every parameter's plausible range
  (:func:`lessons.model.monte_carlo`), drawn as a fan chart: the median and the 50% and 90%
  bands over the years (:func:`fan_runs`, :func:`fan_quantiles`, :func:`fan_figure`,
  :func:`summarise_fan`).
* **In how many of those worlds does a link make things worse?** The share of draws in
  which switching links on raises an output, measured draw by draw with common random
  numbers (:func:`effect_share`, :func:`effect_shares`, :func:`summarise_shares`).
* **Which of the authors' predictions survive a change of world?** Every modelled claim of
  the registry (``data/claims.csv``) checked as a direction of change in two worlds — the
  authors' (``mid_2024``, high θ) and the deterrence model's (``deterrence_world``, low θ)
  (:data:`CLAIM_CHECKS`, :func:`claims_survival`, :func:`summarise_survival`,
  :func:`unchecked_claims`).

Two helpers serve the "build, save and render your own scenario" part of the lesson:
:func:`describe_scenario` and :func:`render_check` (whether ``lessons render`` accepts a
value for a lesson's ``scenario`` parameter).

Everything is an **illustration of an argument, not a forecast**: the numbers are indices
under teaching assumptions, and the point is which conclusions change when the assumptions
do. All model runs are vectorised over draws or grid points (one batch per structure).

The views live by question: :mod:`lessons.views.sensitivity_view` (tornado, flip points,
the shared parameter and outcome names), :mod:`lessons.views.fan_view` (fan chart, effect
shares) and :mod:`lessons.views.claims_view` (claim checks, own scenarios). This module
re-exports the names lesson 09's notebook and :mod:`lessons.live.lesson09` use
(``from lessons.views import uncertainty_view as uv``).
"""

from __future__ import annotations

from lessons.views.claims_view import (
    claims_survival,
    describe_scenario,
    render_check,
    summarise_survival,
    unchecked_claims,
)
from lessons.views.fan_view import (
    effect_shares,
    fan_figure,
    fan_runs,
    summarise_fan,
    summarise_shares,
)
from lessons.views.labels import parameter_label
from lessons.views.sensitivity_view import (  # lessons.live.lesson09 reads it here
    _sens_outcome as _sens_outcome,
)
from lessons.views.sensitivity_view import (
    deeper_toggles,
    flip_points,
    summarise_flips,
    summarise_tornado,
    switched,
    top_parameter,
    tornado_figure,
)

__all__ = [
    "claims_survival",
    "deeper_toggles",
    "describe_scenario",
    "effect_shares",
    "fan_figure",
    "fan_runs",
    "flip_points",
    "parameter_label",
    "render_check",
    "summarise_fan",
    "summarise_flips",
    "summarise_shares",
    "summarise_survival",
    "summarise_tornado",
    "switched",
    "top_parameter",
    "tornado_figure",
    "unchecked_claims",
]
