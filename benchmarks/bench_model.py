"""Speed of the model (``lessons.model``): one run, a toggle, a Monte Carlo.

* ``simulate_ms``: median wall time of ``simulate(load_scenario("mid_2024"), horizon=20)``
  — every actor and metric, 2024 to 2044 (the stability verdict and the tidy frame are
  computed on first access; they are timed apart below). Target 2 ms.
* ``toggle_ms``: switch one toggle (alternately on and off) and re-simulate, with the
  structure cache emptied first, so each sample rebuilds the network arrays as a new
  combination of links would. Target 5 ms.
* ``montecarlo_10k_s``: ``monte_carlo(mid_2024, draws=10_000, horizon=20)`` — parameter
  draws, the vectorised simulation of all draws and the fan-chart summary. Target 1 s.

Also reported, without targets: the verdict and the tidy frame on top of a run, a cached
toggle (returning to a combination already seen), a 10,000-draw Monte Carlo with every
draw's stability verdict, and ``numpy_op_us``, the time of one tiny numpy multiplication,
which shows how busy the machine was (about 0.4 µs when idle). Each note also gives the
median CPU time of the process, which a busy machine inflates less than wall time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

SAMPLES = 200


def _median(fn: Callable[[], object], samples: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()``."""
    wall, cpu = [], []
    for _ in range(samples):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall), statistics.median(cpu)


def _row(name: str, timing: tuple[float, float], unit: str, note: str,
         target: float | None = None) -> dict:
    scale = 1e3 if unit == "ms" else 1.0
    wall, cpu = timing
    row = {"name": name, "value": round(wall * scale, 3), "unit": unit,
           "note": f"{note}; CPU {cpu * scale:.3g} {unit}"}
    if target is not None:
        row["target"] = target
    return row


def run() -> list[dict]:
    import numpy as np

    from lessons.model import load_scenario, monte_carlo, network, simulate, threat

    sc = load_scenario("mid_2024")
    _ = simulate(sc).verdict  # warm up: data, caches, the 2021 reference
    rows = []
    rows.append(_row("simulate_ms", _median(lambda: simulate(sc, horizon=20), SAMPLES), "ms",
                     "mid_2024, 16 actors, 8 metrics, 2024-2044", target=2))

    def full():
        res = simulate(sc, horizon=20)
        return res.verdict, res.tidy

    rows.append(_row("simulate_verdict_tidy_ms", _median(full, SAMPLES // 2), "ms",
                     "plus the stability verdict and the tidy DataFrame"))
    state = {"on": False}

    def toggle(cold: bool):
        if cold:
            network.build_structure.cache_clear()
            threat._constants.cache_clear()
        state["on"] = not state["on"]
        return simulate(sc.with_toggle("euro_taiwan_patrols", state["on"]), horizon=20)

    rows.append(_row("toggle_ms", _median(lambda: toggle(True), SAMPLES // 2), "ms",
                     "euro_taiwan_patrols on/off, network arrays rebuilt each time",
                     target=5))
    rows.append(_row("toggle_cached_ms", _median(lambda: toggle(False), SAMPLES // 2), "ms",
                     "the same, returning to a combination already seen"))
    monte_carlo(sc, draws=500, horizon=20)  # warm up
    rows.append(_row("montecarlo_10k_s",
                     _median(lambda: monte_carlo(sc, draws=10_000, seed=2024, horizon=20), 3),
                     "s", "10,000 draws x 21 years, fan-chart summary", target=1))
    rows.append(_row("montecarlo_10k_verdict_s",
                     _median(lambda: monte_carlo(sc, draws=10_000, seed=2024, horizon=20,
                                                 verdict=True), 1),
                     "s", "the same with every draw's stability verdict"))
    a = np.ones((1, 16))
    op = _median(lambda: a * a, 2000)
    rows.append({"name": "numpy_op_us", "value": round(op[0] * 1e6, 3), "unit": "us",
                 "note": "one tiny numpy multiply: how busy the machine was (idle: ~0.4)"})
    return rows
