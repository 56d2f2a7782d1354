"""Meetings: creation, invitations and RSVP, agenda, decisions, publishing and its lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from setu.conftest import World
from setu.coordination.models import AgendaItem, Decision, Invitee, Meeting, Rsvp
from setu.coordination.services import meetings as services
from setu.coordination.tests.factories import AgendaItemFactory, SeriesFactory, in_days
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_meeting_create_invites_and_audits(world: World) -> None:
    actor = world.users["secretariat"]
    meeting = services.meeting_create(
        actor=actor,
        owner=world.secretariat_org,
        title_en="Governors' meeting",
        starts_at=in_days(10),
        ends_at=in_days(10, hour=12),
        time_zone="Asia/Tokyo",
        invite_organisations=[world.prefecture, world.other_prefecture, world.secretariat_org],
    )
    assert set(Invitee.objects.filter(meeting=meeting).values_list("organisation", flat=True)) == {
        world.prefecture.pk,
        world.other_prefecture.pk,
    }  # the organiser is not invited to its own meeting
    entry = AuditEntry.objects.get(action="coordination.meeting.created")
    assert entry.owner == world.secretariat_org
    assert "invited" in entry.changes


def test_meeting_that_ends_before_it_starts_is_refused_and_nothing_saved(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=world.users["secretariat"],
            owner=world.secretariat_org,
            title_en="Backwards",
            starts_at=in_days(3, hour=12),
            ends_at=in_days(3, hour=11),
            time_zone="Asia/Tokyo",
            invite_organisations=[world.prefecture],
        )
    assert "ends_at" in error.value.message_dict
    assert not Meeting.objects.exists() and not Invitee.objects.exists()


def test_meeting_needs_a_title(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=world.users["secretariat"],
            owner=world.secretariat_org,
            starts_at=in_days(3),
            ends_at=in_days(3, hour=12),
            time_zone="Asia/Tokyo",
        )
    assert "title_en" in error.value.message_dict


def test_invite_twice_is_refused(world: World, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="already invited"):
        services.invitee_add(
            meeting=meeting, actor=world.users["secretariat"], organisation=world.prefecture
        )
    invitee = services.invitee_add(
        meeting=meeting, actor=world.users["secretariat"], user=world.users["partner"]
    )
    assert invitee.rsvp == Rsvp.PENDING


def test_rsvp_is_recorded_and_audited(world: World, meeting: Meeting) -> None:
    invitee = meeting.invitees.get(organisation=world.prefecture)
    services.rsvp_answer(invitee=invitee, actor=world.users["officer_own"], answer=Rsvp.YES)
    invitee.refresh_from_db()
    assert invitee.rsvp == Rsvp.YES and invitee.responded_by == world.users["officer_own"]
    assert AuditEntry.objects.filter(action="coordination.invitee.answered").exists()
    with pytest.raises(ValidationError):
        services.rsvp_answer(invitee=invitee, actor=world.users["officer_own"], answer="later")


def test_agenda_items_are_numbered_and_move(world: World, meeting: Meeting) -> None:
    actor = world.users["secretariat"]
    first = services.agenda_item_save(meeting=meeting, actor=actor, title_en="One")
    second = services.agenda_item_save(meeting=meeting, actor=actor, title_en="Two")
    assert (first.position, second.position) == (1, 2)
    services.agenda_item_move(item=second, actor=actor, direction="up")
    assert list(meeting.agenda_items.values_list("title_en", flat=True)) == ["Two", "One"]
    services.agenda_item_move(item=second, actor=actor, direction="up")  # already first
    assert list(meeting.agenda_items.values_list("title_en", flat=True)) == ["Two", "One"]


def test_time_box_out_of_range_is_refused(world: World, meeting: Meeting) -> None:
    with pytest.raises(ValidationError):
        services.agenda_item_save(
            meeting=meeting, actor=world.users["secretariat"], title_en="Long", duration_minutes=0
        )
    assert not AgendaItem.objects.exists()


def test_publishing_locks_agenda_minutes_and_decisions(world: World, meeting: Meeting) -> None:
    actor = world.users["secretariat"]
    item = AgendaItemFactory.create(meeting=meeting)
    decision = services.decision_add(meeting=meeting, actor=actor, text="Agreed.")
    services.minutes_publish(meeting=meeting, actor=actor, visibility="partners")
    meeting.refresh_from_db()
    assert meeting.minutes_locked and meeting.minutes_visibility == "partners"
    for write in (
        lambda: services.agenda_item_save(meeting=meeting, actor=actor, title_en="Late"),
        lambda: services.agenda_item_save(meeting=meeting, actor=actor, item=item, title_en="X"),
        lambda: services.decision_add(meeting=meeting, actor=actor, text="Late decision"),
        lambda: services.decision_remove(decision=decision, actor=actor),
        lambda: services.attachment_add(item=item, actor=actor, title="a", url="https://a.example"),
        lambda: services.minutes_publish(meeting=meeting, actor=actor, visibility="public"),
    ):
        with pytest.raises(ValidationError, match="published"):
            write()
    assert Decision.objects.count() == 1
    assert meeting.agenda_items.count() == 1


def test_attachment_link_must_be_a_url(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    with pytest.raises(ValidationError):
        services.attachment_add(
            item=item, actor=world.users["secretariat"], title="Doc", url="not a link"
        )
    assert not item.attachments.exists()


def test_series_create_and_close(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    meeting = services.meeting_create(
        actor=world.users["secretariat"],
        owner=world.secretariat_org,
        series=series,
        title_en="WG",
        starts_at=in_days(-3),
        ends_at=in_days(-3) + timedelta(hours=1),
        time_zone="Asia/Tokyo",
    )
    services.meeting_close(meeting=meeting, actor=world.users["secretariat"])
    meeting.refresh_from_db()
    assert meeting.status == "closed" and meeting.closed_at is not None
    with pytest.raises(ValidationError):
        services.meeting_close(meeting=meeting, actor=world.users["secretariat"])
