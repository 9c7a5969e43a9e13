"""Dispatching work: a local process pool or a dask.distributed scheduler.

The workers must see the same file system. A pool worker dies with its parent and leaves
Ctrl-C to it; the parent stops the pool and reports what finished.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from lessons.publish.execute import kernel_manager_class
from lessons.publish.export import html_exporter
from lessons.publish.report import RenderRefused


def _preload() -> None:
    """Import the heavy modules and build the exporter before forking workers."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    html_exporter()
    kernel_manager_class()


def dispatch(
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

