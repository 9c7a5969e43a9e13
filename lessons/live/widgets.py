"""Live controls for the lessons: link toggles and sliders driving Plotly charts.

Two objects, each usable from a lesson in one or two lines::

    explorer = widgets.Explorer("04", charts=["network", "tension", "cohesion", "verdict"],
                                scenario=scenario, theta=theta)
    explorer                      # display

    widgets.Predict.compare("If NATO deepens its presence in Asia, what happens to the "
                            "China–Russia entente?", metric="cohesion", subject="CHN-RUS",
                            before=scenario, after="deeper_interlinking", theta=theta)

**Live mode** (a person in JupyterLab): :class:`Explorer` shows a panel of standard
ipywidgets — link toggles grouped by side (interlinking / adversary) with each link's date
and article paragraph beside it, a scenario picker, sliders for θ, nationalism, Europe's
interest and the horizon, and a reset button — next to Plotly ``FigureWidget`` charts, each
with a one- or two-sentence text summary under it. A change runs the model (cached) and
updates each chart *in place* inside ``fig.batch_update()``: only trace properties whose
values changed are sent, the number of traces never changes, nothing is rebuilt.

**Static mode** (:func:`lessons.mode.is_static`, set by batch renders and nbval): the same
calls display static ``go.Figure`` objects of the same state with ``fig.show()`` (the
default ``plotly_mimetype`` renderer), each followed by its summary as Markdown and a
short note that the controls are live in JupyterLab. No widget is created, so no widget
state is stored.

The chart builders and summaries are pure functions in :mod:`lessons.views.charts` and
:mod:`lessons.views.summaries`; a live chart holds exactly the data a fresh static figure of the
same state would hold (tested).
"""

from __future__ import annotations

import hashlib
import html
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from IPython.display import HTML, Markdown, display

from lessons import mode
from lessons.live import liveview
from lessons.model.runs import DEFAULT_HORIZON, RUNS
from lessons.model.scenario import resolve
from lessons.views import charts, summaries
from lessons.views.charts import ChartState
from lessons.views.labels import (  # re-exported: lessons and notebooks read them here
    LITTLE_CHANGE,
    SCENARIO_LABELS,
    SIDE_HEADINGS,
    SLIDER_LABELS,
    _verdict,
    change_key,
    little_change_rule,
    scenario_label,
    scenario_phrase,
)

#: The charts an Explorer shows when none are named.
DEFAULT_CHARTS = ("network", "tension", "cohesion", "verdict")
#: The sliders an Explorer shows when none are named.
DEFAULT_SLIDERS = ("theta", "nationalism", "euro_interest", "horizon")
#: The slider's range of years simulated (the catalog's ``horizon`` range); the default
#: horizon is the model's (:data:`lessons.model.runs.DEFAULT_HORIZON`).
HORIZON_RANGE = (5, 50)

#: A chart whose browser view has not acknowledged an update for this long is considered
#: dead and rebuilt on the next change (see :meth:`LiveChart.is_stale`).
STALE_AFTER_S = 2.0

STATIC_NOTE = (
    "*Static view of the model explorer ({what}). In JupyterLab this cell shows live "
    "controls: link switches, a scenario picker and sliders, with the charts and their "
    "summaries updating as you change them.*"
)


def _model():
    from lessons import model

    return model


# --------------------------------------------------------------------------- live charts


def figure_widget(fig: Any) -> Any:
    """A ``go.FigureWidget`` of a complete figure whose data reach the browser reliably.

    plotly 7.1 opens the widget's comm *before* it assigns the figure's data and layout,
    and sends them in a second message. When the front end is still loading the widget's
    code (the first charts of a session, or several built at once), that second message
    can arrive before the model listens and is lost: the chart draws empty axes. Here the
    comm opens only once data and layout are set, so they travel in the opening message.
    """
    import plotly.graph_objects as go

    global _DeferredFigureWidget
    if _DeferredFigureWidget is None:

        class DeferredFigureWidget(go.FigureWidget):
            _defer_open = False

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                type(self)._defer_open = True
                try:
                    super().__init__(*args, **kwargs)
                finally:
                    type(self)._defer_open = False
                self.open()

            def open(self) -> None:
                if not type(self)._defer_open:
                    super().open()

        # the same anywidget id as plotly's own class, so that the browser reuses the
        # widget code it has already loaded for FigureWidgets
        DeferredFigureWidget.__module__ = go.FigureWidget.__module__
        DeferredFigureWidget.__name__ = go.FigureWidget.__name__
        DeferredFigureWidget.__qualname__ = go.FigureWidget.__qualname__
        _DeferredFigureWidget = DeferredFigureWidget
    return _DeferredFigureWidget(fig)


_DeferredFigureWidget: Any = None


class LiveChart:
    """Charts as ONE ``FigureWidget`` plus a text summary per chart, updated in place.

    All the charts of an explorer share one figure widget (a grid of cells, see
    :func:`lessons.views.charts.compose`): anywidget loads plotly's widget code once per widget,
    and several widgets created together can miss its two-second start-up deadline, after
    which the browser drops their updates. The widget is built once from a complete
    ``go.Figure`` (plotly.py #4998), with its data in the opening message
    (:func:`figure_widget`); then only the trace and layout properties that differ from
    the last state are sent, inside one ``batch_update``. The number of traces is fixed.

    Recovery from a dead front-end model: the browser acknowledges each update it
    applies, so a widget whose view exists but has left an update unacknowledged for
    :data:`STALE_AFTER_S` is rebuilt from the current state on the next change. To find a
    model that died while the page loaded before the first click, the widget sends an
    update that changes nothing as soon as the browser reports its first drawing.
    """

    def __init__(self, names: Sequence[str], state: ChartState) -> None:
        import ipywidgets as w
        import plotly.graph_objects as go

        self.names = [charts.spec(n).name for n in names]
        self.spec = charts.composite_spec(self.names)
        self._traces = self.spec.traces(state)
        self._layout = self.spec.layout(state)
        self.figure = figure_widget(go.Figure(data=self._traces, layout=self._layout))
        self.texts = {n: charts.summary(n, state) for n in self.names}
        self.summaries = {}
        for n in self.names:
            widget = w.HTML(_summary_html(self.texts[n], charts.spec(n).title),
                            layout=w.Layout(width="100%"))
            widget.add_class("lesson-chart-summary")
            self.summaries[n] = widget
        heading = w.HTML("<div role='heading' aria-level='4' style='margin:4px 8px 0 8px'>"
                         "<strong>The charts in words</strong></div>")
        self.box = w.VBox([self.figure, heading, *self.summaries.values()],
                          layout=w.Layout(flex="1 1 600px", min_width="420px", margin="4px"))
        self.updates = 0
        self.rebuilds = 0
        self._sent_at: float | None = None
        self._watch(self.figure)

    def _watch(self, fig: Any) -> None:
        """Probe ``fig`` once, when its first view reports that it has drawn."""
        probed = False

        def first_draw(change: dict) -> None:
            nonlocal probed
            msg = change.get("new")
            if probed or not msg or msg.get("trace_edit_id") != 0 or fig is not self.figure:
                return
            probed = True
            fig._send_restyle_msg({"name": [self._traces[0].get("name", "")]},
                                  trace_indexes=[0])
            self._sent_at = time.monotonic()

        fig.observe(first_draw, names="_js2py_traceDeltas")

    def slices(self, state: ChartState) -> dict[str, slice]:
        """Which traces of the figure belong to which chart."""
        return {c.name: slice(c.start, c.stop) for c in charts.cells(self.names, state)}

    def is_stale(self, now: float | None = None) -> bool:
        """True when the browser shows the figure but stopped acknowledging updates."""
        fig = self.figure
        if self._sent_at is None or not (fig._view_count or 0):
            return False
        # only trace edits count: plotly 7.1's browser code acknowledges layout edits under
        # a misspelt name (_js2py_widget_layoutDelta), so they never look acknowledged
        now = time.monotonic() if now is None else now
        return bool(fig._trace_edit_in_process) and now - self._sent_at > STALE_AFTER_S

    def update(self, state: ChartState) -> int:
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
                flat = _flatten(diff)
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
            self._sent_at = time.monotonic()
        self._traces, self._layout = traces, layout
        self._update_texts(state)
        return sum(len(d) for _, d in changes) + len(layout_diff)

    def _update_texts(self, state: ChartState) -> None:
        for n in self.names:
            text = charts.summary(n, state)
            if text != self.texts[n]:
                self.texts[n] = text
                self.summaries[n].value = _summary_html(text, charts.spec(n).title)

    def rebuild(self, state: ChartState) -> None:
        """Replace the figure widget by a fresh one built from ``state``."""
        import plotly.graph_objects as go

        self._traces = self.spec.traces(state)
        self._layout = self.spec.layout(state)
        self.figure = figure_widget(go.Figure(data=self._traces, layout=self._layout))
        self._sent_at = None
        self._watch(self.figure)
        self.box.children = (self.figure, *self.box.children[1:])
        self._update_texts(state)


def _flatten(props: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"line": {"color": c}}`` -> ``{"line.color": c}`` (plotly restyle paths).

    Lists of plain numbers travel as numpy arrays: the widget sends those as binary
    buffers instead of converting them number by number (the same values either way).
    """
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}."))
        elif (key in ("x", "y") and isinstance(value, list) and value
              and all(type(v) is float for v in value)):
            out[f"{prefix}{key}"] = np.asarray(value, dtype=float)
        else:
            out[f"{prefix}{key}"] = value
    return out


def _summary_html(text: str, title: str) -> str:
    return (f'<p role="status" aria-live="polite" style="margin:2px 8px 8px 8px;'
            f'line-height:1.4"><strong>{html.escape(title)}:</strong> '
            f"{html.escape(text)}</p>")


# --------------------------------------------------------------------------- explorer


class Explorer:
    """Link toggles, a scenario picker and sliders driving the model's charts.

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
        :data:`lessons.live.liveview.MAX_SWITCHES` switches and
        :data:`lessons.live.liveview.MAX_SLIDERS` sliders); the others sit behind a
        collapsed "More controls" accordion. Default: the first six switches in panel
        order and the first three sliders.
    """

    def __init__(
        self,
        lesson: str | None = None,
        charts: Sequence[str] = DEFAULT_CHARTS,
        scenario: Any = "mid_2024",
        theta: float | None = None,
        horizon: int = DEFAULT_HORIZON,
        baseline: Any = "baseline_2021",
        baseline_label: str | None = None,
        toggles: Iterable[str] | None = None,
        sliders: Iterable[str] = DEFAULT_SLIDERS,
        controls: bool = True,
        seed: int | None = None,
        visible: Iterable[str] | None = None,
        **params: float,
    ) -> None:
        from lessons.views import charts as charts_module

        self.lesson = lesson
        self.chart_names = [charts_module.spec(c).name for c in charts]
        self.seed = seed
        overrides = dict(params)
        if theta is not None:
            overrides["theta"] = float(theta)
        start = resolve(scenario)
        if overrides:
            start = start.with_params(**{k: float(v) for k, v in overrides.items()})
        self.start_label = scenario_label(scenario)
        self._initial = (start, int(horizon))
        self.scenario = start
        self.horizon = int(horizon)
        self.baseline_scenario = None if baseline is None else resolve(baseline)
        self.baseline_label = baseline_label or (
            scenario_phrase(baseline) if baseline is not None else "")
        self.toggle_ids = list(toggles) if toggles is not None else list(start.toggles)
        self.slider_names = list(sliders)
        self.show_controls = bool(controls)
        self.visible = None if visible is None else tuple(visible)
        self.static = mode.is_static()
        self.state = self._compute_state()
        self.view: LiveChart | None = None
        self.controls: Controls | None = None
        self.widget = None
        self._suspend = False
        self._displayed = False
        self._dirty = False
        if not self.static:
            self._build_live()

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

    @property
    def figures(self) -> dict[str, Any]:
        """Each chart alone as a static ``go.Figure`` of the current state (what static
        mode shows)."""
        return {n: charts.figure(n, self.state) for n in self.chart_names}

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
        """The current state in words (scenario, θ, horizon, switches changed)."""
        start, _ = self._initial
        changed = [t for t in self.scenario.toggles
                   if bool(self.scenario.toggles[t]) != bool(start.toggles.get(t, False))]
        what = f"{self.start_label}"
        if changed:
            what += f", {len(changed)} switch{'es' * (len(changed) != 1)} changed"
        theta = self.scenario.params.get("theta")
        if theta is not None:
            what += f", θ = {float(theta):.2f}"
        return what + f", {self.horizon} years from {int(summaries.years_of(self.result)[0])}"

    def _changed(self) -> None:
        if self._suspend:
            return
        self.state = self._compute_state()
        if self.view is None:
            return
        self.view.update(self.state)
        if self.controls is not None:
            self.controls.status.value = _status_html(self.describe())
        if not self._displayed:
            self._dirty = True

    @contextmanager
    def hold(self):
        """Apply several changes with one model run and one chart update at the end."""
        was = self._suspend
        self._suspend = True
        try:
            yield self
        finally:
            self._suspend = was
            if not was:
                self._changed()

    # ---------------------------------------------------------------- programmatic API

    def set_toggle(self, toggle: str, on: bool) -> None:
        """Switch a link toggle (through its checkbox when live, so the panel agrees)."""
        if toggle not in self.scenario.toggles:
            raise KeyError(f"unknown toggle {toggle!r}: valid toggles are "
                           f"{sorted(self.scenario.toggles)}")
        box = self.controls.toggles.get(toggle) if self.controls else None
        if box is not None:
            box.value = bool(on)
        else:
            self.scenario = self.scenario.with_toggle(toggle, bool(on))
            self._changed()

    def set_params(self, **params: float) -> None:
        """Change model parameters (and ``horizon``); sliders follow when live."""
        with self.hold():
            for name, value in params.items():
                slider = self.controls.sliders.get(name) if self.controls else None
                if slider is not None:
                    slider.value = value
                elif name == "horizon":
                    self.horizon = int(value)
                else:
                    self.scenario = self.scenario.with_params(**{name: float(value)})

    def select_scenario(self, scenario: Any) -> None:
        """Load a named scenario: every toggle and parameter takes the scenario's value."""
        sc = resolve(scenario)
        with self.hold():
            self.scenario = sc
            self.start_label = scenario_label(scenario)
            if self.controls is not None:
                self.controls.sync(self.scenario, self.horizon)

    def reset(self) -> None:
        """Return to the starting scenario, parameters and horizon."""
        start, horizon = self._initial
        with self.hold():
            self.scenario, self.horizon = start, horizon
            if self.controls is not None:
                self.controls.sync(start, horizon)

    # ---------------------------------------------------------------- widgets

    def _build_live(self) -> None:
        import ipywidgets as w

        self.view = LiveChart(self.chart_names, self.state)
        charts_panel = self.view.box
        title = (f"Lesson {self.lesson}: model explorer" if self.lesson else "Model explorer")
        if self.show_controls:
            self.controls = Controls(self)
            body = w.HBox([self.controls.panel, charts_panel],
                          layout=w.Layout(align_items="flex-start", width="100%"))
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

    def _ipython_display_(self) -> None:
        if self.static:
            self.show_static()
            return
        if self._dirty and not self._displayed and self.view is not None:
            self.view.rebuild(self.state)
        self._displayed = True
        self._dirty = False
        display(self.widget)

    def show_static(self) -> None:
        """Display every chart as a static figure followed by its summary."""
        display(Markdown(STATIC_NOTE.format(what=self.describe())))
        for name in self.chart_names:
            spec = charts.spec(name)
            spec.figure(self.state).show()
            display(Markdown(f"**In words ({title_in_sentence(spec.title)}):** "
                             f"{spec.summary(self.state)}"))

    def static_parts(self) -> list[Any]:
        """The charts as a reveal block holds them (:func:`reveal_html`): a line naming
        the state, then each chart as a static figure followed by its summary as HTML."""
        parts: list[Any] = [f"<p><em>The model's charts ({html.escape(self.describe())})."
                            "</em></p>"]
        for name in self.chart_names:
            spec = charts.spec(name)
            parts.append(spec.figure(self.state))
            parts.append(f"<p><strong>In words ({html.escape(title_in_sentence(spec.title))})"
                         f":</strong> {html.escape(spec.summary(self.state))}</p>")
        return parts


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


#: Styles for the control panel: link labels may wrap instead of being cut off, and panel
#: text gets normal line spacing (ipywidgets sets every line to the height of a control).
PANEL_CSS = """<style>
.lesson-controls .lesson-link-toggle { height: auto; min-height: 26px; }
.lesson-controls .lesson-link-toggle label,
.lesson-controls .lesson-link-toggle label span { white-space: normal; overflow: visible;
  text-overflow: clip; line-height: 1.3; height: auto; }
.lesson-controls .lesson-text, .lesson-controls .lesson-text .widget-html-content {
  line-height: 1.35; height: auto; }
</style>"""


def _text_html(value: str, margin: str = "0"):
    """An HTML widget for panel text (normal line spacing, see :data:`PANEL_CSS`)."""
    import ipywidgets as w

    widget = w.HTML(value, layout=w.Layout(margin=margin))
    widget.add_class("lesson-text")
    return widget


def _status_html(text: str) -> str:
    return (f'<p role="status" aria-live="polite" style="margin:4px 0;font-size:90%">'
            f"<strong>Showing:</strong> {html.escape(text)}</p>")


class Controls:
    """The explorer's control panel: standard ipywidgets only (keyboard and screen-reader
    friendly), wired to an :class:`Explorer`."""

    def __init__(self, explorer: Explorer) -> None:
        import ipywidgets as w

        model = _model()
        self.explorer = explorer
        table = model.list_toggles().set_index("id")
        params = model.list_parameters().set_index("name")
        sc = explorer.scenario

        # scenario picker and reset
        names = list(_scenario_names())
        self.scenario = w.Dropdown(
            options=[(SCENARIO_LABELS.get(n, n), n) for n in names],
            value=sc.name if getattr(sc, "name", None) in names else None,
            description="Scenario",
            tooltip="Load a named scenario: every switch and slider takes its values",
            layout=w.Layout(width="100%"),
        )
        self.reset = w.Button(description="Reset", icon="undo",
                              tooltip="Return to where this explorer started",
                              layout=w.Layout(width="auto"))
        self.status = _text_html(_status_html(explorer.describe()))
        self.about = _text_html(_about_html(sc))

        # link toggles in panel order (grouped by side), and which are shown up front
        by_side = {side: [t for t in explorer.toggle_ids
                          if t in table.index and table.loc[t, "side"] == side]
                   for side in SIDE_HEADINGS}
        order = [t for side in SIDE_HEADINGS for t in by_side[side]]
        shown = liveview.visible_controls(order, explorer.slider_names, explorer.visible)
        self.toggles: dict[str, Any] = {}
        rows_of: dict[str, Any] = {}
        for tid in order:
            row = table.loc[tid]
            box = w.Checkbox(
                value=bool(sc.toggles[tid]),
                description=str(row["label"]),
                indent=False,
                tooltip=_toggle_tooltip(row),
                layout=w.Layout(width="100%"),
            )
            box.add_class("lesson-link-toggle")
            box.observe(self._toggle_handler(tid), names="value")
            self.toggles[tid] = box
            hint = html.escape(str(row["description"]), quote=True)
            meta = _text_html(
                f"<span style='font-size:80%;color:#444' title=\"{hint}\">"
                f"{html.escape(_when(row))} · article ¶{int(row['paragraph'])}</span>",
                margin="-6px 0 2px 22px")
            rows_of[tid] = w.VBox([box, meta])

        def grouped(keep: Callable[[str], bool]) -> list[Any]:
            groups = []
            for side, (heading, blurb) in SIDE_HEADINGS.items():
                rows = [rows_of[t] for t in by_side[side] if keep(t)]
                if rows:
                    groups.append(w.VBox([_text_html(
                        f"<div role='heading' aria-level='4' style='margin-top:10px'>"
                        f"<strong>{heading}</strong></div>"
                        f"<div style='font-size:85%;color:#444'>{blurb}</div>"), *rows]))
            return groups

        groups = grouped(lambda t: t in shown)
        more_groups = grouped(lambda t: t not in shown)

        # sliders
        self.sliders: dict[str, Any] = {}
        slider_rows = []
        more_sliders = []
        for name in explorer.slider_names:
            if name == "horizon":
                s = w.IntSlider(value=explorer.horizon, min=HORIZON_RANGE[0],
                                max=HORIZON_RANGE[1], step=1, description=SLIDER_LABELS[name],
                                tooltip="How many years the model runs",
                                continuous_update=False,
                                style={"description_width": "110px"},
                                layout=w.Layout(width="100%"))
            else:
                if name not in params.index:
                    raise KeyError(f"unknown parameter {name!r} for a slider: valid are "
                                   f"{sorted(params.index)}")
                p = params.loc[name]
                lo, hi = float(p["low"]), float(p["high"])
                if name == "theta":
                    lo, hi = 0.0, 1.0
                s = w.FloatSlider(
                    value=float(sc.params[name]), min=lo, max=hi,
                    step=_step(lo, hi), readout_format=".2f",
                    description=SLIDER_LABELS.get(name, name),
                    tooltip=str(p.get("explanation", "")) or name,
                    continuous_update=False,
                    style={"description_width": "110px"},
                    layout=w.Layout(width="100%"))
            s.observe(self._param_handler(name), names="value")
            self.sliders[name] = s
            (slider_rows if name in shown else more_sliders).append(s)
        notes = []
        if "theta" in self.sliders:
            notes.append(_text_html(
                "<span style='font-size:85%;color:#444'>θ = 1: adversaries seek security "
                "(spiral model); θ = 0: they are greedy and only credible deterrence "
                "restrains them (deterrence model).</span>"))
        hidden = [*more_groups, *more_sliders]
        #: the collapsed accordion of the controls not shown up front (None: none)
        self.more = liveview.more_controls(hidden) if hidden else None

        self.scenario.observe(self._on_scenario, names="value")
        self.reset.on_click(lambda _b: explorer.reset())
        self.panel = w.VBox(
            [w.HTML(PANEL_CSS), _text_html("<strong>Controls</strong>"), self.scenario,
             self.about, self.reset, self.status, *groups,
             *([_text_html("<div role='heading' aria-level='4' style='margin-top:10px'>"
                           "<strong>Assumptions</strong></div>")] if slider_rows else []),
             *slider_rows, *notes, *([self.more] if self.more is not None else [])],
            layout=w.Layout(width="380px", min_width="300px", padding="6px",
                            border="1px solid #CCCCCC", margin="4px", flex="0 0 auto"),
        )
        self.panel.add_class("lesson-controls")

    def _toggle_handler(self, tid: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            ex = self.explorer
            ex.scenario = ex.scenario.with_toggle(tid, bool(change["new"]))
            ex._changed()

        return handler

    def _param_handler(self, name: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            ex = self.explorer
            if name == "horizon":
                ex.horizon = int(change["new"])
            else:
                ex.scenario = ex.scenario.with_params(**{name: float(change["new"])})
            ex._changed()

        return handler

    def _on_scenario(self, change: dict) -> None:
        if change["new"] is not None and not self.explorer._suspend:
            self.explorer.select_scenario(change["new"])

    def sync(self, scenario: Any, horizon: int) -> None:
        """Set every control to ``scenario`` and ``horizon`` (the explorer is on hold)."""
        for tid, box in self.toggles.items():
            box.value = bool(scenario.toggles[tid])
        for name, slider in self.sliders.items():
            slider.value = horizon if name == "horizon" else float(scenario.params[name])
        name = getattr(scenario, "name", None)
        options = [v for _, v in self.scenario.options]
        self.scenario.value = name if name in options else None
        self.about.value = _about_html(scenario)


def _about_html(scenario: Any) -> str:
    text = str(getattr(scenario, "description", "") or "")
    return (f"<p style='font-size:85%;color:#444;margin:2px 0 6px 0'>{html.escape(text)}</p>"
            if text else "")


def _scenario_names() -> list[str]:
    names = _model().list_scenarios()
    if hasattr(names, "columns"):
        names = names["name"] if "name" in names.columns else names.iloc[:, 0]
    return [str(n) for n in names]


def _step(lo: float, hi: float) -> float:
    span = hi - lo
    return 0.05 if span <= 2 else round(span / 40, 2)


def _when(row: Mapping[str, Any]) -> str:
    date = charts._text(row.get("date"))
    status = charts._text(row.get("status"))
    if status == "in_force":
        return f"since {date}" if date else "in force"
    return f"{status} {date}".strip()


def _toggle_tooltip(row: Mapping[str, Any]) -> str:
    parts = [charts._text(row.get("description")),
             f"{_when(row)}; article paragraph {int(row['paragraph'])}",
             f"proposed by: {charts._text(row.get('proposed_by'))}"]
    return " — ".join(p for p in parts if p)


# --------------------------------------------------------------------------- predict first


class Predict:
    """Predict first: the student commits a prediction, then sees the model's answer.

    Live: the question, the tolerance rule (:func:`little_change_rule`) when the options
    include "little change", options that wrap inside their box, and a *Commit
    prediction* button (enabled once an option is chosen). Committing locks the choice,
    records it (:attr:`prediction`, :attr:`history`), says whether it matches the model's
    outcome, and only then builds and shows the chart or explorer.

    Static (committed outputs, the site): the question, the rule and the options, then ONE
    collapsed ``<details>`` block "Reveal the model's answer" that holds the answer, the
    revealed charts and their summaries (:func:`reveal_html`). The charts inside it draw
    when the block is opened, so nothing of the answer is visible before.

    Parameters
    ----------
    question : str
    options : mapping of key -> label
    outcome : callable returning the key of the model's answer
    explain : callable taking that key and returning a sentence (with numbers), or a str
    reveal : an :class:`Explorer`, a widget, or a callable returning one (built at commit)
    rule : str or None, optional
        The scoring rule shown with the question. ``"auto"`` (default): the tolerance rule
        :func:`little_change_rule` when an option key is ``"same"``, nothing otherwise;
        a string: that sentence; ``None``: no rule.
    """

    def __init__(self, question: str, options: Mapping[str, str],
                 outcome: Callable[[], str], explain: Callable[[str], str] | str | None = None,
                 reveal: Any = None, rule: str | None = "auto") -> None:
        self.question = question
        self.options = dict(options)
        self._outcome = outcome
        self._explain = explain
        self._reveal = reveal
        self.rule = (little_change_rule() if "same" in self.options else None) \
            if rule == "auto" else rule
        self.prediction: str | None = None
        self.history: list[tuple[str, str]] = []
        self.static = mode.is_static()
        self.widget = None
        if not self.static:
            self._build()

    @classmethod
    def compare(cls, question: str, metric: str, subject: str, before: Any = "mid_2024",
                after: Any = "deeper_interlinking", theta: float | None = None,
                horizon: int = DEFAULT_HORIZON, options: Mapping[str, str] | None = None,
                tolerance: float = LITTLE_CHANGE, reveal: Any = "auto",
                **params: float) -> Predict:
        """A rise / little change / fall prediction about one output, ``before`` -> ``after``.

        ``after`` is a scenario (or name) or a list of toggle IDs switched on in ``before``;
        both run under the same assumptions: ``after``'s parameters, then ``theta`` and
        ``params`` on top. So ``before`` runs exactly as the revealed chart draws its ghost
        (an :class:`Explorer` runs its baseline under the current scenario's parameters),
        and the answer quotes the numbers the chart shows. ``reveal="auto"`` reveals the
        network and the chart of ``metric``, with ``before`` as the ghost. The change is
        classified by the tolerance rule (:func:`change_key`, ``tolerance`` defaults to
        :data:`LITTLE_CHANGE`), and the question shows that rule.
        """
        meta = summaries.METRICS[metric]
        phrase = meta.phrase(subject)
        b, a = _compared_pair(before, after)
        overrides = {k: float(v) for k, v in params.items()}
        if theta is not None:
            overrides["theta"] = float(theta)
        opts = dict(options or {
            "rise": f"{_cap(phrase)} rises",
            "same": f"{_cap(phrase)} barely changes",
            "fall": f"{_cap(phrase)} falls",
        })
        before_label = scenario_phrase(b)
        after_label = ("added links" if not isinstance(after, str)
                       and not hasattr(after, "toggles") else scenario_phrase(a))
        if overrides:
            b, a = b.with_params(**overrides), a.with_params(**overrides)

        def values() -> tuple[float, float]:
            return (float(RUNS.run(b, horizon).final(metric, subject)),
                    float(RUNS.run(a, horizon).final(metric, subject)))

        def outcome() -> str:
            return change_key(*values(), threshold=tolerance)

        def explain(_key: str) -> str:
            v0, v1 = values()
            th = b.params.get("theta")
            cond = f" with θ = {float(th):.2f}" if th is not None else ""
            return (f"In the model{cond}, after {horizon} years {phrase} ends at {v1:.2f} with "
                    f"the {after_label} against {v0:.2f} with the {before_label}: "
                    f"{summaries.compared(v1, v0)}, "
                    f"{_verdict(change_key(v0, v1, tolerance), tolerance)}.")

        if isinstance(reveal, str) and reveal == "auto":
            chart = {"diplomacy_window": "diplomacy", "crisis_risk": "crisis"}.get(metric, metric)

            def auto_reveal() -> Explorer:
                return Explorer(charts=["network", chart], scenario=a, horizon=horizon,
                                baseline=b, baseline_label=before_label,
                                controls=False)

            reveal = auto_reveal
        rule = little_change_rule(tolerance) if "same" in opts else None
        return cls(question, opts, outcome, explain, reveal, rule=rule)

    # ---------------------------------------------------------------- behaviour

    def outcome(self) -> str:
        """The key of the option the model's result corresponds to."""
        return self._outcome()

    def explanation(self, key: str | None = None) -> str:
        """The model's answer in words."""
        key = key or self.outcome()
        if callable(self._explain):
            return self._explain(key)
        return self._explain or ""

    def commit(self, choice: str) -> bool:
        """Record ``choice`` as the prediction; return whether it matches the model."""
        if choice not in self.options:
            raise KeyError(f"unknown option {choice!r}: valid options are {list(self.options)}")
        self.prediction = choice
        truth = self.outcome()
        self.history.append((choice, truth))
        if self.widget is not None:
            self._show_result(choice, truth)
        return choice == truth

    @property
    def key(self) -> str:
        """A stable id of this question (its text and options), for element ids."""
        return stable_key(self.question, *self.options, *self.options.values())

    def question_markdown(self) -> str:
        """What a static page shows before the reveal: question, rule, options, a note."""
        opts = "\n".join(f"- **{LETTERS[i]}.** {label}"
                         for i, label in enumerate(self.options.values()))
        rule = f"*{self.rule}*\n\n" if self.rule else ""
        return (f"**Predict first.** {self.question}\n\n{rule}{opts}\n\n*Write your "
                "prediction down before you open the answer. In JupyterLab you choose an "
                "option and press **Commit prediction**; the chart appears only after that.*")

    def _feedback(self, choice: str, truth: str) -> str:
        said = html.escape(self.options[choice])
        model_said = html.escape(self.options[truth])
        if choice == truth:
            head = f"✔ Your prediction matched the model: <em>{said}</em>."
        else:
            head = (f"✘ The model disagrees. You predicted <em>{said}</em>; the model says "
                    f"<em>{model_said}</em>. Worth asking: which assumption drives the "
                    "difference?")
        return (f'<div role="status" aria-live="polite" style="margin:6px 0">'
                f"<p><strong>{head}</strong></p>"
                f"<p>{html.escape(self.explanation(truth))}</p></div>")

    def _build(self) -> None:
        import ipywidgets as w

        self.radios = option_buttons([(label, key) for key, label in self.options.items()])
        self.button = w.Button(description="Commit prediction", button_style="primary",
                               disabled=True, icon="lock",
                               layout=w.Layout(width="auto", align_self="flex-start"),
                               tooltip="Lock in your prediction; the chart appears after it")
        self.feedback = w.HTML("")
        self.revealed = w.VBox([])
        self.radios.observe(lambda ch: setattr(self.button, "disabled", ch["new"] is None),
                            names="value")
        self.button.on_click(lambda _b: self.commit(self.radios.value))
        rule = (f"<p style='margin:2px 0 6px 0'><em>{html.escape(self.rule)}</em></p>"
                if self.rule else "")
        self.widget = w.VBox([
            question_html(f"<p><strong>Predict first.</strong> "
                          f"{html.escape(self.question)}</p>{rule}"),
            self.radios, self.button, self.feedback, self.revealed,
        ], layout=w.Layout(width="100%", max_width="60rem"))
        self.widget.add_class("lesson-predict")

    def _reveal_widget(self):
        """The widget to show once a prediction is committed (live mode).

        A callable is built now; an Explorer gives its widget; a plain Plotly figure
        becomes a FigureWidget (a container holds widgets only)."""
        import plotly.graph_objects as go

        item = self._reveal
        if callable(item) and not isinstance(item, Explorer) and not _is_widget(item):
            item = item()
            self._reveal = item
        if isinstance(item, Explorer):
            item._displayed = True
            return item.widget
        if isinstance(item, go.Figure):
            return figure_widget(item)
        return item

    def _show_result(self, choice: str, truth: str) -> None:
        self.radios.disabled = True
        self.button.disabled = True
        self.button.description = "Prediction committed"
        self.feedback.value = self._feedback(choice, truth)
        shown = self._reveal_widget()
        if shown is not None:
            self.revealed.children = (shown,)

    def answer_html(self) -> str:
        """The model's answer (option letter, label and sentence) as HTML."""
        truth = self.outcome()
        letter = LETTERS[list(self.options).index(truth)]
        return (f"<p><strong>The model's answer: {letter}. "
                f"{html.escape(self.options[truth])}.</strong> "
                f"{html.escape(self.explanation(truth))}</p>")

    def static_html(self) -> str:
        """The collapsed reveal block of a static page (see :func:`reveal_html`)."""
        return reveal_html(self.key, self.answer_html(), self._static_parts())

    def _ipython_display_(self) -> None:
        if not self.static:
            display(self.widget)
            return
        display(Markdown(self.question_markdown()))
        display(HTML(self.static_html()),
                metadata={"lessons": {"chart": f"reveal-{self.key}"}})

    def _static_parts(self) -> list[Any]:
        """What the prediction reveals, in pieces a static page can hold: HTML strings
        and Plotly figures, in display order.

        A callable ``reveal`` is built here (static mode has no commit to wait for). An
        Explorer gives its static charts with their summaries, and a Plotly figure (a
        ``FigureWidget`` as a plain copy) is shown static; any other widget would be a
        dead control in a static page, so a note says where it appears instead, and a
        widget built here is closed. Other objects give their HTML form.
        """
        built = callable(self._reveal) and not isinstance(self._reveal, Explorer) \
            and not _is_widget(self._reveal)
        item = self._reveal() if built else self._reveal
        if built:
            self._reveal = item
        kind = _static_kind(item)
        parts: list[Any] = []
        if kind == "explorer":
            parts = item.static_parts()
        elif kind == "figure":
            parts = [_static_figure(item)]
        elif kind == "widget":
            parts = [f"<p><em>{html.escape(STATIC_REVEAL_NOTE.strip('*'))}</em></p>"]
        elif kind == "object":
            rich = getattr(item, "_repr_html_", None)
            parts = [rich() if callable(rich) else f"<pre>{html.escape(repr(item))}</pre>"]
        if built and _is_widget(item):
            item.close()
        return parts


#: Option letters of predict questions and checks.
LETTERS = "ABCDEFGHIJ"

#: Styles that let long option labels wrap inside their box (ipywidgets sets every radio
#: label to one line of fixed height, so a long label prints over the next option).
OPTIONS_CSS = """<style>
.lesson-options { width: 100% !important; max-width: 100%; height: auto; line-height: 1.35; }
.lesson-options .widget-radio-box, .lesson-options .jupyter-widget-radio-box {
  width: 100%; height: auto; margin-bottom: 0; }
.lesson-options .widget-radio-box label, .lesson-options .jupyter-widget-radio-box label {
  display: flex; align-items: flex-start; height: auto; min-height: 24px;
  line-height: 1.35; white-space: normal; overflow: visible; overflow-wrap: anywhere;
  padding: 3px 0; box-sizing: border-box; max-width: 100%; }
.lesson-options .widget-radio-box input, .lesson-options .jupyter-widget-radio-box input {
  order: -1; float: none; flex: 0 0 auto; height: auto; line-height: normal;
  margin: 0.2em 8px 0 1px; }
.lesson-question, .lesson-question .widget-html-content { height: auto; line-height: 1.4; }
</style>"""


def option_buttons(options: Sequence[tuple[str, Any]]) -> Any:
    """Radio buttons whose labels wrap inside their box (see :data:`OPTIONS_CSS`).

    Native radio inputs, so the keyboard works as usual (Tab to the group, arrow keys
    to move); the style sheet must be on the page (the question's HTML carries it).
    """
    import ipywidgets as w

    radios = w.RadioButtons(options=list(options), value=None, description="",
                            layout=w.Layout(width="100%", max_width="100%"))
    radios.add_class("lesson-options")
    return radios


def question_html(value: str) -> Any:
    """The question of a check or prediction as an HTML widget, carrying
    :data:`OPTIONS_CSS` so that the options under it wrap, with normal line spacing."""
    import ipywidgets as w

    widget = w.HTML(OPTIONS_CSS + value, layout=w.Layout(width="100%"))
    widget.add_class("lesson-question")
    return widget


def stable_key(*parts: Any) -> str:
    """A short id that depends only on ``parts`` (not on Python's salted ``hash()``).

    >>> stable_key("a", 1) == stable_key("a", 1) != stable_key("a", 2)
    True
    """
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


#: The summary line of every reveal block on a static page.
REVEAL_SUMMARY = "Reveal the model's answer (open it after you have predicted)"

#: Draws the charts of a reveal block when it is first opened (plotly cannot size a chart
#: inside a closed block), and resizes them on later openings. Needs ``window.Plotly``
#: (the site's ``assets/plotly.min.js``); without it a note stays in place.
_REVEAL_JS = """<script type="text/javascript">
(function () {
  var box = document.getElementById("reveal-%(key)s");
  if (!box) { return; }
  function draw() {
    if (!box.open || !window.Plotly) { return; }
    box.querySelectorAll(".lesson-reveal-chart").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { Plotly.Plots.resize(el); return; }
      var fig = JSON.parse(document.getElementById(el.id + "-data").textContent);
      var note = document.getElementById(el.id + "-note");
      if (note) { note.remove(); }
      Plotly.newPlot(el, fig[0], fig[1], fig[2]);
      el.setAttribute("data-drawn", "1");
    });
  }
  box.addEventListener("toggle", draw);
  draw();
})();
</script>"""


def _figure_payload(fig: Any) -> str:
    """A figure's ``[data, layout, config]`` as JSON that is inert inside ``<script>``."""
    import json

    plain = json.loads(fig.to_json())
    config = {"responsive": True, "displaylogo": False}
    text = json.dumps([plain.get("data", []), plain.get("layout", {}), config],
                      separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _chart_html(fig: Any, div_id: str) -> str:
    """One chart of a reveal block: an empty ``<div>``, the figure as JSON, and a note
    that stays until the chart is drawn (in JupyterLab the script does not run)."""
    layout = fig.layout
    title = layout.title.text if layout.title and layout.title.text else ""
    label = f"Chart: {title}" if title else "Chart"
    height = int(layout.height or 450)
    return (f'<p id="{div_id}-note" class="lesson-reveal-note"><em>The chart "'
            f'{html.escape(title or "chart")}" draws here when this block is opened on the '
            "static site; in JupyterLab run this cell and commit a prediction to see it "
            "live.</em></p>"
            f'<div id="{div_id}" class="lesson-reveal-chart" role="img" '
            f'aria-label="{html.escape(label)}" style="height:{height}px; width:100%;">'
            "</div>"
            f'<script type="application/json" id="{div_id}-data">{_figure_payload(fig)}'
            "</script>")


def reveal_html(key: str, answer: str, parts: Sequence[Any]) -> str:
    """A collapsed "Reveal the model's answer" block holding the answer and the charts.

    Everything a prediction reveals sits inside one ``<details>`` that is closed when the
    page opens, so a student sees the question and the options only. Plotly figures are
    stored as JSON and drawn by a small script when the block is opened (the ``toggle``
    event); no CDN, the page's own plotly.js draws them.

    Parameters
    ----------
    key : str
        A stable id (:func:`stable_key`): element ids derive from it, so the output is
        the same at every execution (strict nbval).
    answer : str
        HTML of the model's answer.
    parts : sequence of str or go.Figure
        HTML fragments and figures, in display order.
    """
    body = []
    n = 0
    for part in parts:
        if isinstance(part, str):
            body.append(part)
        else:
            body.append(_chart_html(part, f"reveal-{key}-{n}"))
            n += 1
    return (f'<details class="lesson-reveal" id="reveal-{key}">'
            f"<summary><strong>{html.escape(REVEAL_SUMMARY)}</strong></summary>"
            f"{answer}{''.join(body)}</details>\n" + _REVEAL_JS % {"key": key})


#: What a static page shows instead of a live widget a prediction reveals.
STATIC_REVEAL_NOTE = (
    "*In JupyterLab an interactive view appears here once you commit your prediction.*"
)


def _is_widget(item: Any) -> bool:
    """Whether ``item`` is a live ipywidget (a ``FigureWidget`` included): it needs a
    running kernel and front end, so a static page can only show a dead copy of it."""
    if hasattr(item, "comm"):
        return True
    import ipywidgets

    return isinstance(item, ipywidgets.Widget)


def _static_kind(item: Any) -> str:
    """How a static page shows a revealed ``item``.

    Returns
    -------
    str
        ``"none"`` (nothing), ``"explorer"`` (its static charts), ``"figure"`` (a Plotly
        figure, shown static), ``"widget"`` (a note: live widgets only work in
        JupyterLab) or ``"object"`` (displayed as it is: it has a static form).
    """
    import plotly.graph_objects as go

    if item is None:
        return "none"
    if isinstance(item, Explorer):
        return "explorer"
    if isinstance(item, go.Figure | go.FigureWidget):
        return "figure"
    return "widget" if _is_widget(item) else "object"


def _static_figure(fig: Any) -> Any:
    """A plain ``go.Figure`` of ``fig`` (a copy when it is a ``FigureWidget``)."""
    import plotly.graph_objects as go

    return go.Figure(fig) if isinstance(fig, go.FigureWidget) else fig


def _compared_pair(before: Any, after: Any) -> tuple[Any, Any]:
    """The two scenarios a rise / fall question compares, before any common overrides.

    ``after`` is a scenario, a name, or toggle ids switched on in ``before``. ``before``
    takes ``after``'s parameters: that is how an :class:`Explorer` with ``before`` as its
    baseline draws the ghost, so the answer and the revealed chart agree. A ``before``
    whose own parameters differ is then labelled "… with changed assumptions".

    Returns
    -------
    tuple of (Scenario, Scenario)
        ``before`` under ``after``'s parameters, and ``after``.
    """
    b = resolve(before)
    a = (summaries.with_toggles(b, after)
         if not isinstance(after, str) and not hasattr(after, "toggles") else resolve(after))
    return b.with_params(**dict(a.params)), a


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def predict(question: str, metric: str, subject: str, before: Any = "mid_2024",
            after: Any = "deeper_interlinking", **kwargs: Any) -> Predict:
    """Predict first in one call: a rise / little change / fall question about one model
    output when the links change from ``before`` to ``after`` (see :meth:`Predict.compare`)."""
    return Predict.compare(question, metric, subject, before, after, **kwargs)


def explore(*args: Any, **kwargs: Any) -> Explorer:
    """The same as :class:`Explorer` (a verb for notebook cells)."""
    return Explorer(*args, **kwargs)
