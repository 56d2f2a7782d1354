"""Webhook fan-out: 10,000 deliveries to a local receiver, drained by two database workers.

Run from the repository root::

    .venv/bin/python bench/bench_webhooks.py [--quick] [--deliveries 10000]

On a throwaway PostgreSQL database (the task queue is the database: ``manage.py db_worker``
processes share it as they would in production), one subscription of a prefecture points at
a threaded HTTP receiver in this process that answers 200 at once. The bench:

1. publishes ``--deliveries`` domain events through the listener (``deliveries_create``):
   delivery rows and their tasks, timed as the fan-out;
2. drains them with ONE ``db_worker --batch`` — the in-run baseline;
3. publishes the same number again and drains them with TWO workers side by side.

Each drain is timed from the workers' start to the last delivery marked delivered; the
receiver checks every signature and counts each event id once. Targets: two workers deliver
≥ 150 per second (the consortium's busiest moment — a schedule of 20,000 meetings published,
each side of each meeting subscribed — then reaches every receiver in under five minutes), and
at least 1.3× one worker (the second worker must add, not contend). On a 2-core machine the
receiver and the database share the cores with the workers, so the speed-up stays below 2.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import Reporter, configure_django, migrate, postgres_error, throwaway_database  # noqa: E402

TARGET_PER_SECOND = 150.0
TARGET_SPEEDUP = 1.3


class Receiver:
    """Answers 200 to every POST; keeps the ids it saw and whether each signature held."""

    def __init__(self, secret: str) -> None:
        from setu.webhooks import signing

        self.seen: set[str] = set()
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = signing.verify(
                    receiver.secret, self.headers["Setu-Signature"], body, now=int(time.time())
                )
                with receiver.lock:
                    receiver.seen.add(self.headers["Setu-Delivery"])
                    receiver.bad_signatures += 0 if ok else 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.secret = secret
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"


def publish(organisation_id: int, count: int, start: int) -> tuple[list[int], float]:
    from setu.core.domain_events import DomainEvent
    from setu.webhooks.services import deliveries_create
    from setu.webhooks.tasks import BATCH, deliver_many

    events = [
        DomainEvent(
            kind="registration.created",
            organisation_ids=frozenset({organisation_id}),
            payload={"event": 1, "registration": start + n, "status": "confirmed", "people": 1},
        )
        for n in range(count)
    ]
    began = time.perf_counter()
    from setu.webhooks.models import Delivery

    before = set(Delivery.objects.values_list("pk", flat=True))
    deliveries_create(events)  # outside a transaction: its dispatch task is queued at once
    ids = sorted(set(Delivery.objects.values_list("pk", flat=True)) - before)
    # The dispatch task would split these into batches in a worker; do it here so both drains
    # start from the same full queue and a worker in --batch mode never finds it empty early.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    for start in range(0, len(ids), BATCH):
        deliver_many.enqueue(delivery_ids=ids[start : start + BATCH])
    return ids, time.perf_counter() - began


def drain(ids: list[int], workers: int, env: dict[str, str]) -> float:
    from setu.webhooks.models import Delivery, DeliveryStatus

    began = time.perf_counter()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.1",
                "--worker-id",
                f"bench-{workers}-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    for process in processes:
        process.wait(timeout=1800)
    seconds = time.perf_counter() - began
    delivered = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.DELIVERED).count()
    if delivered != len(ids):
        print(f"  only {delivered} of {len(ids)} delivered", flush=True)
        return float("nan")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 deliveries per drain")
    parser.add_argument("--deliveries", type=int, default=10_000)
    args = parser.parse_args()
    count = 1_000 if args.quick else args.deliveries
    report = Reporter("webhooks")
    if error := postgres_error():
        print(f"PostgreSQL is needed (the workers share its task table): {error}")
        return report.finish()
    os.environ["SETU_WEBHOOKS_ALLOW_PRIVATE"] = "true"
    with throwaway_database("postgres", "setu_bench_webhooks") as url:
        var_dir = configure_django(url)
        migrate()
        from setu.directory.tests.factories import PrefectureFactory
        from setu.webhooks.models import Subscription

        organisation = PrefectureFactory.create(name_en="Bench prefecture")
        subscription = Subscription.objects.create(
            organisation=organisation, url="http://127.0.0.1:1/", kinds=["registration.created"]
        )
        receiver = Receiver(subscription.secret)
        Subscription.objects.filter(pk=subscription.pk).update(url=receiver.url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SETU_VAR_DIR": str(var_dir),
            "SETU_WEBHOOKS_ALLOW_PRIVATE": "true",
        }
        from django.db import connections

        ids_one, fan_out_one = publish(organisation.pk, count, 0)
        connections.close_all()
        one = drain(ids_one, 1, env)
        ids_two, fan_out_two = publish(organisation.pk, count, count)
        connections.close_all()
        two = drain(ids_two, 2, env)
        receiver.server.shutdown()
        print(
            f"  {count:,} deliveries per drain; fan-out {fan_out_one:.2f} s and "
            f"{fan_out_two:.2f} s; one worker {one:.1f} s, two workers {two:.1f} s; "
            f"receiver saw {len(receiver.seen):,} event ids, {receiver.bad_signatures} bad "
            "signatures",
            flush=True,
        )
        per_second_one = count / one
        per_second_two = count / two
        report.check(
            "deliveries per second, two workers",
            per_second_two,
            unit="/s",
            target=TARGET_PER_SECOND,
            better="higher",
            baseline=per_second_one,
            baseline_name="one worker",
        )
        report.check(
            "two workers over one",
            per_second_two / per_second_one,
            unit="×",
            target=TARGET_SPEEDUP,
            better="higher",
        )
        report.check(
            "deliveries received once each with a valid signature",
            len(receiver.seen) - receiver.bad_signatures,
            unit="",
            target=2 * count,
            better="higher",
        )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
