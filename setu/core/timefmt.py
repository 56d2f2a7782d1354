"""Times shown in the venue's zone and, when it differs, the reader's: "10:00 IST (13:30 JST)"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def dual_time(
    moment: datetime, venue_zone: str | None, reader_zone: str | None, *, with_date: bool = False
) -> str:
    """Format an aware ``moment`` in the venue zone, adding the reader's zone when it differs.

    ``dual_time(10:00 IST, "Asia/Kolkata", "Asia/Tokyo")`` gives ``"10:00 IST (13:30 JST)"``.
    When the two zones fall on different days, the reader's part carries its date too.
    """
    venue = moment.astimezone(zone(venue_zone))
    pattern = "%Y-%m-%d %H:%M %Z" if with_date else "%H:%M %Z"
    text = venue.strftime(pattern)
    if reader_zone and zone(reader_zone).key != venue.tzinfo.key:  # type: ignore[union-attr]
        reader = moment.astimezone(zone(reader_zone))
        reader_pattern = pattern if with_date or reader.date() == venue.date() else "%m-%d %H:%M %Z"
        text += f" ({reader.strftime(reader_pattern)})"
    return text
