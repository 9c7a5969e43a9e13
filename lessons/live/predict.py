"""Predict first: the student commits a prediction, then sees the model's answer.

:class:`Predict` (and :func:`predict`, a rise / little change / fall question in one
call) is live in JupyterLab — options, a *Commit prediction* button, then the chart or
explorer — and a collapsed "Reveal the model's answer" block on a static page
(:func:`reveal_html`), whose charts draw only when it is opened.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from IPython.display import HTML, Markdown, display

from lessons import mode
from lessons.live.explorer import ChartExplorer
from lessons.live.figure_widget import figure_widget
from lessons.live.model_explorer import Explorer
from lessons.live.options import LETTERS, option_buttons, question_html
from lessons.model.runs import DEFAULT_HORIZON, RUNS
from lessons.model.scenario import resolve
from lessons.views import charts, summaries
from lessons.views.labels import (
    LITTLE_CHANGE,
    _verdict,
    change_key,
    little_change_rule,
    scenario_phrase,
)
from lessons.views.text import capitalised, plain_title

if TYPE_CHECKING:
    from lessons.model.scenario import Scenario





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
    def compare(cls, question: str, metric: str, subject: str,
                before: str | Scenario = "mid_2024",
                after: str | Scenario | Sequence[str] = "deeper_interlinking",
                theta: float | None = None,
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
            "rise": f"{capitalised(phrase)} rises",
            "same": f"{capitalised(phrase)} barely changes",
            "fall": f"{capitalised(phrase)} falls",
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

        def explain(key: str) -> str:  # key: what outcome() gave for these values
            v0, v1 = values()
            th = b.params.get("theta")
            cond = f" with θ = {float(th):.2f}" if th is not None else ""
            return (f"In the model{cond}, after {horizon} years {phrase} ends at {v1:.2f} with "
                    f"the {after_label} against {v0:.2f} with the {before_label}: "
                    f"{summaries.compared(v1, v0)}, "
                    f"{_verdict(key, tolerance)}.")

        if isinstance(reveal, str) and reveal == "auto":
            chart = charts.ALIASES.get(metric, metric)

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
        if callable(item) and not isinstance(item, ChartExplorer) and not _is_widget(item):
            item = item()
            self._reveal = item
        if isinstance(item, ChartExplorer):
            return item.ready()
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
        built = callable(self._reveal) and not isinstance(self._reveal, ChartExplorer) \
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
    title = plain_title(layout.title.text) if layout.title and layout.title.text else ""
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
    if isinstance(item, ChartExplorer):
        return "explorer"
    if isinstance(item, go.Figure | go.FigureWidget):
        return "figure"
    return "widget" if _is_widget(item) else "object"


def _static_figure(fig: Any) -> Any:
    """A plain ``go.Figure`` of ``fig`` (a copy when it is a ``FigureWidget``)."""
    import plotly.graph_objects as go

    return go.Figure(fig) if isinstance(fig, go.FigureWidget) else fig


def _compared_pair(before: str | Scenario, after: str | Scenario | Sequence[str]
                   ) -> tuple[Scenario, Scenario]:
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


def predict(question: str, metric: str, subject: str, before: str | Scenario = "mid_2024",
            after: str | Scenario | Sequence[str] = "deeper_interlinking",
            **kwargs: Any) -> Predict:
    """Predict first in one call: a rise / little change / fall question about one model
    output when the links change from ``before`` to ``after`` (see :meth:`Predict.compare`)."""
    return Predict.compare(question, metric, subject, before, after, **kwargs)
