"""Executing notebooks with papermill in static mode, and re-executing them atomically.

:func:`execute_notebook` runs one notebook (the kernel in static mode, ``LESSONS_STATIC=1``);
a failure names the failing cell and keeps the partial notebook. Each run writes a file of
its own and renames it into place, so concurrent runs never write into each other's file,
and ``lessons execute --in-place`` replaces a source notebook only when every cell succeeded.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lessons import mode
from lessons.publish.guard import (
    atomic_copy,
    atomic_write,
    temporary_file,
)
from lessons.publish.report import FAILED, OK

_PAPERMILL_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})


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
def kernel_manager_class() -> type:
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
                kernel_manager_class=kernel_manager_class(),
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


def execute_privately(src: str | Path, dst: Path, parameters: Mapping[str, Any],
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



@dataclass(frozen=True)
class ExecJob:
    """One notebook for ``lessons execute``: where it is read and written; picklable."""

    lesson: str
    title: str
    key: str
    src: str
    dst: str
    timeout: float | None
    in_place: bool


def run_exec_job(job: ExecJob) -> dict[str, Any]:
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

