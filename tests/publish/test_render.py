"""Tests of ``lessons.publish.render``: papermill batch rendering to an offline HTML site.

Everything runs on the fixture notebooks and the fixture catalog in
``tests/fixtures/render/`` (``notebooks/`` is never read or written here). Kernels start
only where a test needs one; the site of the two main fixture lessons is rendered once per
module and shared.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from click.testing import CliRunner

from lessons.cli import render as render_cli
from lessons.publish import cache as render_cache
from lessons.publish import execute as execution
from lessons.publish import export
from lessons.publish import pages as page_jobs
from lessons.publish import render as R
from lessons.publish import report as run_report
from lessons.publish import site as site_module
from lessons.sources.catalog import CatalogError, parse_catalog

FIXTURES = Path(__file__).parent.parent / "fixtures" / "render"
CATALOG_FILE = FIXTURES / "catalog.yaml"
ALPHA, BETA, GAMMA, BROKEN = "91", "92", "93", "99"
#: the real fingerprint, kept before the module pins it (see ``pinned_fingerprint``)
REAL_FINGERPRINT = render_cache.project_fingerprint

slow = pytest.mark.slow


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


class _Refs(HTMLParser):
    """Collects script/stylesheet references, chart divs and Plotly calls of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.charts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self._in_script = True
            if "src" in a:
                self.refs.append(("script", a["src"]))
        if tag == "link":
            self.refs.append((f"link rel={a.get('rel', '')}", a.get("href", "")))
        if tag in {"img", "iframe"} and a.get("src"):
            self.refs.append((tag, a["src"]))
        if tag == "div" and "lessons-chart" in a.get("class", "").split():
            self.charts.append(a["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse_page(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fixture_nb(name: str):
    return nbformat.read(FIXTURES / name, as_version=4)


def solution_markers(name: str) -> set[str]:
    """The MARKERs written in the fixture's solution cells (computed, not pasted)."""
    found = set()
    for cell in fixture_nb(name).cells:
        if export.SOLUTION_TAG in cell.metadata.get("tags", []):
            found |= set(re.findall(r"[A-Z]+-SOLUTION-[A-Z]+", cell.source))
    return found


def cell_number(name: str, needle: str) -> int:
    """1-based position of the first cell of a fixture notebook whose source has ``needle``."""
    for i, cell in enumerate(fixture_nb(name).cells, start=1):
        if needle in cell.source:
            return i
    raise AssertionError(f"{needle!r} not in {name}")


def page(out: Path, edition: str, key: str) -> Path:
    return out / edition / f"{key}.html"


@pytest.fixture(scope="module")
def catalog():
    return parse_catalog(yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module", autouse=True)
def pinned_fingerprint():
    """Pin the project fingerprint for the module.

    Other people edit ``lessons/`` and ``data/`` while the suite runs; their edits would
    (rightly) invalidate the cache between two runs of a test. The fingerprint itself is
    tested on its own below.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(R, "project_fingerprint", lambda *a, **k: "pinned-for-tests")
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory, catalog):
    """Alpha and Beta, both editions, rendered once into a temporary site (2 workers)."""
    before = tree_hashes(FIXTURES)
    out = tmp_path_factory.mktemp("site")
    report = R.render([catalog.get(ALPHA), catalog.get(BETA)], out=out, catalog=catalog,
                      notebooks_dir=FIXTURES, jobs=2, progress=False)
    return SimpleNamespace(out=out, report=report, before=before, after=tree_hashes(FIXTURES))


# --------------------------------------------------------------------------------------
# the shared site: two lessons × both editions
# --------------------------------------------------------------------------------------


@slow
def test_two_lessons_both_editions_render(site):
    rows = site.report.rows
    assert site.report.ok, site.report.table()
    assert [(r.lesson, r.edition, r.status) for r in rows] == [
        (ALPHA, "student", "ok"), (ALPHA, "instructor", "ok"),
        (BETA, "student", "ok"), (BETA, "instructor", "ok"),
    ]
    assert site.report.executions == 2  # one execution per lesson serves both editions
    for r in rows:
        assert r.html is not None and r.html.exists()
        assert r.notebook == site.out / "executed" / r.notebook.name
    assert site.report.exit_code == 0


@slow
def test_solution_cells_only_in_instructor_edition(site):
    for key, name in (("alpha", "alpha.ipynb"), ("beta", "beta.ipynb")):
        markers = solution_markers(name)
        assert markers, f"fixture {name} has no solution markers"
        student = page(site.out, "student", key).read_text(encoding="utf-8")
        instructor = page(site.out, "instructor", key).read_text(encoding="utf-8")
        for marker in markers:
            assert marker not in student, (key, marker)
            assert marker in instructor, (key, marker)
        summary = f"{key.upper()}-SUMMARY"  # a non-solution cell is in both
        assert summary in student and summary in instructor


@slow
def test_no_external_script_or_stylesheet(site):
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) == 6  # 4 lesson pages, the index and the build report
    for path in pages:
        text = path.read_text(encoding="utf-8")
        refs = parse_page(path).refs
        for kind, url in refs:
            assert not url.startswith(("http://", "https://", "//")), (path.name, kind, url)
            if kind == "script" or "stylesheet" in kind:
                assert (path.parent / url).resolve().is_file(), (path.name, url)
        assert len(text) < 500_000, f"{path.name} embeds something big ({len(text)} bytes)"
    # plotly.js exists once for the whole site, from the installed plotly package
    copies = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*.js"))
    assert copies == ["assets/plotly.min.js", "assets/search-index.js", "assets/search.js"]
    assert (site.out / "assets/plotly.min.js").read_bytes() == export.plotly_js_path().read_bytes()
    for path in site.out.glob("*/alpha.html"):
        assert ("script", "../assets/plotly.min.js") in parse_page(path).refs
    css = (site.out / "assets/lab.css").read_text(encoding="utf-8")
    assert export.external_references(f"<style>{css}</style>") == []  # no web fonts either


@slow
def test_every_chart_present(site):
    for row in site.report.rows:
        executed = nbformat.read(row.notebook, as_version=4)
        expected = export.count_charts(export.edition_notebook(executed, row.edition))
        parsed = parse_page(row.html)
        assert len(parsed.charts) == expected, (row.lesson, row.edition)
        assert len(set(parsed.charts)) == len(parsed.charts)
        calls = "\n".join(parsed.scripts)
        for div_id in parsed.charts:
            assert f'document.getElementById("{div_id}")' in calls
        assert export.PLOTLY_MIME not in row.html.read_text(encoding="utf-8")
    alpha_nb = nbformat.read(site.out / "executed/alpha.ipynb", as_version=4)
    assert export.count_charts(alpha_nb) == 2  # the fixture's two fig.show() calls


@slow
def test_chart_ids_are_deterministic_and_shared_by_editions(site):
    student = parse_page(page(site.out, "student", "alpha")).charts
    instructor = parse_page(page(site.out, "instructor", "alpha")).charts
    assert student == instructor
    assert all(re.fullmatch(r"chart-\d+-\d+", i) for i in student)


@slow
def test_pages_keep_title_paragraphs_alt_text_and_replace_widgets(site, catalog):
    for key, lesson_id in (("alpha", ALPHA), ("beta", BETA)):
        lesson = catalog.get(lesson_id)
        for edition in run_report.EDITIONS:
            text = page(site.out, edition, key).read_text(encoding="utf-8")
            assert lesson.title in text
            assert lesson.paragraph_label in text
            assert all(p in text for p in lesson.paragraphs)
            assert f"{edition.capitalize()} edition" in text
    alpha = page(site.out, "student", "alpha").read_text(encoding="utf-8")
    assert "ALPHA-ALT-1" in alpha and "ALPHA-ALT-2" in alpha  # chart summaries stay
    beta = page(site.out, "student", "beta").read_text(encoding="utf-8")
    assert "BETA-ALT" in beta
    assert f'type="{export.WIDGET_MIME}"' not in beta  # no widget view script ...
    assert f'data-mime-type="{export.WIDGET_MIME}"' not in beta  # ... nor output
    assert "run this lesson in JupyterLab" in beta


@slow
def test_sources_byte_identical(site):
    assert site.before == site.after


@slow
def test_index_and_report_list_every_page(site):
    index = (site.out / "index.html").read_text(encoding="utf-8")
    report = site.out / "report.html"
    text = report.read_text(encoding="utf-8")
    for page in (site.out / "index.html", report):  # only the site's own local files
        refs = {url for kind, url in parse_page(page).refs}
        assert refs == {"assets/site-pages.css", "assets/print.css",
                        "assets/search-index.js", "assets/search.js"}
    for row in site.report.rows:
        href = row.html.relative_to(site.out).as_posix()
        assert f'href="{href}"' in text and f'href="{href}"' in index
    assert text.count('class="status-ok"') == 4
    assert 'href="report.html"' in index


@slow
def test_pages_carry_the_course_navigation(site, catalog):
    alpha = (site.out / "student/alpha.html").read_text(encoding="utf-8")
    for lesson in catalog:  # the sidebar lists the whole course, the current page marked
        assert f"{lesson.id} · {lesson.title}" in alpha
    assert alpha.count('aria-current="page"') == 1
    nxt = re.search(r'<a [^>]*class="lessons-next"[^>]*>', alpha)  # attribute order varies
    assert nxt and 'href="beta.html"' in nxt.group(0) and 'rel="next"' in nxt.group(0)
    assert 'class="lessons-prev"' not in alpha  # the first lesson has no previous one
    assert 'class="lessons-outline"' in alpha and site_module.OUTLINE_MARK not in alpha
    index_js = (site.out / "assets/search-index.js").read_text(encoding="utf-8")
    assert '"student/alpha.html"' in index_js and '"instructor/beta.html"' in index_js


@slow
def test_executed_notebooks_ran_in_static_mode_with_parameters(site):
    executed = nbformat.read(site.out / "executed/alpha.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'scenario = "calm"' in injected[0].source
    assert "widgets" not in executed.metadata  # store_widget_state=False
    # the fixture asserts LESSONS_STATIC=1 in its kernel; had it failed, no page
    assert "scenario is calm" in page(site.out, "student", "alpha").read_text(encoding="utf-8")


@slow
def test_second_run_reexecutes_nothing(site, catalog, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started although nothing changed")

    monkeypatch.setattr(execution, "execute_notebook", no_kernel)
    before = tree_hashes(site.out / "executed")
    again = R.render([catalog.get(ALPHA), catalog.get(BETA)], out=site.out, catalog=catalog,
                     notebooks_dir=FIXTURES, jobs=1, progress=False,
                     parameters={"scenario": "calm"})  # explicit defaults change nothing
    assert [r.status for r in again.rows] == ["cached"] * 4
    assert again.executions == 0
    assert tree_hashes(site.out / "executed") == before


@slow
def test_missing_page_is_converted_without_executing(site, catalog, tmp_path, monkeypatch):
    out = tmp_path / "site"
    shutil.copytree(site.out, out)
    page(out, "instructor", "beta").unlink()
    monkeypatch.setattr(execution, "execute_notebook",
                        lambda *a, **k: pytest.fail("kernel started"))
    report = R.render([catalog.get(BETA)], out=out, catalog=catalog, notebooks_dir=FIXTURES,
                      jobs=1, progress=False)
    assert [(r.edition, r.status, r.executed) for r in report.rows] == [
        ("student", "cached", False), ("instructor", "ok", False)]
    assert page(out, "instructor", "beta").exists()


# --------------------------------------------------------------------------------------
# failures, parameters, timeouts
# --------------------------------------------------------------------------------------


@slow
def test_failing_lesson_gives_summary_and_exit_1_while_others_render(site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site.out, out)  # alpha and beta come from the cache
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(CATALOG_FILE), "--notebooks", str(FIXTURES), "--out", str(out),
        "--lesson", ALPHA, "--lesson", BETA, "--lesson", BROKEN, "--no-progress", "-j", "2",
    ])
    assert result.exit_code == 1, result.output
    table = [line.split() for line in result.stdout.splitlines()]
    assert table[0] == ["lesson", "edition", "scenario", "status", "seconds", "cell", "error"]
    broken = [line for line in table if line[0] == BROKEN]
    failing = cell_number("broken.ipynb", "x / 0")
    assert len(broken) == 2
    for line in broken:
        assert line[4:6] == ["default", "failed"]
        assert line[7] == str(failing)
        assert line[8:] == ["ZeroDivisionError:", "division", "by", "zero"]
    others = [line for line in table if line[0] in (ALPHA, BETA)]
    assert len(others) == 4 and all(line[-2] == "cached" for line in others)
    # the partial notebook is kept, with the error, and no page is written for it
    partial = nbformat.read(out / "executed/broken.ipynb", as_version=4)
    errors = [o for c in partial.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ZeroDivisionError"
    assert not list(out.glob("*/broken.html"))
    index = (out / "report.html").read_text(encoding="utf-8")
    assert "ZeroDivisionError" in index and 'href="executed/broken.ipynb"' in index


def test_bad_parameters_rejected_before_any_kernel(catalog, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("work started despite invalid parameters")

    import papermill

    monkeypatch.setattr(execution, "execute_notebook", boom)
    monkeypatch.setattr(R, "dispatch", boom)
    monkeypatch.setattr(papermill, "execute_notebook", boom)
    lessons = [catalog.get(ALPHA)]
    cases = [
        ({"theta": 0.5}, None, "unknown parameter 'theta'"),
        ({"delay": "slow"}, None, "must be float"),
        ({"delay": 99}, None, "outside its range"),
        ({}, ["stormy"], "not a valid choice"),
    ]
    for parameters, scenarios, expected in cases:
        out = tmp_path / "never"
        with pytest.raises(CatalogError) as info:
            R.render(lessons, out=out, parameters=parameters, scenarios=scenarios,
                     catalog=catalog, notebooks_dir=FIXTURES, progress=False)
        message = str(info.value)
        assert expected in message
        for parameter in catalog.get(ALPHA).parameters.values():
            assert parameter.describe() in message  # every valid parameter is listed
        assert not out.exists()
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(CATALOG_FILE), "--notebooks", str(FIXTURES),
        "--out", str(tmp_path / "cli"), "--lesson", ALPHA, "-p", "delay", "-1"])
    assert result.exit_code == 2
    assert "outside its range" in result.output and "Valid parameters" in result.output
    assert not (tmp_path / "cli").exists()


def test_missing_notebook_fails_without_a_kernel(catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "execute_notebook",
                        lambda *a, **k: pytest.fail("kernel started"))
    empty = tmp_path / "notebooks"
    empty.mkdir()
    report = R.render([ALPHA], out=tmp_path / "site", catalog=catalog, notebooks_dir=empty,
                      progress=False)
    assert [(r.edition, r.status) for r in report.rows] == [
        ("student", "failed"), ("instructor", "failed")]
    assert "notebook not found" in report.rows[0].error and report.exit_code == 1
    assert "notebook not found" in (tmp_path / "site/report.html").read_text(encoding="utf-8")
    executed = R.execute_lessons([ALPHA], in_place=True, out=tmp_path / "failed",
                                 catalog=catalog, notebooks_dir=empty, progress=False)
    assert [r.status for r in executed.rows] == ["failed"] and executed.skipped == []
    assert list(empty.iterdir()) == []


def test_params_command_lists_parameters(catalog):
    result = CliRunner().invoke(render_cli.params_cmd, [ALPHA, "--catalog", str(CATALOG_FILE)])
    assert result.exit_code == 0, result.output
    for parameter in catalog.get(ALPHA).parameters.values():
        assert parameter.describe() in result.output
    unknown = CliRunner().invoke(render_cli.params_cmd, ["77", "--catalog", str(CATALOG_FILE)])
    assert unknown.exit_code == 2 and "valid lessons" in unknown.output


@slow
def test_per_cell_timeout_fails_the_lesson(catalog, tmp_path):
    report = R.render([catalog.get(GAMMA)], out=tmp_path, catalog=catalog,
                      notebooks_dir=FIXTURES, parameters={"delay": 30}, timeout=5,
                      editions="student", jobs=1, progress=False)  # 5 s: even a loaded
    # machine runs the trivial cells before the sleep well within it (1 s was flaky)
    (row,) = report.rows
    assert row.status == "failed" and report.exit_code == 1
    assert row.cell == cell_number("gamma.ipynb", "time.sleep(delay)")
    assert "timed out" in row.error.lower() or "timeout" in row.error.lower()
    assert row.seconds < 20
    partial = nbformat.read(tmp_path / "executed/gamma.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in partial.cells for o in c.get("outputs", []))


@slow
def test_scenario_variants(catalog, tmp_path):
    report = R.render([catalog.get(ALPHA)], out=tmp_path, catalog=catalog,
                      notebooks_dir=FIXTURES, scenarios=["calm", "tense"],
                      editions=("student",), jobs=2, progress=False)
    assert report.ok, report.table()
    assert [(r.scenario, r.html.name) for r in report.rows] == [
        ("calm", "alpha--calm.html"), ("tense", "alpha--tense.html")]
    tense = (tmp_path / "student/alpha--tense.html").read_text(encoding="utf-8")
    assert "scenario is tense" in tense and "Escalation under the tense scenario" in tense
    assert "Scenario: <code>tense</code>" in tense
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "alpha--calm.html" in index and "alpha--tense.html" in index


# --------------------------------------------------------------------------------------
# dask, in-place execution
# --------------------------------------------------------------------------------------


@slow
def test_render_on_a_local_dask_cluster(catalog, tmp_path):
    import distributed
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        with distributed.Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
        # the two quickest fixtures (no plotly import in the kernel), one of them failing
        report = R.render([catalog.get(GAMMA), catalog.get(BROKEN)], out=tmp_path,
                          catalog=catalog, notebooks_dir=FIXTURES,
                          dask=cluster.scheduler_address, progress=False)
    statuses = {(r.lesson, r.edition): r.status for r in report.rows}
    assert statuses == {(GAMMA, "student"): "ok", (GAMMA, "instructor"): "ok",
                        (BROKEN, "student"): "failed", (BROKEN, "instructor"): "failed"}
    assert "GAMMA-DONE" in page(tmp_path, "student", "gamma").read_text(encoding="utf-8")
    for key in ("gamma", "broken"):
        stamp = json.loads((tmp_path / f"executed/{key}.json").read_text())
        pid = int(stamp["worker"].rsplit(":", 1)[1])
        assert pid in worker_pids and pid != os.getpid()


@slow
def test_execute_in_place_replaces_only_on_success(catalog, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("gamma.ipynb", "broken.ipynb"):
        shutil.copyfile(FIXTURES / name, notebooks / name)
    broken_before = (notebooks / "broken.ipynb").read_bytes()
    result = CliRunner().invoke(render_cli.execute_cmd, [  # no IDs: every notebook that exists
        "--in-place", "--catalog", str(CATALOG_FILE),
        "--notebooks", str(notebooks), "--out", str(tmp_path / "failed"), "--no-progress",
    ])
    assert result.exit_code == 1, result.output
    assert f"skipped (no notebook yet): {ALPHA}, {BETA}" in result.output
    assert (notebooks / "broken.ipynb").read_bytes() == broken_before
    assert (tmp_path / "failed/broken.ipynb").exists()  # the partial run, kept aside
    executed = nbformat.read(notebooks / "gamma.ipynb", as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert any("GAMMA-DONE" in o.get("text", "") for o in outputs)
    assert "papermill" not in executed.metadata
    assert all("papermill" not in c.metadata and "execution" not in c.metadata
               for c in executed.cells)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    assert sorted(p.name for p in notebooks.iterdir()) == ["broken.ipynb", "gamma.ipynb"]
    missing = CliRunner().invoke(render_cli.execute_cmd, [GAMMA, "--catalog", str(CATALOG_FILE)])
    assert missing.exit_code == 2 and "--in-place" in missing.output


# --------------------------------------------------------------------------------------
# units (no kernel)
# --------------------------------------------------------------------------------------


def test_external_references_are_found():
    page = """<script src="https://cdn.example/require.js"></script>
    <link rel="stylesheet" href="//fonts.example/fa.css"><a href="https://example.org">ok</a>
    <style>@import url("https://fonts.example/x.css"); .a { background: url(data:,x) }</style>
    <div style="background: url(http://example.org/bg.png)"></div>
    <script src="../assets/plotly.min.js"></script><link rel="stylesheet" href="lab.css">"""
    assert export.external_references(page) == [
        "<script> https://cdn.example/require.js", "<link> //fonts.example/fa.css",
        "css https://fonts.example/x.css", "css http://example.org/bg.png"]


def test_a_page_that_needs_the_network_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={
            "text/html": '<script src="https://cdn.example/quiz.js"></script>'})])])
    info = {"id": "91", "title": "T", "edition": "student", "scenario": None,
            "paragraph_label": "¶1", "paragraphs": ["P01"], "minutes": 1, "citation": "c",
            "notebook": "t.ipynb", "parameters": {}, "assets": "../assets",
            "index": "../index.html"}
    with pytest.raises(export.ExternalReferenceError, match=r"cdn\.example"):
        export.export_page(nb, info)
    nb.cells[0].outputs = []
    text, charts = export.export_page(nb, info)
    assert charts == 0 and export.external_references(text) == []


def test_plotly_html_is_inert_and_deterministic():
    figure = {"data": [{"type": "scatter", "y": [1, 2], "name": "</script><b>"}],
              "layout": {"title": {"text": "A & B"}, "height": 300}}
    first = export.plotly_html(figure, "chart-3-0")
    assert first == export.plotly_html(figure, "chart-3-0")
    assert first.count("</script>") == 1  # only the real end tag
    assert 'id="chart-3-0"' in first and "height:300px" in first
    assert 'aria-label="Chart: A &amp; B"' in first


def test_convert_rich_outputs_and_editions():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("fig.show()", outputs=[
            nbformat.v4.new_output("display_data", data={export.PLOTLY_MIME: {"data": []}}),
            nbformat.v4.new_output("stream", text="summary"),
        ]),
        nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
            "display_data", data={export.WIDGET_MIME: {"model_id": "x"}, "text/plain": "W"})]),
        nbformat.v4.new_markdown_cell("answer", metadata={"tags": [export.SOLUTION_TAG]}),
    ])
    assert export.count_charts(nb) == 1
    assert export.convert_rich_outputs(nb) == 1
    assert export.count_charts(nb) == 1  # converted charts still count
    assert 'id="chart-0-0"' in nb.cells[0].outputs[0].data["text/html"]
    assert list(nb.cells[1].outputs[0].data) == ["text/html"]
    assert len(export.edition_notebook(nb, "student").cells) == 2
    assert len(export.edition_notebook(nb, "instructor").cells) == 3
    with pytest.raises(ValueError):
        export.edition_notebook(nb, "teacher")


def test_failing_cell_skips_papermill_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("p = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("p = 2", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("ok"),
        nbformat.v4.new_code_cell("bad"),
        nbformat.v4.new_code_cell("later"),
    ])
    started = ["t0", "t1", "t2", "t3", None]  # papermill marks the last "completed" anyway
    for cell, start in zip(nb.cells, started, strict=True):
        cell.metadata["papermill"] = {"status": "completed", "exception": False,
                                      "start_time": start}
    assert execution._failing_cell(nb) == (3, 3)  # a timeout: the last cell that started
    nb.cells[3].metadata["papermill"]["exception"] = True
    nb.cells[4].metadata["papermill"]["start_time"] = "t4"
    assert execution._failing_cell(nb) == (3, 3)


def test_fingerprint_covers_lock_data_and_package(tmp_path):
    root, package = tmp_path / "root", tmp_path / "root" / "lessons"
    (root / "requirements").mkdir(parents=True)
    (root / "data" / "scenarios").mkdir(parents=True)
    (package / "publish" / "templates" / "t").mkdir(parents=True)
    files = {
        root / "requirements" / "lock.txt": "a==1",
        root / "data" / "links.csv": "x,y",
        root / "data" / "scenarios" / "s.yaml": "k: 1",
        package / "model.py": "X = 1",
        package / "catalog.yaml": "lessons: []",
        package / "publish" / "templates" / "t" / "index.html.j2": "{{ x }}",
    }
    for path, text in files.items():
        path.write_text(text)
    (package / "notes.md").write_text("ignored")
    base = REAL_FINGERPRINT(root, package)
    assert base == REAL_FINGERPRINT(root, package)
    (package / "notes.md").write_text("still ignored")
    assert REAL_FINGERPRINT(root, package) == base
    for path, text in files.items():
        path.write_text(text + " ")
        assert REAL_FINGERPRINT(root, package) != base, path
        path.write_text(text)
    assert REAL_FINGERPRINT(root, package) == base


def test_page_digest_changes_with_notebook_and_parameters():
    base = render_cache.page_digest(b"nb", {"a": 1, "b": 2}, "fp")
    assert base == render_cache.page_digest(b"nb", {"b": 2, "a": 1}, "fp")
    assert base != render_cache.page_digest(b"nb ", {"a": 1, "b": 2}, "fp")
    assert base != render_cache.page_digest(b"nb", {"a": 1, "b": 3}, "fp")
    assert base != render_cache.page_digest(b"nb", {"a": 1, "b": 2}, "fp2")


def test_scenario_files_count_by_content_and_give_plain_page_names(tmp_path):
    scenario = tmp_path / "my group.yaml"
    scenario.write_text("name: mine\n")
    params = {"scenario": str(scenario)}
    before = render_cache.page_digest(b"nb", params, "fp")
    scenario.write_text("name: mine, edited\n")
    assert render_cache.page_digest(b"nb", params, "fp") != before
    src = Path("/somewhere/04_x.ipynb")
    key = page_jobs.page_key(None, src, str(scenario))
    assert re.fullmatch(r"04_x--my-group-[0-9a-f]{6}", key)
    assert page_jobs.page_key(None, src, "tense") == "04_x--tense"
    assert page_jobs.page_key(None, src, None) == "04_x"


def test_report_table_and_exit_code():
    report = run_report.RenderReport(rows=[
        run_report.PageResult("01", "One", "student", "default", "ok", 1.25),
        run_report.PageResult("02", "Two", "student", "default", "failed", 0.5, cell=7,
                     error="ValueError: " + "x" * 200),
    ])
    lines = report.table().splitlines()
    assert lines[0].split() == ["lesson", "edition", "scenario", "status", "seconds", "cell",
                                "error"]
    assert lines[2].split()[-1] == "1.2"  # lesson column holds "01 One": 2 words
    assert lines[3].split()[6] == "7" and lines[3].endswith("…")
    assert report.exit_code == 1 and report.counts() == {"ok": 1, "cached": 0, "failed": 1}


# --------------------------------------------------------------------------------------
# publishing committed outputs (render --no-execute); the pages in a real browser are
# tested in tests/browser/test_static_site.py
# --------------------------------------------------------------------------------------


@slow
def test_committed_outputs_publish_without_a_kernel(site, catalog, tmp_path, monkeypatch):
    """An executed notebook, published as it is, gives the same charts as executing it."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copyfile(site.out / "executed" / "alpha.ipynb", notebooks / "alpha.ipynb")
    before = tree_hashes(notebooks)
    monkeypatch.setattr(execution, "execute_notebook",
                        lambda *a, **k: pytest.fail("kernel started"))
    out = tmp_path / "site"
    report = R.render([ALPHA], out=out, catalog=catalog, notebooks_dir=notebooks,
                      progress=False, execute=False)
    assert [(r.edition, r.status, r.executed) for r in report.rows] == [
        ("student", "ok", False), ("instructor", "ok", False)]
    for edition in run_report.EDITIONS:
        assert (parse_page(page(out, edition, "alpha")).charts
                == parse_page(page(site.out, edition, "alpha")).charts)
    assert tree_hashes(notebooks) == before
    again = R.render([ALPHA], out=out, catalog=catalog, notebooks_dir=notebooks,
                     progress=False, execute=False)
    assert {r.status for r in again.rows} == {"cached"}


def test_unexecuted_notebook_is_refused_by_name_and_the_rest_publish(site, catalog, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copyfile(site.out / "executed" / "alpha.ipynb", notebooks / "alpha.ipynb")
    shutil.copyfile(FIXTURES / "beta.ipynb", notebooks / "beta.ipynb")  # never executed
    out = tmp_path / "site"
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(CATALOG_FILE), "--notebooks", str(notebooks), "--out", str(out),
        "--lesson", ALPHA, "--lesson", BETA, "--no-execute", "--jobs", "1", "--no-progress"])
    assert result.exit_code == 1, result.output
    assert re.search(r"not executed: code cell\(s\) \[1, ", result.output), result.output
    assert "lessons execute --in-place" in result.output
    assert page(out, "student", "alpha").exists()
    assert not page(out, "student", "beta").exists()


def test_scenarios_and_parameters_need_execution(catalog, tmp_path):
    with pytest.raises(CatalogError, match=r"scenarios \['tense'\]"):
        R.render([ALPHA], out=tmp_path, catalog=catalog, notebooks_dir=FIXTURES,
                 scenarios=["tense"], execute=False, progress=False)
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(CATALOG_FILE), "--notebooks", str(FIXTURES), "--out", str(tmp_path),
        "--lesson", ALPHA, "-p", "delay", "1", "--no-execute"])
    assert result.exit_code == 2 and "'delay': '1'" in result.output, result.output
