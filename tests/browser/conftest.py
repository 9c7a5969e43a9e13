"""Fixtures for the browser tests: one Chromium per worker, guarded pages, JupyterLab servers.

Every test here drives a real Chromium (Debian's ``chromium``; see ``tools.browser``).
A missing browser is a failure, never a skip: ``make test`` runs
``python -m tools.browser ensure`` first, which installs one where it can.

anywidget gives a widget model 2 s to initialize; past that, the widget silently ignores
every later update from the kernel (a FigureWidget draws once and freezes). Plotly's
FigureWidget evaluates ~4.6 MB of JavaScript per widget, which a CPU-starved test machine
(two xdist workers, kernels and a browser on two cores) does not always do in 2 s. That is
a speed limit, and speed is measured in ``make bench`` (``figurewidget_init_ms``), never
asserted in tests: so pages under test give models ``ANYWIDGET_INIT_MS`` (60 s) instead.
``LESSONS_ANYWIDGET_INIT_MS=strict`` keeps anywidget's real 2 s; a number sets the limit.

Each test module that needs JupyterLab starts its own server (``lab_server_for``) on a
free port with a random token, serving a *temporary copy* of the notebooks it opens
(outputs cleared: see ``browser_checks.copy_notebooks``), so the repository's
``notebooks/`` is never modified and parallel workers never collide.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from browser.browser_checks import VIEWPORT, copy_notebooks
from tools import browser as lb
from tools import lab

#: anywidget model-initialization limit in pages under test (see the module docstring)
ANYWIDGET_INIT_MS = 60_000


def anywidget_init_ms() -> int | None:
    """The limit to impose, or None for anywidget's own (``LESSONS_ANYWIDGET_INIT_MS``)."""
    value = os.environ.get(lab.ANYWIDGET_INIT_ENV, "").strip().lower()
    if value in {"strict", "off", "2000"}:
        return None
    return int(value) if value else ANYWIDGET_INIT_MS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test, even one that forgets the mark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable; fails (never skips) when there is none."""
    try:
        return lb.find_browser()
    except lb.BrowserNotFound as exc:
        pytest.fail(f"{exc}\nA missing browser fails the browser tests, never skips them.",
                    pytrace=False)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Any, chromium_path: str) -> Iterator[Any]:
    """One headless Chromium per test worker (each test gets its own context)."""
    b = playwright.chromium.launch(**lb.launch_kwargs(executable=chromium_path))
    yield b
    b.close()


@dataclass
class GuardedPage:
    """A page whose context blocks and records every request off this machine."""

    page: Any
    guard: lab.NetworkGuard
    page_errors: list[str] = field(default_factory=list)

    def assert_no_outside_requests(self) -> None:
        self.guard.assert_clean()


@pytest.fixture
def guarded_page(browser: Any) -> Iterator[GuardedPage]:
    """A fresh context and page with the network guard attached (service workers blocked)."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    init_ms = anywidget_init_ms()
    if init_ms is not None:
        context.add_init_script(lab.anywidget_init_script(init_ms))
    guard = lab.NetworkGuard().attach(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(180_000)
    gp = GuardedPage(page, guard)
    page.on("pageerror", lambda exc: gp.page_errors.append(str(exc)))
    yield gp
    context.close()


@pytest.fixture(scope="module")
def lab_server_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        Callable[[Iterable[Path]], lb.LabServer]]:
    """Factory: ``lab_server_for(paths)`` starts JupyterLab on temporary copies of ``paths``.

    Servers started through it stop at the end of the module (one per module is the
    intended use: starting JupyterLab costs about 2 s).
    """
    servers: list[lb.LabServer] = []

    def start(paths: Iterable[Path]) -> lb.LabServer:
        root = copy_notebooks(paths, tmp_path_factory.mktemp("lab-root"), clear_outputs=True)
        server = lb.LabServer(root, tmp_path_factory.mktemp("lab-work")).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
