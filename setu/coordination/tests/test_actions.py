"""Action items: owners within the meeting, status, carry-over between meetings, the board."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.coordination.models import ActionCarryOver, ActionItem, Meeting, MeetingSeries
from setu.coordination.selectors import action_board, meeting_actions
from setu.coordination.services import actions as services
from setu.coordination.services import meetings as meeting_services
from setu.coordination.tests.conftest import council_meeting
from setu.coordination.tests.factories import (
    ActionItemFactory,
    InviteeFactory,
    MeetingFactory,
    SeriesFactory,
    in_days,
)
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _today(days: int = 0) -> Any:
    return timezone.localdate() + timedelta(days=days)


def test_action_owned_by_an_organisation_outside_the_meeting_is_refused(
    world: World, meeting: Meeting
) -> None:
    with pytest.raises(ValidationError) as error:
        services.action_create(
            meeting=meeting,
            actor=world.users["secretariat"],
            title="Book the hall",
            owner=world.partner_org,  # not invited
            due_on=_today(7),
        )
    assert "not part of this meeting" in error.value.message_dict["owner"][0]
    assert not ActionItem.objects.exists()


def test_owner_person_must_belong_to_the_owner(world: World, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as error:
        services.action_create(
            meeting=meeting,
            actor=world.users["secretariat"],
            title="Draft the programme",
            owner=world.prefecture,
            owner_person=world.users["officer_other"],
            due_on=_today(7),
        )
    assert "owner_person" in error.value.message_dict
    action = services.action_create(
        meeting=meeting,
        actor=world.users["secretariat"],
        title="Draft the programme",
        owner=world.prefecture,
        owner_person=world.users["officer_own"],
        due_on=_today(7),
    )
    assert action.visibility == meeting.visibility
    assert AuditEntry.objects.filter(action="coordination.action.created").exists()


def test_action_form_names_the_owner_field(world: World, meeting: Meeting) -> None:
    client = world.client_for("secretariat")
    response = client.post(
        reverse("coordination:action_create", args=[meeting.pk]),
        {
            "title": "Book the hall",
            "owner": world.partner_org.pk,
            "due_on": _today(7).isoformat(),
            "visibility": "consortium",
        },
    )
    assert response.status_code == 200
    assert "not part of this meeting" in str(response.context["form"].errors["owner"])
    assert not ActionItem.objects.exists()


def test_status_changes_are_audited(world: World, meeting: Meeting) -> None:
    action = ActionItemFactory.create(meeting=meeting, owner=world.prefecture)
    services.action_set_status(action=action, actor=world.users["officer_own"], status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    with pytest.raises(ValidationError):
        services.action_set_status(action=action, actor=world.users["officer_own"], status="maybe")
    entry = AuditEntry.objects.get(action="coordination.action.status")
    assert entry.changes == {"status": ["open", "done"]}
    assert entry.owner == world.prefecture


def test_status_form_for_owners_only(world: World, meeting: Meeting) -> None:
    action = ActionItemFactory.create(meeting=meeting, owner=world.prefecture)
    url = reverse("coordination:action_status", args=[action.pk])
    assert world.client_for("officer_other").post(url, {"status": "done"}).status_code == 403
    assert world.client_for("officer_own").post(url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


# --- carry-over -------------------------------------------------------------------------------


def _series_meeting(world: World, series: MeetingSeries, days: int) -> Meeting:
    return meeting_services.meeting_create(
        actor=world.users["secretariat"],
        owner=world.secretariat_org,
        series=series,
        title_en=f"WG day {days}",
        starts_at=in_days(days),
        ends_at=in_days(days) + timedelta(hours=1),
        time_zone="Asia/Tokyo",
        invite_organisations=[world.prefecture, world.other_prefecture],
    )


def _action(world: World, meeting: Meeting, title: str, status: str = "open") -> ActionItem:
    action = services.action_create(
        meeting=meeting,
        actor=world.users["secretariat"],
        title=title,
        owner=world.prefecture,
        due_on=_today(3),
    )
    if status != "open":
        services.action_set_status(action=action, actor=world.users["secretariat"], status=status)
    return action


def test_open_items_carry_over_when_the_next_meeting_is_created(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    past = _series_meeting(world, series, -20)
    open_item = _action(world, past, "Open one")
    _action(world, past, "In progress", status="in_progress")
    _action(world, past, "Finished", status="done")
    _action(world, past, "Dropped", status="dropped")
    following = _series_meeting(world, series, 10)
    raised, carried = meeting_actions(following, user=world.users["secretariat"])
    assert raised == []
    assert {a.title for a in carried} == {"Open one", "In progress"}
    assert ActionCarryOver.objects.get(action_item=open_item).from_meeting == past
    assert AuditEntry.objects.filter(action="coordination.action.carried_over").count() == 2


def test_a_meeting_planned_ahead_waits_for_the_previous_one_to_close(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    upcoming = _series_meeting(world, series, 5)
    _action(world, upcoming, "Raised in advance")
    later = _series_meeting(world, series, 35)  # created while `upcoming` has not started
    assert meeting_actions(later, user=world.users["secretariat"])[1] == []
    carried = meeting_services.meeting_close(meeting=upcoming, actor=world.users["secretariat"])
    assert carried == 1
    assert [a.title for a in meeting_actions(later, user=world.users["secretariat"])[1]] == [
        "Raised in advance"
    ]


def test_items_keep_carrying_until_done_and_never_twice(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    first = _series_meeting(world, series, -40)
    item = _action(world, first, "Long-running")
    second = _series_meeting(world, series, -10)  # carried from first
    meeting_services.meeting_close(meeting=first, actor=world.users["secretariat"])  # no-op
    assert ActionCarryOver.objects.filter(action_item=item).count() == 1
    third = _series_meeting(world, series, 20)  # carried from second (item still open)
    assert [a.title for a in meeting_actions(third, user=world.users["secretariat"])[1]] == [
        "Long-running"
    ]
    services.action_set_status(action=item, actor=world.users["secretariat"], status="done")
    meeting_services.meeting_close(meeting=third, actor=world.users["secretariat"])
    fourth = _series_meeting(world, series, 50)
    assert meeting_actions(fourth, user=world.users["secretariat"])[1] == []
    assert ActionCarryOver.objects.filter(action_item=item).count() == 2
    assert second.pk != third.pk


def test_cancelled_meetings_are_skipped(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    past = _series_meeting(world, series, -10)
    _action(world, past, "Pending")
    cancelled = _series_meeting(world, series, 5)
    meeting_services.meeting_update(
        meeting=cancelled, actor=world.users["secretariat"], status="cancelled"
    )
    later = _series_meeting(world, series, 30)
    assert [a.title for a in meeting_actions(later, user=world.users["secretariat"])[1]] == [
        "Pending"
    ]


def test_meetings_without_series_do_not_carry(world: World, meeting: Meeting) -> None:
    _action(world, meeting, "Alone")
    assert meeting_services.meeting_close(meeting=meeting, actor=world.users["secretariat"]) == 0


# --- the board --------------------------------------------------------------------------------


def test_board_puts_overdue_first_and_scopes_to_the_member(world: World) -> None:
    meeting = council_meeting(world)
    ActionItemFactory.create(
        meeting=meeting, owner=world.prefecture, title="Later", due_on=_today(9)
    )
    ActionItemFactory.create(
        meeting=meeting, owner=world.prefecture, title="Late", due_on=_today(-2)
    )
    ActionItemFactory.create(
        meeting=meeting, owner=world.other_prefecture, title="Theirs", due_on=_today(1)
    )
    theirs_only = MeetingFactory.create(owner=world.secretariat_org)
    InviteeFactory.create(meeting=theirs_only, organisation=world.other_prefecture)
    ActionItemFactory.create(
        meeting=theirs_only,
        owner=world.other_prefecture,
        title="Private to them",
        due_on=_today(1),
        visibility="private",
    )
    ActionItemFactory.create(
        meeting=meeting, owner=world.prefecture, title="Done", due_on=_today(-9), status="done"
    )
    user = world.users["officer_own"]
    assert [a.title for a in action_board(user=user, scope="all")] == ["Late", "Theirs", "Later"]
    assert [a.title for a in action_board(user=user, scope="mine")] == ["Late", "Later"]
    assert [a.title for a in action_board(user=user, scope="mine", state="closed")] == ["Done"]
    # the organiser's staff and the meeting's participants read its private items too
    for role in ("secretariat", "officer_other"):
        assert "Private to them" in {a.title for a in action_board(user=world.users[role])}
    # on the meeting page as on the board
    assert meeting_actions(theirs_only, user=user) == ([], [])


@pytest.mark.parametrize("rows", [3, 40])
def test_board_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    meeting = council_meeting(world)
    ActionItemFactory.create_batch(rows, meeting=meeting, owner=world.prefecture)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coordination:actions"))
    assert response.status_code == 200
    assert len(response.context["actions"]) == rows
