"""Travel fairs and roadshows: events of kind ``travel_fair`` with booths, and the travel
trade's profiles in their B2B matchmaking, shown on the event's page (``setu.events.hooks``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from setu.directory.models import Organisation
from setu.events.models import Event, EventKind
from setu.tourism.models import Booth, TradeProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def fair_part(
    user: User | AnonymousUser, event: Event, can_run: bool, can_change: bool
) -> dict[str, Any]:
    """The booths and the travel-trade profiles of the organisations the reader may see.
    Two queries."""
    if event.kind != EventKind.TRAVEL_FAIR:
        return {}
    visible = Organisation.objects.visible_to(user).values("pk")
    booths = list(
        Booth.objects.filter(event=event, organisation__in=visible).select_related("organisation")
    )
    profiles = list(
        TradeProfile.objects.filter(
            participant__matchmaking__event=event,
            participant__organisation__in=visible,
            participant__active=True,
        )
        .select_related("participant__organisation")
        .prefetch_related(
            Prefetch(
                "associations",
                queryset=Organisation.objects.only("pk", "name_en", "name_ja", "name_hi"),
            )
        )
        .order_by("participant__organisation__name_en")
    )
    return {"tourism_fair": True, "tourism_booths": booths, "tourism_profiles": profiles}
