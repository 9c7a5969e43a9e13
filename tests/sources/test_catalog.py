"""The lesson catalog: well-formed, parameters validated, README agrees with it."""

from __future__ import annotations

import ast
import json

import pytest
from click.testing import CliRunner

from lessons.cli import main
from lessons.cli.commands import lesson_table_markdown
from lessons.paths import ROOT
from lessons.sources import article
from lessons.sources.catalog import SHARED_VIEWS, CatalogError, load_catalog, parse_catalog


def test_ids_in_order_and_unique():
    ids = load_catalog().ids
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))


def test_every_lesson_is_complete_and_consistent():
    cat = load_catalog()
    valid = set(article.load_article().ids)
    for lesson in cat:
        assert lesson.notebook.startswith(f"{lesson.id}_") and lesson.notebook.endswith(".ipynb")
        assert set(lesson.paragraphs) <= valid
        assert 3 <= len(lesson.objectives) <= 6, lesson.id
        assert 10 <= lesson.minutes <= 120
        assert "scenario" in lesson.parameters and "seed" in lesson.parameters
        for p in lesson.prerequisites:
            assert cat.get(p).id < lesson.id, f"{lesson.id} requires a later lesson {p}"


def test_catalog_plan_covers_every_paragraph():
    planned = {pid for lesson in load_catalog() for pid in lesson.paragraphs}
    assert planned == set(article.load_article().ids)


def test_get_accepts_numbers_and_rejects_unknown_with_choices():
    cat = load_catalog()
    assert cat.get(4) is cat.get("04")
    with pytest.raises(CatalogError, match=r"valid lessons are \['00'"):
        cat.get("42")


def test_check_parameters_converts_and_rejects():
    lesson = load_catalog().get("04")
    ok = lesson.check_parameters({"theta": "0.25", "horizon": 10})
    assert ok["theta"] == 0.25 and ok["horizon"] == 10 and ok["scenario"] == "mid_2024"
    with pytest.raises(CatalogError) as err:
        lesson.check_parameters({"thta": 1, "horizon": 99, "scenario": "nowhere", "seed": True})
    msg = str(err.value)
    for expected in ("unknown parameter 'thta'", "outside its range 5 to 50",
                     "not a valid choice", "must be int", "Valid parameters for lesson 04",
                     "theta (float, default 0.8; 0.0 to 1.0)"):
        assert expected in msg


def test_malformed_catalog_entries_are_named():
    with pytest.raises(CatalogError, match=r"lesson #1: missing field\(s\) \['title'"):
        parse_catalog({"lessons": [{"id": "00"}]})
    entry = {"id": "00", "title": "t", "notebook": "00_t.ipynb", "paragraphs": [],
             "minutes": 5, "objectives": ["x"],
             "parameters": {"n": {"type": "int", "default": 9, "min": 0, "max": 3}}}
    with pytest.raises(CatalogError, match="outside its range"):
        parse_catalog({"lessons": [entry]})
    with pytest.raises(CatalogError, match="objectives must be text"):
        parse_catalog({"lessons": [{**entry, "objectives": [{"a": "b"}]}]})
    with pytest.raises(CatalogError, match="duplicate lesson IDs"):
        parse_catalog({"lessons": [{**entry, "parameters": {}}] * 2})


def test_readme_lesson_table_is_generated_from_the_catalog():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert lesson_table_markdown() in readme


def test_cli_list_and_coverage():
    runner = CliRunner()
    out = runner.invoke(main, ["list"])
    assert out.exit_code == 0
    for lesson in load_catalog():
        assert lesson.title in out.output
    cov = runner.invoke(main, ["coverage"])
    assert cov.exit_code == 0
    taught = sum(bool(v) for v in load_catalog().coverage().values())
    assert f"{taught}/21 paragraphs taught" in cov.output


def test_cli_rejects_unknown_command():
    out = CliRunner().invoke(main, ["frobnicate"])
    assert out.exit_code != 0 and "No such command" in out.output


def test_scenario_parameter_accepts_a_valid_scenario_file(tmp_path):
    from lessons.model import load_scenario, save_scenario

    lesson = load_catalog().get("04")
    mine = tmp_path / "mine.yaml"
    save_scenario(load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True), mine)
    checked = lesson.check_parameters({"scenario": str(mine)}, load_scenario)
    assert checked["scenario"] == str(mine.resolve())
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntoggles: {no_such_toggle: true}\n")
    with pytest.raises(CatalogError, match=r"scenario file .* is invalid"):
        lesson.check_parameters({"scenario": str(bad)}, load_scenario)
    with pytest.raises(CatalogError, match="does not exist"):
        lesson.check_parameters({"scenario": str(tmp_path / "missing.yaml")}, load_scenario)
    with pytest.raises(CatalogError, match=r"or a path to a \.yaml/\.yml/\.json file"):
        lesson.check_parameters({"scenario": "nowhere"})


def test_scenario_file_without_a_loader_is_refused_not_trusted(tmp_path):
    """The catalog cannot check a file itself (it sits below the model), so it refuses one."""
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\ntoggles: {no_such_toggle: true}\n")
    with pytest.raises(CatalogError, match="no scenario loader was given"):
        load_catalog().get("04").check_parameters({"scenario": str(mine)})


# --------------------------------------------------------------------------- views


def _import_cell_views(lesson) -> set[str]:
    """Modules of lessons.views and lessons.live the notebook's import cell imports.

    The import cell is the first code cell that imports from ``lessons`` (read from the
    ``.ipynb`` JSON, parsed with :mod:`ast`, so that comments and strings do not count).
    """
    notebook = json.loads(lesson.path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lessons"):
                found |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("lessons")}
        if found:
            return {m for m in found if m.startswith(("lessons.views.", "lessons.live."))}
    raise AssertionError(f"{lesson.notebook} has no cell importing from lessons")


def test_every_lesson_names_the_view_modules_its_notebook_imports():
    for lesson in load_catalog():
        assert lesson.views, lesson.id
        for name in lesson.views:
            path = ROOT.joinpath(*name.split(".")).with_suffix(".py")
            assert path.is_file(), f"lesson {lesson.id}: no module {name} ({path})"
        imported = _import_cell_views(lesson)
        assert set(lesson.views) == imported - set(SHARED_VIEWS), lesson.id


def test_malformed_views_entries_are_named():
    entry = {"id": "00", "title": "t", "notebook": "00_t.ipynb", "paragraphs": [],
             "minutes": 5, "objectives": ["x"]}
    assert parse_catalog({"lessons": [entry]}).get("00").views == ()
    for views, message in [("lessons.views.flows", "must be a list"),
                           (["lessons.model.engine"], "not modules of lessons.views"),
                           (["lessons.live.widgets"], "which every lesson uses"),
                           (["lessons.views.flows"] * 2, "lists a module twice")]:
        with pytest.raises(CatalogError, match=message):
            parse_catalog({"lessons": [{**entry, "views": views}]})
