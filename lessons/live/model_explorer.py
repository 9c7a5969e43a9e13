"""The model explorer: link switches, a scenario picker and sliders driving the model's
charts (lessons 02–06, 09, 10).

:class:`Explorer` is a :class:`lessons.live.explorer.ChartExplorer` whose state is the
model's :class:`lessons.views.charts.ChartState` (a scenario run, and its baseline under
the same assumptions), whose panel is :class:`lessons.live.controls.Controls`, and whose
view is :class:`LiveChart`: all its charts in ONE figure widget (a grid of cells, see
:func:`lessons.views.charts.compose`), each with a sentence under it.

**Live mode** (a person in JupyterLab): a change runs the model (cached) and updates the
figure *in place* inside ``fig.batch_update()``: only trace properties whose values
changed are sent, the number of traces never changes. **Static mode**
(:func:`lessons.mode.is_static`, set by batch renders and nbval): each chart as a static
``go.Figure`` with ``fig.show()``, followed by its summary as Markdown, after a short note
that the controls are live in JupyterLab. No widget is created.

The chart builders and summaries are pure functions in :mod:`lessons.views.charts` and
:mod:`lessons.views.summaries`; a live chart holds exactly the data a fresh static figure
of the same state would hold (tested).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from lessons.live.controls import Controls
from lessons.live.explorer import ChartExplorer, LiveView, summary_html, summary_widget
from lessons.live.figure_widget import LiveFigure, flatten
from lessons.model.runs import DEFAULT_HORIZON, RUNS
from lessons.model.scenario import resolve
from lessons.views import charts, summaries
from lessons.views.charts import ChartState
from lessons.views.labels import scenario_phrase
from lessons.views.text import plural

if TYPE_CHECKING:
    from lessons.model.scenario import Scenario

#: The charts an Explorer shows when none are named.
DEFAULT_CHARTS = ("network", "tension", "cohesion", "verdict")
#: The sliders an Explorer shows when none are named.
DEFAULT_SLIDERS = ("theta", "nationalism", "euro_interest", "horizon")

STATIC_NOTE = (
    "*Static view of the model explorer ({what}). In JupyterLab this cell shows live "
    "controls: link switches, a scenario picker and sliders, with the charts and their "
    "summaries updating as you change them.*"
)


# --------------------------------------------------------------------------- live charts


class LiveChart(LiveView):
    """Charts as ONE figure widget plus a text summary per chart, updated in place.

    All the charts of an explorer share one figure widget (a grid of cells, see
    :func:`lessons.views.charts.compose`): anywidget loads plotly's widget code once per
    widget, and several widgets created together can miss its two-second start-up
    deadline, after which the browser drops their updates. The widget is a
    :class:`~lessons.live.figure_widget.LiveFigure` built once from a complete
    ``go.Figure`` (plotly.py #4998); then only the trace and layout properties that differ
    from the last state are sent, inside one ``batch_update``. The number of traces is
    fixed. A widget whose browser view stopped acknowledging updates is rebuilt on the
    next change (:meth:`is_stale`).
    """

    def __init__(self, names: Sequence[str], state: ChartState) -> None:
        import ipywidgets as w

        super().__init__()
        self.names = [charts.spec(n).name for n in names]
        self.spec = charts.composite_spec(self.names)
        self._traces = self.spec.traces(state)
        self._layout = self.spec.layout(state)
        self.live = LiveFigure(go.Figure(data=self._traces, layout=self._layout))
        self.texts = {n: charts.summary(n, state) for n in self.names}
        self.summaries = {n: summary_widget(self.texts[n], {"width": "100%"},
                                            charts.spec(n).title) for n in self.names}
        heading = w.HTML("<div role='heading' aria-level='4' style='margin:4px 8px 0 8px'>"
                         "<strong>The charts in words</strong></div>")
        self.box = w.VBox([self.figure, heading, *self.summaries.values()],
                          layout=w.Layout(flex="1 1 600px", min_width="420px", margin="4px"))

    @property
    def figure(self) -> go.FigureWidget:
        """The figure widget holding every chart."""
        return self.live.widget

    def slices(self, state: ChartState) -> dict[str, slice]:
        """Which traces of the figure belong to which chart."""
        return {c.name: slice(c.start, c.stop) for c in charts.cells(self.names, state)}

    def is_stale(self, now: float | None = None) -> bool:
        """True when the browser shows the figure but stopped acknowledging updates."""
        return self.live.is_stale(now)

    def _update(self, state: ChartState) -> int:
        """Bring the figure and summaries to ``state``; return how many properties were
        sent (-1: the widget was rebuilt)."""
        if self.is_stale():
            self.rebuild(state)
            self.rebuilds += 1
            return -1
        traces = self.spec.traces(state)
        layout = self.spec.layout(state)
        if len(traces) != len(self._traces):
            raise RuntimeError(f"charts {self.spec.name}: the number of traces changed "
                               f"({len(self._traces)} -> {len(traces)})")
        changes: list[tuple[int, dict[str, Any]]] = []
        for i, (new, old) in enumerate(zip(traces, self._traces, strict=True)):
            if new.keys() != old.keys():
                raise RuntimeError(f"charts {self.spec.name}, trace {i}: properties changed")
            diff = {k: v for k, v in new.items() if old[k] != v}
            if diff:
                changes.append((i, diff))
        layout_diff = {k: v for k, v in layout.items() if self._layout.get(k) != v}
        if changes or layout_diff:
            fig = self.figure
            # traces whose changed properties are the same go in one restyle message
            groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
            for i, diff in changes:
                flat = flatten(diff)
                groups.setdefault(tuple(flat), []).append((i, flat))
            with fig.batch_update():
                for keys, members in groups.items():
                    # restyle with dotted paths: the same result as trace.update(diff),
                    # about three times faster (no re-validation of builder output)
                    fig.plotly_restyle({k: [flat[k] for _, flat in members] for k in keys},
                                       trace_indexes=[i for i, _ in members])
                if layout_diff:
                    fig.layout.update(layout_diff)
            self.updates += 1
            self.live.sent()
        self._traces, self._layout = traces, layout
        self._update_texts(state)
        return sum(len(d) for _, d in changes) + len(layout_diff)

    def _update_texts(self, state: ChartState) -> None:
        for n in self.names:
            text = charts.summary(n, state)
            if text != self.texts[n]:
                self.texts[n] = text
                self.summaries[n].value = summary_html(text, charts.spec(n).title)

    def rebuild(self, state: ChartState) -> None:
        """Replace the figure widget by a fresh one built from ``state``."""
        self._traces = self.spec.traces(state)
        self._layout = self.spec.layout(state)
        self.live.replace(go.Figure(data=self._traces, layout=self._layout))
        self.box.children = (self.figure, *self.box.children[1:])
        self._update_texts(state)


# --------------------------------------------------------------------------- explorer


class Explorer(ChartExplorer):
    """Link toggles, a scenario picker and sliders driving the model's charts.

    A :class:`~lessons.live.explorer.ChartExplorer` with its own panel
    (:class:`~lessons.live.controls.Controls`) and view (:class:`LiveChart`); static mode
    shows each chart with its summary titled ``In words (the chart's title)``.

    Parameters
    ----------
    lesson : str, optional
        Lesson ID (``"04"``); names the explorer for screen readers.
    charts : sequence of str
        Chart names from :data:`lessons.views.charts.CHARTS` (``network``, ``tension``,
        ``cohesion``, ``diplomacy``, ``credibility``, ``crisis``, ``posture``, ``verdict``).
    scenario : str or Scenario
        Where the explorer starts (and what *Reset* returns to).
    theta, **params : float, optional
        Parameter overrides applied to the starting scenario (``nationalism=…``).
    horizon : int
        Years simulated.
    baseline : str, Scenario or None
        Drawn as dotted ghost lines under the *same* assumptions as the current state, so
        the ghost shows what the links change. ``None``: no ghost.
    baseline_label : str, optional
        How the ghost is named in legends and summaries.
    toggles : iterable of str, optional
        Which link toggles to offer (default: all of ``data/toggles.csv``).
    sliders : iterable of str
        Which sliders to offer (``theta``, ``nationalism``, ``euro_interest``, ``horizon``,
        or any other model parameter).
    controls : bool
        ``False`` shows the charts of the starting state only (no panel).
    seed : int, optional
        Accepted for the lessons' common parameters; the model is deterministic.
    visible : iterable of str, optional
        The toggle IDs and slider names shown when the explorer opens (at most
        :data:`lessons.live.explorer.MAX_SWITCHES` switches and
        :data:`lessons.live.explorer.MAX_SLIDERS` sliders); the others sit behind a
        collapsed "More controls" accordion. Default: the first six switches in panel
        order and the first three sliders.
    """

    static_note = STATIC_NOTE
    parts_note = "The model's charts"

    def __init__(
        self,
        lesson: str | None = None,
        charts: Sequence[str] = DEFAULT_CHARTS,
        scenario: str | Scenario = "mid_2024",
        theta: float | None = None,
        horizon: int = DEFAULT_HORIZON,
        baseline: str | Scenario | None = "baseline_2021",
        baseline_label: str | None = None,
        toggles: Iterable[str] | None = None,
        sliders: Iterable[str] = DEFAULT_SLIDERS,
        controls: bool = True,
        seed: int | None = None,
        visible: Iterable[str] | None = None,
        **params: float,
    ) -> None:
        self.lesson = lesson
        self.seed = seed
        overrides = dict(params)
        if theta is not None:
            overrides["theta"] = float(theta)
        start = resolve(scenario)
        if overrides:
            start = start.with_params(**{k: float(v) for k, v in overrides.items()})
        self.start_phrase = scenario_phrase(scenario)
        self._initial = (start, int(horizon))
        self.scenario = start
        self.horizon = int(horizon)
        self.baseline_scenario = None if baseline is None else resolve(baseline)
        self.baseline_label = baseline_label or (
            scenario_phrase(baseline) if baseline is not None else "")
        self.toggle_ids = list(toggles) if toggles is not None else list(start.toggles)
        self.slider_names = list(sliders)
        self.show_controls = bool(controls)
        super().__init__(self._compute_state(), charts, visible)

    # ---------------------------------------------------------------- state

    def _compute_state(self) -> ChartState:
        result = RUNS.run(self.scenario, self.horizon)
        base_sc = base_res = None
        if self.baseline_scenario is not None:
            base_sc = self.baseline_scenario.with_params(**dict(self.scenario.params))
            base_res = RUNS.run(base_sc, self.horizon)
        return ChartState(scenario=self.scenario, result=result, baseline=base_res,
                          baseline_label=self.baseline_label, baseline_scenario=base_sc)

    @property
    def result(self) -> Any:
        """The model result currently shown."""
        return self.state.result

    @property
    def figure(self) -> Any:
        """The live ``FigureWidget`` holding every chart (``None`` in static mode)."""
        return self.view.figure if self.view is not None else None

    def _chart_name(self, name: str) -> str:
        return charts.spec(name).name

    def _chart(self, name: str, state: ChartState) -> tuple[go.Figure, str]:
        spec = charts.spec(name)
        return spec.figure(state), spec.summary(state)

    def summary_label(self, name: str) -> str:
        """``In words (the chart's title)``: the composite names each chart's sentence."""
        return f"In words ({title_in_sentence(charts.spec(name).title)})"

    @property
    def _panel(self) -> Controls | None:
        """The control panel (``None`` in static mode or without controls)."""
        return self.controls if isinstance(self.controls, Controls) else None

    def chart_data(self, name: str) -> list[dict[str, Any]]:
        """One chart's traces as shown: read back from the live widget, or built alone
        when static; JSON values without the keys a composite adds."""
        name = charts.spec(name).name
        if self.view is None:
            return charts.chart_data(name, self.state)
        part = self.view.slices(self.state)[name]
        return charts.strip_composite(charts.figure_data(self.view.figure)[part])

    @property
    def summaries(self) -> dict[str, str]:
        """The text summary of every chart for the current state (as displayed)."""
        if self.view is None:
            return {n: charts.summary(n, self.state) for n in self.chart_names}
        return dict(self.view.texts)

    def describe(self) -> str:
        """The current state in words (scenario, θ, horizon, switches changed).

        It is read inside a sentence ("Static view of the model explorer (…)", "The
        model's charts (…)"), so the scenario is named by its in-sentence phrase
        (:func:`~lessons.views.labels.scenario_phrase`), and the run's span is said in
        model years, first to last ("20 model years, 2024–2044"), so that no one reads
        the start year as the 2021 baseline's or the run as a forecast.
        """
        start, _ = self._initial
        changed = [t for t in self.scenario.toggles
                   if bool(self.scenario.toggles[t]) != bool(start.toggles.get(t, False))]
        what = f"{self.start_phrase}"
        if changed:
            what += f", {plural(len(changed), 'switch', 'switches')} changed"
        theta = self.scenario.params.get("theta")
        if theta is not None:
            what += f", θ = {float(theta):.2f}"
        years = summaries.years_of(self.result)
        first, last = int(years[0]), int(years[-1])
        return what + f", {plural(last - first, 'model year')}, {first}–{last}"

    def _refresh(self) -> None:
        """Run the model for the current scenario and horizon, and show the result."""
        if self._hold:
            return
        self._show(self._compute_state())
        if self._panel is not None:
            self._panel.show_status(self.describe())

    @contextmanager
    def hold(self) -> Iterator[Explorer]:
        """Apply several changes with one model run and one chart update at the end."""
        was = self._hold
        self._hold = True
        try:
            yield self
        finally:
            self._hold = was
            if not was:
                self._refresh()

    # ---------------------------------------------------------------- programmatic API

    def set_toggle(self, toggle: str, on: bool) -> None:
        """Switch a link toggle (through its checkbox when live, so the panel agrees)."""
        if toggle not in self.scenario.toggles:
            raise KeyError(f"unknown toggle {toggle!r}: valid toggles are "
                           f"{sorted(self.scenario.toggles)}")
        box = self._panel.toggles.get(toggle) if self._panel else None
        if box is not None:
            box.value = bool(on)
        else:
            self.scenario = self.scenario.with_toggle(toggle, bool(on))
            self._refresh()

    def set_params(self, **params: float) -> None:
        """Change model parameters (and ``horizon``); sliders follow when live."""
        with self.hold():
            for name, value in params.items():
                slider = self._panel.sliders.get(name) if self._panel else None
                if slider is not None:
                    slider.value = value
                elif name == "horizon":
                    self.horizon = int(value)
                else:
                    self.scenario = self.scenario.with_params(**{name: float(value)})

    def select_scenario(self, scenario: str | Scenario) -> None:
        """Load a named scenario: every toggle and parameter takes the scenario's value."""
        sc = resolve(scenario)
        with self.hold():
            self.scenario = sc
            self.start_phrase = scenario_phrase(scenario)
            if self._panel is not None:
                self._panel.sync(self.scenario, self.horizon)

    def reset(self) -> None:
        """Return to the starting scenario, parameters and horizon."""
        start, horizon = self._initial
        with self.hold():
            self.scenario, self.horizon = start, horizon
            if self._panel is not None:
                self._panel.sync(start, horizon)

    # ---------------------------------------------------------------- widgets

    def _build(self) -> None:
        """Build the live widgets: the panel (unless ``controls=False``) and the view."""
        import ipywidgets as w

        self.view = LiveChart(self.chart_names, self.state)
        charts_panel = self.view.box
        title = (f"Lesson {self.lesson}: model explorer" if self.lesson else "Model explorer")
        if self.show_controls:
            self.controls = Controls(self)
            # wrap: on a narrow screen (a projector's 1024 px with JupyterLab's sidebar
            # open) the charts go under the controls instead of running off the right
            body = w.HBox([self.controls.panel, charts_panel],
                          layout=w.Layout(align_items="flex-start", width="100%",
                                          flex_flow="row wrap"))
            heading = w.HTML(
                f'<h4 style="margin:4px 0" aria-label="{html.escape(title)}">'
                f"{html.escape(title)}</h4><p style='margin:0 0 6px 0'>Switch links on the "
                "left (Tab moves between controls, Space switches, arrow keys move a "
                "slider); each chart and the sentence under it update at once. Dotted "
                f"lines: the {html.escape(self.baseline_label or 'baseline')} under the "
                "same assumptions.</p>")
            self.widget = w.VBox([heading, body], layout=w.Layout(width="100%"))
        else:
            self.widget = w.VBox([charts_panel], layout=w.Layout(width="100%"))


#: First words of chart titles that are common words, lower-cased when a title runs on
#: inside a sentence. Any other first word (Korean, China, NATO, AP4, Indo-Pacific, or a
#: word not listed yet) keeps its capital: proper nouns cannot be told apart by rule.
COMMON_FIRST_WORDS = frozenset({
    "a", "an", "the", "actor", "tension", "entente", "credibility", "crisis", "military",
    "stability", "cohesion", "posture", "window", "diplomacy",
})


def title_in_sentence(title: str) -> str:
    """A chart title as it reads inside a sentence: the first letter lower-cased only
    when the first word is a common word (:data:`COMMON_FIRST_WORDS`); the rest of the
    title is never touched, so proper nouns keep their capitals.

    >>> title_in_sentence("The window for diplomacy on the Korean peninsula")
    'the window for diplomacy on the Korean peninsula'
    >>> title_in_sentence("NATO and AP4 links")
    'NATO and AP4 links'
    """
    first = title.split(" ", 1)[0]
    if first.lower() in COMMON_FIRST_WORDS and first[1:] == first[1:].lower():
        return title[:1].lower() + title[1:]
    return title


def explore(*args: Any, **kwargs: Any) -> Explorer:
    """The same as :class:`Explorer` (a verb for notebook cells)."""
    return Explorer(*args, **kwargs)
