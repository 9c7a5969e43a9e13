"""Benchmark of ``lessons render``: the whole site, against the naive command-line loop.

Rows (``make bench``):

- ``render_all_s``: every catalog lesson whose notebook exists, both editions, cold cache,
  into a temporary folder (``lessons.publish.render.render``, default workers).
- ``render_naive_s``: the same pages by a sequential loop of the ``papermill`` and
  ``jupyter nbconvert --to html`` command-line tools (one papermill and two nbconvert runs
  per lesson; the student edition with ``TagRemovePreprocessor``), in static mode too.
- ``render_cached_s``: the render again with nothing changed.
- ``render_all/naive`` (target 0.5) and ``render_cached/all`` (target 0.05).
- ``largest_page_kb`` and ``site_size_kb`` of the rendered site.

When no lesson notebook exists yet, the fixture notebooks of ``tests/fixtures/render``
(minus the deliberately failing one) stand in, and the notes say so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from lessons import mode
from lessons.paths import ROOT
from lessons.publish import render as R
from lessons.publish import report as run_report
from lessons.sources.catalog import Catalog, Lesson, load_catalog, parse_catalog

FIXTURES = ROOT / "tests" / "fixtures" / "render"
BIN = Path(sys.executable).parent


def _lessons() -> tuple[list[Lesson], Catalog, Path | None, str]:
    """The lessons to render, their catalog, notebooks folder, and a note on the choice."""
    catalog = load_catalog()
    found = [lesson for lesson in catalog if lesson.path.exists()]
    if found:
        ids = " ".join(lesson.id for lesson in found)
        return found, catalog, None, f"{len(found)} lesson(s) with notebooks: {ids}"
    fixtures = parse_catalog(yaml.safe_load((FIXTURES / "catalog.yaml").read_text("utf-8")))
    chosen = [lesson for lesson in fixtures if (FIXTURES / lesson.notebook).exists()
              and "broken" not in lesson.notebook]
    return chosen, fixtures, FIXTURES, (
        f"no lesson notebooks yet: {len(chosen)} fixture notebooks of tests/fixtures/render")


def _naive(lessons: list[Lesson], notebooks: Path, out: Path) -> tuple[float, int]:
    """Seconds for the sequential command-line loop over ``lessons``, and failed commands."""
    env = mode.static_env()
    failures = 0
    started = time.perf_counter()
    for lesson in lessons:
        src = notebooks / lesson.notebook
        executed = out / "executed" / src.name
        executed.parent.mkdir(parents=True, exist_ok=True)
        failures += subprocess.run(
            [str(BIN / "papermill"), str(src), str(executed), "-k", "python3",
             "--cwd", str(executed.parent), "--no-progress-bar"],
            env=env, capture_output=True).returncode != 0
        for edition in run_report.EDITIONS:
            extra = (["--TagRemovePreprocessor.remove_cell_tags=solution"]
                     if edition == "student" else [])
            failures += subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", *extra,
                 "--output-dir", str(out / edition), str(executed)],
                env=env, capture_output=True).returncode != 0
    return time.perf_counter() - started, failures


def _size_kb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1024


def _warm_up() -> None:
    """Load the stack once from disk, so neither contender pays for a cold file cache."""
    subprocess.run([sys.executable, "-c", "import papermill, nbconvert, plotly.graph_objects, "
                    "lessons.publish.render"], check=False, capture_output=True)


def run() -> list[dict]:
    """Render the site cold, cached, and the naive way; return the benchmark rows.

    Other people may edit ``lessons/``, ``data/`` or the notebooks while this runs, which
    would rightly invalidate the cache between the two renders. So the notebooks are copied
    first (every contender reads the copies), and the project fingerprint is still computed
    on every render (its cost counts) but the value of the first one is used for both.
    """
    lessons, catalog, notebooks, note = _lessons()
    jobs = os.cpu_count() or 1
    _warm_up()
    real_fingerprint = R.project_fingerprint
    snapshot = real_fingerprint()

    def pinned(*args: object, **kwargs: object) -> str:
        real_fingerprint(*args, **kwargs)
        return snapshot

    R.project_fingerprint = pinned
    try:
        with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
            copies = Path(tmp) / "notebooks"
            copies.mkdir()
            for lesson in lessons:
                src = (notebooks / lesson.notebook) if notebooks else lesson.path
                shutil.copyfile(src, copies / lesson.notebook)
            return _measure(lessons, catalog, copies, note, jobs, Path(tmp))
    finally:
        R.project_fingerprint = real_fingerprint


def _measure(lessons: list[Lesson], catalog: Catalog, notebooks: Path, note: str,
             jobs: int, tmp: Path) -> list[dict]:
    """Cold render, cached render, naive loop, in folders under ``tmp``; the rows."""
    site = tmp / "site"
    cold = R.render(lessons, out=site, catalog=catalog, notebooks_dir=notebooks,
                    progress=False)
    warm = R.render(lessons, out=site, catalog=catalog, notebooks_dir=notebooks,
                    progress=False)
    naive_s, naive_failures = _naive(lessons, notebooks, tmp / "naive")
    pages = [r.html for r in cold.rows if r.html is not None]
    published = [p for p in site.rglob("*") if p.is_file() and "executed" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size) if pages else None
    largest_kb = largest.stat().st_size / 1024 if largest else 0.0
    site_kb = _size_kb(published)
    assets_kb = _size_kb(list((site / "assets").glob("*")))
    executed_kb = _size_kb(list((site / "executed").glob("*")))
    failed = f"; {len(cold.failed)} page(s) FAILED" if cold.failed else ""
    all_s, cached_s = cold.seconds, warm.seconds
    return [
        {"name": "render_all_s", "value": all_s, "unit": "s",
         "note": f"{len(cold.rows)} pages, {jobs} workers; {note}{failed}"},
        {"name": "render_naive_s", "value": naive_s, "unit": "s",
         "note": "sequential papermill + 2x jupyter nbconvert CLI per lesson"
                 + (f"; {naive_failures} command(s) FAILED" if naive_failures else "")},
        {"name": "render_cached_s", "value": cached_s, "unit": "s",
         "note": f"second run: {warm.counts()['cached']} cached, {warm.executions} executed"},
        {"name": "render_all/naive", "value": all_s / naive_s, "unit": "ratio",
         "target": 0.5},
        {"name": "render_cached/all", "value": cached_s / all_s, "unit": "ratio",
         "target": 0.05},
        {"name": "largest_page_kb", "value": largest_kb, "unit": "KB",
         "note": largest.relative_to(site).as_posix() if largest else "no page"},
        {"name": "site_size_kb", "value": site_kb, "unit": "KB",
         "note": f"index + pages + assets ({assets_kb:.0f} KB, plotly.js once); "
                 f"executed notebooks beside it: {executed_kb:.0f} KB"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
