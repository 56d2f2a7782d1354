"""Reminders 7 days and 1 day before: due, in the registrant's language and zone, sent once."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.events.models import Registration, Reminder
from setu.events.reminders import reminders_due, reminders_enqueue
from setu.events.tasks import send_event_reminder
from setu.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

START = datetime(2030, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


@pytest.fixture
def seminar(world: World) -> Any:
    return EventFactory.create(
        owner=world.prefecture,
        title_en="Mumbai seminar",
        title_ja="ムンバイセミナー",
        starts_at=START,
        ends_at=START + timedelta(hours=4),
    )


def _confirmed(event: Any, register: Callable[..., Registration], days_before: int) -> Registration:
    registration = register(event)
    Registration.objects.filter(pk=registration.pk).update(
        confirmed_at=START - timedelta(days=days_before)
    )
    return registration


def test_which_reminders_are_due(seminar: Any, register: Callable[..., Registration]) -> None:
    early = _confirmed(seminar, register, 30)
    late = _confirmed(seminar, register, 3)  # registered after the 7-day mark
    six_days_before = START - timedelta(days=6)
    assert reminders_due(now=six_days_before) == [(early.pk, "7d")]
    twelve_hours_before = START - timedelta(hours=12)
    assert set(reminders_due(now=twelve_hours_before)) == {(early.pk, "1d"), (late.pk, "1d")}
    assert reminders_due(now=START - timedelta(days=8)) == []
    assert reminders_due(now=START + timedelta(minutes=1)) == []


def test_waitlisted_and_cancelled_get_no_reminder(
    seminar: Any, register: Callable[..., Registration]
) -> None:
    seminar.capacity = 1
    seminar.save()
    _confirmed(seminar, register, 30)
    register(seminar)  # waitlisted
    assert len(reminders_due(now=START - timedelta(hours=2))) == 1


def test_enqueued_once_sent_once_in_the_registrants_language_and_zone(
    seminar: Any, register: Callable[..., Registration]
) -> None:
    user = UserFactory.create(language="ja", time_zone="Asia/Tokyo")
    registration = register(seminar, user.email, user=user, language="ja", time_zone="Asia/Tokyo")
    Registration.objects.filter(pk=registration.pk).update(confirmed_at=START - timedelta(days=20))
    mail.outbox.clear()
    now = START - timedelta(days=5)
    assert reminders_enqueue(now=now) == 1
    assert reminders_enqueue(now=now) == 0  # cron runs again: nothing new
    reminders = list(Reminder.objects.all())
    assert len(reminders) == 1 and reminders[0].sent_at is not None
    (message,) = mail.outbox
    with translation.override("ja"):
        subject = translation.gettext("In one week: %(event)s") % {"event": "ムンバイセミナー"}
    assert message.subject == subject
    assert "2030-05-12 10:00 IST (13:30 JST)" in message.body
    assert any(name == "event.ics" for name, *_ in message.attachments)
    # The worker restarts and runs the same task again: nothing is sent twice.
    send_event_reminder.call(reminder_id=reminders[0].pk)
    assert len(mail.outbox) == 1


def test_command_is_cron_safe(seminar: Any, register: Callable[..., Registration]) -> None:
    _confirmed(seminar, register, 30)
    Registration.objects.update(confirmed_at=timezone.now() - timedelta(days=30))
    soon = timezone.now() + timedelta(hours=20)
    seminar.starts_at, seminar.ends_at = soon, soon + timedelta(hours=2)
    seminar.save()
    out = io.StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "1 reminders enqueued" in out.getvalue()
    call_command("send_event_reminders", stdout=out)
    assert Reminder.objects.count() == 1
