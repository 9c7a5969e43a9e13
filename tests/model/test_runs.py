"""lessons.model.runs: the shared cache of model runs."""

import doctest

import numpy as np
import pytest

from lessons import model
from lessons.model import ModelError, load_scenario, simulate
from lessons.model import runs as runs_mod
from lessons.model.runs import RUNS, RunCache, run


@pytest.fixture(autouse=True)
def _fresh():
    RUNS.clear()
    yield
    RUNS.clear()


def test_module_doctest():
    assert doctest.testmod(runs_mod).failed == 0


def test_misses_then_hits_and_the_same_object():
    cache = RunCache()
    sc = load_scenario("mid_2024")
    first = cache.run(sc, 20)
    assert (cache.hits, cache.misses, len(cache)) == (0, 1, 1)
    again = cache.run(sc, 20)
    assert again is first
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)
    # an equal scenario built afresh is the same run
    assert cache.run(load_scenario("mid_2024"), 20) is first
    assert (cache.hits, cache.misses) == (2, 1)


def test_the_cached_result_is_what_simulate_gives():
    sc = load_scenario("deeper_interlinking").with_params(theta=0.4)
    res = run(sc, 12)
    fresh = simulate(sc, horizon=12)
    assert res.horizon == 12
    for metric, arr in fresh.arrays.items():
        np.testing.assert_array_equal(res.arrays[metric], arr)


def test_what_changes_a_run_changes_the_key():
    cache = RunCache()
    sc = load_scenario("mid_2024")
    base = cache.run(sc, 10)
    others = [cache.run(sc, 11),
              cache.run(sc.with_toggle("ap4_membership", True), 10),
              cache.run(sc.with_params(theta=0.3), 10)]
    assert all(o is not base for o in others)
    assert (cache.hits, cache.misses) == (0, 4)


def test_the_structure_year_is_part_of_the_key():
    sc = load_scenario("baseline_2021")
    other = type(sc)(name=sc.name, description=sc.description, toggles=sc.toggles,
                     params=sc.params, structure=2024)
    assert RunCache.key(sc, 20) != RunCache.key(other, 20)


def test_clear_forgets_runs_and_counts():
    cache = RunCache()
    sc = load_scenario("mid_2024")
    first = cache.run(sc, 5)
    cache.run(sc, 5)
    cache.clear()
    assert (cache.hits, cache.misses, len(cache)) == (0, 0, 0)
    assert cache.run(sc, 5) is not first
    assert cache.misses == 1


def test_discard_forgets_one_run():
    cache = RunCache()
    sc = load_scenario("mid_2024")
    first = cache.run(sc, 5)
    kept = cache.run(sc, 6)
    cache.discard(sc, 5)
    assert cache.run(sc, 5) is not first
    assert cache.run(sc, 6) is kept


def test_least_recently_used_is_forgotten_first():
    cache = RunCache(maxsize=2)
    sc = load_scenario("mid_2024")
    a, b = cache.run(sc, 3), cache.run(sc, 4)
    assert cache.run(sc, 3) is a  # 3 is now the most recent
    cache.run(sc, 5)  # evicts 4
    assert len(cache) == 2
    assert cache.run(sc, 3) is a
    assert cache.run(sc, 4) is not b


def test_run_accepts_names_and_shares_RUNS():
    res = run("mid_2024")
    assert res.horizon == runs_mod.DEFAULT_HORIZON == 20
    assert run(load_scenario("mid_2024")) is res
    assert (RUNS.hits, RUNS.misses) == (1, 1)


def test_errors_are_model_errors_and_cache_nothing():
    with pytest.raises(ModelError, match="valid scenarios"):
        run("no_such_world")
    with pytest.raises(ModelError, match="horizon"):
        run("mid_2024", 0)
    with pytest.raises(ModelError, match="needs a Scenario"):
        RUNS.run("mid_2024", 20)
    assert len(RUNS) == 0 and RUNS.misses == 0


def test_clear_caches_clears_the_runs():
    run("mid_2024")
    model.clear_caches()
    assert len(RUNS) == 0
