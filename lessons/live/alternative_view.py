"""Lesson 08 (The alternative): a cost–benefit view for Washington, ¶19–21.

Two policies are compared in the model of the authors' argument:

* **interlink** — the links of mid-2024 (``mid_2024``) or the deeper interlinking the
  authors warn against (``deeper_interlinking``);
* **divide the labour** — the authors' alternative (``authors_alternative``): Europe
  concentrates on Europe, the United States pivots to Asia, Washington answers Beijing
  with some generosity (¶19–21; burden shifting in :mod:`lessons.model.burden`).

Washington's ledger is six end-of-horizon outcomes (:data:`OUTCOMES`), each with the
direction that is better for Washington: tension in each theater, the share of U.S.
capability in Asia (the model's ``us_pivot`` metric), credible deterrence in Asia (the
proponents' benefit), crisis risk in Asia, and China–Russia cohesion. The views:

* :func:`outcomes` / :func:`outcomes_figure` — the ledger for the three scenarios, with
  the 2021 baseline under the same assumptions as a dotted reference;
* :func:`scorecard` / :func:`verdicts` / :func:`worlds_figure` — the alternative's
  advantage over an interlinking scenario in the authors' world (θ = 0.8, the model's
  default) and in the deterrence-model world (θ of the ``deterrence_world`` scenario),
  with verdicts scored by the collection's tolerance rule (a move under 0.05 is little
  change): which conclusions depend on θ;
* :func:`ingredients` / :func:`ingredients_figure` — the alternative taken apart: the
  links pared back, then each of its assumptions added one at a time;
* :func:`paper_tiger` / :func:`paper_tiger_figure` — credible deterrence in Asia "on
  paper" (European stakes counted in full) and "when tested" (¶19);
* :class:`CostBenefitExplorer` — the live view: sliders for the assumptions, the ledger
  and the advantage chart updated in place (static figures and summaries in static mode);
  its scaffolding, shared with lesson 07's explorer, is :mod:`lessons.live.explorer`.

This module is what the lesson imports: the ledger and the two worlds are built in
:mod:`lessons.live.alternative_ledger`, the ingredients, the paper tiger and the
predict-first question in :mod:`lessons.live.alternative_parts`; the explorer is here.
Model runs go through the lessons' shared run cache (:data:`lessons.model.runs.RUNS`); the
model is deterministic, so a cached run equals a fresh one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from lessons import model
from lessons.live import explorer as lv
from lessons.live.alternative_ledger import (
    ALTERNATIVE,
    BASELINE,
    HORIZON_RANGE,
    INGREDIENT_LABELS,
    INGREDIENT_TICKS,
    LABELS,
    OUTCOMES,
    PHRASE,
    SCENARIOS,
    SHORT,
    SLIDERS,
    STATIC_NOTE,
    STYLE,
    TICK,
    AlternativeViewError,
    Outcome,
    _horizon,
    _label,
    _params,
    _ranges,
    _scenario_name,
    _world_phrase,
    advantage,
    best,
    outcomes,
    outcomes_figure,
    run,
    scenario,
    scorecard,
    summarise_outcomes,
    summarise_worlds,
    verdicts,
    worlds,
    worlds_figure,
)
from lessons.live.alternative_parts import (
    explain_prediction,
    ingredients,
    ingredients_figure,
    ledger_widget,
    paper_tiger,
    paper_tiger_figure,
    predict,
    predict_outcome,
    summarise_ingredients,
    summarise_paper_tiger,
)
from lessons.views.labels import SLIDER_LABELS

__all__ = [
    "ALTERNATIVE",
    "BASELINE",
    "CHARTS",
    "HORIZON_RANGE",
    "INGREDIENT_LABELS",
    "INGREDIENT_TICKS",
    "LABELS",
    "OUTCOMES",
    "PHRASE",
    "SCENARIOS",
    "SHORT",
    "SLIDERS",
    "SLIDER_LABELS",
    "STATIC_NOTE",
    "STYLE",
    "TICK",
    "AlternativeViewError",
    "CostBenefitExplorer",
    "LedgerState",
    "Outcome",
    "advantage",
    "best",
    "chart",
    "explain_prediction",
    "ingredients",
    "ingredients_figure",
    "ledger_widget",
    "outcomes",
    "outcomes_figure",
    "paper_tiger",
    "paper_tiger_figure",
    "predict",
    "predict_outcome",
    "run",
    "scenario",
    "scorecard",
    "summarise_ingredients",
    "summarise_outcomes",
    "summarise_paper_tiger",
    "summarise_worlds",
    "verdicts",
    "worlds",
    "worlds_default",
    "worlds_figure",
]

# --------------------------------------------------------------------------- live view


@dataclass(frozen=True)
class LedgerState:
    """What the cost–benefit explorer shows: the interlinking scenario compared, the
    horizon, and the assumptions (applied to every scenario)."""

    interlink: str = "mid_2024"
    horizon: int = 20
    params: tuple[tuple[str, float], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _scenario_name(self.interlink, "interlinking scenario")
        _horizon(self.horizon)
        _params(dict(self.params))

    @property
    def p(self) -> dict[str, float]:
        return dict(self.params)

    def describe(self) -> str:
        bits = ", ".join(f"{SLIDER_LABELS.get(k, k)} {v:.2f}" for k, v in self.params)
        return (f"{_label(self.interlink)} against the authors' "
                f"alternative, {self.horizon} years" + (f", {bits}" if bits else ""))


CHARTS: dict[str, tuple[Any, Any]] = {
    "ledger": (lambda s: outcomes_figure(s.horizon, **s.p),
               lambda s: summarise_outcomes(s.horizon, **s.p)),
    "advantage": (
        lambda s: worlds_figure(s.interlink, s.horizon,
                                {f"Your assumptions ({_world_phrase(s.p)})":
                                 s.p.get("theta", worlds_default())},
                                **{k: v for k, v in s.p.items() if k != "theta"}),
        lambda s: summarise_worlds(s.interlink, s.horizon,
                                   {f"Your assumptions ({_world_phrase(s.p)})":
                                    s.p.get("theta", worlds_default())},
                                   **{k: v for k, v in s.p.items() if k != "theta"})),
}


def worlds_default() -> float:
    """θ of the authors' world (the model's default)."""
    return next(iter(worlds().values()))


def chart(name: str, state: LedgerState) -> tuple[go.Figure, str]:
    """A fresh static figure of chart ``name`` for ``state``, and its summary."""
    return lv.chart(CHARTS, name, state, AlternativeViewError)


class CostBenefitExplorer(lv.ChartExplorer):
    """Washington's ledger, live: a picker for the interlinking scenario and sliders for
    the assumptions (θ, Europe's stake in Asia, how much European effort frees U.S.
    capacity, Chinese nationalism).

    Live: standard ipywidgets beside ``FigureWidget``s built from complete ``go.Figure``s
    and updated in place (``batch_update``) to exactly a fresh static figure of the new
    state, each with a sentence that updates with it. Static
    (:func:`lessons.mode.is_static`): the starting state's figures and summaries.
    """

    chart_table = CHARTS
    error = AlternativeViewError
    static_note = STATIC_NOTE
    heading = "Lesson 08: Washington's ledger"
    intro = ("<strong>Assumptions</strong><br><span style='font-size:85%;"
             "color:#444'>They apply to every scenario alike. θ = 1: adversaries "
             "seek security (spiral model); θ = 0: they are greedy (deterrence "
             "model).</span>")
    side_by_side = False

    def __init__(self, interlink: str = "mid_2024", horizon: int = 20,
                 charts: Sequence[str] = ("ledger", "advantage"), **params: float) -> None:
        super().__init__(LedgerState(interlink, horizon, tuple(sorted(_params(params).items()))),
                         charts)

    def set(self, interlink: str | None = None, horizon: int | None = None,
            **params: float) -> None:
        """Change the state; the controls follow when live."""
        p = {**self.state.p, **_params(params)}
        new = LedgerState(interlink or self.state.interlink,
                          self.state.horizon if horizon is None else horizon,
                          tuple(sorted(p.items())))
        self._move({**({} if interlink is None else {"interlink": interlink}), **params})
        self._apply(new)

    def _changed(self, key: str, value: Any) -> LedgerState:
        if key == "interlink":
            return LedgerState(value, self.state.horizon, self.state.params)
        p = {**self.state.p, key: float(value)}
        return LedgerState(self.state.interlink, self.state.horizon, tuple(sorted(p.items())))

    def _controls(self) -> dict[str, Any]:
        import ipywidgets as w

        defaults = model.list_parameters().set_index("name")
        style = lv.caption_style()
        lay = w.Layout(width="100%")
        controls: dict[str, Any] = {"interlink": w.Dropdown(
            options=[(LABELS[s], s) for s in ("mid_2024", "deeper_interlinking")]
            + ([] if self.state.interlink in ("mid_2024", "deeper_interlinking")
               else [(_label(self.state.interlink),
                      self.state.interlink)]),
            value=self.state.interlink, description="Compare with", style=style,
            layout=lay, tooltip="The interlinking scenario the alternative is compared with")}
        ranges = _ranges()
        for name in SLIDERS:
            lo, hi = (0.0, 1.0) if name == "theta" else ranges[name]
            value = self.state.p.get(name, float(defaults.loc[name, "default"]))
            controls[name] = w.FloatSlider(
                value=value, min=lo, max=hi, step=0.05 if hi - lo <= 2 else 0.1,
                readout_format=".2f", description=SLIDER_LABELS[name],
                continuous_update=False, style=style, layout=lay,
                tooltip=str(defaults.loc[name, "explanation"]))
        return controls
