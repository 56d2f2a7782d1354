"""Courses and festivals for tests, on the events factories."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from setu.culture.models import Course, Level, Shift, Track
from setu.directory.models import Organisation
from setu.events.models import Event, EventKind, Session
from setu.events.tests.factories import EventFactory


def course(
    owner: Organisation, *, classes: int = 3, capacity: int | None = 10, **extra: Any
) -> Course:
    start = timezone.now() + timedelta(days=20)
    event = EventFactory.create(
        owner=owner,
        kind=EventKind.COURSE,
        title_en="Japanese for Indian Learners: JLPT N5",
        title_ja="インドの学習者のための日本語",
        capacity=capacity,
        starts_at=start,
        ends_at=start + timedelta(weeks=classes, hours=2),
    )
    for week in range(classes):
        Session.objects.create(
            event=event,
            title_en=f"Class {week + 1}",
            starts_at=start + timedelta(weeks=week),
            ends_at=start + timedelta(weeks=week, hours=2),
        )
    values = {"track": Track.JAPANESE, "level_to": Level.JLPT_N5, "attendance_needed": 75}
    return Course.objects.create(event=event, **(values | extra))


def festival(owner: Organisation, **extra: Any) -> Event:
    return EventFactory.create(
        owner=owner, kind=EventKind.FESTIVAL, title_en="Japan Festival Pune", **extra
    )


def shift(event: Event, *, limit: int = 2, **extra: Any) -> Shift:
    values = {
        "title_en": "Welcome desk",
        "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(hours=2),
        "limit": limit,
    }
    return Shift.objects.create(event=event, **(values | extra))
