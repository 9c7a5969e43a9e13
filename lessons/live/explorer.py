"""The explorer framework: controls beside charts updated in place, or static figures.

Every explorer of the lessons is a :class:`ChartExplorer`: lesson 07's
:class:`lessons.live.game_view.GameExplorer`, lesson 08's
:class:`lessons.live.alternative_view.CostBenefitExplorer` and the model explorer
:class:`lessons.live.model_explorer.Explorer`. Each is a panel of standard ipywidgets
beside a few Plotly charts, each with a sentence under it that says what it shows. What
they share lives here (and in :mod:`lessons.live.figure_widget`, which makes and updates
the figure widgets), so that a fix to how charts reach the browser lands in all of them:

* :func:`summary_html` and :func:`summary_widget` — the sentence under a chart, announced
  to screen readers when it changes (``role="status"``, ``aria-live="polite"``);
* :class:`LiveView` — what an explorer shows live; rebuilt when changed before display
  (plotly.py #4998: such changes never reach the browser);
* :class:`LiveCharts` — the charts of one state as one
  :class:`~lessons.live.figure_widget.LiveFigure` each (plotly 7.1's own constructor sends
  the data in a second message that a loading browser can lose), each with its summary;
  updated in place, and a chart whose browser view stopped acknowledging updates rebuilt;
* :func:`explorer_widget` — the heading, the control panel and the charts laid out;
* :class:`ChartExplorer` — an explorer: a state, its charts, its controls, live or static
  (:func:`lessons.mode.is_static`). A lesson subclasses it to say which charts and which
  controls it has, and how a control changes the state; the model explorer also brings
  its own panel and view.

In static mode nothing here creates a widget: the explorer displays fresh static figures
with ``fig.show()``, each followed by its summary as Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import plotly.graph_objects as go
from IPython.display import Markdown, display

from lessons import mode
from lessons.live.figure_widget import LiveFigure, update_in_place
from lessons.views.text import markdown_safe

#: A chart of an explorer: ``chart(name, state) -> (fresh static figure, summary)``.
ChartFn = Callable[[str, Any], tuple[go.Figure, str]]

#: Layout of each chart's box (figure over summary) and of the box holding them all:
#: side by side, wrapping on narrow screens (lesson 07), or one under the other (lesson 08).
_SIDE_BY_SIDE = ({"flex": "1 1 480px", "min_width": "360px"},
                 {"display": "flex", "flex_flow": "row wrap", "width": "100%"})
_STACKED = ({"width": "100%"}, {"width": "100%"})
#: Width in pixels of a control's caption (its ``description``): wide enough that the
#: longest label a slider can take (a parameter's label from ``data/parameters.csv``, see
#: :data:`lessons.views.labels.SLIDER_LABELS`) shows in full instead of being cut off.
CAPTION_PX = 170
#: About how many pixels one caption character takes at the panel's 13px font; a caption
#: fits when ``len(label) * CAPTION_PX_PER_CHAR <= CAPTION_PX`` (the tests check it).
CAPTION_PX_PER_CHAR = 7


def caption_style() -> dict[str, str]:
    """The ``style`` of every explorer control: one caption width (:data:`CAPTION_PX`)."""
    return {"description_width": f"{CAPTION_PX}px"}


#: Layout of the control panel.
_PANEL = {"width": "330px", "min_width": "280px", "padding": "6px",
          "border": "1px solid #CCCCCC", "margin": "4px"}


# --------------------------------------------------------------------------- pure helpers


#: Progressive disclosure: an explorer opens with at most this many switches and sliders;
#: the rest wait behind a collapsed "More controls" accordion.
MAX_SWITCHES = 6
MAX_SLIDERS = 3
MORE_CONTROLS = "More controls"


def visible_controls(switches: Sequence[str], sliders: Sequence[str],
                     visible: Iterable[str] | None = None) -> frozenset[str]:
    """Which switches and sliders an explorer shows before "More controls" is opened.

    Parameters
    ----------
    switches, sliders : sequence of str
        The explorer's switch and slider names, in display order.
    visible : iterable of str, optional
        The names to show up front. Default: the first :data:`MAX_SWITCHES` switches and
        the first :data:`MAX_SLIDERS` sliders.

    Raises
    ------
    ValueError
        For a name the explorer does not have, or more than the allowed switches or
        sliders; the message names the valid choices.

    >>> sorted(visible_controls(["a", "b"], ["x", "y", "z", "w"]))
    ['a', 'b', 'x', 'y', 'z']
    """
    if visible is None:
        return frozenset([*switches[:MAX_SWITCHES], *sliders[:MAX_SLIDERS]])
    chosen = list(dict.fromkeys(visible))
    unknown = [n for n in chosen if n not in switches and n not in sliders]
    if unknown:
        raise ValueError(f"unknown control(s) {unknown} in visible=: valid are "
                         f"{[*switches, *sliders]}")
    for names, limit, kind in ((switches, MAX_SWITCHES, "switches"),
                               (sliders, MAX_SLIDERS, "sliders")):
        shown = [n for n in chosen if n in names]
        if len(shown) > limit:
            raise ValueError(f"visible= names {len(shown)} {kind} ({shown}); at most "
                             f"{limit} may be shown before '{MORE_CONTROLS}'")
    return frozenset(chosen)


def more_controls(children: Sequence[Any]) -> Any:
    """A collapsed "More controls" accordion holding ``children`` (keyboard-usable: its
    title is a button; Enter or Space opens it)."""
    import ipywidgets as w

    box = w.Accordion(children=[w.VBox(list(children), layout=w.Layout(width="100%"))],
                      titles=(MORE_CONTROLS,), selected_index=None,
                      layout=w.Layout(width="100%", margin="8px 0 0 0"))
    box.add_class("lesson-more-controls")
    return box


def split_controls(controls: Mapping[str, Any], visible: Iterable[str] | None = None
                   ) -> tuple[list[Any], list[Any]]:
    """The controls shown up front and those behind "More controls", in panel order.

    Switches are checkboxes and toggle buttons, sliders are ipywidgets sliders; any
    other control (a picker, a button) is always shown. See :func:`visible_controls`.
    """
    import ipywidgets as w

    def kind(c: Any) -> str:
        if isinstance(c, w.Checkbox | w.ToggleButton):
            return "switch"
        if isinstance(c, w.FloatSlider | w.IntSlider | w.FloatLogSlider
                      | w.SelectionSlider):
            return "slider"
        return "other"

    kinds = {k: kind(c) for k, c in controls.items()}
    shown = visible_controls([k for k, v in kinds.items() if v == "switch"],
                             [k for k, v in kinds.items() if v == "slider"], visible)
    front = [c for k, c in controls.items() if kinds[k] == "other" or k in shown]
    rest = [c for k, c in controls.items() if kinds[k] != "other" and k not in shown]
    return front, rest


def summary_html(text: str, title: str = "In words") -> str:
    """The sentence under a live chart, as HTML: ``title`` in bold, then ``text``.

    ``role="status"`` with ``aria-live="polite"`` makes a screen reader read the new
    sentence when a control changes the chart; title and text are escaped. The model
    explorer titles each sentence with its chart's title; the other explorers say
    "In words".

    >>> summary_html("A & B")  # doctest: +ELLIPSIS
    '<p role="status" aria-live="polite" ...><strong>In words:</strong> A &amp; B</p>'
    """
    return (f'<p role="status" aria-live="polite" style="margin:2px 8px 8px 8px;'
            f'line-height:1.4"><strong>{html.escape(title)}:</strong> '
            f"{html.escape(text)}</p>")


def summary_widget(text: str, layout: Mapping[str, str] | None = None,
                   title: str = "In words") -> Any:
    """An ``ipywidgets.HTML`` holding :func:`summary_html` of ``text`` and ``title``.

    It carries the class ``lesson-chart-summary``, which the lessons' style sheet and the
    browser tests use to find the summaries.
    """
    import ipywidgets as w

    widget = w.HTML(summary_html(text, title), layout=w.Layout(**(layout or {})))
    widget.add_class("lesson-chart-summary")
    return widget


def check_chart(table: Mapping[str, Any], name: str, error: type[Exception]) -> str:
    """Return ``name`` if it is a chart of ``table``; otherwise raise ``error`` naming the
    valid charts.

    >>> check_chart({"a": None, "b": None}, "c", ValueError)
    Traceback (most recent call last):
    ...
    ValueError: unknown chart 'c'; valid charts: a, b
    """
    if name not in table:
        raise error(f"unknown chart {name!r}; valid charts: {', '.join(table)}")
    return name


def chart(table: Mapping[str, tuple[Callable[[Any], go.Figure], Callable[[Any], str]]],
          name: str, state: Any, error: type[Exception] = ValueError) -> tuple[go.Figure, str]:
    """A fresh static figure of chart ``name`` for ``state``, and its summary.

    ``table`` maps each chart name to a pair (figure builder, summary) of a state, the
    way a lesson declares its charts.
    """
    build, summary = table[check_chart(table, name, error)]
    return build(state), summary(state)


# --------------------------------------------------------------------------- live charts


class LiveView:
    """What an explorer shows live: its charts, updated in place, and their summaries.

    A view knows when it has been displayed. Changes made before the charts are first
    displayed never reach the browser (plotly.py #4998), so :meth:`ready`, called just
    before display, rebuilds the widgets from the current state if there were any. A
    subclass holds its figure widgets as :class:`~lessons.live.figure_widget.LiveFigure`
    objects (so that a dead front-end model is found and rebuilt) and implements
    :meth:`_update` and :meth:`rebuild`.
    """

    #: The widget holding the charts and their summaries.
    box: Any

    def __init__(self) -> None:
        self.displayed = False
        self.dirty = False
        #: how many updates were sent, and how many times a stale widget was rebuilt
        self.updates = 0
        self.rebuilds = 0

    def update(self, state: Any) -> int:
        """Bring every chart and summary to ``state``; return what :meth:`_update` counts
        (-1: a stale widget was rebuilt instead)."""
        if not self.displayed:
            self.dirty = True
        return self._update(state)

    def _update(self, state: Any) -> int:
        raise NotImplementedError

    def rebuild(self, state: Any) -> None:
        """Replace every figure widget by a fresh one built from ``state``."""
        raise NotImplementedError

    def ready(self, state: Any) -> None:
        """Call just before display: rebuild if changed since construction and never
        displayed (plotly.py #4998); from now on changes are sent in place."""
        if self.dirty and not self.displayed:
            self.rebuild(state)
        self.displayed = True
        self.dirty = False


class LiveCharts(LiveView):
    """The charts of one state as one figure widget each, each over its summary.

    Each widget is a :class:`~lessons.live.figure_widget.LiveFigure` built from a complete
    ``go.Figure``. :meth:`update` brings every chart to a new state with
    :func:`~lessons.live.figure_widget.update_in_place` (only what changed is sent), or
    rebuilds a chart whose browser view stopped acknowledging updates, and rewrites the
    summaries.

    Parameters
    ----------
    names : sequence of str
        The charts, in display order.
    chart : callable
        ``chart(name, state) -> (go.Figure, str)``: a fresh figure and its summary.
    state : object
        The starting state.
    side_by_side : bool
        True: charts side by side, wrapping on narrow screens; False: one under another.
    """

    def __init__(self, names: Sequence[str], chart: ChartFn, state: Any,
                 side_by_side: bool = False) -> None:
        import ipywidgets as w

        super().__init__()
        self.names = list(names)
        self.chart = chart
        box_layout, all_layout = _SIDE_BY_SIDE if side_by_side else _STACKED
        self.charts: dict[str, LiveFigure] = {}
        self.texts: dict[str, Any] = {}
        self.boxes: dict[str, Any] = {}
        for name in self.names:
            fig, text = chart(name, state)
            self.charts[name] = LiveFigure(fig)
            self.texts[name] = summary_widget(text, {"width": "100%"})
            self.boxes[name] = w.VBox([self.charts[name].widget, self.texts[name]],
                                      layout=w.Layout(**box_layout))
        container = w.Box if side_by_side else w.VBox
        self.box = container(list(self.boxes.values()), layout=w.Layout(**all_layout))

    @property
    def figures(self) -> dict[str, go.FigureWidget]:
        """The live figure widget of every chart."""
        return {name: live.widget for name, live in self.charts.items()}

    def _update(self, state: Any) -> int:
        """Update every chart in place; return how many traces changed (-1: a stale
        widget was rebuilt)."""
        changed = 0
        stale = False
        for name in self.names:
            fig, text = self.chart(name, state)
            live = self.charts[name]
            if live.is_stale():
                self._replace(name, fig)
                stale = True
            else:
                n = update_in_place(live.widget, fig)
                if n:
                    live.sent()
                changed += n
            self.texts[name].value = summary_html(text)
        if stale:
            self.rebuilds += 1
            return -1
        self.updates += bool(changed)
        return changed

    def _replace(self, name: str, fig: go.Figure) -> None:
        widget = self.charts[name].replace(fig)
        self.boxes[name].children = (widget, self.texts[name])

    def rebuild(self, state: Any) -> None:
        """Replace every figure widget by a fresh one built from ``state`` (the
        summaries are kept: :meth:`update` has already brought them to it)."""
        for name in self.names:
            self._replace(name, self.chart(name, state)[0])


def explorer_widget(heading: str, intro: str, controls: Sequence[Any], charts: Any,
                    more: Sequence[Any] = ()) -> Any:
    """The explorer laid out: ``heading`` over the control panel and the charts side by side.

    Parameters
    ----------
    heading : str
        Plain text of the level-4 heading (``"Lesson 07: the reciprocity game"``).
    intro : str
        HTML at the top of the control panel, above ``controls``.
    controls : sequence of widgets
        The controls shown up front, in panel order.
    charts : widget
        The charts (:attr:`LiveCharts.box`).
    more : sequence of widgets, optional
        Controls behind a collapsed "More controls" accordion (:func:`more_controls`)
        at the foot of the panel; none by default.
    """
    import ipywidgets as w

    extra = [more_controls(more)] if more else []
    panel = w.VBox([w.HTML(intro), *controls, *extra], layout=w.Layout(**_PANEL))
    panel.add_class("lesson-controls")
    return w.VBox([
        w.HTML(f"<h4 style='margin:4px 0'>{heading}</h4>"),
        # wrap: on a narrow screen the charts go under the controls (see model_explorer)
        w.HBox([panel, charts], layout=w.Layout(align_items="flex-start", width="100%",
                                                flex_flow="row wrap"))])


# --------------------------------------------------------------------------- explorer


class ChartExplorer:
    """A lesson's explorer: a state, the charts that show it and the controls that change it.

    Every explorer of the lessons is one of these. Live (JupyterLab): controls beside a
    :class:`LiveView`; a control change makes a new state and every chart is updated in
    place to exactly a fresh static figure of it, a chart whose browser view died being
    rebuilt. Static (:func:`lessons.mode.is_static`): no widget is created; displaying the
    explorer shows the note :attr:`static_note`, then each chart as a static figure
    followed by its summary (:meth:`show_static`).

    The simple case (lessons 07 and 08): a subclass sets the class attributes below,
    builds its state, calls ``super().__init__(state, charts)`` and implements
    :meth:`_controls` and :meth:`_changed`; the state must be immutable and comparable (a
    frozen dataclass) with a ``describe()`` method. An explorer with its own panel and
    view (:class:`lessons.live.model_explorer.Explorer`) overrides :meth:`_build`,
    :meth:`_chart_name`, :meth:`_chart`, :meth:`describe` and :meth:`summary_label`.
    """

    #: The lesson's charts: name -> (figure builder, summary) of a state.
    chart_table: ClassVar[Mapping[str, Any]] = {}
    #: The exception raised for a bad input (each lesson has its own).
    error: ClassVar[type[Exception]] = ValueError
    #: What static mode shows first; ``{what}`` becomes :meth:`describe`.
    static_note: ClassVar[str] = "{what}"
    #: What a reveal block says before the charts (:meth:`static_parts`).
    parts_note: ClassVar[str] = "The charts"
    #: The heading above the explorer (plain text) and the top of its panel (HTML).
    heading: ClassVar[str] = ""
    intro: ClassVar[str] = ""
    #: Charts side by side (True) or one under another (False).
    side_by_side: ClassVar[bool] = False
    #: The switches and sliders shown before "More controls" is opened (None: the first
    #: :data:`MAX_SWITCHES` switches and :data:`MAX_SLIDERS` sliders).
    visible: ClassVar[Sequence[str] | None] = None

    def __init__(self, state: Any, charts: Sequence[str],
                 visible: Iterable[str] | None = None) -> None:
        if visible is not None:
            self.visible = tuple(visible)
        self.state = state
        self.chart_names = [self._chart_name(n) for n in charts]
        self.static = mode.is_static()
        self.widget: Any = None
        self.view: LiveView | None = None
        self.controls: Any = {}
        self._hold = False
        if not self.static:
            self._build()

    # ------------------------------------------------------------ subclass hooks

    def _controls(self) -> dict[str, Any]:
        """The control widgets, keyed by the setting each one changes."""
        raise NotImplementedError

    def _changed(self, key: str, value: Any) -> Any:
        """The state after control ``key`` took ``value``."""
        raise NotImplementedError

    def _chart_name(self, name: str) -> str:
        """``name`` if it is one of the explorer's charts (else raises :attr:`error`)."""
        return check_chart(self.chart_table, name, self.error)

    def _chart(self, name: str, state: Any) -> tuple[go.Figure, str]:
        """A fresh static figure of chart ``name`` for ``state``, and its summary."""
        return chart(self.chart_table, name, state, self.error)

    def describe(self) -> str:
        """The current state in words."""
        return self.state.describe()

    def summary_label(self, name: str) -> str:
        """What precedes chart ``name``'s summary in static output."""
        return "In words"

    # ------------------------------------------------------------ state

    @property
    def live(self) -> dict[str, go.FigureWidget]:
        """The live ``FigureWidget`` of every chart (empty in static mode, and for a view
        that holds all the charts in one widget, such as the model explorer's)."""
        return self.view.figures if isinstance(self.view, LiveCharts) else {}

    @property
    def texts(self) -> dict[str, Any]:
        """The live summary widget of every chart (empty in static mode, and for a view
        of its own, such as the model explorer's)."""
        return self.view.texts if isinstance(self.view, LiveCharts) else {}

    @property
    def figures(self) -> dict[str, go.Figure]:
        """The charts: live ``FigureWidget``s, or fresh static figures."""
        if not isinstance(self.view, LiveCharts):
            return {n: self._chart(n, self.state)[0] for n in self.chart_names}
        return dict(self.live)

    @property
    def summaries(self) -> dict[str, str]:
        """The text summary of every chart for the current state."""
        return {n: self._chart(n, self.state)[1] for n in self.chart_names}

    def _move(self, values: Mapping[str, Any]) -> None:
        """Set the controls named in ``values`` without each one changing the state
        (the caller applies the new state once)."""
        self._hold = True
        try:
            for key, value in values.items():
                if key in self.controls:
                    self.controls[key].value = value
        finally:
            self._hold = False

    def _apply(self, new: Any) -> None:
        """Make ``new`` the state and update the live charts (nothing if unchanged)."""
        if new == self.state and self.view is not None:
            return
        self._show(new)

    def _show(self, new: Any) -> None:
        """Make ``new`` the state and bring the live charts to it."""
        self.state = new
        if self.view is not None:
            self.view.update(new)

    def _on_change(self, key: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            if not self._hold:
                self._apply(self._changed(key, change["new"]))

        return handler

    # ------------------------------------------------------------ display

    def _build(self) -> None:
        """Build the live widgets: :meth:`_controls` beside :class:`LiveCharts`."""
        self.controls = self._controls()
        for key, control in self.controls.items():
            control.observe(self._on_change(key), names="value")
        self.view = LiveCharts(self.chart_names, self._chart, self.state, self.side_by_side)
        front, rest = split_controls(self.controls, self.visible)
        self.widget = explorer_widget(self.heading, self.intro, front, self.view.box, rest)

    def ready(self) -> Any:
        """The live widget, made ready to be displayed (see :meth:`LiveView.ready`)."""
        if self.view is not None:
            self.view.ready(self.state)
        return self.widget

    def _ipython_display_(self) -> None:
        if self.view is None:
            self.show_static()
            return
        display(self.ready())

    def show_static(self) -> None:
        """Display every chart as a static figure followed by its summary."""
        display(Markdown(self.static_note.format(what=self.describe())))
        for name in self.chart_names:
            fig, text = self._chart(name, self.state)
            fig.show()
            display(Markdown(f"**{self.summary_label(name)}:** {markdown_safe(text)}"))

    def static_parts(self) -> list[Any]:
        """The charts as a reveal block holds them
        (:func:`lessons.live.predict.reveal_html`): a line naming the state, then each
        chart as a static figure followed by its summary as HTML."""
        parts: list[Any] = [f"<p><em>{self.parts_note} ({html.escape(self.describe())})."
                            "</em></p>"]
        for name in self.chart_names:
            fig, text = self._chart(name, self.state)
            parts.append(fig)
            parts.append(f"<p><strong>{html.escape(self.summary_label(name))}:</strong> "
                         f"{html.escape(text)}</p>")
        return parts
