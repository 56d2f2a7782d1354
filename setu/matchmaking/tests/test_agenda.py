"""Personal agendas: page, print view, iCal download and feed; who may read which."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.matchmaking.calendar import feed_token
from setu.matchmaking.models import Meeting, MeetingMode
from setu.matchmaking.services.schedule import schedule_publish
from setu.matchmaking.tests.factories import accepted
from setu.matchmaking.tests.schedule_builders import Scheduled, companies, run_now, scheduled

pytestmark = pytest.mark.django_db


def _agenda(s: Scheduled, participant: Any = None) -> str:
    return reverse(
        "matchmaking:agenda_participant", args=[s.event.pk, (participant or s.member).pk]
    )


def test_before_publication_the_agenda_says_so(world: World) -> None:
    s = scheduled(world, publish=False)
    page = world.client_for("member").get(reverse("matchmaking:agenda", args=[s.event.pk]))
    assert page.status_code == 200
    assert "The meeting schedule is not published yet." in page.content.decode()
    assert "Mumbai Chamber" not in page.content.decode()


def test_published_agenda_shows_who_where_and_when(world: World) -> None:
    s = scheduled(world, table_names="Sakura\nLotus")
    s.partner.needs_interpreter = True
    s.partner.save()
    page = world.client_for("member").get(reverse("matchmaking:agenda", args=[s.event.pk]))
    body = page.content.decode()
    assert "Meeting agenda" in body and "Mumbai Chamber" in body
    assert "Partner" in body  # the contact person's name
    assert s.mm.table_label(s.meeting.table) in body and s.mm.table_label(0) == "Sakura"
    assert "Interpreter needed" in body
    start = s.meeting.slot.starts_at.astimezone(s.event.venue_tz)
    end = s.meeting.slot.ends_at.astimezone(s.event.venue_tz)
    venue = f"{start:%H:%M}–{end:%H:%M} IST"  # the zone closes the range
    assert venue in body and "JST)" in body  # the member reads in Tokyo time too


def test_the_other_side_sees_the_same_meeting(world: World) -> None:
    s = scheduled(world)
    body = world.client_for("partner").get(_agenda(s, s.partner)).content.decode()
    assert "Kofu Precision K.K." in body and "Member" in body


def test_online_meeting_shows_its_link(world: World) -> None:
    s = scheduled(world, publish=False, mode=MeetingMode.BOTH, online_url="https://meet.example/a")
    s.partner.mode = MeetingMode.ONLINE
    s.partner.save()
    Meeting.objects.filter(pk=s.meeting.pk).update(online=True)
    schedule_publish(run=s.run, actor=world.users["officer_own"])
    body = world.client_for("member").get(_agenda(s)).content.decode()
    assert "https://meet.example/a" in body
    s.partner.online_url = "https://meet.example/chamber"
    s.partner.save()
    body = world.client_for("member").get(_agenda(s)).content.decode()
    assert "https://meet.example/chamber" in body


def test_who_may_read_an_agenda(world: World) -> None:
    s = scheduled(world)
    expected = {
        "member": 200,
        "partner": 403,
        "officer_own": 200,
        "officer_other": 403,
        "secretariat": 200,
        "student": 403,
    }
    for role, status in expected.items():
        assert world.client_for(role).get(_agenda(s)).status_code == status, role
    assert Client().get(_agenda(s)).status_code == 302


def test_someone_not_taking_part_is_told_so(world: World) -> None:
    s = scheduled(world)
    page = world.client_for("student").get(reverse("matchmaking:agenda", args=[s.event.pk]))
    assert "not taking part" in page.content.decode()


def test_print_view(world: World) -> None:
    s = scheduled(world)
    url = reverse("matchmaking:agenda_print", args=[s.event.pk, s.member.pk])
    body = world.client_for("member").get(url).content.decode()
    assert "A4" in body and "Mumbai Chamber" in body and "agenda-print__table" in body


def _calendar(content: bytes) -> Any:
    return icalendar.Calendar.from_ical(content)


def test_ics_has_one_event_per_meeting(world: World) -> None:
    s = scheduled(world)
    response = world.client_for("member").get(
        reverse("matchmaking:agenda_ics", args=[s.event.pk, s.member.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    events = _calendar(response.content).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"meeting-{s.request.pk}@matchmaking.setu"
    assert event.decoded("dtstart") == s.meeting.slot.starts_at
    assert str(event["dtstart"].params["TZID"]) == "Asia/Kolkata"
    assert "Mumbai Chamber" in str(event["summary"])
    location = str(event["location"])
    assert "Trident, Nariman Point" in location and s.mm.table_label(s.meeting.table) in location


def test_uid_stays_when_a_reschedule_moves_the_meeting(world: World) -> None:
    s = scheduled(world)
    other = companies(s.mm, 1, country="IN")[0]
    accepted(s.member, other)
    run = run_now(s.mm, world.users["officer_own"], keep_published=True)
    schedule_publish(run=run, actor=world.users["officer_own"])
    content = (
        world.client_for("member")
        .get(reverse("matchmaking:agenda_ics", args=[s.event.pk, s.member.pk]))
        .content
    )
    events = _calendar(content).walk("VEVENT")
    uids = {str(e["uid"]) for e in events}
    assert f"meeting-{s.request.pk}@matchmaking.setu" in uids and len(uids) == 2
    assert {int(e["sequence"]) for e in events} == {run.pk}


def test_feed_opens_with_its_token_alone(world: World) -> None:
    s = scheduled(world)
    url = reverse("matchmaking:agenda_feed", args=[feed_token(s.member)])
    response = Client().get(url)
    assert response.status_code == 200
    assert len(_calendar(response.content).walk("VEVENT")) == 1
    assert Client().get(reverse("matchmaking:agenda_feed", args=["forged"])).status_code == 404


def test_agenda_shows_the_feed_link_to_its_owner(world: World) -> None:
    s = scheduled(world)
    body = world.client_for("member").get(_agenda(s)).content.decode()
    assert feed_token(s.member) in body
    assert (
        feed_token(s.member) not in world.client_for("officer_own").get(_agenda(s)).content.decode()
    )


@pytest.mark.parametrize("count", [2, 20])
def test_agenda_query_count_is_fixed(
    world: World, count: int, django_assert_max_num_queries: Any
) -> None:
    s = scheduled(world, publish=False, slots=25, tables=2)
    for other in companies(s.mm, count - 1, country="IN"):
        accepted(s.member, other)
    run = run_now(s.mm, world.users["officer_own"])
    schedule_publish(run=run, actor=world.users["officer_own"])
    client = world.client_for("member")
    with django_assert_max_num_queries(12):
        response = client.get(_agenda(s))
    assert len(response.context["entries"]) == count
    with django_assert_max_num_queries(12):
        client.get(reverse("matchmaking:agenda_print", args=[s.event.pk, s.member.pk]))


def test_unpublishing_takes_the_agenda_back_until_the_next_publication(world: World) -> None:
    s = scheduled(world)
    officer = world.client_for("officer_own")
    url = reverse("matchmaking:schedule_unpublish", args=[s.event.pk, s.run.pk])
    response = officer.post(url, follow=True)
    assert "The schedule is a draft again" in response.content.decode()
    s.run.refresh_from_db()
    assert s.run.status == "done" and s.run.published_at is None
    page = world.client_for("member").get(reverse("matchmaking:agenda", args=[s.event.pk]))
    assert "The meeting schedule is not published yet." in page.content.decode()
    # Only the published schedule can be unpublished; a second try changes nothing.
    again = officer.post(url, follow=True).content.decode()
    assert "Only the published schedule can be unpublished." in again
    assert world.client_for("member").post(url).status_code == 403
