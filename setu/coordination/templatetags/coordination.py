"""Template helpers for coordination pages (``{% load coordination %}``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from setu.core.timefmt import zone

register = template.Library()

JST, IST = "Asia/Tokyo", "Asia/Kolkata"


@register.simple_tag
def other_of_jst_ist(moment: datetime | None, venue_zone: str = "") -> str:
    """The JST or IST time that ``{% venue_time %}`` did not already show.

    ``{% venue_time %}`` prints the venue's zone and the reader's; council members work in
    both Japan and India, so the other of the two is always written out too: a JST meeting
    read by a JST reader also shows "= 06:30 IST". Empty when both are already shown.
    """
    if moment is None:
        return ""
    shown = {zone(venue_zone).key, zone(timezone.get_current_timezone_name()).key}
    parts = []
    venue_day = moment.astimezone(zone(venue_zone)).date()
    for name in (JST, IST):
        if name in shown:
            continue
        local = moment.astimezone(zone(name))
        pattern = "%H:%M %Z" if local.date() == venue_day else "%m-%d %H:%M %Z"
        parts.append(local.strftime(pattern))
    return "= " + " = ".join(parts) if parts else ""


@register.filter
def yen(amount: Any) -> str:
    """``12345`` → ``¥12,345``."""
    if amount is None or amount == "":
        return "—"
    return f"¥{int(amount):,}"


@register.filter
def rupees(amount: Any) -> str:
    """``12345`` → ``₹12,345`` (grouped in thousands, as the rate table is)."""
    if amount is None or amount == "":
        return "—"
    return f"₹{int(amount):,}"


@register.filter
def day_span(start: date | None, end: date | None) -> str:
    """``2026-03-03`` and ``2026-03-06`` → ``2026-03-03 – 2026-03-06`` (one day: once)."""
    if start is None:
        return ""
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()} – {end.isoformat()}"


@register.simple_tag
def action_status_choices() -> list[tuple[str, Any]]:
    from setu.coordination.models import ActionStatus

    return list(ActionStatus.choices)


@register.filter
def clock(moment: datetime | None, zone_name: str = "") -> str:
    """``{{ item.ends_at|clock:item.zone }}`` → "12:00": the wall-clock time in that zone."""
    if moment is None:
        return ""
    return moment.astimezone(zone(zone_name or timezone.get_current_timezone_name())).strftime(
        "%H:%M"
    )
