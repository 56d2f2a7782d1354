"""Run the pytest suite on SQLite, then on PostgreSQL when one answers.

The SQLite pass runs every test not marked ``postgres``; the PostgreSQL pass every test that
uses a database except the browser tests (``setu/conftest.py``, decision 0030). Each pass runs
on ``SETU_TEST_WORKERS`` processes (pytest-xdist; default: one per core, at most four, and one
more for PostgreSQL; 1 runs in this process).

PostgreSQL comes from TEST_DATABASE_URL, else a local server on 127.0.0.1:5432 (user postgres).
Under CI (CI=true) PostgreSQL is required. Prints the number of tests run on each database.
Extra arguments go to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "test-results"
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/setu"


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or LOCAL_POSTGRES
    try:
        import psycopg

        conninfo = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(conninfo, connect_timeout=3):
            return url
    except Exception as error:  # any failure means "no PostgreSQL here"
        print(f"PostgreSQL at {url} does not answer ({error.__class__.__name__}).")
        return None


def workers(label: str) -> list[str]:
    """pytest-xdist's options: one worker per core (at most four) on SQLite, one more on
    PostgreSQL, whose workers wait on the server about half the time."""
    cores = min(os.cpu_count() or 1, 4)
    wanted = os.environ.get("SETU_TEST_WORKERS") or str(cores + (label == "PostgreSQL"))
    count = max(int(wanted), 1)
    # loadgroup: tests of one xdist_group run on one worker (setu/conftest.py groups the
    # PostgreSQL tests that rush the database from threads); the rest are shared out as usual.
    return [] if count == 1 else ["-n", str(count), "--dist", "loadgroup"]


def run(label: str, database_url: str, extra: list[str]) -> tuple[int, dict[str, int]]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"{label.lower()}.xml"
    env = dict(os.environ, DATABASE_URL=database_url, SETU_TEST_PASS=label.lower())
    marker = [] if label == "PostgreSQL" else ["-m", "not postgres"]
    print(f"\n=== pytest on {label} ===", flush=True)
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, "-m", "pytest", *marker, *workers(label), f"--junitxml={report}", *extra],
        env=env,
        cwd=ROOT,
    )
    print(f"{label} pass: {time.monotonic() - started:.0f} s", flush=True)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()  # noqa: S314  # our own pytest report
        suite = suite if suite.tag == "testsuite" else suite[0]
        counts = {key: int(suite.get(key, 0)) for key in counts}
    return code, counts


def main() -> int:
    extra = sys.argv[1:]
    results: list[tuple[str, int, dict[str, int]]] = []
    code, counts = run("SQLite", "", extra)
    results.append(("SQLite", code, counts))
    url = postgres_url()
    if url:
        code, counts = run("PostgreSQL", url, extra)
        results.append(("PostgreSQL", code, counts))
    elif os.environ.get("CI"):
        print("CI needs PostgreSQL: start it or set TEST_DATABASE_URL.")
        return 1
    print("\n=== test counts ===")
    total_passed = total_failed = total_skipped = 0
    for label, _code, c in results:
        failed = c["failures"] + c["errors"]
        passed = c["tests"] - failed - c["skipped"]
        total_passed += passed
        total_failed += failed
        total_skipped += c["skipped"]
        print(
            f"{label}: {c['tests']} tests ran: {passed} passed, {failed} failed, "
            f"{c['skipped']} skipped"
        )
    print(f"{total_passed} passed, {total_failed} failed, {total_skipped} skipped")
    if any(c["tests"] == 0 for _label, _code, c in results):
        print("A database pass ran no test.")
        return 1
    return max(code for _label, code, _c in results)


if __name__ == "__main__":
    sys.exit(main())
