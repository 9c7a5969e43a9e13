"""The explorer framework every lesson's explorer shares (:mod:`lessons.live.explorer`).

A toy explorer exercises the scaffolding on its own; the lessons' two explorers are then
checked to build their charts with :func:`lessons.live.widgets.figure_widget` (data in the
opening message) and to follow their controls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import ipywidgets
import plotly.graph_objects as go
import pytest
from IPython.display import Markdown

from lessons.live import alternative_view as av
from lessons.live import explorer as lv
from lessons.live import game_view as gv
from lessons.live.figure_widget import STALE_AFTER_S
from lessons.views.chart_spec import figure_data, figure_layout

# --------------------------------------------------------------------------- a toy lesson


@dataclass(frozen=True)
class Toy:
    level: float = 1.0
    label: str = "a"

    def describe(self) -> str:
        return f"level {self.level:g}, label {self.label}"


def line_figure(s: Toy) -> go.Figure:
    """Two traces: the first follows ``level``, the second never changes."""
    return go.Figure([go.Scatter(y=[s.level, 2 * s.level], name="moves"),
                      go.Scatter(y=[1.0, 1.0], name="fixed")],
                     layout={"title": {"text": f"Level {s.level:g}"}})


TOY_CHARTS: dict[str, tuple[Any, Any]] = {
    "line": (line_figure, lambda s: f"The line is at {s.level:g} & {s.label}."),
    "bar": (lambda s: go.Figure([go.Bar(x=[s.label], y=[s.level])],
                                layout={"title": {"text": f"Bar {s.label}"}}),
            lambda s: f"One bar, {s.label}."),
}


class ToyError(ValueError):
    pass


class ToyExplorer(lv.ChartExplorer):
    chart_table = TOY_CHARTS
    error = ToyError
    static_note = "*Static toy ({what}).*"
    heading = "Toy explorer"
    intro = "<strong>Toy</strong>"

    def __init__(self, charts: tuple[str, ...] = ("line", "bar"), **state: Any) -> None:
        super().__init__(Toy(**state), charts)

    def set(self, **changes: Any) -> None:
        new = replace(self.state, **changes)
        self._move(changes)
        self._apply(new)

    def _changed(self, key: str, value: Any) -> Toy:
        return replace(self.state, **{key: value})

    def _controls(self) -> dict[str, Any]:
        return {"level": ipywidgets.FloatSlider(value=self.state.level, min=0, max=10),
                "label": ipywidgets.Dropdown(options=["a", "b"], value=self.state.label)}


def toy_chart(name: str, state: Toy) -> tuple[go.Figure, str]:
    return lv.chart(TOY_CHARTS, name, state, ToyError)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def opened(monkeypatch):
    """What each FigureWidget holds when its comm opens: (number of traces, title).

    plotly 7.1's own ``go.FigureWidget(fig)`` opens with no traces and sends them in a
    second message; :func:`lessons.live.widgets.figure_widget` opens with them."""
    seen: list[tuple[int, str]] = []
    original = ipywidgets.Widget.open

    def spy(self):
        if isinstance(self, go.FigureWidget) and self.comm is None:
            state = self.get_state()
            seen.append((len(state["_widget_data"]),
                         str(state["_widget_layout"].get("title", {}).get("text", ""))))
        return original(self)

    monkeypatch.setattr(ipywidgets.Widget, "open", spy)
    return seen


def expected_openings(chart, names, state) -> list[tuple[int, str]]:
    """What :func:`opened` records for fresh figures of ``names`` at ``state``."""
    figs = [chart(n, state)[0] for n in names]
    return [(len(f.data), str(f.layout.title.text or "")) for f in figs]


# --------------------------------------------------------------------------- pure helpers


def test_update_in_place_assigns_only_the_traces_that_changed(live, monkeypatch):
    widget = lv.LiveCharts(["line"], toy_chart, Toy()).figures["line"]
    calls: list[dict] = []
    original = go.Scatter.update
    monkeypatch.setattr(go.Scatter, "update",
                        lambda self, *a, **kw: calls.append(a[0]) or original(self, *a, **kw))
    fresh = line_figure(Toy(level=4.0))
    assert lv.update_in_place(widget, fresh) == 1
    assert [sorted(c) for c in calls] == [["y"]]  # the fixed trace is not touched
    assert figure_data(widget) == figure_data(fresh)
    assert figure_layout(widget) == figure_layout(fresh)
    calls.clear()
    assert lv.update_in_place(widget, fresh) == 0 and calls == []
    with pytest.raises(RuntimeError, match="number of traces"):
        lv.update_in_place(widget, go.Figure([go.Scatter(y=[1])]))


def test_summary_widget_is_announced_escaped_and_classed():
    widget = lv.summary_widget("Tension < 1 & falling", {"width": "100%"})
    assert "lesson-chart-summary" in widget._dom_classes
    assert 'role="status"' in widget.value and 'aria-live="polite"' in widget.value
    assert "Tension &lt; 1 &amp; falling" in widget.value
    assert widget.value == lv.summary_html("Tension < 1 & falling")
    assert widget.layout.width == "100%"
    assert lv.summary_widget("x").layout.width is None


def test_chart_names_the_valid_charts():
    with pytest.raises(ToyError, match="unknown chart 'pie'; valid charts: line, bar"):
        toy_chart("pie", Toy())
    fig, text = toy_chart("line", Toy(level=2.0))
    assert figure_data(fig) == figure_data(line_figure(Toy(level=2.0)))
    assert text == "The line is at 2 & a."


# --------------------------------------------------------------------------- live charts


def test_live_charts_open_with_their_data(live, opened):
    charts = lv.LiveCharts(["line", "bar"], toy_chart, Toy())
    assert opened == expected_openings(toy_chart, ["line", "bar"], Toy()) == [
        (2, "Level 1"), (1, "Bar a")]
    assert [b.children for b in charts.boxes.values()] == [
        (charts.figures[n], charts.texts[n]) for n in ("line", "bar")]
    assert list(charts.box.children) == list(charts.boxes.values())


def test_update_brings_charts_and_summaries_to_the_new_state(live):
    charts = lv.LiveCharts(["line", "bar"], toy_chart, Toy())
    new = Toy(level=3.0, label="b")
    assert charts.update(new) == 2  # one trace of "line", the one trace of "bar"
    for name in ("line", "bar"):
        fresh, text = toy_chart(name, new)
        assert figure_data(charts.figures[name]) == figure_data(fresh)
        assert charts.texts[name].value == lv.summary_html(text)


def test_changes_before_display_are_rebuilt_into_widgets_opened_with_data(live, opened):
    charts = lv.LiveCharts(["line"], toy_chart, Toy())
    old, text = charts.figures["line"], charts.texts["line"]
    charts.update(Toy(level=3.0))
    opened.clear()
    charts.ready(Toy(level=3.0))
    new = charts.figures["line"]
    assert new is not old and opened == [(2, "Level 3")]
    assert charts.boxes["line"].children == (new, text)
    assert figure_data(new) == figure_data(line_figure(Toy(level=3.0)))
    # once displayed, changes go in place: no new widget
    charts.update(Toy(level=5.0))
    charts.ready(Toy(level=5.0))
    assert charts.figures["line"] is new and opened == [(2, "Level 3")]


def test_ready_without_changes_keeps_the_widgets(live):
    charts = lv.LiveCharts(["line"], toy_chart, Toy())
    old = charts.figures["line"]
    charts.ready(Toy())
    assert charts.figures["line"] is old



def test_a_chart_the_browser_stopped_acknowledging_is_rebuilt(live):
    """Every explorer shares the stale-view detection of the model explorer: a chart
    whose browser view left an update unacknowledged too long is rebuilt on the next
    change, the others are updated in place."""
    ex = ToyExplorer()
    ex._ipython_display_()
    view = ex.view
    line, bar = ex.live["line"], ex.live["bar"]
    line._view_count = bar._view_count = 1  # views exist in the browser
    ex.controls["level"].value = 2.0  # only the line chart's traces change
    assert line._trace_edit_in_process and not view.charts["line"].is_stale()
    view.charts["line"]._sent_at -= STALE_AFTER_S + 1  # time passes, no answer
    assert view.charts["line"].is_stale() and not view.charts["bar"].is_stale()
    ex.controls["level"].value = 3.0
    assert ex.live["line"] is not line and ex.live["bar"] is bar and view.rebuilds == 1
    assert view.boxes["line"].children[0] is ex.live["line"]
    fresh, text = toy_chart("line", ex.state)
    assert figure_data(ex.live["line"]) == figure_data(fresh)
    assert ex.texts["line"].value == lv.summary_html(text)
    # an acknowledged chart is never rebuilt, however long ago it was updated
    new = ex.live["line"]
    new._view_count = 1
    ex.controls["level"].value = 4.0
    new._trace_edit_in_process = False  # the browser answered
    view.charts["line"]._sent_at -= STALE_AFTER_S + 1
    ex.controls["level"].value = 5.0
    assert ex.live["line"] is new and view.rebuilds == 1

# --------------------------------------------------------------------------- explorer


def test_a_control_change_updates_the_chart_data_and_its_summary(live):
    ex = ToyExplorer()
    before = figure_data(ex.live["line"])
    text_before = ex.texts["line"].value
    ex.controls["level"].value = 2.5  # what a slider drag does
    assert ex.state == Toy(level=2.5)
    fresh, text = toy_chart("line", ex.state)
    assert figure_data(ex.live["line"]) == figure_data(fresh) != before
    assert ex.texts["line"].value == lv.summary_html(text) != text_before
    assert ex.summaries["line"] == text


def test_moving_several_controls_updates_the_charts_once(live, monkeypatch):
    ex = ToyExplorer()
    updates: list[Toy] = []
    original = ex.view.update
    monkeypatch.setattr(ex.view, "update", lambda s: updates.append(s) or original(s))
    ex.set(level=7.0, label="b")
    assert (ex.controls["level"].value, ex.controls["label"].value) == (7.0, "b")
    assert updates == [Toy(level=7.0, label="b")]
    ex.set(level=7.0)  # no change: nothing sent
    assert updates == [Toy(level=7.0, label="b")]


def test_live_display_lays_out_heading_panel_and_charts(live):
    ex = ToyExplorer(charts=("bar",))
    ex._ipython_display_()
    assert live == [ex.widget]
    heading, row = ex.widget.children
    assert heading.value == "<h4 style='margin:4px 0'>Toy explorer</h4>"
    panel, charts = row.children
    assert panel.children[0].value == ToyExplorer.intro
    assert list(panel.children[1:]) == list(ex.controls.values())
    assert charts is ex.view.box and isinstance(charts, ipywidgets.VBox)
    assert list(ex.figures) == ["bar"]


def test_static_mode_shows_note_figures_and_summaries_in_order(static):
    ex = ToyExplorer(level=2.0)
    assert ex.widget is None and ex.view is None and not ex.live and not ex.texts
    assert figure_data(ex.figures["line"]) == figure_data(line_figure(Toy(level=2.0)))
    ex._ipython_display_()
    assert [type(o) for o in static] == [Markdown, go.Figure, Markdown, go.Figure, Markdown]
    assert static[0].data == "*Static toy (level 2, label a).*"
    for i, name in enumerate(ex.chart_names):
        fresh, text = toy_chart(name, ex.state)
        assert figure_data(static[1 + 2 * i]) == figure_data(fresh)
        assert static[2 + 2 * i].data == f"**In words:** {text}"


def test_unknown_charts_are_named_before_anything_is_built(live):
    with pytest.raises(ToyError, match="valid charts: line, bar"):
        ToyExplorer(charts=("line", "pie"))


# --------------------------------------------------------------------------- the lessons

H = 8  # lesson 08: a short horizon keeps the test fast

LESSONS = {
    "07": (lambda: gv.GameExplorer(rounds=20, seed=7), gv.chart, "noise", 0.3),
    "08": (lambda: av.CostBenefitExplorer("mid_2024", H), av.chart, "theta", 0.2),
}


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_explorers_open_their_charts_with_data_and_follow_controls(live, opened,
                                                                          lesson):
    make, chart, control, value = LESSONS[lesson]
    ex = make()
    assert opened == expected_openings(chart, ex.chart_names, ex.state)
    assert all(n > 0 for n, _ in opened)
    before = {n: (figure_data(f), ex.texts[n].value) for n, f in ex.live.items()}
    ex.controls[control].value = value
    for name in ex.chart_names:
        fresh, text = chart(name, ex.state)
        assert figure_data(ex.live[name]) == figure_data(fresh) != before[name][0], name
        assert ex.texts[name].value == lv.summary_html(text) != before[name][1], name
    # changed before display: rebuilt at display, again with the data in the first message
    opened.clear()
    ex._ipython_display_()
    assert opened == expected_openings(chart, ex.chart_names, ex.state)
    assert live == [ex.widget]


def test_lesson_08_ledger_reveal_opens_with_its_data(live, opened):
    box = av.ledger_widget(H)
    fig, summary = box.children
    assert opened == [(len(av.outcomes_figure(H).data), str(av.outcomes_figure(H).layout
                                                             .title.text))]
    assert figure_data(fig) == figure_data(av.outcomes_figure(H))
    assert "lesson-chart-summary" in summary._dom_classes
    assert summary.value == lv.summary_html(av.summarise_outcomes(H))


# --------------------------------------------------------------------------- disclosure


def test_lesson_explorers_show_at_most_six_switches_and_three_sliders(live):
    import ipywidgets as w

    from lessons.live import alternative_view, game_view

    for ex in (game_view.GameExplorer(), alternative_view.CostBenefitExplorer("mid_2024")):
        panel = ex.widget.children[1].children[0]
        front = list(panel.children)
        switches = [c for c in front if isinstance(c, w.Checkbox | w.ToggleButton)]
        sliders = [c for c in front if isinstance(c, w.FloatSlider | w.IntSlider)]
        assert len(switches) <= lv.MAX_SWITCHES and len(sliders) <= lv.MAX_SLIDERS
        hidden = [c for c in front if isinstance(c, w.Accordion)]
        every = set(map(id, ex.controls.values()))
        inside = {id(c) for a in hidden for c in a.children[0].children}
        assert every == {id(c) for c in front if id(c) in every} | inside
        for a in hidden:
            assert a.titles == (lv.MORE_CONTROLS,) and a.selected_index is None


def test_split_controls_keeps_pickers_and_names_the_visible_ones():
    import ipywidgets as w

    controls = {"pick": w.Dropdown(options=["a"]),
                **{f"s{i}": w.FloatSlider() for i in range(5)},
                **{f"c{i}": w.Checkbox() for i in range(8)}}
    front, rest = lv.split_controls(controls)
    assert controls["pick"] in front
    assert [c for c in front if isinstance(c, w.FloatSlider)] == [controls[f"s{i}"]
                                                                  for i in range(3)]
    assert len([c for c in front if isinstance(c, w.Checkbox)]) == 6
    assert len(front) + len(rest) == len(controls)
    front, rest = lv.split_controls(controls, visible=["s4", "c7"])
    assert front == [controls["pick"], controls["s4"], controls["c7"]]
    with pytest.raises(ValueError, match="valid are"):
        lv.split_controls(controls, visible=["nope"])
    with pytest.raises(ValueError, match="at most 6"):
        lv.split_controls(controls, visible=[f"c{i}" for i in range(7)])
    assert lv.explorer_widget("H", "", front, w.VBox(), rest).children[1].children[
        0].children[-1].titles == (lv.MORE_CONTROLS,)


# --------------------------------------------------------------------------- captions


def _captioned(widget: Any) -> list[Any]:
    """Every control under ``widget`` that has a caption (a non-empty ``description``)."""
    found = [widget] if getattr(widget, "description", "") and hasattr(widget, "style") \
        else []
    for child in getattr(widget, "children", ()):
        found += _captioned(child)
    return found


def _fits(label: str) -> bool:
    return len(label) * lv.CAPTION_PX_PER_CHAR <= lv.CAPTION_PX


def test_caption_width_check_rejects_a_label_too_long_for_its_box():
    longest = lv.CAPTION_PX // lv.CAPTION_PX_PER_CHAR
    assert _fits("x" * longest) and not _fits("x" * (longest + 1))


def test_every_slider_label_fits_its_caption_box():
    from lessons.views import labels

    too_long = [v for v in labels.SLIDER_LABELS.values() if not _fits(v)]
    assert not too_long, f"labels wider than {lv.CAPTION_PX}px: {too_long}"


def test_every_explorer_shows_every_caption_in_full(live):
    from lessons import model
    from lessons.live.model_explorer import Explorer
    from lessons.views import labels

    every = [*model.list_parameters()["name"], "horizon"]
    explorers = [gv.GameExplorer(), av.CostBenefitExplorer("mid_2024"),
                 Explorer(sliders=every, controls=True)]
    for ex in explorers:
        captioned = [w for w in _captioned(ex.widget) if hasattr(w.style, "description_width")]
        sliders = [w for w in captioned
                   if isinstance(w, ipywidgets.FloatSlider | ipywidgets.IntSlider)]
        assert sliders, type(ex).__name__
        for w in sliders:
            assert w.style.description_width == f"{lv.CAPTION_PX}px", w.description
            assert _fits(w.description), w.description
        # A picker with the shared caption width shows its caption in full too.
        for w in captioned:
            if w.style.description_width == f"{lv.CAPTION_PX}px":
                assert _fits(w.description), w.description
    # The lesson 08 sliders say what every other explorer says.
    ledger = explorers[1]
    for name in av.SLIDERS:
        assert ledger.controls[name].description == labels.SLIDER_LABELS[name]
