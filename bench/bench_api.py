"""Benchmark the API's list endpoints on the scale dataset, on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/bench_api.py [--quick] [--backend sqlite|postgres]

For each backend, in its own process: a fresh database, migrated and filled by
``generate_scale_data`` with 100,000 organisations and 30,000 people (``--quick``: 10,000 and
3,000); then, through Django's test client and the whole middleware stack, with a prefecture
officer's token (and a member company's): the first page of 50 organisations, a page filtered
by region, a deep page (row 25,000, by cursor, as a client walking the list reaches it), the
first page of people, of agreements and of documents. Each prints p50/p95 server time and the
number of queries. The baseline, in the same run, is the HTML organisation list's first page
for the same officer (the same selector, rendered as a page).

``--database-url URL`` (with ``--backend``) measures a database that is kept: migrated, filled
once, and reused by later runs (``postgres://postgres@127.0.0.1:5432/setu_<you>``, so that two
people never share one); ``--explain`` prints the PostgreSQL plan of every list's page query.

Targets (issue 16): p95 ≤ 30 ms for a page of 50 at 100,000 organisations, at most 6 queries
(the token, the principal, the page; a "last used" write at most once a minute). The exit
status is 1 when one is missed (``_support.Reporter``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (
    Reporter,
    analyze,
    configure_django,
    explain,
    machine_description,
    measure,
    migrate,
    run_per_backend,
    table,
    throwaway_database,
)

DATABASE = "setu_bench_api"
TARGET_P95_MS = 30.0
TARGET_QUERIES = 6
FULL = (100_000, 30_000)
QUICK = (10_000, 3_000)
DEEP_ROW = 25_000
OFFICER_REGION = "JP-22"


def _people() -> dict[str, Any]:
    """A prefecture officer (with a second factor, for the HTML baseline) and a member."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from setu.accounts.models import Membership, Role, User
    from setu.directory.models import Organisation

    prefecture = Organisation.objects.get(kind="member_prefecture", region_id=OFFICER_REGION)
    kept = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith="@bench.setu.example")
    }
    if {"officer", "member"} <= kept.keys():  # a kept database (--database-url): a past run's
        return {"officer": kept["officer"], "member": kept["member"]}
    officer = User.objects.create_user(email="officer@bench.setu.example", password=None)
    Membership.objects.create(user=officer, organisation=prefecture, role=Role.PREFECTURE_OFFICER)
    TOTP.activate(officer, generate_totp_secret())
    company = Organisation.objects.filter(kind="company", managed_by=prefecture).first()
    assert company is not None, "the scale data gives every member prefecture companies"
    member = User.objects.create_user(email="member@bench.setu.example", password=None)
    Membership.objects.create(user=member, organisation=company, role=Role.MEMBER)
    return {"officer": officer, "member": member}


def _deep_cursor(user: Any, row: int) -> str:
    """The cursor a client holds after walking ``row`` organisations in name order."""
    from setu.api.pagination import cursor_after
    from setu.directory.selectors import organisation_list

    last = (
        organisation_list(user=user)
        .order_by("sort_name_en", "pk")
        .values_list("sort_name_en", "pk")[row - 1 : row]
        .get()
    )
    return cursor_after("name", "sort_name_en", last[0], last[1])


def _queries(client: Any, url: str, headers: dict[str, str]) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response.status_code, len(captured.captured_queries)


def _getter(client: Any, url: str, headers: dict[str, str]) -> Callable[[], Any]:
    return lambda: client.get(url, headers=headers)


@contextmanager
def _database(backend: str, kept: str | None) -> Iterator[str]:
    """A throwaway database, or the one named by ``--database-url`` (kept afterwards)."""
    if kept:
        yield kept
        return
    with throwaway_database(backend, DATABASE) as url:
        yield url


def _scale_data_present(organisations: int) -> bool:
    from scale_data import SYNTHETIC_NOTE

    from setu.directory.models import Organisation

    note = SYNTHETIC_NOTE.format(seed=1)
    return Organisation.objects.filter(description_en=note).count() >= organisations


def _print_plans(client: Any, pages: list[tuple[str, str]], headers: dict[str, str]) -> None:
    """EXPLAIN ANALYZE of the slowest query of each page (the page's rows, as a rule)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, url in pages:
        with CaptureQueriesContext(connection) as captured:
            client.get(url, headers=headers)
        query = max(captured.captured_queries, key=lambda q: float(q["time"]))
        print(f"\n--- {label}: {query['time']} s\n{query['sql']}")
        if connection.vendor == "postgresql":
            print(explain(query["sql"], analyze_plan=True))


def run(backend: str, quick: bool, kept: str | None = None, show_plans: bool = False) -> int:
    organisations, people = QUICK if quick else FULL
    repeat = 20 if quick else 40
    report = Reporter("api")
    with _database(backend, kept) as url:
        configure_django(url)
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import reverse
        from scale_data import generate_scale_data

        from setu.api import services

        print(f"Machine: {machine_description()}")
        print(f"Migrated in {migrate():.1f} s.", flush=True)
        if kept and _scale_data_present(organisations):
            print(f"Reusing the scale data already in {url}.", flush=True)
            analyze()
        else:
            result = generate_scale_data(organisations=organisations, people=people, seed=1)
            print(
                f"generate_scale_data: {result.rows:,} rows in {result.seconds:.1f} s", flush=True
            )
            if backend == "postgres":
                analyze()
        users = _people()
        tokens = {
            who: services.token_create(user=user, name="bench", scopes=["read"], days=1).text
            for who, user in users.items()
        }
        html = Client()
        html.force_login(users["officer"])
        deep = _deep_cursor(users["officer"], min(DEEP_ROW, organisations // 2))
        pages = [
            ("organisations, first page", reverse("api:organisations")),
            (
                "organisations, one region",
                reverse("api:organisations") + f"?region={OFFICER_REGION}",
            ),
            (
                f"organisations, after row {min(DEEP_ROW, organisations // 2):,}",
                reverse("api:organisations") + f"?cursor={deep}",
            ),
            ("people, first page", reverse("api:people")),
            ("agreements, first page", reverse("api:agreements")),
            ("documents, first page", reverse("api:documents")),
        ]
        rows: list[tuple[str, str, object, object, object]] = []
        with override_settings(SETU_API_RATE_LIMIT=10**9):
            baseline = measure(lambda: html.get("/directory/"), repeat=repeat, warmup=3)
            base_ms = baseline.p95 * 1000
            rows.append(("officer", "HTML /directory/ (baseline)", base_ms, "-", "-"))
            for who in ("officer", "member"):
                client = Client()
                headers = {"Authorization": f"Bearer {tokens[who]}", "Accept-Language": "en"}
                if show_plans:
                    _print_plans(
                        client, [(f"{who}, {label}", url_) for label, url_ in pages], headers
                    )
                for label, url_ in pages:
                    status, count = _queries(client, url_, headers)
                    if status != 200:
                        raise RuntimeError(f"{url_} answered {status}")
                    timing = measure(_getter(client, url_, headers), repeat=repeat, warmup=3)
                    p95 = timing.p95 * 1000
                    rows.append((who, label, round(timing.p50 * 1000, 1), round(p95, 1), count))
                    report.check(
                        f"{who} GET {label} p95, {organisations:,} orgs ({backend})",
                        p95,
                        unit="ms",
                        target=TARGET_P95_MS,
                        baseline=base_ms,
                        baseline_name="HTML list p95",
                    )
                    report.check(
                        f"{who} GET {label} queries ({backend})",
                        count,
                        unit="queries",
                        target=TARGET_QUERIES,
                    )
        print(f"\nAPI lists, {backend}, {organisations:,} organisations, pages of 50:")
        print(table(["reader", "list", "p50 ms", "p95 ms", "queries"], rows), flush=True)
    return report.finish()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k organisations, 3k people")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help="one backend only")
    parser.add_argument("--explain", action="store_true", help="print each list's query plan")
    parser.add_argument(
        "--database-url",
        help="use (and keep) this database: migrated, and filled once; with --backend",
    )
    args = parser.parse_args(argv)
    if args.database_url and not args.backend:
        parser.error("--database-url needs --backend")
    if args.backend:
        started = time.perf_counter()
        code = run(args.backend, args.quick, args.database_url, args.explain)
        print(f"({time.perf_counter() - started:.0f} s)")
        return code
    forwarded = [flag for flag, on in (("--quick", args.quick), ("--explain", args.explain)) if on]
    return run_per_backend(Path(__file__).resolve(), forwarded)


if __name__ == "__main__":
    sys.exit(main())
