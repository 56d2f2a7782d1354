"""Travel fairs and roadshows: events of kind ``travel_fair`` with booths, and the travel
trade's profiles in their B2B matchmaking, shown on the event's page (``setu.events.hooks``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from setu.core.principal import principal_for
from setu.directory.models import Organisation
from setu.events.models import Event, EventKind
from setu.matchmaking.models import Participant
from setu.tourism.models import Booth, TradeProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def fair_part(
    user: User | AnonymousUser, event: Event, can_run: bool, can_change: bool
) -> dict[str, Any]:
    """The booths and the travel-trade profiles of the organisations the reader may see, and
    the links to manage the booths (the event's editors) and to write one's own travel-trade
    profile (a participant of the fair's matchmaking). Two queries, three for a member of an
    organisation."""
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
    org_ids = principal_for(user).org_ids
    takes_part = bool(org_ids) and (
        Participant.objects.filter(matchmaking__event=event, organisation_id__in=org_ids).exists()
    )
    return {
        "tourism_fair": True,
        "tourism_booths": booths,
        "tourism_profiles": profiles,
        "tourism_manage_booths": can_change,
        "tourism_trade_profile": takes_part,
    }
