"""What the browser tests check on a page, shared by the JupyterLab and Voilà tests.

A lesson's *link toggle* is a checkbox widget; the test clicks it and requires that a
chart's data in the page changed and that the charts' text summary changed, then switches
the same toggle back with the keyboard (focus, Space) with the same requirement. A *slider* is
moved with the keyboard (focus the handle, press ArrowRight) with the same requirement.

Lessons may mark their controls and summaries for precision: a checkbox with the CSS class
``lesson-link-toggle`` (``widget.add_class("lesson-link-toggle")``) is tried first, and
elements with class ``lesson-chart-summary`` are the summary text; without the marks, every
checkbox is tried in page order until one drives a chart, and the summary is all output
text outside controls and charts.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from lessons.live.explorer import MAX_SLIDERS, MAX_SWITCHES
from tools import browser as lb
from tools import lab

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "browser"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}

TOGGLE_MARKED = ".lesson-link-toggle input[type=checkbox]"
TOGGLE_ANY = ".widget-checkbox input[type=checkbox]"
SLIDER_HANDLE = ".widget-hslider .noUi-handle"
#: a laptop's and a projector's screen, where every lesson is photographed
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1024, "height": 768}
#: switches and sliders shown (not folded into "More controls") in the page's first
#: explorer panel: ``[switches, sliders]``
FIRST_EXPLORER_VISIBLE_JS = """() => {
  const panel = document.querySelector('.lesson-controls');
  if (!panel) { return [0, 0]; }
  const shown = sel => [...panel.querySelectorAll(sel)]
    .filter(e => e.getClientRects().length > 0).length;
  return [shown('.widget-checkbox'), shown('.widget-hslider')];
}"""
#: how many controls are tried before the test gives up on a lesson
MAX_TRIES = 8


@dataclass
class ControlCheck:
    """The outcome of trying a lesson's controls of one kind."""

    kind: str
    ok: bool = False
    control: str = ""
    seconds: float = 0.0
    tried: list[str] = field(default_factory=list)
    #: the control that worked (a Playwright locator), for a second check on it
    locator: Any = None

    def message(self, page_errors: list[str] | tuple[str, ...] = ()) -> str:
        tried = "".join(f"\n  - {t}" for t in self.tried) or " none"
        text = (f"no {self.kind} changed both a chart's data and the chart summary "
                f"in the page; tried:{tried}")
        if any("chart data changed=False, summary changed=True" in t for t in self.tried):
            text += ("\nThe kernel answered (the summary changed) but no chart took new data: "
                     "the FigureWidget front end is not applying updates. A known cause is "
                     "anywidget's 2 s limit on initializing a model (plotly's ~4.6 MB ESM, "
                     "once per FigureWidget): on a slow or overloaded machine it is exceeded, "
                     "the chart draws once and then ignores every update (see "
                     "tests/browser/conftest.py and figurewidget_init_ms in make bench).")
        if page_errors:
            text += "\nPage errors:" + "".join(f"\n  - {e}" for e in dict.fromkeys(page_errors))
        return text


def _label(control: Any, ancestor_class: str) -> str:
    text = control.evaluate(
        "(el, cls) => { const w = el.closest('.' + cls); return w ? w.innerText : ''; }",
        ancestor_class,
    )
    return " ".join(str(text).split())[:80] or "(no label)"


def _settle(page: Any) -> None:
    """Let the last control change finish before the next one (the kernel must go idle)."""
    assert lab.wait_kernel_idle(page, timeout=60), "the kernel stayed busy for 60 s"
    lab.wait_settled(page, timeout=15.0, quiet=0.3)


def check_toggles(page: Any) -> ControlCheck:
    """Click checkboxes (marked link toggles first) until one redraws a chart and summary."""
    result = ControlCheck("link toggle (checkbox)")
    selector = TOGGLE_MARKED if page.locator(TOGGLE_MARKED).count() else TOGGLE_ANY
    boxes = page.locator(selector)
    for i in range(min(boxes.count(), MAX_TRIES)):
        box = boxes.nth(i)
        if not box.is_visible() or not box.is_enabled():
            continue
        label = _label(box, "widget-checkbox")
        charts, text = lab.chart_signatures(page), lab.summary_text(page)
        started = time.perf_counter()
        box.click()
        chart_changed, text_changed = lab.wait_for_change(page, charts, text)
        result.tried.append(f"{label!r}: chart data changed={chart_changed}, "
                            f"summary changed={text_changed}")
        _settle(page)
        if chart_changed and text_changed:
            result.ok, result.control, result.locator = True, label, box
            result.seconds = time.perf_counter() - started
            return result
    return result


def check_toggle_by_keyboard(page: Any, box: Any) -> tuple[bool, bool]:
    """Switch a checkbox with the keyboard (focus it, press Space), as someone who cannot
    use a mouse would; return ``(chart_changed, summary_changed)``."""
    charts, text = lab.chart_signatures(page), lab.summary_text(page)
    box.focus()
    page.keyboard.press("Space")
    changed = lab.wait_for_change(page, charts, text)
    _settle(page)
    return changed


def check_sliders(page: Any) -> ControlCheck:
    """Move sliders with the keyboard until one redraws a chart and its summary."""
    result = ControlCheck("slider")
    handles = page.locator(SLIDER_HANDLE)
    for i in range(min(handles.count(), MAX_TRIES)):
        handle = handles.nth(i)
        if not handle.is_visible():
            continue
        label = _label(handle, "widget-slider")
        charts, text = lab.chart_signatures(page), lab.summary_text(page)
        before = handle.get_attribute("aria-valuenow")
        # Decide the direction before pressing, from the handle's own bounds: reading the
        # value back after one key press races the page, and aria-valuenow is rounded (0.05
        # and 0.06 both read "0.1"), so "unchanged" could send a second, undoing key press.
        at_max = float(before) >= float(handle.get_attribute("aria-valuemax"))
        started = time.perf_counter()
        handle.focus()
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
        after = handle.get_attribute("aria-valuenow")
        chart_changed, text_changed = lab.wait_for_change(page, charts, text)
        result.tried.append(f"{label!r} {before}->{after}: chart data changed={chart_changed}, "
                            f"summary changed={text_changed}")
        _settle(page)
        if chart_changed and text_changed:
            result.ok, result.control = True, label
            result.seconds = time.perf_counter() - started
            return result
    return result


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP socket listens on at ``port`` (Linux: ``/proc/net``).

    ``"127.0.0.1"`` and ``"::1"`` are loopback; ``"0.0.0.0"`` or ``"::"`` would mean every
    interface, i.e. reachable from other machines on the network.
    """
    import ipaddress

    found: set[str] = set()
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))
            found.add(str(ipaddress.ip_address(raw)))
    return found


def tree_digest(folder: Path) -> str:
    """SHA-256 over the names and bytes of every file under ``folder``."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def copy_notebooks(paths: Iterable[Path], dest: Path, *, clear_outputs: bool = False) -> Path:
    """Copy notebooks (and nothing else) into ``dest``; return ``dest``.

    With ``clear_outputs`` the copies lose their outputs and execution counts. The tests
    clear them before Run All anyway, and drawing a lesson's committed charts when it opens
    costs JupyterLab about 4 s per lesson; those committed outputs are drawn, and checked,
    on the rendered static site (``test_static_site.py``).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if not clear_outputs:
            shutil.copy2(path, dest / path.name)
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, dest / path.name)
    return dest


def assert_no_errors(page: Any, where: str) -> None:
    errors = lab.output_errors(page)
    assert not errors, f"{where}: {len(errors)} error output(s):\n" + "\n---\n".join(errors)


def assert_charts_drawn(page: Any, where: str) -> int:
    total, drawn = page.evaluate(lab.CHARTS_DRAWN_JS)
    assert drawn == total, f"{where}: only {drawn} of {total} Plotly charts drew an SVG"
    return total


def screenshot(page: Any, path: Path) -> Path:
    """Write a screenshot of the whole lesson (JupyterLab, Voila or a static page)."""
    lab.notebook_screenshot(page, path)
    return path


def check_lesson_in_lab(lesson: Any, server: lb.LabServer, guarded_page: Any,
                        screenshots: Path) -> None:
    """The whole JupyterLab check of one catalog lesson (see test_lab_lessons_*.py)."""
    page = guarded_page.page
    where = f"lesson {lesson.id} ({lesson.notebook})"
    try:
        # run on a projector's screen: charts are sized when they are drawn, and a Plotly
        # FigureWidget grows with a wider window but does not shrink with a narrower one
        page.set_viewport_size(PROJECTOR)
        lab.open_notebook(page, server, lesson.notebook)
        lab.run_all(page)
        # the lesson on a projector (1024x768) and a laptop (1366x768), for a person to
        # look at before calling it done
        for name, size in (("1024", PROJECTOR), ("1366", LAPTOP)):
            page.set_viewport_size(size)
            page.wait_for_timeout(300)
            shot = screenshot(page, screenshots / f"{lesson.path.stem}_{name}.png")
            assert shot.stat().st_size > 10_000, f"{where}: {name} screenshot looks empty"
        page.set_viewport_size(VIEWPORT)
        page.wait_for_timeout(300)
        switches, sliders = page.evaluate(FIRST_EXPLORER_VISIBLE_JS)
        assert switches <= MAX_SWITCHES and sliders <= MAX_SLIDERS, (
            f"{where}: the first explorer opens with {switches} switches and {sliders} "
            f"sliders visible (at most {MAX_SWITCHES} and {MAX_SLIDERS} before "
            "'More controls')")

        assert_no_errors(page, where)
        assert_charts_drawn(page, where)

        if page.locator(".widget-checkbox").count():
            toggles = check_toggles(page)
            assert toggles.ok, f"{where}: {toggles.message(guarded_page.page_errors)}"
            by_keyboard = check_toggle_by_keyboard(page, toggles.locator)
            assert by_keyboard == (True, True), (
                f"{where}: Space on the focused toggle {toggles.control!r} changed chart data "
                f"= {by_keyboard[0]}, summary = {by_keyboard[1]} (a mouse click changed both)")
        if page.locator(SLIDER_HANDLE).count():
            sliders = check_sliders(page)
            assert sliders.ok, f"{where}: {sliders.message(guarded_page.page_errors)}"

        assert_no_errors(page, where)
        guarded_page.assert_no_outside_requests()
    finally:
        server.shutdown_kernels()
