"""Generated text a class reads: every model summary says it is the model's, time is read
as model years, and no template plural, cut-off cell or stray capital shows."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pytest

from lessons import model
from lessons.live import alternative_view as av
from lessons.views import deterrence_view as dv
from lessons.views import flows, labels, summaries, timeline
from lessons.views import uncertainty_view as uv
from lessons.views.text import num_beside

H = 8  # a short run keeps the calls quick; the wording does not depend on it


@pytest.fixture(scope="module")
def runs():
    mid, base = model.load_scenario("mid_2024"), model.load_scenario("baseline_2021")
    return model.simulate(mid, horizon=H), model.simulate(base, horizon=H)


#: Every function that puts model output into words, called on a real scenario.
CALLS: dict[str, Callable[[tuple], str]] = {
    "lessons.views.summaries.summarise_series":
        lambda r: summaries.summarise_series(r[0], "tension", None, r[1]),
    "lessons.views.summaries.summarise_verdict": lambda r: summaries.summarise_verdict(r[0], r[1]),
    "lessons.views.summaries.describe_survival":
        lambda r: summaries.describe_survival(summaries.survival(thetas=[0.8, 0.0], horizon=H)),
    "lessons.views.credibility_view.summarise_factors":
        lambda r: dv.summarise_factors(dv.credibility_factors()),
    "lessons.views.deployment_view.summarise_ledger":
        lambda r: dv.summarise_ledger(dv.deployment_ledger()),
    "lessons.views.deployment_view.summarise_presence_map":
        lambda r: dv.summarise_presence_map(dv.presence_map(x_values=(0.0, 1.0))),
    "lessons.views.korea_view.summarise_korea_effects":
        lambda r: dv.summarise_korea_effects(dv.korea_effects()),
    "lessons.views.korea_view.summarise_restraint":
        lambda r: dv.summarise_restraint(dv.restraint_curves(), dv.support_marks()),
    "lessons.views.korea_view.summarise_leverage":
        lambda r: dv.summarise_leverage(dv.leverage_sweep(leverages=(0.5, 2.0), horizon=H)),
    "lessons.views.sensitivity_view.summarise_tornado":
        lambda r: uv.summarise_tornado(model.sensitivity(
            model.load_scenario("mid_2024"), metric="crisis_risk", subject="indo_pacific",
            toggle="euro_taiwan_patrols")),
    "lessons.views.sensitivity_view.summarise_flips":
        lambda r: uv.summarise_flips(uv.flip_points(model.load_scenario("mid_2024"),
                                                    parameters=["reaction"], metric="tension",
                                                    only_flips=True)),
    "lessons.views.fan_view.summarise_fan":
        lambda r: uv.summarise_fan(uv.fan_runs({"mid-2024": model.load_scenario("mid_2024")},
                                               draws=20, seed=1)),
    "lessons.views.fan_view.summarise_shares":
        lambda r: uv.summarise_shares(uv.effect_shares(
            "mid_2024", {"patrols": ["euro_taiwan_patrols"]}, draws=20, seed=3)),
    "lessons.views.claims_view.summarise_survival":
        lambda r: uv.summarise_survival(uv.claims_survival()),
    "lessons.live.alternative_ledger.summarise_outcomes": lambda r: av.summarise_outcomes(H),
    "lessons.live.alternative_ledger.summarise_worlds":
        lambda r: av.summarise_worlds("mid_2024", H),
    "lessons.live.alternative_parts.summarise_ingredients":
        lambda r: av.summarise_ingredients("mid_2024", H),
    "lessons.live.alternative_parts.summarise_paper_tiger":
        lambda r: av.summarise_paper_tiger("deeper_interlinking"),
    "lessons.live.alternative_parts.explain_prediction":
        lambda r: av.explain_prediction("mid_2024", H),
    # the chart summaries built on summarise_series
    "tension": lambda r: summaries.summarise_tension(r[0], r[1]),
    "cohesion": lambda r: summaries.summarise_cohesion(r[0], r[1]),
    "diplomacy": lambda r: summaries.summarise_diplomacy(r[0], r[1]),
    "credibility": lambda r: summaries.summarise_credibility(r[0], r[1]),
    "crisis": lambda r: summaries.summarise_crisis(r[0], r[1]),
    "posture": lambda r: summaries.summarise_posture(r[0], r[1]),
}


def test_every_marked_model_summary_is_called_here():
    assert set(summaries.MODEL_SUMMARIES) <= set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_model_summary_says_it_is_the_models_and_reads_years_as_model_years(name, runs):
    text = CALLS[name](runs)
    assert "in the model" in text.lower(), text
    # no bare calendar year read as a forecast ("in 2044"), no template plural
    assert not re.search(r"(?<!model year )\b[Ii]n 20[2-9]\d\b(?! baseline)", text), text
    assert "(s)" not in text
    assert not re.search(r"\((As|From|With|The) ", text), text  # no capital mid-sentence


def test_in_the_model_marks_once_and_keeps_names():
    assert summaries.in_the_model("Across 4 runs, x.") == "In the model, across 4 runs, x."
    assert summaries.in_the_model("China arms.") == "In the model: China arms."
    once = summaries.in_the_model("In the model, x rises.")
    assert summaries.in_the_model(once) == once


def test_mid_sentence_lowercases_only_common_words():
    assert summaries.mid_sentence("As of mid-2024") == "as of mid-2024"
    assert summaries.mid_sentence("AP4 leaders at NATO summits") == "AP4 leaders at NATO summits"
    assert summaries.mid_sentence("South Korea arms Ukraine") == "South Korea arms Ukraine"


def test_plural_and_run_span():
    assert summaries.plural(1, "event") == "1 event"
    assert summaries.plural(4, "event") == "4 events"
    assert summaries.plural(2, "ally", "allies") == "2 allies"
    assert summaries.run_span([2024, 2025]) == "over 1 model year (2024 to 2025)"
    assert summaries.run_span(range(2024, 2045)) == "over 20 model years (2024 to 2044)"


def test_timeline_and_flows_summaries_have_no_template_plurals():
    ev = timeline.events()
    assert ev["after_article"].any()
    texts = [timeline.summarise_timeline(ev),
             timeline.summarise_timeline(ev[ev["after_article"]].head(1)),
             flows.summarise_sankey(flows.headline()),
             flows.summarise_estimates(flows.support(kinds=["munitions"], actors=["PRK"])),
             dv.summarise_munitions(dv.munitions_reports("shells"))]
    for text in texts:
        assert "(s)" not in text, text
    one = timeline.summarise_timeline(ev[ev["after_article"]].head(1))
    assert "1 event came after the article and is drawn hollow" in one


def test_restraint_summary_writes_scenario_names_in_lower_case_mid_sentence():
    text = dv.summarise_restraint(dv.restraint_curves(), dv.support_marks())
    assert "(as of mid-2024)" in text and "(As of" not in text


def test_tables_show_whole_sentences():
    table = summaries.authors_predictions(horizon=H)
    longest = max(table["prediction"], key=len)
    html = table._repr_html_  # what a notebook shows
    with pd.option_context("display.max_colwidth", 50):  # pandas' default cuts it
        assert longest not in html()
    assert longest in html()
    with pd.option_context("display.width", 1000):
        assert longest in repr(table)


def test_crisis_risk_reads_as_an_index_not_a_probability():
    meta = summaries.METRICS["crisis_risk"]
    assert "index" in meta.axis and "not a probability" in meta.axis
    fig = uv.fan_figure(uv.fan_runs({"mid": model.load_scenario("mid_2024")}, draws=10, seed=1))
    assert "not a probability" in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text == "model year"


def test_frames_built_by_hand_get_the_mark_too():
    tidy = pd.DataFrame({"year": [2024, 2025] * 2, "metric": ["tension"] * 4,
                         "subject": ["indo_pacific"] * 2 + ["euro_atlantic"] * 2,
                         "value": [1.0, 1.2, 1.0, 0.9]})

    class R:
        pass

    r = R()
    r.tidy = tidy
    text = summaries.summarise_tension(r)
    assert text.startswith("In the model, over 1 model year (2024 to 2025), ")


def test_munitions_summary_keeps_the_capital_of_a_month():
    reports = dv.munitions_reports("containers")
    later = reports[reports["after_article"].astype(bool)]
    assert not later.empty
    text = dv.summarise_munitions(later)
    month = f"{later['when'].iloc[-1]:%B}"
    assert f"({month} " in text and month[0].isupper()


# --------------------------------------------------------------------------- the one tolerance rule


def test_predictions_are_scored_by_the_little_change_rule():
    tol = labels.LITTLE_CHANGE
    for metric in ("tension", "posture", "cohesion", "credibility", "threat"):
        assert summaries.prediction_word(+1, 0.9 * tol, metric) == "little change"
        assert summaries.prediction_word(+1, -0.9 * tol, metric) == "little change"
        assert summaries.prediction_word(+1, 1.1 * tol, metric) == "holds"
        assert summaries.prediction_word(-1, 1.1 * tol, metric) == "reverses"
    eig = summaries.EIGENVALUE_LITTLE_CHANGE
    assert 0 < eig < tol
    assert summaries.prediction_word(+1, 0.9 * eig, "eigenvalue") == "little change"
    assert summaries.prediction_word(+1, -1.1 * eig, "eigenvalue") == "reverses"


def test_survival_cells_and_counts_follow_the_rule():
    table = summaries.survival(thetas=[0.8, 0.0], horizon=H)
    text = summaries.describe_survival(table)
    for th in (0.8, 0.0):
        b, a = summaries._pair("mid_2024", "deeper_interlinking", th, {})
        r0, r1 = model.simulate(b, H), model.simulate(a, H)
        col, words = f"θ = {th:.2f}", []
        for (claim, _p, metric, subject, sign), cell in zip(
                summaries.AUTHORS_PREDICTIONS, table[col], strict=True):
            d = summaries._final(r1, metric, subject) - summaries._final(r0, metric, subject)
            tol = 0.0025 if metric == "eigenvalue" else 0.05
            word = ("little change" if abs(d) < tol else
                    "holds" if sign * d > 0 else "reverses")
            assert cell.startswith(f"{word} ("), (claim, cell, d)
            words.append(word)
        held, flat = words.count("holds"), words.count("little change")
        assert f"at {col}, {held} of {len(words)} predictions hold" in text
        if flat:
            assert f"{flat} show{'s' * (flat == 1)} little change" in text


def test_numbers_next_to_the_cut_off_get_a_decimal_more():
    assert num_beside(0.052, 0.05) == "0.052"
    assert num_beside(0.046, 0.05) == "0.046"
    assert num_beside(0.12, 0.05) == "0.12"
    assert num_beside(-0.05012, 0.05, 3, signed=True) == "-0.0501"
    assert summaries.compared(1.052, 1.0) == "0.052 higher"
    assert summaries.compared(1.0, 1.12) == "0.12 lower"
    assert summaries.moves(1.0, 1.052) == "rises by 0.052 (from 1.00 to 1.05)"
    assert summaries.moves(1.0, 0.88) == "falls by 0.12 (from 1.00 to 0.88)"
