"""One idea at a time, predict first for real: the shape of every lesson, measured.

These tests read the committed notebooks (sources and outputs) and hold each lesson to the
budgets of its design:

* the main path (markdown outside ``solution`` cells and outside collapsed ``<details>``
  "Go deeper" blocks) has at most :data:`WORDS_PER_MINUTE` words per minute of the
  lesson's stated time, and no main-path cell is over :data:`MAX_CELL_WORDS` words;
* each concept section (a main-path cell opening with a level-2 heading that is not one
  of the lesson's fixed parts) is followed within two cells by something to do;
* the catalog's minutes are what :func:`lessons.sources.catalog.estimate_minutes` recomputes from
  the content, and the README table agrees;
* a predict cell's committed output is the question and options, with the answer, its
  charts and their summaries inside one collapsed block; and no cell between the
  prediction and the first chart of the lesson states the model's answer.
"""

from __future__ import annotations

import json
import re

import pytest

from lessons.live import ui
from lessons.paths import ROOT
from lessons.sources import catalog
from lessons.sources.catalog import load_catalog

LESSONS = list(load_catalog())
IDS = [lesson.id for lesson in LESSONS]

#: Main-path words allowed per minute of a lesson's stated time.
WORDS_PER_MINUTE = 40
#: The longest main-path markdown cell allowed, in words.
MAX_CELL_WORDS = 200
#: Level-2 headings of a lesson's fixed parts, which are not concept sections (each is
#: an activity itself, the article's own text, or closes the lesson).
FIXED_PARTS = ("predict first", "the text", "check your understanding", "discussion questions",
               "exercises", "summary", "what's next", "sources", "references",
               # lesson 00's orientation to the collection: how to use it, not a concept
               "how to use")
#: How far after a concept section something to do must come (in cells).
ACT_WITHIN = 2
#: A code cell that shows a model chart (the first one is where a prediction is answered).
SHOWS_CHART = re.compile(r"\b(?:\w*Explorer|explore|simulate|show_\w+)\(")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
NUMBER = re.compile(r"(?<![\w.])[+−-]?\d+\.\d\d(?!\d)")


def _cells(lesson) -> list[dict]:
    return json.loads(lesson.path.read_text(encoding="utf-8"))["cells"]


def _heading(cell: dict) -> str | None:
    """The text of the level-2 heading a main-path markdown cell opens with."""
    if cell["cell_type"] != "markdown" or catalog.is_solution(cell):
        return None
    first = catalog.main_path_text(catalog.cell_source(cell)).lstrip().split("\n", 1)[0]
    m = re.match(r"##\s+(.*)", first)
    return m.group(1).strip() if m else None


def _is_predict(cell: dict) -> bool:
    return cell["cell_type"] == "code" and catalog.cell_activity(cell) == "predict"


def _outside_details(text: str) -> str:
    return re.sub(r"<details\b.*?</details>", " ", text, flags=re.S | re.I)


def _output_texts(cell: dict) -> list[str]:
    texts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            texts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
        for mime, value in (out.get("data") or {}).items():
            if mime.startswith("text/"):
                texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def _reveal_answer(cell: dict) -> tuple[str, str] | None:
    """(option label, answer sentence) from a predict cell's committed reveal block."""
    for text in _output_texts(cell):
        m = re.search(r"The model(?:'|&#x27;)s answer: [A-J]\. (.*?)\.</strong>\s*(.*?)</p>",
                      text, re.S)
        if m and 'class="lesson-reveal"' in text:
            return m.group(1), m.group(2)
    return None


# --------------------------------------------------------------------------- the content


def test_the_minutes_estimate_counts_reading_and_activities():
    words = "word " * (catalog.READING_WPM * 4)
    cells = [{"cell_type": "markdown", "metadata": {}, "source": words},
             {"cell_type": "markdown", "metadata": {},
              "source": f"<details><summary>Go deeper: x</summary>{words * 5}</details>"},
             {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": words},
             {"cell_type": "code", "metadata": {}, "source": "widgets.predict('q?')"}]
    # 4 minutes of main-path reading + one prediction, rounded up to the step
    expected = 4 + catalog.ACTIVITY_MINUTES["predict"]
    step = catalog.MINUTES_STEP
    assert catalog.estimate_minutes(cells, checks=0) == step * -(-expected // step)
    with_checks = [*cells, {"cell_type": "code", "metadata": {}, "source": 'ui.checks("00")'}]
    assert catalog.estimate_minutes(with_checks, checks=10) == step * -(
        -(expected + 10 * catalog.ACTIVITY_MINUTES["check"]) // step)
    assert catalog.main_path_words(cells)[1:3] == [0, 0]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_main_path_fits_the_word_budget(lesson):
    words = sum(catalog.main_path_words(_cells(lesson)))
    budget = WORDS_PER_MINUTE * lesson.minutes
    assert words <= budget, (f"lesson {lesson.id}: {words} main-path words for "
                             f"{lesson.minutes} minutes (at most {budget}); move background "
                             "into a collapsed 'Go deeper' <details> block")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_main_path_cell_is_over_200_words(lesson):
    counts = catalog.main_path_words(_cells(lesson))
    long = {i: n for i, n in enumerate(counts) if n > MAX_CELL_WORDS}
    assert not long, f"lesson {lesson.id}: cells over {MAX_CELL_WORDS} words (cell: words) {long}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_each_concept_section_is_followed_by_something_to_do(lesson):
    cells = _cells(lesson)
    idle = []
    for i, cell in enumerate(cells):
        heading = _heading(cell)
        if heading is None or heading.lower().startswith(FIXED_PARTS):
            continue
        after = cells[i + 1:i + 1 + ACT_WITHIN]
        if not any(catalog.cell_activity(c) for c in after):
            idle.append(f"cell {i} '{heading}'")
    assert not idle, (f"lesson {lesson.id}: concept sections with no control, prediction, "
                      f"check or exercise within {ACT_WITHIN} cells: {idle}")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_catalog_minutes_are_recomputed_from_the_content(lesson):
    estimate = catalog.estimate_minutes(_cells(lesson), len(ui.load_checks(lesson.id)))
    assert lesson.minutes == estimate, (
        f"lesson {lesson.id}: the catalog says {lesson.minutes} minutes, the content "
        f"needs {estimate} (reading at {catalog.READING_WPM} words a minute plus "
        f"{dict(catalog.ACTIVITY_MINUTES)} per activity)")


def test_the_readme_table_states_the_catalog_minutes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in LESSONS:
        row = re.search(rf"^\| {lesson.id} \|.*\| (\d+) min \|$", readme, re.M)
        assert row, f"README has no table row for lesson {lesson.id}"
        assert int(row.group(1)) == lesson.minutes, lesson.id


# --------------------------------------------------------------------------- predict first


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_committed_predict_outputs_hide_the_answer_in_a_collapsed_block(lesson):
    predicts = [c for c in _cells(lesson) if _is_predict(c)]
    assert predicts, f"lesson {lesson.id} has no predict cell"
    for cell in predicts:
        mimes = {m for out in cell.get("outputs", []) for m in (out.get("data") or {})}
        assert PLOTLY_MIME not in mimes and not any(m.startswith("image/") for m in mimes), (
            f"lesson {lesson.id}: a predict cell's output shows a figure")
        found = _reveal_answer(cell)
        assert found, (f"lesson {lesson.id}: a predict cell's output has no collapsed "
                       "'Reveal the model's answer' block (re-execute the notebook)")
        _label, sentence = found
        outside = " ".join(_outside_details(t) for t in _output_texts(cell))
        assert "<details open" not in " ".join(_output_texts(cell))
        numbers = set(NUMBER.findall(sentence)) - set(NUMBER.findall(ui_rule()))
        shown = numbers & set(NUMBER.findall(outside))
        assert not shown, f"lesson {lesson.id}: answer numbers outside the block: {shown}"


def ui_rule() -> str:
    """The tolerance rule's sentence (its threshold is not an answer)."""
    from lessons.live import widgets

    return widgets.little_change_rule()


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_cell_between_a_prediction_and_its_reveal_states_the_answer(lesson):
    cells = _cells(lesson)
    first = next((i for i, c in enumerate(cells) if _is_predict(c)), None)
    assert first is not None, f"lesson {lesson.id} has no predict cell"
    found = _reveal_answer(cells[first])
    assert found, (f"lesson {lesson.id}: the predict cell's output has no reveal block "
                   "(re-execute the notebook)")
    label, sentence = found
    numbers = set(NUMBER.findall(sentence)) - set(NUMBER.findall(ui_rule()))
    end = next((i for i in range(first + 1, len(cells))
                if cells[i]["cell_type"] == "code"
                and SHOWS_CHART.search(catalog.cell_source(cells[i]))), len(cells))
    for i in range(first + 1, end):
        if cells[i]["cell_type"] != "markdown":
            continue
        text = catalog.main_path_text(catalog.cell_source(cells[i]))
        said = [w for w in (label,) if w.lower() in text.lower()]
        said += sorted(numbers & set(NUMBER.findall(text)))
        if re.search(r"answer to (the|your) prediction", text, re.I):
            said.append("'answer to the prediction'")
        assert not said, (f"lesson {lesson.id}: cell {i}, between the prediction (cell "
                          f"{first}) and the first chart (cell {end}), states the answer: "
                          f"{said}")


def test_the_reveal_checks_read_what_a_predict_cell_writes(monkeypatch):
    """The two tests above find the answer in the output a predict cell writes today."""
    from lessons.live import widgets

    monkeypatch.setenv("LESSONS_STATIC", "1")
    p = widgets.predict("If NATO deepens its presence in Asia, what happens to the "
                        "China–Russia entente?", metric="cohesion", subject="CHN-RUS",
                        before="mid_2024", after="deeper_interlinking", horizon=12)
    cell = {"cell_type": "code", "metadata": {}, "source": "widgets.predict(...)",
            "outputs": [{"output_type": "display_data",
                         "data": {"text/markdown": p.question_markdown()}},
                        {"output_type": "display_data",
                         "data": {"text/html": p.static_html()}}]}
    assert _is_predict(cell)
    label, sentence = _reveal_answer(cell)
    assert label == p.options[p.outcome()] and sentence == p.explanation()
    assert NUMBER.findall(sentence)
    outside = " ".join(_outside_details(t) for t in _output_texts(cell))
    assert "The model's answer" not in outside and sentence not in outside
    assert not (set(NUMBER.findall(sentence)) - set(NUMBER.findall(ui_rule()))) & set(
        NUMBER.findall(outside))
