"""The README's "Using the model from Python" example runs and gives tidy results."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lessons.paths import ROOT

HEADING = "## Using the model from Python"


def _example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if HEADING not in text:
        pytest.fail(f"README.md has no section {HEADING!r}")
    section = text.split(HEADING, 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    if match is None:
        pytest.fail(f"the section {HEADING!r} has no ```python code block")
    return match.group(1)


def test_readme_model_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything the example writes stays out of the clone
    namespace: dict = {}
    exec(compile(_example(), "README.md", "exec"), namespace)
    frames = [v for k, v in namespace.items() if isinstance(v, pd.DataFrame)
              and not k.startswith("_")]
    tidy = namespace.get("tidy", frames[0] if frames else None)
    assert isinstance(tidy, pd.DataFrame), "the example should leave its tidy frame in `tidy`"
    assert list(tidy.columns) == ["year", "metric", "subject", "value"]
    assert len(tidy) > 0
