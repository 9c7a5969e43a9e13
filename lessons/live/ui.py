"""Lesson building blocks: header, passages, model note, checks, references.

Each function displays one part of the lesson shape (CONTRIBUTING.md, *Notebooks*) so that
notebook cells stay one line long. Each display function has a pure twin (``*_html`` or
``*_markdown``) that returns the text it shows, so tests can check content without a front
end. Output is
deterministic (no random ids), which keeps strict nbval comparisons meaningful.

Checks for understanding give immediate feedback with ipywidgets in a live session and
show the answers in a collapsible block in static output (batch renders, nbval).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from IPython.display import HTML, Markdown, display

from lessons import mode, model
from lessons.live.options import LETTERS, option_buttons, question_html
from lessons.sources import article, catalog
from lessons.views.labels import parameter_label, scenario_label
from lessons.views.text import markdown_safe


class ContentError(ValueError):
    """Raised for a missing or malformed checks file or an unknown reference key."""


# --------------------------------------------------------------------------- header


#: How to use a lesson, by front end (:func:`lessons.mode.front_end`).
HOW_TO_USE: dict[str, str] = {
    "lab": (
        "**How to use this notebook.** Run the cells from the top (*Run ▸ Run All Cells*, "
        "or Shift+Enter one cell at a time). At each *Predict first* question, choose an "
        "option and press **Commit prediction** before you read on; the chart appears "
        "after that. The switches and sliders of each explorer update the charts at once."
    ),
    "voila": (
        "**How to use this page.** Everything is already running: there is no code to "
        "run. Scroll down; at each *Predict first* question, choose an option and press "
        "**Commit prediction** before you read on. The switches and sliders of each "
        "explorer update the charts, and the sentences under them, at once."
    ),
    "static": (
        "**How to use this page.** These are saved outputs. Write your prediction down "
        "before you open each *Reveal the model's answer* block, and answer each check "
        "before you open its answer. The controls are live only when the notebook runs: "
        "in JupyterLab run the cells from the top, or ask for the classroom view "
        "(`lessons present`)."
    ),
}


def how_to_use(front_end: str | None = None) -> str:
    """The how-to-use paragraph for ``front_end`` (default: the one in force).

    Raises
    ------
    ContentError
        For an unknown front end; the message names the valid ones.
    """
    front_end = front_end or mode.front_end()
    if front_end not in HOW_TO_USE:
        raise ContentError(f"unknown front end {front_end!r}: valid are {list(HOW_TO_USE)}")
    return HOW_TO_USE[front_end]


def header_markdown(lesson_id: str, front_end: str | None = None) -> str:
    """Markdown for a lesson's opening block, built from the catalog, ending with how to
    use the lesson where it is shown (``front_end``: ``"lab"``, ``"voila"`` or
    ``"static"``; default: :func:`lessons.mode.front_end`)."""
    cat = catalog.load_catalog()
    lesson = cat.get(lesson_id)
    prereq = ", ".join(f"{p} {cat.get(p).title}" for p in lesson.prerequisites) or "none"
    objectives = "\n".join(f"{i}. {o}" for i, o in enumerate(lesson.objectives, 1))
    return (
        f"**Lesson {lesson.id} · {lesson.title}**\n\n"
        f"| Article | Time | Prerequisites |\n|---|---|---|\n"
        f"| {lesson.paragraph_label} | about {lesson.minutes} minutes | {prereq} |\n\n"
        f"**By the end of this lesson you can:**\n\n{objectives}\n\n"
        f"{how_to_use(front_end)}\n"
    )


def header(lesson_id: str, front_end: str | None = None) -> None:
    """Display the lesson's paragraphs, time, prerequisites, objectives and how to use it
    (see :func:`header_markdown`)."""
    display(Markdown(header_markdown(lesson_id, front_end)))


# --------------------------------------------------------------------------- passages


def passages_html(*ids: str | int) -> str:
    """HTML blockquotes of the requested paragraphs, verbatim from ``seeds/``.

    Accepts IDs, numbers and ranges (``"P13-P14"``). Each quote carries its paragraph
    number and the authors' names, so a reader always knows whose words they are.
    """
    art = article.load_article()
    blocks = []
    for pid in article.expand(ids):
        p = art.paragraph(pid)
        blocks.append(
            f'<blockquote class="lesson-passage" data-paragraph="{p.id}">'
            f"<p>{html.escape(p.text)}</p>"
            f"<footer>— Park and DerSimonian, ¶{p.number} "
            f"(section “{html.escape(p.section)}”)</footer></blockquote>"
        )
    return "\n".join(blocks)


def passages(*ids: str | int) -> None:
    """Display article paragraphs by ID, verbatim, with attribution."""
    display(HTML(passages_html(*ids)))


# --------------------------------------------------------------------------- model note

MODEL_NOTE = (
    "**About the model.** The simulation in this lesson is an *illustration of an argument*, "
    "not a forecast. It turns the article's causal claims into simple rules with numbers that "
    "are teaching assumptions, so that you can see what follows from them and which "
    "conclusions change when the assumptions change. Its outputs are indices, not "
    "predictions of real events."
)


def model_note() -> None:
    """Display, once per lesson, the plain statement that the model is not a forecast."""
    display(Markdown(MODEL_NOTE))


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Option:
    """One answer option of a check: its text, whether it is correct, and feedback."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Check:
    """A check-your-understanding item with an answer key and feedback for every option."""

    id: str
    question: str
    options: tuple[Option, ...]
    explanation: str

    @property
    def answer(self) -> tuple[int, ...]:
        """Indices of the correct options."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)

    def grade(self, choice: int) -> tuple[bool, str]:
        """Return (correct?, feedback) for the option at index ``choice``."""
        if not 0 <= choice < len(self.options):
            raise ContentError(
                f"check {self.id}: no option {choice}; valid options are 0..{len(self.options) - 1}"
            )
        opt = self.options[choice]
        return opt.correct, opt.feedback


def _parse_check(raw: dict[str, Any], where: str) -> Check:
    for key in ("id", "question", "options", "explanation"):
        if not raw.get(key):
            raise ContentError(f"{where}: check is missing {key!r}")
    opts = []
    for j, o in enumerate(raw["options"]):
        if not isinstance(o, dict) or not o.get("text") or not o.get("feedback"):
            raise ContentError(f"{where}, check {raw['id']}, option {j}: needs text and feedback")
        opts.append(Option(str(o["text"]), bool(o.get("correct", False)), str(o["feedback"])))
    check = Check(str(raw["id"]), str(raw["question"]), tuple(opts), str(raw["explanation"]))
    if not check.answer:
        raise ContentError(f"{where}, check {check.id}: no option is marked correct")
    return check


@cache
def load_checks(lesson_id: str) -> tuple[Check, ...]:
    """Read ``lessons/sources/checks/<id>.yaml`` and validate every item (answer key, feedback)."""
    lesson = catalog.load_catalog().get(lesson_id)
    where = f"lessons/sources/checks/{lesson.id}.yaml"
    path = resources.files("lessons.sources").joinpath("checks", f"{lesson.id}.yaml")
    if not path.is_file():
        raise ContentError(f"{where} does not exist")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{where} is not valid YAML: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{where}: expected a non-empty list of checks")
    return tuple(_parse_check(item, where) for item in raw)


def option_order(check: Check) -> tuple[int, ...]:
    """The order in which a check's options are shown: a shuffle seeded by the check id.

    Authors tend to write the correct option first; shown as written, a student could
    pass by always picking A. Each option gets a sort key from SHA-256 of the check id and
    the option's position (a stable hash: Python's ``hash()`` changes between runs), so
    the order is the same live and static, at every execution, and changes only when the
    id or the number of options does.

    Returns
    -------
    tuple of int
        Indices into ``check.options``, in display order.
    """
    def key(i: int) -> str:
        return hashlib.sha256(f"{check.id}\x1f{i}".encode()).hexdigest()

    return tuple(sorted(range(len(check.options)), key=key))


def check_html(check: Check, number: int, shuffle: bool = True) -> str:
    """Static rendering: the question, the options, and a collapsible answer block.

    ``shuffle`` (default True) shows the options in :func:`option_order`, the order the
    live widget uses; the answer block names each option by the same letter.
    """
    order = option_order(check) if shuffle else tuple(range(len(check.options)))
    shown = [check.options[i] for i in order]
    options = "".join(f"<li>{html.escape(o.text)}</li>" for o in shown)
    feedback = "".join(
        f"<li><strong>{LETTERS[j]}. {'Correct' if o.correct else 'Not quite'}:</strong> "
        f"{html.escape(o.text)} — {html.escape(o.feedback)}</li>"
        for j, o in enumerate(shown)
    )
    return (
        f'<div class="lesson-check" data-check="{check.id}">'
        f"<p><strong>Check {number}.</strong> {html.escape(check.question)}</p>"
        f'<ol type="A">{options}</ol>'
        f"<details><summary>Answer and explanation</summary><ul>{feedback}</ul>"
        f"<p>{html.escape(check.explanation)}</p></details></div>"
    )


def check_widget(check: Check, number: int, shuffle: bool = True):
    """Live rendering: radio buttons, a Check button, and feedback shown immediately.

    The options appear in :func:`option_order` (``shuffle=False``: as written) and wrap
    inside their box; each radio button's value is the option's index in
    ``check.options``, so grading does not depend on the order shown.
    """
    import ipywidgets as w


    order = option_order(check) if shuffle else tuple(range(len(check.options)))
    question = question_html(f"<p><strong>Check {number}.</strong> "
                             f"{html.escape(check.question)}</p>")
    choice = option_buttons([(check.options[i].text, i) for i in order])
    button = w.Button(description="Check answer", tooltip="Check your answer (Enter or Space)",
                      layout=w.Layout(width="auto", align_self="flex-start"))
    feedback = w.HTML(value="")

    def on_click(_):
        if choice.value is None:
            feedback.value = "<p>Choose an answer first.</p>"
            return
        ok, text = check.grade(choice.value)
        verdict = "✔ Correct." if ok else "✘ Not quite."
        feedback.value = (
            f"<p><strong>{verdict}</strong> {html.escape(text)}</p>"
            f"<p>{html.escape(check.explanation)}</p>"
        )

    button.on_click(on_click)
    box = w.VBox([question, choice, button, feedback],
                 layout=w.Layout(width="100%", max_width="60rem"))
    box.add_class("lesson-check-live")
    return box


def checks(lesson_id: str) -> None:
    """Display the lesson's checks: live widgets in JupyterLab, answers-on-demand when static."""
    items = load_checks(lesson_id)
    static = "\n".join(check_html(c, i) for i, c in enumerate(items, 1))
    if mode.is_static():
        display(HTML(static))
    else:
        for i, c in enumerate(items, 1):
            display(check_widget(c, i))


# --------------------------------------------------------------------------- charts


def chart(fig, summary: str) -> None:
    """Show a Plotly figure followed by its text summary (the chart's alt text).

    The figure goes out through Plotly's default renderer (``plotly_mimetype`` in a kernel),
    which keeps outputs deterministic for strict nbval; the summary is plain Markdown that a
    screen reader reads and the static site keeps.
    """
    fig.show()
    display(Markdown(f"**In words:** {markdown_safe(summary)}"))


# --------------------------------------------------------------------------- scenario reasons


def _load_named(scenario: str | model.Scenario) -> model.Scenario:
    """The scenario itself, or the shipped scenario (or scenario file) a string names:
    :func:`lessons.model.resolve`, with its error as this module's.

    Raises
    ------
    ContentError
        For an unknown name, a bad file or a value that is neither; the message (the
        model's) names the valid scenarios.
    """
    try:
        return model.resolve(scenario)
    except model.ModelError as exc:
        raise ContentError(str(exc)) from None


def _paragraph_marks(ids: str) -> str:
    """``"P16, P17"`` as a reader sees it: ``"¶16, ¶17"`` (empty stays empty)."""
    art = article.load_article()
    return ", ".join(f"¶{art.paragraph(pid.strip()).number}" for pid in ids.split(",")
                     if pid.strip())


def scenario_reasons_html(scenario: str | model.Scenario) -> str:
    """A collapsed "Go deeper" block: why the scenario sets each switch and parameter.

    One row per toggle, then one per parameter the scenario sets
    (:func:`lessons.model.scenario_reasons`), with the setting's readable label, its value
    (on/off or the number), the scenario file's reason and the paragraphs it rests on, so a
    student can see that every assumption of a named world is argued from the article and
    where it is the project's reading. Pure and deterministic (no ids, fixed row order).

    Parameters
    ----------
    scenario : str or Scenario
        A shipped scenario's name (``"mid_2024"``), a scenario file's path, or a Scenario.

    Raises
    ------
    ContentError
        For an unknown scenario; the message names the valid ones.
    """
    sc = _load_named(scenario)
    label = html.escape(scenario_label(sc))
    rows = []
    for r in model.scenario_reasons(sc).itertuples(index=False):
        if r.kind == "toggle":
            setting, value = str(r.label), "on" if r.value else "off"
        else:
            setting, value = parameter_label(str(r.item)), f"{float(r.value):g}"
        rows.append(f"<tr><td>{html.escape(setting)}</td><td>{value}</td>"
                    f"<td>{html.escape(str(r.reason)) or '—'}</td>"
                    f"<td>{_paragraph_marks(str(r.paragraph)) or '—'}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>'
                   for h in ("Setting", "Value", "Reason", "Paragraphs"))
    return (
        '<details class="lesson-go-deeper lesson-scenario-reasons">'
        f"<summary>Go deeper: why each switch and assumption of <em>{label}</em> is set as "
        f"it is</summary>"
        f"<table><caption>Every switch and parameter of <em>{label}</em>, with the reason "
        f"for its value and the article's paragraphs it rests on</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def scenario_reasons(scenario: str | model.Scenario) -> None:
    """Display :func:`scenario_reasons_html` (the same block live and static)."""
    display(HTML(scenario_reasons_html(scenario)))


# --------------------------------------------------------------------------- references


@cache
def _references() -> dict[str, str]:
    source = resources.files("lessons.sources").joinpath("references.yaml")
    text = source.read_text(encoding="utf-8")
    return {k: " ".join(str(v).split()) for k, v in yaml.safe_load(text).items()}


def references_markdown(*keys: str) -> str:
    """Markdown list of the requested references, in the order given."""
    refs = _references()
    unknown = [k for k in keys if k not in refs]
    if unknown:
        raise ContentError(f"unknown reference key(s) {unknown}: valid keys are {sorted(refs)}")
    return "\n".join(f"- {refs[k]}" for k in keys)


def references(*keys: str) -> None:
    """Display formatted references by key (see ``lessons/sources/references.yaml``)."""
    display(Markdown(references_markdown(*keys)))


def citation() -> None:
    """Display how to cite the article."""
    display(Markdown(article.citation()))
