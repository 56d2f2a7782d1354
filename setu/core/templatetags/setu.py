from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from setu.core import timefmt, zones
from setu.core.i18n import localized, one_full_stop

register = template.Library()


def times_for_reader(
    context: template.Context,
    start: datetime,
    end: datetime | None,
    venue_zone: str,
    *,
    with_date: bool,
) -> SafeString | str:
    """The venue's time or range, then the reader's when it reads differently (core.timefmt).

    A signed-in reader, an email and a task know the reader's zone. A reader who is not signed
    in has it from the ``setu_tz`` cookie; before static/js/events/localtime.js has set it, the
    reader's part is an empty ``<span>`` the script fills from the same page fetched again.
    """
    reader = timefmt.current_reader_zone()
    venue_zone = venue_zone or reader or "UTC"
    if end is None:
        venue = timefmt.dual_time(start, venue_zone, None, with_date=with_date)
        own = timefmt.reader_part(start, venue_zone, reader, with_date=with_date)
    else:
        venue = timefmt.time_range(start, end, venue_zone, None, with_date=with_date)
        own = timefmt.range_reader_part(start, end, venue_zone, reader, with_date=with_date)
    request = context.get("request")
    if request is None:  # an email or other plain text
        return f"{venue} ({own})" if own else venue
    # On a page each part stays on one line; a narrow column breaks between them only.
    part = '<span class="time-part">{}</span>'
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        if not own:
            return format_html(part, venue)
        return format_html(f"{part} {part}", venue, f"({own})")
    key = f"{start.isoformat()}/{end.isoformat() if end else ''}/{venue_zone}/{int(with_date)}"
    return format_html(
        f'{part} <span class="time-part reader-time{{}}" data-key="{{}}">{{}}</span>',
        venue,
        "" if reader else " reader-time--pending",
        key,
        f"({own})" if own else "",
    )


@register.simple_tag(takes_context=True)
def venue_time(
    context: template.Context,
    moment: datetime | None,
    venue_zone: str = "",
    with_date: bool = False,
) -> SafeString | str:
    """``{% venue_time event.starts_at event.city.timezone %}`` → "10:00 IST (13:30 JST)"."""
    if moment is None:
        return ""
    return times_for_reader(context, moment, None, venue_zone, with_date=with_date)


@register.simple_tag(takes_context=True)
def venue_range(
    context: template.Context,
    start: datetime | None,
    end: datetime | None,
    venue_zone: str = "",
    with_date: bool = False,
) -> SafeString | str:
    """``{% venue_range s.starts_at s.ends_at zone %}`` → "10:00–12:00 IST (13:30–15:30 JST)"."""
    if start is None:
        return ""
    return times_for_reader(context, start, end, venue_zone, with_date=with_date)


@register.filter
def reader_time(moment: datetime | date | None) -> str:
    """``{{ doc.uploaded_at|reader_time }}`` → "2026-05-12 13:30 JST", in the reader's zone."""
    if not isinstance(moment, datetime):
        return moment.isoformat() if moment else ""
    return timefmt.reader_time(timezone.make_aware(moment) if timezone.is_naive(moment) else moment)


@register.filter
def zone_label(name: str | None) -> str:
    """``{{ user.time_zone|zone_label }}`` → "Japan (JST, UTC+9)"."""
    canonical = timefmt.canonical_zone(name)
    return zones.zone_label(canonical) if canonical else (name or "")


@register.filter
def localize_field(obj: Any, field: str) -> str:
    """``{{ org|localize_field:"name" }}``: the field in the reader's language, with fallback."""
    return localized(obj, field)


@register.filter(is_safe=True)
def full_stop(text: Any) -> str:
    """``{{ message|full_stop }}``: one full stop after a name ending in one ("… K.K.")."""
    return one_full_stop(str(text))


@register.inclusion_tag("core/partials/_record_actions.html", takes_context=True)
def record_actions(context: template.Context, kind: str, record: Any) -> dict[str, Any]:
    """``{% record_actions "follow_up" follow_up %}``: the buttons higher apps registered for
    a record of ``kind`` (``setu.core.registries.register_record_action``)."""
    from setu.core.registries import record_actions as actions_for

    request = context.get("request")
    user = getattr(request, "user", None)
    actions = actions_for(kind, user, record) if user is not None else []
    return {"actions": actions, "csrf_token": context.get("csrf_token"), "request": request}
