"""Destination pages ready to publish, and photos drawn on the spot."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from setu.conftest import World
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.tests.factories import OrganisationFactory
from setu.events.models import Event, EventKind
from setu.tourism.models import Booth, Destination, Photo, Place
from setu.tourism.services import destination_publish, destination_start, itinerary_add, place_add


def jpeg(width: int = 64, height: int = 40, *, name: str = "photo.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def place(destination: Destination, name: str = "Lake Kawaguchi") -> Place:
    return place_add(
        destination=destination,
        data={"name_en": name, "name_ja": "河口湖", "vegetarian": True},
        actor=None,  # type: ignore[arg-type]
    )


def destination(owner: Organisation, *, title: str = "Visit Yamanashi") -> Destination:
    """A page with an English title, two places and a two-day itinerary (not published)."""
    page = destination_start(owner=owner, actor=None)
    Destination.objects.filter(pk=page.pk).update(
        title_en=title, title_ja="山梨を訪ねる", summary_en="Fuji, lakes and wine."
    )
    page.refresh_from_db()
    lake, town = place(page), place(page, "Kofu old town")
    itinerary_add(
        destination=page,
        titles={"title_en": "Two days", "title_ja": "", "title_hi": ""},
        days=[[lake], [town]],
        actor=None,  # type: ignore[arg-type]
    )
    return page


def published(owner: Organisation) -> Destination:
    return destination_publish(destination=destination(owner), actor=None)  # type: ignore[arg-type]


def photo(page: Destination, *, alt: str = "Mount Fuji over the lake") -> Photo:
    from setu.tourism.services import photo_add

    return photo_add(
        destination=page,
        upload=jpeg(),
        content_type="image/jpeg",
        width=64,
        height=40,
        data={"alt_en": alt, "decorative": False, "credit": "Yamanashi Tourism"},
        actor=None,  # type: ignore[arg-type]
    )


def fair(world: World) -> Event:
    """The world's public travel fair, hosted by its prefecture (made once): the company takes
    part in its matchmaking, and a public tour operator has booth A1."""
    from setu.events.tests.factories import EventFactory
    from setu.matchmaking.tests.factories import matchmaking_for, participant

    found = Event.objects.filter(kind=EventKind.TRAVEL_FAIR, owner=world.prefecture).first()
    if found is not None:
        return found
    event = EventFactory.create(
        owner=world.prefecture, kind=EventKind.TRAVEL_FAIR, visibility="public", title_en="Fair"
    )
    operator = OrganisationFactory.create(
        kind=OrganisationKind.TOUR_OPERATOR, name_en="Pune Pilgrim Tours", country="IN",
        visibility="public",
    )  # fmt: skip
    Booth.objects.create(event=event, organisation=operator, label="A1")
    participant(matchmaking_for(event), world.company)
    return event
