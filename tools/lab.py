"""Drive JupyterLab and Voilà pages in the browser tests and benchmarks.

A :class:`NetworkGuard` keeps every page on this machine; the functions here open a
notebook in a :class:`tools.browser.LabServer`, run it, wait until its widgets and charts
have settled, and read back what a student would see (chart data, summary text, errors).
Finding the browser and starting the servers is :mod:`tools.browser`'s job.

>>> is_local("http://127.0.0.1:8888/lab"), is_local("https://cdn.example.org/x.js")
(True, False)
"""

from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.browser import LabServer


# --------------------------------------------------------------------------------------------
# The page: network guard, and what the tests read from JupyterLab and Voila
# --------------------------------------------------------------------------------------------
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
#: schemes that never leave the machine (file: for a rendered site opened from disk)
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "file", "chrome", "chrome-extension",
                           "devtools"})


def is_local(url: str) -> bool:
    """True when ``url`` stays on this machine (the local server, data: or blob: URLs)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in {
        h.strip("[]") for h in LOCAL_HOSTS
    }


class NetworkGuard:
    """Blocks and records every request a browser context makes outside this machine.

    ``guard.attach(context)`` routes all HTTP(S) requests through :meth:`_handle` (local
    ones continue, others are aborted and recorded) and every WebSocket to a host other
    than the local server; service workers must be blocked when the context is created
    (``service_workers="block"``) so that nothing bypasses the route.
    """

    #: WebSocket URLs that do not point at the local server
    _WS_OUTSIDE = re.compile(r"^wss?://(?!(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))")

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def attach(self, context: Any) -> NetworkGuard:
        context.route("**/*", self._handle)
        context.route_web_socket(self._WS_OUTSIDE, self._handle_ws)
        return self

    def _handle(self, route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _handle_ws(self, ws: Any) -> None:
        self.blocked.append(ws.url)
        ws.close()

    def message(self) -> str:
        """Human-readable list of the blocked requests."""
        listed = "".join(f"\n  {u}" for u in dict.fromkeys(self.blocked))
        return f"{len(self.blocked)} request(s) outside the local server were attempted:{listed}"

    def assert_clean(self) -> None:
        """Raise AssertionError listing every request that tried to leave the machine."""
        assert not self.blocked, self.message()


#: environment variable: the anywidget model-initialization limit in pages under test
#: (milliseconds, or ``strict`` for anywidget's own 2000 ms; see tests/browser/conftest.py)
ANYWIDGET_INIT_ENV = "LESSONS_ANYWIDGET_INIT_MS"


def anywidget_init_script(ms: int) -> str:
    """A page init script that raises anywidget's model-initialization limit to ``ms``.

    anywidget 0.11 rejects a model's readiness after ``AbortSignal.timeout(2000)``; after
    that, every message from the kernel to that widget is dropped (a FigureWidget draws once,
    then never updates). Plotly's FigureWidget ships ~4.6 MB of JavaScript per widget, which
    can take longer than 2 s to evaluate on a slow or overloaded machine. The tests use
    this so that machine load cannot fail them; ``make bench`` measures the real margin.
    """
    return ("(() => { const orig = AbortSignal.timeout.bind(AbortSignal);"
            f" AbortSignal.timeout = (ms) => orig(ms === 2000 ? {int(ms)} : ms); }})()")


#: a short fingerprint of every Plotly chart's ``data`` in the page, in page order
CHART_SIGNATURES_JS = """() => {
  const replacer = (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const hash = (s) => {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return (h >>> 0).toString(16) + ':' + s.length;
  };
  return [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
    try { return hash(JSON.stringify(gd.data || null, replacer)); }
    catch (e) { return 'error:' + e; }
  });
}"""

#: how many charts are in the page and how many have drawn (have Plotly's SVG)
CHARTS_DRAWN_JS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return [plots.length, plots.filter(p => p.querySelector('svg.main-svg')).length];
}"""

#: text of what the charts' summaries can be: elements with class ``lesson-chart-summary``
#: when a lesson marks them, otherwise all output text except controls, charts and stderr
SUMMARY_TEXT_JS = """() => {
  const norm = (s) => s.replace(/\\s+/g, ' ').trim();
  const marked = [...document.querySelectorAll('.lesson-chart-summary')];
  if (marked.length) return marked.map(e => norm(e.textContent)).join('\\n');
  const skip = ['.js-plotly-plot', '.widget-readout', '.widget-slider', '.widget-checkbox',
    '.widget-dropdown', '.widget-toggle-buttons', '.widget-radio', '.widget-button', 'button',
    'input', 'select', 'textarea', 'script', 'style',
    '[data-mime-type="application/vnd.jupyter.stderr"]'].join(',');
  const parts = [];
  for (const out of document.querySelectorAll('.jp-OutputArea-output')) {
    if (out.parentElement && out.parentElement.closest('.jp-OutputArea-output')) continue;
    const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && n.parentElement.closest(skip)) continue;
      const t = norm(n.textContent);
      if (t) parts.push(t);
    }
  }
  return parts.join('\\n');
}"""

#: error outputs: stderr streams and tracebacks, and widgets that failed to display
ERRORS_JS = """() => {
  const errs = [];
  for (const e of document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    errs.push(e.textContent.trim().slice(0, 2000));
  }
  for (const e of document.querySelectorAll('.jp-OutputArea-output')) {
    const t = e.textContent;
    const bad = /Traceback \\(most recent|Error displaying widget|Failed to load model class/;
    if (bad.test(t)
        && !e.matches('[data-mime-type="application/vnd.jupyter.stderr"]')
        && !e.querySelector('.jp-OutputArea-output')) {
      errs.push(t.trim().slice(0, 2000));
    }
  }
  return errs;
}"""

#: JupyterLab finished Run All: kernel idle, no cell queued or running, and every code
#: cell with source has an execution count (or an error stopped the run)
RUN_DONE_JS = """() => {
  const bar = document.querySelector('#jp-main-statusbar');
  if (!bar || !bar.textContent.includes('| Idle')) return false;
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  let pending = 0;
  for (const c of cells) {
    const prompt = (c.querySelector('.jp-InputPrompt') || {}).textContent || '';
    if (prompt.includes('*')) return false;
    const src = (c.querySelector('.cm-content') || {}).textContent || '';
    if (src.trim() && !/\\[\\d+\\]/.test(prompt)) pending++;
  }
  if (pending === 0) return true;
  return document.querySelector(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
}"""

KERNEL_IDLE_JS = """() => {
  const bar = document.querySelector('#jp-main-statusbar');
  return !!bar && /\\| Idle/.test(bar.textContent) && !!document.querySelector('.jp-Notebook');
}"""


def open_notebook(page: Any, server: LabServer, relpath: str, timeout: float = 180.0) -> None:
    """Open ``relpath`` in JupyterLab and wait until its kernel is idle (status bar)."""
    page.goto(server.notebook_url(relpath), timeout=timeout * 1000)
    page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout * 1000)


def _menu(page: Any, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").click()


def run_all(page: Any, timeout: float = 600.0) -> float:
    """Clear all outputs, then Run All from the Run menu; wait for the end; return seconds.

    Clearing first removes the committed (static) outputs and execution counts, so the
    end of the run is seen from the prompts and not mistaken for the saved state.
    """
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')]
        .every(p => !/\\d/.test(p.textContent))""", timeout=30_000)
    started = time.perf_counter()
    _menu(page, "Run", "runmenu:run-all")
    page.wait_for_function(RUN_DONE_JS, timeout=timeout * 1000, polling=200)
    elapsed = time.perf_counter() - started
    wait_settled(page, timeout=120)
    return elapsed


#: widget outputs whose view has not rendered yet (ipywidgets' placeholder text)
WIDGETS_LOADING_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
  .filter(e => e.textContent.trim() === 'Loading widget...').length"""


def wait_settled(page: Any, timeout: float = 30.0, quiet: float = 0.6) -> bool:
    """Wait until every widget rendered, every chart drew, and charts and text stopped changing.

    Returns False if that did not happen within ``timeout`` seconds (the caller's checks
    then report what is missing).
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        total, drawn = page.evaluate(CHARTS_DRAWN_JS)
        loading = page.evaluate(WIDGETS_LOADING_JS)
        state = (total, drawn, loading, page.evaluate(CHART_SIGNATURES_JS),
                 page.evaluate(SUMMARY_TEXT_JS))
        if state != last:
            last, stable_since = state, time.monotonic()
        elif drawn == total and not loading and time.monotonic() - stable_since >= quiet:
            return True
        time.sleep(0.1)
    return False


def output_errors(page: Any) -> list[str]:
    """Texts of error outputs in the page (stderr, tracebacks, widgets that failed)."""
    return page.evaluate(ERRORS_JS)


def chart_signatures(page: Any) -> list[str]:
    """A fingerprint of each chart's data, in page order."""
    return page.evaluate(CHART_SIGNATURES_JS)


def summary_text(page: Any) -> str:
    """The text the charts' summaries can be in (see :data:`SUMMARY_TEXT_JS`)."""
    return page.evaluate(SUMMARY_TEXT_JS)


#: true once JupyterLab's status bar says the kernel is idle, or on a page without one
IDLE_OR_NO_STATUS_BAR_JS = """() => { const b = document.querySelector('#jp-main-statusbar');
  return !b || b.textContent.includes('| Idle'); }"""


def wait_kernel_idle(page: Any, timeout: float = 30.0) -> bool:
    """Wait until JupyterLab's status bar says ``| Idle`` (at once where there is no status
    bar: Voila, a static page); return whether it did within ``timeout`` seconds.

    The idle message follows a request's outputs on the same channel, so once idle the
    kernel has sent everything a control's change caused.
    """
    try:
        page.wait_for_function(IDLE_OR_NO_STATUS_BAR_JS, timeout=timeout * 1000, polling=50)
    except Exception:
        return False
    return True


def has_status_bar(page: Any) -> bool:
    """Whether the page shows JupyterLab's status bar (and so the kernel's state)."""
    return bool(page.evaluate("() => !!document.querySelector('#jp-main-statusbar')"))


def kernel_quiet(page: Any, timeout: float = 30.0) -> bool:
    """Wait until the kernel is idle and the page stopped changing; return whether it did.

    The status bar is redrawn on an animation frame, after the messages that changed a
    chart were handled: right after a chart changed it can still show the "Idle" of before
    the click. So idleness counts only when it holds before *and* after a quiet spell of
    the page (:func:`wait_settled`, 0.3 s): a stale "Idle" has turned into "Busy" by then.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = max(deadline - time.monotonic(), 0.1)
        if (wait_kernel_idle(page, left) and wait_settled(page, timeout=left, quiet=0.3)
                and page.evaluate(IDLE_OR_NO_STATUS_BAR_JS)):
            return True
    return False


def wait_for_change(page: Any, before_charts: list[str], before_text: str,
                    timeout: float = 6.0, grace: float = 15.0) -> tuple[bool, bool]:
    """Wait until a chart's data changed and the summary text changed (or time runs out).

    Returns ``(chart_changed, summary_changed)``. ``timeout`` bounds the wait for anything
    to change: a control that drives nothing costs only that. Once something changed, an
    explorer with several charts may still be sending the rest one by one:

    - in JupyterLab the answer waits for the kernel to finish (:func:`kernel_quiet`, up to
      ``grace`` seconds) and looks once more: a summary that has not changed by then is
      not going to;
    - a page without a status bar (Voila) does not show the kernel's state, and a quiet
      page only means the kernel is still computing: there the answer waits for the other
      change itself, up to ``grace`` seconds.
    """
    deadline = time.monotonic() + timeout
    chart_changed = text_changed = False
    while time.monotonic() < deadline:
        chart_changed = chart_changed or chart_signatures(page) != before_charts
        text_changed = text_changed or summary_text(page) != before_text
        if chart_changed and text_changed:
            break
        if chart_changed or text_changed:
            if not has_status_bar(page):
                deadline = time.monotonic() + grace
                while not (chart_changed and text_changed) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    chart_changed = chart_changed or chart_signatures(page) != before_charts
                    text_changed = text_changed or summary_text(page) != before_text
                break
            kernel_quiet(page, timeout=grace)
            chart_changed = chart_changed or chart_signatures(page) != before_charts
            text_changed = text_changed or summary_text(page) != before_text
            break
        time.sleep(0.05)
    return chart_changed, text_changed


def wait_for_summary_change(page: Any, before: str, timeout: float = 5.0) -> bool:
    """Wait until the summary text differs from ``before``; return whether it did."""
    try:
        page.wait_for_function(f"(before) => ({SUMMARY_TEXT_JS})() !== before", arg=before,
                               timeout=timeout * 1000, polling=20)
        return True
    except Exception:
        return False


def notebook_screenshot(page: Any, path: Path, max_height: int = 12000) -> None:
    """Screenshot the whole lesson: the viewport grows to the content's height first.

    The content scrolls inside JupyterLab's notebook panel or Voila's ``#rendered_cells``
    (the page itself does not scroll), so a full-page screenshot would show one screen.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1400, "height": 1000}
    extra = page.evaluate("""() => {
      const boxes = [...document.querySelectorAll(
        '.jp-NotebookPanel-notebook, .jp-WindowedPanel-outer, #rendered_cells')];
      boxes.push(document.scrollingElement || document.documentElement);
      for (const b of boxes) b.scrollTop = 0;  // from the top (Run All leaves it at the end)
      return Math.max(0, ...boxes.map(b => b.scrollHeight - b.clientHeight));
    }""")
    height = min(max_height, size["height"] + int(extra))
    if height != size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    if height != size["height"]:
        page.set_viewport_size(size)
        page.wait_for_timeout(200)
