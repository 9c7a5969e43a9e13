"""Richardson dynamics and the stability verdict, on hand-built systems and on the model."""

from __future__ import annotations

import numpy as np
import plain_map
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lessons.model import ModelError, engine, load_scenario, network, richardson_path, stability
from lessons.model.dynamics import Verdict, one_year_map, spectral_radius

STEPS = 1000
MARGIN = 0.03  # stay this far from the knife-edge |rho| = 1 so 1000 steps decide


def diverges(K, fatigue, x0=1.0, grievance=0.1) -> bool:
    """Simulated divergence: the path leaves every bound (or overflows)."""
    path = richardson_path(K, fatigue, grievance, x0, STEPS)
    last = path[-1]
    return not np.all(np.isfinite(last)) or np.abs(last).max() > 1e8


def settles(K, fatigue, x0=1.0, grievance=0.1) -> bool:
    """Simulated convergence to the fixed point (I - B)^-1 g."""
    B = one_year_map(K, fatigue)
    n = B.shape[0]
    fixed = np.linalg.solve(np.eye(n) - B, np.full(n, grievance))
    path = richardson_path(K, fatigue, grievance, x0, STEPS)
    return np.allclose(path[-1], fixed, atol=1e-6)


def agrees(K, fatigue) -> None:
    v = stability(K, fatigue)
    if v.label == "spiral":
        assert diverges(K, fatigue)
    else:
        assert settles(K, fatigue)


rate = st.floats(0.0, 0.7)
fatigue = st.floats(0.05, 0.95)


@settings(max_examples=40, deadline=None)
@given(k1=rate, k2=rate, a=fatigue)
def test_two_rivals_classic_condition(k1, k2, a):
    """Two rivals with equal fatigue a: spiral iff k1 k2 > a^2 (Richardson 1960)."""
    assume(abs(np.sqrt(k1 * k2) - a) > MARGIN)
    K = [[0.0, k1], [k2, 0.0]]
    v = stability(K, a)
    assert v.label == ("spiral" if k1 * k2 > a * a else "settles")
    agrees(K, a)


@settings(max_examples=40, deadline=None)
@given(k1=rate, k2=rate, a1=fatigue, a2=fatigue)
def test_two_rivals_unequal_fatigue(k1, k2, a1, a2):
    K = np.array([[0.0, k1], [k2, 0.0]])
    assume(abs(spectral_radius(one_year_map(K, [a1, a2])) - 1) > MARGIN)
    agrees(K, [a1, a2])


@settings(max_examples=40, deadline=None)
@given(ka=rate, kb=rate, kca=rate, kcb=rate, a=fatigue)
def test_two_against_one_bloc(ka, kb, kca, kcb, a):
    """A and B allied against C: spiral iff ka kca + kb kcb > a^2."""
    bloc = ka * kca + kb * kcb
    assume(abs(np.sqrt(bloc) - a) > MARGIN)
    K = [[0.0, 0.0, ka], [0.0, 0.0, kb], [kca, kcb, 0.0]]
    assert stability(K, a).label == ("spiral" if bloc > a * a else "settles")
    agrees(K, a)


def test_a_bloc_can_spiral_where_each_dyad_settles():
    k, a = 0.25, 0.3
    assert stability([[0, k], [k, 0]], a).label == "settles"
    bloc = [[0, 0, k], [0, 0, k], [k, k, 0]]
    assert stability(bloc, a).label == "spiral"
    assert settles([[0, k], [k, 0]], a) and diverges(bloc, a)


@settings(max_examples=40, deadline=None)
@given(entries=st.lists(st.floats(-0.6, 0.6), min_size=9, max_size=9), a=fatigue,
       x0=st.lists(st.floats(0.1, 2.0), min_size=3, max_size=3))
def test_arbitrary_matrices_with_deterrence(entries, a, x0):
    """Negative entries (deterrence) too: the verdict agrees with the simulated path."""
    K = np.array(entries).reshape(3, 3)
    np.fill_diagonal(K, 0.0)
    rho = spectral_radius(one_year_map(K, a))
    assume(abs(rho - 1) > MARGIN)
    x0 = np.array(x0)
    if rho > 1:
        # a generic start has a component along the dominant direction
        other = x0 + np.array([0.3, 0.0, -0.1])
        assert diverges(K, a, x0=x0, grievance=0.0) or diverges(K, a, x0=other)
    else:
        assert settles(K, a, x0=x0)


def test_verdict_object():
    assert Verdict.of(1.2) == Verdict(1.2, "spiral")
    assert Verdict.of(0.9).label == "settles"
    assert Verdict.of(1.0).label == "settles"


@pytest.mark.parametrize("K, fatigue", [
    ([[0, 1]], 0.3),  # not square
    ([], 0.3),
    ([[0, float("nan")], [0, 0]], 0.3),
    ([[0, 0.1], [0.1, 0]], float("inf")),
])
def test_bad_systems(K, fatigue):
    with pytest.raises(ModelError):
        stability(K, fatigue)


def test_bad_steps():
    with pytest.raises(ModelError):
        richardson_path([[0, 0.1], [0.1, 0]], 0.3, 0.1, 1.0, -1)


# --------------------------------------------------------------------------- the model


def _run(name: str, **params):
    sc = load_scenario(name).with_params(**params)
    st_ = network.build_structure(sc.link_set())
    return engine.run(st_, engine.params_batch(sc.params), 6, verdict=False)


@pytest.mark.parametrize("name, params", [
    ("mid_2024", {}),
    ("deeper_interlinking", {"theta": 0.4, "reaction": 0.35, "nationalism": 0.4}),
    ("deterrence_world", {"euro_interest": 1.0, "generosity": 0.3}),
])
def test_one_year_map_reproduces_the_simulation(name, params):
    out = _run(name, **params)
    state = out["state"]
    for t in range(6):
        x, k, tau = plain_map.one_year(state, out["posture"][:, t], out["cohesion"][:, t])
        assert np.allclose(tau, out["threat"][:, t], rtol=1e-12, atol=1e-12)
        assert np.allclose(x, out["posture"][:, t + 1], rtol=1e-12, atol=1e-12)
        assert np.allclose(k, out["cohesion"][:, t + 1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name, params", [
    ("mid_2024", {}),
    ("deeper_interlinking", {"theta": 0.5, "reaction": 0.35}),
    ("deterrence_world", {"euro_interest": 1.0, "deterrence_sensitivity": 2.0}),
])
def test_jacobian_matches_finite_differences(name, params):
    """The verdict's linearisation is the derivative of the model's own one-year map."""
    state = _run(name, **params)["state"]
    J = engine.jacobian(state)[0]
    x, k = state.x, state.kappa
    n, h = x.shape[1], 1e-6
    fd = np.zeros_like(J)
    for j in range(n + 3):
        dx, dk = np.zeros_like(x), np.zeros_like(k)
        if j < n:
            dx[0, j] = h
        else:
            dk[0, j - n] = h
        xp, kp, _ = plain_map.one_year(state, x + dx, k + dk, p=state.p)
        xm, km, _ = plain_map.one_year(state, x - dx, k - dk, p=state.p)
        fd[:, j] = np.concatenate([(xp - xm)[0], (kp - km)[0]]) / (2 * h)
    assert np.allclose(J, fd, atol=1e-7)


def test_model_verdict_matches_growth_far_out():
    """Once cohesion has saturated, the verdict's eigenvalue is the growth rate."""
    from lessons.model import simulate

    for params in ({"reaction": 0.4, "fatigue": 0.15}, {"reaction": 0.4, "fatigue": 0.3}):
        res = simulate(load_scenario("deeper_interlinking").with_params(**params), horizon=150)
        x = res.arrays["posture"]
        growth = (x[-1] / x[-2]).max()
        assert res.verdict.label == "spiral"
        assert growth == pytest.approx(res.verdict.eigenvalue, rel=2e-3)
    calm = simulate(load_scenario("mid_2024"), horizon=150)
    x = calm.arrays["posture"]
    assert calm.verdict.label == "settles" and np.allclose(x[-1], x[-2], rtol=1e-6)


@pytest.mark.parametrize("name", ["baseline_2021", "mid_2024", "deeper_interlinking",
                                  "authors_alternative", "deterrence_world"])
def test_the_single_draw_path_and_the_batched_loop_give_the_same_run(name):
    """One draw takes engine.run's fast path; the same draw twice takes the batched loop."""
    sc = load_scenario(name)
    st_ = network.build_structure(sc.link_set())
    one = engine.run(st_, engine.params_batch(sc.params), 40, verdict=True)
    two = engine.run(st_, engine.params_batch(sc.params, 2), 40, verdict=True)
    for metric in ("posture", "threat", "tension", "cohesion", "credibility",
                   "diplomacy_window", "crisis_risk", "us_pivot"):
        np.testing.assert_allclose(one[metric][0], two[metric][1], rtol=1e-12, atol=1e-12,
                                   err_msg=metric)
    np.testing.assert_allclose(one["eigenvalue"][0], two["eigenvalue"][1], rtol=1e-12)
    assert one["verdict"]["kind"][0] == two["verdict"]["kind"][1]
