"""Model runs remembered: a small cache so that a repeated run costs nothing.

A student toggling a link back and forth, or a lesson returning to a scenario, asks for
the same run again; widgets, views and summaries share :data:`RUNS` so they all profit.
A run depends only on the links in force (toggles and structure year), the parameter
values and the horizon, so that is the cache key: a scenario's name, description and
reasons do not change any number.

>>> from lessons.model.runs import RUNS, run
>>> RUNS.clear()
>>> first = run("mid_2024")
>>> run("mid_2024") is first, RUNS.hits, RUNS.misses
(True, 1, 1)
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from lessons.model.engine import simulate
from lessons.model.errors import ModelError
from lessons.model.result import Result
from lessons.model.scenario import Scenario, resolve

#: Years simulated when a caller does not say.
DEFAULT_HORIZON = 20

_Key = tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, float], ...], int, int]


class RunCache:
    """A least-recently-used cache of :func:`lessons.model.simulate` results.

    Parameters
    ----------
    maxsize : int
        Runs remembered; the least recently used is forgotten first.

    Attributes
    ----------
    hits, misses : int
        Lookups answered from the cache and runs actually simulated (the benchmark clears
        the cache to time real model runs).
    """

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._runs: OrderedDict[_Key, Result] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._runs)

    @staticmethod
    def key(scenario: Scenario, horizon: int) -> _Key:
        """What a model run depends on.

        Parameters
        ----------
        scenario : Scenario
            The scenario to run.
        horizon : int
            Years to simulate.

        Returns
        -------
        tuple
            The toggles, the parameters, the structure year and the horizon (the
            structure year decides which structural links are in force, so two scenarios
            with the same toggles and parameters but different years are different runs).
        """
        return (
            tuple(sorted((str(k), bool(v)) for k, v in scenario.toggles.items())),
            tuple(sorted((str(k), float(v)) for k, v in scenario.params.items())),
            int(scenario.structure),
            int(horizon),
        )

    def run(self, scenario: Scenario, horizon: int = DEFAULT_HORIZON) -> Result:
        """The model result for ``scenario`` over ``horizon`` years, simulated at most once.

        Parameters
        ----------
        scenario : Scenario
            The scenario to run (see :func:`run` for names).
        horizon : int
            Years to simulate (1 to 200).

        Returns
        -------
        Result
            The same object on a repeat, so derived values it caches (``tidy``,
            ``verdict``) are computed once too.

        Raises
        ------
        ModelError
            Not a Scenario, or a bad horizon (from :func:`lessons.model.simulate`);
            nothing is cached then.
        """
        if not isinstance(scenario, Scenario):
            raise ModelError(f"RunCache.run() needs a Scenario (use lessons.model.runs.run "
                             f"for a name), got {type(scenario).__name__}")
        key = self.key(scenario, horizon)
        hit = self._runs.get(key)
        if hit is not None:
            self.hits += 1
            self._runs.move_to_end(key)
            return hit
        result = simulate(scenario, horizon=horizon)  # checks scenario and horizon
        self.misses += 1
        self._runs[key] = result
        if len(self._runs) > self.maxsize:
            self._runs.popitem(last=False)
        return result

    def discard(self, scenario: Scenario, horizon: int = DEFAULT_HORIZON) -> None:
        """Forget one run (the benchmark uses it to time a real model run).

        Parameters
        ----------
        scenario : Scenario
            The scenario whose run to forget.
        horizon : int
            Its horizon.
        """
        self._runs.pop(self.key(scenario, horizon), None)

    def clear(self) -> None:
        """Forget every cached run and reset the hit and miss counts."""
        self._runs.clear()
        self.hits = self.misses = 0


#: The cache shared by every widget, view and summary in the kernel.
RUNS = RunCache()


def run(scenario: Scenario | str | Path, horizon: int = DEFAULT_HORIZON) -> Result:
    """Run the model for a scenario or its name, through the shared cache :data:`RUNS`.

    Parameters
    ----------
    scenario : Scenario, str or Path
        Anything :func:`lessons.model.resolve` accepts.
    horizon : int
        Years to simulate (1 to 200).

    Returns
    -------
    Result
        The same object as the previous call for the same links, parameters and horizon.

    Raises
    ------
    ModelError
        An unknown scenario (the message lists the valid names) or a bad horizon.
    """
    return RUNS.run(resolve(scenario), horizon)
