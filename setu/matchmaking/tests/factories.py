"""Builders for matchmaking tests: an event's grid, participants and accepted requests."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from setu.directory.models import Organisation
from setu.events.models import Event
from setu.matchmaking.grid import DayHours, cut_slots
from setu.matchmaking.models import (
    Matchmaking,
    MeetingDay,
    MeetingRequest,
    Participant,
    RequestStatus,
    Side,
    Slot,
)


def matchmaking_for(
    event: Event, *, slots: int = 6, tables: int = 3, minutes: int = 20, **settings: Any
) -> Matchmaking:
    """Matchmaking on the event's first day from 10:00, ``slots`` slots, requests open now."""
    now = timezone.now()
    settings.setdefault("requests_open_at", now - timedelta(days=1))
    settings.setdefault("requests_close_at", now + timedelta(days=7))
    mm = Matchmaking.objects.create(event=event, tables=tables, slot_minutes=minutes, **settings)
    day_date = event.starts_at.astimezone(timezone.get_default_timezone()).date()
    end_minutes = 10 * 60 + slots * minutes
    day = MeetingDay.objects.create(
        matchmaking=mm, date=day_date, starts=time(10), ends=time(*divmod(end_minutes, 60))
    )
    times = cut_slots(
        [DayHours(day.date, day.starts, day.ends)], minutes=minutes, time_zone=event.time_zone
    )
    Slot.objects.bulk_create(
        Slot(matchmaking=mm, index=i, starts_at=t.starts_at, ends_at=t.ends_at)
        for i, t in enumerate(times)
    )
    return mm


def participant(mm: Matchmaking, organisation: Organisation, **fields: Any) -> Participant:
    fields.setdefault("side", Side.IN if organisation.country == "IN" else Side.JP)
    return Participant.objects.create(matchmaking=mm, organisation=organisation, **fields)


def accepted(a: Participant, b: Participant, priority: int = 1) -> MeetingRequest:
    return MeetingRequest.objects.create(
        matchmaking=a.matchmaking,
        requester=a,
        recipient=b,
        priority=priority,
        status=RequestStatus.ACCEPTED,
        answered_at=timezone.now(),
    )
