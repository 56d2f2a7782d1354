"""Work the worker does for events: registration emails and reminders."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from setu.events.emails import build_messages
from setu.events.models import Registration, RegistrationStatus, Reminder


@task()
def send_registration_email(*, registration_id: int, kind: str) -> None:
    """Build and send the emails about one registration, as it stands now."""
    registration = (
        Registration.objects.select_related("event", "event__city", "category")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    for message in build_messages(registration, kind):
        message.send()


@task()
def send_event_reminder(*, reminder_id: int) -> None:
    """Send one reminder, once: the row is locked and marked sent in the same transaction.

    A worker that restarts and runs the task again finds ``sent_at`` set and sends nothing.
    """
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("registration", "registration__event", "registration__event__city")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return
        registration = reminder.registration
        if registration.status == RegistrationStatus.CONFIRMED:
            for message in build_messages(registration, f"reminder_{reminder.kind}"):
                message.send()
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
