"""Role × URL rows for tourism (collected by setu/core/tests/test_role_matrix.py).

The published page of officer_own's prefecture (JP-19) is public. Its working copy (edit,
preview, the forms, publish) is its officers' and the secretariat's: 404 to everyone else, as
if it did not exist, since a draft is private.

A public travel fair hosted by JP-19: its booth pages are its hosts' officers' and the
secretariat's (404 to the others, who see the event but do not run it). The company (the
"member") takes part in its matchmaking: the travel-trade profile page is its alone.
"""

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.tests.matrix import ALL_200, Row
from setu.tourism.services import destination_publish
from setu.tourism.tests.factories import destination, fair, photo, published

EDITORS = ("login", "404", "404", "404", "200", "404", "200")
EDITORS_POST = ("login", "404", "404", "404", "→/visit/", "404", "→/visit/")
# officer_own removes the place; it is gone when the secretariat asks after them
REMOVED = ("login", "404", "404", "404", "→/visit/", "404", "404")


BOOTHS = EDITORS
BOOTH_REMOVED = ("login", "404", "404", "404", "→/visit/fairs/", "404", "404")
PARTICIPANT = ("login", "404", "200", "404", "404", "404", "404")


def _fair_url(name: str) -> object:
    return lambda w: reverse(f"tourism:{name}", args=[fair(w).pk])


def _booth_url(name: str) -> object:
    def build(world: World) -> str:
        event = fair(world)
        booth = event.booths.get()  # type: ignore[attr-defined]
        return reverse(f"tourism:{name}", args=[event.pk, booth.pk])

    return build


def _code(world: World) -> str:
    return str(world.prefecture.region_id)


def _url(name: str) -> object:
    return lambda w: reverse(f"tourism:{name}", args=[_code(w)])


def _place_remove(world: World) -> str:
    page = destination(world.prefecture)
    extra = page.places.create(name_en="Spare")
    return reverse("tourism:part_remove", args=[_code(world), "place", extra.pk])


def _published_photo(world: World) -> str:
    page = destination(world.prefecture)
    shown = photo(page)
    destination_publish(destination=page, actor=world.users["officer_own"])
    return shown.get_absolute_url()


ROWS: dict[str, Row] = {
    "tourism:index": Row(ALL_200),
    "tourism:destination": Row(ALL_200, url=lambda w: published(w.prefecture).get_absolute_url()),
    "tourism:photo": Row(ALL_200, url=_published_photo),
    "tourism:edit": Row(EDITORS, url=_url("edit")),  # type: ignore[arg-type]
    "tourism:preview": Row(EDITORS, url=_url("preview")),  # type: ignore[arg-type]
    "tourism:place_add": Row(EDITORS, url=_url("place_add")),  # type: ignore[arg-type]
    "tourism:festival_add": Row(EDITORS, url=_url("festival_add")),  # type: ignore[arg-type]
    "tourism:itinerary_add": Row(EDITORS, url=_url("itinerary_add")),  # type: ignore[arg-type]
    "tourism:photo_add": Row(EDITORS, url=_url("photo_add")),  # type: ignore[arg-type]
    "tourism:publish": Row(
        EDITORS_POST,
        url=lambda w: reverse("tourism:publish", args=[destination(w.prefecture).region_id]),
        method="post",
    ),
    "tourism:unpublish": Row(
        EDITORS_POST,
        url=lambda w: reverse("tourism:unpublish", args=[published(w.prefecture).region_id]),
        method="post",
    ),
    "tourism:part_remove": Row(REMOVED, url=_place_remove, method="post"),
    "tourism:fair_booths": Row(BOOTHS, url=_fair_url("fair_booths")),  # type: ignore[arg-type]
    "tourism:fair_booth_edit": Row(BOOTHS, url=_booth_url("fair_booth_edit")),  # type: ignore[arg-type]
    "tourism:fair_booth_remove": Row(
        BOOTH_REMOVED,
        url=_booth_url("fair_booth_remove"),  # type: ignore[arg-type]
        method="post",
    ),
    "tourism:trade_profile": Row(PARTICIPANT, url=_fair_url("trade_profile")),  # type: ignore[arg-type]
}
