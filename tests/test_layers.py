"""The package's layers: each imports only from the layers before it.

The order is sources, data, model, views, live, publish, cli. The foundation modules
(``paths``, ``mode``, ``quoting``) hold no lesson logic and may be imported by any layer.
Every ``import`` statement counts, including those inside functions: a lazy import that
runs back up the layers is still a dependency a newcomer has to know about.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import lessons

PACKAGE = Path(lessons.__file__).parent
LAYERS = ("sources", "data", "model", "views", "live", "publish", "cli")
FOUNDATION = {"paths", "mode", "quoting"}


def _imported(path: Path) -> set[str]:
    """The ``lessons`` modules a file imports, as dotted names (``lessons.views.charts``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "lessons"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "lessons":
                found |= {f"lessons.{a.name}" for a in node.names}
            elif node.module.startswith("lessons."):
                found.add(node.module)
    return found


def _layer_of(dotted: str) -> str:
    """The layer (or foundation module) a dotted ``lessons.`` name belongs to."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_sits_in_a_layer_or_the_foundation():
    loose = []
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        top = rel.parts[0].removesuffix(".py")
        if top not in LAYERS and top not in FOUNDATION and rel.as_posix() != "__init__.py":
            loose.append(rel.as_posix())
    assert not loose, f"modules outside the layers: {loose}"


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_the_layers_before_it(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1]) | FOUNDATION
    wrong = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in sorted(_imported(path)):
            if _layer_of(name) not in allowed:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_foundation_imports_no_layer():
    wrong = [f"{name}.py imports {dep}" for name in sorted(FOUNDATION)
             for dep in sorted(_imported(PACKAGE / f"{name}.py")) if _layer_of(dep) in LAYERS]
    assert not wrong, wrong


def test_the_checker_sees_a_violation(tmp_path):
    """The rule above could pass by finding nothing: show it finds a real upward import."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from lessons.live import widgets\n"
                   "    from lessons import model\n")
    found = {_layer_of(n) for n in _imported(bad)}
    assert found == {"live", "model"}


def test_the_runtime_package_never_imports_the_test_tools():
    wrong = [str(p.relative_to(PACKAGE)) for p in _modules()
             if any(n.split(".")[0] == "tools" for n in _imported_any(p))]
    assert not wrong, wrong


def _imported_any(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _publish_modules() -> list[str]:
    """Every module of the publish layer, as a dotted name (the package itself first)."""
    return ["lessons.publish", *(f"lessons.publish.{p.stem}"
                                 for p in sorted((PACKAGE / "publish").glob("*.py"))
                                 if p.stem != "__init__")]


@pytest.mark.parametrize(("module", "absent"), [
    # publishing is a library: its command line lives in lessons.cli, so no publish module
    # needs click
    *((name, ("click",)) for name in _publish_modules()),
    # the command group loads each command (and the publish layer) only when it runs
    ("lessons.cli", tuple(_publish_modules())),
    # the model runs without any display library
    ("lessons.model", ("plotly", "ipywidgets", "IPython", "nbformat", "papermill", "click")),
    # the sources (article, catalog) need neither numbers nor display
    ("lessons.sources.catalog", ("numpy", "pandas", "plotly", "ipywidgets", "papermill")),
    # chart builders are pure: no widgets, no kernel machinery
    ("lessons.views.charts", ("ipywidgets", "papermill", "nbconvert")),
    # the command line starts without loading a lesson's stack
    ("lessons.cli", ("numpy", "pandas", "plotly", "ipywidgets", "papermill", "lessons.model")),
])
def test_what_an_import_pulls_in(module, absent):
    """Like click's own tests: importing a layer must not drag in what it does not need."""
    code = (f"import sys, {module}; "
            f"print(' '.join(m for m in {absent!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [], f"importing {module} loads {out}"


def test_a_command_loads_its_module_when_it_runs():
    """The other side of the lazy loading above: asking for ``render`` does import it."""
    code = ("import sys, click, lessons.cli as c; "
            "command = c.main.get_command(click.Context(c.main), 'render'); "
            "print(command.name, 'lessons.cli.render' in sys.modules, "
            "'lessons.publish.render' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["render", "True", "True"]


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules a file imports at run time (``if TYPE_CHECKING:`` blocks left
    out: they never execute). ``from lessons.model import engine`` counts as importing
    the submodule ``lessons.model.engine``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test)
                   for stmt in node.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names}
            found |= subs & modules
            if subs - modules and node.module in modules:
                found.add(node.module)
    return found


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_cycles(files: dict[str, Path]) -> list[list[str]]:
    """Cycles among the modules' run-time imports (a package importing its own
    submodules from its ``__init__`` is not a cycle)."""
    import networkx as nx

    graph = nx.DiGraph()
    for name, path in files.items():
        graph.add_node(name)
        for target in _runtime_imports(path, set(files)):
            if target != name and not name.startswith(target + "."):
                graph.add_edge(name, target)
    return [sorted(c) for c in nx.simple_cycles(graph)]


def test_no_import_cycle():
    files = {_module_name(p): p for p in _modules()}
    assert import_cycles(files) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from lessons.b import f\n")
    b.write_text("def f():\n    from lessons.a import g\n")
    typing_only = tmp_path / "c.py"
    typing_only.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                           "    from lessons.a import g\n")
    files = {"lessons.a": a, "lessons.b": b, "lessons.c": typing_only}
    assert import_cycles(files) == [["lessons.a", "lessons.b"]]
