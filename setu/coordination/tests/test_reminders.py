"""send_coordination_reminders: RSVP and overdue reminders, each sent once, in the reader's
language and time zone."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.conftest import World
from setu.coordination.models import Invitee, Meeting, ReminderLog, Rsvp
from setu.coordination.services.actions import action_update
from setu.coordination.tests.conftest import council_meeting
from setu.coordination.tests.factories import ActionItemFactory, in_days

pytestmark = pytest.mark.django_db


def _run(capture: Callable[..., object]) -> str:
    out = io.StringIO()
    with capture(execute=True):  # type: ignore[operator]
        call_command("send_coordination_reminders", stdout=out)
    return out.getvalue()


def test_rsvp_reminders_go_once_to_the_invited_organisations_staff(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    meeting = council_meeting(world, starts_at=in_days(3))
    Invitee.objects.filter(meeting=meeting, organisation=world.other_prefecture).update(
        rsvp=Rsvp.YES
    )
    council_meeting(world, starts_at=in_days(30))  # too far ahead
    output = _run(django_capture_on_commit_callbacks)
    assert "Queued 1 RSVP reminder(s)" in output
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    body = mail.outbox[0].body
    assert meeting.get_absolute_url() in body and "IST" in body and "JST" in body
    mail.outbox.clear()
    assert "Queued 0 RSVP" in _run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_personal_invitation_reminds_that_person(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    meeting = council_meeting(world, starts_at=in_days(2))
    meeting.invitees.filter(organisation__isnull=False).update(rsvp=Rsvp.NO)
    Invitee.objects.create(meeting=meeting, user=world.users["partner"])
    _run(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["partner@example.org"]]


def test_overdue_items_remind_their_owner_once_per_due_date(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    today = timezone.localdate()
    meeting.invitees.update(rsvp=Rsvp.YES)
    late = ActionItemFactory.create(
        meeting=meeting, owner=world.prefecture, due_on=today - timedelta(days=2), title="Late"
    )
    ActionItemFactory.create(
        meeting=meeting, owner=world.prefecture, due_on=today - timedelta(days=2), status="done"
    )
    ActionItemFactory.create(meeting=meeting, owner=world.prefecture, due_on=today)
    assert "1 overdue reminder(s)" in _run(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    assert "“Late”" in mail.outbox[0].body
    assert "0 overdue" in _run(django_capture_on_commit_callbacks)
    # A new due date, missed again, is a new occasion.
    action_update(action=late, actor=world.users["officer_own"], due_on=today - timedelta(days=1))
    assert "1 overdue" in _run(django_capture_on_commit_callbacks)
    assert ReminderLog.objects.filter(kind="action_overdue").count() == 2


def test_reminders_use_the_recipients_language_and_zone(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    meeting.invitees.update(rsvp=Rsvp.YES)
    person = UserFactory.create(email="kolkata@example.org", time_zone="Asia/Kolkata")
    add_membership(person, world.other_prefecture, Role.PREFECTURE_OFFICER)
    ActionItemFactory.create(
        meeting=meeting,
        owner=world.other_prefecture,
        owner_person=person,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    _run(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["kolkata@example.org"]]
