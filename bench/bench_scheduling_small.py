"""The scheduler's heuristic alone, without its exact finish, on many small random instances.

Run from the repository root::

    .venv/bin/python bench/bench_scheduling_small.py [--quick] [--instances 1500]

``schedule_meetings`` ends small instances (at most 1,500 request×slot pairs) that stopped
below the bound with an integer program (``setu.algorithms.scheduling_exact``), a safety net.
This switches the net off and counts how often the heuristic alone places as many meetings as
the exact optimum (an integer program over request × slot × table), on ``--instances`` random
instances drawn by the test suite's generator (``problems()`` in
setu/algorithms/tests/test_scheduling.py, derandomised: every run draws the same ones), then as
many more with about half of a greedy schedule's meetings published (fixed). The greedy
scheduler's share is the baseline.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import Reporter

TARGET_SHARE = 100.0  # % of instances where the heuristic alone reaches the optimum


def count(instances: int, published: bool) -> tuple[int, int, int]:
    """(instances, the heuristic alone at the optimum, greedy at the optimum)."""
    from hypothesis import HealthCheck, Phase, given, settings

    from setu.algorithms import scheduling
    from setu.algorithms.tests.test_scheduling import exact_optimum, problems

    tally = {"seen": 0, "heuristic": 0, "greedy": 0}
    draw = random.Random(7 if published else 5)  # which greedy meetings are published

    @settings(
        max_examples=instances,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(problems())
    def one(problem: Any) -> None:
        greedy = scheduling.schedule_greedy(problem)
        fixed = tuple(m for m in greedy.meetings if draw.random() < 0.5) if published else ()
        best = exact_optimum(problem, fixed=fixed)
        alone = scheduling.schedule_meetings(problem, fixed=fixed)
        tally["seen"] += 1
        tally["heuristic"] += alone.placed == best
        tally["greedy"] += greedy.placed == best

    exact = scheduling.improve_exactly
    scheduling.improve_exactly = lambda *args, **kwargs: None
    try:
        one()
    finally:
        scheduling.improve_exactly = exact
    return tally["seen"], tally["heuristic"], tally["greedy"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1500)
    parser.add_argument("--quick", action="store_true", help="200 instances of each kind")
    args = parser.parse_args(argv)
    instances = 200 if args.quick else args.instances
    report = Reporter("scheduling_small")
    for published in (False, True):
        label = "with published meetings" if published else "from scratch"
        seen, alone, greedy = count(instances, published)
        print(
            f"{label}: {seen:,} instances; the heuristic alone reached the optimum on "
            f"{alone:,}, greedy on {greedy:,}",
            flush=True,
        )
        report.check(
            f"small instances {label}: heuristic alone at the optimum ({seen:,})",
            100.0 * alone / seen if seen else float("nan"),
            unit="%",
            target=TARGET_SHARE,
            better="higher",
            baseline=100.0 * greedy / seen if seen else None,
            baseline_name="greedy",
        )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
