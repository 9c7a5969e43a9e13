"""Every committed lesson notebook has the lesson shape, is executed, small and faithful.

Strict nbval (``pytest --nbval notebooks``) re-runs each notebook and compares outputs;
these tests check what nbval cannot: that outputs exist to compare, that the notebook
matches the catalog, follows the lesson shape, never retypes the article, and carries no
widget state or machine-specific paths.
"""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest

from lessons.live import ui
from lessons.sources import article
from lessons.sources.catalog import load_catalog

LESSONS = [lesson for lesson in load_catalog() if lesson.path.exists()]
IDS = [lesson.id for lesson in LESSONS]

#: The lesson shape (CONTRIBUTING.md, *Notebooks*), as level-2 headings in this order.
SECTIONS = [
    "Predict first",
    "The text",
    "The concept",
    "Worked example",
    "Explore",
    "Both sides",
    "Check your understanding",
    "Discussion questions",
    "Exercises",
    "Summary",
    "What's next",
    "Sources",
]
#: A run of this many words copied from the article counts as retyping it.
RETYPE_WORDS = 8
MACHINE_PATH = re.compile(r"(/tmp/|/root/|/home/|/Users/|/work/|[A-Z]:\\\\)")


def _nb(lesson):
    return nbformat.read(lesson.path, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _calls(nb, name: str) -> list[ast.Call]:
    """Calls like ``ui.passages(...)`` or ``passages(...)`` in the notebook's code cells."""
    found = []
    for cell in _code(nb):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call):
                f = node.func
                fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if fname == name:
                    found.append(node)
    return found


def _literal_args(call: ast.Call) -> list:
    return [ast.literal_eval(a) for a in call.args]


def test_there_are_lessons():
    assert LESSONS, "no lesson notebooks found"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_metadata_equals_catalog(lesson):
    nb = _nb(lesson)
    assert nb.metadata["lesson"] == lesson.metadata()
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_executed_in_order_without_errors(lesson):
    nb = _nb(lesson)
    code = [c for c in _code(nb) if c.source.strip()]
    counts = [c.execution_count for c in code]
    assert None not in counts, "unexecuted code cells: strict nbval would compare nothing"
    assert counts == list(range(1, len(code) + 1))
    for c in code:
        for out in c.outputs:
            assert out.output_type != "error", f"cell {c.execution_count} raised"
            assert out.get("name") != "stderr", f"cell {c.execution_count} wrote to stderr"
    assert sum(len(c.outputs) for c in code) >= len(code) // 2, "too few outputs to compare"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_small_no_widget_state_no_machine_paths(lesson):
    raw = lesson.path.read_text(encoding="utf-8")
    assert len(raw.encode()) < 1_000_000
    assert "application/vnd.jupyter.widget-state+json" not in raw
    assert not MACHINE_PATH.search(raw), MACHINE_PATH.search(raw)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_parameters_cell_first_and_matches_catalog(lesson):
    nb = _nb(lesson)
    first = _code(nb)[0]
    assert "parameters" in first.metadata.get("tags", [])
    names = {
        t.id
        for node in ast.parse(first.source).body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
    }
    assert names == set(lesson.parameters)
    for line in first.source.splitlines():  # every parameter documented beside it
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line, f"undocumented parameter line: {line!r}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_shape_sections_in_order(lesson):
    nb = _nb(lesson)
    headings = [
        m.group(1).strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in re.finditer(r"^## (.+)$", c.source, re.M)
    ]
    positions = []
    for section in SECTIONS:
        hits = [i for i, h in enumerate(headings) if h.startswith(section)]
        assert hits, f"missing section '## {section}'"
        positions.append(hits[0])
    assert positions == sorted(positions), f"sections out of order: {headings}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_header_checks_and_solutions(lesson):
    nb = _nb(lesson)
    assert [_literal_args(c) for c in _calls(nb, "header")] == [[lesson.id]]
    assert [_literal_args(c) for c in _calls(nb, "checks")] == [[lesson.id]]
    assert len(ui.load_checks(lesson.id)) >= 3
    tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert tagged, "no cell tagged 'solution'"
    assert _calls(nb, "references"), "no formatted references"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_predict_comes_before_any_simulation(lesson):
    nb = _nb(lesson)
    code = _code(nb)

    def first_index(names):
        for i, cell in enumerate(code):
            if any(re.search(rf"\b{n}\(", cell.source) for n in names):
                return i
        return None

    predict = first_index(["predict"])
    assert predict is not None, "no predict-first control"
    shown = first_index(["Explorer", "simulate", "explore", "show"])
    if shown is not None:
        assert predict < shown


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_passages_cover_the_catalog_paragraphs_and_are_discussed(lesson):
    nb = _nb(lesson)
    shown = set(article.expand([a for c in _calls(nb, "passages") for a in _literal_args(c)]))
    assert set(lesson.paragraphs) <= shown
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for pid in lesson.paragraphs:
        n = int(pid[1:])
        assert re.search(rf"¶\s?{n}\b|¶\d+[–-]{n}\b|¶{n}[–-]", prose), f"¶{n} never discussed"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_model_note_once_when_the_model_is_shown(lesson):
    nb = _nb(lesson)
    uses_model = bool(_calls(nb, "Explorer") or _calls(nb, "simulate"))
    notes = len(_calls(nb, "model_note"))
    assert notes == (1 if uses_model else notes) and notes <= 1


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_reference_list_is_printed_once(lesson):
    """One list of sources, at the end: a second list mid-lesson repeats it in front of a
    class."""
    assert len(_calls(_nb(lesson), "references")) == 1


def _word_runs(text: str, n: int) -> set[str]:
    words = re.findall(r"[\w’']+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


ARTICLE_RUNS = set().union(
    *(_word_runs(p.text, RETYPE_WORDS) for p in article.load_article().paragraphs)
)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_article_text_is_never_retyped(lesson):
    nb = _nb(lesson)
    for cell in nb.cells:
        copied = _word_runs(cell.source, RETYPE_WORDS) & ARTICLE_RUNS
        assert not copied, f"article text retyped in a {cell.cell_type} cell: {sorted(copied)[:2]}"


def test_every_body_paragraph_is_taught_by_an_existing_lesson():
    taught = load_catalog().coverage()
    missing = [pid for pid, lessons in taught.items() if not lessons]
    if len(LESSONS) == len(load_catalog().lessons):
        assert not missing, f"paragraphs not taught: {missing}"
    else:  # while lessons are being written, the report must still be right
        planned = {p for lesson in LESSONS for p in lesson.paragraphs}
        assert set(missing) == set(article.load_article().ids) - planned


def test_notebooks_are_valid_json_with_nbformat_4():
    for lesson in LESSONS:
        nb = json.loads(lesson.path.read_text(encoding="utf-8"))
        assert nb["nbformat"] == 4
        nbformat.validate(nbformat.from_dict(nb))


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_dollar_sign_is_left_for_jupyterlab_to_read_as_latex(lesson):
    """A bare ``$`` in Markdown (a cell, or a summary shown as Markdown) pairs with the next
    one into LaTeX in JupyterLab: "296.4 bn US$ … 4.4 bn US$" prints as run-together math.
    Summaries go through ``lessons.views.text.markdown_safe``."""
    bare = re.compile(r"(?<!\\)\$")
    found = []
    for i, cell in enumerate(_nb(lesson).cells):
        texts = [cell.source] if cell.cell_type == "markdown" else [
            "".join(out.get("data", {}).get("text/markdown", ""))
            for out in cell.get("outputs", [])]
        found += [f"cell {i}: {t[:80]!r}" for t in texts if bare.search(t)]
    assert not found, found
