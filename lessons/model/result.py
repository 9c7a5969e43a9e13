"""The result of a simulation: metrics by year and subject, with what produced them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd

from lessons.model import network
from lessons.model.dynamics import Verdict, verdict_of
from lessons.model.metrics import START_YEAR, subject_column, subjects
from lessons.model.scenario import Scenario

#: What each metric means, in words (for chart captions and alt text).
METRICS: Mapping[str, str] = MappingProxyType({
    "posture": "military posture index (1 = the actor's 2021 level)",
    "threat": "perceived threat index (1 = what the actor perceived in 2021)",
    "tension": "tension in the theater: posture times perceived threat of the actors based "
               "there, weighted by capability (1 = 2021)",
    "cohesion": "cohesion of the entente, from 0 (none) to 1 (full alliance)",
    "credibility": "credible deterrence the U.S.-led side projects in the theater (1 = 2021)",
    "diplomacy_window": "window for Korean diplomacy, from 0 (closed) to 1 (wide open)",
    "crisis_risk": "crisis-risk index from 0 to 1 (an index, not a probability forecast)",
    "us_pivot": "share of U.S. capability in the Indo-Pacific",
})


@dataclass(frozen=True, eq=False)
class Result:
    """What :func:`lessons.model.simulate` returns.

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    params : Mapping[str, float]
        Every parameter value used.
    horizon : int
        Years simulated after 2024.
    arrays : Mapping[str, ndarray]
        Per metric, an array ``(horizon + 1, number of subjects)``.
    verdict : Verdict
        Stability of the dynamics (postures and entente cohesion) over the long run, from a
        200-year path whatever the horizon (computed on first access).
    """

    scenario: Scenario
    params: Mapping[str, float]
    horizon: int
    arrays: Mapping[str, np.ndarray] = field(repr=False)
    _state: object = field(repr=False, default=None)
    #: Computes the long-run arrays of :func:`lessons.model.dynamics.long_run` on demand
    #: (the engine supplies it, so this module need not import the engine).
    _long_run: Callable[[], Mapping[str, np.ndarray]] | None = field(repr=False, default=None)

    @cached_property
    def verdict(self) -> Verdict:
        """Stability verdict, decided on a 200-year path whatever the horizon (see
        :func:`lessons.model.dynamics.long_run`): the spectral radius of the one-year map
        (postures and entente cohesion) linearised at the path's end, the label, and the
        verdict in words with its time scale (``verdict.text``)."""
        if self._long_run is None:
            raise AttributeError("this Result has no long run to decide a verdict on "
                                 "(build it with lessons.model.simulate)")
        return verdict_of(self._long_run())

    def __post_init__(self) -> None:
        for arr in self.arrays.values():
            arr.setflags(write=False)
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "arrays", MappingProxyType(dict(self.arrays)))

    @property
    def years(self) -> np.ndarray:
        """The years, ``2024 .. 2024 + horizon``."""
        return np.arange(START_YEAR, START_YEAR + self.horizon + 1)

    @staticmethod
    def metrics() -> dict[str, tuple[str, ...]]:
        """Metric name -> its subjects."""
        return subjects(network.actors())

    def _column(self, metric: str, subject: str) -> int:
        return subject_column(metric, subject)

    def series(self, metric: str, subject: str) -> np.ndarray:
        """One metric for one subject over the years (a read-only array)."""
        col = self._column(metric, subject)
        return self.arrays[metric][:, col]

    def final(self, metric: str, subject: str) -> float:
        """One metric for one subject in the last year."""
        return float(self.series(metric, subject)[-1])

    @cached_property
    def tidy(self) -> pd.DataFrame:
        """All metrics in long form: columns ``year`` (int), ``metric``, ``subject`` (str),
        ``value`` (float); built on first access."""
        years = self.years
        metrics = self.metrics()
        names = list(metrics)
        return pd.DataFrame({
            "year": np.concatenate([np.repeat(years, len(metrics[m])) for m in names]),
            "metric": pd.array(np.concatenate(
                [np.full(len(years) * len(metrics[m]), m, dtype=object) for m in names]),
                dtype=str),
            "subject": pd.array(np.concatenate(
                [np.tile(np.array(metrics[m], dtype=object), len(years)) for m in names]),
                dtype=str),
            "value": np.concatenate([self.arrays[m].reshape(-1) for m in names]),
        })

    def __repr__(self) -> str:
        return (f"Result(scenario={self.scenario.name!r}, horizon={self.horizon}, "
                f"verdict={self.verdict})")
