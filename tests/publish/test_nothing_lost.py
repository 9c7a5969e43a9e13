"""The "nothing lost" promise of every writing command, on a temporary copy of the project.

The copy (``notebooks/``, ``data/``, ``seeds/``, ``lessons/``, ``requirements/``) is made
once per module; in-process tests point :mod:`lessons.paths` at it, subprocess tests set
``LESSONS_ROOT``. The real notebooks are never handed to a command that writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from click.testing import CliRunner

from lessons import data, paths
from lessons.cli import commands, ports
from lessons.cli import present as present_cli
from lessons.cli import render as render_cli
from lessons.publish import cache as render_cache
from lessons.publish import execute as execution
from lessons.publish import guard, servers
from lessons.publish import render as R
from lessons.sources.catalog import parse_catalog

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "render"
CATALOG_FILE = FIXTURES / "catalog.yaml"
ALPHA, GAMMA = "91", "93"
LESSONS = [str(Path(sys.executable).parent / "lessons")]
if not Path(LESSONS[0]).exists():
    LESSONS = [sys.executable, "-m", "lessons.cli"]


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's inputs, with the fixture notebooks in ``fixtures/``."""
    root = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("notebooks", "data", "seeds", "lessons", "requirements", "jupyter"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copytree(FIXTURES, root / "fixtures")
    return root


@pytest.fixture
def in_copy(project, monkeypatch, tmp_path) -> Path:
    """Point :mod:`lessons.paths` (and the data cache) at the copy for this test."""
    for name, sub in (("ROOT", ""), ("NOTEBOOKS_DIR", "notebooks"), ("DATA_DIR", "data"),
                      ("SEEDS_DIR", "seeds"), ("BUILD_DIR", "build")):
        monkeypatch.setattr(paths, name, project / sub if sub else project)
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "data-cache")
    monkeypatch.setattr(execution, "execute_notebook",
                        lambda *a, **k: pytest.fail("a kernel was started"))
    data.clear_cache()
    yield project
    data.clear_cache()  # validation results of a broken copy must not outlive the test


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*LESSONS, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, **kw)


def copy_env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LESSONS_STATIC"}
    return {**env, "LESSONS_ROOT": str(project)}


def fixture_args(project: Path, out: Path, *lessons: str) -> list[str]:
    args = ["render", "--catalog", str(project / "fixtures" / "catalog.yaml"),
            "--notebooks", str(project / "fixtures"), "--out", str(out), "--no-progress",
            "--edition", "student"]
    for lesson in lessons:
        args += ["--lesson", lesson]
    return args


# --------------------------------------------------------------------------------------
# 1. the output guard
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "notebooks", ".", "..", "data/site", "seeds", "lessons", "lessons/publish/templates/x",
])
def test_render_refuses_outputs_among_the_inputs(in_copy, target, monkeypatch):
    before = {n: tree_hashes(in_copy / n) for n in ("notebooks", "data", "seeds", "lessons")}
    monkeypatch.chdir(in_copy)
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--out", target, "--notebooks", str(in_copy / "notebooks"), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "refusing to write into" in result.output
    assert str((in_copy / target).resolve()) in result.output
    assert {n: tree_hashes(in_copy / n) for n in before} == before


def test_render_refuses_notebooks_inside_out(in_copy, tmp_path):
    out = tmp_path / "X"
    (out / "executed").mkdir(parents=True)
    shutil.copyfile(in_copy / "fixtures" / "gamma.ipynb", out / "executed" / "gamma.ipynb")
    before = tree_hashes(out)
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--out", str(out), "--notebooks", str(out / "executed"),
        "--catalog", str(in_copy / "fixtures" / "catalog.yaml"), "--lesson", GAMMA])
    assert result.exit_code == 2 and "notebooks folder being read" in result.output
    assert tree_hashes(out) == before  # the source notebook was neither unlinked nor run


@pytest.mark.parametrize("extra", [["--out", "notebooks"], ["--in-place", "--out", "data"]])
def test_execute_refuses_to_write_into_the_sources(in_copy, extra, monkeypatch):
    before = tree_hashes(in_copy / "notebooks")
    monkeypatch.chdir(in_copy)
    result = CliRunner().invoke(render_cli.execute_cmd, ["04", "--notebooks", "notebooks", *extra])
    assert result.exit_code == 2 and "refusing to write into" in result.output, result.output
    assert tree_hashes(in_copy / "notebooks") == before


def test_guard_accepts_a_folder_of_its_own(in_copy, tmp_path):
    assert guard.check_output_dir(in_copy / "build" / "site") == in_copy / "build" / "site"
    assert guard.check_output_dir(tmp_path / "site") == tmp_path / "site"


def test_failed_execute_into_a_folder_says_what_it_wrote(project, tmp_path):
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    shutil.copyfile(project / "fixtures" / "broken.ipynb", notebooks / "broken.ipynb")
    before = tree_hashes(notebooks)
    out = tmp_path / "executed"
    result = run_cli("execute", "99", "--catalog", str(project / "fixtures" / "catalog.yaml"),
                     "--notebooks", str(notebooks), "--out", str(out), "--no-progress",
                     env=copy_env(project))
    assert result.returncode == 1, result.stderr
    assert "No source notebook was written" in result.stderr
    assert "left unchanged" not in result.stderr
    assert tree_hashes(notebooks) == before and (out / "broken.ipynb").exists()


# --------------------------------------------------------------------------------------
# 5. parameters and data before kernels
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999"])
def test_nan_and_infinities_are_refused_before_any_kernel(in_copy, tmp_path, value):
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(in_copy / "fixtures" / "catalog.yaml"),
        "--notebooks", str(in_copy / "fixtures"), "--out", str(tmp_path / "site"),
        "--lesson", GAMMA, "-p", "delay", value])
    assert result.exit_code == 2, result.output
    assert "'delay' must be a finite number" in result.output


@pytest.fixture
def broken_data(in_copy):
    original = (in_copy / "data" / "actors.csv").read_bytes()
    (in_copy / "data" / "actors.csv").write_bytes(original.replace(b"United States",
                                                                   b"United States \xe9"))
    yield in_copy
    (in_copy / "data" / "actors.csv").write_bytes(original)


def test_broken_data_is_found_once_before_any_kernel(broken_data, tmp_path, monkeypatch):
    calls = []
    real = data.check_folder
    monkeypatch.setattr(data, "check_folder", lambda root: calls.append(root) or real(root))
    data.clear_cache()
    started = time.perf_counter()
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(broken_data / "fixtures" / "catalog.yaml"),
        "--notebooks", str(broken_data / "fixtures"), "--out", str(tmp_path / "site"),
        "--lesson", ALPHA, "--lesson", GAMMA, "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert time.perf_counter() - started < 10 and len(result.output) < 10_000
    assert "data/actors.csv, row 2" in result.output and "no lesson was run" in result.output
    assert "UnicodeDecodeError" not in result.output and "Traceback" not in result.output
    assert len(calls) == 1


def test_hostile_scenario_file_exits_2_quickly_and_briefly(project, tmp_path):
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    hostile = tmp_path / "bomb.yaml"
    hostile.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("render", "--lesson", "04", "-p", "scenario", str(hostile),
                     "--out", str(tmp_path / "site"), env=copy_env(project), timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    assert time.perf_counter() - started < 10
    assert len(result.stdout) + len(result.stderr) < 10_000
    assert "bomb.yaml" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------
# 6. the cache key
# --------------------------------------------------------------------------------------


def _executed_fixture(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('CACHE-FIXTURE')", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="CACHE-FIXTURE\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Cache fixture"), cell]
    nbformat.write(nb, path)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


#: every input of a page, and how the test changes it (relative to the project copy)
CACHE_INPUTS = {
    "notebook": lambda root: _append(root / "cachenb" / "alpha.ipynb", "\n"),
    "lock file": lambda root: _append(root / "requirements" / "lock.txt", "\n# x\n"),
    "data file": lambda root: _append(root / "data" / "datapackage.json", "\n"),
    "article (seeds)": lambda root: _append(next((root / "seeds").rglob("*.*")), "\n"),
    "package source": lambda root: _append(root / "lessons" / "render.py", "\n# x\n"),
    "catalog": lambda root: _append(root / "lessons" / "catalog.yaml", "\n# x\n"),
    "page template": lambda root: _append(
        next((root / "lessons" / "publish" / "templates").rglob("*.j2")), "\n"),
}


@pytest.mark.parametrize("change", list(CACHE_INPUTS))
def test_changing_any_input_rebuilds_the_page(project, tmp_path, monkeypatch, change):
    root = tmp_path / "p"
    for name in ("data", "seeds", "requirements"):
        shutil.copytree(project / name, root / name)
    shutil.copytree(project / "lessons", root / "lessons")
    (root / "cachenb").mkdir()
    _executed_fixture(root / "cachenb" / "alpha.ipynb")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(render_cache, "PACKAGE_DIR", root / "lessons")
    catalog = parse_catalog(yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8")))
    out = tmp_path / "site"

    def statuses() -> list[str]:
        report = R.render([ALPHA], out=out, catalog=catalog, notebooks_dir=root / "cachenb",
                          editions="student", progress=False, execute=False)
        return [r.status for r in report.rows]

    assert statuses() == ["ok"]
    assert statuses() == ["cached"]
    CACHE_INPUTS[change](root)
    assert statuses() == ["ok"], f"changing the {change} did not rebuild the page"


def test_python_version_and_parameters_are_in_the_key(monkeypatch, tmp_path):
    base = render_cache.project_fingerprint(tmp_path, tmp_path)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert render_cache.project_fingerprint(tmp_path, tmp_path) != base
    digest = render_cache.page_digest(b"nb", {"delay": 1.0}, "fp")
    assert digest != render_cache.page_digest(b"nb", {"delay": 2.0}, "fp")


# --------------------------------------------------------------------------------------
# 2. atomic, collision-free publishing
# --------------------------------------------------------------------------------------


def leftovers(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and (".tmp" in p.name or "~" in p.name)]


def test_two_concurrent_renders_into_one_new_folder_both_succeed(project, tmp_path):
    out = tmp_path / "site"
    env = copy_env(project)
    procs = [subprocess.Popen([*LESSONS, *fixture_args(project, out, GAMMA)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=180) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stdout + stderr
    assert (out / "student" / "gamma.html").stat().st_size > 0
    assert (out / "index.html").stat().st_size > 0
    assert json.loads((out / "executed" / "gamma.json").read_text())["status"] == "ok"
    nbformat.read(out / "executed" / "gamma.ipynb", as_version=4)  # whole, not interleaved
    assert leftovers(out) == []


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


def test_a_full_output_folder_gives_one_line_and_leaves_nothing_half_written(project, tmp_path):
    out = tmp_path / "site"
    result = run_cli(*fixture_args(project, out, GAMMA), env=copy_env(project),
                     preexec_fn=_limit_file_size)  # plotly.min.js alone is over 1 MB
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(out) == [] and not (out / "index.html").exists()


def test_a_read_only_output_folder_gives_one_line(in_copy, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "site" / "x"))

    monkeypatch.setattr(guard.tempfile, "mkstemp", read_only)
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(in_copy / "fixtures" / "catalog.yaml"),
        "--notebooks", str(in_copy / "fixtures"), "--out", str(tmp_path / "site"),
        "--lesson", GAMMA])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: cannot write into {tmp_path / 'site'}: Permission denied "
        f"({tmp_path / 'site' / 'x'})"]


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(guard.os, "fsync", full)
    with pytest.raises(OSError, match="No space left") as info:
        guard.atomic_write(target, "new")
    assert info.value.filename == str(target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


# --------------------------------------------------------------------------------------
# 3. interrupts and kills
# --------------------------------------------------------------------------------------


def descendants(pid: int) -> set[int]:
    """PIDs of every live descendant of ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def is_kernel(pid: int) -> bool:
    try:
        return b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def start_slow_render(project: Path, out: Path,
                      jobs: int = 2) -> tuple[subprocess.Popen, set[int]]:
    """A render of two lessons whose kernels sleep; return it once ``jobs`` kernels run."""
    args = [*fixture_args(project, out, ALPHA, GAMMA), "--jobs", str(jobs), "-p", "delay", "60"]
    proc = subprocess.Popen([*LESSONS, *args], env=copy_env(project), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        family = descendants(proc.pid)
        if sum(map(is_kernel, family)) >= jobs:
            time.sleep(1.0)  # both kernels are in their sleeping cell
            return proc, descendants(proc.pid)
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the render never started two kernels")


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if alive(p)}
        if not left:
            return left
        time.sleep(0.2)
    return {p for p in pids if alive(p)}


def test_a_killed_render_leaves_no_worker_or_kernel_and_the_next_run_recovers(
        project, tmp_path):
    out = tmp_path / "site"
    proc, family = start_slow_render(project, out)
    assert len(family) >= 4  # two workers, two kernels
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    left = wait_gone(family, 15)
    for pid in left:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after SIGKILL of the render: {sorted(left)}"
    again = run_cli(*fixture_args(project, out, GAMMA), env=copy_env(project))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "1 page: 1 rendered" in again.stdout and leftovers(out) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_prints_what_finished_without_a_traceback(project, tmp_path, jobs):
    out = tmp_path / "site"
    proc, family = start_slow_render(project, out, jobs)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == render_cli.INTERRUPTED_EXIT, stdout + stderr
    assert re.search(r"Interrupted: \d+ pages? finished", stderr), stderr
    assert "Traceback" not in stderr and "never retrieved" not in stderr, stderr
    left = wait_gone(family, 15)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after Ctrl-C: {sorted(left)}"


# --------------------------------------------------------------------------------------
# 7. servers and the scheduler
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "-1", "65536"])
def test_bad_ports_are_refused(port):
    for command in (commands.lab_cmd, present_cli.present_cmd):
        args = ["--port", port] if command is commands.lab_cmd else ["04", "--port", port]
        result = CliRunner().invoke(command, args)
        assert result.exit_code == 2, result.output
        assert "choose 1-65535, or 0 for a free one" in result.output


def test_port_zero_picks_a_real_free_port():
    port = ports.check_port(0)
    assert 1 <= port <= 65535
    assert ports.check_port(8888) == 8888


def test_present_refuses_a_path_that_is_not_a_lesson(tmp_path):
    stray = tmp_path / "04_security_dilemma.ipynb"  # a lesson's name, but not a lesson
    shutil.copyfile(REPO / "notebooks" / "00_start_here.ipynb", stray)
    result = CliRunner().invoke(present_cli.present_cmd, [str(stray), "--no-browser"])
    assert result.exit_code == 1 and "is not one of the lessons" in result.output


def test_lab_token_is_private(tmp_path):
    assert commands.lab_token({"LESSONS_LAB_TOKEN": "abc"}) == "abc"
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    token_file.chmod(0o600)
    assert commands.lab_token({}, token_file) == "from-file"
    token_file.chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        commands.lab_token({}, token_file)
    assert not any("abc" in arg for arg in commands.lab_argv(8888))
    assert commands.lab_environment("abc", {"LESSONS_STATIC": "1"}) == {"JUPYTER_TOKEN": "abc"}


def test_lab_overrides_switch_the_news_off(tmp_path):
    target = commands.install_lab_overrides(tmp_path)
    assert target == tmp_path / "share/jupyter/lab/settings/overrides.json"
    settings = json.loads(target.read_text(encoding="utf-8"))
    news = settings["@jupyterlab/apputils-extension:notification"]
    schema = json.loads((Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab"
                         "/apputils-extension/notification.json").read_text(encoding="utf-8"))
    never = [c["const"] for c in schema["properties"]["fetchNews"]["oneOf"]
             if c["title"] == "Never"]
    assert news["fetchNews"] in never


def test_lab_starts_quietly_without_the_token_in_its_arguments(project, tmp_path):
    env = {**copy_env(project), "LESSONS_LAB_TOKEN": "t0ken-" + os.urandom(8).hex()}
    log = tmp_path / "lab.log"
    with log.open("w") as err:
        proc = subprocess.Popen([*LESSONS, "lab", "--port", "0"], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
    try:
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/lab\?token=(\S+)", first)
        assert match and match.group(1) != "0", first
        port, token = int(match.group(1)), match.group(2)
        assert token == env["LESSONS_LAB_TOKEN"]
        import urllib.request

        url = (f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:"
               f"notification?token={token}")
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    setting = json.loads(answer.read())
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
                time.sleep(0.3)
        # JupyterLab applies overrides.json to the defaults it serves with the schema
        assert setting["schema"]["properties"]["fetchNews"]["default"] == "false"
        for pid in {proc.pid} | descendants(proc.pid):
            assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    text = log.read_text().split("received signal 15")[0]  # what stopping it logs is ours
    assert "Deprecat" not in text and "[W " not in text, text


def test_an_unreachable_scheduler_fails_in_seconds(in_copy, tmp_path):
    port = servers.free_port()
    started = time.perf_counter()
    result = CliRunner().invoke(render_cli.render_cmd, [
        "--catalog", str(in_copy / "fixtures" / "catalog.yaml"),
        "--notebooks", str(in_copy / "fixtures"), "--out", str(tmp_path / "site"),
        "--lesson", GAMMA, "--dask", f"tcp://127.0.0.1:{port}"])
    assert time.perf_counter() - started < 15
    assert result.exit_code == 2, result.output
    assert f"cannot reach the dask scheduler at 'tcp://127.0.0.1:{port}'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_only_temporaries_of_dead_writers_are_removed(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    host = guard.socket.gethostname()
    (tmp_path / "executed").mkdir()
    dead = tmp_path / "executed" / f".page.html~{host}~{gone.stdout.strip()}~abc.tmp"
    live = tmp_path / "executed" / f".page.html~{host}~{os.getpid()}~abc.tmp"
    other_host = tmp_path / f".index.html~elsewhere~{gone.stdout.strip()}~abc.tmp"
    deep = tmp_path / "not" / "looked" / f".x~{host}~{gone.stdout.strip()}~abc.tmp"
    deep.parent.mkdir(parents=True)
    for path in (dead, live, other_host, deep):
        path.write_text("half")
    assert guard.remove_stale_temporaries(tmp_path, ["executed"]) == [dead]
    assert not dead.exists() and live.exists() and other_host.exists() and deep.exists()
