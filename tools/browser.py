"""Find (or install) the Chromium that the browser tests drive, and start their servers.

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
