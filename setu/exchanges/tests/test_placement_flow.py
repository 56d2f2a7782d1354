"""Reviewing and placement in the app: scores, conflicts, hand order, runs, publish, decline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.accounts.models import User
from setu.conftest import World
from setu.directory.demo import load_directory_demo
from setu.exchanges import selectors, services
from setu.exchanges.demo import ROUND_TITLE, load_exchanges_demo
from setu.exchanges.models import (
    ApplicationStatus,
    ExchangeRound,
    Outcome,
    PlacementRun,
    RunStatus,
    ScoreMethod,
    UnplacedReason,
)
from setu.exchanges.tests.factories import (
    consent_for,
    make_application,
    make_programme,
    make_round,
    new_student,
)

pytestmark = pytest.mark.django_db


def _officer(world: World) -> User:
    officer = world.user("officer_own")
    assert officer is not None
    return officer


def test_scores_average_without_conflicted_reviewers(world: World) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    application = make_application(new_student(world, "a@example.org"), round_, [programme])
    choice = application.choices.get()
    services.score_save(actor=_officer(world), choice=choice, score=Decimal(80), conflict=False)
    other = new_student(world, "not-a-reviewer@example.org")
    services.score_save(actor=other, choice=choice, score=None, conflict=True, conflict_reason="x")
    (row,) = selectors.review_sheet(user=_officer(world), programme=programme)
    assert row.average == 80 and row.scored_by == 1 and row.conflicts == 1
    with pytest.raises(ValidationError):
        services.score_save(
            actor=_officer(world), choice=choice, score=Decimal(101), conflict=False
        )
    (row,) = selectors.review_sheet(user=_officer(world), programme=programme)
    assert row.average == 80


def test_a_bad_hand_order_says_why_and_changes_nothing(world: World) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_, score_method=ScoreMethod.MANUAL)
    a = make_application(new_student(world, "a@example.org"), round_, [programme])
    b = make_application(new_student(world, "b@example.org"), round_, [programme])
    ca, cb = a.choices.get(), b.choices.get()
    client = world.client_for("officer_own")
    url = reverse("exchanges:order", args=[programme.pk])
    client.post(url, {f"position-{ca.pk}": "2", f"position-{cb.pk}": "1"})
    ca.refresh_from_db()
    cb.refresh_from_db()
    assert (ca.manual_position, cb.manual_position) == (2, 1)
    response = client.post(url, {f"position-{ca.pk}": "1", f"position-{cb.pk}": "1"}, follow=True)
    assert "same position" in response.content.decode()
    ca.refresh_from_db()
    assert ca.manual_position == 2


def test_run_review_publish_decline_and_rerun(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = make_round(world)
    popular = make_programme(world, round_, title_en="Popular", places=1)
    spare = make_programme(world, round_, title_en="Spare", places=1)
    students = [new_student(world, f"s{i}@example.org") for i in range(3)]
    applications = [make_application(s, round_, [popular, spare]) for s in students]
    minor = make_application(new_student(world, "minor@example.org"), round_, [popular], minor=True)
    consent_for(minor, verified=False)
    for score, application in zip([90, 80, 70], applications, strict=True):
        for choice in application.choices.all():
            services.score_save(
                actor=_officer(world), choice=choice, score=Decimal(score), conflict=False
            )

    client = world.client_for("officer_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchanges:run_create", args=[round_.pk]))
    run = PlacementRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == RunStatus.DRAFT  # the test task backend runs it at once
    assert (run.applicants, run.placed, run.first_choice) == (3, 2, 1)
    reasons = dict(Outcome.objects.filter(run=run).values_list("application_id", "reason"))
    assert reasons[applications[2].pk] == UnplacedReason.OUTRANKED
    assert reasons[minor.pk] == UnplacedReason.NOT_VISIBLE

    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert "Under 18, consent pending" in page.content.decode()
    assert "Minor" not in page.content.decode()
    assert client.post(reverse("exchanges:run_publish", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.placement_publish(actor=_officer(world), run=run)

    # The student placed on the popular programme declines; a re-run keeps the others at
    # least as well placed and gives the freed place away.
    services.placement_decline(actor=students[0], application=applications[0])
    with pytest.raises(ValidationError):
        services.placement_decline(actor=students[0], application=applications[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchanges:run_create", args=[round_.pk]))
    rerun = PlacementRun.objects.exclude(pk=run.pk).get()
    placed = dict(
        Outcome.objects.filter(run=rerun, programme__isnull=False).values_list(
            "application_id", "programme_id"
        )
    )
    assert placed == {applications[1].pk: popular.pk, applications[2].pk: spare.pk}
    applications[0].refresh_from_db()
    assert applications[0].status == ApplicationStatus.DECLINED


def test_the_draft_page_costs_the_same_queries_for_more_applicants(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_, places=5)
    client = world.client_for("officer_own")

    def queries(n: int) -> int:
        for i in range(n):
            make_application(new_student(world, f"n{n}-{i}@example.org"), round_, [programme])
        with django_capture_on_commit_callbacks(execute=True):
            services.placement_request(actor=_officer(world), round_=round_)
        run = PlacementRun.objects.filter(round=round_).order_by("-pk").first()
        assert run is not None
        for show in ("unplaced", "first"):
            client.get(run.get_absolute_url(), {"show": show})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(run.get_absolute_url(), {"show": "first"}).status_code == 200
        return len(captured)

    few, many = queries(3), queries(30)
    assert few == many
    assert many <= 16


def test_the_demo_has_a_round_a_minor_with_consent_and_a_published_run() -> None:
    by_key, _created = load_directory_demo()
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    round_ = ExchangeRound.objects.get(title_en=ROUND_TITLE)
    assert round_.programmes.count() == 4
    assert round_.applications.filter(is_minor=True, guardian_consents__verified_at__isnull=False)
    assert round_.runs.filter(status=RunStatus.PUBLISHED).exists()
    assert load_exchanges_demo(by_key) == 0
