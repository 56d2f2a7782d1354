"""Market briefs (structured fields, per sector and per state) and working-group collections."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import Sector
from setu.library.models import Collection, Document, MarketBrief
from setu.library.search.backends import get_backend
from setu.library.tests.factories import DocumentFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db

BRIEF = {
    "title_en": "Food processing in Tamil Nadu",
    "title_ja": "タミル・ナードゥ州の食品加工",
    "summary_en": "Cold chains and spices.",
    "language": "en",
    "visibility": "partners",
    "as_of": "2026-03-01",
    "source_title": "State food processing policy",
    "source_url": "www.example.org/policy",
    "key_figures_text": "Cold storage capacity: 1.2 Mt\n\nFood parks: 4",
}


def test_write_a_brief_with_key_figures_and_find_it(world: World, committed: Any) -> None:
    sector = Sector.objects.get(code="10")
    with committed():
        response = world.client_for("member").post(
            reverse("library:brief_create"),
            {**BRIEF, "owner": world.company.pk, "sector": sector.pk, "state": "IN-TN",
             "file": upload("brief.pdf", pdf_bytes("Spices and cold chains in Chennai"))},
        )  # fmt: skip
    assert response.status_code == 302
    brief = MarketBrief.objects.select_related("document").get()
    assert brief.document.kind == "market_brief"
    assert brief.key_figures == [["Cold storage capacity", "1.2 Mt"], ["Food parks", "4"]]
    assert brief.source_url == "https://www.example.org/policy"
    page = world.client_for("member").get(brief.document.get_absolute_url()).content.decode()
    assert "1.2 Mt" in page and "Tamil Nadu" in page
    hits = get_backend().search("chennai spices", world.user("partner")).hits
    assert [h.key for h in hits] == [f"library.document:{brief.document_id}"]


def test_bad_key_figures_name_the_line_and_store_nothing(world: World) -> None:
    response = world.client_for("member").post(
        reverse("library:brief_create"),
        {**BRIEF, "owner": world.company.pk, "sector": Sector.objects.get(code="10").pk,
         "key_figures_text": "Cold storage: 1.2 Mt\njust a number"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Line 2: write a label, a colon and a value." in response.content.decode()
    assert not Document.objects.exists() and not MarketBrief.objects.exists()


def _brief(world: World, title: str, code: str, state: str | None) -> MarketBrief:
    document = DocumentFactory(owner=world.prefecture, title_en=title, kind="market_brief")
    return MarketBrief.objects.create(
        document=document, sector=Sector.objects.get(code=code), state_id=state
    )


def test_briefs_listed_per_sector_and_per_state(world: World) -> None:
    _brief(world, "Solar GJ", "35", "IN-GJ")
    _brief(world, "Food TN", "10", "IN-TN")
    _brief(world, "Food GJ", "10", "IN-GJ")
    client = world.client_for("partner")
    by_sector = client.get(reverse("library:briefs")).context["groups"]
    assert [(label[:2], [b.document.title_en for b in items]) for label, items in by_sector] == [
        ("10", ["Food GJ", "Food TN"]),  # newest first within a group
        ("35", ["Solar GJ"]),
    ]
    by_state = client.get(reverse("library:briefs"), {"group": "state"}).context["groups"]
    assert [(label, [b.document.title_en for b in items]) for label, items in by_state] == [
        ("Gujarat", ["Food GJ", "Solar GJ"]),
        ("Tamil Nadu", ["Food TN"]),
    ]
    only = client.get(reverse("library:briefs"), {"state": "IN-TN"}).context["groups"]
    assert [[b.document.title_en for b in items] for _label, items in only] == [["Food TN"]]
    focal = client.get(reverse("library:briefs"), {"sector": "focal:renewable_energy"})
    assert [[b.document.title_en for b in items] for _l, items in focal.context["groups"]] == [
        ["Solar GJ"]
    ]


@pytest.mark.parametrize("rows", [2, 30])
def test_brief_list_query_count(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        _brief(world, f"Brief {n}", "35", "IN-GJ")
    client = world.client_for("partner")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:briefs"), {"group": "state"})
    assert sum(len(items) for _label, items in response.context["groups"]) == rows


def test_create_and_edit_a_collection(world: World, share: Any, committed: Any) -> None:
    client = world.client_for("officer_own")
    with committed():
        response = client.post(
            reverse("library:collection_create"),
            {"name_en": "EV parts WG", "visibility": "private", "members": [world.partner_org.pk]},
        )
    collection = Collection.objects.get()
    assert response.status_code == 302 and collection.owner == world.prefecture
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("a.txt", b"battery packs"),
    )
    with committed():
        client.post(
            reverse("library:file_into_collection", args=[document.pk]),
            {"collection": collection.pk},
        )
    assert [h.title for h in get_backend().search("battery", world.user("partner")).hits]
    # the partner leaves the working group: it no longer reads or finds the document
    with committed():
        response = client.post(
            reverse("library:collection_edit", args=[collection.pk]),
            {"name_en": "EV parts WG", "visibility": "private", "members": []},
        )
    assert response.status_code == 302
    assert get_backend().search("battery", world.user("partner")).hits == []
    assert world.client_for("partner").get(document.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("library:collection_create"), {"name_en": "", "visibility": "private"}
    )
    assert "Give the collection a name in at least one language." in response.content.decode()
    assert Collection.objects.count() == 1
    assert Collection.objects.get().visibility == Visibility.PRIVATE
