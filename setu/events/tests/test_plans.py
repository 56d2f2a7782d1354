"""Events in the consortium's shared calendar and in clash detection."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.coordination.calendar import calendar_entries
from setu.coordination.event_plans import event_activities
from setu.coordination.models import ClashNotice
from setu.coordination.services import clashes as clash_services
from setu.coordination.services import missions as mission_services
from setu.coordination.tests.factories import city
from setu.directory.models import City
from setu.events import services
from setu.events.models import Event

pytestmark = pytest.mark.django_db

IST = ZoneInfo("Asia/Kolkata")


def _day(offset: int) -> datetime:
    day = timezone.localdate() + timedelta(days=offset)
    return datetime.combine(day, time(10), IST)


def _event(world: World, *, owner: Any = None, days: int = 30, **fields: Any) -> Event:
    owner = owner or world.prefecture
    actor = world.users["officer_own" if owner == world.prefecture else "officer_other"]
    values: dict[str, Any] = {
        "kind": "seminar",
        "title_en": "Mumbai investment seminar",
        "city": City.objects.get(key="in-mumbai"),
        "venue": "Trident",
        "starts_at": _day(days),
        "ends_at": _day(days) + timedelta(hours=6),
        "requires_approval": False,
        "visibility": "consortium",
    }
    values.update(fields)
    co_hosts = values.pop("co_hosts", ())
    partners = values.pop("partners", ())
    return services.event_create(
        actor=actor, owner=owner, fields=values, co_hosts=co_hosts, partners=partners
    )


def _mission(world: World, *, first: int = 29, days: int = 3) -> Any:
    actor = world.users["officer_other"]
    starts_on = timezone.localdate() + timedelta(days=first)
    mission = mission_services.mission_create(
        actor=actor,
        owner=world.other_prefecture,
        title_en="Shizuoka delegation to Mumbai",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        visibility="consortium",
        targets=[],
    )
    mission_services.destination_add(
        mission=mission,
        actor=actor,
        city=city("in-mumbai"),
        starts_on=mission.starts_on,
        ends_on=mission.ends_on,
    )
    return mission


def test_an_event_during_another_members_mission_in_the_same_city_raises_a_notice(
    world: World,
) -> None:
    mission = _mission(world)
    event = _event(world)
    notice = ClashNotice.objects.get()
    assert {notice.event_a_id, notice.event_b_id} == {event.pk, None}
    assert {notice.mission_a_id, notice.mission_b_id} == {mission.pk, None}
    assert set(notice.reasons) == {"same_city", "same_region"}
    # The mission's lead sees the event named (it is shared with the consortium) ...
    page = world.client_for("officer_other").get(mission.get_absolute_url()).content.decode()
    assert "Mumbai investment seminar" in page
    # ... and the event's organisers see the mission on the event page, without a joint
    # mission proposal (that is between missions).
    page = world.client_for("officer_own").get(event.get_absolute_url()).content.decode()
    assert "Shizuoka delegation to Mumbai" in page
    assert "Propose a joint mission" not in page


def test_moving_the_event_away_clears_the_notice(world: World) -> None:
    _mission(world)
    event = _event(world)
    assert ClashNotice.objects.exists()
    later = {"starts_at": _day(90), "ends_at": _day(90) + timedelta(hours=6)}
    services.event_update(event=event, actor=world.users["officer_own"], fields=later)
    assert not ClashNotice.objects.exists()


def test_two_members_events_clash_but_a_co_host_does_not(world: World) -> None:
    _event(world, co_hosts=[world.other_prefecture])
    _event(world, owner=world.other_prefecture, title_en="Shizuoka showcase")
    # The second event is the co-host's own: joint plans never clash with their participants.
    assert not ClashNotice.objects.exists()
    _event(world, title_en="Yamanashi food fair", days=31)
    notice = ClashNotice.objects.get()
    assert notice.event_a_id and notice.event_b_id


def test_a_private_event_stays_anonymous_in_the_other_members_notice(world: World) -> None:
    mission = _mission(world)
    _event(world, visibility="draft", title_en="Secret launch")
    page = world.client_for("officer_other").get(mission.get_absolute_url()).content.decode()
    assert "Another member plans an activity" in page
    assert "Secret launch" not in page


def test_events_are_activities_in_local_days(world: World) -> None:
    event = _event(world, partners=[world.partner_org])
    (activity,) = event_activities(event_id=event.pk)
    assert activity.id == f"event:{event.pk}:0"
    assert activity.region == "IN-MH" and activity.targets == frozenset({str(world.partner_org.pk)})
    assert activity.start.utcoffset() == timedelta(hours=5, minutes=30)


def test_recomputing_everything_includes_events(world: World) -> None:
    _mission(world)
    _event(world)
    ClashNotice.objects.all().delete()
    assert clash_services.clash_recompute_all() == 1


def test_the_shared_calendar_shows_the_events_the_viewer_may_read(world: World) -> None:
    shared = _event(world, title_en="Shared seminar")
    _event(world, title_en="Draft seminar", visibility="draft", days=31)
    start, end = timezone.now(), timezone.now() + timedelta(days=60)
    own = {e.title for e in calendar_entries(world.users["officer_own"], start, end)}
    other = {e.title for e in calendar_entries(world.users["officer_other"], start, end)}
    assert own == {"Shared seminar", "Draft seminar"}
    assert other == {"Shared seminar"}
    assert calendar_entries(world.users["partner"], start, end) == []  # consortium only
    day = shared.starts_at.astimezone(IST).date().isoformat()
    response = world.client_for("officer_other").get(
        reverse("coordination:calendar"), {"view": "list", "date": day}
    )
    assert "Shared seminar" in response.content.decode()


@pytest.mark.parametrize("missions", [1, 4])
def test_the_organisers_event_page_reads_notices_in_fixed_queries(
    world: World, missions: int, django_assert_num_queries: Any
) -> None:
    for n in range(missions):
        _mission(world, first=28 + n % 3)
    event = _event(world)
    assert ClashNotice.objects.count() == missions
    client = world.client_for("officer_own")
    client.get(event.get_absolute_url())  # warm the per-process caches (sectors, languages)
    with django_assert_num_queries(16):  # one of them the library's "Documents" card
        response = client.get(event.get_absolute_url())
    assert response.content.decode().count("Shizuoka delegation to Mumbai") == missions
