"""Browser figures: ``click_to_redraw_ms`` and ``figurewidget_init_ms``, in JupyterLab.

``click_to_redraw_ms``: from a link toggle click to the chart's new data in the page, in
lesson 04 (the security-dilemma explorer: the model re-run and every chart of the
explorer redrawn). ``click_to_redraw_fixture_ms`` is the same on the browser fixture
notebook (``tests/fixtures/browser/widgets_fixture.ipynb``: one checkbox driving one small
FigureWidget), the floor set by the widget machinery alone.

JupyterLab serves temporary copies of both notebooks; Chromium opens one and runs all
cells. Then the first link toggle is clicked again and again. The time is taken inside the
page: from the ``click`` event (a capturing listener on the document) to the first moment
the data of any chart in the clicked toggle's cell differs from what it was at the click,
checked on every Plotly event and on a 1 ms timer. That covers the widget message to the
kernel, the Python callback, the update message back and Plotly's redraw. Median over
``CLICKS`` clicks, after ``WARMUP`` unmeasured ones.

``figurewidget_init_ms`` (informational, no target): from the creation of a Plotly
FigureWidget's anywidget model (when anywidget starts its 2 s initialization deadline) to
the chart drawn. That spans the evaluation of plotly's ~4.6 MB ES module and the model's
initialization (what the deadline covers) plus the view's display and Plotly's first draw
(what it does not), so it is an upper bound. anywidget 0.11 gives a model 2000 ms; past
that the widget silently ignores every update from the kernel (the chart draws once and
freezes), so the note also counts the pages where anywidget gave up. Median over
``INIT_SAMPLES`` fresh pages (each runs the fixture in a new kernel), with the real limit.

Run with ``make bench`` or ``python -m tools.bench browser``.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from tools import browser as lb
from tools import lab

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "browser" / "widgets_fixture.ipynb"
LESSON = ROOT / "notebooks" / "04_security_dilemma.ipynb"
#: the lesson's link toggles carry this class; the fixture has one plain checkbox
TOGGLE = ".lesson-link-toggle input[type=checkbox], .widget-checkbox input[type=checkbox]"
CLICKS = 15
WARMUP = 2
TARGET_MS = 250.0
INIT_SAMPLES = 3
ANYWIDGET_LIMIT_MS = 2000.0

#: records when each anywidget model starts its 2 s deadline and when each chart first drew
INIT_RECORDER_JS = """(() => {
  const rec = window.__fwInit = { created: [], drawn: [] };
  const orig = AbortSignal.timeout.bind(AbortSignal);
  AbortSignal.timeout = (ms) => {
    if (ms === 2000) rec.created.push(performance.now());
    return orig(ms);
  };
  new MutationObserver(() => {
    for (const p of document.querySelectorAll('.js-plotly-plot')) {
      if (!p.__fwSeen && p.querySelector('svg.main-svg')) {
        p.__fwSeen = true;
        rec.drawn.push(performance.now());
      }
    }
  }).observe(document, { subtree: true, childList: true });
})()"""

RECORDER_JS = """() => {
  // the charts of the clicked control's cell; their data is compared, not the page's
  let plots = [];
  const sig = () => JSON.stringify(plots.map(gd => gd.data),
                                   (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));
  const rec = window.__redraw = { t0: null, ms: null, base: null };
  const check = () => {
    if (rec.t0 !== null && rec.ms === null && sig() !== rec.base) {
      rec.ms = performance.now() - rec.t0;
    }
  };
  const poll = () => {
    check();
    if (rec.ms === null && performance.now() - rec.t0 < 20000) setTimeout(poll, 1);
  };
  document.addEventListener('click', (e) => {
    if (!e.target.closest('.widget-checkbox')) return;
    const cell = e.target.closest('.jp-Cell') || document;
    plots = [...cell.querySelectorAll('.js-plotly-plot')];
    for (const gd of plots) {
      if (gd.__redrawHooked) continue;
      gd.__redrawHooked = true;
      for (const ev of ['plotly_restyle', 'plotly_update', 'plotly_redraw', 'plotly_afterplot']) {
        gd.on(ev, check);
      }
    }
    rec.base = sig(); rec.ms = null; rec.t0 = performance.now();
    setTimeout(poll, 0);
  }, true);
}"""


def _page(browser, init_script: str):
    """A page whose HTTP requests off this machine are blocked (WebSockets stay unproxied)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  service_workers="block")
    context.add_init_script(init_script)
    guard = lab.NetworkGuard()
    context.route("**/*", guard._handle)
    return context, context.new_page(), guard


def _init_sample(browser, server: lb.LabServer) -> tuple[float, bool]:
    """One fresh page: ms from the FigureWidget model's creation to its chart drawn, and
    whether anywidget gave up on the model (it reports "Failed to initialize model")."""
    context, page, guard = _page(browser, INIT_RECORDER_JS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        lab.open_notebook(page, server, FIXTURE.name)
        lab.run_all(page)
        created, drawn = page.evaluate("() => [window.__fwInit.created, window.__fwInit.drawn]")
        guard.assert_clean()
        if len(created) != 1 or not drawn:
            raise RuntimeError(f"expected one anywidget model and its chart; saw {len(created)} "
                               f"models and {len(drawn)} charts")
        page.wait_for_timeout(max(0.0, ANYWIDGET_LIMIT_MS - (drawn[0] - created[0])) + 200)
        return drawn[0] - created[0], any("Failed to initialize model" in e for e in errors)
    finally:
        context.close()
        server.shutdown_kernels()


def _clicks(browser, server: lb.LabServer, notebook: str, clicks: int,
            warmup: int) -> list[float]:
    """Click-to-redraw times (ms) of the first link toggle of ``notebook``."""
    # the click figure needs a live chart even if this machine is slow today
    context, page, guard = _page(browser, lab.anywidget_init_script(60_000))
    try:
        lab.open_notebook(page, server, notebook)
        lab.run_all(page)
        page.evaluate(RECORDER_JS)
        box = page.locator(TOGGLE).first
        times: list[float] = []
        for i in range(warmup + clicks):
            box.click()
            handle = page.wait_for_function("() => window.__redraw.ms", timeout=30_000)
            ms = float(handle.json_value())
            # let the rest of the update arrive and the kernel settle before the next click
            lab.kernel_quiet(page)
            if i >= warmup:
                times.append(ms)
        guard.assert_clean()
        return times
    finally:
        context.close()
        server.shutdown_kernels()


def measure(clicks: int = CLICKS, warmup: int = WARMUP, init_samples: int = INIT_SAMPLES,
            ) -> tuple[dict[str, list[float]], list[tuple[float, bool]], str]:
    """Click-to-redraw times per notebook, FigureWidget init times (ms), browser version."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        for path in (FIXTURE, LESSON):
            shutil.copy2(path, root / path.name)
        with lb.LabServer(root, Path(tmp) / "work") as server, sync_playwright() as p:
            browser = p.chromium.launch(**lb.launch_kwargs())
            try:
                inits = [_init_sample(browser, server) for _ in range(init_samples)]
                times = {path.name: _clicks(browser, server, path.name, clicks, warmup)
                         for path in (LESSON, FIXTURE)}
                return times, inits, browser.version
            finally:
                browser.close()


def _click_row(name: str, times: list[float], what: str, version: str) -> dict:
    return {
        "name": name,
        "value": round(statistics.median(times), 1),
        "unit": "ms",
        "target": TARGET_MS,
        "note": (f"median of {len(times)} link toggle clicks in JupyterLab (min "
                 f"{min(times):.0f}, max {max(times):.0f}); {what}; Chromium {version}"),
    }


def run() -> list[dict]:
    """The benchmark rows for ``make bench``."""
    times, samples, version = measure()
    inits = [ms for ms, _failed in samples]
    froze = sum(failed for _ms, failed in samples)
    return [
        _click_row("click_to_redraw_ms", times[LESSON.name], "lesson 04 explorer", version),
        _click_row("click_to_redraw_fixture_ms", times[FIXTURE.name], "one-chart fixture",
                   version),
        {
            "name": "figurewidget_init_ms",
            "value": round(statistics.median(inits), 1),
            "unit": "ms",
            "note": (f"median of {len(inits)} fresh pages (max {max(inits):.0f}), upper bound; "
                     f"anywidget's limit is {ANYWIDGET_LIMIT_MS:.0f} ms and it gave up "
                     f"(chart frozen) in {froze} of {len(inits)}"),
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
