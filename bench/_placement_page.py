"""The coordinator's draft placement page on a round of many applicants (bench_placement.py).

Builds a round of ``applicants`` students over ``applicants // 50`` programmes with lists of 5,
a reviewer's score on every choice, runs the placement through its worker task, then times the
draft page (its default view, the unplaced, and a later page of first choices) with the
test Client in-process, against the round's public page as the baseline.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from _support import Reporter, configure_django, migrate, throwaway_database

TARGET_P95_MS = 200.0
TARGET_QUERIES = 20


def _build(applicants: int) -> dict[str, Any]:
    from django.utils import timezone

    from setu.accounts.models import Membership, Role, User
    from setu.accounts.tests.factories import enrol_totp
    from setu.core.models import Visibility
    from setu.directory.models import Organisation, OrganisationKind
    from setu.exchanges.models import (
        Application,
        Choice,
        ExchangeRound,
        PlacementRun,
        Programme,
        Score,
        StudyLevel,
    )
    from setu.exchanges.tasks import run_placement

    rng = random.Random(14)
    today = timezone.localdate()
    prefecture = Organisation.objects.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Bench Prefecture", country="JP",
        visibility=Visibility.PUBLIC,
    )  # fmt: skip
    officer = User.objects.create_user(
        email="officer@bench-placement.setu.example", password=None, full_name="Bench Officer"
    )
    Membership.objects.create(user=officer, organisation=prefecture, role=Role.PREFECTURE_OFFICER)
    enrol_totp(officer)
    round_ = ExchangeRound.objects.create(
        owner=prefecture, visibility=Visibility.PUBLIC, title_en="Bench round"
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            round=round_, owner=prefecture, visibility=Visibility.PUBLIC,
            title_en=f"Bench programme {i}", host=prefecture,
            starts_on=today + timedelta(days=90), ends_on=today + timedelta(days=100),
            places=rng.randint(10, 60), level=StudyLevel.UNDERGRADUATE, language="en",
            fee_currency="JPY", opens_on=today, closes_on=today + timedelta(days=30),
        )
        for i in range(max(applicants // 50, 2))
    )  # fmt: skip
    students = User.objects.bulk_create(
        User(email=f"s{i}@bench-placement.setu.example", full_name=f"Student {i}")
        for i in range(applicants)
    )
    applications = Application.objects.bulk_create(
        Application(
            round=round_, student=s, date_of_birth=today.replace(year=today.year - 20),
            level=StudyLevel.UNDERGRADUATE, english_level=4,
        )
        for s in students
    )  # fmt: skip
    choices = []
    for application in applications:
        for rank, programme in enumerate(rng.sample(programmes, 5), start=1):
            choices.append(Choice(application=application, programme=programme, rank=rank))
    choices = Choice.objects.bulk_create(choices, batch_size=5000)
    Score.objects.bulk_create(
        (Score(choice=c, reviewer=officer, score=round(rng.uniform(0, 100), 1)) for c in choices),
        batch_size=5000,
    )
    run = PlacementRun.objects.create(round=round_, created_by=officer)
    started = time.perf_counter()
    run_placement.call(run_id=run.pk)
    run.refresh_from_db()
    return {
        "officer": officer,
        "round": round_,
        "run": run,
        "task_seconds": time.perf_counter() - started,
    }


def _time(client: Any, url: str, rounds: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        assert client.get(url).status_code == 200, url
    connection.queries_log.clear()  # a full log (migrate ran with DEBUG on) would hide new ones
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request clears the connection's query log
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(int(len(samples) * 0.95) - 1, 0)],
        "queries": count,
    }


def draft_page_figures(report: Reporter, *, backend: str, applicants: int) -> None:
    with throwaway_database(backend, "setu_bench_placement") as url:
        configure_django(url)
        migrate()
        from django.test import Client

        data = _build(applicants)
        run = data["run"]
        print(
            f"  [{backend}] {applicants:,} applicants: worker task {data['task_seconds']:.2f} s "
            f"(matching {run.seconds:.3f} s), {run.placed:,} placed",
            flush=True,
        )
        client = Client()
        client.force_login(data["officer"])
        rounds = 40
        baseline = _time(client, data["round"].get_absolute_url(), rounds)
        base = run.get_absolute_url()
        pages = {
            "draft page": _time(client, base, rounds),
            "draft page, first choices p.5": _time(client, f"{base}?show=first&page=5", rounds),
        }
        for name, figures in pages.items():
            print(
                f"  [{backend}] {name}: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
                f"{figures['queries']} queries",
                flush=True,
            )
            report.check(
                f"{name} p95, {applicants:,} applicants ({backend})",
                figures["p95"],
                unit="ms",
                target=TARGET_P95_MS,
                baseline=baseline["p95"],
                baseline_name="round page",
            )
            report.check(
                f"{name} queries ({backend})",
                figures["queries"],
                unit="queries",
                target=TARGET_QUERIES,
            )
