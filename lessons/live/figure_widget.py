"""Plotly ``FigureWidget``s that reach the browser, are updated in place, and recover.

Every live chart of the lessons is made here, so a fix to how charts reach the browser
lands in every explorer:

* :func:`figure_widget` — the one factory: a ``go.FigureWidget`` of a complete figure whose
  data travel in the widget's opening message;
* :func:`update_in_place` — bring a widget to a fresh figure inside one ``batch_update``,
  assigning only the properties that differ;
* :class:`LiveFigure` — one figure widget watched for a dead front-end model: an update
  the browser leaves unacknowledged for :data:`STALE_AFTER_S` marks it stale, and the
  explorer rebuilds it from the current state on the next change.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

#: A chart whose browser view has not acknowledged an update for this long is considered
#: dead and rebuilt on the next change (see :meth:`LiveFigure.is_stale`).
STALE_AFTER_S = 2.0

_DeferredFigureWidget: Any = None


def figure_widget(fig: Any) -> Any:
    """A ``go.FigureWidget`` of a complete figure whose data reach the browser reliably.

    plotly 7.1 opens the widget's comm *before* it assigns the figure's data and layout,
    and sends them in a second message. When the front end is still loading the widget's
    code (the first charts of a session, or several built at once), that second message
    can arrive before the model listens and is lost: the chart draws empty axes. Here the
    comm opens only once data and layout are set, so they travel in the opening message.
    """
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


def _plain(value: Any) -> str:
    """A canonical text of a property value, so that equal values compare equal."""
    return json.dumps(value, sort_keys=True, default=str)


def update_in_place(widget: go.FigureWidget, fig: go.Figure) -> int:
    """Bring ``widget`` to ``fig`` inside one ``batch_update``.

    Only the trace and layout properties that differ are assigned, so a change sends
    what changed and nothing else, and the browser redraws once.

    Parameters
    ----------
    widget : go.FigureWidget
        The live chart.
    fig : go.Figure
        A fresh static figure of the new state, with as many traces as ``widget``.

    Returns
    -------
    int
        How many traces changed.

    Raises
    ------
    RuntimeError
        If the number of traces differs (a chart's traces are fixed).
    """
    new = [t.to_plotly_json() for t in fig.data]
    if len(new) != len(widget.data):
        raise RuntimeError(f"the number of traces changed ({len(widget.data)} -> {len(new)})")
    layout_new = fig.layout.to_plotly_json()
    layout_old = widget.layout.to_plotly_json()
    changed = 0
    with widget.batch_update():
        for trace, props in zip(widget.data, new, strict=True):
            old = trace.to_plotly_json()
            diff = {k: v for k, v in props.items()
                    if k not in ("uid", "type") and _plain(old.get(k)) != _plain(v)}
            if diff:
                trace.update(diff, overwrite=True)
                changed += 1
        ldiff = {k: v for k, v in layout_new.items() if _plain(layout_old.get(k)) != _plain(v)}
        if ldiff:
            widget.layout.update(ldiff, overwrite=True)
    return changed


def flatten(props: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"line": {"color": c}}`` -> ``{"line.color": c}`` (plotly restyle paths).

    Lists of plain numbers travel as numpy arrays: the widget sends those as binary
    buffers instead of converting them number by number (the same values either way).
    """
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        elif (key in ("x", "y") and isinstance(value, list) and value
              and all(type(v) is float for v in value)):
            out[f"{prefix}{key}"] = np.asarray(value, dtype=float)
        else:
            out[f"{prefix}{key}"] = value
    return out


class LiveFigure:
    """One figure widget (:func:`figure_widget`) watched for a dead front-end model.

    The browser acknowledges each trace update it applies, so a widget whose view exists
    but has left an update unacknowledged for :data:`STALE_AFTER_S` is stale
    (:meth:`is_stale`) and its owner rebuilds it (:meth:`replace`). To find a model that
    died while the page loaded before the first change, the widget is sent an update that
    changes nothing as soon as the browser reports its first drawing.

    Parameters
    ----------
    fig : go.Figure
        The complete starting figure.
    """

    def __init__(self, fig: go.Figure) -> None:
        self.widget: go.FigureWidget = figure_widget(fig)
        self._sent_at: float | None = None
        self._watch(self.widget)

    def _watch(self, fig: go.FigureWidget) -> None:
        """Probe ``fig`` once, when its first view reports that it has drawn."""
        probed = False

        def first_draw(change: dict) -> None:
            nonlocal probed
            msg = change.get("new")
            if (probed or not msg or msg.get("trace_edit_id") != 0 or fig is not self.widget
                    or not fig.data):
                return
            probed = True
            fig._send_restyle_msg({"name": [fig.data[0].name or ""]}, trace_indexes=[0])
            self.sent()

        fig.observe(first_draw, names="_js2py_traceDeltas")

    def sent(self) -> None:
        """Note that an update was just sent (it awaits the browser's acknowledgement)."""
        self._sent_at = time.monotonic()

    def is_stale(self, now: float | None = None) -> bool:
        """True when the browser shows the figure but stopped acknowledging updates."""
        fig = self.widget
        if self._sent_at is None or not (fig._view_count or 0):
            return False
        # only trace edits count: plotly 7.1's browser code acknowledges layout edits under
        # a misspelt name (_js2py_widget_layoutDelta), so they never look acknowledged
        now = time.monotonic() if now is None else now
        return bool(fig._trace_edit_in_process) and now - self._sent_at > STALE_AFTER_S

    def replace(self, fig: go.Figure) -> go.FigureWidget:
        """Replace the widget by a fresh one of ``fig``; return it (the owner puts it
        where the old one was displayed)."""
        self.widget = figure_widget(fig)
        self._sent_at = None
        self._watch(self.widget)
        return self.widget
