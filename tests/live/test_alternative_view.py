"""Lesson 08's cost–benefit views: figures hold exactly what fresh model runs give, the
live explorer ends equal to the static figures of the same state, the summaries follow the
state, and bad inputs are named."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lessons import model
from lessons.live import alternative_view as av
from lessons.live import explorer as lv
from lessons.views import labels
from lessons.views.chart_spec import figure_data, figure_layout

H = 8  # a short horizon keeps the tests fast; every view takes it


def fresh(name: str, horizon: int = H, **params):
    """A model run from scratch (no cache, no view code)."""
    sc = model.load_scenario(name)
    if params:
        sc = sc.with_params(**params)
    return model.simulate(sc, horizon=horizon)


def test_ledger_values_are_fresh_model_outputs():
    t = av.outcomes(H, theta=0.5)
    for name in (*av.SCENARIOS, av.BASELINE):
        res = fresh(name, theta=0.5)
        for o in av.OUTCOMES:
            assert t.loc[o.key, name] == pytest.approx(res.final(o.metric, o.subject))


def test_ledger_figure_holds_the_values_and_stars_the_best_for_washington():
    fig = av.outcomes_figure(H, theta=0.5)
    data = figure_data(fig)
    per_panel = len(av.SCENARIOS) + 1
    assert len(data) == per_panel * len(av.OUTCOMES)
    runs = {n: fresh(n, theta=0.5) for n in (*av.SCENARIOS, av.BASELINE)}
    for i, o in enumerate(av.OUTCOMES):
        panel = data[i * per_panel:(i + 1) * per_panel]
        values = {s: runs[s].final(o.metric, o.subject) for s in av.SCENARIOS}
        bars = panel[:-1]
        for tr, s in zip(bars, av.SCENARIOS, strict=True):
            assert tr["y"][0] == pytest.approx(values[s], abs=1e-4)
        winner = max(values, key=lambda s: o.better * values[s])
        starred = [s for tr, s in zip(bars, av.SCENARIOS, strict=True) if "★" in tr["text"][0]]
        assert starred == [winner]
        assert panel[-1]["y"][0] == pytest.approx(
            runs[av.BASELINE].final(o.metric, o.subject), abs=1e-4)


def test_advantage_is_signed_for_washington_and_the_scorecard_agrees():
    adv = av.advantage("deeper_interlinking", H, theta=0.8)
    t = av.outcomes(H, ("deeper_interlinking", av.ALTERNATIVE), theta=0.8)
    for o in av.OUTCOMES:
        a, b = t.loc[o.key, "deeper_interlinking"], t.loc[o.key, av.ALTERNATIVE]
        assert adv[o.key] == pytest.approx(100 * o.better * (b - a) / abs(a))
    worlds = {"A": 0.8, "B": 0.1}
    card = av.scorecard("mid_2024", H, worlds)
    a_adv = av.advantage("mid_2024", H, theta=0.8)
    b_adv = av.advantage("mid_2024", H, theta=0.1)
    a_t = av.outcomes(H, ("mid_2024", av.ALTERNATIVE), theta=0.8)
    b_t = av.outcomes(H, ("mid_2024", av.ALTERNATIVE), theta=0.1)
    for row, o in zip(card.to_dict("records"), av.OUTCOMES, strict=True):
        assert row["A: advantage %"] == pytest.approx(round(a_adv[o.key], 1))
        assert row["B: advantage %"] == pytest.approx(round(b_adv[o.key], 1))
        words = []
        for world, t in (("A", a_t), ("B", b_t)):
            # Washington's gain in index points, scored by the lessons' 0.05 rule.
            gain = o.better * (t.loc[o.key, av.ALTERNATIVE] - t.loc[o.key, "mid_2024"])
            word = ("little change" if abs(gain) < 0.05
                    else "better" if gain > 0 else "worse")
            assert row[f"{world}: verdict"] == word
            words.append(word)
        assert row["verdict"] == (words[0] if words[0] == words[1] else "depends on θ")
    fig = av.worlds_figure("mid_2024", H, worlds)
    bars = figure_data(fig)
    assert [tr["name"] for tr in bars] == ["A", "B"]
    assert bars[0]["x"][::-1] == pytest.approx([a_adv[o.key] for o in av.OUTCOMES], abs=1e-4)


def test_the_worlds_summary_counts_the_scorecard_verdicts():
    """The sentence under the worlds chart tallies the same verdicts as the scorecard, so
    a move under 0.05 is never counted as a win (the predict questions call it little
    change)."""
    worlds = {"A world (θ = 0.80)": 0.8, "B world (θ = 0.10)": 0.1}
    card = av.scorecard("mid_2024", H, worlds)
    text = av.summarise_worlds("mid_2024", H, worlds)
    n = len(av.OUTCOMES)
    for world in ("A world", "B world"):
        counts = card[f"{world}: verdict"].value_counts()
        first, *rest = [f"{w} on {counts[w]}" for w in ("better", "worse", "little change")
                        if w in counts]
        tally = ", ".join([f"{first} of {n} outcomes", *rest])
        assert f"{world[0].lower() + world[1:]} (θ" in text and tally in text
    flipped = [o for o, v in zip(av.OUTCOMES, card["verdict"], strict=True)
               if v == "depends on θ"]
    for o in flipped:
        assert o.phrase in text.split("depends on θ for")[1]
    if not flipped:
        assert "No verdict changes with θ." in text


def test_worlds_default_reads_theta_from_the_model_data():
    w = av.worlds()
    assert list(w.values()) == [
        float(model.list_parameters().set_index("name").loc["theta", "default"]),
        float(model.load_scenario("deterrence_world").params["theta"])]


def test_ingredients_go_from_the_interlinking_scenario_to_the_alternative():
    t = av.ingredients("mid_2024", H)
    start, alt = fresh("mid_2024"), fresh(av.ALTERNATIVE)
    for o in av.OUTCOMES:
        assert t.loc[0, o.key] == pytest.approx(start.final(o.metric, o.subject))
        assert t.iloc[-1][o.key] == pytest.approx(alt.final(o.metric, o.subject))
    assert list(t["key"][:2]) == ["start", "links"]
    changed = {k for k, v in model.load_scenario(av.ALTERNATIVE).params.items()
               if v != model.load_scenario("mid_2024").params[k]}
    assert set(t["key"][2:]) == changed
    fig = av.ingredients_figure("mid_2024", H)
    assert all(tr["y"][0] == 0 for tr in figure_data(fig))


def test_paper_tiger_counts_european_stakes():
    t = av.paper_tiger("deeper_interlinking")
    paper, tested, divided = t.index
    assert t.loc[paper, "europe"] > t.loc[tested, "europe"] > 0
    assert t.loc[paper, "us"] == pytest.approx(t.loc[tested, "us"])
    df = model.credibility_contributions(model.load_scenario("deeper_interlinking"))
    ip = df[df["theater"] == "indo_pacific"]
    assert t.loc[tested, "total"] == pytest.approx(ip["credible"].sum())
    assert t.loc[divided, "us"] > t.loc[tested, "us"]
    text = av.summarise_paper_tiger("deeper_interlinking")
    assert f"{t.loc[paper, 'total']:.2f}" in text
    assert text != av.summarise_paper_tiger("deeper_interlinking", euro_interest=0.5)


def test_summaries_change_with_the_state():
    a, b = av.summarise_outcomes(H, theta=0.8), av.summarise_outcomes(H, theta=0.1)
    assert a != b and "θ = 0.80" in a and "θ = 0.10" in b
    assert av.summarise_worlds("mid_2024", H) != av.summarise_worlds("deeper_interlinking", H)
    assert av.summarise_ingredients("mid_2024", H) != av.summarise_ingredients(
        "deeper_interlinking", H)


# --------------------------------------------------------------------------- live and static


def test_live_update_equals_the_static_figure_of_the_same_state(live):
    ex = av.CostBenefitExplorer("mid_2024", H, theta=0.8)
    assert all(isinstance(f, go.FigureWidget) for f in ex.figures.values())
    before = {n: figure_data(f) for n, f in ex.figures.items()}
    text_before = ex.summaries
    ex.controls["theta"].value = 0.1  # what a slider drag does
    ex.controls["interlink"].value = "deeper_interlinking"
    assert ex.state == av.LedgerState("deeper_interlinking", H, (("theta", 0.1),))
    for name, fig in ex.figures.items():
        fresh_fig, text = av.chart(name, ex.state)
        assert figure_data(fig) == figure_data(fresh_fig), name
        assert figure_layout(fig) == figure_layout(fresh_fig), name
        assert figure_data(fig) != before[name], name
        assert ex.summaries[name] == text != text_before[name]
        assert ex.texts[name].value == lv.summary_html(text)


def test_set_moves_the_sliders_and_before_display_rebuilds(live):
    ex = av.CostBenefitExplorer("mid_2024", H)
    old = ex.live["ledger"]
    ex.set(euro_interest=0.6)
    assert ex.controls["euro_interest"].value == pytest.approx(0.6)
    assert ex.state.p == {"euro_interest": 0.6}
    ex._ipython_display_()
    assert ex.live["ledger"] is not old
    assert figure_data(ex.live["ledger"]) == figure_data(av.chart("ledger", ex.state)[0])
    assert live == [ex.widget]


def test_static_mode_shows_figures_and_summaries_without_widgets(static):
    ex = av.CostBenefitExplorer("mid_2024", H, theta=0.3)
    assert ex.widget is None and not ex.live
    ex._ipython_display_()
    figs = [o for o in static if isinstance(o, go.Figure)]
    assert [figure_data(f) for f in figs] == [figure_data(av.chart(n, ex.state)[0])
                                              for n in ex.chart_names]
    texts = [o.data for o in static if hasattr(o, "data") and isinstance(o.data, str)]
    for name in ex.chart_names:
        assert any(ex.summaries[name] in t for t in texts)


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("call, words", [
    (lambda: av.outcomes(H, ("mid_2025",)), ["unknown scenario", "mid_2024"]),
    (lambda: av.advantage("nowhere", H), ["interlinking scenario", "deeper_interlinking"]),
    (lambda: av.outcomes(H, theta=1.5), ["theta", "0 to 1"]),
    (lambda: av.outcomes(H, generosity="some"), ["generosity", "number"]),
    (lambda: av.outcomes(H, courage=1.0), ["unknown parameter", "euro_interest"]),
    (lambda: av.outcomes(3), ["horizon", "5 to 50"]),
    (lambda: av.CostBenefitExplorer(charts=["pie"]), ["unknown chart", "ledger"]),
    (lambda: av.CostBenefitExplorer(horizon=H, burden_shift=2.0), ["burden_shift"]),
])
def test_bad_inputs_are_named(call, words):
    with pytest.raises(av.AlternativeViewError) as err:
        call()
    for w in words:
        assert w in str(err.value)


def test_predict_outcome_and_explanation_come_from_fresh_runs(static):
    before, after = fresh("mid_2024"), fresh(av.ALTERNATIVE)
    b = before.final("credibility", "indo_pacific")
    a = after.final("credibility", "indo_pacific")
    tol = labels.LITTLE_CHANGE
    expected = "same" if abs(a - b) < tol else "rise" if a > b else "fall"
    p = av.predict("mid_2024", H)
    assert p.outcome() == expected
    assert f"{a:.2f}" in p.explanation() and f"{b:.2f}" in p.explanation()
    assert "the mid-2024 links" in p.question
    other = av.predict("deeper_interlinking", H)
    d = fresh("deeper_interlinking").final("credibility", "indo_pacific")
    assert other.outcome() == ("same" if abs(a - d) < tol else "rise" if a > d else "fall")
    assert other.explanation() != p.explanation()
    with pytest.raises(av.AlternativeViewError, match="interlinking scenario"):
        av.predict("utopia")


def test_predict_first_scores_by_the_one_tolerance_rule_it_states(static, monkeypatch):
    from lessons.live import alternative_parts as ap

    p = av.predict("mid_2024", H)
    assert p.rule == labels.little_change_rule()
    # A move below LITTLE_CHANGE is "little change", one at or above it a rise or fall.
    small = 0.6 * labels.LITTLE_CHANGE
    monkeypatch.setattr(ap, "_credibility_pair", lambda *_a: (1.0, 1.0 + small, 0.5, 0.6))
    assert av.predict_outcome("mid_2024", H) == "same"
    assert "counts as little change" in av.explain_prediction("mid_2024", H)
    big = 1.2 * labels.LITTLE_CHANGE
    monkeypatch.setattr(ap, "_credibility_pair", lambda *_a: (1.0, 1.0 - big, 0.5, 0.6))
    assert av.predict_outcome("mid_2024", H) == "fall"
    assert "more than the 0.05" in av.explain_prediction("mid_2024", H)


def test_predict_options_match_the_alternative_scenario():
    # The alternative keeps AP4 summit attendance, so no option may say the AP4 go.
    sc = model.load_scenario(av.ALTERNATIVE)
    assert any(on for t, on in sc.toggles.items() if "summit" in t)
    p = av.predict("mid_2024", H)
    assert not any("AP4" in text for text in p.options.values())
    assert "European ships and aircraft" in p.options["fall"]


def test_a_saved_scenario_file_can_be_the_interlinking_side(tmp_path, static):
    sc = model.load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True)
    path = model.save_scenario(sc, tmp_path / "patrols.yaml")
    adv = av.advantage(str(path), H)
    res = model.simulate(model.load_scenario(path), horizon=H)
    alt = fresh(av.ALTERNATIVE)
    o = av.OUTCOMES[0]
    a, b = res.final(o.metric, o.subject), alt.final(o.metric, o.subject)
    assert adv[o.key] == pytest.approx(100 * o.better * (b - a) / abs(a))
    texts = [av.summarise_worlds(str(path), H), av.explain_prediction(str(path), H),
             av.summarise_ingredients(str(path), H), av.CostBenefitExplorer(str(path), H)
             .state.describe(), av.worlds_figure(str(path), H).layout.title.text]
    for text in texts:
        assert str(tmp_path) not in text  # never a machine path in a lesson's output
    assert f"'{sc.name}'" in texts[0]
    with pytest.raises(av.AlternativeViewError, match="bad interlinking scenario file"):
        av.advantage(str(tmp_path / "missing.yaml"), H)
