"""Run every benchmark module ``benchmarks/bench_*.py`` and write the results as JSON.

Each module defines ``run(quick: bool) -> dict[str, object]``, prints its own summary and
returns its measurements, which are written to ``benchmarks/results/<name>.json``.
``--only NAME`` runs one module; ``--quick`` runs reduced sizes (for a smoke run).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", action="append", default=[], help="run only this benchmark")
    parser.add_argument("--quick", action="store_true", help="reduced sizes")
    args = parser.parse_args(argv)
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).resolve().parent)])
        if m.name.startswith("bench_")
    )
    if args.only:
        names = [n for n in names if n in args.only or n.removeprefix("bench_") in args.only]
    if not names:
        print("benchmarks: no benchmark modules found (benchmarks/bench_*.py)")
        return 0
    RESULTS.mkdir(exist_ok=True)
    # Which interpreter build runs the benchmarks matters (see scripts/pick-python).
    base = getattr(sys, "_base_executable", sys.executable)
    print(f"benchmarks: Python {sys.version.split()[0]} ({base})", flush=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = module.run(quick=args.quick)
        document = {
            "benchmark": name,
            "quick": args.quick,
            "python": sys.version.split()[0],
            "python_executable": base,
            "machine": platform.machine(),
            "seconds": round(time.perf_counter() - started, 3),
            "results": result,
        }
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
        shown = out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out
        print(f"   results written to {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
