"""Batch rendering: execute lessons with papermill and publish an offline HTML site.

``lessons render`` executes each catalog lesson once per scenario with papermill (static mode,
``LESSONS_STATIC=1``), into the output folder, never touching ``notebooks/``; derives the
student edition (cells tagged ``solution`` removed) and the instructor edition from the same
executed notebook; converts both to HTML that works with the network switched off; and writes
an ``index.html`` listing every page.

Layout of the site (``out``)::

    index.html                             every page by lesson, edition, scenario, status
    assets/plotly.min.js                   plotly.js, once for the whole site (copied from the
                                           installed plotly package at render time)
    assets/lab.css                         JupyterLab's notebook stylesheet, shared by all pages
    student/<stem>[--<scenario>].html      student edition (no solutions)
    instructor/<stem>[--<scenario>].html   instructor edition (with solutions)
    executed/<stem>[--<scenario>].ipynb    the executed notebook (partial if the lesson failed)
    executed/<stem>[--<scenario>].json     its cache stamp: input hash, status, pages

This module plans a batch and orchestrates it; the parts live beside it:
:mod:`~lessons.publish.cache` (the cache keys), :mod:`~lessons.publish.pages` (one lesson ×
scenario in a worker), :mod:`~lessons.publish.execute` (papermill),
:mod:`~lessons.publish.export` (notebook to offline HTML), :mod:`~lessons.publish.pool` (a
:mod:`concurrent.futures` process pool, ``jobs``, or a dask.distributed scheduler, ``dask``;
the workers must see the same file system), :mod:`~lessons.publish.index_page` (the site's
own pages) and :mod:`~lessons.publish.report` (what a run did). The ``lessons render``,
``lessons execute`` and ``lessons params`` commands are in :mod:`lessons.cli.render`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lessons import paths
from lessons.paths import BUILD_DIR
from lessons.publish.cache import page_digest, project_fingerprint, read_stamp
from lessons.publish.execute import ExecJob, run_exec_job
from lessons.publish.export import install_assets
from lessons.publish.guard import (
    atomic_write,
    check_output_dir,
    remove_stale_temporaries,
)
from lessons.publish.index_page import write_index
from lessons.publish.pages import PageJob, page_key, publish_committed, run_page_job
from lessons.publish.pool import dispatch
from lessons.publish.report import (
    ASSETS_DIR,
    CACHED,
    DEFAULT_SCENARIO,
    EDITIONS,
    EXECUTED_DIR,
    FAILED,
    OK,
    PageResult,
    RenderInterrupted,
    RenderRefused,
    RenderReport,
)
from lessons.sources.catalog import Catalog, CatalogError, Lesson, load_catalog

#: Default site folder of ``lessons render``.
DEFAULT_SITE = BUILD_DIR / "site"


def _editions(editions: str | Iterable[str]) -> tuple[str, ...]:
    wanted = [editions] if isinstance(editions, str) else list(editions)
    if "both" in wanted:
        wanted = list(EDITIONS)
    bad = [e for e in wanted if e not in EDITIONS]
    if bad or not wanted:
        raise ValueError(f"unknown edition(s) {bad}: choose from {list(EDITIONS)} or 'both'")
    return tuple(e for e in EDITIONS if e in wanted)


def _resolve_lessons(lessons: Iterable[Lesson | str] | None, catalog: Catalog) -> list[Lesson]:
    if lessons is None:
        return list(catalog)
    return [item if isinstance(item, Lesson) else catalog.get(item) for item in lessons]


def _source(lesson: Lesson, notebooks_dir: Path | None) -> Path:
    return (Path(notebooks_dir) / lesson.notebook) if notebooks_dir else lesson.path


def _load_scenario(path: str | Path) -> Any:
    """The model's scenario-file loader, imported only when a scenario file is given."""
    from lessons.model import load_scenario

    return load_scenario(path)


def check_all_parameters(
    lessons: Sequence[Lesson],
    scenarios: Sequence[str] | None,
    parameters: Mapping[str, Any] | None,
) -> dict[tuple[str, str | None], dict[str, Any]]:
    """Check every (lesson, scenario) before any kernel starts.

    Returns
    -------
    dict
        ``(lesson id, scenario or None)`` → the checked parameters (defaults filled in).

    Raises
    ------
    CatalogError
        Listing every problem; each message lists the lesson's valid parameters with type,
        default and range.
    """
    checked: dict[tuple[str, str | None], dict[str, Any]] = {}
    problems: list[str] = []
    for lesson in lessons:
        for scenario in scenarios or [None]:
            given = dict(parameters or {})
            if scenario is not None:
                given["scenario"] = scenario
            try:
                checked[(lesson.id, scenario)] = lesson.check_parameters(given, _load_scenario)
            except CatalogError as exc:
                if str(exc) not in problems:
                    problems.append(str(exc))
    if problems:
        raise CatalogError("\n\n".join(problems))
    return checked



def render(
    lessons: Sequence[Lesson | str] | None = None,
    *,
    out: str | Path = DEFAULT_SITE,
    editions: str | Sequence[str] = EDITIONS,
    scenarios: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    jobs: int | None = None,
    timeout: float | None = 120,
    force: bool = False,
    dask: str | None = None,
    catalog: Catalog | None = None,
    progress: bool | None = None,
    notebooks_dir: str | Path | None = None,
    execute: bool = True,
) -> RenderReport:
    """Render lessons to an offline HTML site in ``out``; ``notebooks/`` is only read.

    Parameters
    ----------
    lessons : sequence of Lesson or str, optional
        Lessons (or IDs) to render; default every lesson of the catalog.
    out : str or Path
        Site folder (created). Executed notebooks and cache stamps go to ``out/executed``.
    editions : str or sequence of str
        ``"student"``, ``"instructor"``, ``"both"``, or a sequence of the first two.
    scenarios : sequence of str, optional
        Render one variant per scenario (``scenario=NAME`` is passed as a parameter and
        checked like any other). Default: one variant with the lesson's defaults.
    parameters : mapping, optional
        Papermill parameters for every lesson (values may be strings, as from a command
        line: they are converted and checked against the catalog).
    jobs : int, optional
        Parallel worker processes (default: the number of cores).
    timeout : float or None
        Per-cell limit in seconds (``None`` or ``0``: none).
    force : bool
        Re-render even when the cache says nothing changed.
    dask : str, optional
        Address of a dask.distributed scheduler to send the work to instead of the local
        pool (its workers must see ``out`` and the notebooks at the same paths).
    catalog : Catalog, optional
        Catalog to resolve IDs and parameters (default: ``lessons/sources/catalog.yaml``).
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).
    notebooks_dir : str or Path, optional
        Folder holding the notebooks (default: the catalog's, ``notebooks/``).
    execute : bool
        ``False`` publishes each notebook's committed outputs as they are, without a
        kernel: seconds instead of minutes for a whole site. The lessons are committed
        executed in static mode and strict nbval proves those outputs current, so the
        pages are the same as after executing. A notebook with an unexecuted code cell
        fails (its page would lack outputs); scenarios and parameters need execution and
        are refused.

    Returns
    -------
    RenderReport
        One row per page; ``report.exit_code`` is 1 when any page failed.

    Raises
    ------
    CatalogError
        Before any kernel starts, for an unknown lesson or any invalid parameter.
    """
    started = time.perf_counter()
    catalog = catalog or load_catalog()
    chosen = _resolve_lessons(lessons, catalog)
    wanted = _editions(editions)
    if not execute and (scenarios or parameters):
        raise CatalogError(
            "publishing committed outputs (execute=False, --no-execute) cannot apply "
            f"scenarios {list(scenarios or [])} or parameters {dict(parameters or {})}: "
            "they need the lesson to run; drop them, or render with execution")
    checked = check_all_parameters(chosen, scenarios, parameters)
    out = prepare_output(out, _read_folders(chosen, notebooks_dir))
    (out / EXECUTED_DIR).mkdir(exist_ok=True)
    if execute:
        check_data()
    install_assets(out)
    fingerprint = project_fingerprint()
    from lessons.sources import article

    citation = article.citation()
    course = tuple((ls.id, ls.title, Path(ls.notebook).stem) for ls in catalog)

    rows: list[PageResult] = []
    todo: list[PageJob] = []
    expected: dict[str, PageJob] = {}
    for lesson in chosen:
        src = _source(lesson, Path(notebooks_dir) if notebooks_dir else None).resolve()
        for scenario in scenarios or [None]:
            label = scenario or DEFAULT_SCENARIO
            if not src.exists():
                rows += [PageResult(lesson.id, lesson.title, e, label, FAILED,
                                    error=f"notebook not found: {src}") for e in wanted]
                continue
            params = checked[(lesson.id, scenario)]
            job = PageJob(
                lesson=lesson.id, title=lesson.title, paragraphs=lesson.paragraphs,
                paragraph_label=lesson.paragraph_label, minutes=lesson.minutes,
                citation=citation, src=str(src), key=page_key(lesson, src, scenario),
                scenario=scenario, parameters=params, editions=wanted, out=str(out),
                timeout=timeout,
                digest=page_digest(src.read_bytes(),
                                   params if execute else {**params, "_committed": True},
                                   fingerprint),
                shown=tuple(k for k in params if k in (parameters or {}) or (
                    k == "scenario" and scenario is not None)),
                committed=not execute,
                nav=course,
            )
            expected[job.key] = job
            cached, job = _cache_state(job, out, force)
            rows += cached
            if job is not None:
                todo.append(publish_committed(job) if job.committed and job.execute else job)

    todo.sort(key=lambda j: _expected_cost(j, out), reverse=True)  # longest first
    interrupted = False
    try:
        for job, result in dispatch(run_page_job, todo, jobs=jobs, dask=dask, progress=progress,
                                     desc="render"):
            rows += _rows_from_result(expected[job.key], job, result, out)
    except KeyboardInterrupt:
        interrupted = True  # the pages finished so far are whole and listed below

    order = {(job.lesson, job.scenario_label): i for i, job in enumerate(expected.values())}
    rows.sort(key=lambda r: (r.lesson, order.get((r.lesson, r.scenario), -1),
                             EDITIONS.index(r.edition) if r.edition in EDITIONS else 9))
    report = RenderReport(rows=rows, out=out)
    report.index = write_index(out, report, catalog)
    report.seconds = time.perf_counter() - started
    if interrupted:
        raise RenderInterrupted(report)
    return report


def _read_folders(lessons: Sequence[Lesson], notebooks_dir: str | Path | None) -> list[Path]:
    """The folders a run reads notebooks from (the output may not touch them)."""
    if notebooks_dir is not None:
        return [Path(notebooks_dir)]
    return sorted({lesson.path.parent for lesson in lessons})


def prepare_output(out: str | Path, reads: Iterable[str | Path] = ()) -> Path:
    """Check ``out`` with the output guard, create it, and prove it can be written.

    Leftovers of a killed run (temporary files of dead processes) are removed, so the
    next run starts clean.

    Raises
    ------
    OutputRefused
        When ``out`` would write into an input (see :func:`lessons.publish.guard.check_output_dir`).
    RenderRefused
        When ``out`` cannot be created or written (read-only, full): one line naming it.
    """
    target = check_output_dir(out, reads=reads)
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = atomic_write(target / f".probe-{os.getpid()}", b"ok")
        probe.unlink()
        remove_stale_temporaries(target, (EXECUTED_DIR, ASSETS_DIR, *EDITIONS))
    except OSError as exc:
        raise RenderRefused(_os_problem(target, exc)) from None
    return target


def _os_problem(folder: Path, exc: OSError) -> str:
    """One line for a file-system failure while writing into ``folder``."""
    reason = exc.strerror or type(exc).__name__
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot write into {folder}: {reason}{where}"


def check_data() -> None:
    """Validate the project's data package once, before any kernel starts.

    Every lesson reads ``data/``; a broken file would otherwise fail each kernel in turn,
    deep inside a cell.

    Raises
    ------
    RenderRefused
        Listing every problem, by file, row and column.
    """
    if not (paths.DATA_DIR / "datapackage.json").is_file():
        return
    from lessons import data

    try:
        data.validate(paths.DATA_DIR)
    except data.DataError as exc:
        raise RenderRefused(f"the data package is broken; no lesson was run:\n{exc}") from None


def _expected_cost(job: PageJob, out: Path) -> tuple[float, int]:
    """How long ``job`` will take: its last run's seconds, then its notebook's size.

    Starting the longest executions first keeps all workers busy until the end.
    """
    if not job.execute:
        return (0.0, 0)
    stamp = read_stamp(out / EXECUTED_DIR / f"{job.key}.json") or {}
    return (float(stamp.get("seconds") or 0.0), Path(job.src).stat().st_size)


def _cache_state(job: PageJob, out: Path, force: bool) -> tuple[list[PageResult], PageJob | None]:
    """Cached rows, and the work left: the full job, a conversion only, or nothing."""
    if force:
        return [], job
    stamp = read_stamp(out / EXECUTED_DIR / f"{job.key}.json")
    executed = out / EXECUTED_DIR / f"{job.key}.ipynb"
    if (not stamp or stamp.get("digest") != job.digest or stamp.get("status") != OK
            or not executed.exists()):
        return [], job
    pages = stamp.get("pages", {})
    missing = tuple(e for e in job.editions
                    if e not in pages or not (out / pages[e]["html"]).exists())
    rows = [
        PageResult(job.lesson, job.title, e, job.scenario_label, CACHED, 0.0,
                   html=out / pages[e]["html"], notebook=executed)
        for e in job.editions if e not in missing
    ]
    if not missing:
        return rows, None
    return rows, replace(job, editions=missing, execute=False)




def _rows_from_result(
    planned: PageJob, job: PageJob, result: dict[str, Any] | BaseException, out: Path
) -> list[PageResult]:
    if isinstance(result, BaseException):  # the worker itself broke (not the lesson)
        error = f"{type(result).__name__}: {result}"
        return [PageResult(job.lesson, job.title, e, job.scenario_label, FAILED, error=error)
                for e in job.editions]
    rows = []
    notebook = out / result["notebook"] if result.get("notebook") else None
    for edition in job.editions:
        page = result["pages"].get(edition)
        failed = result["status"] == FAILED and (page is None or edition in result["page_errors"])
        rows.append(PageResult(
            lesson=job.lesson, title=job.title, edition=edition, scenario=job.scenario_label,
            status=FAILED if failed else OK,
            seconds=round(result["exec_seconds"] + result["page_seconds"].get(edition, 0.0), 2),
            cell=result["cell"] if failed else None,
            error=(result["page_errors"].get(edition) or result["error"]) if failed else None,
            html=out / page["html"] if page else None,
            notebook=notebook,
            executed=result["executed"],
        ))
    return rows



def execute_lessons(
    lessons: Sequence[Lesson | str] | None = None,
    *,
    in_place: bool = False,
    out: str | Path | None = None,
    timeout: float | None = 120,
    jobs: int | None = None,
    dask: str | None = None,
    catalog: Catalog | None = None,
    notebooks_dir: str | Path | None = None,
    progress: bool | None = None,
) -> RenderReport:
    """Re-execute lesson notebooks with their default parameters, in static mode.

    Parameters
    ----------
    lessons : sequence of Lesson or str, optional
        Lessons (or IDs); default every catalog lesson whose notebook exists (the others
        are listed in ``report.skipped``). A named lesson without a notebook fails.
    in_place : bool
        Replace each source notebook with its executed version, only on success (each runs
        in a temporary file first, with the notebooks folder as working directory).
        Papermill and timing metadata are removed so committed diffs show outputs only.
    out : str or Path, optional
        With ``in_place``: where partial notebooks of failed lessons are kept (default
        ``build/executed``). Without: where executed notebooks are written.
    timeout, jobs, dask, catalog, notebooks_dir, progress
        As for :func:`render`.

    Returns
    -------
    RenderReport
        One row per notebook (edition ``"notebook"``).
    """
    if not in_place and out is None:
        raise ValueError("give out=... or in_place=True")
    started = time.perf_counter()
    catalog = catalog or load_catalog()
    chosen = _resolve_lessons(lessons, catalog)
    target_dir = prepare_output(out or BUILD_DIR / EXECUTED_DIR,
                                _read_folders(chosen, notebooks_dir))
    check_data()
    rows: list[PageResult] = []
    skipped: list[str] = []
    todo: list[ExecJob] = []
    for lesson in chosen:
        src = _source(lesson, Path(notebooks_dir) if notebooks_dir else None).resolve()
        if not src.exists() and lessons is None:
            skipped.append(lesson.id)
            continue
        if not src.exists():
            rows.append(PageResult(lesson.id, lesson.title, "notebook", DEFAULT_SCENARIO,
                                   FAILED, error=f"notebook not found: {src}"))
            continue
        todo.append(ExecJob(lesson.id, lesson.title, src.stem, str(src),
                             str(target_dir / src.name), timeout, in_place))
    for job, result in dispatch(run_exec_job, todo, jobs=jobs, dask=dask, progress=progress,
                                 desc="execute"):
        if isinstance(result, BaseException):
            result = {"status": FAILED, "error": f"{type(result).__name__}: {result}",
                      "cell": None, "seconds": 0.0, "path": None}
        rows.append(PageResult(
            job.lesson, job.title, "notebook", DEFAULT_SCENARIO, result["status"],
            round(result["seconds"], 2), result["cell"], result["error"],
            notebook=Path(result["path"]) if result["path"] else None, executed=True,
        ))
    rows.sort(key=lambda r: r.lesson)
    return RenderReport(rows=rows, out=target_dir, seconds=time.perf_counter() - started,
                        skipped=skipped)

