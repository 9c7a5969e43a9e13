"""Views of lessons 05 and 06: decompositions that add up to the model, bars that equal the
data, and summaries that follow the state they describe."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lessons import data, model
from lessons.model import credibility_contributions, korea, load_scenario, simulate
from lessons.views import credibility_view, korea_view, summaries
from lessons.views import deterrence_view as dv

# --------------------------------------------------------------------------- credibility


@pytest.mark.parametrize("scenario,params", [
    ("mid_2024", {}),
    ("deeper_interlinking", {"euro_interest": 0.6}),
    ("baseline_2021", {"distance_discount": 0.4, "deployment_share": 0.2}),
])
@pytest.mark.parametrize("theater", ["indo_pacific", "euro_atlantic"])
def test_factors_multiply_to_the_models_contributions(scenario, params, theater):
    table = dv.credibility_factors(scenario, theater, **params)
    product = table[list(credibility_view.FACTORS)].prod(axis=1)
    assert np.allclose(product, table["credible"])
    sc = load_scenario(scenario).with_params(**params) if params else load_scenario(scenario)
    model = credibility_contributions(sc)
    model = model[model["theater"] == theater].set_index("actor")["credible"]
    mine = table.set_index("actor")["credible"]
    assert np.allclose(mine.reindex(model.index), model)
    assert np.allclose(mine.drop(model.index), 0.0)  # rows the model drops contribute 0
    assert table["share"].sum() == pytest.approx(1.0)
    for factor in ("interest", "proximity", "commitment"):
        assert table[factor].between(0, 1).all()


@pytest.mark.parametrize("scenario", ["mid_2024", "deeper_interlinking", "authors_alternative"])
def test_factors_add_up_to_the_models_credibility_index(scenario):
    table = dv.credibility_factors(scenario)
    reference = dv.credibility_factors("baseline_2021")  # the model's 2021 reference
    index = simulate(load_scenario(scenario), horizon=1).series("credibility",
                                                                "indo_pacific")[0]
    assert table["credible"].sum() / reference["credible"].sum() == pytest.approx(index)
    assert table.attrs["index"] == pytest.approx(index)


def test_european_factors_follow_the_parameters():
    low = dv.credibility_factors(euro_interest=0.1).set_index("actor")
    high = dv.credibility_factors(euro_interest=0.9).set_index("actor")
    assert (high.loc["GBR", "interest"], low.loc["GBR", "interest"]) == (0.9, 0.1)
    assert high.loc["GBR", "credible"] == pytest.approx(9 * low.loc["GBR", "credible"])
    assert high.loc["JPN", "credible"] == low.loc["JPN", "credible"]
    no_links = dv.credibility_factors(dv.scenario_with(
        "mid_2024", off=["ap4_summits", "nato_itpp", "euro_deployments"])).set_index("actor")
    assert no_links.loc["GBR", "commitment"] < low.loc["GBR", "commitment"]


def test_factor_bars_equal_the_table():
    table = dv.credibility_factors()
    fig = dv.factors_figure(table)
    by_name = table.set_index("name")
    for trace in fig.data:
        column = next((f for f in credibility_view.FACTORS
                       if trace.name == credibility_view.FACTOR_LABELS[f]), "credible")
        expected = by_name.loc[list(trace.y), column].to_numpy()
        assert np.allclose(trace.x, expected, atol=1e-6)
    assert {t.marker.pattern.shape for t in fig.data[:4]} == {"", "/", "x", "."}


def test_factor_summary_changes_with_the_state():
    a = dv.summarise_factors(dv.credibility_factors(euro_interest=0.2))
    b = dv.summarise_factors(dv.credibility_factors(euro_interest=1.0))
    assert a != b and "interest of 0.20" in a and "interest of 1.00" in b
    assert "Euro-Atlantic" in dv.summarise_factors(dv.credibility_factors(
        theater="euro_atlantic"))


def test_unknown_theater_is_rejected():
    with pytest.raises(ValueError, match="valid are"):
        dv.credibility_factors(theater="arctic")


# --------------------------------------------------------------------------- capability


def test_capability_bars_equal_the_sipri_data():
    table = dv.capability_comparison()
    caps = data.capabilities()
    assert np.allclose(table.set_index("actor")["usd_bn"], caps.loc[table["actor"]])
    fig = dv.capability_figure(table)
    drawn = {y: x for t in fig.data for x, y in zip(t.x, t.y, strict=True)}
    assert len(drawn) == len(table)
    for row in table.itertuples():
        assert drawn[row.name] == pytest.approx(row.usd_bn, abs=1e-6)
    hatched = {y for t in fig.data if t.marker.pattern.shape == "/" for y in t.y}
    assert hatched == set(table.loc[table["is_estimate"], "name"])
    assert "China" in hatched  # SIPRI's China figure is an estimate


def test_capability_summary_is_computed_from_the_data():
    table = dv.capability_comparison()
    text = dv.summarise_capabilities(table)
    caps = data.capabilities()
    assert f"{caps['CHN'] / caps['BALT']:.0f} times" in text
    assert f"{caps['BALT']:.1f} bn" in text and "estimate" in text
    other = dv.summarise_capabilities(dv.capability_comparison(release="april_2025",
                                                               year=2024))
    assert other != text and "2024" in other


# --------------------------------------------------------------------------- deployments


@pytest.mark.parametrize("toggle", dv.PRESENCE_TOGGLES)
def test_ledger_channels_add_up_to_the_models_changes(toggle):
    ledger = dv.deployment_ledger(toggle)
    det = ledger.loc[ledger["side"] == "deterrence", "change"].sum()
    prov = ledger.loc[ledger["side"] == "provocation", "change"].sum()
    off = dv.scenario_with("mid_2024", off=[toggle])
    on = off.with_toggle(toggle, True)
    r0, r1 = simulate(off, horizon=1), simulate(on, horizon=1)
    assert det == pytest.approx(r1.series("credibility", "indo_pacific")[0]
                                - r0.series("credibility", "indo_pacific")[0], abs=1e-12)
    assert prov == pytest.approx(r1.series("threat", "CHN")[0]
                                 - r0.series("threat", "CHN")[0], abs=1e-12)


def test_nationalism_channel_is_weight_times_deployments_and_independent_of_credibility():
    links = data.load("links")
    weight = links.loc[links["toggle"] == "euro_taiwan_patrols", "weight"].sum()
    rows = {}
    for nat, interest in [(0.0, 0.2), (0.3, 0.2), (0.3, 1.0)]:
        led = dv.deployment_ledger(nationalism=nat, euro_interest=interest)
        rows[(nat, interest)] = led.set_index("channel")["change"]
    nat_channel = "nationalism (visible presence near China)"
    assert rows[(0.0, 0.2)][nat_channel] == 0.0
    assert rows[(0.3, 0.2)][nat_channel] == pytest.approx(0.3 * weight)
    assert rows[(0.3, 1.0)][nat_channel] == pytest.approx(0.3 * weight)  # credibility-blind
    eu = "European forces' own credibility"
    assert rows[(0.3, 1.0)][eu] > rows[(0.3, 0.2)][eu] > 0


def test_ledger_bars_and_summary_follow_the_state():
    a = dv.deployment_ledger(nationalism=0.15)
    fig = dv.ledger_figure(a)
    assert np.allclose(np.concatenate([t.x for t in fig.data]), a["change"], atol=1e-6)
    b = dv.deployment_ledger(nationalism=0.0, burden_shift=0.0, euro_interest=1.0)
    ta, tb = dv.summarise_ledger(a), dv.summarise_ledger(b)
    assert ta != tb
    assert "provokes without deterring" in ta
    assert "deterrent effect is at least as large" in tb


def test_presence_map_cells_are_model_differences():
    grid = dv.presence_map(x_values=(0.0, 1.0), y_values=(0.2, 1.0))
    assert len(grid) == 4
    cell = grid[(grid["x"] == 1.0) & (grid["y"] == 0.2)].iloc[0]
    off = dv.scenario_with("mid_2024", off=["euro_taiwan_patrols"], theta=1.0,
                           euro_interest=0.2)
    on = off.with_toggle("euro_taiwan_patrols", True)
    expected = simulate(on).final("posture", "CHN") - simulate(off).final("posture", "CHN")
    assert cell["change"] == pytest.approx(expected, abs=1e-9)
    fig = dv.presence_map_figure(grid)
    z = np.array(fig.data[0].z)
    assert np.allclose(np.sort(z.ravel()), np.sort(grid["change"]), atol=1e-6)
    text = dv.summarise_presence_map(grid)
    provokes = int((grid["change"] > summaries.NO_CHANGE).sum())
    assert f"(provokes) in {provokes}" in text
    # parameters are named by their label in data/parameters.csv, as in every lesson
    names = model.list_parameters().set_index("name")["label"]
    assert f"combinations of {names[grid.attrs['x']]} and {names[grid.attrs['y']]}" in text
    assert fig.layout.xaxis.title.text.startswith(names[grid.attrs["x"]])
    assert fig.layout.yaxis.title.text.startswith(names[grid.attrs["y"]])


def test_presence_map_summary_changes_with_assumptions():
    a = dv.summarise_presence_map(dv.presence_map(x_values=(0.0, 1.0), y_values=(0.2, 1.0)))
    b = dv.summarise_presence_map(dv.presence_map(
        x_values=(0.0, 1.0), y_values=(0.2, 1.0), nationalism=0.0, burden_shift=0.0))
    assert a != b


def test_unknown_toggle_is_rejected():
    with pytest.raises(ValueError, match="valid are"):
        dv.deployment_ledger("aircraft_carrier_on_the_moon")


# --------------------------------------------------------------------------- Korea


def test_korea_effects_are_the_models_final_values():
    table = dv.korea_effects().set_index("subject")
    before = simulate(load_scenario("mid_2024"))
    after = simulate(dv.scenario_with("mid_2024", on=dv.SEOUL_TOGGLES))
    for _label, metric, subject in korea_view.KOREA_OUTPUTS:
        assert table.loc[subject, "before"] == pytest.approx(before.final(metric, subject),
                                                             abs=1e-4)
        assert table.loc[subject, "after"] == pytest.approx(after.final(metric, subject),
                                                            abs=1e-4)
    change = table["change"]
    expected = ("russia" if change["RUS-PRK"] - change["CHN-PRK"] > 0.005 else
                "china" if change["CHN-PRK"] - change["RUS-PRK"] > 0.005 else "equal")
    assert dv.pair_outcome() == expected


def test_korea_summary_changes_with_the_toggles():
    both = dv.summarise_korea_effects(dv.korea_effects())
    arms = dv.summarise_korea_effects(dv.korea_effects(["kor_arms_direct"]))
    assert both != arms
    assert "South Korea arms Ukraine directly" in arms
    assert "Seoul joins containment of China" not in arms


def test_restraint_curves_follow_the_models_rule_and_figure():
    curves = dv.restraint_curves(leverages=(0.5, 2.0))
    expected = korea.belligerence(1.0, curves["support"].to_numpy(),
                                  curves["leverage"].to_numpy())
    assert np.allclose(curves["belligerence"], expected)
    fig = dv.restraint_figure(curves, {"2021": 0.4})
    lines = [t for t in fig.data if t.name.startswith("patron leverage")]
    assert len(lines) == 2
    for t, (_lev, part) in zip(lines, curves.groupby("leverage", sort=True), strict=True):
        assert np.allclose(t.y, part["belligerence"], atol=1e-6)
    a = dv.summarise_restraint(curves, {"2021": 0.4, "2024": 0.8})
    b = dv.summarise_restraint(curves, {"2021": 0.4, "2024": 0.6})
    assert a != b and "0.80" in a and "0.60" in b


def test_patron_support_is_the_mean_of_the_two_ententes():
    res = simulate(load_scenario("mid_2024"), horizon=1)
    mean = 0.5 * (res.series("cohesion", "CHN-PRK")[0] + res.series("cohesion", "RUS-PRK")[0])
    assert korea_view.patron_support("mid_2024") == pytest.approx(mean)
    assert korea_view.patron_support("baseline_2021") < korea_view.patron_support("mid_2024")


def test_leverage_sweep_matches_the_model_and_its_summary():
    sweep = dv.leverage_sweep(leverages=(0.5, 2.0), horizon=10)
    sc = dv.scenario_with("mid_2024", patron_leverage=2.0)
    w = simulate(sc, horizon=10).final("diplomacy_window", "korea")
    assert sweep.iloc[-1]["without"] == pytest.approx(w, abs=1e-4)
    fig = dv.leverage_figure(sweep)
    assert np.allclose(fig.data[0].y, sweep["without"]) and np.allclose(fig.data[1].y,
                                                                        sweep["with"])
    text = dv.summarise_leverage(sweep)
    assert f"{sweep.iloc[0]['without']:.3f}" in text and f"{sweep.iloc[-1]['change']:+.3f}" in text


# --------------------------------------------------------------------------- munitions


def test_munitions_reports_are_the_support_rows_and_all_estimates():
    support = data.load("support")
    mask = ((support["from_actor"] == "PRK") & (support["to_actor"] == "RUS")
            & (support["unit"] == "containers"))
    reports = dv.munitions_reports()
    assert sorted(reports["id"]) == sorted(support.loc[mask, "id"])
    assert reports["is_estimate"].all()
    fig = dv.munitions_figure(reports)
    assert sum(len(t.y) for t in fig.data) == len(reports)
    # the reports count from different start dates, so the axis names none
    starts = {m.split("since ")[1].split(" (")[0] for m in reports["measure"] if "since " in m}
    assert len(starts) > 1
    assert "since" not in fig.layout.yaxis.title.text
    for t in fig.data:
        hollow = t.marker.symbol.endswith("-open")
        assert hollow == ("after the article" in t.name)
    text = dv.summarise_munitions(reports)
    assert "estimate" in text
    assert f"{int(reports['after_article'].sum())} later report" in text
    assert dv.summarise_munitions(dv.munitions_reports("shells")) != text


def test_assumptions_are_the_parameter_table():
    table = dv.assumptions("euro_interest", "nationalism")
    params = data.load("parameters").set_index("name")
    assert list(table.index) == ["euro_interest", "nationalism"]
    assert np.allclose(table["default"], params.loc[table.index, "default"])
    with pytest.raises(ValueError):
        dv.assumptions("courage")


def test_scenario_with_switches_and_overrides():
    sc = dv.scenario_with("mid_2024", on=["euro_taiwan_patrols"], off=["euro_deployments"],
                          nationalism=0.3)
    assert sc.toggles["euro_taiwan_patrols"] and not sc.toggles["euro_deployments"]
    assert sc.params["nationalism"] == 0.3
    bare = dv.without_european_presence("deeper_interlinking")
    assert not any(bare.toggles[t] for t in dv.PRESENCE_TOGGLES)
    assert isinstance(dv.korea_effects(horizon=5), pd.DataFrame)


def test_korea_steps_columns_are_the_single_steps_and_both():
    steps = dv.korea_steps(horizon=10)
    assert list(steps.columns)[-1] == "all together"
    both = dv.korea_effects(horizon=10).set_index("output")["change"]
    assert np.allclose(steps["all together"], both)
    arms = dv.korea_effects(["kor_arms_direct"], horizon=10).set_index("output")["change"]
    assert np.allclose(steps["South Korea arms Ukraine directly"], arms)


def test_support_marks_name_the_scenarios():
    marks = dv.support_marks("deeper_interlinking")
    assert list(marks) == ["2021 baseline", "Deeper interlinking"]
    assert marks["2021 baseline"] == pytest.approx(korea_view.patron_support("baseline_2021"))


def test_factor_summary_calls_taiwan_a_partner_not_an_ally():
    text = dv.summarise_factors(dv.credibility_factors("mid_2024"))
    assert "resident allies and partners" in text
    assert "allies at home" not in text
