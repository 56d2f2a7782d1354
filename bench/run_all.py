"""Run every benchmark in bench/ in turn, each in its own process, and print their output.

    .venv/bin/python bench/run_all.py [--quick] [name ...]

``make bench`` calls it. Each ``bench/bench_*.py`` runs with ``--quick`` when that is given
(a benchmark without the option is run without it). Names restrict the run
(``run_all.py directory events`` runs bench_directory.py and bench_events.py); a name with no
file is reported and skipped, never an error. The exit status is 1 when a benchmark failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def discover(names: list[str]) -> tuple[list[Path], list[str]]:
    """The benchmark scripts to run, and the names asked for that have no script."""
    scripts = sorted(BENCH.glob("bench_*.py"))
    if not names:
        return scripts, []
    wanted = {name.removeprefix("bench_").removesuffix(".py") for name in names}
    chosen = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    missing = sorted(wanted - {s.stem.removeprefix("bench_") for s in chosen})
    return chosen, missing


def accepts_quick(script: Path) -> bool:
    """Whether the script knows --quick (benchmarks written before run_all may not)."""
    try:
        return "--quick" in script.read_text(encoding="utf-8")
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every bench/bench_*.py in turn.")
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark")
    parser.add_argument("names", nargs="*", help="only these (e.g. directory events)")
    args = parser.parse_args(argv)
    scripts, missing = discover(args.names)
    for name in missing:
        print(f"bench_{name}.py: not found, skipped.", flush=True)
    results: list[tuple[str, str, float]] = []
    for script in scripts:
        command = [sys.executable, str(script)]
        if args.quick and accepts_quick(script):
            command.append("--quick")
        print(f"\n##### {script.name} {' '.join(command[2:])}".rstrip(), flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.call(command, cwd=BENCH.parent)
        except OSError as error:
            print(f"could not start {script.name}: {error}", flush=True)
            code = -1
        elapsed = time.perf_counter() - started
        results.append((script.name, "ok" if code == 0 else f"failed ({code})", elapsed))
    print("\n##### Summary")
    if not results:
        print("No benchmark found.")
    for name, status, elapsed in results:
        print(f"{name:<40} {status:<12} {elapsed:7.1f} s")
    return 1 if any(status != "ok" for _, status, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
