"""Find (or install) the Chromium that the browser tests and benchmarks drive.

The tests drive JupyterLab and Voilà in a real Chromium through Playwright. Playwright
cannot always download its own browser build, so the system's package comes first
(Debian's ``chromium``); Playwright's download is the fallback.

``python -m tools.browser ensure`` (run by ``make test``) finds a browser or installs one:
the system package with ``apt-get`` when running as root where apt exists (as on CI),
otherwise ``playwright install chromium``. It exits non-zero with a clear message when it
cannot. ``python -m tools.browser path`` prints the browser it would use.

>>> kw = launch_kwargs(executable="/usr/bin/chromium")
>>> kw["executable_path"], "--no-sandbox" in kw["args"], kw["headless"]
('/usr/bin/chromium', True, True)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

# one way to find a free port, shared with `lessons lab` (re-exported for the tests)
from lessons.publish.servers import free_port as free_port

#: environment variable naming a browser executable to use instead of searching
ENV_VAR = "LESSONS_CHROMIUM"

#: executables tried in order (absolute paths first, then names on PATH)
CANDIDATES: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
)

#: Chromium flags that worked on this stack: headless, no sandbox as root, and no
#: background traffic of the browser's own (updates, sync, QUIC probes).
FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class BrowserNotFound(RuntimeError):
    """No usable Chromium: neither a system one nor Playwright's own download."""


def _usable(path: str | os.PathLike[str]) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def system_browser() -> str | None:
    """Return the path of a system Chromium (``$LESSONS_CHROMIUM`` first), or None."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        found = override if _usable(override) else shutil.which(override)
        return str(found) if found else None
    for name in CANDIDATES:
        if os.path.isabs(name):
            if _usable(name):
                return name
        elif found := shutil.which(name):
            return found
    return None


def playwright_browser() -> str | None:
    """Return the path of Playwright's own downloaded Chromium if it is installed, or None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:
        return None
    return path if path and _usable(path) else None


def find_browser() -> str:
    """Return the Chromium executable to drive, or raise :class:`BrowserNotFound`."""
    path = system_browser() or playwright_browser()
    if path is None:
        raise BrowserNotFound(
            "no Chromium found: install Debian's 'chromium' (apt-get install chromium), or "
            f"run 'python -m tools.browser ensure', or set {ENV_VAR} to a Chromium executable"
        )
    return path


def launch_kwargs(*, headless: bool = True, executable: str | None = None) -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch(**kwargs)``.

    ``executable_path`` is the browser from :func:`find_browser` (raises if none); the
    flags are :data:`FLAGS`. Playwright gives every ``launch`` a fresh, temporary profile
    of its own (it refuses a ``--user-data-dir`` flag there); use
    :func:`persistent_context_kwargs` to choose the profile folder yourself.
    """
    args = [f for f in FLAGS if headless or f != "--headless"]
    return {
        "executable_path": executable or find_browser(),
        "headless": headless,
        "args": args,
    }


def persistent_context_kwargs(*, headless: bool = True,
                              executable: str | None = None) -> dict[str, Any]:
    """Keyword arguments for ``chromium.launch_persistent_context(**kwargs)``.

    Like :func:`launch_kwargs`, plus ``user_data_dir``: a fresh, empty temporary folder
    (the caller may delete it after closing the context).
    """
    return {
        **launch_kwargs(headless=headless, executable=executable),
        "user_data_dir": tempfile.mkdtemp(prefix="lessons-chromium-profile-"),
    }


# --------------------------------------------------------------------------------------------
# JupyterLab for the browser tests and benchmarks
# --------------------------------------------------------------------------------------------
def wait_for_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Wait until something accepts connections on ``127.0.0.1:port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with status {proc.returncode} before listening")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


def die_with_parent() -> None:
    """``preexec_fn`` for servers started by tests: on Linux, get SIGTERM when the parent dies.

    A test worker that is killed (a timeout, Ctrl-C twice) cannot run its teardown; without
    this its JupyterLab or Voila server would live on, orphaned.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def live_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment with live widgets: ``LESSONS_STATIC`` removed.

    The interpreter's folder comes first on ``PATH`` so that ``jupyter`` and the kernels it
    starts are the ones of this environment (where ``lessons`` is importable).
    """
    env = dict(os.environ if base is None else base)
    env.pop("LESSONS_STATIC", None)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "")])
    return env


#: JupyterLab settings for a browser under test: every cell stays in the page (no
#: virtual scrolling, so off-screen charts exist and can be checked), no news or update
#: checks, no autosave.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"checkForUpdates": False,
                                                    "fetchNews": "false"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


class LabServer:
    """A JupyterLab server on a free 127.0.0.1 port with a random token.

    Serves ``root_dir`` (pass a temporary copy: the browser may save notebooks). Its
    configuration, settings, workspaces and runtime files live in ``workdir``, so servers
    in parallel test workers never share state with each other or with the user's own.
    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, root_dir: Path, workdir: Path, *, timeout: float = 90.0) -> None:
        self.root_dir = Path(root_dir)
        self.workdir = Path(workdir)
        self.timeout = timeout
        self.token = secrets.token_hex(16)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterlab.log"

    @property
    def url(self) -> str:
        """The server's base URL (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, relpath: str) -> str:
        """URL opening ``relpath`` in a fresh workspace, logged in with the token."""
        return f"{self.url}/lab/tree/{relpath}?reset&token={self.token}"

    def _write_settings(self) -> Path:
        settings = self.workdir / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return settings

    def _command(self) -> list[str]:
        lab = Path(sys.executable).parent / "jupyter-lab"
        exe = [str(lab)] if lab.exists() else [sys.executable, "-m", "jupyterlab"]
        return [
            *exe,
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.user_settings_dir={self._write_settings()}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    def _env(self) -> dict[str, str]:
        env = live_env()
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")):
            env[var] = str(self.workdir / sub)
        env.pop("JUPYTER_PATH", None)
        return env

    def start(self) -> LabServer:
        """Start the server and wait until its API answers (a few tries for a free port)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for _attempt in range(3):
            self.port = free_port()
            with self.log_path.open("ab") as log:
                self.proc = subprocess.Popen(
                    self._command(), cwd=self.root_dir, env=self._env(), stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=die_with_parent,
                )
            try:
                self._wait_ready()
                return self
            except Exception as exc:
                last = exc
                self.stop()
        raise RuntimeError(f"JupyterLab did not start: {last}\n{self.log_tail()}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {self.proc.returncode}")
            try:
                self.api("GET", "/api/status")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise TimeoutError(f"JupyterLab not answering after {self.timeout:.0f} s")

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API with the token; return the decoded JSON (or None)."""
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel session (call after each notebook, to free memory)."""
        try:
            for session in self.api("GET", "/api/sessions") or []:
                self.api("DELETE", f"/api/sessions/{session['id']}")
        except (OSError, urllib.error.URLError):
            pass

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (and its kernels): SIGTERM, then SIGKILL to its process group."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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


def _run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    try:
        return subprocess.run(cmd, env=env, check=False).returncode
    except OSError as exc:
        print(f"  could not run {cmd[0]}: {exc}", file=sys.stderr)
        return 127


def install() -> list[str]:
    """Try to install a Chromium; return a list of what was tried and failed."""
    failures: list[str] = []
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    apt = shutil.which("apt-get")
    if is_root and apt:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        rc = _run([apt, "update", "-qq"], env)
        if rc == 0:
            rc = _run([apt, "install", "-y", "-qq", "--no-install-recommends", "chromium"], env)
        if rc == 0 and system_browser():
            return failures
        failures.append(f"apt-get install chromium failed (exit {rc})")
    elif apt:
        failures.append("apt-get exists but this is not root: skipped the system package")
    rc = _run([sys.executable, "-m", "playwright", "install", "chromium"])
    if rc != 0:
        failures.append(f"playwright install chromium failed (exit {rc})")
    return failures


def ensure() -> int:
    """Find a browser or install one; print the result; return a process exit status."""
    try:
        print(f"browser: {find_browser()}")
        return 0
    except BrowserNotFound:
        print("no Chromium found; installing one", file=sys.stderr)
    failures = install()
    try:
        print(f"browser: {find_browser()}")
        return 0
    except BrowserNotFound as exc:
        tried = "".join(f"\n  - {f}" for f in failures)
        print(
            f"error: {exc}\ntried:{tried or ' nothing'}\n"
            "The browser tests (pytest -m browser) need it: they fail, never skip, without one.",
            file=sys.stderr,
        )
        return 1


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.browser [ensure|path]``."""
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "ensure"
    if command == "ensure":
        return ensure()
    if command == "path":
        try:
            print(find_browser())
            return 0
        except BrowserNotFound as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print("usage: python -m tools.browser [ensure|path]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
