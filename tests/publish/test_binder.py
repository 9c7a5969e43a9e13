"""Binder: what repo2docker would build from this repository, without Docker.

repo2docker installs the packages ``environment.yml`` lists, copies the repository and runs
its ``postBuild``; it does not install the project's own package by itself (seen with
``repo2docker --no-build --debug --no-run .``). This test rebuilds that image's Python side
in a temporary folder: a fresh virtual environment holding exactly what ``environment.yml``
lists (their pip equivalents, pinned from the lock files), a copy of the repository as git
sees it, its ``postBuild`` run as repo2docker runs it, and then lesson 00 executed with
``notebooks/`` as the working folder, as a Binder user opening it would. No step is done by
hand, so a missing install step fails here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from lessons.paths import ROOT

pytestmark = pytest.mark.slow

#: conda-only entries of environment.yml that are not pip packages
NOT_PIP = {"python", "pip"}


def conda_requirements(env_file: Path) -> tuple[str, list[str]]:
    """The Python version and the ``name==version`` pip requirements of ``environment.yml``.

    Conda-forge's names for these packages are their PyPI names, so each ``name=version``
    entry becomes ``name==version``.
    """
    env = yaml.safe_load(env_file.read_text(encoding="utf-8"))
    python, reqs = "", []
    for dep in env["dependencies"]:
        if not isinstance(dep, str):
            raise AssertionError(f"environment.yml: unexpected entry {dep!r}")
        name, _, version = dep.partition("=")
        version = version.lstrip("=")
        if name == "python":
            python = version
        elif name not in NOT_PIP:
            assert version, f"environment.yml: {name} is not pinned"
            reqs.append(f"{name}=={version}")
    return python, reqs


def lock_constraints(*locks: Path) -> str:
    """The ``name==version`` lines of the lock files, without hashes (a constraints file)."""
    lines = []
    for lock in locks:
        for line in lock.read_text(encoding="utf-8").splitlines():
            # keep environment markers: the universal lock pins some packages per Python
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*==[^\\]+?)\s*\\?$", line)
            if m:
                lines.append(m.group(1).strip())
    return "\n".join(sorted(set(lines))) + "\n"


def copy_repository(dst: Path) -> None:
    """Copy the files git tracks (and untracked, not ignored ones), as repo2docker copies."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)


EXECUTE = """
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell("import lessons; print(lessons.__file__)"))
NotebookClient(nb, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
          if o.get("output_type") == "error"]
where = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
print(json.dumps({"errors": len(errors), "lessons_file": where.strip()}))
"""


def test_binder_image_runs_lesson_00(tmp_path: Path) -> None:
    python, reqs = conda_requirements(ROOT / "environment.yml")
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}", (
        "environment.yml asks for another Python than the one this test can build with")
    repo = tmp_path / "repo"
    copy_repository(repo)
    assert (repo / "postBuild").is_file(), "no postBuild: repo2docker would not install lessons"

    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(lock_constraints(ROOT / "requirements" / "lock.txt",
                                            ROOT / "requirements" / "dev-lock.txt"))
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", str(constraints), *reqs], check=True)

    # postBuild as repo2docker runs it: in the repository, with the environment first on PATH
    run_env = {**os.environ, "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}",
               "NB_PYTHON_PREFIX": str(env), "VIRTUAL_ENV": str(env)}
    run_env.pop("LESSONS_STATIC", None)  # a Binder user works live
    run_env.pop("PYTHONPATH", None)
    subprocess.run(["bash", "postBuild"], cwd=repo, env=run_env, check=True)

    overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"

    out = subprocess.run(
        [str(env / "bin" / "python"), "-c", EXECUTE,
         str(repo / "notebooks" / "00_start_here.ipynb"), str(repo / "notebooks")],
        cwd=repo / "notebooks", env=run_env, capture_output=True, text=True, timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0
    # the kernel imported the package that postBuild installed from the repository copy
    assert Path(report["lessons_file"]).is_relative_to(repo)
    # and the source notebook was only read
    assert nbformat.read(repo / "notebooks" / "00_start_here.ipynb", as_version=4) == \
        nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
