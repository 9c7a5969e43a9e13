"""The conda environment, the pip lock files and pyproject.toml pin the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from lessons.paths import ROOT

#: Test tools the conda environment carries besides the runtime dependencies.
NOTEBOOK_TEST_TOOLS = ("nbval", "pytest")

PIN = r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[[^\]]*\])?\s*={1,2}\s*([^\s;\\]+)"


def _pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(PIN, line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_direct_dependency_is_pinned_exactly():
    deps = _pyproject()["project"]["dependencies"]
    assert deps, "pyproject has no dependencies"
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]


def test_lock_files_pin_the_direct_dependencies_at_the_same_versions():
    direct = _pins(_pyproject()["project"]["dependencies"])
    dev_direct = _pins(_pyproject()["project"]["optional-dependencies"]["dev"])
    lock = _pins((ROOT / "requirements" / "lock.txt").read_text().splitlines())
    dev_lock = _pins((ROOT / "requirements" / "dev-lock.txt").read_text().splitlines())
    for name, version in direct.items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"
        assert dev_lock.get(name) == version, f"{name}: dev-lock differs"
    for name, version in dev_direct.items():
        assert dev_lock.get(name) == version, f"{name}: pyproject {version}, dev-lock differs"
    # the test lock extends the runtime lock; it never moves a shared package
    for name, version in lock.items():
        assert dev_lock.get(name, version) == version, f"{name} differs between locks"


def test_lock_files_hash_every_package():
    for name in ("lock.txt", "dev-lock.txt"):
        text = (ROOT / "requirements" / name).read_text()
        pinned = [ln for ln in text.splitlines() if re.match(r"^[A-Za-z0-9]", ln)]
        assert pinned and all("==" in ln and ln.rstrip().endswith("\\") for ln in pinned), name


def test_environment_yml_pins_the_same_direct_dependencies():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[name.lower()] = version.lstrip("=")
    direct = _pins(_pyproject()["project"]["dependencies"])
    dev = _pins(_pyproject()["project"]["optional-dependencies"]["dev"])
    assert conda.pop("python") == "3.11"
    # the notebook-test tools a Jupyter user runs (`pytest --nbval notebooks`), at the
    # versions of the test lock
    tools = {name: conda.pop(name, None) for name in NOTEBOOK_TEST_TOOLS}
    assert tools == {name: dev[name] for name in NOTEBOOK_TEST_TOOLS}
    assert conda == direct


def test_anywidget_is_a_dependency():
    # plotly 7 builds FigureWidget on anywidget: without it, FigureWidget raises ImportError
    assert "anywidget" in _pins(_pyproject()["project"]["dependencies"])
