"""``make bench``: run every benchmark in ``benchmarks/`` and print figures and ratios.

Each ``benchmarks/bench_*.py`` file defines ``run() -> list[dict]``; a row has ``name``,
``value``, ``unit``, and optionally ``target`` (an upper bound in the same unit) and
``note``. Speed is measured here, never asserted in tests. The figures are also written to
``build/bench.json``.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

from lessons.paths import BUILD_DIR, ROOT


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def available() -> list[str]:
    """Names of the benchmark files (``bench_model.py`` → ``model``)."""
    return [p.stem.removeprefix("bench_") for p in select(None)]


def select(only: list[str] | None) -> list[Path]:
    """The benchmark files to run: all, or those whose name contains one of ``only``.

    Raises
    ------
    ValueError
        When a name matches no benchmark file (the message lists the valid names).
    """
    paths = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if not only:
        return paths
    unknown = [key for key in only if not any(key in p.stem for p in paths)]
    if unknown:
        raise ValueError(f"no benchmark matches {unknown}; choose from {available()}")
    return [p for p in paths if any(key in p.stem for key in only)]


def run_all(only: list[str] | None = None) -> list[dict]:
    """Run the benchmark files (all, or those whose stem contains one of ``only``)."""
    rows: list[dict] = []
    for path in select(only):
        started = time.perf_counter()
        try:
            for row in _load(path).run():
                rows.append({"file": path.name, **row})
        except Exception as exc:  # a broken benchmark is reported, the others still run
            rows.append({"file": path.name, "name": "error", "value": float("nan"),
                         "unit": "", "note": f"{type(exc).__name__}: {exc}"})
        print(f"  {path.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows


def _merge(previous: dict, rows: list[dict]) -> list[dict]:
    """Rows of this run, plus the earlier rows of benchmark files this run did not run."""
    ran = {r["file"] for r in rows}
    return [r for r in previous.get("rows", []) if r.get("file") not in ran] + rows


USAGE = """usage: python -m tools.bench [NAME ...]

Run the benchmarks in benchmarks/ (all, or those whose file name contains a NAME), print
figures with their targets and ratios, and update build/bench.json (figures of benchmarks
not run this time are kept). Exit status 1 if a figure is over its target or a benchmark
broke, 2 for an unknown NAME."""


def main(argv: list[str] | None = None) -> int:
    """Print a table of figures (with target and ratio) and update ``build/bench.json``."""
    args = sys.argv[1:] if argv is None else argv
    if any(a in {"-h", "--help"} for a in args):
        print(f"{USAGE}\nbenchmarks: {', '.join(available())}")
        return 0
    try:
        rows = run_all(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{'benchmark':<24} {'value':>12} {'unit':<5} {'target':>10} {'ratio':>7}  note")
    failed = 0
    for r in rows:
        target = r.get("target")
        ratio = r["value"] / target if target else float("nan")
        ok = "" if target is None else (" ok" if ratio <= 1 else " OVER")
        failed += ok == " OVER" or r["name"] == "error"
        tgt = f"{target:>10.3g}" if target is not None else f"{'':>10}"
        print(f"{r['name']:<24} {r['value']:>12.4g} {r['unit']:<5} {tgt} "
              f"{ratio:>7.2f}{ok}  {r.get('note', '')}")
    BUILD_DIR.mkdir(exist_ok=True)
    path = BUILD_DIR / "bench.json"
    try:
        previous = json.loads(path.read_text()) if path.exists() else {}
    except json.JSONDecodeError:
        previous = {}
    kept = _merge(previous, rows)
    out = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "results": {r["name"]: r["value"] for r in kept if r["name"] != "error"},
        "rows": kept,
    }
    path.write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(f"wrote {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
