"""Lesson 07 (Reciprocity): views of the iterated game between the coalition and China.

The game itself is :mod:`lessons.model.reciprocity` (Axelrod's payoffs, misperception as
noise, six strategies, the round-robin and the replicator dynamics, vectorised and
seeded); this module only draws it and puts it into words. This module turns it into what the lesson
shows, one idea at a time, in the style of the explorable "The Evolution of Trust":

* :func:`tournament` and :func:`tournament_figure` — a round-robin in which every strategy
  meets every strategy (itself included), as in Axelrod's tournaments; :func:`winner` and
  :func:`predict` for the predict-first question ("which strategy earns most?");
* :func:`match_figure` and :func:`echo_figure` — single matches drawn round by round, so
  that a misperception and the *echo* of retaliation it sets off can be seen, and the same
  misperceptions met with generosity;
* :func:`evolution` and :func:`evolution_figure` — Axelrod's ecological tournament: the
  strategies that earn more become more common, generation after generation;
* :func:`noise_sweep_figure` — which strategy the population converges to at no, little
  and much misperception (:func:`lessons.model.reciprocity.noise_sweep`);
* :func:`types_figure` — the coalition's payoff against a China whose type is uncertain
  (a reciprocator with probability θ, a greedy confronter otherwise; Kydd 2005), for the
  "both sides" debate between the spiral and deterrence models (Jervis 1976);
* :class:`GameExplorer` — the live widget: strategy dropdowns and sliders for noise and
  generosity driving Plotly ``FigureWidget``s updated in place (``batch_update``); in
  static mode (:func:`lessons.mode.is_static`) the same figures as static ``go.Figure``
  objects with their text summaries. The scaffolding it shares with lesson 08's explorer
  (widgets, in-place updates, static display) is :mod:`lessons.live.explorer`.

This module is what the lesson imports: the game's tournament and matches are built in
:mod:`lessons.live.game_play`, its evolution, noise sweep and types in
:mod:`lessons.live.game_dynamics`; the explorer is here. Every figure has a pure builder
and a one- or two-sentence summary computed from the same numbers. Results are cached by
their inputs; the same inputs (seed included) always give the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from lessons.live import explorer as lv
from lessons.live.figure_widget import update_in_place as update_in_place  # re-exported (public)
from lessons.live.game_dynamics import (
    SWEEP_WORDS,
    THETA_GRID,
    against_types,
    evolution,
    evolution_figure,
    expected_payoff,
    noise_sweep,
    noise_sweep_figure,
    regret,
    summarise_evolution,
    summarise_noise_sweep,
    summarise_types,
    theta_marks,
    types_figure,
)
from lessons.live.game_play import (
    DEFAULT_GENEROSITY,
    DESCRIPTIONS,
    ECHO_PAIRS,
    LABELS,
    MATCHES,
    NOISE_RANGE,
    ROUNDS_RANGE,
    STATIC_NOTE,
    STRATEGIES,
    STYLE,
    GameViewError,
    Match,
    _strategy,
    check,
    echo_figure,
    explain_winner,
    intent,
    match,
    match_figure,
    mutual_share,
    predict,
    scores,
    slips,
    summarise_echo,
    summarise_match,
    summarise_tournament,
    tournament,
    tournament_figure,
    tournament_table,
    winner,
)
from lessons.views.text import percent

__all__ = [
    "CHARTS",
    "DEFAULT_GENEROSITY",
    "DESCRIPTIONS",
    "ECHO_PAIRS",
    "LABELS",
    "MATCHES",
    "NOISE_RANGE",
    "ROUNDS_RANGE",
    "STATIC_NOTE",
    "STRATEGIES",
    "STYLE",
    "SWEEP_WORDS",
    "THETA_GRID",
    "GameExplorer",
    "GameState",
    "GameViewError",
    "Match",
    "against_types",
    "chart",
    "check",
    "echo_figure",
    "evolution",
    "evolution_figure",
    "expected_payoff",
    "explain_winner",
    "explore",
    "intent",
    "match",
    "match_figure",
    "mutual_share",
    "noise_sweep",
    "noise_sweep_figure",
    "predict",
    "regret",
    "scores",
    "slips",
    "summarise_echo",
    "summarise_evolution",
    "summarise_match",
    "summarise_noise_sweep",
    "summarise_tournament",
    "summarise_types",
    "theta_marks",
    "tournament",
    "tournament_figure",
    "tournament_table",
    "types_figure",
    "update_in_place",
    "winner",
]

# --------------------------------------------------------------------------- live widget


@dataclass(frozen=True)
class GameState:
    """What the game explorer shows: both sides' strategies and the game's settings."""

    coalition: str = "tit_for_tat"
    china: str = "tit_for_tat"
    noise: float = 0.05
    generosity: float = DEFAULT_GENEROSITY
    rounds: int = 50
    seed: int = 2024

    def __post_init__(self) -> None:
        _strategy(self.coalition, "coalition strategy")
        _strategy(self.china, "China strategy")
        check(self.noise, self.rounds, self.generosity, self.seed)

    def describe(self) -> str:
        return (f"coalition {LABELS[self.coalition].lower()}, China "
                f"{LABELS[self.china].lower()}, {percent(self.noise)} misperceived, "
                f"generosity {self.generosity:.2f}, {self.rounds} rounds, seed {self.seed}")


#: The charts of the game explorer, each a pair (figure builder, summary) of a state.
CHARTS: dict[str, tuple[Any, Any]] = {
    "match": (
        lambda s: match_figure([(s.coalition, s.china)], s.noise, s.rounds, s.generosity,
                               s.seed),
        lambda s: summarise_match([(s.coalition, s.china)], s.noise, s.rounds, s.generosity,
                                  s.seed),
    ),
    "tournament": (
        lambda s: tournament_figure(s.noise, s.rounds, s.generosity, s.seed),
        lambda s: summarise_tournament(s.noise, s.rounds, s.generosity, s.seed),
    ),
}


def chart(name: str, state: GameState) -> tuple[go.Figure, str]:
    """A fresh static figure of chart ``name`` for ``state``, and its summary."""
    return lv.chart(CHARTS, name, state, GameViewError)


class GameExplorer(lv.ChartExplorer):
    """The live game: strategy dropdowns and sliders for noise and generosity.

    Live (JupyterLab): standard ipywidgets (Tab moves between them, arrow keys move a
    slider) beside Plotly ``FigureWidget`` charts, each built from a complete
    ``go.Figure`` and afterwards updated in place (``batch_update``) with exactly the data
    of a fresh static figure of the new state; a sentence under each chart says what it
    shows. Static (:func:`lessons.mode.is_static`): the same charts for the starting state
    as static figures, each followed by its summary. Nothing random is unseeded.
    """

    chart_table = CHARTS
    error = GameViewError
    static_note = STATIC_NOTE
    heading = "Lesson 07: the reciprocity game"
    intro = ("<strong>The game</strong><br><span style='font-size:85%;color:#444'>"
             "Choose a strategy for each side, then move the sliders. Generosity "
             "only matters for generous tit-for-tat.</span>")
    side_by_side = True

    def __init__(self, coalition: str = "tit_for_tat", china: str = "tit_for_tat",
                 noise: float = 0.05, generosity: float = DEFAULT_GENEROSITY,
                 rounds: int = 50, seed: int = 2024,
                 charts: Sequence[str] = ("match", "tournament")) -> None:
        super().__init__(GameState(coalition, china, float(noise), float(generosity),
                                   int(rounds), int(seed)), charts)

    def set(self, **changes: Any) -> None:
        """Change the state (``coalition``, ``china``, ``noise``, ``generosity``,
        ``rounds``, ``seed``); the controls follow when live."""
        unknown = [k for k in changes if k not in GameState.__dataclass_fields__]
        if unknown:
            raise GameViewError(f"unknown setting(s) {unknown}; valid settings: "
                                f"{', '.join(GameState.__dataclass_fields__)}")
        new = GameState(**{**self.state.__dict__, **changes})  # validates
        self._move(changes)
        self._apply(new)

    def _changed(self, key: str, value: Any) -> GameState:
        return GameState(**{**self.state.__dict__, key: value})

    def _controls(self) -> dict[str, Any]:
        import ipywidgets as w

        s = self.state
        options = [(LABELS[k], k) for k in STRATEGIES]
        style = lv.caption_style()
        lay = w.Layout(width="100%")
        return {
            "coalition": w.Dropdown(options=options, value=s.coalition,
                                    description="Coalition", style=style, layout=lay,
                                    tooltip="The strategy of the U.S.-led coalition"),
            "china": w.Dropdown(options=options, value=s.china, description="China",
                                style=style, layout=lay, tooltip="China's strategy"),
            "noise": w.FloatSlider(value=s.noise, min=NOISE_RANGE[0], max=NOISE_RANGE[1],
                                   step=0.01, readout_format=".2f", description="Noise",
                                   continuous_update=False, style=style, layout=lay,
                                   tooltip="Chance that a move is misperceived"),
            "generosity": w.FloatSlider(value=s.generosity, min=0.0, max=1.0, step=0.05,
                                        readout_format=".2f", description="Generosity",
                                        continuous_update=False, style=style, layout=lay,
                                        tooltip="Chance that generous tit-for-tat answers "
                                                "a confrontation with accommodation"),
        }


def explore(**kwargs: Any) -> GameExplorer:
    """The live game explorer (see :class:`GameExplorer`)."""
    return GameExplorer(**kwargs)
