"""Event times for templates: the venue's time, and the reader's when it differs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.safestring import SafeString

from setu.core.templatetags.setu import times_for_reader
from setu.core.timefmt import abbreviation, zone

register = template.Library()


@register.simple_tag(takes_context=True)
def event_time(
    context: template.Context, moment: datetime | None, venue_zone: str, with_date: bool = True
) -> SafeString | str:
    """ "2026-05-12 10:00 IST (2026-05-12 13:30 JST)": ``{% venue_time %}`` with the date."""
    if moment is None:
        return ""
    return times_for_reader(context, moment, None, venue_zone, with_date=with_date)


@register.filter
def venue_date(moment: datetime | None, venue_zone: str) -> str:
    """The date at the venue, e.g. "2026-05-12"."""
    if moment is None:
        return ""
    return moment.astimezone(zone(venue_zone)).strftime("%Y-%m-%d")


@register.filter
def venue_clock(moment: datetime | None, venue_zone: str) -> str:
    """The time of day at the venue with its zone, e.g. "10:00 IST"."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(venue_zone))
    return f"{local:%H:%M} {abbreviation(local)}"


@register.filter
def in_venue(moment: datetime | None, venue_zone: str) -> datetime | None:
    """The venue's wall-clock time, naive, so that ``|date`` formats it without converting."""
    if moment is None:
        return None
    return moment.astimezone(zone(venue_zone)).replace(tzinfo=None)


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def field_named(form: Any, name: str) -> Any:
    """``form|field_named:"title_en"``: the bound field, or None when the form lacks it."""
    return form[name] if name in form.fields else None


@register.filter
def join_names(organisations: Any) -> str:
    """``co_hosts|join_names``: "Shizuoka, Toyama", each in the reader's language."""
    return ", ".join(org.display_name for org in organisations)
