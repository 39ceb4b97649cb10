"""Run the benchmarks: every ``benchmarks/bench_*.py`` that defines ``run() -> list[Result]``.

    make bench                                  # all of them
    make bench BENCH_ARGS="--only workdays"     # bench_workdays.py only (repeatable)
    make bench BENCH_ARGS="--list"

Django is set up once, on a database created and migrated for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
# Benchmarks bulk-load millions of rows with COPY; the statement timeout that keeps a silent
# database from hanging a web request would cancel them on a busy machine.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")

from benchmarks import harness  # noqa: E402


def discover() -> dict[str, str]:
    """Short name (``workdays``) → module (``benchmarks.bench_workdays``), sorted."""
    return {
        path.stem.removeprefix("bench_"): f"benchmarks.{path.stem}"
        for path in sorted(HERE.glob("bench_*.py"))
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="a benchmark's short name (bench_NAME.py)"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)

    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    selected = available
    if args.only:
        names = [name.removeprefix("bench_").removesuffix(".py") for name in args.only]
        unknown = sorted(set(names) - set(available))
        if unknown:
            parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(available)}")
        selected = {name: available[name] for name in names}

    started = time.perf_counter()
    with harness.django_environment():
        for name, module_name in selected.items():
            module = importlib.import_module(module_name)
            if not callable(getattr(module, "run", None)):
                print(f"\n== {name}: no run() function, skipped")
                continue
            title = (module.__doc__ or name).strip().splitlines()[0]
            harness.print_results(f"{name}: {title}", module.run())
    print(f"\n{len(selected)} benchmark(s) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
