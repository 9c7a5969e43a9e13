"""The capstone's uncertainty views agree with the model they summarise.

Expected values are recomputed here from the model's public API (sensitivity, monte_carlo,
simulate, toggle_effect) rather than pasted, so each test fails if a view drifts from it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lessons import data, model
from lessons.views import claims_view, fan_view, labels, sensitivity_view, summaries
from lessons.views import uncertainty_view as uv

TOGGLE = "euro_taiwan_patrols"


@pytest.fixture(scope="module")
def mid():
    return model.load_scenario("mid_2024")


@pytest.fixture(scope="module")
def sens(mid):
    return model.sensitivity(mid, metric="crisis_risk", subject="indo_pacific", toggle=TOGGLE)


@pytest.fixture(scope="module")
def survival():
    return uv.claims_survival()


# --------------------------------------------------------------------------- tornado


def test_tornado_bars_equal_sensitivity_sorted_by_swing(sens):
    top = 8
    fig = uv.tornado_figure(sens, top=top)
    expected = sens.sort_values("swing", ascending=False, kind="stable").head(top)
    low, high = fig.data
    assert len(low.y) == len(high.y) == top
    names = [uv.parameter_label(p) for p in expected["parameter"]]
    assert [lbl.split(" ⇄")[0] for lbl in low.y] == names
    base = expected["base_outcome"].to_numpy()
    np.testing.assert_allclose(np.add(low.base, low.x), expected["outcome_at_low"], atol=2e-6)
    np.testing.assert_allclose(np.add(high.base, high.x), expected["outcome_at_high"], atol=2e-6)
    np.testing.assert_allclose(low.base, base, atol=1e-6)
    swings = np.abs(np.subtract(high.x, low.x))
    assert np.all(np.diff(swings) <= 1e-6), "bars are not sorted by swing"
    assert [t.text for t in (low, high)] == [
        tuple(f"low {v:g}" for v in expected["low_value"]),
        tuple(f"high {v:g}" for v in expected["high_value"])]


def test_tornado_sorts_whatever_order_it_is_given(sens):
    shuffled = sens.sample(frac=1.0, random_state=3)
    shuffled.attrs.update(sens.attrs)
    a, b = uv.tornado_figure(sens, top=6), uv.tornado_figure(shuffled, top=6)
    assert a.data[0].y == b.data[0].y
    assert a.data[1].x == b.data[1].x


def test_tornado_marks_flips_in_the_label_not_by_colour_alone(sens):
    df = sensitivity_view.tornado_data(sens, None)
    flipped = df[df["flips_sign"]]
    assert not flipped.empty  # nationalism at 0 reverses the patrols' effect
    assert all("⇄" in lbl for lbl in flipped["label"])
    assert all("⇄" not in lbl for lbl in df.loc[~(df["flips_sign"] | df["flips_verdict"]),
                                                   "label"])


def test_tornado_rejects_other_tables():
    with pytest.raises(ValueError, match="not a sensitivity table"):
        sensitivity_view.tornado_data(pd.DataFrame({"parameter": ["theta"]}))


def test_tornado_summary_names_the_top_parameter_and_changes_with_inputs(mid, sens):
    text = uv.summarise_tornado(sens)
    assert uv.parameter_label(uv.top_parameter(sens)) in text
    assert f"{sens['base_outcome'].iloc[0]:.3f}" in text
    other = model.sensitivity(mid, metric="tension", subject="indo_pacific")
    assert uv.summarise_tornado(other) != text
    assert uv.top_parameter(other) == other["parameter"].iloc[0]
    among = ["theta", "euro_interest"]
    best = sens[sens["parameter"].isin(among)].sort_values("swing").iloc[-1]["parameter"]
    assert uv.top_parameter(sens, among=among) == best


# --------------------------------------------------------------------------- flip points


def test_flip_points_bracket_a_real_change_of_sign(mid):
    flips = uv.flip_points(mid, parameters=["nationalism", "theta"], toggle=TOGGLE)
    row = flips.set_index("parameter").loc["nationalism"]
    x = float(row["outcome_flips_at"])
    assert 0.0 < x < 0.5

    def effect(v: float) -> float:
        on = model.simulate(mid.with_toggle(TOGGLE, True).with_params(nationalism=v))
        off = model.simulate(mid.with_toggle(TOGGLE, False).with_params(nationalism=v))
        return on.final("crisis_risk", "indo_pacific") - off.final("crisis_risk", "indo_pacific")

    step = 0.5 / 40  # one grid step
    assert np.sign(effect(max(0.0, x - step))) != np.sign(effect(min(0.5, x + step)))
    assert row["outcome_at_scenario"] == pytest.approx(effect(0.15), abs=1e-6)


def test_flip_points_find_the_verdict_threshold(mid):
    flips = uv.flip_points(mid, parameters=["reaction"], metric="tension", grid=41)
    x = float(flips["verdict_flips_at"].iloc[0])
    below = model.simulate(mid.with_params(reaction=x - 0.005)).verdict.label
    above = model.simulate(mid.with_params(reaction=min(0.4, x + 0.005))).verdict.label
    assert (below, above) == ("settles", "spiral")
    assert flips["verdict_at_scenario"].iloc[0] == model.simulate(mid).verdict.label


def test_flip_summary_changes_with_inputs(mid):
    a = uv.flip_points(mid, parameters=["nationalism"], toggle=TOGGLE, only_flips=True)
    b = uv.flip_points(mid, parameters=["reaction"], metric="tension", only_flips=True)
    none = uv.flip_points(mid, parameters=["window_base"], toggle=TOGGLE, only_flips=True)
    assert none.empty
    texts = {uv.summarise_flips(a), uv.summarise_flips(b), uv.summarise_flips(none)}
    assert len(texts) == 3
    assert "nationalism" in uv.summarise_flips(a)
    assert "never changes sign" in uv.summarise_flips(none)


def test_flip_summary_counts_switches_and_lowercases_their_labels(mid):
    deeper = uv.deeper_toggles()
    assert len(deeper) > 3
    flips = uv.flip_points(mid, parameters=["theta"], toggle=deeper, metric="posture",
                           subject="CHN", only_flips=True)
    assert not flips.empty
    text = uv.summarise_flips(flips)
    first = summaries.toggle_labels()[deeper[0]]
    assert f"{len(deeper)} switches (" in text and f"{len(deeper)} links" not in text
    assert summaries.mid_sentence(first) in text
    assert text.count(first) == 0 or first == summaries.mid_sentence(first)


def test_the_c26_check_is_marked_as_the_projects_reading():
    c26 = [c for c in claims_view.CLAIM_CHECKS if c.claim == "C26"]
    assert c26 and all(c.checked_as.startswith("proponents' hope, read as") for c in c26)
    assert "project's reading" in data.load("claims").set_index("id").loc["C26", "claim"]


def test_flip_points_reject_unknown_parameters(mid):
    with pytest.raises(model.ModelError, match="unknown parameters"):
        uv.flip_points(mid, parameters=["not_a_parameter"])


# --------------------------------------------------------------------------- fan chart


@pytest.fixture(scope="module")
def draws(mid):
    return model.monte_carlo(mid, draws=150, seed=7, summary=False, metrics=["crisis_risk"])


def test_fan_quantiles_equal_numpy_quantiles_of_the_frame(draws):
    q = fan_view.fan_quantiles(draws, "crisis_risk", "indo_pacific")
    sub = draws[draws["subject"] == "indo_pacific"]
    for year, group in sub.groupby("year"):
        expected = np.quantile(group["value"].to_numpy(), fan_view.FAN_PROBS)
        got = q.loc[q["year"] == year, ["q05", "q25", "q50", "q75", "q95"]].to_numpy()[0]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert q.attrs["draws"] == 150


def test_fan_quantiles_agree_with_the_monte_carlo_summary(mid, draws):
    summary = model.monte_carlo(mid, draws=150, seed=7)
    s = summary[(summary["metric"] == "crisis_risk") & (summary["subject"] == "euro_atlantic")]
    q = fan_view.fan_quantiles(draws, "crisis_risk", "euro_atlantic")
    np.testing.assert_allclose(q[["q05", "q50", "q95"]].to_numpy(),
                               s[["q05", "q50", "q95"]].to_numpy(), atol=1e-12)


def test_fan_figure_draws_those_quantiles(draws):
    fig = uv.fan_figure({"A": draws})
    q = fan_view.fan_quantiles(draws)
    by_name = {t.name: t for t in fig.data}
    np.testing.assert_allclose(by_name["A: median"].y, q["q50"], atol=1e-6)
    np.testing.assert_allclose(by_name["A: middle 90% of draws"].y, q["q05"], atol=1e-6)
    np.testing.assert_allclose(by_name["A: middle 50% of draws"].y, q["q25"], atol=1e-6)
    assert by_name["A: median"].line.dash  # not colour alone
    assert "index, 0–1" in fig.layout.yaxis.title.text


def test_fan_summary_changes_with_inputs(mid):
    a = uv.fan_runs({"one": mid}, draws=60, seed=1)
    b = uv.fan_runs({"one": mid}, draws=60, seed=2)
    c = uv.fan_runs({"one": mid, "two": uv.switched(mid, uv.deeper_toggles())}, draws=60, seed=1)
    texts = [uv.summarise_fan(x) for x in (a, b, c)]
    assert len(set(texts)) == 3
    assert "bands" in texts[2] and "bands" not in texts[0]


def test_fan_quantiles_reject_a_missing_output(draws):
    with pytest.raises(ValueError, match="no draws"):
        fan_view.fan_quantiles(draws, "tension", "indo_pacific")


# --------------------------------------------------------------------------- toggle shares


def test_effect_share_is_measured_draw_by_draw(mid):
    got = fan_view.effect_share(mid, TOGGLE, draws=120, seed=5)
    ref = model.toggle_effect(mid, TOGGLE, draws=120, seed=5)
    assert got["median_effect"] == pytest.approx(ref["q50"], abs=1e-12)
    assert got["q05"] == pytest.approx(ref["q05"], abs=1e-12)
    assert got["share_raises"] <= ref["share_raises"]  # ours ignores changes below 0.0005
    assert got["draws"] == 120


def test_effect_share_of_several_links(mid):
    deeper = uv.deeper_toggles()
    assert set(deeper) == {"nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
                           "kor_china_containment", "ap4_membership"}
    got = fan_view.effect_share(mid, deeper, draws=80, seed=9)
    off = model.monte_carlo(uv.switched(mid, deeper, False), draws=80, seed=9,
                            summary=False, metrics=["crisis_risk"])
    on = model.monte_carlo(uv.switched(mid, deeper, True), draws=80, seed=9,
                           summary=False, metrics=["crisis_risk"])

    def last(frame):
        f = frame[(frame["year"] == frame["year"].max()) & (frame["subject"] == "indo_pacific")]
        return f.sort_values("draw")["value"].to_numpy()

    eff = last(on) - last(off)
    assert got["share_raises"] == pytest.approx(float((eff > summaries.NO_CHANGE).mean()))
    assert got["median_effect"] == pytest.approx(float(np.median(eff)))


def test_share_summary_changes_with_inputs():
    changes = {"patrols": [TOGGLE], "deeper": uv.deeper_toggles()}
    a = uv.effect_shares("mid_2024", changes, draws=60, seed=3)
    b = uv.effect_shares("deterrence_world", changes, draws=60, seed=3)
    assert list(a["change"]) == ["patrols", "deeper"]
    ta, tb = uv.summarise_shares(a), uv.summarise_shares(b)
    assert ta != tb
    assert f"{a['share_raises'].iloc[0]:.0%}" in ta


# --------------------------------------------------------------------------- claims survival


def test_every_modelled_claim_is_checked_or_explained():
    reg = data.load("claims")
    modelled = set(reg.loc[reg["status"] == "modelled", "id"])
    checked = {c.claim for c in claims_view.CLAIM_CHECKS}
    explained = set(uv.unchecked_claims()["claim"])
    assert checked | explained == modelled
    assert not checked & explained
    assert set(claims_view.NOT_SIMULATED) == explained


def test_survival_directions_equal_fresh_simulate_comparisons(survival):
    for check, (_, row) in zip(claims_view.CLAIM_CHECKS, survival.iterrows(), strict=True):
        assert row["claim"] == check.claim
        for label, world in claims_view.WORLDS.items():
            before, after = claims_view.check_scenarios(check, world)
            change = (model.simulate(after).final(check.metric, check.subject)
                      - model.simulate(before).final(check.metric, check.subject))
            assert row[f"{label}: change"] == pytest.approx(change, abs=1e-4)
            if check.expect == "small":
                assert (row[label] == "holds") == (abs(change) < labels.LITTLE_CHANGE)
            elif abs(change) >= labels.LITTLE_CHANGE:
                sign = 1 if check.expect == "rise" else -1
                assert row[label] == ("holds" if sign * change > 0 else "reverses")
            else:  # the predict questions' rule: under 0.05 is little change
                assert row[label] == "little change"


def _by_the_rule(d: float) -> str:
    """A predicted rise scored by hand: under 0.05 either way is little change."""
    if abs(d) < 0.05:
        return "little change"
    return "holds" if d > 0 else "reverses"


def test_survival_rows_built_by_hand():
    """Three checks rebuilt without uncertainty_view's scenario helpers."""
    table = uv.claims_survival().set_index(["claim", "checked as"])
    for label, name in claims_view.WORLDS.items():
        w = model.load_scenario(name)
        # C31: more NATO in Asia raises China's perceived threat
        off = on = w
        for t in ("nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership"):
            off, on = off.with_toggle(t, False), on.with_toggle(t, True)
        d = model.simulate(on).final("threat", "CHN") - model.simulate(off).final("threat", "CHN")
        row = table.xs("C31", level="claim").iloc[0]
        assert row[label] == _by_the_rule(d)
        # C27 (China): deeper interlinking raises China's posture
        off = on = w
        for t in uv.deeper_toggles():
            off, on = off.with_toggle(t, False), on.with_toggle(t, True)
        d = model.simulate(on).final("posture", "CHN") - model.simulate(off).final("posture", "CHN")
        row = table.loc[("C27", "deeper interlinking raises China's posture")]
        assert row[label] == _by_the_rule(d)
        # C50: Europe's effort at home frees U.S. capacity for Asia
        d = (model.simulate(w.with_params(euro_home_effort=0.05)).final("us_pivot", "indo_pacific")
             - model.simulate(w.with_params(euro_home_effort=0.0)).final("us_pivot",
                                                                         "indo_pacific"))
        assert table.xs("C50", level="claim").iloc[0][label] == _by_the_rule(d)


def test_worlds_keep_their_theta():
    check = claims_view.CLAIM_CHECKS[0]
    for name in claims_view.WORLDS.values():
        theta = model.load_scenario(name).params["theta"]
        assert all(sc.params["theta"] == theta for sc in claims_view.check_scenarios(check, name))


def test_authors_world_holds_and_the_deterrence_world_reverses_something(survival):
    authors = survival[survival["who"] == "authors"]
    assert not (authors["authors' world"] == "reverses").any()
    assert (authors["authors' world"] == "holds").any()
    assert (survival["deterrence world"] == "reverses").any()


def test_survival_summary_changes_with_inputs(survival):
    full = uv.summarise_survival(survival)
    one = uv.claims_survival({"authors' world": "mid_2024"})
    assert uv.summarise_survival(one) != full
    assert f"of {len(survival)} checks" in full
    reversed_ = survival.loc[survival["deterrence world"] == "reverses", "claim"]
    assert all(c in full for c in reversed_)


# --------------------------------------------------------------------------- own scenarios


def test_saved_scenario_round_trips_and_is_described(tmp_path, mid):
    from dataclasses import replace

    mine = replace(mid.with_toggle("euro_deployments", False).with_params(theta=0.5),
                   name="my_world", description="A test world.")
    path = model.save_scenario(mine, tmp_path / "my_world.yaml")
    back = model.load_scenario(path)
    assert back == mine
    text = uv.describe_scenario(back, base="mid_2024")
    assert "my_world" in text and "European ships and aircraft" in text and "0.5" in text
    assert uv.describe_scenario(mid, base="mid_2024") != text


def test_render_check_follows_the_catalog(tmp_path):
    assert uv.render_check("04", "deterrence_world").startswith("Accepted")
    missing = uv.render_check("04", tmp_path / "my_world.yaml")
    assert missing.startswith("Not accepted") and "does not exist" in missing
    assert str(tmp_path) not in missing and "my_world.yaml" in missing
    saved = model.save_scenario(model.load_scenario("mid_2024"), tmp_path / "my_world.yaml")
    accepted = uv.render_check("04", saved)
    assert accepted == "Accepted: lessons render --lesson 04 --scenario my_world.yaml"
    assert uv.render_check("04", "nowhere").startswith("Not accepted")
