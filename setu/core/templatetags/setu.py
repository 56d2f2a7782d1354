from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from setu.core.i18n import localized, one_full_stop
from setu.core.timefmt import dual_time

register = template.Library()


@register.simple_tag(takes_context=True)
def venue_time(
    context: template.Context,
    moment: datetime | None,
    venue_zone: str = "",
    with_date: bool = False,
) -> str:
    """``{% venue_time event.starts_at event.city.timezone %}`` → "10:00 IST (13:30 JST)"."""
    if moment is None:
        return ""
    reader_zone = timezone.get_current_timezone_name()
    return dual_time(moment, venue_zone or reader_zone, reader_zone, with_date=with_date)


@register.filter
def localize_field(obj: Any, field: str) -> str:
    """``{{ org|localize_field:"name" }}``: the field in the reader's language, with fallback."""
    return localized(obj, field)


@register.filter(is_safe=True)
def full_stop(text: Any) -> str:
    """``{{ message|full_stop }}``: one full stop after a name ending in one ("… K.K.")."""
    return one_full_stop(str(text))
