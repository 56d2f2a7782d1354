"""Run every benchmark in bench/ in turn, each in its own process; one summary table at the end.

    .venv/bin/python bench/run_all.py [--quick] [name ...]

``make bench`` calls it. Each ``bench/bench_*.py`` runs with ``--quick`` when that is given
(a benchmark without the option is run without it). Names restrict the run
(``run_all.py directory events`` runs bench_directory.py and bench_events.py); a name with no
file is reported and skipped, never an error.

Every benchmark checks its figures against its targets through ``_support.Reporter``, which
appends each figure to the file named by ``SETU_BENCH_RESULTS``; this script sets it, and
prints the figures of every benchmark in one table at the end (figure, value, target, ratio
to the in-run baseline, met or MISSED). The exit status is 1 when a benchmark failed, missed
a target, or measured nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from _support import RESULTS_ENV, Figure, read_figures, summary_table, table  # noqa: E402


def discover(names: list[str], folder: Path = BENCH) -> tuple[list[Path], list[str]]:
    """The benchmark scripts to run, and the names asked for that have no script."""
    scripts = sorted(folder.glob("bench_*.py"))
    if not names:
        return scripts, []
    wanted = {name.removeprefix("bench_").removesuffix(".py") for name in names}
    chosen = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    missing = sorted(wanted - {s.stem.removeprefix("bench_") for s in chosen})
    return chosen, missing


def accepts_quick(script: Path) -> bool:
    """Whether the script knows --quick."""
    try:
        return "--quick" in script.read_text(encoding="utf-8")
    except OSError:
        return False


def status_of(code: int, figures: list[Figure]) -> str:
    """ "ok", or why the benchmark counts as failed."""
    missed = sum(not figure.met for figure in figures)
    if missed:
        return f"{missed} missed"
    if not figures:
        return "no figures" if code == 0 else f"failed ({code})"
    return "ok" if code == 0 else f"failed ({code})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every bench/bench_*.py in turn.")
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark")
    parser.add_argument("--folder", type=Path, default=BENCH, help=argparse.SUPPRESS)
    parser.add_argument("names", nargs="*", help="only these (e.g. directory events)")
    args = parser.parse_args(argv)
    scripts, missing = discover(args.names, args.folder)
    for name in missing:
        print(f"bench_{name}.py: not found, skipped.", flush=True)
    rows: list[tuple[str, str, float]] = []
    everything: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="setu-bench-results-") as folder:
        for script in scripts:
            results = Path(folder) / f"{script.stem}.jsonl"
            command = [sys.executable, str(script)]
            if args.quick and accepts_quick(script):
                command.append("--quick")
            print(f"\n##### {script.name} {' '.join(command[2:])}".rstrip(), flush=True)
            started = time.perf_counter()
            try:
                code = subprocess.call(
                    command, cwd=BENCH.parent, env={**os.environ, RESULTS_ENV: str(results)}
                )
            except OSError as error:
                print(f"could not start {script.name}: {error}", flush=True)
                code = -1
            figures = read_figures(results)
            everything += figures
            rows.append((script.name, status_of(code, figures), time.perf_counter() - started))
    print("\n##### Summary", flush=True)
    if not rows:
        print("No benchmark found.")
        return 1
    print(table(["benchmark", "status", "seconds"], [(n, s, round(t, 1)) for n, s, t in rows]))
    if everything:
        print()
        print(summary_table(everything))
    failed = [name for name, status, _ in rows if status != "ok"]
    print(
        f"\n{len(everything)} figures, {sum(not f.met for f in everything)} missed; "
        + (f"failed: {', '.join(failed)}" if failed else "every benchmark met its targets"),
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
