"""One lesson × scenario: the job a worker runs, and the pages and cache stamp it writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lessons.publish import site
from lessons.publish.cache import _CACHE_VERSION, read_stamp
from lessons.publish.execute import ExecutionFailed, execute_privately, unexecuted_cells
from lessons.publish.export import copy_if_changed, export_page
from lessons.publish.guard import (
    atomic_write,
)
from lessons.publish.report import (
    ASSETS_DIR,
    DEFAULT_SCENARIO,
    EDITIONS,
    EXECUTED_DIR,
    FAILED,
    OK,
)
from lessons.sources.catalog import Lesson


@dataclass(frozen=True)
class PageJob:
    """One execution (lesson × scenario) and the editions to convert; picklable."""

    lesson: str
    title: str
    paragraphs: tuple[str, ...]
    paragraph_label: str
    minutes: int
    citation: str
    src: str
    key: str
    scenario: str | None
    parameters: Mapping[str, Any]
    editions: tuple[str, ...]
    out: str
    timeout: float | None
    digest: str
    execute: bool = True
    shown: tuple[str, ...] = ()
    #: publish the source notebook's committed outputs instead of executing it
    committed: bool = False
    #: the course for the sidebar: (id, title, notebook stem) of every catalog lesson
    nav: tuple[tuple[str, str, str], ...] = ()

    @property
    def scenario_label(self) -> str:
        return self.scenario or DEFAULT_SCENARIO

    def page_info(self, edition: str) -> dict[str, Any]:
        return {
            "id": self.lesson, "title": self.title, "edition": edition,
            "scenario": self.scenario, "paragraph_label": self.paragraph_label,
            "paragraphs": list(self.paragraphs), "minutes": self.minutes,
            "citation": self.citation, "notebook": Path(self.src).name,
            "parameters": {k: self.parameters[k] for k in self.shown},
            "assets": f"../{ASSETS_DIR}",
            "index": "../index.html", "src_dir": str(Path(self.src).parent),
            **_navigation_info(self.nav, self.lesson),
        }


def _navigation_info(course: Sequence[tuple[str, str, str]], lesson: str) -> dict[str, str]:
    """The sidebar, previous/next links and search field of a page (``lessons.publish.site``).

    The sidebar lists the whole catalog; the catalog is part of the project fingerprint,
    so a change to it re-renders every page. Links to lessons without a page in the site
    are marked by ``assets/search.js`` from the site's page list.
    """
    if not course:
        return {"sidebar": "", "pager": "", "search_box": ""}
    nav = site.navigation(course, [lid for lid, _, _ in course])
    return {"sidebar": site.sidebar_html(nav, lesson, "../index.html"),
            "pager": site.pager_html(*site.neighbours(nav, lesson)),
            "search_box": site.search_box_html("../index.html")}



def page_key(lesson: Lesson, src: Path, scenario: str | None) -> str:
    """File name (without suffix) of a page: the notebook's stem, plus the scenario.

    A scenario given as a file path becomes its file stem and a short hash of the path, so
    page names stay plain file names.
    """
    if scenario is None:
        return src.stem
    label = scenario
    if any(sep in scenario for sep in ("/", "\\")) or scenario.lower().endswith(
            (".yaml", ".yml", ".json")):
        short = hashlib.sha256(scenario.encode()).hexdigest()[:6]
        label = f"{Path(scenario).stem}-{short}"
    return f"{src.stem}--{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)}"




def run_page_job(job: PageJob) -> dict[str, Any]:
    """Execute one lesson × scenario (unless ``job.execute`` is False) and write its pages.

    Runs in a pool or dask worker. Never raises for a lesson's own failure: the result (also
    written as the cache stamp) says what happened.
    """
    import nbformat

    out = Path(job.out)
    executed = out / EXECUTED_DIR / f"{job.key}.ipynb"
    stamp_path = executed.with_suffix(".json")
    previous = read_stamp(stamp_path) or {}
    started = time.perf_counter()
    status, error, cell = OK, None, None
    page_errors: dict[str, str] = {}
    if job.execute:
        stamp_path.unlink(missing_ok=True)  # no stale "ok" stamp if this worker dies,
        executed.unlink(missing_ok=True)  # and no older run posing as this one's partial
        pages: dict[str, Any] = {}
        try:
            nb = execute_privately(job.src, executed, job.parameters, job.timeout)
        except ExecutionFailed as exc:
            status, error, cell, nb = FAILED, str(exc), exc.cell, None
        exec_seconds = time.perf_counter() - started
    else:
        nb = nbformat.read(executed, as_version=4)
        pages = dict(previous.get("pages", {}))
        exec_seconds = 0.0
        missing = unexecuted_cells(nb) if job.committed else []
        if missing:
            status, cell, nb = FAILED, missing[0], None
            error = (f"not executed: code cell(s) {missing[:5]} have no outputs or execution "
                     "count, so the page would lack them; run `lessons execute --in-place` "
                     "(or render without --no-execute)")
    page_seconds: dict[str, float] = {}
    for edition in job.editions if nb is not None else EDITIONS:
        target = out / edition / f"{job.key}.html"
        if nb is None:  # the execution failed: no page, and no stale page either
            target.unlink(missing_ok=True)
            continue
        t0 = time.perf_counter()
        try:
            text, charts = export_page(nb, job.page_info(edition))
            atomic_write(target, text)
            pages[edition] = {"html": target.relative_to(out).as_posix(), "charts": charts}
        except Exception as exc:  # a conversion bug must not stop the batch either
            page_errors[edition] = f"HTML export: {type(exc).__name__}: {exc}"
            target.unlink(missing_ok=True)
            pages.pop(edition, None)
        page_seconds[edition] = time.perf_counter() - t0
    if page_errors:
        status = FAILED
        error = error or "; ".join(page_errors.values())
    stamp = {
        "version": _CACHE_VERSION,
        "digest": job.digest,
        "lesson": job.lesson,
        "title": job.title,
        "paragraph_label": job.paragraph_label,
        "scenario": job.scenario,
        "parameters": dict(job.parameters),
        "status": status,
        "seconds": round(exec_seconds if job.execute else previous.get("seconds", 0.0), 3),
        "cell": cell,
        "error": error,
        "notebook": executed.relative_to(out).as_posix() if executed.exists() else None,
        "editions": sorted(set(job.editions) | set(pages), key=EDITIONS.index),
        "pages": pages,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    # the stamp comes last: only pages already in place are ever marked good
    atomic_write(stamp_path, json.dumps(stamp, indent=1, default=str) + "\n")
    return {**stamp, "exec_seconds": exec_seconds, "page_seconds": page_seconds,
            "page_errors": page_errors, "executed": job.execute}



def publish_committed(job: PageJob) -> PageJob:
    """Copy the source notebook in as the executed one: its committed outputs are the page."""
    out = Path(job.out) / EXECUTED_DIR
    (out / f"{job.key}.json").unlink(missing_ok=True)  # the old stamp described another run
    copy_if_changed(Path(job.src), out / f"{job.key}.ipynb")
    return replace(job, execute=False)
