"""Cut an event's meeting days into time slots."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_BREAK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class DayHours:
    date: date
    starts: time
    ends: time
    breaks: str = ""


@dataclass(frozen=True, slots=True)
class SlotTimes:
    starts_at: datetime
    ends_at: datetime


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """``"12:30-13:30, 15:30-15:45"`` → pairs of times; ValidationError naming a bad part."""
    breaks: list[tuple[time, time]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _BREAK.match(part)
        try:
            if match is None:
                raise ValueError(part)
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start, end = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ValidationError(
                _('"%(part)s" is not a break like 12:30-13:30.'), params={"part": part}
            ) from None
        if end <= start:
            raise ValidationError(
                _('The break "%(part)s" ends before it starts.'), params={"part": part}
            )
        breaks.append((start, end))
    return sorted(breaks)


def cut_slots(days: Iterable[DayHours], *, minutes: int, time_zone: str) -> list[SlotTimes]:
    """Consecutive slots of ``minutes`` in each day's hours, skipping any that touch a break.

    A slot that would run past the end of the day or into a break is dropped, not shortened.
    """
    if minutes <= 0:
        raise ValidationError(_("A slot must last at least one minute."))
    zone = ZoneInfo(time_zone)
    length = timedelta(minutes=minutes)
    slots: list[SlotTimes] = []
    for day in sorted(days, key=lambda d: d.date):
        breaks = [
            (datetime.combine(day.date, a, zone), datetime.combine(day.date, b, zone))
            for a, b in parse_breaks(day.breaks)
        ]
        cursor = datetime.combine(day.date, day.starts, zone)
        end_of_day = datetime.combine(day.date, day.ends, zone)
        while cursor + length <= end_of_day:
            clash = next((b for b in breaks if b[0] < cursor + length and cursor < b[1]), None)
            if clash is not None:
                cursor = clash[1]
                continue
            slots.append(SlotTimes(cursor, cursor + length))
            cursor += length
    return slots
