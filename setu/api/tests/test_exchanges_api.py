"""Exchange programmes and a student's own applications through the API: the exchanges app's
rule, filters, and no applicant's personal data anywhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.api.tests.support import ApiClient, client_for, token_for
from setu.conftest import World
from setu.core.models import Visibility
from setu.exchanges.models import Outcome, PlacementRun, RunStatus
from setu.exchanges.tests.factories import (
    make_application,
    make_programme,
    make_round,
    new_student,
    today,
)

pytestmark = pytest.mark.django_db

PERSONAL = {"date_of_birth", "statement", "student", "email", "guardian", "is_minor"}


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_programmes_under_the_exchanges_rule_with_filters(world: World) -> None:
    round_ = make_round(world)
    summer = make_programme(world, round_, title_ja="ロボティクス夏期講座")
    closed = make_programme(
        world,
        round_,
        title_en="Japanese in Kofu",
        language="ja",
        opens_on=today() - timedelta(days=40),
        closes_on=today() - timedelta(days=10),
    )
    hidden = make_programme(
        world,
        make_round(world, owner=world.other_prefecture),
        owner=world.other_prefecture,
        visibility=Visibility.PRIVATE,
    )
    student = client_for(world.users["student"], language="ja")
    url = reverse("api:programmes")
    assert set(_ids(student.get(url))) == {summer.pk, closed.pk}
    assert _ids(student.get(url, {"language": "ja"})) == [closed.pk]
    assert _ids(student.get(url, {"open": "true"})) == [summer.pk]
    assert _ids(student.get(url, {"open": "false"})) == [closed.pk]
    assert _ids(student.get(url, {"round": round_.pk + 1000})) == []
    detail = student.get(reverse("api:programme", args=[summer.pk])).json()
    assert detail["title"] == "ロボティクス夏期講座" and detail["open"] is True
    assert detail["host"] == world.university.pk
    assert student.get(reverse("api:programme", args=[hidden.pk])).status_code == 404
    other = client_for(world.users["officer_other"])
    assert hidden.pk in _ids(other.get(url))
    bad = student.get(url, {"level": "phd"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.level"


def test_a_programme_never_names_its_applicants(world: World) -> None:
    programme = make_programme(world, make_round(world))
    make_application(world.users["student"], programme.round, [programme])
    coordinator = client_for(world.users["officer_own"])
    body = coordinator.get(reverse("api:programme", args=[programme.pk])).content.decode()
    assert "student@example.org" not in body and "Student" not in body
    assert not PERSONAL & set(coordinator.get(reverse("api:programme", args=[programme.pk])).json())


def test_applications_are_only_the_callers_own(world: World) -> None:
    programme = make_programme(world, make_round(world))
    mine = make_application(world.users["student"], programme.round, [programme])
    theirs = make_application(
        new_student(world, "someone@example.org"), programme.round, [programme]
    )
    run = PlacementRun.objects.create(round=programme.round, status=RunStatus.PUBLISHED)
    Outcome.objects.create(run=run, application=mine, programme=programme, choice_rank=1)
    student = client_for(world.users["student"])
    listed = student.get(reverse("api:applications"))
    assert _ids(listed) == [mine.pk]
    row = listed.json()["results"][0]
    assert row["choices"] == [
        {"rank": 1, "programme": programme.pk, "programme_title": "Robotics summer school"}
    ]
    assert row["placed_on"] == programme.pk and row["status"] == "submitted"
    assert not PERSONAL & set(row)
    assert student.get(reverse("api:application", args=[theirs.pk])).status_code == 404
    # the coordinator reads applications on the pages, never through this list
    coordinator = client_for(world.users["officer_own"])
    assert _ids(coordinator.get(reverse("api:applications"))) == []
    assert coordinator.get(reverse("api:application", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("name", ["programmes", "applications"])
def test_a_list_costs_the_same_queries_for_2_or_12_rows(world: World, name: str) -> None:
    api = ApiClient(token_for(world.users["student"]))
    round_ = make_round(world)

    def more(n: int) -> None:
        for i in range(n):
            programme = make_programme(world, round_)
            student = new_student(world, f"s{programme.pk}-{i}@example.org")
            who = world.users["student"] if name == "applications" else student
            make_application(who, make_round(world), [programme])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(reverse(f"api:{name}"), {"limit": 100}).status_code == 200
        return len(captured.captured_queries)

    more(2)
    count()
    few = count()
    more(10)
    assert few == count() <= 7, few
