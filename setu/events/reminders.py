"""Which reminders are due, and enqueuing each exactly once (``send_event_reminders``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from setu.events.models import Registration, RegistrationStatus, Reminder, ReminderKind

LEADS = {ReminderKind.WEEK: timedelta(days=7), ReminderKind.DAY: timedelta(days=1)}


def reminders_due(*, now: datetime) -> list[tuple[int, str]]:
    """``(registration id, kind)`` for every confirmed registration owed a reminder at ``now``.

    A reminder is due from its lead time before the start until the start (the 7-day one only
    until the 1-day one takes over). Someone confirmed after that moment got the confirmation
    email, with everything in it, recently enough: they are not reminded again.
    """
    due: list[tuple[int, str]] = []
    windows = {
        ReminderKind.WEEK: (now + LEADS[ReminderKind.DAY], now + LEADS[ReminderKind.WEEK]),
        ReminderKind.DAY: (now, now + LEADS[ReminderKind.DAY]),
    }
    for kind, (after, until) in windows.items():
        registrations = Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__starts_at__gt=after,
            event__starts_at__lte=until,
            confirmed_at__lte=F("event__starts_at") - LEADS[kind],
        ).exclude(reminders__kind=kind)
        due.extend((pk, kind) for pk in registrations.values_list("pk", flat=True).order_by("pk"))
    return due


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Record and enqueue every due reminder; returns how many were enqueued now.

    The unique ``Reminder`` row and the task are written in one transaction (with the database
    task backend the task is a row too), so a reminder is enqueued once however often cron runs
    this, even two at a time: the second insert fails on the unique constraint and is skipped.
    """
    from setu.events.tasks import send_event_reminder

    now = now or timezone.now()
    enqueued = 0
    for registration_id, kind in reminders_due(now=now):
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(registration_id=registration_id, kind=kind)
                send_event_reminder.enqueue(reminder_id=reminder.pk)
        except IntegrityError:
            continue  # another run recorded it first
        enqueued += 1
    return enqueued
