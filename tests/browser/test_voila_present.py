"""``lessons present``: Voilà serves a lesson as a classroom dashboard, checked in Chromium.

The command is run as a person would run it, with ``LESSONS_STATIC=1`` in its environment
(it must remove it so the dashboard is live). The page must show passages and controls,
hide code and solution cells, make no request off this machine, and redraw the chart when
a link toggle is clicked.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser.browser_checks import (
    FIXTURES,
    SCREENSHOTS,
    assert_charts_drawn,
    assert_no_errors,
    check_sliders,
    check_toggles,
    copy_notebooks,
    listening_addresses,
    screenshot,
    tree_digest,
)
from lessons.cli.present import present_cmd
from lessons.paths import NOTEBOOKS_DIR
from lessons.publish.present import drop_solutions
from lessons.sources.catalog import load_catalog
from tools import browser as lb
from tools import lab

pytestmark = pytest.mark.browser

FIXTURE = FIXTURES / "widgets_fixture.ipynb"
CODE_SELECTOR = ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .highlight-ipython3"
VOILA_READY_JS = """() => {
  const cells = document.querySelector('#rendered_cells');
  return !!cells && getComputedStyle(cells).display !== 'none';
}"""


class Presenter:
    """``lessons present ARGS --port P --no-browser`` running in the background."""

    def __init__(self, lesson: str, workdir: Path, *extra: str) -> None:
        self.port = lb.free_port()
        script = Path(sys.executable).parent / "lessons"
        exe = [str(script)] if script.exists() else [sys.executable, "-m", "lessons.cli"]
        self.cmd = [*exe, "present", lesson, "--port", str(self.port), "--no-browser", *extra]
        self.log_path = workdir / "voila.log"
        env = {**os.environ, "LESSONS_STATIC": "1"}  # `present` must not pass it on
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(self.cmd, env=env, cwd=workdir, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=lb.die_with_parent)
        try:
            lb.wait_for_port(self.port, 90, self.proc)
        except Exception:
            self.stop()
            raise AssertionError(f"{' '.join(self.cmd)} did not start:\n{self.log()}") from None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def open_dashboard(guarded_page, presenter: Presenter, where: str):
    page = guarded_page.page
    page.goto(presenter.url, timeout=120_000)
    page.wait_for_function(VOILA_READY_JS, timeout=180_000)
    lab.wait_settled(page, timeout=180)
    assert_no_errors(page, where)
    assert_charts_drawn(page, where)
    return page


@pytest.fixture(scope="module")
def fixture_presenter(tmp_path_factory):
    root = copy_notebooks([FIXTURE], tmp_path_factory.mktemp("voila-fixture"))
    # `present` serves lessons only: the fixture comes with a catalog of its own
    lesson = {"id": "90", "title": "Browser fixture", "notebook": FIXTURE.name,
              "paragraphs": ["P13-P14"], "minutes": 5, "objectives": ["Show widgets."]}
    catalog = root / "catalog.yaml"
    catalog.write_text(json.dumps({"lessons": [lesson]}), encoding="utf-8")  # JSON is YAML
    presenter = Presenter(str(root / FIXTURE.name), root, "--catalog", str(catalog))
    yield presenter
    presenter.stop()


def test_present_fixture_is_a_live_offline_dashboard(guarded_page, fixture_presenter):
    where = f"lessons present {FIXTURE.name}"
    page = open_dashboard(guarded_page, fixture_presenter, where)
    screenshot(page, SCREENSHOTS / "voila_fixture_widgets.png")

    body = page.inner_text("body")
    assert "Browser fixture" in body, "markdown passages must be shown"
    assert "live mode" in body, "the dashboard must run live (LESSONS_STATIC removed)"
    assert "Solution." not in body, "solution cells must be hidden by default"
    assert page.locator(CODE_SELECTOR).count() == 0, "code is shown"
    assert "import ipywidgets" not in body

    toggle = check_toggles(page)
    assert toggle.ok, toggle.message(guarded_page.page_errors)
    assert "link on" in page.inner_text("body")
    slider = check_sliders(page)
    assert slider.ok, slider.message(guarded_page.page_errors)

    assert_no_errors(page, where)
    guarded_page.assert_no_outside_requests()
    assert fixture_presenter.proc.poll() is None, fixture_presenter.log()
    # for the projector only: nothing on the classroom network can reach it
    assert listening_addresses(fixture_presenter.port) == {"127.0.0.1"}


LESSON_04 = load_catalog().get("04")


def test_present_lesson_04_toggles_a_link(guarded_page, tmp_path):
    before = tree_digest(NOTEBOOKS_DIR)
    presenter = Presenter("04", tmp_path)
    try:
        page = open_dashboard(guarded_page, presenter, "lessons present 04")
        screenshot(page, SCREENSHOTS / f"voila_{LESSON_04.path.stem}.png")
        assert page.locator(CODE_SELECTOR).count() == 0, "code shown"
        assert page.locator(".widget-checkbox").count(), "lesson 04 shows no toggles"
        toggle = check_toggles(page)
        assert toggle.ok, toggle.message(guarded_page.page_errors)
        guarded_page.assert_no_outside_requests()
    finally:
        presenter.stop()
    assert tree_digest(NOTEBOOKS_DIR) == before, "presenting a lesson modified notebooks/"


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_listening_addresses_tell_loopback_from_every_interface(host):
    import socket

    with socket.socket() as server:
        server.bind((host, 0))
        port = server.getsockname()[1]
        assert listening_addresses(port) == set()  # bound, not yet listening
        server.listen()
        assert listening_addresses(port) == {host}


def test_present_rejects_an_unknown_lesson():
    result = CliRunner().invoke(present_cmd, ["99", "--no-browser"])
    assert result.exit_code != 0
    assert "unknown lesson '99'" in result.output


def test_drop_solutions_removes_only_tagged_cells():
    import nbformat

    nb = nbformat.read(FIXTURE, as_version=4)
    kept = drop_solutions(nb)
    tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert tagged, "the fixture must have a solution cell"
    assert len(kept.cells) == len(nb.cells) - len(tagged)
    assert all("solution" not in c.metadata.get("tags", []) for c in kept.cells)
    assert len(nbformat.read(FIXTURE, as_version=4).cells) == len(nb.cells)  # no mutation
