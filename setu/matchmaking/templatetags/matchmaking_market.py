"""The event page's way into the meetings: ``{% matchmaking_entry event figures can_run %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef

from setu.core.principal import principal_for
from setu.matchmaking.models import Matchmaking, Participant

register = template.Library()


@register.inclusion_tag("matchmaking/partials/_market_entry.html", takes_context=True)
def matchmaking_entry(
    context: template.Context, event: Any, figures: Any = None, can_run: bool = False
) -> dict[str, Any]:
    """A "Meetings (B2B)" link when the event has matchmaking and the reader takes part or may
    join (a confirmed registration and an organisation). One query at most, none for readers
    without an organisation and for organisers (their menu has a "Matchmaking" link)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown: dict[str, Any] = {"event": event, "show": False}
    if user is None or not user.is_authenticated or can_run:
        return shown
    org_ids = principal_for(user).org_ids
    if not org_ids:
        return shown
    joined = Participant.objects.filter(
        matchmaking=OuterRef("pk"), active=True, organisation_id__in=org_ids
    )
    row = (
        Matchmaking.objects.filter(event=event)
        .annotate(joined=Exists(joined))
        .values_list("joined", flat=True)
        .first()
    )
    if row is None:
        return shown
    confirmed = getattr(figures, "my_status", "") == "confirmed"
    may_join = confirmed and bool(org_ids)
    shown.update(show=bool(row) or may_join, joined=bool(row), may_join=may_join)
    return shown
