"""Benchmark the events pages and registration under contention, on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/bench_events.py [--quick] [--backend sqlite|postgres|both]
                                           [--write-docs]

For each database the script runs itself in a subprocess that creates its own database (a
temporary SQLite file; on PostgreSQL a database named ``setu_bench_events`` on
``$BENCH_POSTGRES``, default ``postgres://postgres@127.0.0.1:5432``), migrates it, generates
2,000 events and 200,000 registrations in bulk (``--quick``: 200 and 20,000), then times with
Django's test Client, in-process:

- the event list (page 1 of upcoming events, signed in as a partner) and the event page of a
  busy event (agenda, ticket categories, co-hosts), as server time per request, p50 and p95,
  with the number of SQL queries per request;
- a bare Django view rendering a trivial template through the same middleware, measured in
  the same run: the ratios say how much the page costs over Django's own floor;
- on PostgreSQL, registration throughput under contention: 50 concurrent clients (5 server
  processes × 10 threads, each its own client and database connection, as a WSGI server with
  five workers) POST 1,000 registrations through the register page for one event with 500
  seats, so half are confirmed and half waitlisted; registrations per second over wall time.

The database is dropped at the end. ``--write-docs`` replaces the "Performance" figures in
docs/events.md with this run's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import Reporter  # noqa: E402

PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "setu_bench_events"
DOCS = ROOT / "docs" / "events.md"
MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"
# The bound setu/events/tests/test_views_events.py holds for a signed-in partner's event page:
# session, user and memberships (3), then the event, hosts, agenda, tickets, the reader's
# registrations, sectors, linked documents and the matchmaking card (8). Fixed: no growth with rows.
TARGET_QUERIES = 11
TARGET_P95_MS = 50.0


# --- the parent: one subprocess per database ------------------------------------------------


def _run_worker(backend: str, quick: bool) -> dict[str, Any]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", SETU_ENV="dev")
    temp = tempfile.mkdtemp(prefix="setu-bench-events-")
    env["SETU_VAR_DIR"] = temp
    env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}" if backend == "postgres" else ""
    command = [sys.executable, __file__, "--worker", backend] + (["--quick"] if quick else [])
    try:
        result = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
    finally:
        shutil.rmtree(temp, ignore_errors=True)  # the SQLite file the run made
    sys.stderr.write(result.stderr[-4000:] if result.returncode else "")
    if result.returncode:
        raise SystemExit(f"{backend} run failed")
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    data: dict[str, Any] = json.loads(line)
    return data


def _format(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        f"Command: `{command}`  ",
        f"Data: {results[0]['events']:,} events, {results[0]['registrations']:,} registrations "
        f"({results[0]['attendees']:,} attendees), generated in bulk. Machine: "
        f"{results[0]['machine']}; {results[0]['date']}.",
        "",
        "| database | page | p50 ms | p95 ms | CPU p50 ms | queries | p50 / bare view |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        bare = result["pages"]["bare view"]
        for name, page in result["pages"].items():
            ratio = page["p50_ms"] / bare["p50_ms"] if bare["p50_ms"] else 0
            lines.append(
                f"| {result['backend']} | {name} | {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | "
                f"{page['cpu_p50_ms']:.1f} | {page['queries']} | {ratio:.1f}× |"
            )
    for result in results:
        if "throughput" in result:
            t = result["throughput"]
            lines += [
                "",
                f"Registration under contention ({result['backend']}): {t['clients']} concurrent "
                f"clients ({t['layout']}, each its own connection), "
                f"{t['registrations']} registrations for {t['seats']} seats "
                f"in {t['seconds']:.2f} s "
                f"= **{t['per_second']:.0f} registrations/s**; {t['confirmed']} confirmed, "
                f"{t['waitlisted']} waitlisted (positions 1..{t['waitlisted']} without gaps: "
                f"{t['positions_ok']}), {t['errors']} errors. Time in the registration service "
                f"per request (waiting for the event's lock included): p50 "
                f"{t['service_p50_ms']:.0f} ms, p95 {t['service_p95_ms']:.0f} ms.",
            ]
    loads = ", ".join(f"{r['backend']} {r['load']}" for r in results)
    lines += [
        "",
        f"Targets: ≤ {TARGET_QUERIES} queries per page, p95 ≤ {TARGET_P95_MS:.0f} ms. Server "
        "time is wall time per request in-process (test Client); CPU is the request thread's "
        f"own CPU time. One-minute load average during the page timings: {loads}.",
    ]
    return "\n".join(lines)


def check_targets(report: Reporter, results: list[dict[str, Any]]) -> None:
    """Every page: p95 and queries against the targets, the bare view's p95 as baseline;
    registration under contention: no error, no gap in the waiting list."""
    for result in results:
        backend = result["backend"]
        bare = result["pages"]["bare view"]
        for name, page in result["pages"].items():
            if name == "bare view":
                continue
            report.check(
                f"{name} p95 ({backend})",
                page["p95_ms"],
                unit="ms",
                target=TARGET_P95_MS,
                baseline=bare["p95_ms"],
                baseline_name="bare view",
            )
            report.check(
                f"{name} queries ({backend})",
                page["queries"],
                unit="queries",
                target=TARGET_QUERIES,
            )
        if "throughput" in result:
            t = result["throughput"]
            report.check(f"registration errors under contention ({backend})", t["errors"],
                         unit="errors", target=0)  # fmt: skip
            report.check(
                f"waiting list without gaps under contention ({backend})",
                1.0 if t["positions_ok"] else 0.0,
                unit="(1 = yes)",
                target=1,
                better="higher",
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 events, 20,000 registrations")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--write-docs", action="store_true", help="update docs/events.md")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.quick)
        return 0
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        print(f"running on {backend} ...", flush=True)
        results.append(_run_worker(backend, args.quick))
    command = ".venv/bin/python bench/bench_events.py" + (" --quick" if args.quick else "")
    if args.backend != "both":
        command += f" --backend {args.backend}"
    text = _format(results, command)
    print()
    print(text)
    if args.write_docs:
        doc = DOCS.read_text(encoding="utf-8")
        start, end = doc.index(MARK_START) + len(MARK_START), doc.index(MARK_END)
        DOCS.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")
        print(f"\nwritten to {DOCS.relative_to(ROOT)}")
    report = Reporter("events")
    check_targets(report, results)
    return report.finish()


# --- the worker: one database ---------------------------------------------------------------


def _postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _drop_postgres() -> None:
    _postgres_admin(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{PG_NAME}'"  # noqa: S608  # a constant name
        " AND pid <> pg_backend_pid()"
    )
    _postgres_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")


def worker(backend: str, quick: bool) -> None:
    if backend == "postgres":
        _drop_postgres()
        _postgres_admin(f"CREATE DATABASE {PG_NAME}")
    try:
        result = _measure(backend, quick)
    finally:
        if backend == "postgres":
            from django.db import connections

            connections.close_all()
            _drop_postgres()
    print(json.dumps(result))


def _measure(backend: str, quick: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log kept per request, as in production
    n_events, n_registrations = (200, 20_000) if quick else (2_000, 200_000)
    started = time.perf_counter()
    data = _generate(n_events, n_registrations)
    generated = time.perf_counter() - started
    sys.stderr.write(f"{backend}: generated in {generated:.1f} s\n")
    load_before = os.getloadavg()[0]
    pages = _time_pages(data, rounds=60 if quick else 200)
    load_after = os.getloadavg()[0]
    result: dict[str, Any] = {
        "backend": "SQLite" if backend == "sqlite" else "PostgreSQL",
        "events": n_events,
        "registrations": n_registrations,
        "attendees": data["attendees"],
        "generated_s": round(generated, 1),
        "pages": pages,
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "load": f"{load_before:.1f}–{load_after:.1f}",
    }
    if backend == "postgres":
        from django.test import override_settings

        with override_settings(ROOT_URLCONF=_bare_urlconf()):
            result["throughput"] = _throughput(
                data, processes=5, threads=10, registrations=1000, seats=500
            )
    return result


def _generate(n_events: int, n_registrations: int) -> dict[str, Any]:
    """Bulk-create a network's worth of events and registrations; return handles for timing."""
    from django.db import connection, transaction

    from setu.accounts.models import Membership, User
    from setu.directory.models import City, FocalSector, Organisation
    from setu.events.models import (
        Attendee,
        Event,
        EventOrganisation,
        Registration,
        Session,
        TicketCategory,
        new_code,
        new_token,
    )

    rnd = random.Random(415)
    now = datetime.now(UTC)
    members = [
        Organisation.objects.create(
            kind="member_prefecture",
            name_en=name,
            country="JP",
            region_id=code,
            visibility="public",
        )
        for code, name in [
            ("JP-19", "Yamanashi"), ("JP-31", "Tottori"), ("JP-04", "Miyagi"),
            ("JP-16", "Toyama"), ("JP-03", "Iwate"), ("JP-22", "Shizuoka"),
            ("JP-30", "Wakayama"), ("JP-28", "Hyogo"), ("JP-38", "Ehime"),
        ]
    ]  # fmt: skip
    partner_org = Organisation.objects.create(
        kind="chamber", name_en="Bench Chamber", country="IN", visibility="partners"
    )
    reader = User.objects.create_user(email="reader@bench.example", full_name="Reader")
    Membership.objects.create(user=reader, organisation=partner_org, role="partner")
    cities = list(City.objects.filter(key__in=[
        "in-mumbai", "in-bengaluru", "in-new-delhi", "in-chennai", "in-pune", "in-ahmedabad",
        "in-hyderabad", "in-kolkata", "jp-tokyo", "jp-kofu", "jp-osaka",
    ]))  # fmt: skip
    focal = list(FocalSector.objects.all())
    kinds = ["seminar", "networking", "delegation", "festival", "webinar", "course"]
    visibilities = ["public"] * 7 + ["partners"] * 2 + ["consortium"]

    events = []
    for index in range(n_events):
        # Two years back to one year ahead, at 10:00 or 18:00 venue time.
        starts = now + timedelta(days=rnd.randint(-730, 365), hours=rnd.choice([0, 8]))
        city = rnd.choice(cities)
        events.append(
            Event(
                owner=rnd.choice(members),
                kind=rnd.choice(kinds),
                title_en=f"{city.name_en} {rnd.choice(kinds)} {index}",
                title_ja=f"{city.name_ja} イベント {index}",
                summary_en="A benchmark event of the consortium with a summary of some length.",
                city=city,
                time_zone=city.timezone,
                venue="Convention centre",
                starts_at=starts,
                ends_at=starts + timedelta(hours=rnd.choice([2, 4, 8])),
                languages=rnd.choice(["en", "en ja", "en hi"]),
                capacity=rnd.choice([30, 50, 100, 200, 500]),
                requires_approval=False,
                visibility=rnd.choice(visibilities),
                created_at=now,
                updated_at=now,
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=1000)
        events = list(Event.objects.order_by("pk"))
        links = []
        for event in events:
            if rnd.random() < 0.3:
                others = [m for m in members if m.pk != event.owner_id]
                for organisation in rnd.sample(others, rnd.choice([1, 2])):
                    links.append(
                        EventOrganisation(event=event, organisation=organisation, role="co_host")
                    )
        EventOrganisation.objects.bulk_create(links, batch_size=5000)
        through = Event.focal_sectors.through
        through.objects.bulk_create(
            [through(event_id=e.pk, focalsector_id=rnd.choice(focal).pk) for e in events],
            batch_size=5000,
        )
        sessions, categories = [], []
        for event in events[::4]:
            for hour in range(4):
                sessions.append(
                    Session(
                        event=event,
                        title_en=f"Session {hour}",
                        room="Hall A",
                        starts_at=event.starts_at + timedelta(hours=hour / 2),
                        ends_at=event.starts_at + timedelta(hours=hour / 2 + 0.5),
                    )
                )
        for event in events[::5]:
            for position, name in enumerate(["Japanese company", "Indian company", "Government"]):
                categories.append(
                    TicketCategory(event=event, name_en=name, capacity=None, position=position)
                )
        Session.objects.bulk_create(sessions, batch_size=5000)
        TicketCategory.objects.bulk_create(categories, batch_size=5000)

    # Registrations: a Zipf-like popularity over events, the busiest first.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(n_events)]
    order = list(events)
    rnd.shuffle(order)
    counts = [0] * n_events
    for slot in rnd.choices(range(n_events), weights=weights, k=n_registrations):
        counts[slot] += 1
    busiest = order[max(range(n_events), key=lambda i: counts[i])]
    registration_rows, person = [], 0
    for event, count in zip(order, counts, strict=True):
        position = 0
        for number in range(count):
            person += 1
            waiting = number >= (event.capacity or 0)
            position += waiting
            registration_rows.append(
                Registration(
                    event=event,
                    status="waitlisted" if waiting else "confirmed",
                    waitlist_position=position if waiting else None,
                    name=f"Person {person}",
                    email=f"p{person}@bench.example",
                    organisation_name=f"Company {person % 500}",
                    organisation_kind=rnd.choice(["company", "company", "agency", "chamber"]),
                    country=rnd.choice(["IN", "IN", "JP"]),
                    token=new_token(),
                    confirmed_at=None if waiting else now,
                    created_at=now,
                )
            )
        event.waitlist_counter = position
        event.waiting_count = position
        event.seats_taken = count - position
    attendees = 0
    with transaction.atomic():
        for start in range(0, len(registration_rows), 20_000):
            chunk = Registration.objects.bulk_create(
                registration_rows[start : start + 20_000], batch_size=5000
            )
            if chunk and chunk[0].pk is None:  # backends without RETURNING
                chunk = list(
                    Registration.objects.filter(email__in=[r.email for r in chunk]).order_by("pk")
                )
            rows = [
                Attendee(
                    registration=r,
                    event_id=r.event_id,
                    name=r.name,
                    email=r.email,
                    code=new_code(),
                    checked_in_at=now if r.status == "confirmed" and r.event_id % 3 == 0 else None,
                )
                for r in chunk
            ]
            Attendee.objects.bulk_create(rows, batch_size=5000)
            attendees += len(rows)
        Event.objects.bulk_update(
            order, ["waitlist_counter", "waiting_count", "seats_taken"], batch_size=1000
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "reader": reader,
        "busiest": busiest,
        "members": members,
        "attendees": attendees,
    }


def _bare_urlconf() -> str:
    """A URLconf with the project's URLs plus one bare view rendering a trivial template."""
    import types

    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import path

    from config import urls as project_urls

    template = engines["django"].from_string("<!DOCTYPE html><p>{{ greeting }}</p>")

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render({"greeting": "hello"}, request))

    module = types.ModuleType("bench_events_urls")
    module.urlpatterns = [path("bench/bare/", bare), *project_urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


def _time(client: Any, url: str, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(10):
        assert client.get(url).status_code == 200, url
    connection.queries_log.clear()  # a full log (migrate ran with DEBUG on) would hide new ones
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request clears the connection's query log
    samples, cpu = [], []
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        assert response.status_code == 200
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1],
        "cpu_p50_ms": statistics.median(cpu),
        "queries": count,
    }


def _time_pages(data: dict[str, Any], rounds: int) -> dict[str, Any]:
    from django.test import Client, override_settings

    with override_settings(ROOT_URLCONF=_bare_urlconf()):
        client = Client()
        client.force_login(data["reader"])
        anonymous = Client()
        busiest = data["busiest"]
        return {
            "bare view": _time(client, "/bench/bare/", rounds),
            "event list": _time(client, "/events/", rounds),
            "event list (anonymous)": _time(anonymous, "/events/", rounds),
            "event list, filtered": _time(client, "/events/?kind=seminar&language=ja", rounds),
            "event page": _time(client, f"/events/{busiest.pk}/", rounds),
        }


def _client_process(
    user_ids: list[int], url: str, threads: int, ready: Any, start: Any, done: Any
) -> None:
    """One server process of the contention run: ``threads`` clients, each with a connection.

    Each thread keeps one test Client (building a Client's middleware stack is costly and not
    what is measured) and signs in as its next user by switching the session cookie.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client

    user_model = get_user_model()
    sessions = []
    login = Client()
    for user in user_model.objects.filter(pk__in=user_ids):
        login.force_login(user)
        sessions.append(login.cookies[settings.SESSION_COOKIE_NAME].value)
        login.cookies.clear()
    connections.close_all()
    errors: list[str] = []
    clients = [Client() for _ in range(threads)]
    for client in clients:
        client.get("/bench/bare/")  # builds the middleware stack before the clock starts
    connections.close_all()

    # Time the registration service (waiting for the event lock included) in each request.
    from setu.events import registration as registration_module

    original = registration_module.registration_create
    service_ms: list[float] = []

    def timed(**kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            service_ms.append((time.perf_counter() - began) * 1000)

    registration_module.registration_create = timed

    def run(client: Any, batch: list[str]) -> None:
        try:
            for session_key in batch:
                client.cookies[settings.SESSION_COOKIE_NAME] = session_key
                response = client.post(url, {"name": "Rush", "attend_myself": "on"})
                if response.status_code != 302:
                    errors.append(str(response.status_code))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    workers = [
        threading.Thread(target=run, args=(clients[i], sessions[i::threads]))
        for i in range(threads)
    ]
    ready.put(len(sessions))
    start.wait()
    for worker_thread in workers:
        worker_thread.start()
    for worker_thread in workers:
        worker_thread.join()
    done.put((len(errors), service_ms))


def _throughput(
    data: dict[str, Any], *, processes: int, threads: int, registrations: int, seats: int
) -> dict[str, Any]:
    """``processes`` × ``threads`` clients POST ``registrations`` sign-ups for one event.

    Clients are spread over processes as a WSGI server spreads requests over workers, so the
    figure measures contention on the database, not on one Python process's interpreter lock.
    """
    import multiprocessing

    from django.contrib.auth import get_user_model
    from django.db import connections

    from setu.events.models import Event, Registration

    user_model = get_user_model()
    start_at = datetime.now(UTC) + timedelta(days=20)
    event = Event.objects.create(
        owner=data["members"][0],
        kind="seminar",
        title_en="The rush",
        city=data["busiest"].city,
        starts_at=start_at,
        ends_at=start_at + timedelta(hours=3),
        capacity=seats,
        requires_approval=False,
        visibility="public",
    )
    users = user_model.objects.bulk_create(
        user_model(email=f"rush{i}@bench.example", full_name=f"Rush {i}")
        for i in range(registrations)
    )
    ids = [user.pk for user in users]
    url = f"/events/{event.pk}/register/"
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    ready, done, start = context.Queue(), context.Queue(), context.Event()
    children = [
        context.Process(
            target=_client_process,
            args=(ids[i::processes], url, threads, ready, start, done),
        )
        for i in range(processes)
    ]
    for child in children:
        child.start()
    for _ in children:
        ready.get()
    began = time.perf_counter()
    start.set()
    outcomes = [done.get() for _ in children]
    seconds = time.perf_counter() - began
    errors = sum(count for count, _ in outcomes)
    service = sorted(ms for _, durations in outcomes for ms in durations)
    for child in children:
        child.join()
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    positions = list(
        Registration.objects.filter(event=event, status="waitlisted")
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    return {
        "clients": processes * threads,
        "layout": f"{processes} processes × {threads} threads",
        "registrations": registrations,
        "seats": seats,
        "seconds": seconds,
        "per_second": registrations / seconds,
        "confirmed": confirmed,
        "waitlisted": len(positions),
        "positions_ok": positions == list(range(1, len(positions) + 1)),
        "errors": errors,
        "service_p50_ms": statistics.median(service) if service else 0.0,
        "service_p95_ms": service[int(len(service) * 0.95) - 1] if service else 0.0,
    }


if __name__ == "__main__":
    sys.exit(main())
