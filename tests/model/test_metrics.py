"""lessons.model.metrics: metric names shared by the engine and the result, no cycle."""

import ast
from pathlib import Path

import pytest

from lessons.model import ModelError, engine, metrics, network


def _imports(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_result_does_not_import_the_engine():
    from lessons.model import result

    assert "lessons.model.engine" not in _imports(result)
    assert "lessons.model.engine" not in _imports(metrics)


def test_engine_keeps_the_name_the_views_read():
    assert engine.subjects is metrics.subjects


def test_subject_column():
    subj = metrics.subjects(network.actors())
    assert metrics.subject_column("cohesion", subj["cohesion"][1]) == 1
    with pytest.raises(ModelError, match="valid metrics: cohesion, credibility"):
        metrics.subject_column("nope", "x")
    with pytest.raises(ModelError, match="valid subjects: euro_atlantic, indo_pacific"):
        metrics.subject_column("tension", "arctic")
