"""Reads of destination pages: the published pages anyone reads, the working copy its editors
read (404 to everyone else, as if it did not exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from setu.core.principal import principal_for
from setu.directory.models import Organisation, OrganisationKind
from setu.events.models import Event, EventKind
from setu.events.selectors import access_event
from setu.matchmaking.models import Participant
from setu.matchmaking.selectors.access import access_matchmaking, participant_for
from setu.tourism.models import Booth, Destination, Festival, Itinerary, Photo, Place
from setu.tourism.rules import may_edit_destination
from setu.tourism.services import destination_start, member_prefecture_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

PARTS: dict[str, type[Place | Festival | Itinerary | Photo]] = {
    "place": Place,
    "festival": Festival,
    "itinerary": Itinerary,
    "photo": Photo,
}


def published_list() -> list[dict[str, Any]]:
    """Every published page, by region code: its region and its snapshot's title and summary.
    One query."""
    rows = (
        Destination.objects.filter(published__isnull=False)
        .order_by("region_id")
        .values_list("region_id", "published")
    )
    return [{"region_id": code, "published": data} for code, data in rows]


@dataclass(frozen=True, slots=True)
class Published:
    pk: int
    region_id: str
    owner_id: int
    published_at: datetime


def published_get(region_code: str) -> Published:
    """Which version of a region's page is public (one query, no snapshot read), else 404."""
    found = (
        Destination.objects.filter(region_id=region_code.upper(), published__isnull=False)
        .values_list("pk", "region_id", "owner_id", "published_at")
        .first()
    )
    if found is None:
        raise Http404
    pk, region_id, owner_id, published_at = found
    if published_at is None:
        raise Http404
    return Published(pk, region_id, owner_id, published_at)


def published_snapshot(pk: int) -> dict[str, Any]:
    found = Destination.objects.filter(pk=pk).values_list("published", flat=True).first()
    if not found:
        raise Http404
    return dict(found)


def editable_prefectures(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The member prefectures whose pages ``user`` edits (the secretariat: every one)."""
    principal = principal_for(user)
    found = Organisation.objects.filter(
        kind=OrganisationKind.MEMBER_PREFECTURE, region__isnull=False, merged_into=None
    )
    if not principal.is_secretariat:
        found = found.filter(pk__in=principal.officer_org_ids)
    return found.order_by("region_id")


def access_destination(*, user: User | AnonymousUser, region_code: str) -> Destination:
    """The working copy for its editors (started on the first visit), else 404."""
    owner = member_prefecture_for(region_code.upper())
    if owner is None or not may_edit_destination(user, owner.pk):
        raise Http404
    destination = Destination.objects.filter(region_id=owner.region_id).first()
    if destination is None:
        from setu.accounts.models import User

        actor = user if isinstance(user, User) else None
        destination = destination_start(owner=owner, actor=actor)
    return destination


def access_part(
    *, destination: Destination, kind: str, pk: int
) -> Place | Festival | Itinerary | Photo:
    model = PARTS.get(kind)
    if model is None:
        raise Http404
    found = model.objects.filter(destination=destination, pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_photo(*, user: User | AnonymousUser, pk: int) -> tuple[Photo, bool]:
    """The photo and whether it is on the published page; its editors see unpublished ones."""
    photo = Photo.objects.select_related("destination").filter(pk=pk).first()
    if photo is None:
        raise Http404
    published = photo.destination.published or {}
    public = any(p["id"] == photo.pk for p in published.get("photos", []))
    if not public and not may_edit_destination(user, photo.destination.owner_id):
        raise Http404
    return photo, public


# -- travel fairs ----------------------------------------------------------------------------


def access_fair(*, user: User | AnonymousUser, event_pk: Any) -> Event:
    """A travel fair whose booths ``user`` manages (its hosts' officers, the secretariat), else
    404: an event the user cannot see, or not a travel fair, or one they do not run."""
    event = access_event(user=user, pk=event_pk)
    if event.kind != EventKind.TRAVEL_FAIR or not user.has_perm("events.change_event", event):
        raise Http404
    return event


def fair_booths(event: Event) -> list[Booth]:
    return list(Booth.objects.filter(event=event).select_related("organisation"))


def access_booth(*, event: Event, pk: int) -> Booth:
    found = Booth.objects.filter(event=event, pk=pk).select_related("organisation").first()
    if found is None:
        raise Http404
    found.event = event
    return found


def exhibitor_choices(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may give a booth: those they may see."""
    return Organisation.objects.visible_to(user).filter(merged_into=None).order_by("name_en", "pk")


def association_choices(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Trade associations (chambers) ``user`` may name in a travel-trade profile."""
    return exhibitor_choices(user).filter(kind=OrganisationKind.CHAMBER)


def access_trade_participant(*, user: User | AnonymousUser, event_pk: Any) -> Participant:
    """The user's own organisation's participant in a travel fair's matchmaking, else 404."""
    matchmaking = access_matchmaking(user=user, event_pk=event_pk)
    if matchmaking.event.kind != EventKind.TRAVEL_FAIR:
        raise Http404
    participant = participant_for(user=user, matchmaking=matchmaking)
    if participant is None:
        raise Http404
    participant.matchmaking = matchmaking
    return participant
