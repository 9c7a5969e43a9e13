"""How fast a click reaches the charts: ``toggle_to_chart_ms`` and its neighbours.

``toggle_to_chart_ms`` is the median time from setting a link toggle's checkbox value in
Python (what a click does in JupyterLab) until the FigureWidget of lesson 04's explorer
(network, tension, cohesion and verdict, one widget) holds the new data and every summary
is recomputed — the model run included: the run for the new state is evicted from the
cache first, so each sample pays for a real simulation. Target: 30 ms.

Also reported: the same in CPU time of this process (what the figure would be on an idle
machine: wall time grows with the machine's load), the same with the run cached (returning
to a state already seen), a θ slider move (two model runs: the state and its baseline
ghost), and one model run alone.
"""

from __future__ import annotations

import os
import statistics
import time

from lessons.live import widgets
from lessons.model.runs import RUNS
from lessons.views import charts

CHARTS = ("network", "tension", "cohesion", "verdict")
HORIZON = 20
SAMPLES = 45


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1e3, 3)


def run() -> list[dict]:
    saved = os.environ.pop("LESSONS_STATIC", None)  # the live path is what is measured
    try:
        return _measure()
    finally:
        if saved is not None:
            os.environ["LESSONS_STATIC"] = saved


def _measure() -> list[dict]:
    from lessons import model

    ex = widgets.Explorer("04", charts=CHARTS, scenario="mid_2024", theta=0.8,
                          horizon=HORIZON)
    toggles = list(ex.controls.toggles)
    for tid in toggles[:3]:  # warm-up: first-use costs (imports, validators) are not a click
        box = ex.controls.toggles[tid]
        box.value = not box.value
        box.value = not box.value

    uncached, cpu, checked = [], [], 0
    for i in range(SAMPLES):
        tid = toggles[i % len(toggles)]
        box = ex.controls.toggles[tid]
        target = ex.scenario.with_toggle(tid, not box.value)
        RUNS.discard(target, HORIZON)
        started, started_cpu = time.perf_counter(), time.process_time()
        box.value = not box.value
        uncached.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if i % 9 == 0:  # the widget really holds the new state (checked outside the timing)
            fresh = charts.compose(ex.chart_names, ex.state)
            if charts.figure_data(ex.figure) != charts.figure_data(fresh):
                raise AssertionError("the FigureWidget does not hold the new data")
            checked += 1

    cached = []
    box = ex.controls.toggles["euro_taiwan_patrols"]
    for _ in range(SAMPLES):
        started = time.perf_counter()
        box.value = not box.value
        cached.append(time.perf_counter() - started)

    slider, theta = [], ex.controls.sliders["theta"]
    for i in range(SAMPLES // 3):
        value = round(0.3 + 0.6 * ((i * 7) % 15) / 15 + 0.0137 * i, 4) % 1.0
        started = time.perf_counter()
        theta.value = value
        slider.append(time.perf_counter() - started)

    runs = []
    sc = ex.scenario
    for _ in range(SAMPLES // 3):
        started = time.perf_counter()
        model.simulate(sc, horizon=HORIZON)
        runs.append(time.perf_counter() - started)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    where = (f"{len(CHARTS)} charts ({', '.join(CHARTS)}), horizon {HORIZON}, {SAMPLES} "
             f"samples, load average {load:.1f} on {os.cpu_count()} CPUs")
    return [
        {"name": "toggle_to_chart_ms", "value": _median_ms(uncached), "unit": "ms",
         "target": 30,
         "note": f"checkbox value set -> FigureWidgets updated, new model run included; "
                 f"{where}; data checked equal to a fresh figure {checked} times"},
        {"name": "toggle_to_chart_cpu_ms", "value": _median_ms(cpu), "unit": "ms",
         "note": "the same samples in CPU time of the kernel process (independent of load)"},
        {"name": "toggle_to_chart_cached_ms", "value": _median_ms(cached), "unit": "ms",
         "note": "the same, returning to a state already simulated (run cache hit)"},
        {"name": "theta_to_chart_ms", "value": _median_ms(slider), "unit": "ms",
         "note": "θ slider moved -> charts updated (two model runs: state and baseline ghost)"},
        {"name": "model_run_ms", "value": _median_ms(runs), "unit": "ms",
         "note": f"one lessons.model.simulate call, horizon {HORIZON} (for comparison)"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
