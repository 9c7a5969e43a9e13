"""The model's public API: scenarios, simulation results, tidy output, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import lessons.model as model
from lessons.model import (
    ModelError,
    Result,
    Scenario,
    Verdict,
    engine,
    list_parameters,
    list_scenarios,
    list_toggles,
    load_scenario,
    network,
    parameters,
    save_scenario,
    simulate,
)
from lessons.model import scenario as scenario_mod
from lessons.model.tables import table

SHIPPED = ["baseline_2021", "mid_2024", "deeper_interlinking", "authors_alternative",
           "deterrence_world"]
METRIC_SUBJECTS = {
    "posture": None, "threat": None,
    "tension": {"euro_atlantic", "indo_pacific"},
    "cohesion": {"CHN-RUS", "RUS-PRK", "CHN-PRK"},
    "credibility": {"euro_atlantic", "indo_pacific"},
    "diplomacy_window": {"korea"},
    "crisis_risk": {"euro_atlantic", "indo_pacific"},
}


@pytest.fixture(scope="module")
def mid() -> Scenario:
    return load_scenario("mid_2024")


def test_list_scenarios_in_teaching_order():
    assert list_scenarios()[:5] == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_are_complete(name):
    sc = load_scenario(name)
    assert sc.name == name
    assert 2 <= sc.description.count(".") <= 5, "two or three plain sentences"
    assert set(sc.toggles) == set(table("toggles")["id"])
    assert all(isinstance(v, bool) for v in sc.toggles.values())
    assert set(sc.params) == set(table("parameters")["name"])
    for k, v in sc.params.items():
        low, high = parameters.ranges()[k]
        assert low <= v <= high


def test_scenario_contents_follow_the_brief():
    base = load_scenario("baseline_2021")
    mid = load_scenario("mid_2024")
    deep = load_scenario("deeper_interlinking")
    alt = load_scenario("authors_alternative")
    det = load_scenario("deterrence_world")
    side = dict(zip(table("toggles")["id"], table("toggles")["side"], strict=True))
    assert not any(on for t, on in base.toggles.items() if side[t] == "interlinking")
    for t in ("rus_prk_partnership", "prk_rus_munitions", "chn_rus_commerce"):
        assert not base.toggles[t] and mid.toggles[t]
    assert base.structure == 2021 and mid.structure == 2024
    extra = {"nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
             "kor_china_containment", "ap4_membership"}
    assert {t for t in deep.toggles if deep.toggles[t] != mid.toggles[t]} == extra
    assert all(deep.toggles[t] for t in extra)
    assert not alt.toggles["euro_deployments"] and not alt.toggles["euro_taiwan_patrols"]
    assert alt.params["us_pivot"] > parameters.defaults()["us_pivot"]
    assert alt.params["generosity"] > 0 and alt.params["euro_home_effort"] > 0
    assert dict(det.toggles) == dict(mid.toggles)
    assert det.params["theta"] < 0.3 < parameters.defaults()["theta"]


def test_baseline_is_the_2021_reference():
    """Every index is relative to the 2021 reference; the baseline scenario is it."""
    base = load_scenario("baseline_2021")
    ref = scenario_mod.active_links_for(scenario_mod.reference_toggles(), 2021)
    assert base.link_set() == ref
    res = simulate(base)
    for metric in ("threat", "tension", "credibility"):
        assert np.allclose(res.arrays[metric], 1.0)
    assert np.allclose(res.arrays["posture"], 1.0)  # 2021 postures are a rest point


def test_active_links_rules():
    links = table("links").set_index("id")
    base, mid = load_scenario("baseline_2021"), load_scenario("mid_2024")
    # structural links follow the structure year; toggled ones their toggle
    for sc, year in ((base, 2021), (mid, 2024)):
        active = set(sc.active_links())
        for link, row in links.iterrows():
            t = row["toggle"] if isinstance(row["toggle"], str) and row["toggle"] else None
            expected = sc.toggles[t] if t else bool(row[f"in_{year}"])
            assert (link in active) == expected, (sc.name, link)
    assert "usa_ukr" in mid.active_links() and "usa_ukr" not in base.active_links()
    assert mid.active_links() == [i for i in links.index if i in set(mid.active_links())]


def test_unlisted_toggles_take_the_documented_default(tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text("name: minimal\ndescription: Only a name.\n")
    sc = load_scenario(path)
    links = table("links")
    for t, on in sc.toggles.items():
        mine = links[links["toggle"] == t]
        assert on == bool(mine["in_2024"].any())
    assert sc.toggles["ap4_summits"] and not sc.toggles["nato_tokyo_office"]
    assert dict(sc.params) == dict(parameters.defaults())


def test_with_toggle_and_with_params_are_pure(mid):
    sc2 = mid.with_toggle("euro_taiwan_patrols", True)
    assert sc2 is not mid and not mid.toggles["euro_taiwan_patrols"]
    assert sc2.toggles["euro_taiwan_patrols"]
    assert "gbr_twn_patrol" in sc2.active_links() and "gbr_twn_patrol" not in mid.active_links()
    sc3 = mid.with_params(theta=0.2, nationalism=0.5)
    assert (sc3.params["theta"], sc3.params["nationalism"]) == (0.2, 0.5)
    assert mid.params["theta"] == parameters.defaults()["theta"]
    assert {"theta", "nationalism"} <= sc3.overrides
    with pytest.raises(TypeError):
        mid.toggles["ap4_summits"] = False  # type: ignore[index]
    with pytest.raises(AttributeError):
        mid.name = "other"  # type: ignore[misc]
    assert mid.with_link("kor_ukr_arms", True) == mid.with_toggle("kor_arms_direct", True)
    assert hash(mid) == hash(load_scenario("mid_2024"))


def test_simulate_result_shape_and_provenance(mid):
    res = simulate(mid, horizon=20)
    assert isinstance(res, Result)
    assert res.scenario == mid and res.horizon == 20
    assert dict(res.params) == dict(mid.params)
    assert list(res.years) == list(range(2024, 2045))
    tidy = res.tidy
    assert list(tidy.columns) == ["year", "metric", "subject", "value"]
    assert tidy["year"].dtype == np.int64 and tidy["value"].dtype == np.float64
    assert pd.api.types.is_string_dtype(tidy["metric"])
    assert pd.api.types.is_string_dtype(tidy["subject"])
    assert tidy["year"].min() == 2024 and tidy["year"].max() == 2044
    actors = set(network.actors().ids)
    for metric, subjects in METRIC_SUBJECTS.items():
        got = set(tidy.loc[tidy["metric"] == metric, "subject"])
        assert got == (subjects or actors), metric
    assert "NATO" not in actors
    # tidy, series and final agree
    row = tidy[(tidy.metric == "tension") & (tidy.subject == "indo_pacific")]
    assert np.array_equal(row["value"].to_numpy(), res.series("tension", "indo_pacific"))
    assert res.final("cohesion", "CHN-RUS") == res.series("cohesion", "CHN-RUS")[-1]
    assert not tidy.duplicated(["year", "metric", "subject"]).any()


def test_bounded_metrics(mid):
    res = simulate(mid.with_toggle("ap4_membership", True))
    for metric in ("diplomacy_window", "crisis_risk", "cohesion", "us_pivot"):
        arr = res.arrays[metric]
        assert np.all((arr > 0) & (arr < 1)), metric


def test_result_arrays_are_read_only(mid):
    res = simulate(mid)
    with pytest.raises(ValueError):
        res.series("posture", "CHN")[0] = 5.0


def test_verdict(mid):
    v = simulate(mid).verdict
    assert isinstance(v, Verdict) and v.label in ("spiral", "settles")
    assert (v.label == "spiral") == (v.eigenvalue > 1)
    hot = simulate(load_scenario("deeper_interlinking").with_params(reaction=0.4, fatigue=0.3))
    assert hot.verdict.label == "spiral"
    x = hot.arrays["posture"]
    assert np.all(x[-1] > x[-2])  # and postures are still rising


def test_horizon_is_respected(mid):
    assert simulate(mid, horizon=1).tidy["year"].max() == 2025
    assert len(simulate(mid, horizon=5).series("posture", "USA")) == 6
    first = simulate(mid, horizon=30).series("tension", "indo_pacific")[:21]
    assert np.array_equal(first, simulate(mid, horizon=20).series("tension", "indo_pacific"))


def test_list_tables():
    toggles = list_toggles()
    assert {"id", "label", "side", "status", "paragraph"} <= set(toggles.columns)
    params = list_parameters()
    assert list(params.columns) == ["name", "label", "default", "low", "high", "unit", "mechanism",
                                    "basis", "explanation", "citation", "paragraph", "quote"]
    assert {"theta", "nationalism", "euro_interest"} <= set(params["name"])


def test_parameter_table_is_documented():
    params = list_parameters()
    assert params["name"].is_unique
    assert (params["low"] <= params["default"]).all()
    assert (params["default"] <= params["high"]).all()
    assert (params["low"] < params["high"]).all()
    assert set(params["basis"]) <= {"article", "study", "teaching_assumption"}
    for col in ("unit", "mechanism", "explanation", "citation"):
        assert params[col].str.len().gt(3).all(), col
    assert params["explanation"].str.strip().str.endswith(".").all()
    th = params.set_index("name").loc["theta"]
    assert (th["low"], th["high"]) == (0.0, 1.0) and th["default"] >= 0.7


def test_every_parameter_is_used():
    """Each parameter moves some output of some scenario: none is dead weight."""
    dead = []
    # off the defaults where a parameter only matters away from them (generosity)
    sc = load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True).with_params(
        generosity=0.2)
    base = simulate(sc).arrays
    for name, (low, high) in parameters.ranges().items():
        moved = False
        for value in (low, high):
            if value == sc.params[name]:
                continue
            other = simulate(sc.with_params(**{name: value})).arrays
            moved |= any(not np.allclose(base[m], other[m]) for m in base)
        if not moved:
            dead.append(name)
    assert not dead


def test_save_and_load_round_trip(tmp_path, mid):
    sc = mid.with_toggle("kor_arms_direct", True).with_params(theta=0.35, generosity=0.2)
    for suffix in (".yaml", ".json"):
        path = save_scenario(sc, tmp_path / f"mine{suffix}")
        back = load_scenario(path)
        assert back == sc
        assert load_scenario(str(path)) == sc
    data = yaml.safe_load((tmp_path / "mine.yaml").read_text())
    assert data["params"] == {"theta": 0.35, "generosity": 0.2}
    assert set(data["toggles"]) == set(sc.toggles)
    assert json.loads((tmp_path / "mine.json").read_text())["name"] == "mid_2024"
    assert np.array_equal(simulate(back).arrays["posture"], simulate(sc).arrays["posture"])


def test_shipped_files_round_trip(tmp_path):
    for name in SHIPPED:
        sc = load_scenario(name)
        assert load_scenario(save_scenario(sc, tmp_path / f"{name}.yaml")) == sc


def test_clear_caches_keeps_results(mid):
    before = simulate(mid).arrays["threat"]
    model.clear_caches()
    assert np.array_equal(simulate(mid).arrays["threat"], before)


def test_structural_balance_report(mid):
    rep = model.structural_balance(mid)
    assert rep["triads"] == rep["balanced"] + rep["unbalanced"] > 0
    assert set(rep["pressure"]) == {"CHN-RUS", "RUS-PRK", "CHN-PRK"}
    st = network.build_structure(mid.link_set())
    assert np.allclose(list(rep["pressure"].values()),
                       network.pressure(st, mid.params["encirclement"]))


# --------------------------------------------------------------------------- bad input


def _message(excinfo) -> str:
    return str(excinfo.value)


def test_unknown_scenario_lists_choices():
    with pytest.raises(ModelError) as e:
        load_scenario("mid_2025")
    assert "mid_2025" in _message(e) and "mid_2024" in _message(e)
    with pytest.raises(ModelError):
        load_scenario(42)  # type: ignore[arg-type]


def test_unknown_toggle_lists_choices(mid):
    with pytest.raises(ModelError) as e:
        mid.with_toggle("euro_patrols", True)
    assert "euro_patrols" in _message(e) and "euro_taiwan_patrols" in _message(e)
    with pytest.raises(ModelError) as e:
        mid.with_toggle("kor_ukr_arms", True)  # a link id, not a toggle
    assert "kor_arms_direct" in _message(e)
    with pytest.raises(ModelError) as e:
        mid.with_toggle("ap4_summits", "yes")  # type: ignore[arg-type]
    assert "True or False" in _message(e)


def test_unknown_or_structural_link(mid):
    with pytest.raises(ModelError) as e:
        mid.with_link("usa_mars", True)
    assert "usa_mars" in _message(e) and "usa_jpn" in _message(e)
    with pytest.raises(ModelError) as e:
        mid.with_link("usa_jpn", False)
    assert "structural" in _message(e) and "kor_ukr_arms" in _message(e)


def test_unknown_parameter_and_out_of_range(mid):
    with pytest.raises(ModelError) as e:
        mid.with_params(thetta=0.5)
    assert "thetta" in _message(e) and "theta" in _message(e) and "nationalism" in _message(e)
    with pytest.raises(ModelError) as e:
        mid.with_params(theta=1.5)
    assert "[0.0, 1.0]" in _message(e) and "theta" in _message(e)
    for bad in (float("nan"), "0.5", True, None):
        with pytest.raises(ModelError):
            mid.with_params(theta=bad)


def test_unknown_metric_subject_actor(mid):
    res = simulate(mid)
    with pytest.raises(ModelError) as e:
        res.series("tensions", "indo_pacific")
    assert "tension" in _message(e)
    with pytest.raises(ModelError) as e:
        res.series("posture", "XYZ")
    assert "XYZ" in _message(e) and "CHN" in _message(e)
    with pytest.raises(ModelError) as e:
        res.final("cohesion", "RUS-CHN")
    assert "CHN-RUS" in _message(e)
    with pytest.raises(ModelError) as e:
        network.actors().index("NATO")
    assert "NATO" in _message(e) and "USA" in _message(e)


@pytest.mark.parametrize("horizon", [0, -1, 201, 2.5, True, "20"])
def test_bad_horizon(mid, horizon):
    with pytest.raises(ModelError) as e:
        simulate(mid, horizon=horizon)
    assert "horizon" in _message(e)


def test_simulate_needs_a_scenario():
    with pytest.raises(ModelError) as e:
        simulate("mid_2024")  # type: ignore[arg-type]
    assert "load_scenario" in _message(e)


BAD_FILES = {
    "not_yaml.yaml": ("name: [unclosed\n", "not valid YAML"),
    "list.yaml": ("- a\n- b\n", "must be a mapping"),
    "extra_key.yaml": ("name: x\ncolour: red\n", "colour"),
    "no_name.yaml": ("description: nothing\n", "'name'"),
    "bad_toggle.yaml": ("name: x\ntoggles:\n  warp_drive: true\n", "warp_drive"),
    "toggle_not_bool.yaml": ("name: x\ntoggles:\n  ap4_summits: maybe\n", "true or false"),
    "toggles_list.yaml": ("name: x\ntoggles: [ap4_summits]\n", "toggle ids"),
    "bad_param.yaml": ("name: x\nparams:\n  thetta: 0.5\n", "thetta"),
    "param_range.yaml": ("name: x\nparams:\n  nationalism: 9\n", "outside its range"),
    "param_text.yaml": ("name: x\nparams:\n  theta: high\n", "must be a number"),
    "params_list.yaml": ("name: x\nparams: [theta]\n", "parameter names"),
    "bad_structure.yaml": ("name: x\nstructure: 2022\n", "structure"),
    "description.yaml": ("name: x\ndescription: [a, b]\n", "description"),
    "python_tag.yaml": ("name: !!python/object/apply:os.system ['echo pwned']\n",
                        "not valid YAML"),
    "bad.json": ("{name: x}", "not valid JSON"),
}


@pytest.mark.parametrize("filename", sorted(BAD_FILES))
def test_malformed_scenario_files(tmp_path, filename):
    text, expected = BAD_FILES[filename]
    path = tmp_path / filename
    path.write_text(text)
    with pytest.raises(ModelError) as e:
        load_scenario(path)
    assert expected in _message(e)


def test_bad_paths(tmp_path, mid):
    with pytest.raises(ModelError) as e:
        load_scenario(tmp_path / "missing.yaml")
    assert "does not exist" in _message(e)
    (tmp_path / "sc.txt").write_text("name: x\n")
    with pytest.raises(ModelError) as e:
        load_scenario(tmp_path / "sc.txt")
    assert ".yaml" in _message(e)
    with pytest.raises(ModelError):
        save_scenario(mid, tmp_path / "out.pickle")
    with pytest.raises(ModelError):
        save_scenario({"name": "x"}, tmp_path / "out.yaml")  # type: ignore[arg-type]


def test_scenario_files_are_read_as_data_only():
    # the files are read in scenario_files.py; scenario.py validates and writes them
    from lessons.model import scenario_files

    assert "safe_load" in Path(scenario_files.__file__).read_text()
    for mod in (scenario_mod, scenario_files):
        src = Path(mod.__file__).read_text()
        for unsafe in ("import pickle", "pickle.", "eval(", "exec(", "yaml.load(",
                       "unsafe_load", "FullLoader"):
            assert unsafe not in src, mod.__name__


def test_model_reads_data_only_through_lessons_data():
    folder = Path(model.__file__).parent
    for path in folder.glob("*.py"):
        src = path.read_text()
        assert "read_csv" not in src, path.name
    assert "from lessons import data" in (folder / "tables.py").read_text()


def test_direct_construction_is_checked(mid):
    with pytest.raises(ModelError) as e:
        Scenario("x", "", {"ap4_summits": True}, mid.params)
    assert "every toggle" in _message(e)
    with pytest.raises(ModelError) as e:
        Scenario("x", "", mid.toggles, {"theta": 0.5})
    assert "every parameter" in _message(e)
    with pytest.raises(ModelError):
        Scenario("x", "", mid.toggles, mid.params, structure=1999)


def test_mechanism_names_are_shared():
    assert set(list_parameters()["mechanism"]) <= set(model.MECHANISMS)


def test_params_batch_rejects_unknown():
    with pytest.raises(ModelError) as e:
        engine.params_batch({"warp": 1.0})
    assert "warp" in _message(e)


def test_threat_operator_assembly_matches_its_definition():
    """The per-draw threat matrices, assembled from constant parts, equal
    (H_f + e (1 - exp(-(H F + F H)))) ∘ R0 built directly."""
    from lessons.model import threat

    sc = load_scenario("deeper_interlinking")
    st = network.build_structure(sc.link_set())
    f = np.array([1.3, 0.7])
    e, d, s = np.array([0.3, 0.9]), np.array([0.1, 0.4]), np.array([0.05, 0.2])
    op = threat.threat_operator(st, f, e, d, s)
    act = network.actors()
    R0, R1 = threat.reach(act, st, d, s)
    chn = act.index("CHN")
    for k in range(2):
        Hf = st.H.copy()  # China's rivalries scaled by the reciprocity factor
        Hf[chn, :] *= f[k]
        Hf[:, chn] *= f[k]  # (China is not its own rival: the corner stays 0)
        implied = 1 - np.exp(-(st.H @ st.F + st.F @ st.H))
        np.fill_diagonal(implied, 0.0)
        W = Hf + e[k] * implied
        assert np.allclose(op.B0[k], W * R0[k])
        assert np.allclose(op.b1[k], W[:, act.index("USA")] * R1[k])
    # reach: full weight at home, the distance discount elsewhere, 1 for the U.S. (global)
    usa, jpn, gbr = act.index("USA"), act.index("JPN"), act.index("GBR")
    assert R0[0, usa, chn] == 1.0
    assert R0[0, chn, jpn] == 1.0
    deployed = s[0] * st.deployed[gbr]
    assert R0[0, chn, gbr] == pytest.approx(deployed + d[0] * (1 - deployed))
