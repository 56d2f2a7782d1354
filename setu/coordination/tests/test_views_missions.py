"""Mission pages: create, list (fixed query count), the page, the bilingual print view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import Mission
from setu.coordination.services import missions as services
from setu.coordination.tests.factories import days_from_today

pytestmark = pytest.mark.django_db


def test_create_a_mission_and_see_the_clash_right_away(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    make_mission(first=30, title="Yamanashi in Mumbai")
    client = world.client_for("officer_other")
    response = client.post(
        reverse("coordination:mission_create"),
        {
            "title_en": "Shizuoka in Mumbai",
            "starts_on": days_from_today(31).isoformat(),
            "ends_on": days_from_today(33).isoformat(),
            "status": "planned",
            "visibility": "consortium",
        },
    )
    mission = Mission.objects.get(title_en="Shizuoka in Mumbai")
    assert response.status_code == 302 and mission.owner == world.other_prefecture
    client.post(
        reverse("coordination:destination_add", args=[mission.pk]),
        {
            "city": _mumbai(),
            "starts_on": days_from_today(31).isoformat(),
            "ends_on": days_from_today(33).isoformat(),
        },
    )
    page = client.get(mission.get_absolute_url()).content.decode()
    assert "Possible clash with Yamanashi" in page and "Propose a joint mission" in page


def _mumbai() -> int:
    from setu.coordination.tests.factories import city

    return city("in-mumbai").pk


def test_only_officers_plan_missions(world: World) -> None:
    assert (
        world.client_for("secretariat").get(reverse("coordination:mission_create")).status_code
        == 403
    )
    assert world.client_for("member").get(reverse("coordination:mission_create")).status_code == 403


def test_the_other_prefecture_cannot_edit(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    other = world.client_for("officer_other")
    assert other.get(reverse("coordination:mission_edit", args=[mission.pk])).status_code == 403
    response = other.post(
        reverse("coordination:destination_add", args=[mission.pk]),
        {"city": _mumbai(), "starts_on": mission.starts_on, "ends_on": mission.ends_on},
    )
    assert response.status_code == 403


def test_print_view_is_bilingual(world: World, make_mission: Callable[..., Mission]) -> None:
    mission = make_mission()
    mission.title_ja = "ムンバイ・ミッション"
    mission.save()
    page = (
        world.client_for("officer_own")
        .get(reverse("coordination:mission_print", args=[mission.pk]))
        .content.decode()
    )
    assert "Mumbai mission" in page and "ムンバイ・ミッション" in page
    assert 'lang="ja"' in page and "ムンバイ" in page  # the city's Japanese name


@pytest.mark.parametrize("rows", [2, 30])
def test_mission_list_query_count_is_fixed(
    world: World, rows: int, make_mission: Callable[..., Mission],
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for n in range(rows):
        mission = make_mission(first=10 + n, title=f"Mission {n}")
        if n % 2:
            services.participant_add(
                mission=mission, actor=world.users["officer_own"],
                organisation=world.other_prefecture,
            )  # fmt: skip
    client = world.client_for("officer_other")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coordination:missions"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_mission_page_query_count_is_bounded(
    world: World, rows: int, make_mission: Callable[..., Mission],
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    mission = make_mission()
    for n in range(rows):
        services.delegate_add(
            mission=mission, actor=world.users["officer_own"], prefecture=world.prefecture,
            organisation=world.prefecture, name=f"Person {n}",
        )  # fmt: skip
        make_mission(owner=world.other_prefecture, first=30, title=f"Clash {n}")
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(32):
        response = client.get(mission.get_absolute_url())
    assert response.status_code == 200
