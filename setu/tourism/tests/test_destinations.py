"""Destination pages: editing, preview and publication, bad input, privacy, what a reader and
a search engine get, and the cost of the public page."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.conftest import World
from setu.tourism.forms import ItineraryForm, PhotoForm
from setu.tourism.models import Destination, Photo
from setu.tourism.services import destination_publish, photo_max_bytes
from setu.tourism.tests.factories import destination, jpeg, photo, place, published

pytestmark = pytest.mark.django_db


def _public(world: World, language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def test_an_officer_edits_previews_and_publishes_the_page(world: World) -> None:
    officer = world.client_for("officer_own")
    code = world.prefecture.region_id
    page = destination(world.prefecture)
    response = officer.post(
        reverse("tourism:edit", args=[code]),
        {"original_language": "en", "title_en": "Visit Yamanashi", "summary_en": "Fuji."},
    )
    assert response.status_code == 302
    assert _public(world).get(f"/visit/{code}/").status_code == 404  # a draft is private
    preview = officer.get(reverse("tourism:preview", args=[code]))
    assert "Preview: readers do not see this version yet" in preview.content.decode()
    response = officer.post(reverse("tourism:publish", args=[code]))
    assert response.headers["Location"] == f"/visit/{code}/"
    html = _public(world).get(f"/visit/{code}/").content.decode()
    assert "<h1>Visit Yamanashi</h1>" in html
    assert "Lake Kawaguchi" in html and "Day 2" in html
    page.refresh_from_db()
    assert not page.has_unpublished_changes


def test_changes_reach_readers_only_when_published(world: World) -> None:
    page = published(world.prefecture)
    officer = world.client_for("officer_own")
    officer.post(
        reverse("tourism:edit", args=[page.region_id]),
        {"original_language": "en", "title_en": "Yamanashi, renamed"},
    )
    assert "Yamanashi, renamed" not in _public(world).get(page.get_absolute_url()).content.decode()
    officer.post(reverse("tourism:publish", args=[page.region_id]))
    assert "Yamanashi, renamed" in _public(world).get(page.get_absolute_url()).content.decode()


def test_publishing_without_an_english_title_publishes_nothing(world: World) -> None:
    page = destination(world.prefecture)
    Destination.objects.filter(pk=page.pk).update(title_en="")
    officer = world.client_for("officer_own")
    response = officer.post(reverse("tourism:publish", args=[page.region_id]), follow=True)
    html = response.content.decode()
    assert "Give the page an English title" in html
    assert "Nothing was published." in html
    page.refresh_from_db()
    assert page.published is None and page.published_at is None


def test_an_itinerary_day_without_a_place_is_named_and_nothing_is_saved(world: World) -> None:
    page = destination(world.prefecture)
    lake = page.places.first()
    assert lake is not None
    officer = world.client_for("officer_own")
    response = officer.post(
        reverse("tourism:itinerary_add", args=[page.region_id]),
        {"title_en": "Three days", "days": "3", "day_1": [lake.pk], "day_2": [lake.pk]},
    )
    assert response.status_code == 200
    assert "Day 3 has no place: choose at least one." in response.content.decode()
    assert page.itineraries.count() == 1


def test_publishing_refuses_an_itinerary_day_left_without_a_place(world: World) -> None:
    page = destination(world.prefecture)
    day = page.itineraries.get().days.get(number=2)
    day.places.clear()
    with pytest.raises(ValidationError) as refused:
        destination_publish(destination=page, actor=world.users["officer_own"])
    assert "day 2: choose at least one place" in " ".join(refused.value.messages)
    page.refresh_from_db()
    assert page.published is None


def test_the_itinerary_form_offers_only_the_pages_own_places(world: World) -> None:
    page = destination(world.prefecture)
    other = destination(world.other_prefecture, title="Visit Shizuoka")
    form = ItineraryForm(places=page.places.all())
    offered = set(form.fields["day_1"].queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]
    assert offered == set(page.places.values_list("pk", flat=True))
    assert not offered & set(other.places.values_list("pk", flat=True))


def test_a_photo_needs_an_alt_text_unless_it_is_decorative(world: World) -> None:
    form = PhotoForm({"credit": "Me"}, {"image": jpeg()})
    assert not form.is_valid()
    assert form.errors["alt_en"] == ["Say what the photo shows (alt text), or mark it decorative."]
    decorative = PhotoForm({"credit": "Me", "decorative": "on"}, {"image": jpeg()})
    assert decorative.is_valid(), decorative.errors
    assert (decorative.width, decorative.height) == (64, 40)


def test_a_photo_over_the_size_limit_is_refused(world: World, settings: object) -> None:
    settings.SETU_PHOTO_MAX_BYTES = 100  # type: ignore[attr-defined]
    form = PhotoForm({"credit": "Me", "alt_en": "Fuji"}, {"image": jpeg()})
    assert not form.is_valid()
    assert "The limit is 0 MB" in form.errors["image"][0] or "too large" in form.errors["image"][0]
    assert photo_max_bytes() == 100


def test_a_file_that_is_not_a_photo_is_refused(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("fuji.jpg", b"<html><script>alert(1)</script></html>")
    form = PhotoForm({"credit": "Me", "alt_en": "Fuji"}, {"image": fake})
    assert not form.is_valid()
    assert "image" in form.errors
    assert not Photo.objects.exists()


def test_an_unpublished_photo_is_its_editors_only(world: World) -> None:
    page = published(world.prefecture)
    draft_photo = photo(page)
    assert _public(world).get(draft_photo.get_absolute_url()).status_code == 404
    assert world.client_for("officer_other").get(draft_photo.get_absolute_url()).status_code == 404
    mine = world.client_for("officer_own").get(draft_photo.get_absolute_url())
    assert mine.status_code == 200 and mine["Cache-Control"] == "private, no-store"
    destination_publish(destination=page, actor=world.users["officer_own"])
    public = _public(world).get(draft_photo.get_absolute_url())
    assert public.status_code == 200 and public["Content-Type"] == "image/jpeg"
    assert public["Cache-Control"] == "public, max-age=86400"


def test_a_removed_photo_leaves_the_public_page_at_once(world: World) -> None:
    page = published(world.prefecture)
    shown = photo(page)
    destination_publish(destination=page, actor=world.users["officer_own"])
    officer = world.client_for("officer_own")
    officer.post(reverse("tourism:part_remove", args=[page.region_id, "photo", shown.pk]))
    html = _public(world).get(page.get_absolute_url()).content.decode()
    assert shown.get_absolute_url() not in html
    assert _public(world).get(shown.get_absolute_url()).status_code == 404


def test_another_prefectures_officer_cannot_see_or_edit_the_draft(world: World) -> None:
    page = destination(world.prefecture)
    other = world.client_for("officer_other")
    for name in ("edit", "preview", "place_add"):
        assert other.get(reverse(f"tourism:{name}", args=[page.region_id])).status_code == 404
    assert other.post(reverse("tourism:publish", args=[page.region_id])).status_code == 404
    page.refresh_from_db()
    assert page.published is None


def test_the_page_speaks_the_readers_language_and_marks_a_fallback(world: World) -> None:
    page = published(world.prefecture)
    ja = _public(world, "ja").get(page.get_absolute_url()).content.decode()
    assert "<h1>山梨を訪ねる</h1>" in ja
    hi = _public(world, "hi").get(page.get_absolute_url()).content.decode()
    assert '<h1 lang="en">Visit Yamanashi</h1>' in hi  # no Hindi title: English, marked


def test_search_engines_get_a_title_a_description_and_structured_data(world: World) -> None:
    page = published(world.prefecture)
    html = _public(world).get(page.get_absolute_url()).content.decode()
    assert "<title>Visit Yamanashi · Setu</title>" in html
    assert '<meta name="description" content="Fuji, lakes and wine.">' in html
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    data = json.loads(found.group(1))
    assert data[0]["@type"] == "TouristDestination"
    assert [a["name"] for a in data[0]["includesAttraction"]] == ["Lake Kawaguchi", "Kofu old town"]


def test_the_public_page_reads_one_row(world: World) -> None:
    page = published(world.prefecture)
    client = _public(world)
    client.get(page.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.get_absolute_url()).status_code == 200
    assert len(queries) <= 2, [q["sql"] for q in queries]


def test_the_index_lists_published_pages_in_one_query(world: World) -> None:
    published(world.prefecture)
    destination(world.other_prefecture, title="Draft Shizuoka")
    client = _public(world)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("tourism:index")).content.decode()
    assert "Visit Yamanashi" in html and "Draft Shizuoka" not in html
    assert len(queries) <= 2, [q["sql"] for q in queries]


def test_an_added_place_is_audited_and_needs_a_name(world: World) -> None:
    from setu.core.models import AuditEntry

    page = destination(world.prefecture)
    officer = world.client_for("officer_own")
    response = officer.post(reverse("tourism:place_add", args=[page.region_id]), {})
    assert "Give the place a name in at least one language." in response.content.decode()
    response = officer.post(
        reverse("tourism:place_add", args=[page.region_id]),
        {"name_hi": "फ़ूजी झील", "jain": "on"},
    )
    assert response.status_code == 302
    assert page.places.filter(name_hi="फ़ूजी झील", jain=True).exists()
    assert AuditEntry.objects.filter(action="tourism.place.created").exists()
    assert place(page, "Extra").destination_id == page.pk
