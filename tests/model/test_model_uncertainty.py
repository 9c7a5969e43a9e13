"""Monte Carlo over the parameter ranges and one-factor-at-a-time sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.model import (
    ModelError,
    load_scenario,
    monte_carlo,
    network,
    parameters,
    sensitivity,
    simulate,
    toggle_effect,
)
from lessons.model.montecarlo import QUANTILES, draw_params, quantiles

SUMMARY = ["year", "metric", "subject", "mean", "sd", "q05", "q25", "q50", "q75", "q95"]
SENS = ["parameter", "low_value", "high_value", "outcome_at_low", "outcome_at_high", "swing",
        "flips_sign"]


@pytest.fixture(scope="module")
def mid():
    return load_scenario("mid_2024")


def test_summary_frame(mid):
    df = monte_carlo(mid, draws=400, seed=1, horizon=10)
    assert list(df.columns) == SUMMARY
    n_subjects = sum(len(s) for s in simulate(mid).metrics().values())
    assert len(df) == 11 * n_subjects
    assert df["year"].min() == 2024 and df["year"].max() == 2034
    q = df[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= -1e-12)
    start = df[(df.year == 2024) & (df.metric == "posture")]
    assert np.allclose(start["mean"], 1.0) and np.allclose(start["sd"], 0.0)
    assert df.attrs["scenario"] == "mid_2024" and df.attrs["draws"] == 400
    assert "theta" in df.attrs["varied"]


def test_quantiles_match_numpy():
    x = np.random.default_rng(0).normal(size=(7, 501))
    assert np.allclose(quantiles(x), np.quantile(x, QUANTILES, axis=1), rtol=1e-6, atol=1e-6)


def test_draws_match_single_simulations(mid):
    """The vectorised batch computes exactly what simulate computes, draw by draw."""
    tidy = monte_carlo(mid, draws=4, seed=5, horizon=8, summary=False)
    P = draw_params(mid, 4, seed=5)
    for d in range(4):
        one = simulate(mid.with_params(**{k: float(v[d]) for k, v in P.items()}), horizon=8)
        mine = tidy[tidy["draw"] == d]
        assert np.allclose(mine["value"].to_numpy(), one.tidy["value"].to_numpy(),
                           rtol=1e-10, atol=1e-12)
        assert (mine["metric"].to_numpy() == one.tidy["metric"].to_numpy()).all()


def test_draws_stay_in_range_and_scenario_choices_are_held(mid):
    P = draw_params(mid, 2000, seed=3)
    for k, (low, high) in parameters.ranges().items():
        assert P[k].min() >= low and P[k].max() <= high
        assert np.ptp(P[k]) > 0, k
    det = load_scenario("deterrence_world")
    Pd = draw_params(det, 500, seed=3)
    assert np.all(Pd["theta"] == det.params["theta"])
    # the stream does not depend on what is varied: common random numbers
    only = draw_params(det, 500, seed=3, vary=["nationalism"])
    assert np.array_equal(only["nationalism"], Pd["nationalism"])
    assert np.all(only["reaction"] == det.params["reaction"])


def test_verdict_and_tidy_options(mid):
    df = monte_carlo(mid, draws=200, seed=2, horizon=5, verdict=True)
    eig = df[df.metric == "eigenvalue"]
    assert len(eig) == 1 and eig["year"].item() == 2029 and eig["q95"].item() > 0
    tidy = monte_carlo(mid, draws=30, seed=2, horizon=5, summary=False,
                       metrics=["tension", "cohesion"], verdict=True)
    assert list(tidy.columns) == ["draw", "year", "metric", "subject", "value"]
    assert set(tidy.metric) == {"tension", "cohesion", "eigenvalue"}
    assert len(tidy[tidy.metric == "tension"]) == 30 * 6 * 2


def test_toggle_effect(mid):
    out = toggle_effect(mid, "ap4_membership", draws=300, seed=4)
    assert set(out) == {"share_raises", "mean_effect", "q05", "q50", "q95", "draws"}
    assert out["share_raises"] > 0.8 and out["q05"] <= out["q50"] <= out["q95"]
    det = toggle_effect(load_scenario("deterrence_world").with_params(euro_interest=1.0),
                        "ap4_membership", draws=300, seed=4)
    assert det["share_raises"] < 0.2  # a greedy China facing committed Europeans


def test_sensitivity_table(mid):
    df = sensitivity(mid, metric="tension", subject="indo_pacific")
    assert list(df.columns[:7]) == SENS
    assert {"base_outcome", "verdict_at_low", "verdict_at_high", "flips_verdict"} <= set(df)
    assert sorted(df["parameter"]) == sorted(parameters.names())
    assert df["swing"].is_monotonic_decreasing
    row = df.set_index("parameter").loc["nationalism"]
    lo = simulate(mid.with_params(nationalism=row["low_value"])).final("tension", "indo_pacific")
    hi = simulate(mid.with_params(nationalism=row["high_value"])).final("tension",
                                                                        "indo_pacific")
    assert row["outcome_at_low"] == pytest.approx(lo, rel=1e-10)
    assert row["outcome_at_high"] == pytest.approx(hi, rel=1e-10)
    assert row["swing"] == pytest.approx(abs(hi - lo))
    base = simulate(mid).final("tension", "indo_pacific")
    assert df["base_outcome"].iloc[0] == pytest.approx(base, rel=1e-10)
    assert not df["flips_sign"].any()  # tension is a positive index
    rf = df.set_index("parameter")
    assert rf.loc["reaction", "flips_verdict"]  # fast reaction turns a settling world to a spiral


def test_sensitivity_of_a_toggle_effect_names_what_flips_it(mid):
    """Which assumption decides whether AP4 membership raises China's posture? theta."""
    sc = mid.with_params(euro_interest=1.0)
    df = sensitivity(sc, metric="posture", subject="CHN", toggle="ap4_membership")
    flips = set(df.loc[df["flips_sign"], "parameter"])
    assert "theta" in flips
    row = df.set_index("parameter").loc["theta"]
    assert row["outcome_at_low"] < 0 < row["outcome_at_high"]
    on = simulate(sc.with_params(theta=0.0).with_toggle("ap4_membership", True))
    off = simulate(sc.with_params(theta=0.0).with_toggle("ap4_membership", False))
    assert row["outcome_at_low"] == pytest.approx(on.final("posture", "CHN")
                                                  - off.final("posture", "CHN"), rel=1e-9)


@pytest.mark.parametrize("call, word", [
    (lambda sc: monte_carlo(sc, draws=0), "draws"),
    (lambda sc: monte_carlo(sc, draws=True), "draws"),
    (lambda sc: monte_carlo(sc, draws=10, horizon=0), "horizon"),
    (lambda sc: monte_carlo(sc, draws=10, vary=["warp"]), "warp"),
    (lambda sc: monte_carlo(sc, draws=10, summary=False, metrics=["mood"]), "mood"),
    (lambda sc: monte_carlo("mid_2024"), "Scenario"),
    (lambda sc: toggle_effect(sc, "warp_drive"), "warp_drive"),
    (lambda sc: toggle_effect(sc, "ap4_summits", metric="mood"), "mood"),
    (lambda sc: toggle_effect(sc, "ap4_summits", subject="mars"), "mars"),
    (lambda sc: sensitivity(sc, metric="mood"), "mood"),
    (lambda sc: sensitivity(sc, subject="mars"), "mars"),
    (lambda sc: sensitivity(sc, toggle="warp_drive"), "warp_drive"),
    (lambda sc: sensitivity("mid_2024"), "Scenario"),
    (lambda sc: monte_carlo(sc, draws=10, seed="abc"), "seed"),
    (lambda sc: monte_carlo(sc, draws=10, seed=-1), "seed"),
    (lambda sc: monte_carlo(sc, draws=10, seed=1.5), "seed"),
    (lambda sc: monte_carlo(sc, draws=10, seed=True), "seed"),
    (lambda sc: monte_carlo(sc, draws=10, vary="theta"), "vary=['theta']"),
    (lambda sc: monte_carlo(sc, draws=10, vary=5), "list of parameter names"),
    (lambda sc: monte_carlo(sc, draws=10, summary="no"), "summary"),
    (lambda sc: monte_carlo(sc, draws=10, summary=False, metrics="tension"),
     "metrics=['tension']"),
    (lambda sc: draw_params(sc, 10, seed="abc"), "seed"),
    (lambda sc: toggle_effect(sc, "ap4_summits", draws=10, seed=-1), "seed"),
    (lambda sc: toggle_effect(sc, "ap4_summits", draws=10, vary="theta"), "vary=['theta']"),
    (lambda sc: toggle_effect("mid_2024", "ap4_summits"), "Scenario"),
    (lambda sc: sensitivity(sc, vary="theta"), "vary=['theta']"),
    (lambda sc: sensitivity(sc, vary=["thetta"]), "thetta"),
    (lambda sc: sensitivity(sc, vary=[]), "at least one"),
])
def test_bad_input(mid, call, word):
    with pytest.raises(ModelError) as e:
        call(mid)
    assert word in str(e.value)


def test_structure_cache_is_shared(mid):
    a = network.build_structure(mid.link_set())
    assert network.build_structure(load_scenario("mid_2024").link_set()) is a


def test_numpy_seeds_and_counts_are_accepted(mid):
    """A seed or a draw count computed with numpy is as good as a Python int."""
    a = monte_carlo(mid, draws=np.int64(20), seed=np.uint32(7), horizon=3)
    b = monte_carlo(mid, draws=20, seed=7, horizon=3)
    assert a.equals(b)
    assert a.attrs["draws"] == 20


def test_vary_generator_is_read_once(mid):
    """A generator for vary is consumed once; the record of what varied still holds it
    (with one draw nothing spreads, so the record can only come from vary itself)."""
    df = monte_carlo(mid, draws=1, seed=3, horizon=3, vary=(n for n in ["theta"]))
    assert df.attrs["varied"] == ["theta"]


def test_sensitivity_of_chosen_parameters_matches_the_full_table(mid):
    full = sensitivity(mid, horizon=5).set_index("parameter")
    some = sensitivity(mid, horizon=5, vary=["nationalism", "theta"]).set_index("parameter")
    assert sorted(some.index) == ["nationalism", "theta"]
    cols = ["outcome_at_low", "outcome_at_high", "swing", "base_outcome"]
    assert np.allclose(some[cols].to_numpy(), full.loc[some.index, cols].to_numpy(),
                       rtol=1e-12, atol=1e-12)
