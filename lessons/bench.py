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


def run_all(only: list[str] | None = None) -> list[dict]:
    """Run the benchmark files (all, or those whose stem contains one of ``only``)."""
    rows: list[dict] = []
    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        if only and not any(key in path.stem for key in only):
            continue
        started = time.perf_counter()
        try:
            for row in _load(path).run():
                rows.append({"file": path.name, **row})
        except Exception as exc:  # a broken benchmark is reported, the others still run
            rows.append({"file": path.name, "name": "error", "value": float("nan"),
                         "unit": "", "note": f"{type(exc).__name__}: {exc}"})
        print(f"  {path.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print a table of figures (with target and ratio) and write ``build/bench.json``."""
    rows = run_all(argv if argv is not None else sys.argv[1:])
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
    out = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "results": {r["name"]: r["value"] for r in rows if r["name"] != "error"},
        "rows": rows,
    }
    (BUILD_DIR / "bench.json").write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(f"wrote {BUILD_DIR / 'bench.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
