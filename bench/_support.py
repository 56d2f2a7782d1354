"""Helpers shared by the benchmarks: a throwaway database, Django set up on it, timings.

A benchmark that needs the database runs once per backend, each in its own process (settings
read ``DATABASE_URL`` when Django starts)::

    from _support import Timing, configure_django, measure, throwaway_database

    with throwaway_database("postgres", "setu_bench_events") as url:
        configure_django(url)            # before importing any model
        migrate()
        ...
        timing = measure(lambda: client.get("/events/"), repeat=30)
        print(timing.summary())

``throwaway_database`` makes an empty SQLite file in a temporary folder, or creates (and
afterwards drops) a PostgreSQL database on 127.0.0.1:5432 as user postgres; a benchmark
should name its PostgreSQL database after itself so that two benchmarks never share one.
``run_per_backend`` runs a script once per backend in subprocesses and streams their output.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgres")
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


# --- timing ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between the nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Timing:
    """Wall-clock samples of one operation, in seconds."""

    samples: tuple[float, ...]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) if self.samples else math.nan

    @property
    def best(self) -> float:
        return min(self.samples) if self.samples else math.nan

    def summary(self) -> str:
        return (
            f"p50 {self.p50 * 1000:.1f} ms, p95 {self.p95 * 1000:.1f} ms "
            f"(n={len(self.samples)}, best {self.best * 1000:.1f} ms)"
        )


def measure(operation: Callable[[], Any], *, repeat: int = 30, warmup: int = 3) -> Timing:
    """Run ``operation`` ``warmup`` times untimed, then ``repeat`` times timed."""
    for _ in range(warmup):
        operation()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples))


@contextlib.contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...; elapsed()`` gives seconds (wall) since entry."""
    started = time.perf_counter()
    yield lambda: time.perf_counter() - started


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (to tell work from waiting on a busy box)."""
    times = os.times()
    return times.user + times.system


# --- databases ------------------------------------------------------------------------------


def postgres_error() -> str | None:
    """None when the local PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return None
    except Exception as error:  # any failure means "no PostgreSQL here"
        return f"{error.__class__.__name__}: {error}".strip()


def _drop_postgres(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextlib.contextmanager
def throwaway_database(backend: str, name: str) -> Iterator[str]:
    """Yield the DATABASE_URL of a new, empty database; remove it afterwards.

    ``backend`` is "sqlite" (a file in a temporary folder) or "postgres" (database ``name`` on
    the local server, dropped first if a crashed run left it behind).
    """
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        try:
            yield f"sqlite:///{folder / (name + '.sqlite3')}"
        finally:
            _close_django_connections()
            shutil.rmtree(folder, ignore_errors=True)
        return
    if backend != "postgres":
        raise ValueError(f"unknown backend {backend!r}")
    import psycopg
    from psycopg import sql

    _drop_postgres(name)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        _close_django_connections()
        _drop_postgres(name)


def _close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def configure_django(database_url: str, *, debug: bool = False) -> Path:
    """Start Django on ``database_url`` with a throwaway var folder; return that folder.

    Call once per process, before importing any model. DEBUG is off by default, as in
    production: templates and queries then cost what they cost there.
    """
    var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-var-"))
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SETU_VAR_DIR": str(var_dir),
            "SETU_ENV": "dev",
            "DEBUG": "1" if debug else "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    return var_dir


def migrate() -> float:
    """Apply every migration (reference data included); return the seconds it took."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def analyze() -> None:
    """Refresh the planner's statistics (and, on PostgreSQL, the visibility map), as
    autovacuum does after a bulk load. Run outside a transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def explain(sql: str, params: Sequence[Any] = (), *, analyze_plan: bool = False) -> str:
    """The query plan of one statement, as text (EXPLAIN QUERY PLAN on SQLite)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        prefix = "EXPLAIN QUERY PLAN "
    else:
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze_plan else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"{'  ' * (row[1] > 0)}{row[-1]}" for row in rows)
    return "\n".join(row[0] for row in rows)


# --- machine and output ---------------------------------------------------------------------


def machine_description() -> str:
    """Cores, CPU model, Python, and (when Django runs) the database and its version."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    parts = [f"{os.cpu_count()} cores ({cpu})", f"Python {platform.python_version()}"]
    if "django.db" in sys.modules:
        import django
        from django.db import connection

        parts.append(f"Django {django.get_version()}")
        if connection.vendor == "sqlite":
            import sqlite3

            parts.append(f"SQLite {sqlite3.sqlite_version}")
        else:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                parts.append(f"PostgreSQL {cursor.fetchone()[0]}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    parts.append(f"load average {load:.1f} at start")
    return ", ".join(parts)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table: left-aligned text, right-aligned numbers."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) if rows else False
        for i in range(len(headers))
    ]
    lines = []
    for index, row in enumerate(cells):
        line = "  ".join(
            cell.rjust(width) if numeric[i] else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        lines.append(line.rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def run_per_backend(script: Path, args: Sequence[str], backends: Sequence[str] = BACKENDS) -> int:
    """Run ``script --backend B *args`` for each backend in its own process; 0 if all passed.

    PostgreSQL is skipped, with the reason, when the local server does not answer.
    """
    failures = 0
    for backend in backends:
        if backend == "postgres" and (error := postgres_error()):
            print(f"\n[{backend}] skipped: PostgreSQL does not answer ({error})", flush=True)
            continue
        print(f"\n===== {script.name} on {backend} =====", flush=True)
        code = subprocess.call([sys.executable, str(script), "--backend", backend, *args])
        failures += code != 0
    return failures


# --- targets and the shared report ----------------------------------------------------------

RESULTS_ENV = "SETU_BENCH_RESULTS"  # a JSON-lines file every figure is appended to (run_all)
RESULT_PREFIX = "BENCH-RESULT "  # and each figure is printed on a line of its own after this


@dataclass(frozen=True)
class Figure:
    """One measured figure against its target.

    ``better`` says which way the target points: "lower" (a time: met when ``value <=
    target``) or "higher" (a share of a bound, a speed-up: met when ``value >= target``).
    ``baseline`` is the same quantity measured in the same run by the honest alternative (a
    bare view, a naive scan, the greedy scheduler), for the ratio; None when there is none.
    """

    bench: str
    name: str
    value: float
    unit: str
    target: float
    better: str = "lower"
    baseline: float | None = None
    baseline_name: str = ""

    def __post_init__(self) -> None:
        if self.better not in ("lower", "higher"):
            raise ValueError(f"better must be 'lower' or 'higher', not {self.better!r}")

    @property
    def met(self) -> bool:
        if math.isnan(self.value):
            return False
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    @property
    def ratio(self) -> float | None:
        """value / baseline (how many times the in-run baseline); None without one."""
        if self.baseline is None or not self.baseline or math.isnan(self.baseline):
            return None
        return self.value / self.baseline

    @property
    def target_text(self) -> str:
        return f"{'≤' if self.better == 'lower' else '≥'} {_target_number(self.target)} {self.unit}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "bench": self.bench,
                "name": self.name,
                "value": self.value,
                "unit": self.unit,
                "target": self.target,
                "better": self.better,
                "baseline": self.baseline,
                "baseline_name": self.baseline_name,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Figure:
        data = json.loads(text)
        return cls(
            bench=str(data["bench"]),
            name=str(data["name"]),
            value=float(data["value"]),
            unit=str(data["unit"]),
            target=float(data["target"]),
            better=str(data.get("better", "lower")),
            baseline=None if data.get("baseline") is None else float(data["baseline"]),
            baseline_name=str(data.get("baseline_name", "")),
        )


def _number(value: float) -> str:
    """12.3, 0.312, 1,234: a figure to read, not to parse (the JSON keeps every digit)."""
    if math.isnan(value):
        return "n/a"
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) < 10:
        return f"{value:.3g}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def _target_number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else _number(value)


def summary_table(figures: Sequence[Figure]) -> str:
    """figure, value, target, ratio vs the in-run baseline, met/missed: one line each."""
    rows = [
        (
            figure.bench,
            figure.name,
            f"{_number(figure.value)} {figure.unit}",
            figure.target_text,
            "" if figure.ratio is None else f"{figure.ratio:.2f}× {figure.baseline_name}",
            "met" if figure.met else "MISSED",
        )
        for figure in figures
    ]
    return table(["bench", "figure", "value", "target", "ratio", "result"], rows)


class Reporter:
    """Each benchmark's figures against their targets; ``finish()`` is its exit status.

    ::

        report = Reporter("directory")
        report.check("officer first page p95 (sqlite)", 23.4, unit="ms", target=50,
                     baseline=1.2, baseline_name="bare view")
        return report.finish()      # 1 when a target was missed, or nothing was measured

    Each figure is printed as it is checked, and once more as a machine-readable line
    (``BENCH-RESULT {json}``); with ``SETU_BENCH_RESULTS`` set (run_all.py sets it), it is
    also appended to that file, so that figures from child processes reach the summary.
    """

    def __init__(self, bench: str) -> None:
        self.bench = bench
        self.figures: list[Figure] = []

    def check(
        self,
        name: str,
        value: float,
        *,
        unit: str,
        target: float,
        better: str = "lower",
        baseline: float | None = None,
        baseline_name: str = "",
    ) -> Figure:
        figure = Figure(
            self.bench, name, float(value), unit, float(target), better, baseline, baseline_name
        )
        self.record(figure)
        return figure

    def record(self, figure: Figure) -> None:
        self.figures.append(figure)
        ratio = "" if figure.ratio is None else f"; {figure.ratio:.2f}× {figure.baseline_name}"
        print(
            f"  [{'met' if figure.met else 'MISSED'}] {figure.name}: "
            f"{_number(figure.value)} {figure.unit} (target {figure.target_text}{ratio})",
            flush=True,
        )
        print(RESULT_PREFIX + figure.to_json(), flush=True)
        if path := os.environ.get(RESULTS_ENV):
            with open(path, "a", encoding="utf-8") as results:
                results.write(figure.to_json() + "\n")

    @property
    def missed(self) -> list[Figure]:
        return [figure for figure in self.figures if not figure.met]

    def finish(self) -> int:
        """Print this benchmark's table; 0 when every target was met, else 1."""
        print(f"\n{self.bench}: targets")
        if not self.figures:
            print("nothing was measured: that is a failure, not a pass", flush=True)
            return 1
        print(summary_table(self.figures), flush=True)
        if self.missed:
            print(f"{len(self.missed)} of {len(self.figures)} targets MISSED", flush=True)
            return 1
        print(f"all {len(self.figures)} targets met", flush=True)
        return 0


def read_figures(path: Path) -> list[Figure]:
    """The figures appended to a results file (a line that is not one is skipped)."""
    if not path.exists():
        return []
    figures = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            figures.append(Figure.from_json(line))
    return figures
