"""Reminders sent by the cron job: answers owed to invitations, overdue action items.

Each reminder is recorded in ``ReminderLog`` in the same transaction that queues its email,
under a unique constraint, so running the job twice (or twice at once) sends nothing twice.
An RSVP reminder goes once per invitation; an overdue reminder once per due date (moving the
due date and missing it again earns a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import User
from setu.coordination.models import ActionItem, Invitee, MeetingStatus, ReminderLog, Rsvp
from setu.coordination.notifications import notify, people_of, staff_of

RSVP_WINDOW = timedelta(days=7)


@dataclass
class ReminderCounts:
    rsvp: int = 0
    overdue: int = 0


def _once(*, kind: str, object_id: int, recipient: User, key: str) -> bool:
    """Record the reminder; False when it was sent before. Call inside a transaction."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, object_id=object_id, recipient=recipient, key=key)
    except IntegrityError:
        return False
    return True


def _rsvp_recipients(invitee: Invitee) -> list[User]:
    if invitee.user is not None:
        return [invitee.user] if invitee.user.is_active else []
    assert invitee.organisation_id is not None
    return staff_of([invitee.organisation_id]) or people_of([invitee.organisation_id])


def _action_recipients(action: ActionItem) -> list[User]:
    if action.owner_person is not None and action.owner_person.is_active:
        return [action.owner_person]
    return staff_of([action.owner_id]) or people_of([action.owner_id])


def reminders_send(
    *, now: datetime | None = None, rsvp_window: timedelta = RSVP_WINDOW
) -> ReminderCounts:
    """Queue every reminder that is due and was not sent yet; return how many were queued."""
    now = now or timezone.now()
    counts = ReminderCounts()
    invitees = Invitee.objects.filter(
        rsvp=Rsvp.PENDING,
        meeting__status=MeetingStatus.SCHEDULED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + rsvp_window,
    ).select_related("meeting", "meeting__city", "organisation", "user")
    for invitee in invitees:
        for recipient in _rsvp_recipients(invitee):
            with transaction.atomic():
                if _once(kind="rsvp", object_id=invitee.pk, recipient=recipient, key="rsvp"):
                    notify(
                        [recipient],
                        subject=_("Please answer: %(title)s"),
                        subject_params={"title": invitee.meeting},
                        template="coordination/email/rsvp_reminder.txt",
                        context={"invitee": invitee, "meeting": invitee.meeting},
                    )
                    counts.rsvp += 1
    today = timezone.localdate(now)
    overdue = (
        ActionItem.objects.open()
        .filter(due_on__lt=today)
        .select_related("owner", "owner_person", "meeting")
    )
    for action in overdue:
        for recipient in _action_recipients(action):
            with transaction.atomic():
                key = f"overdue:{action.due_on.isoformat()}"
                if _once(kind="action_overdue", object_id=action.pk, recipient=recipient, key=key):
                    notify(
                        [recipient],
                        subject=_("Overdue: %(title)s"),
                        subject_params={"title": action.title},
                        template="coordination/email/action_overdue.txt",
                        context={"action": action},
                    )
                    counts.overdue += 1
    return counts
