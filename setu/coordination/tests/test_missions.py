"""Missions: dates, destinations, prefectures, delegates added by their own prefecture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from setu.conftest import World
from setu.coordination.models import Delegate, Mission, MissionDestination, MissionParticipant
from setu.coordination.services import missions as services
from setu.coordination.tests.factories import city, days_from_today
from setu.core.models import AuditEntry
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_mission_that_ends_before_it_starts_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.mission_create(
            actor=world.users["officer_own"],
            owner=world.prefecture,
            title_en="Backwards",
            starts_on=days_from_today(10),
            ends_on=days_from_today(9),
        )
    assert "ends_on" in error.value.message_dict
    assert not Mission.objects.exists()


def test_mission_form_names_the_field(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.post(
        reverse("coordination:mission_create"),
        {
            "title_en": "Backwards",
            "starts_on": days_from_today(10).isoformat(),
            "ends_on": days_from_today(9).isoformat(),
            "status": "planned",
            "visibility": "consortium",
        },
    )
    assert response.status_code == 200
    assert "before the first day" in str(response.context["form"].errors["ends_on"])
    assert not Mission.objects.exists()


def test_only_a_member_prefecture_leads(world: World) -> None:
    with pytest.raises(ValidationError):
        services.mission_create(
            actor=world.users["officer_own"],
            owner=world.company,
            title_en="Company mission",
            starts_on=days_from_today(10),
            ends_on=days_from_today(12),
        )


def test_destinations_stay_within_the_mission(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    actor = world.users["officer_own"]
    with pytest.raises(ValidationError, match="within the mission"):
        services.destination_add(
            mission=mission,
            actor=actor,
            city=city("in-pune"),
            starts_on=mission.ends_on,
            ends_on=mission.ends_on + timedelta(days=2),
        )
    with pytest.raises(ValidationError) as error:
        services.destination_add(
            mission=mission,
            actor=actor,
            city=city("in-pune"),
            starts_on=mission.ends_on,
            ends_on=mission.starts_on,
        )
    assert "ends_on" in error.value.message_dict
    # Moving the mission's days away from a destination is refused as well.
    with pytest.raises(ValidationError, match="outside the mission's days"):
        services.mission_update(
            mission=mission, actor=actor, starts_on=mission.starts_on + timedelta(days=1)
        )
    assert MissionDestination.objects.filter(mission=mission).count() == 1


def test_participants_and_their_audit(world: World, make_mission: Callable[..., Mission]) -> None:
    mission = make_mission()
    actor = world.users["officer_own"]
    participant = services.participant_add(
        mission=mission, actor=actor, organisation=world.other_prefecture
    )
    with pytest.raises(ValidationError, match="already takes part"):
        services.participant_add(mission=mission, actor=actor, organisation=world.other_prefecture)
    with pytest.raises(ValidationError, match="leads"):
        services.participant_add(mission=mission, actor=actor, organisation=world.prefecture)
    with pytest.raises(ValidationError, match="Only member prefectures"):
        services.participant_add(mission=mission, actor=actor, organisation=world.partner_org)
    assert AuditEntry.objects.filter(action="coordination.mission.participant_added").count() == 1
    services.participant_remove(participant=participant, actor=actor)
    assert not MissionParticipant.objects.exists()


def test_a_participant_reads_a_private_mission(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission(visibility="private")
    other = world.client_for("officer_other")
    assert other.get(mission.get_absolute_url()).status_code == 404
    services.participant_add(
        mission=mission, actor=world.users["officer_own"], organisation=world.other_prefecture
    )
    assert other.get(mission.get_absolute_url()).status_code == 200
    assert world.client_for("secretariat").get(mission.get_absolute_url()).status_code == 404


def test_each_prefecture_adds_only_its_own_people(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    own, other = world.users["officer_own"], world.users["officer_other"]
    services.participant_add(mission=mission, actor=own, organisation=world.other_prefecture)
    # the lead adds its official and its company's representative
    services.delegate_add(
        mission=mission, actor=own, prefecture=world.prefecture, organisation=world.prefecture,
        name="Kenji Watanabe",
    )  # fmt: skip
    services.delegate_add(
        mission=mission, actor=own, prefecture=world.prefecture, organisation=world.company,
        name="Hiroshi Mochizuki",
    )  # fmt: skip
    # the other prefecture may not add people into the lead's delegation ...
    with pytest.raises(PermissionDenied):
        services.delegate_add(
            mission=mission, actor=other, prefecture=world.prefecture,
            organisation=world.prefecture, name="Impostor",
        )  # fmt: skip
    # ... nor a company it does not manage into its own
    with pytest.raises(ValidationError) as error:
        services.delegate_add(
            mission=mission, actor=other, prefecture=world.other_prefecture,
            organisation=world.company, name="Someone",
        )  # fmt: skip
    assert "organisation" in error.value.message_dict
    shizuoka_company = CompanyFactory.create(managed_by=world.other_prefecture)
    services.delegate_add(
        mission=mission, actor=other, prefecture=world.other_prefecture,
        organisation=shizuoka_company, name="Takeshi Suzuki",
    )  # fmt: skip
    assert Delegate.objects.filter(mission=mission).count() == 3
    own_delegate = Delegate.objects.get(name="Kenji Watanabe")
    with pytest.raises(PermissionDenied):
        services.delegate_remove(delegate=own_delegate, actor=other)
    assert AuditEntry.objects.filter(action="coordination.delegate.added").count() == 3


def test_delegate_form_refuses_another_prefectures_company(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    services.participant_add(
        mission=mission, actor=world.users["officer_own"], organisation=world.other_prefecture
    )
    client = world.client_for("officer_other")
    response = client.post(
        reverse("coordination:delegate_add", args=[mission.pk]),
        {"prefecture": world.other_prefecture.pk, "organisation": world.company.pk, "name": "X"},
        follow=True,
    )
    assert "each prefecture adds its own people" in response.content.decode()
    assert not Delegate.objects.exists()


def test_a_participant_cannot_leave_with_delegates(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    participant = services.participant_add(
        mission=mission, actor=world.users["officer_own"], organisation=world.other_prefecture
    )
    services.delegate_add(
        mission=mission, actor=world.users["officer_other"], prefecture=world.other_prefecture,
        organisation=world.other_prefecture, name="Yumi Suzuki",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="delegates first"):
        services.participant_remove(participant=participant, actor=world.users["officer_own"])
    assert MissionParticipant.objects.filter(pk=participant.pk).exists()


def test_itinerary_times_are_read_in_the_destination_zone(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    destination = mission.destinations.get()
    client = world.client_for("officer_own")
    response = client.post(
        reverse("coordination:itinerary_add", args=[mission.pk]),
        {
            "destination": destination.pk,
            "kind": "visit",
            "day": mission.starts_on.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "title_en": "Chamber visit",
            "title_ja": "会議所訪問",
        },
    )
    assert response.status_code == 302
    item = mission.itinerary.get()
    assert item.starts_at.astimezone(city("in-mumbai").timezone and _ist()).hour == 10
    page = client.get(mission.get_absolute_url()).content.decode()
    assert "10:00–12:00 IST (13:30–15:30 JST)" in strip_tags(page)
    printed = client.get(reverse("coordination:mission_print", args=[mission.pk])).content
    assert "会議所訪問".encode() in printed and b"Chamber visit" in printed


def _ist() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Kolkata")


def test_itinerary_entry_outside_the_mission_days_is_refused(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    client = world.client_for("officer_own")
    response = client.post(
        reverse("coordination:itinerary_add", args=[mission.pk]),
        {
            "kind": "visit",
            "day": (mission.ends_on + timedelta(days=3)).isoformat(),
            "start_time": "10:00",
            "end_time": "09:00",
            "title_en": "Late visit",
        },
    )
    assert response.status_code == 200
    assert "end_time" in response.context["form"].errors
    assert not mission.itinerary.exists()


def test_report_records_meetings_held_and_follow_ups(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    actor = world.users["officer_own"]
    start = mission.starts_on

    item = services.itinerary_item_save(
        mission=mission,
        actor=actor,
        kind="b2b",
        starts_at=datetime.combine(start, time(10), _ist()),
        ends_at=datetime.combine(start, time(12), _ist()),
        title_en="B2B session",
        title_ja="",
        notes_en="",
        notes_ja="",
        destination=None,
        organisation=None,
        place="",
        link_url="",
    )
    client = world.client_for("officer_own")
    url = reverse("coordination:mission_report", args=[mission.pk])
    response = client.post(
        url,
        {
            "summary_en": "Three MoUs discussed.",
            "summary_ja": "",
            f"held_{item.pk}": "yes",
            f"outcome_{item.pk}": "Two follow-up calls agreed.",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    item.refresh_from_db()
    assert item.held is True and mission.report_submitted_at is not None
    client.post(
        reverse("coordination:task_add", args=[mission.pk]),
        {
            "title": "Send the samples",
            "owner_organisation": world.prefecture.pk,
            "follow_up": "on",
            "next": "report",
        },
    )
    page = client.get(url).content.decode()
    assert "1 meeting held" in page and "Send the samples" in page
    assert world.client_for("officer_other").post(url, {}).status_code == 403


def test_an_itinerary_entry_links_to_an_event_during_the_mission(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    from setu.events.tests.factories import EventFactory

    mission = make_mission()
    day = datetime.combine(mission.starts_on, time(11), _ist())
    seminar = EventFactory.create(
        owner=world.prefecture, title_en="Mumbai seminar", starts_at=day, visibility="consortium"
    )
    far = EventFactory.create(owner=world.prefecture, starts_at=day + timedelta(days=40))
    client = world.client_for("officer_own")
    url = reverse("coordination:itinerary_add", args=[mission.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["event"].queryset) == [seminar]  # only events during the mission
    values = {
        "kind": "seminar",
        "day": mission.starts_on.isoformat(),
        "start_time": "11:00",
        "end_time": "15:00",
        "title_en": "Our seminar",
    }
    response = client.post(url, {**values, "event": far.pk})
    assert "event" in response.context["form"].errors and not mission.itinerary.exists()
    assert client.post(url, {**values, "event": seminar.pk}).status_code == 302
    assert mission.itinerary.get().event == seminar
    page = client.get(mission.get_absolute_url()).content.decode()
    assert f'href="{seminar.get_absolute_url()}"' in page and "Event: Mumbai seminar" in page
    printed = client.get(reverse("coordination:mission_print", args=[mission.pk])).content
    assert b"Mumbai seminar" in printed


def test_the_service_refuses_an_event_on_another_day(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    from setu.events.tests.factories import EventFactory

    mission = make_mission()
    start = datetime.combine(mission.starts_on, time(10), _ist())
    far = EventFactory.create(owner=world.prefecture, starts_at=start + timedelta(days=5))
    with pytest.raises(ValidationError, match="not on the day"):
        services.itinerary_item_save(
            mission=mission,
            actor=world.users["officer_own"],
            kind="visit",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            title_en="Visit",
            event=far,
        )
    assert not mission.itinerary.exists()
