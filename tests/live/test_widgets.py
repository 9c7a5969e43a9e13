"""Live widgets: toggles and sliders update the explorer's FigureWidget in place, to exactly
the data a fresh model run gives; static mode shows the same data without widgets."""

from __future__ import annotations

import html
import json
import random
import re

import ipywidgets
import plotly.graph_objects as go
import pytest

from lessons import model
from lessons.live import widgets
from lessons.views import chart_spec, charts, labels, summaries
from lessons.views.charts import ChartState

ALL_CHARTS = list(charts.CHARTS)
HORIZON = 12


def fresh_state(toggles: dict[str, bool], params: dict[str, float], horizon: int,
                baseline: str = "baseline_2021", label: str = "2021 baseline") -> ChartState:
    """What the charts must show, computed from scratch (no explorer, no cache)."""
    sc = model.load_scenario("mid_2024")
    for t, on in toggles.items():
        sc = sc.with_toggle(t, on)
    sc = sc.with_params(**params)
    base = model.load_scenario(baseline).with_params(**dict(sc.params))
    return ChartState(sc, model.simulate(sc, horizon=horizon),
                      model.simulate(base, horizon=horizon), label, base)


def assert_matches_fresh(explorer: widgets.Explorer, state: ChartState) -> None:
    """The live widget holds exactly the composite a fresh computation builds, and each
    chart's part of it equals the chart built alone (what static mode shows)."""
    expected = charts.compose(explorer.chart_names, state)
    assert charts.figure_data(explorer.figure) == charts.figure_data(expected)
    assert chart_spec.figure_layout(explorer.figure) == chart_spec.figure_layout(expected)
    for name in explorer.chart_names:
        assert explorer.chart_data(name) == charts.chart_data(name, state), name
        assert explorer.summaries[name] == charts.summary(name, state), name


# --------------------------------------------------------------------------- live updates


def test_setting_a_toggle_updates_the_figure_to_a_fresh_model_run(live):
    ex = widgets.Explorer("04", charts=ALL_CHARTS, theta=0.8, horizon=HORIZON)
    assert isinstance(ex.figure, go.FigureWidget)
    before = {n: ex.chart_data(n) for n in ALL_CHARTS}
    text_before = dict(ex.summaries)
    box = ex.controls.toggles["euro_taiwan_patrols"]
    assert box.value is False
    box.value = True  # what a click does
    after = {n: ex.chart_data(n) for n in ALL_CHARTS}
    assert after["network"] != before["network"]
    changed = [n for n in ALL_CHARTS if after[n] != before[n]]
    assert len(changed) >= 3, changed  # the model responds, not only the map
    assert ex.summaries["network"] != text_before["network"]
    shown = html.unescape(ex.view.summaries["network"].value)
    assert ex.summaries["network"] in shown
    assert_matches_fresh(ex, fresh_state({"euro_taiwan_patrols": True}, {"theta": 0.8}, HORIZON))


def test_slider_updates_in_place_and_summary_follows(live):
    ex = widgets.Explorer("04", charts=["tension", "verdict"], theta=0.8, horizon=HORIZON)
    fig = ex.figure
    text = ex.summaries["verdict"]
    ex.controls.sliders["theta"].value = 0.1
    assert ex.figure is fig  # the same FigureWidget: updated, not rebuilt
    assert ex.summaries["verdict"] != text
    assert_matches_fresh(ex, fresh_state({}, {"theta": 0.1}, HORIZON))
    ex.controls.sliders["horizon"].value = HORIZON + 3
    assert len(ex.chart_data("tension")[0]["x"]) == HORIZON + 3 + 1
    assert_matches_fresh(ex, fresh_state({}, {"theta": 0.1}, HORIZON + 3))


def test_only_changed_traces_are_sent(live, monkeypatch):
    ex = widgets.Explorer("04", charts=["network", "tension"], horizon=HORIZON)
    fig = ex.figure
    sent: list[int] = []
    original = fig.plotly_restyle
    monkeypatch.setattr(fig, "plotly_restyle", lambda data, trace_indexes, **k: (
        sent.extend(trace_indexes), original(data, trace_indexes, **k)))
    ex.controls.toggles["euro_taiwan_patrols"].value = True
    parts = ex.view.slices(ex.state)
    network = [fig.data[i].name for i in sent if i in range(parts["network"].stop)]
    assert "Friendly link, switchable" in network
    assert "Link details (hover), switchable" in network
    assert "Friendly link" not in network  # structural
    assert "Hostile link" not in network
    assert "Link details (hover)" not in network
    assert not any(fig.data[i].mode == "markers+text" for i in sent)  # actors never move
    tension = [i for i in sent if i in range(parts["tension"].start, parts["tension"].stop)]
    ghosts = [i for i in range(parts["tension"].start, parts["tension"].stop)
              if fig.data[i].line.dash == "dot"]
    assert tension and not set(tension) & set(ghosts)  # the baseline ghosts do not change
    sent.clear()
    assert ex.view.update(ex.state) == 0 and sent == []


def test_1000_random_changes_end_equal_to_a_fresh_computation(live):
    rng = random.Random(20240711)
    ex = widgets.Explorer("04", charts=ALL_CHARTS, theta=0.8, horizon=HORIZON)
    fig, count = ex.figure, len(ex.figure.data)
    params_table = model.list_parameters().set_index("name")
    start = model.load_scenario("mid_2024").with_params(theta=0.8)
    toggles = dict(start.toggles)
    params = dict(start.params)
    horizon = HORIZON
    names = list(ex.controls.toggles)
    for _ in range(1000):
        action = rng.random()
        if action < 0.6:
            t = rng.choice(names)
            toggles[t] = not toggles[t]
            ex.controls.toggles[t].value = toggles[t]
        elif action < 0.85:
            name = rng.choice(["theta", "nationalism", "euro_interest"])
            lo, hi = (0.0, 1.0) if name == "theta" else (
                float(params_table.loc[name, "low"]), float(params_table.loc[name, "high"]))
            value = round(lo + (hi - lo) * rng.randint(0, 20) / 20, 6)
            params[name] = value
            ex.controls.sliders[name].value = value
        elif action < 0.95:
            horizon = rng.randint(5, 20)
            ex.controls.sliders["horizon"].value = horizon
        elif action < 0.98:
            name = rng.choice(["baseline_2021", "deeper_interlinking", "deterrence_world"])
            sc = model.load_scenario(name)
            toggles, params = dict(sc.toggles), dict(sc.params)
            ex.controls.scenario.value = name
        else:
            toggles, params, horizon = dict(start.toggles), dict(start.params), HORIZON
            ex.controls.reset.click()
    assert ex.figure is fig and len(fig.data) == count  # never rebuilt, never grew
    assert dict(ex.scenario.toggles) == toggles
    assert {k: pytest.approx(v) for k, v in params.items()} == dict(ex.scenario.params)
    assert ex.horizon == horizon
    assert_matches_fresh(ex, fresh_state(toggles, params, horizon))
    for name, box in ex.controls.toggles.items():  # the panel agrees with the state
        assert box.value == toggles[name]


def test_scenario_picker_and_reset(live):
    ex = widgets.Explorer("04", charts=["cohesion"], theta=0.8, horizon=HORIZON)
    start = ex.chart_data("cohesion")
    ex.controls.scenario.value = "deterrence_world"
    sc = model.load_scenario("deterrence_world")
    assert ex.controls.sliders["theta"].value == pytest.approx(sc.params["theta"])
    assert ex.chart_data("cohesion") != start
    assert sc.description and html.escape(sc.description[:30]) in ex.controls.about.value
    ex.controls.reset.click()
    assert ex.chart_data("cohesion") == start
    assert ex.controls.sliders["theta"].value == pytest.approx(0.8)


def test_changes_before_display_are_rebuilt_into_a_fresh_widget(live):
    ex = widgets.Explorer("04", charts=["network"], horizon=HORIZON)
    first = ex.figure
    ex.set_toggle("euro_taiwan_patrols", True)
    ex._ipython_display_()
    assert live and live[-1] is ex.widget
    assert ex.figure is not first  # plotly.py #4998: rebuilt from a complete go.Figure
    assert ex.view.box.children[0] is ex.figure
    assert_matches_fresh(ex, fresh_state({"euro_taiwan_patrols": True}, {}, HORIZON))


def test_one_figure_widget_per_explorer_opened_with_its_data(live, monkeypatch):
    """The comm opens once data and layout are set, so they travel in the opening message
    (plotly 7.1 otherwise sends them in a second message that a loading front end loses)."""
    opened: list[tuple[int, str]] = []
    original = ipywidgets.Widget.open

    def spy(self):
        if isinstance(self, go.FigureWidget) and self.comm is None:
            state = self.get_state()
            opened.append((len(state["_widget_data"]),
                           str(state["_widget_layout"].get("title", {}).get("text", "")
                               or state["_widget_layout"].get("height", ""))))
        return original(self)

    monkeypatch.setattr(ipywidgets.Widget, "open", spy)
    fig = widgets.figure_widget(go.Figure(go.Scatter(x=[1, 2], y=[3, 4]),
                                          layout={"title": {"text": "T"}}))
    assert opened == [(1, "T")] and fig.comm is not None
    ex = widgets.Explorer("04", charts=["network", "tension", "verdict"], horizon=HORIZON)
    assert len(opened) == 2  # one widget for three charts
    assert opened[1] == (len(ex.figure.data), str(ex.figure.layout.height))


def test_a_widget_the_browser_stopped_acknowledging_is_rebuilt(live):
    ex = widgets.Explorer("04", charts=["tension", "cohesion"], horizon=HORIZON)
    ex._ipython_display_()
    view, old = ex.view, ex.figure
    old._view_count = 1  # a view exists in the browser
    assert not view.is_stale()  # nothing sent yet
    ex.controls.toggles["euro_taiwan_patrols"].value = True
    assert old._trace_edit_in_process  # the update awaits its acknowledgement
    assert not view.is_stale()  # not yet: the browser may still answer
    view.live._sent_at -= widgets.STALE_AFTER_S + 1  # time passes, no answer
    assert view.is_stale()
    ex.controls.toggles["euro_taiwan_patrols"].value = False
    assert ex.figure is not old and view.rebuilds == 1
    assert view.box.children[0] is ex.figure
    assert_matches_fresh(ex, fresh_state({}, {}, HORIZON))
    # a widget whose model died while the page loaded is found at the first change: on its
    # first drawing (edit 0) it is sent an update that changes nothing, never acknowledged
    fresh = ex.figure
    fresh._view_count = 1
    fresh._js2py_traceDeltas = {"trace_deltas": [], "trace_edit_id": 0}
    assert fresh._trace_edit_in_process and view.live._sent_at is not None
    assert charts.figure_data(fresh) == charts.figure_data(
        charts.compose(ex.chart_names, ex.state))  # the probe changed nothing
    view.live._sent_at -= widgets.STALE_AFTER_S + 1
    ex.controls.toggles["euro_taiwan_patrols"].value = True
    assert ex.figure is not fresh and view.rebuilds == 2
    ex.controls.toggles["euro_taiwan_patrols"].value = False
    # an acknowledged widget is never rebuilt, however long ago it was updated
    new = ex.figure
    new._view_count = 1
    ex.controls.toggles["euro_taiwan_patrols"].value = True
    new._trace_edit_in_process = False  # the browser answered
    new._layout_edit_in_process = True  # never acknowledged by plotly 7.1: ignored
    view.live._sent_at -= widgets.STALE_AFTER_S + 1
    assert not view.is_stale()
    ex.controls.toggles["euro_taiwan_patrols"].value = False
    assert ex.figure is new and view.rebuilds == 2


# --------------------------------------------------------------------------- the panel


def test_controls_are_standard_keyboard_widgets_grouped_by_side(live):
    ex = widgets.Explorer("04", horizon=HORIZON)
    table = model.list_toggles().set_index("id")
    assert set(ex.controls.toggles) == set(table.index)
    for tid, box in ex.controls.toggles.items():
        assert isinstance(box, ipywidgets.Checkbox)
        assert box.description == table.loc[tid, "label"]
        assert f"paragraph {int(table.loc[tid, 'paragraph'])}" in box.tooltip
        assert "lesson-link-toggle" in box._dom_classes
    assert isinstance(ex.controls.scenario, ipywidgets.Dropdown)
    assert isinstance(ex.controls.reset, ipywidgets.Button)
    assert isinstance(ex.controls.sliders["theta"], ipywidgets.FloatSlider)
    assert isinstance(ex.controls.sliders["horizon"], ipywidgets.IntSlider)
    assert set(widgets.DEFAULT_SLIDERS) == set(ex.controls.sliders)
    # the first six switches (in panel order) up front, the rest behind "More controls"
    front = [c for c in ex.controls.panel.children if isinstance(c, ipywidgets.VBox)]
    more = ex.controls.more
    assert isinstance(more, ipywidgets.Accordion) and more.selected_index is None
    assert more.titles == ("More controls",)
    behind = [c for c in more.children[0].children if isinstance(c, ipywidgets.VBox)]

    def texts(groups):
        return [r.children[0].description for g in groups for r in g.children[1:]]

    order = [t for side in ("interlinking", "adversary")
             for t in table.index if table.loc[t, "side"] == side]
    assert texts(front) == [table.loc[t, "label"] for t in order[:6]]
    assert texts(behind) == [table.loc[t, "label"] for t in order[6:]]
    for group in front + behind:
        side = "Interlinking" if "Interlinking" in group.children[0].value else "Adversary"
        for row in group.children[1:]:
            tid = next(t for t in order if table.loc[t, "label"] == row.children[0].description)
            assert table.loc[tid, "side"] == side.lower()
            assert f"¶{int(table.loc[tid, 'paragraph'])}" in row.children[1].value
    sliders = [c for c in ex.controls.panel.children if isinstance(c, ipywidgets.FloatSlider
                                                                   | ipywidgets.IntSlider)]
    assert [s.description for s in sliders] == [
        labels.SLIDER_LABELS[n] for n in widgets.DEFAULT_SLIDERS[:3]]
    assert ex.controls.sliders["horizon"] in more.children[0].children


def test_explorers_open_with_at_most_six_switches_and_three_sliders(live):
    def up_front(ex):
        panel = ex.controls.panel.children
        boxes = [r.children[0] for g in panel if isinstance(g, ipywidgets.VBox)
                 for r in g.children[1:]]
        sliders = [c for c in panel if isinstance(c, ipywidgets.FloatSlider
                                                  | ipywidgets.IntSlider)]
        return boxes, sliders

    ex = widgets.Explorer("04", horizon=HORIZON,
                          sliders=["theta", "nationalism", "euro_interest", "reaction",
                                   "fatigue", "horizon"])
    boxes, sliders = up_front(ex)
    assert len(boxes) == 6 and len(sliders) == 3
    chosen = widgets.Explorer("04", horizon=HORIZON, sliders=["theta", "horizon", "reaction"],
                              visible=["euro_taiwan_patrols", "reaction"])
    boxes, sliders = up_front(chosen)
    assert [b.description for b in boxes] == [
        model.list_toggles().set_index("id").loc["euro_taiwan_patrols", "label"]]
    assert sliders == [chosen.controls.sliders["reaction"]]
    # a hidden control still drives the charts
    before = chosen.chart_data("network")
    chosen.controls.toggles["nato_tokyo_office"].value = True
    assert chosen.chart_data("network") != before
    few = widgets.Explorer("01", horizon=HORIZON, sliders=[],
                           toggles=["ap4_summits", "nato_itpp"])
    assert few.controls.more is None
    with pytest.raises(ValueError, match="valid are"):
        widgets.Explorer("04", horizon=HORIZON, visible=["no_such_switch"])
    with pytest.raises(ValueError, match="at most 3"):
        widgets.Explorer("04", horizon=HORIZON,
                         sliders=["theta", "nationalism", "euro_interest", "horizon"],
                         visible=["theta", "nationalism", "euro_interest", "horizon"])


def test_summaries_are_announced_to_screen_readers(live):
    ex = widgets.Explorer("04", charts=["tension"], horizon=HORIZON)
    value = ex.view.summaries["tension"].value
    assert 'aria-live="polite"' in value
    assert ex.summaries["tension"] in html.unescape(value)
    assert "lesson-chart-summary" in ex.view.summaries["tension"]._dom_classes


# --------------------------------------------------------------------------- static mode


def test_static_mode_shows_the_same_data_without_widgets(static, monkeypatch):
    before = len(ipywidgets.widgets.widget._instances)
    ex = widgets.Explorer("04", charts=ALL_CHARTS, theta=0.8, horizon=HORIZON)
    high = float(model.list_parameters().set_index("name").loc["nationalism", "high"])
    ex.set_toggle("euro_taiwan_patrols", True)
    ex.set_params(nationalism=0.9 * high)
    ex._ipython_display_()
    assert ex.widget is None and ex.view is None and ex.figure is None
    assert len(ipywidgets.widgets.widget._instances) == before
    figs = [o for o in static if isinstance(o, go.Figure)]
    assert len(figs) == len(ALL_CHARTS)
    assert not any(isinstance(f, go.FigureWidget) for f in figs)
    texts = [o.data for o in static if hasattr(o, "data") and isinstance(o.data, str)]
    assert "JupyterLab" in texts[0]
    for name in ALL_CHARTS:
        assert any(ex.summaries[name] in t for t in texts), name

    # the same state in live mode: each chart's part of the widget holds the same data
    monkeypatch.delenv("LESSONS_STATIC")
    lv = widgets.Explorer("04", charts=ALL_CHARTS, theta=0.8, horizon=HORIZON)
    lv.controls.toggles["euro_taiwan_patrols"].value = True
    lv.controls.sliders["nationalism"].value = ex.scenario.params["nationalism"]
    for fig, name in zip(figs, ALL_CHARTS, strict=True):
        assert charts.strip_composite(charts.figure_data(fig)) == lv.chart_data(name), name
        assert lv.summaries[name] == ex.summaries[name]


# --------------------------------------------------------------------------- predict first


def _question():
    return widgets.predict("If NATO deepens its presence in Asia, what happens to the "
                           "China–Russia entente?", metric="cohesion", subject="CHN-RUS",
                           before="mid_2024", after="deeper_interlinking", theta=0.8,
                           horizon=HORIZON)


def _truth() -> str:
    b = model.load_scenario("mid_2024").with_params(theta=0.8)
    a = model.load_scenario("deeper_interlinking").with_params(theta=0.8)
    d = (model.simulate(a, horizon=HORIZON).final("cohesion", "CHN-RUS")
         - model.simulate(b, horizon=HORIZON).final("cohesion", "CHN-RUS"))
    return "rise" if d >= 0.05 else "fall" if d <= -0.05 else "same"


def test_predict_reveals_the_chart_only_after_commit_and_grades_it(live):
    p = _question()
    assert p.revealed.children == ()
    assert p.button.disabled
    truth = _truth()
    wrong = next(k for k in p.options if k != truth)
    p.radios.value = wrong
    assert not p.button.disabled
    p.button.click()
    assert p.prediction == wrong and p.history == [(wrong, truth)]
    assert p.radios.disabled and p.button.disabled
    assert "disagrees" in p.feedback.value
    assert len(p.revealed.children) == 1
    assert isinstance(p._reveal, widgets.Explorer)
    assert p._reveal.chart_names == ["network", "cohesion"]
    assert p.revealed.children[0] is p._reveal.widget
    q = _question()
    assert q.commit(truth) is True and "matched" in q.feedback.value


def _outside_details(text: str) -> str:
    """``text`` with every ``<details>…</details>`` block removed."""
    return re.sub(r"<details\b.*?</details>", "", text, flags=re.S)


def test_predict_static_asks_then_answers_in_a_closed_block(static):
    p = _question()
    assert p.widget is None
    p._ipython_display_()
    assert not any(isinstance(o, go.Figure) for o in static)  # no chart outside the block
    text = [o.data for o in static if hasattr(o, "data") and isinstance(o.data, str)]
    assert len(text) == 2
    assert text[0].startswith("**Predict first.**")
    assert widgets.little_change_rule() in text[0]
    block = text[1]
    assert block.startswith('<details class="lesson-reveal"') and "<details open" not in block
    answer = p.options[_truth()]
    assert answer in block and answer not in _outside_details(block)
    # the revealed charts are inside the block, as figures drawn when it opens
    ex = p._reveal
    assert block.count('class="lesson-reveal-chart') == len(ex.chart_names)
    for name in ex.chart_names:
        assert html.escape(ex.summaries[name]) in block
    assert "addEventListener(\"toggle\"" in block and "Plotly.Plots.resize" in block
    assert "https://" not in block and "http://" not in block
    # no number of the answer shows outside the block (the rule's threshold is no answer)
    outside = (_outside_details(block) + text[0]).replace(widgets.little_change_rule(), "")
    assert re.findall(r"\d\.\d\d", p.explanation()) and not re.search(r"\d\.\d\d", outside)


def test_predict_static_output_is_the_same_at_every_execution(static):
    first = _question().static_html()
    assert _question().static_html() == first
    other = widgets.predict("Another question?", metric="cohesion", subject="CHN-RUS",
                            before="mid_2024", after="deeper_interlinking", horizon=HORIZON)
    assert other.key != _question().key


def test_the_tolerance_rule_decides_little_change():
    t = widgets.LITTLE_CHANGE
    assert widgets.change_key(1.0, 1.0 + t / 2) == "same"
    assert widgets.change_key(1.0, 1.0 - t / 2) == "same"
    assert widgets.change_key(1.0, 1.0 + 2 * t) == "rise"
    assert widgets.change_key(1.0, 1.0 - 2 * t) == "fall"
    assert f"{t:.2f}" in widgets.little_change_rule()
    assert "0.10" in widgets.little_change_rule(0.1)


def test_every_rise_or_fall_question_states_the_rule_and_scores_by_it(static):
    # a move of about 0.03: "rises" under a 0.01 cut-off, little change under the rule
    p = widgets.predict("?", metric="cohesion", subject="CHN-RUS", before="mid_2024",
                        after=["nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership"],
                        theta=0.8, horizon=20)
    b = model.load_scenario("mid_2024").with_params(theta=0.8)
    a = b
    for t in ("nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership"):
        a = a.with_toggle(t, True)
    d = (model.simulate(a, horizon=20).final("cohesion", "CHN-RUS")
         - model.simulate(b.with_params(**dict(a.params)), horizon=20).final("cohesion",
                                                                             "CHN-RUS"))
    assert 0.01 < abs(d) < widgets.LITTLE_CHANGE  # the case under test
    assert p.outcome() == "same"
    assert "little change" in p.explanation()
    assert p.rule == widgets.little_change_rule()
    assert widgets.little_change_rule() in p.question_markdown()
    # a question without a "little change" option shows no rule unless given one
    q = widgets.Predict("Which?", {"a": "A", "b": "B"}, outcome=lambda: "a")
    assert q.rule is None and "scored" not in q.question_markdown()
    assert widgets.Predict("Which?", {"a": "A"}, outcome=lambda: "a",
                           rule="Ties count as A.").rule == "Ties count as A."


def test_live_predict_shows_the_rule_and_wrapping_options(live):
    p = _question()
    assert html.escape(widgets.little_change_rule()) in p.widget.children[0].value
    assert "lesson-options" in p.radios._dom_classes
    assert "white-space: normal" in p.widget.children[0].value


def test_authors_predictions_table_is_computed_from_runs():
    table = summaries.authors_predictions(theta=0.8, horizon=HORIZON)
    b = model.simulate(model.load_scenario("mid_2024").with_params(theta=0.8), horizon=HORIZON)
    a = model.simulate(model.load_scenario("deeper_interlinking").with_params(theta=0.8),
                       horizon=HORIZON)
    row = table.set_index("prediction").loc["China and Russia draw closer"]
    d = a.final("cohesion", "CHN-RUS") - b.final("cohesion", "CHN-RUS")
    assert row["change"] == pytest.approx(round(d, 3))
    assert bool(row["holds"]) == (d > 0)
    words = summaries.describe_survival(summaries.survival(thetas=[0.8], horizon=HORIZON))
    held = int(summaries.authors_predictions(theta=0.8, horizon=HORIZON)["holds"].sum())
    assert f"{held} of {len(summaries.AUTHORS_PREDICTIONS)} predictions hold" in words


# --------------------------------------------------------------------------- scenario labels


def _other_theta(sc) -> float:
    """A θ inside its range that differs from ``sc``'s."""
    return 0.9 if float(sc.params["theta"]) < 0.5 else 0.1


def test_unmodified_named_scenarios_keep_their_labels():
    for name in model.list_scenarios():
        if name not in labels.SCENARIO_LABELS:
            continue
        sc = model.load_scenario(name)
        same = [name, sc, sc.with_params(**dict(sc.params))]  # the same values, set again
        tid = next(iter(sc.toggles))
        same.append(sc.with_toggle(tid, not sc.toggles[tid]).with_toggle(tid, sc.toggles[tid]))
        for s in same:
            assert widgets.scenario_label(s) == labels.SCENARIO_LABELS[name], (name, s)
            assert widgets.scenario_phrase(s) == labels.SCENARIO_PHRASES[name], (name, s)


def test_a_scenario_with_links_switched_is_not_called_by_its_parents_name():
    base = model.load_scenario("baseline_2021")
    added = [t for t, on in base.toggles.items() if not on]
    assert added
    for tid in added:
        sc = base.with_toggle(tid, True)
        n = len(sc.link_set() - base.link_set())
        label, phrase = widgets.scenario_label(sc), widgets.scenario_phrase(sc)
        assert label != labels.SCENARIO_LABELS["baseline_2021"]
        assert label.startswith(labels.SCENARIO_LABELS["baseline_2021"])
        assert f", {n} link{'s' * (n != 1)} added" in label, label
        assert phrase != labels.SCENARIO_PHRASES["baseline_2021"]
        assert f" with {n} link{'s' * (n != 1)} added" in phrase, phrase
        assert "assumptions" not in label
    mid = model.load_scenario("mid_2024")
    on = next(t for t, v in mid.toggles.items() if v)
    fewer = mid.with_toggle(on, False)
    m = len(mid.link_set() - fewer.link_set())
    assert f", {m} link{'s' * (m != 1)} off" in widgets.scenario_label(fewer)
    changed = base.with_params(theta=_other_theta(base))
    assert "changed assumptions" in widgets.scenario_label(changed)
    assert "changed assumptions" in widgets.scenario_phrase(changed)


def test_scenario_labels_load_each_named_scenario_once(monkeypatch):
    labels._named_scenario.cache_clear()
    real = model.load_scenario
    calls: list[str] = []
    monkeypatch.setattr(model, "load_scenario", lambda name: (calls.append(name), real(name))[1])
    sc = real("baseline_2021").with_toggle("ap4_summits", True)
    for _ in range(50):
        widgets.scenario_label(sc)
        widgets.scenario_phrase(sc)
    assert calls == ["baseline_2021"]


def test_texts_name_a_modified_baseline_truthfully(static):
    base = model.load_scenario("baseline_2021")
    linked = base.with_toggle("ap4_summits", True)
    plain = labels.SCENARIO_PHRASES["baseline_2021"]
    phrase = widgets.scenario_phrase(linked)
    ex = widgets.Explorer(charts=["network", "tension"], scenario="mid_2024", baseline=linked,
                          horizon=HORIZON, controls=False)
    for name in ex.chart_names:
        text = ex.summaries[name]
        assert f"with the {plain}," not in text.lower(), (name, text)
        assert f"with the {phrase}," in text, (name, text)
    p = widgets.predict("If NATO links its partnership programme too, what happens to "
                        "China's posture?", metric="posture", subject="CHN", before=linked,
                        after=["nato_itpp"], horizon=HORIZON)
    text = p.explanation()
    assert f"with the {plain}:" not in text and f"with the {phrase}:" in text, text
    p._ipython_display_()
    shown = " ".join(o.data for o in static if isinstance(getattr(o, "data", None), str))
    assert f"with the {plain}," not in shown and f"with the {phrase}," in shown


# --------------------------------------------------------------------------- predict, more


def test_predict_answer_quotes_the_ghost_the_revealed_chart_draws(static):
    before, after = "deterrence_world", "deeper_interlinking"
    metric, subject = "tension", "indo_pacific"
    b, a = model.load_scenario(before), model.load_scenario(after)
    assert dict(b.params) != dict(a.params)  # the case under test
    p = widgets.predict("If every deeper link is added, what happens to Indo-Pacific tension?",
                        metric=metric, subject=subject, before=before, after=after,
                        horizon=HORIZON)
    ex = p._reveal()
    assert isinstance(ex, widgets.Explorer)
    ghost = ex.state.baseline.final(metric, subject)
    shown = ex.state.result.final(metric, subject)
    expected = model.simulate(b.with_params(**dict(a.params)), horizon=HORIZON)
    assert ghost == pytest.approx(expected.final(metric, subject))
    own = model.simulate(b, horizon=HORIZON).final(metric, subject)
    assert f"{own:.2f}" != f"{ghost:.2f}"  # the test tells the two runs apart
    text = p.explanation()
    assert f"ends at {shown:.2f}" in text and f"against {ghost:.2f} with the" in text, text
    d = shown - ghost
    assert p.outcome() == ("rise" if d > 0.01 else "fall" if d < -0.01 else "same")
    # the ghost is before's links under after's assumptions, and is named so
    assert f"with the {widgets.scenario_phrase(b.with_params(**dict(a.params)))}:" in text
    assert "changed assumptions" in text and ex.baseline_label in text


def test_predict_names_each_side_of_the_comparison(static):
    by_toggles = widgets.predict("?", metric="tension", subject="indo_pacific",
                                 before="mid_2024", after=["euro_taiwan_patrols"],
                                 horizon=HORIZON)
    assert "with the added links against" in by_toggles.explanation()
    # a named 'after' may remove links (the authors' alternative does): it is named
    by_name = widgets.predict("?", metric="tension", subject="indo_pacific",
                              before="mid_2024", after="authors_alternative",
                              horizon=HORIZON)
    text = by_name.explanation()
    assert "added links" not in text
    assert f"with the {widgets.scenario_phrase('authors_alternative')} against" in text


def test_predict_reveals_a_plain_figure_as_a_live_chart(live):
    fig = go.Figure(go.Scatter(x=[1.0, 2.0], y=[3.0, 4.0], name="revealed"))
    p = widgets.Predict("Which?", {"a": "A", "b": "B"}, outcome=lambda: "a", reveal=fig)
    p.commit("b")
    (shown,) = p.revealed.children
    assert isinstance(shown, go.FigureWidget)
    assert charts.figure_data(shown) == charts.figure_data(fig)


def _static_texts(shown: list) -> list[str]:
    return [o.data for o in shown if isinstance(getattr(o, "data", None), str)]


def test_predict_static_shows_a_note_instead_of_a_live_widget(static):
    built: list[ipywidgets.Widget] = []

    def live_view() -> ipywidgets.Widget:
        built.append(ipywidgets.IntSlider(description="live"))
        return built[-1]

    p = widgets.Predict("Which?", {"a": "A", "b": "B"}, outcome=lambda: "a",
                        explain="Because.", reveal=live_view)
    p._ipython_display_()
    assert not any(isinstance(o, ipywidgets.Widget) for o in static)
    note = _static_texts(static)[-1]
    assert "JupyterLab" in note and "commit" in note
    assert all(w.comm is None for w in built)  # a widget built for nothing is closed
    static.clear()
    given = ipywidgets.HTML("a widget passed as it is")
    widgets.Predict("Which?", {"a": "A"}, outcome=lambda: "a", reveal=given)._ipython_display_()
    assert given not in static and "JupyterLab" in _static_texts(static)[-1]


def test_predict_static_shows_a_revealed_figure_widget_as_a_static_figure(static):
    fig = go.Figure(go.Scatter(x=[1.0, 2.0], y=[3.0, 4.0], name="revealed"))
    p = widgets.Predict("Which?", {"a": "A"}, outcome=lambda: "a",
                        reveal=lambda: go.FigureWidget(fig))
    p._ipython_display_()
    assert not any(isinstance(o, go.Figure | go.FigureWidget) for o in static)
    block = _static_texts(static)[-1]
    (payload,) = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>',
                            block)
    data, _layout, _config = json.loads(payload)
    assert data == charts.figure_data(fig)


# --------------------------------------------------------------------------- chart titles

PROPER_NOUNS = ("Korean", "China", "NATO", "AP4", "Indo-Pacific")


def test_titles_in_sentences_keep_proper_nouns_capitalised(static):
    for name, spec in charts.CHARTS.items():
        inline = widgets.title_in_sentence(spec.title)
        assert inline[1:] == spec.title[1:], name  # only the first letter may change
        assert inline[:1] in (spec.title[:1], spec.title[:1].lower()), name
        for noun in PROPER_NOUNS:
            assert spec.title.count(noun) == inline.count(noun), (name, noun)
    for noun in PROPER_NOUNS:
        for title in (f"{noun} tension by theater", f"The rise of {noun} links"):
            inline = widgets.title_in_sentence(title)
            assert inline[1:] == title[1:] and noun in inline, title
        assert widgets.title_in_sentence(f"{noun} posture") == f"{noun} posture"
    ex = widgets.Explorer(charts=ALL_CHARTS, horizon=HORIZON, controls=False)
    ex._ipython_display_()
    shown = " ".join(_static_texts(static))
    for name in ALL_CHARTS:
        assert f"({widgets.title_in_sentence(charts.spec(name).title)}):" in shown, name


def test_describe_names_the_scenario_in_sentence_and_the_run_in_model_years(static):
    from lessons.live.model_explorer import Explorer
    from lessons.views import labels

    ex = Explorer(scenario="mid_2024", horizon=10)
    text = ex.describe()
    assert text.startswith(labels.scenario_phrase("mid_2024"))
    assert labels.SCENARIO_LABELS["mid_2024"] not in text
    run = model.simulate(model.load_scenario("mid_2024"), horizon=10)
    first = int(run.tidy["year"].min())
    assert int(run.tidy["year"].max()) == first + 10
    assert text.endswith(f"10 model years, {first}–{first + 10}")
    assert "years from" not in text
