"""The ``make bench`` driver: choosing benchmark files, bad names, keeping earlier figures.

The benchmarks themselves measure speed and are not run here (speed is never asserted in
tests); only the driver's behaviour is.
"""

from __future__ import annotations

import json

import pytest

from tools import bench


def test_every_benchmark_file_is_available_by_name():
    names = bench.available()
    assert "model" in names and "browser" in names
    assert [p.stem for p in bench.select(None)] == [f"bench_{n}" for n in names]
    assert [p.stem for p in bench.select(["mod"])] == ["bench_model"]


def test_unknown_name_is_refused_with_the_valid_names(capsys):
    with pytest.raises(ValueError, match=r"no benchmark matches \['nosuch'\].*'model'"):
        bench.select(["model", "nosuch"])
    assert bench.main(["nosuch"]) == 2
    assert "choose from" in capsys.readouterr().err


def test_help_lists_the_benchmarks_and_runs_nothing(capsys, monkeypatch):
    monkeypatch.setattr(bench, "run_all", lambda *a: pytest.fail("a benchmark ran"))
    assert bench.main(["--help"]) == 0
    assert "benchmarks: " + ", ".join(bench.available()) in capsys.readouterr().out


def test_a_partial_run_keeps_the_other_files_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BUILD_DIR", tmp_path)
    earlier = {"rows": [
        {"file": "bench_model.py", "name": "simulate_ms", "value": 1.5, "unit": "ms"},
        {"file": "bench_browser.py", "name": "click_to_redraw_ms", "value": 99.0, "unit": "ms"},
    ]}
    (tmp_path / "bench.json").write_text(json.dumps(earlier))
    monkeypatch.setattr(bench, "run_all", lambda only: [
        {"file": "bench_model.py", "name": "simulate_ms", "value": 2.0, "unit": "ms",
         "target": 1.0}])
    assert bench.main(["model"]) == 1  # over its target
    saved = json.loads((tmp_path / "bench.json").read_text())
    assert saved["results"] == {"click_to_redraw_ms": 99.0, "simulate_ms": 2.0}
