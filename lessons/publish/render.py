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

Plotly figures are written by lessons with the default ``plotly_mimetype`` renderer
(``application/vnd.plotly.v1+json``), which nbconvert's HTML export cannot show; each such
output becomes a ``<div>`` and a ``Plotly.newPlot`` call with a deterministic id
(``chart-<cell>-<output>``). Widget views cannot work without a kernel: any that slipped
through static mode is replaced by a note.

Work is dispatched through a :mod:`concurrent.futures` process pool (``jobs``), or to a
dask.distributed scheduler (``dask``); the workers must see the same file system.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import datetime as dt
import filecmp
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import click

from lessons import mode, paths
from lessons.paths import BUILD_DIR
from lessons.publish import site
from lessons.publish.guard import (
    OutputRefused,
    atomic_copy,
    atomic_write,
    check_output_dir,
    remove_stale_temporaries,
    temporary_file,
)
from lessons.sources.catalog import Catalog, CatalogError, Lesson, load_catalog

#: The two editions of every page.
EDITIONS: tuple[str, ...] = ("student", "instructor")
#: Cells with this tag hold solutions: the student edition drops them.
SOLUTION_TAG = "solution"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Shown instead of a widget view (a widget needs a kernel; the page has none).
WIDGET_NOTE = (
    "Interactive widget: run this lesson in JupyterLab to use it. "
    "This static page shows the lesson's static figures instead."
)
#: the installed ``lessons`` package (its files feed the render fingerprint)
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: nbconvert template in ``lessons/publish/templates/``: the ``lab`` template without CDN links.
TEMPLATE_NAME = "lessons"
#: Default site folder of ``lessons render``.
DEFAULT_SITE = BUILD_DIR / "site"
#: Name of the default variant (no ``--scenario``) in tables.
DEFAULT_SCENARIO = "default"
#: Row statuses.
OK, FAILED, CACHED = "ok", "failed", "cached"

_PAPERMILL_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})
#: Bump when the page format changes, so old stamps stop matching.
_CACHE_VERSION = "lessons-render-1"
_EXECUTED = "executed"
_ASSETS = "assets"


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """One row of a :class:`RenderReport`: one page (lesson × edition × scenario).

    Attributes
    ----------
    lesson, title : str
        Catalog ID and title of the lesson.
    edition : str
        ``"student"`` or ``"instructor"`` (``"notebook"`` for ``lessons execute`` rows).
    scenario : str
        Scenario name, or ``"default"`` for the lesson's default parameters.
    status : str
        ``"ok"`` (rendered now), ``"cached"`` (inputs unchanged, nothing re-run) or
        ``"failed"``.
    seconds : float
        Wall time spent on this page in this run (execution shared by both editions plus
        this edition's conversion); 0 when cached.
    cell : int or None
        1-based position of the failing cell in the source notebook.
    error : str or None
        ``"ExceptionName: message"`` of the failure.
    html, notebook : Path or None
        The page written, and the executed (or partial) notebook.
    executed : bool
        Whether a kernel ran for this page in this run.
    """

    lesson: str
    title: str
    edition: str
    scenario: str
    status: str
    seconds: float = 0.0
    cell: int | None = None
    error: str | None = None
    html: Path | None = None
    notebook: Path | None = None
    executed: bool = False


@dataclass
class RenderReport:
    """What a :func:`render` (or :func:`execute_lessons`) run did, one row per page."""

    rows: list[PageResult] = field(default_factory=list)
    out: Path | None = None
    index: Path | None = None
    seconds: float = 0.0
    #: lesson IDs left out because their notebook does not exist (``execute_lessons`` only)
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[PageResult]:
        """The rows whose status is ``"failed"``."""
        return [r for r in self.rows if r.status == FAILED]

    @property
    def ok(self) -> bool:
        """True when no page failed."""
        return not self.failed

    @property
    def exit_code(self) -> int:
        """Process exit status for the command line: 0 when all pages are fine, else 1."""
        return 0 if self.ok else 1

    @property
    def executions(self) -> int:
        """How many notebook executions (kernel runs) this run made."""
        return len({(r.lesson, r.scenario) for r in self.rows if r.executed})

    def counts(self) -> dict[str, int]:
        """Number of rows per status."""
        out = {OK: 0, CACHED: 0, FAILED: 0}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def table(self, width: int = 72) -> str:
        """A plain-text summary table: lesson, edition, scenario, status, seconds, cell, error.

        Parameters
        ----------
        width : int
            Errors longer than this are cut (the full text is in the index and the
            executed notebook).
        """
        head = ("lesson", "edition", "scenario", "status", "seconds", "cell", "error")
        body = []
        for r in self.rows:
            error = r.error or ""
            if len(error) > width:
                error = error[: width - 1] + "…"
            body.append((
                f"{r.lesson} {r.title}", r.edition, r.scenario, r.status,
                f"{r.seconds:.1f}", "" if r.cell is None else str(r.cell), error,
            ))
        widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h)
                  for i, h in enumerate(head)]
        numeric = {4, 5}

        def fmt(row: Sequence[str]) -> str:
            cells = [c.rjust(w) if i in numeric else c.ljust(w)
                     for i, (c, w) in enumerate(zip(row, widths, strict=True))]
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(head), rule, *(fmt(row) for row in body)])

    def failures(self) -> str:
        """Each failed lesson × scenario with its whole error (the table shortens errors)."""
        seen: dict[tuple[str, str], str] = {}
        for r in self.failed:
            where = f"cell {r.cell}: " if r.cell else ""
            seen.setdefault((r.lesson, r.scenario), f"{where}{r.error}")
        return "\n".join(f"{lesson} ({scenario}) {text}"
                         for (lesson, scenario), text in seen.items())

    def summary(self) -> str:
        """One line: pages per status and the run's wall time."""
        from lessons.views.summaries import plural

        c = self.counts()
        return (f"{plural(len(self.rows), 'page')}: {c[OK]} rendered, {c[CACHED]} cached, "
                f"{c[FAILED]} failed in {self.seconds:.1f} s")


# --------------------------------------------------------------------------------------
# Executing one notebook
# --------------------------------------------------------------------------------------


class ExecutionFailed(RuntimeError):
    """A notebook raised, timed out or lost its kernel; the partial notebook was saved.

    Attributes
    ----------
    cell : int or None
        1-based position of the failing cell in the source notebook (``None`` when no cell
        ran, e.g. the kernel did not start).
    path : Path
        Where the partial executed notebook is.
    """

    def __init__(self, message: str, *, cell: int | None, path: Path) -> None:
        super().__init__(message)
        self.cell = cell
        self.path = path


@cache
def _kernel_manager_class() -> type:
    """A kernel manager that starts every kernel in static mode (``LESSONS_STATIC=1``).

    The environment is given to the kernel process only, so nothing in the calling process
    (a pool or dask worker, a test) changes. CurveZMQ transport encryption is switched on
    when pyzmq supports it (it silences ipykernel's plain-TCP warning on every start).
    """
    import zmq
    from jupyter_client import AsyncKernelManager

    class StaticKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if zmq.has("curve"):
                self.transport_encryption = "auto"

        async def start_kernel(self, **kw: Any) -> None:
            env = dict(kw.pop("env", None) or os.environ)
            env.update({mode.ENV_VAR: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
            await super().start_kernel(env=env, **kw)

    return StaticKernelManager


def execute_notebook(
    src: str | Path,
    dst: str | Path,
    parameters: Mapping[str, Any] | None = None,
    timeout: float | None = 120,
    *,
    cwd: str | Path | None = None,
    kernel_name: str = "python3",
) -> Any:
    """Execute ``src`` with papermill into ``dst`` in static mode; ``src`` is only read.

    The kernel runs with ``LESSONS_STATIC=1``; no widget state is stored; the kernel is shut
    down immediately at the end (no shutdown stall).

    Parameters
    ----------
    src, dst : str or Path
        Source notebook and where to write the executed notebook (folders are created).
    parameters : mapping, optional
        Papermill parameters, injected after the cell tagged ``parameters``. Nothing is
        injected when empty. Check them first (:meth:`Lesson.check_parameters`).
    timeout : float or None
        Limit per cell in seconds (papermill's ``execution_timeout``); ``None`` or ``0``
        for none.
    cwd : str or Path, optional
        Working directory of the kernel; default a fresh temporary folder.
    kernel_name : str
        Kernel to run (default ``python3``: this environment's ipykernel).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (also written to ``dst``).

    Raises
    ------
    ExecutionFailed
        When a cell raised or timed out, or the kernel died; the partial notebook is saved
        in ``dst`` with the error, and the exception names the failing cell.
    """
    import papermill

    src, dst = Path(src), Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    # failures are reported in the summary; papermill's own log lines would only interleave
    # with the progress bar
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="lessons-render-") as scratch:
        try:
            return papermill.execute_notebook(
                str(src),
                str(dst),
                parameters=dict(parameters or {}),
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                cwd=str(cwd or scratch),
                execution_timeout=timeout or None,
                store_widget_state=False,
                shutdown_kernel="immediate",
                kernel_manager_class=_kernel_manager_class(),
            )
        except Exception as exc:  # a cell error, a timeout, a dead kernel
            raise _execution_failed(exc, dst) from exc


def _execution_failed(exc: Exception, dst: Path) -> ExecutionFailed:
    """Describe a failed execution, marking the failing cell in the partial notebook."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        message = f"{exc.ename}: {exc.evalue}"
    else:
        lines = str(exc).strip().splitlines()
        message = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    cell = None
    if dst.exists():
        try:
            nb = nbformat.read(dst, as_version=4)
        except Exception:  # a half-written file: keep it for inspection as it is
            return ExecutionFailed(message, cell=None, path=dst)
        index, cell = _failing_cell(nb)
        if (index is not None and not isinstance(exc, PapermillExecutionError)
                and nb.cells[index].cell_type == "code"):
            # papermill marks cell errors itself; a timeout or a dead kernel it does not
            target = nb.cells[index]
            target.setdefault("outputs", []).append(nbformat.v4.new_output(
                "error", ename=type(exc).__name__, evalue=message, traceback=[message]))
            target.metadata.setdefault("papermill", {})["exception"] = True
            nbformat.write(nb, dst)
    return ExecutionFailed(message, cell=cell, path=dst)


def _failing_cell(nb: Any) -> tuple[int | None, int | None]:
    """(index in ``nb``, 1-based position in the source notebook) of the failing cell.

    The failing cell is the one papermill marked with an exception, else the last cell that
    started (a timeout; papermill marks cells that never ran "completed" at the end, but
    leaves their start time empty). Cells papermill added (injected parameters, error
    banners) are not counted in the source position.
    """
    number = 0
    last: tuple[int | None, int | None] = (None, None)
    for index, cell in enumerate(nb.cells):
        if _PAPERMILL_TAGS & set(cell.metadata.get("tags", [])):
            continue
        number += 1
        meta = cell.metadata.get("papermill", {})
        if meta.get("exception"):
            return index, number
        if meta.get("start_time"):
            last = (index, number)
    return last


def _clean_for_commit(nb: Any) -> Any:
    """Drop run-specific metadata (papermill timings, nbclient timestamps) from ``nb``."""
    nb.metadata.pop("papermill", None)
    nb.cells = [c for c in nb.cells
                if not _PAPERMILL_TAGS & set(c.metadata.get("tags", []))]
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


# --------------------------------------------------------------------------------------
# Notebook → page
# --------------------------------------------------------------------------------------


def plotly_html(figure: Mapping[str, Any], div_id: str) -> str:
    """HTML for one Plotly figure: a ``<div>`` and a ``Plotly.newPlot`` call.

    The page must load plotly.js (the site's ``assets/plotly.min.js``) before this runs.

    Parameters
    ----------
    figure : mapping
        The ``application/vnd.plotly.v1+json`` payload (``data``, ``layout``, ``config``).
    div_id : str
        Deterministic element id (e.g. ``chart-5-0``: cell 5, output 0).
    """
    layout = dict(figure.get("layout") or {})
    config = {"responsive": True, "displaylogo": False, **(figure.get("config") or {})}
    height = layout.get("height") or 450
    title = layout.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    label = f"Chart: {title}" if title else "Chart"
    payload = json.dumps([figure.get("data") or [], layout, config], separators=(",", ":"))
    # keep the JSON inert inside <script>: no "</script>", no HTML comment openers
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<div id="{div_id}" class="plotly-graph-div lessons-chart" role="img" '
        f'aria-label="{html.escape(str(label))}" '
        f'style="height:{int(height)}px; width:100%;"></div>\n'
        '<script type="text/javascript">\n'
        f"(function () {{ var fig = {payload};\n"
        f'  var el = document.getElementById("{div_id}");\n'
        "  if (window.Plotly) { Plotly.newPlot(el, fig[0], fig[1], fig[2]); }\n"
        '  else { el.textContent = "This chart needs assets/plotly.min.js (not loaded)."; }\n'
        "})();\n"
        "</script>"
    )


def convert_rich_outputs(nb: Any) -> int:
    """Rewrite outputs a static page cannot show; return the number of charts.

    Each Plotly output becomes ``text/html`` from :func:`plotly_html` (id
    ``chart-<cell index>-<output index>``); each widget view becomes a short note. The
    notebook is changed in place.
    """
    import nbformat

    charts = 0
    for ci, cell in enumerate(nb.cells):
        for oi, output in enumerate(cell.get("outputs", [])):
            data = output.get("data") or {}
            if PLOTLY_MIME in data:
                div_id = f"chart-{ci}-{oi}"
                output["data"] = nbformat.from_dict(
                    {"text/html": plotly_html(data[PLOTLY_MIME], div_id)})
                output["metadata"] = nbformat.from_dict({"lessons": {"chart": div_id}})
                charts += 1
            elif WIDGET_MIME in data:
                note = f'<p class="lessons-widget-note"><em>{html.escape(WIDGET_NOTE)}</em></p>'
                output["data"] = nbformat.from_dict({"text/html": note})
                output["metadata"] = nbformat.from_dict({})
    return charts


def edition_notebook(nb: Any, edition: str) -> Any:
    """A copy of ``nb`` for one edition: ``student`` drops cells tagged ``solution``.

    Papermill's error banner cells are dropped from both editions.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: choose from {list(EDITIONS)}")
    out = copy.deepcopy(nb)

    def keep(cell: Any) -> bool:
        tags = set(cell.metadata.get("tags", []))
        if "papermill-error-cell-tag" in tags:
            return False
        return not (edition == "student" and SOLUTION_TAG in tags)

    out.cells = [c for c in out.cells if keep(c)]
    return out


def count_charts(nb: Any) -> int:
    """Number of Plotly outputs in ``nb`` (before or after :func:`convert_rich_outputs`)."""
    return sum(
        1
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in (output.get("data") or {})
        or "chart" in (output.get("metadata") or {}).get("lessons", {})
    )


class _ExternalRefs(HTMLParser):
    """Collects references a page would fetch from elsewhere (see :func:`external_references`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        url = values.get(_FETCHED.get(tag, ""), "")
        if _is_external(url):
            self.found.append(f"<{tag}> {url}")
        self._css(values.get("style", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            if _is_external(match.group(1)):
                self.found.append(f"css {match.group(1)}")


#: tag -> the attribute whose URL a browser fetches when it loads the page
_FETCHED: Mapping[str, str] = {
    "script": "src", "link": "href", "iframe": "src", "embed": "src", "object": "data",
    "source": "src", "audio": "src", "video": "src",
}
_CSS_URL = re.compile(r"""(?:@import\s+(?:url\(\s*)?|url\(\s*)['"]?([^'")\s;]+)""",
                      re.IGNORECASE)


def _is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def external_references(page: str) -> list[str]:
    """Everything ``page`` would load from another host: scripts, stylesheets, fonts, frames.

    Links (``<a href>``) and images are not counted: a link is not loaded, and an image
    from elsewhere does not stop the page from working offline.
    """
    parser = _ExternalRefs()
    parser.feed(page)
    return parser.found


@cache
def _exporter() -> Any:
    """The HTML exporter (one per process): the offline ``lessons`` template."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
    )


def export_page(nb: Any, info: Mapping[str, Any]) -> tuple[str, int]:
    """Convert an executed notebook to one offline HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not changed).
    info : mapping
        Banner fields: ``id``, ``title``, ``edition``, ``scenario``, ``paragraph_label``,
        ``paragraphs``, ``minutes``, ``citation``, ``notebook``, ``parameters``, and the
        relative links ``assets`` and ``index``; ``src_dir`` resolves relative images.

    Returns
    -------
    (str, int)
        The HTML text and the number of charts in it.

    Raises
    ------
    ExternalReferenceError
        When an output would make the page load a script, stylesheet or font from the
        network (e.g. an HTML output with a CDN ``<script src>``).
    """
    page = copy.deepcopy(nb)
    convert_rich_outputs(page)  # before dropping cells: ids match between editions
    page = edition_notebook(page, info["edition"])
    page.metadata.pop("widgets", None)
    charts = count_charts(page)
    name = f"{info['id']} {info['title']} ({info['edition']} edition)"
    page.metadata["title"] = name
    resources = {
        "metadata": {"name": name, "path": str(info.get("src_dir", "."))},
        "lessons": {**info, "charts": charts},
    }
    body, _ = _exporter().from_notebook_node(page, resources=resources)
    body = site.fill_outline(body)
    outside = external_references(body)
    if outside:
        raise ExternalReferenceError(
            "the page would load from the network (the site must work offline): "
            + ", ".join(outside[:5]))
    return body, charts


class ExternalReferenceError(ValueError):
    """A page would load a script, stylesheet or font from another host."""


# --------------------------------------------------------------------------------------
# Planning, cache, assets
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
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
            "assets": f"../{_ASSETS}",
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


def project_fingerprint(root: Path | None = None, package_dir: Path | None = None) -> str:
    """Hash of the inputs every page shares: lock file, ``data/``, ``seeds/``, package, Python.

    Parameters
    ----------
    root : Path, optional
        Project root (default :data:`lessons.paths.ROOT`) holding ``requirements/lock.txt``
        (the versions of papermill, nbconvert, plotly and plotly.js), ``data/`` and
        ``seeds/`` (the article the pages quote); every file of the two folders counts.
    package_dir : Path, optional
        The ``lessons`` package (default the installed one): every ``.py``, ``.yaml`` and
        ``.json`` file in it, and every file of its ``templates/`` (page template, styles).

    The Python version counts too. An output folder never feeds back into the hash: the
    output guard keeps it out of ``data/``, ``seeds/`` and the package.
    """
    root = paths.ROOT if root is None else root
    package_dir = PACKAGE_DIR if package_dir is None else package_dir
    templates = package_dir / "publish" / "templates"
    files: list[tuple[str, Path]] = [("requirements/lock.txt", root / "requirements" / "lock.txt")]
    for name in ("data", "seeds"):
        folder = root / name
        if folder.is_dir():
            files += [(f"{name}/{p.relative_to(folder).as_posix()}", p)
                      for p in sorted(folder.rglob("*")) if p.is_file()]
    for p in sorted(package_dir.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts:
            continue
        if p.suffix in {".py", ".yaml", ".yml", ".json"} or templates in p.parents:
            files.append((f"lessons/{p.relative_to(package_dir).as_posix()}", p))
    digest = hashlib.sha256(_CACHE_VERSION.encode())
    digest.update(sys.version.encode() + b"\0")
    for name, path in files:
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def page_digest(notebook: bytes, parameters: Mapping[str, Any], fingerprint: str) -> str:
    """Cache key of one execution: notebook bytes, parameters and the project fingerprint.

    A parameter naming a file (a scenario file, checked by the catalog into an absolute
    path) counts with the file's content, so editing the file re-renders its pages.
    """
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(notebook)
    digest.update(json.dumps(dict(parameters), sort_keys=True, default=str).encode())
    for name in sorted(parameters):
        value = parameters[name]
        if isinstance(value, str) and os.path.isabs(value) and Path(value).is_file():
            digest.update(name.encode() + b"\0" + Path(value).read_bytes())
    return digest.hexdigest()


def _page_key(lesson: Lesson, src: Path, scenario: str | None) -> str:
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


def _copy_if_changed(src: Path, dst: Path) -> None:
    if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
        atomic_copy(src, dst)


def plotly_js_path() -> Path:
    """The installed plotly package's ``plotly.min.js`` (the same version the kernels use)."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.exists():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package: {path}")
    return path


def _lab_static_dir() -> Path:
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates"):
        static = Path(base) / "lab" / "static"
        if (static / "index.css").exists():
            return static
    raise FileNotFoundError("nbconvert's lab template (lab/static/index.css) was not found")


#: The course site's own files, copied from ``lessons/publish/templates/lessons/static``: the
#: search and the collapsible blocks' behaviour, the handout stylesheet, and the style
#: of the site's own pages (index, report).
SITE_ASSETS = ("search.js", "print.css", "site-pages.css")


def install_assets(out: Path) -> Path:
    """Write the site's shared files into ``out/assets`` (only when they changed).

    ``plotly.min.js`` is copied from the installed plotly package; ``lab.css`` is
    JupyterLab's notebook stylesheet (from nbconvert's ``lab`` template) plus the site's own
    rules (``lessons/publish/templates/lessons/static/site.css``).
    """
    assets = Path(out) / _ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    _copy_if_changed(plotly_js_path(), assets / "plotly.min.js")
    static = _lab_static_dir()
    css = "\n".join([
        (static / "index.css").read_text(encoding="utf-8"),
        (static / "theme-light.css").read_text(encoding="utf-8"),
        (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "site.css").read_text(encoding="utf-8"),
    ])
    target = assets / "lab.css"
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        atomic_write(target, css)
    for name in SITE_ASSETS:
        _copy_if_changed(TEMPLATES_DIR / TEMPLATE_NAME / "static" / name, assets / name)
    return assets


def _read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------------------
# Workers
# --------------------------------------------------------------------------------------


def _run_job(job: _Job) -> dict[str, Any]:
    """Execute one lesson × scenario (unless ``job.execute`` is False) and write its pages.

    Runs in a pool or dask worker. Never raises for a lesson's own failure: the result (also
    written as the cache stamp) says what happened.
    """
    import nbformat

    out = Path(job.out)
    executed = out / _EXECUTED / f"{job.key}.ipynb"
    stamp_path = executed.with_suffix(".json")
    previous = _read_stamp(stamp_path) or {}
    started = time.perf_counter()
    status, error, cell = OK, None, None
    page_errors: dict[str, str] = {}
    if job.execute:
        stamp_path.unlink(missing_ok=True)  # no stale "ok" stamp if this worker dies,
        executed.unlink(missing_ok=True)  # and no older run posing as this one's partial
        pages: dict[str, Any] = {}
        try:
            nb = _execute_privately(job.src, executed, job.parameters, job.timeout)
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


def _execute_privately(src: str | Path, dst: Path, parameters: Mapping[str, Any],
                       timeout: float | None) -> Any:
    """:func:`execute_notebook` into a file of this run's own, renamed to ``dst`` at the end.

    Papermill rewrites its output after every cell; two renders of the same page into one
    folder would write into each other's file. Each run writes a unique temporary file
    and renames it into place when the execution ends (the partial notebook too, on a
    failure), so ``dst`` is always one run's whole notebook.
    """
    fd, name = temporary_file(dst, suffix=".ipynb")
    os.close(fd)
    scratch = Path(name)
    try:
        nb = execute_notebook(src, scratch, parameters, timeout)
        os.replace(scratch, dst)
    except ExecutionFailed as exc:
        if scratch.exists() and scratch.stat().st_size:
            os.replace(scratch, dst)
            exc.path = dst
        raise
    finally:
        scratch.unlink(missing_ok=True)  # only still there when nothing was renamed
    return nb


def unexecuted_cells(nb: Any) -> list[int]:
    """1-based numbers of the code cells that were never executed (no execution count).

    Publishing committed outputs (``render(execute=False)``) refuses such a notebook: its
    page would silently lack those cells' outputs.
    """
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    return [i for i, c in enumerate(code, 1) if c.get("execution_count") is None]


def _publish_committed(job: _Job) -> _Job:
    """Copy the source notebook in as the executed one: its committed outputs are the page."""
    out = Path(job.out) / _EXECUTED
    (out / f"{job.key}.json").unlink(missing_ok=True)  # the old stamp described another run
    _copy_if_changed(Path(job.src), out / f"{job.key}.ipynb")
    return _replace(job, execute=False)


def _preload() -> None:
    """Import the heavy modules and build the exporter before forking workers."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    _exporter()
    _kernel_manager_class()


def _dispatch(
    fn: Callable[[Any], dict[str, Any]],
    items: Sequence[Any],
    *,
    jobs: int | None,
    dask: str | None,
    progress: bool | None,
    desc: str,
) -> Iterator[tuple[Any, dict[str, Any] | BaseException]]:
    """Run ``fn`` on every item; yield ``(item, result or exception)`` as they finish.

    A process pool (``jobs`` workers, default the number of cores; in-process only when
    one worker suffices and no kernel runs) or a dask.distributed scheduler at ``dask``.
    A progress bar goes to stderr when ``progress`` is true (default: when stderr is a
    terminal).
    """
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(items), desc=desc, unit="notebook", disable=not show,
              file=sys.stderr) as bar:
        for item, result in _results(fn, items, jobs=jobs, dask=dask):
            bar.set_postfix_str(getattr(item, "key", ""), refresh=False)
            bar.update(1)
            yield item, result


def _results(
    fn: Callable[[Any], dict[str, Any]],
    items: Sequence[Any],
    *,
    jobs: int | None,
    dask: str | None,
) -> Iterator[tuple[Any, dict[str, Any] | BaseException]]:
    if not items:
        return
    if dask:
        from distributed import as_completed

        with _dask_client(dask) as client:
            futures = {client.submit(fn, item, pure=False): item for item in items}
            for future in as_completed(futures, loop=client.loop):
                try:
                    yield futures[future], future.result()
                except Exception as exc:
                    yield futures[future], exc
        return
    workers = min(jobs or os.cpu_count() or 1, len(items))
    # a kernel always runs in a pool worker, even a single one: in this process, nbclient
    # would take over Ctrl-C (it shuts the kernel down and goes on with the next cell)
    if workers <= 1 and not any(getattr(item, "execute", True) for item in items):
        for item in items:
            try:
                result: dict[str, Any] | BaseException = fn(item)
            except Exception as exc:
                result = exc
            yield item, result
        return
    _preload()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                  initializer=_worker_init, initargs=(os.getpid(),))
    try:
        pending = {pool.submit(fn, item): item for item in items}
        for future in cf.as_completed(pending):
            try:
                yield pending[future], future.result()
            except Exception as exc:
                yield pending[future], exc
    except BaseException:  # Ctrl-C, or the caller stopped early: no worker may linger
        _stop_pool(pool)
        raise
    pool.shutdown()


#: seconds ``--dask`` waits for its scheduler before giving up
DASK_CONNECT_TIMEOUT = 5.0


class RenderRefused(ValueError):
    """A render or execution that cannot start: broken data, an unwritable folder, no scheduler."""


class RenderInterrupted(Exception):
    """Ctrl-C stopped a run; ``report`` holds what finished before it."""

    def __init__(self, report: RenderReport) -> None:
        super().__init__("interrupted")
        self.report = report


def _dask_client(address: str) -> Any:
    """A client of the scheduler at ``address``, or :class:`RenderRefused` within seconds."""
    from distributed import Client

    try:
        return Client(address, set_as_default=False, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise RenderRefused(
            f"cannot reach the dask scheduler at {address!r} within "
            f"{DASK_CONNECT_TIMEOUT:.0f} s ({first}); start it (`dask scheduler`) or "
            "leave out --dask to use local processes") from None


def _worker_init(parent: int) -> None:
    """Run in each pool worker: die with the parent, and leave Ctrl-C to the parent.

    On Linux the worker asks the kernel for SIGKILL when its parent dies (``prctl``
    ``PR_SET_PDEATHSIG``), so a render killed with SIGKILL leaves no worker behind; each
    kernel a worker started then exits too (ipykernel polls its parent once a second).
    Ctrl-C reaches the whole terminal process group: the worker ignores it, and the
    parent stops the pool and reports what finished.
    """
    import signal

    signal.signal(signal.SIGINT, _ignore_signal)  # a handler, unlike SIG_IGN, is not
    if sys.platform.startswith("linux"):           # inherited by the kernels it starts
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _ignore_signal(signum: int, frame: Any) -> None:
    """A no-op signal handler (see :func:`_worker_init`)."""


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel what has not started and end every worker now (their kernels follow)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()  # nbclient in the worker shuts its kernel down on SIGTERM
    for process in processes:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()


# --------------------------------------------------------------------------------------
# render()
# --------------------------------------------------------------------------------------


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
    (out / _EXECUTED).mkdir(exist_ok=True)
    if execute:
        check_data()
    install_assets(out)
    fingerprint = project_fingerprint()
    from lessons.sources import article

    citation = article.citation()
    course = tuple((ls.id, ls.title, Path(ls.notebook).stem) for ls in catalog)

    rows: list[PageResult] = []
    todo: list[_Job] = []
    expected: dict[str, _Job] = {}
    for lesson in chosen:
        src = _source(lesson, Path(notebooks_dir) if notebooks_dir else None).resolve()
        for scenario in scenarios or [None]:
            label = scenario or DEFAULT_SCENARIO
            if not src.exists():
                rows += [PageResult(lesson.id, lesson.title, e, label, FAILED,
                                    error=f"notebook not found: {src}") for e in wanted]
                continue
            params = checked[(lesson.id, scenario)]
            job = _Job(
                lesson=lesson.id, title=lesson.title, paragraphs=lesson.paragraphs,
                paragraph_label=lesson.paragraph_label, minutes=lesson.minutes,
                citation=citation, src=str(src), key=_page_key(lesson, src, scenario),
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
                todo.append(_publish_committed(job) if job.committed and job.execute else job)

    todo.sort(key=lambda j: _expected_cost(j, out), reverse=True)  # longest first
    interrupted = False
    try:
        for job, result in _dispatch(_run_job, todo, jobs=jobs, dask=dask, progress=progress,
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
        remove_stale_temporaries(target, (_EXECUTED, _ASSETS, *EDITIONS))
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


def _expected_cost(job: _Job, out: Path) -> tuple[float, int]:
    """How long ``job`` will take: its last run's seconds, then its notebook's size.

    Starting the longest executions first keeps all workers busy until the end.
    """
    if not job.execute:
        return (0.0, 0)
    stamp = _read_stamp(out / _EXECUTED / f"{job.key}.json") or {}
    return (float(stamp.get("seconds") or 0.0), Path(job.src).stat().st_size)


def _cache_state(job: _Job, out: Path, force: bool) -> tuple[list[PageResult], _Job | None]:
    """Cached rows, and the work left: the full job, a conversion only, or nothing."""
    if force:
        return [], job
    stamp = _read_stamp(out / _EXECUTED / f"{job.key}.json")
    executed = out / _EXECUTED / f"{job.key}.ipynb"
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
    return rows, _replace(job, editions=missing, execute=False)


def _replace(job: _Job, **changes: Any) -> _Job:
    from dataclasses import replace

    return replace(job, **changes)


def _rows_from_result(
    planned: _Job, job: _Job, result: dict[str, Any] | BaseException, out: Path
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


# --------------------------------------------------------------------------------------
# index.html
# --------------------------------------------------------------------------------------

def site_entries(out: Path, report: RenderReport | None = None) -> list[dict[str, Any]]:
    """Every page the site knows: from the cache stamps, updated with ``report``'s rows.

    Pages rendered in earlier runs into the same ``out`` stay listed.
    """
    entries: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in sorted((out / _EXECUTED).glob("*.json")):
        stamp = _read_stamp(path)
        if not stamp or stamp.get("version") != _CACHE_VERSION:
            continue
        pages = stamp.get("pages", {})
        for edition in stamp.get("editions", []):
            page = pages.get(edition)
            if page and not (out / page["html"]).exists():
                continue  # deleted since: not part of the site any more
            key = (stamp["lesson"], stamp.get("scenario") or DEFAULT_SCENARIO, edition)
            entries[key] = {
                "lesson": stamp["lesson"], "title": stamp["title"],
                "paragraphs": stamp.get("paragraph_label", ""),
                "scenario": key[1], "edition": edition,
                "status": OK if page else FAILED,
                "seconds": stamp.get("seconds", 0.0),
                "cell": None if page else stamp.get("cell"),
                "error": None if page else stamp.get("error"),
                "html": page["html"] if page else None,
                "notebook": stamp.get("notebook"),
            }
    for row in report.rows if report else []:
        key = (row.lesson, row.scenario, row.edition)
        entry = entries.setdefault(key, {
            "lesson": row.lesson, "title": row.title, "paragraphs": "",
            "scenario": row.scenario, "edition": row.edition, "html": None, "notebook": None,
        })
        entry.update(status=row.status, seconds=row.seconds, cell=row.cell, error=row.error)
    scen_order = {DEFAULT_SCENARIO: ""}
    return sorted(entries.values(), key=lambda e: (
        e["lesson"], scen_order.get(e["scenario"], e["scenario"]),
        EDITIONS.index(e["edition"]) if e["edition"] in EDITIONS else 9))


def report_rows(entries: Sequence[Mapping[str, Any]]) -> str:
    """The build report's table rows: every page with its status, time and problem."""
    esc = html.escape
    lines = []
    previous = None
    for e in entries:
        first = e["lesson"] != previous
        previous = e["lesson"]
        page = (f'<a href="{esc(e["html"])}">{esc(e["edition"])} edition</a>'
                if e.get("html") else esc(e["edition"]))
        problem = ""
        if e["status"] == FAILED:
            where = f"cell {e['cell']}: " if e.get("cell") else ""
            problem = f'<span class="error">{esc(where + (e.get("error") or ""))}</span>'
            if e.get("notebook"):
                problem += (f' — <a href="{esc(e["notebook"])}">executed notebook '
                            "(partial)</a>")
        lines.append(
            f'<tr class="{"lesson-first" if first else ""}">'
            f'<td>{esc(e["lesson"])}</td><td>{esc(e["title"]) if first else ""}</td>'
            f'<td>{esc(e.get("paragraphs") or "")}</td><td>{page}</td>'
            f'<td>{esc(e["scenario"])}</td>'
            f'<td class="status-{esc(e["status"])}">{esc(e["status"])}</td>'
            f'<td class="num">{e.get("seconds") or 0:.1f}</td><td>{problem}</td></tr>'
        )
    return "\n".join(lines)


def _reader_lessons(entries: Sequence[Mapping[str, Any]], catalog: Catalog
                    ) -> list[dict[str, Any]]:
    """Every catalog lesson for the reader's index, with the pages the site holds."""
    pages: dict[str, dict[str, str]] = {}
    variants: dict[str, list[tuple[str, str, str]]] = {}
    for e in entries:
        if not e.get("html"):
            continue
        if e["scenario"] == DEFAULT_SCENARIO:
            pages.setdefault(e["lesson"], {})[e["edition"]] = e["html"]
        else:
            variants.setdefault(e["lesson"], []).append((e["scenario"], e["edition"],
                                                         e["html"]))
    return [{"id": ls.id, "title": ls.title, "paragraph_label": ls.paragraph_label,
             "minutes": ls.minutes, "objectives": list(ls.objectives),
             "pages": pages.get(ls.id, {}), "variants": variants.get(ls.id, [])}
            for ls in catalog]


def _search_records(out: Path, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Search records of every page the site holds (both editions, every variant)."""
    records = []
    for e in entries:
        if not e.get("html") or not (out / e["html"]).is_file():
            continue
        title = f"{e['lesson']} · {e['title']}"
        if e["scenario"] != DEFAULT_SCENARIO:
            title += f" (scenario {e['scenario']})"
        text = (out / e["html"]).read_text(encoding="utf-8")
        records += [{**r, "edition": e["edition"]}
                    for r in site.search_records(text, e["html"], title)]
    return records


def write_index(out: Path, report: RenderReport | None = None,
                catalog: Catalog | None = None) -> Path:
    """Write the site's own pages: ``index.html``, ``report.html`` and the search index.

    ``index.html`` is for readers (every lesson of the catalog with its paragraphs, time,
    objectives and pages, and the article map); ``report.html`` lists every page with its
    status; ``assets/search-index.js`` holds the text of every page's sections and the list
    of pages, for the search and the sidebar. Each is written atomically. Returns the path
    of ``index.html``.
    """
    from lessons.sources import article

    catalog = catalog or load_catalog()
    entries = site_entries(out, report)
    counts = {s: sum(1 for e in entries if e["status"] == s) for s in (OK, CACHED, FAILED)}
    (out / _ASSETS).mkdir(parents=True, exist_ok=True)
    pages = sorted(e["html"] for e in entries if e.get("html"))
    atomic_write(out / _ASSETS / "search-index.js",
                 site.search_index_js(_search_records(out, entries), pages))
    atomic_write(out / "report.html", site.report_html(report_rows(entries), counts))
    art = article.load_article()
    doc = site.reader_index_html(_reader_lessons(entries, catalog), art.title,
                                 article.citation(), catalog.coverage(), counts)
    return atomic_write(out / "index.html", doc)


# --------------------------------------------------------------------------------------
# Re-executing notebooks (maintainers)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ExecJob:
    lesson: str
    title: str
    key: str
    src: str
    dst: str
    timeout: float | None
    in_place: bool


def _run_exec_job(job: _ExecJob) -> dict[str, Any]:
    """Execute one notebook into a temporary file; publish it only on success."""
    import nbformat

    src, dst = Path(job.src), Path(job.dst)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lessons-execute-") as tmp:
        scratch = Path(tmp) / src.name
        try:
            nb = execute_notebook(src, scratch, {}, job.timeout,
                                  cwd=src.parent if job.in_place else None)
        except ExecutionFailed as exc:
            # keep the partial notebook for inspection, aside; the source is left as it was
            kept = atomic_copy(scratch, dst) if scratch.exists() else None
            return {"status": FAILED, "error": str(exc), "cell": exc.cell,
                    "seconds": time.perf_counter() - started,
                    "path": str(kept) if kept else None}
        _clean_for_commit(nb)
        # only now, after every cell succeeded, is the target replaced, in one rename
        target = atomic_write(src if job.in_place else dst, nbformat.writes(nb) + "\n")
    return {"status": OK, "error": None, "cell": None,
            "seconds": time.perf_counter() - started, "path": str(target)}


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
    target_dir = prepare_output(out or BUILD_DIR / _EXECUTED, _read_folders(chosen, notebooks_dir))
    check_data()
    rows: list[PageResult] = []
    skipped: list[str] = []
    todo: list[_ExecJob] = []
    for lesson in chosen:
        src = _source(lesson, Path(notebooks_dir) if notebooks_dir else None).resolve()
        if not src.exists() and lessons is None:
            skipped.append(lesson.id)
            continue
        if not src.exists():
            rows.append(PageResult(lesson.id, lesson.title, "notebook", DEFAULT_SCENARIO,
                                   FAILED, error=f"notebook not found: {src}"))
            continue
        todo.append(_ExecJob(lesson.id, lesson.title, src.stem, str(src),
                             str(target_dir / src.name), timeout, in_place))
    for job, result in _dispatch(_run_exec_job, todo, jobs=jobs, dask=dask, progress=progress,
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


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


class Refused(click.ClickException):
    """A command refused before doing anything: ``Error: <message>``, exit status 2."""

    exit_code = 2


#: exit status after Ctrl-C (128 + SIGINT, as a shell reports it)
INTERRUPTED_EXIT = 130


def _run_cli(run: Callable[[], RenderReport], noun: str) -> RenderReport:
    """Call ``run`` and turn every refusal into one clear line, never a traceback.

    Refusals (a protected output folder, bad parameters, broken data, an unreachable
    scheduler, an unwritable folder) exit with 2; Ctrl-C prints what finished and exits
    with 130.
    """
    # a kernel stopped by Ctrl-C leaves asyncio complaining about unretrieved tasks
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    try:
        return run()
    except (CatalogError, OutputRefused, RenderRefused) as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise Refused(f"stopped by the file system: {reason}"
                      + (f" ({exc.filename})" if exc.filename else "")) from None
    except RenderInterrupted as stop:
        done = stop.report
        c = done.counts()
        from lessons.views.summaries import plural

        click.echo(f"Interrupted: {plural(len(done.rows), noun)} finished before Ctrl-C "
                   f"({c[OK]} ok, {c[CACHED]} cached, {c[FAILED]} failed); the rest did not "
                   "run and will run next time.", err=True)
        raise SystemExit(INTERRUPTED_EXIT) from None


def _cli_catalog(path: Path | None) -> Catalog:
    if path is None:
        return load_catalog()
    import yaml

    from lessons.sources.catalog import parse_catalog

    return parse_catalog(yaml.safe_load(path.read_text(encoding="utf-8")))


def _cli_lessons(ids: Sequence[str], catalog: Catalog) -> list[Lesson] | None:
    if not ids:
        return None
    try:
        return [catalog.get(i) for i in ids]
    except CatalogError as exc:
        raise click.BadParameter(str(exc), param_hint="LESSON") from None


_catalog_option = click.option(
    "--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Catalog YAML to use instead of lessons/sources/catalog.yaml.")
_notebooks_option = click.option(
    "--notebooks", "notebooks_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the notebooks [default: the catalog's notebooks/].")
_jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Parallel worker processes [default: the number of cores].")
_timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0), default=120.0, show_default=True,
    help="Limit per cell in seconds (0: none).")
_dask_option = click.option(
    "--dask", metavar="SCHEDULER_ADDRESS", default=None,
    help="Send the work to a dask.distributed scheduler (shared file system) "
         "instead of local processes.")
_progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show a progress bar [default: when stderr is a terminal].")


@click.command("params")
@click.argument("lesson")
@_catalog_option
def params_cmd(lesson: str, catalog_path: Path | None) -> None:
    """Print the parameters LESSON accepts: name, type, default, valid range, meaning."""
    catalog = _cli_catalog(catalog_path)
    try:
        found = catalog.get(lesson)
    except CatalogError as exc:
        raise click.BadParameter(str(exc), param_hint="LESSON") from None
    if not found.parameters:
        click.echo(f"Lesson {found.id} ({found.title}) takes no parameters.")
        return
    click.echo(f"Parameters of lesson {found.id} ({found.title}); set them with "
               f"`lessons render --lesson {found.id} -p NAME VALUE`:")
    for parameter in found.parameters.values():
        click.echo("  " + parameter.describe())


@click.command("render")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SITE,
              show_default="build/site", help="Site folder.")
@click.option("--lesson", "lesson_ids", multiple=True, metavar="ID",
              help="Lesson to render (repeatable) [default: all].")
@click.option("--edition", type=click.Choice(["student", "instructor", "both"]), default="both",
              show_default=True, help="Which edition(s) to write.")
@click.option("--scenario", "scenarios", multiple=True, metavar="NAME",
              help="Render a variant per scenario (repeatable) [default: the lesson's default].")
@click.option("-p", "--parameter", "raw_parameters", type=(str, str), multiple=True,
              metavar="NAME VALUE", help="Papermill parameter, checked against the catalog "
              "(repeatable; see `lessons params LESSON`).")
@_jobs_option
@_timeout_option
@click.option("--force", is_flag=True, help="Re-render even if nothing changed.")
@click.option("--no-execute", "no_execute", is_flag=True,
              help="Publish the notebooks' committed outputs without running them (fast; "
                   "no scenarios or parameters).")
@_dask_option
@_catalog_option
@_notebooks_option
@_progress_option
@click.pass_context
def render_cmd(
    ctx: click.Context,
    out: Path,
    lesson_ids: tuple[str, ...],
    edition: str,
    scenarios: tuple[str, ...],
    raw_parameters: tuple[tuple[str, str], ...],
    jobs: int | None,
    timeout: float,
    force: bool,
    no_execute: bool,
    dask: str | None,
    catalog_path: Path | None,
    notebooks_dir: Path | None,
    progress: bool | None,
) -> None:
    """Render lessons to an offline HTML site (student and instructor editions).

    Each lesson runs once per scenario with papermill in static mode, into OUT/executed
    (notebooks/ is never written); both editions come from that run. Unchanged pages are
    skipped (a content hash of the notebook, parameters, lock file, data/, seeds/, lessons/
    and the Python version). OUT may not be or touch notebooks/, data/, seeds/, lessons/,
    the notebooks being read or the project root (refused with status 2); every file is
    published atomically, so concurrent renders into one folder both succeed.
    A failing lesson keeps its partial notebook, the others go on; the run ends with a
    summary table and exits with status 1 if anything failed. With --no-execute the
    committed outputs are published as they are (nbval keeps them current).
    """
    catalog = _cli_catalog(catalog_path)
    chosen = _cli_lessons(lesson_ids, catalog)
    report = _run_cli(lambda: render(
        chosen, out=out, editions=edition, scenarios=list(scenarios) or None,
        parameters=dict(raw_parameters), jobs=jobs, timeout=timeout, force=force,
        dask=dask, catalog=catalog, progress=progress, notebooks_dir=notebooks_dir,
        execute=not no_execute,
    ), "page")
    click.echo(report.table())
    click.echo(report.summary())
    click.echo(f"site: {report.index}")
    if report.failed:
        click.echo("failed:\n" + report.failures(), err=True)
        click.echo("Failed pages keep their partial executed notebook in "
                   f"{report.out / _EXECUTED}.", err=True)
    ctx.exit(report.exit_code)


@click.command("execute")
@click.argument("lesson_ids", nargs=-1, metavar="[LESSON_ID]...")
@click.option("--in-place", is_flag=True,
              help="Replace each notebook in notebooks/ with its executed version "
                   "(only on success).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write executed notebooks here instead (with --in-place: where partial "
                   "notebooks of failures go [default: build/executed]).")
@_jobs_option
@_timeout_option
@_dask_option
@_catalog_option
@_notebooks_option
@_progress_option
@click.pass_context
def execute_cmd(
    ctx: click.Context,
    lesson_ids: tuple[str, ...],
    in_place: bool,
    out: Path | None,
    jobs: int | None,
    timeout: float,
    dask: str | None,
    catalog_path: Path | None,
    notebooks_dir: Path | None,
    progress: bool | None,
) -> None:
    """Re-execute lesson notebooks (all, or LESSON_ID...) in static mode.

    Without --in-place, executed notebooks go to --out, a folder of their own (never
    notebooks/, data/, seeds/ or lessons/).

    Maintainers run `lessons execute --in-place` (`make notebooks`) after editing: each
    notebook runs with its default parameters, no widget state, LESSONS_STATIC=1 and
    notebooks/ as working directory, into a temporary file that replaces the source only
    when every cell succeeded.
    """
    if not in_place and out is None:
        raise click.UsageError("choose --in-place (re-execute notebooks/) or --out DIR")
    catalog = _cli_catalog(catalog_path)
    chosen = _cli_lessons(lesson_ids, catalog)
    report = _run_cli(lambda: execute_lessons(
        chosen, in_place=in_place, out=out, timeout=timeout,
        jobs=jobs, dask=dask, catalog=catalog, notebooks_dir=notebooks_dir, progress=progress,
    ), "notebook")
    click.echo(report.table())
    c = report.counts()
    from lessons.views.summaries import plural

    click.echo(f"{plural(len(report.rows), 'notebook')}: {c[OK]} executed, {c[FAILED]} failed "
               f"in {report.seconds:.1f} s")
    if report.skipped:
        click.echo(f"skipped (no notebook yet): {', '.join(report.skipped)}")
    if report.failed:
        click.echo("failed:\n" + report.failures(), err=True)
        where = ("the notebooks that failed were not replaced" if in_place
                 else "no source notebook was written")
        click.echo(f"{where.capitalize()}; their partial runs are in {report.out}.", err=True)
    ctx.exit(report.exit_code)
