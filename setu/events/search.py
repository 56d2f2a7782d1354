"""Events in the library's trilingual search and in its digests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.events.models import Event, EventKind, EventVisibility
from setu.library.search.registry import IndexDocument, register_source

SOURCE = "events.event"


def events() -> QuerySet[Event]:
    return (
        Event.objects.select_related("owner", "city__region")
        .prefetch_related("sectors", "links")
        .order_by("pk")
    )


def event_entry(event: Any) -> IndexDocument | None:
    """An event as the index holds it; drafts are not searchable. A private event is read by
    its hosts' and partner organisations' people (``reader_ids``)."""
    assert isinstance(event, Event)
    if event.visibility == EventVisibility.DRAFT:
        return None
    linked = {link.organisation_id for link in event.links.all()}
    place = [event.venue]
    if event.city is not None:
        place += [event.city.name_en, event.city.name_ja, event.city.name_hi]
        if event.city.region is not None:
            place.append(event.city.region.name_en)
    parts = [
        event.summary_en,
        event.summary_ja,
        event.summary_hi,
        event.description_en,
        event.description_ja,
        event.description_hi,
        *place,
    ]
    return IndexDocument(
        title={"en": event.title_en, "ja": event.title_ja, "hi": event.title_hi},
        body="\n".join(part for part in parts if part),
        language=event.original_language,
        owner_id=event.owner_id,
        managed_by_id=event.owner.managed_by_id,
        visibility=event.visibility,
        url=event.get_absolute_url(),
        date=event.starts_at,
        kind=event.kind,
        sector_ids={sector.pk for sector in event.sectors.all()},
        organisation_ids=linked,
        reader_ids=linked if event.visibility == EventVisibility.PRIVATE else (),
    )


def register() -> None:
    register_source(
        SOURCE,
        model=Event,
        label=_("Events"),
        document=event_entry,
        queryset=events,
        digest=True,
        kind_labels=dict(EventKind.choices),
    )
