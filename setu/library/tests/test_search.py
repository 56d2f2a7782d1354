"""Search: only what the user may see (inside the query), three languages, bad queries."""

from __future__ import annotations

import importlib
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from setu.conftest import ROLES, World
from setu.core.models import Visibility
from setu.directory.models import FocalSector
from setu.library.models import Announcement, Document, SearchEntry
from setu.library.search.backends import SearchFilters, get_backend
from setu.library.tests.factories import DocumentFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _keys(query: str, user: Any, **filters: Any) -> list[str]:
    return [hit.key for hit in get_backend().search(query, user, SearchFilters(**filters)).hits]


def test_another_prefectures_private_document_never_appears(world: World, share: Any) -> None:
    secret = share(
        user=world.user("officer_other"),
        owner=world.other_prefecture,
        file=upload(
            "plan.pdf", pdf_bytes("浜松の自動車部品メーカー向け秘密の誘致計画", "Zephyr tender")
        ),
        title_en="Confidential supplier list",
        title_ja="部品サプライヤー一覧",
        visibility=Visibility.PRIVATE,
    )
    shared = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("open.txt", "山梨の部品メーカー一覧".encode()),
        title_en="Yamanashi parts makers",
        visibility=Visibility.PARTNERS,
    )
    key = f"library.document:{secret.pk}"
    for role in ROLES:
        user = world.user(role)
        from django.contrib.auth.models import AnonymousUser

        reader = user or AnonymousUser()
        for query in ["部品", "サプライヤー", "confidential", "誘致計画", "zephyr", "浜松"]:
            results = get_backend().search(query, reader)
            if role == "officer_other":
                continue
            assert key not in [hit.key for hit in results.hits], (role, query)
        page = world.client_for(role).get(reverse("library:search"), {"q": "部品 一覧"})
        html = page.content.decode()
        if role != "officer_other":
            assert "Confidential" not in html and "部品サプライヤー" not in html
            assert "誘致計画" not in html and "Zephyr" not in html
    # its own prefecture finds it, and the partner finds the shared one
    assert key in _keys("zephyr", world.user("officer_other"))
    assert _keys("部品", world.user("partner")) == [f"library.document:{shared.pk}"]


def test_the_managing_prefecture_finds_its_companys_private_document(
    world: World, share: Any
) -> None:
    document = share(
        user=world.user("member"),
        owner=world.company,
        file=upload("costs.txt", b"die casting costs"),
        visibility=Visibility.PRIVATE,
    )
    key = f"library.document:{document.pk}"
    assert _keys("casting", world.user("member")) == [key]
    assert _keys("casting", world.user("officer_own")) == [key]
    assert _keys("casting", world.user("officer_other")) == []
    assert _keys("casting", world.user("secretariat")) == []


def test_three_languages_and_snippets_with_marks(world: World, share: Any) -> None:
    share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload(
            "mix.txt",
            "静岡県の自動車部品メーカー。Renewable energy in Gujarat. नवीकरणीय ऊर्जा नीति".encode(),
        ),
        title_en="Mixed brief",
        visibility=Visibility.PUBLIC,
    )
    anonymous = world.client_for("anonymous")
    for query, marked in [
        ("部品", "部品"),
        ("energ", "energy"),
        ("ऊर्जा", "ऊर्जा"),
        ("GUJARAT", "Gujarat"),
    ]:
        html = anonymous.get(reverse("library:search"), {"q": query}).content.decode()
        assert f"<mark>{marked}</mark>" in html, query


def test_snippets_escape_html_before_marking(world: World, share: Any) -> None:
    share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("x.txt", b"<script>alert('solar')</script> <b>solar</b> panels"),
        title_en="<img src=x onerror=alert(1)> Solar",
        visibility=Visibility.PUBLIC,
    )
    html = (
        world.client_for("anonymous")
        .get(reverse("library:search"), {"q": "solar"})
        .content.decode()
    )
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>solar</mark>&#x27;)" in html
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>Solar</mark>" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("!!! ??? ……", "Type at least one word"),
        ("、。「」", "Type at least one word"),
        ("部品" * 1000, "Your search is 2000 characters long. Use at most 200"),
    ],
)
def test_bad_queries_get_a_clear_message(world: World, query: str, message: str) -> None:
    response = world.client_for("member").get(reverse("library:search"), {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["results"] is None


def test_bad_filters_never_fail(world: World) -> None:
    response = world.client_for("member").get(
        reverse("library:search"),
        {"q": "solar", "type": "nope", "sector": "x:y", "owner": "-3", "date_from": "2026-13-45",
         "page": "abc"},
    )  # fmt: skip
    assert response.status_code == 200
    response = world.client_for("member").get(
        reverse("library:search"),
        {"q": "solar", "date_from": "2026-05-01", "date_to": "2026-04-01"},
    )
    assert "The end date must not be before the start date." in response.content.decode()


def test_ranking_title_hits_first_then_newest(world: World, reindex: Any) -> None:
    now = timezone.now()
    old_title = DocumentFactory(
        owner=world.prefecture,
        title_en="Hydrogen roadmap",
        summary_en="x",
        updated_at=now - timedelta(days=30),
    )
    new_body = DocumentFactory(
        owner=world.prefecture, title_en="Energy notes", summary_en="hydrogen buses", updated_at=now
    )
    old_body = DocumentFactory(
        owner=world.prefecture,
        title_en="Mobility",
        summary_en="hydrogen",
        updated_at=now - timedelta(days=60),
    )
    new_title = DocumentFactory(
        owner=world.prefecture,
        title_en="Hydrogen valley",
        summary_en="",
        updated_at=now - timedelta(days=1),
    )
    reindex(old_title, new_body, old_body, new_title)
    results = get_backend().search("hydrogen", world.user("partner"))
    assert [hit.title for hit in results.hits] == [
        "Hydrogen valley",
        "Hydrogen roadmap",
        "Energy notes",
        "Mobility",
    ]
    assert [hit.title_hit for hit in results.hits] == [True, True, False, False]
    assert results.total == 4
    page_two = get_backend().search("hydrogen", world.user("partner"), limit=3, offset=3)
    assert [hit.title for hit in page_two.hits] == ["Mobility"] and page_two.total == 4


def test_filters(world: World, reindex: Any) -> None:
    now = timezone.now()
    solar = DocumentFactory(
        owner=world.prefecture,
        title_en="Solar A",
        language="ja",
        updated_at=now - timedelta(days=40),
    )
    solar.focal_sectors.add(FocalSector.objects.get(key="renewable_energy"))
    other = DocumentFactory(
        owner=world.other_prefecture, title_en="Solar B", language="en", updated_at=now
    )
    note = Announcement.objects.create(
        owner=world.prefecture, title_en="Solar day", body_en="x", visibility=Visibility.PARTNERS
    )
    reindex(solar, other, note)
    partner = world.user("partner")
    assert len(_keys("solar", partner)) == 3
    assert _keys("solar", partner, sources=("library.announcement",)) == [
        f"library.announcement:{note.pk}"
    ]
    assert _keys("solar", partner, language="ja") == [f"library.document:{solar.pk}"]
    assert _keys("solar", partner, owner_id=world.other_prefecture.pk) == [
        f"library.document:{other.pk}"
    ]
    focal_ids = tuple(
        FocalSector.objects.get(key="renewable_energy").sectors.values_list("pk", flat=True)
    )
    assert _keys("solar", partner, sector_ids=focal_ids) == [f"library.document:{solar.pk}"]
    since = (now - timedelta(days=10)).date()
    assert f"library.document:{solar.pk}" not in _keys("solar", partner, date_from=since)
    until = (now - timedelta(days=10)).date()
    assert _keys("solar", partner, date_to=until) == [f"library.document:{solar.pk}"]


def test_market_briefs_are_a_type_of_their_own(world: World, reindex: Any) -> None:
    brief = DocumentFactory(owner=world.prefecture, title_en="Solar brief", kind="market_brief")
    report = DocumentFactory(owner=world.prefecture, title_en="Solar report")
    reindex(brief, report)
    partner = world.user("partner")
    assert _keys("solar", partner, sources=("library.document/market_brief",)) == [
        f"library.document:{brief.pk}"
    ]
    assert len(_keys("solar", partner, sources=("library.document",))) == 2


def test_organisations_are_searchable_by_name_in_every_language(world: World, reindex: Any) -> None:
    world.partner_org.name_hi = "मुंबई चैंबर"
    world.partner_org.offers = "Solar EPC contracts"
    world.partner_org.save()
    world.prefecture.name_ja = "山梨県"
    world.prefecture.save()
    reindex(world.partner_org, world.prefecture, world.company)
    anonymous = None
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert _keys("山梨", anonymous) == [f"directory.organisation:{world.prefecture.pk}"]
    assert _keys("चैंबर", anonymous) == []  # shared with partners only
    assert _keys("चैंबर", world.user("member")) == [f"directory.organisation:{world.partner_org.pk}"]
    assert _keys("epc", world.user("member")) == [f"directory.organisation:{world.partner_org.pk}"]
    assert _keys("kofu", world.user("partner")) == []  # the private company
    assert _keys("kofu", world.user("officer_own")) == [
        f"directory.organisation:{world.company.pk}"
    ]


def test_index_follows_saves_and_deletes(world: World, committed: Any) -> None:
    with committed():
        document = Document.objects.create(
            owner=world.prefecture, title_en="Tea exports", visibility="public"
        )
    user = world.user("partner")
    assert _keys("tea", user) == [f"library.document:{document.pk}"]
    with committed():
        document.visibility = Visibility.PRIVATE
        document.save()
    assert _keys("tea", user) == []
    with committed():
        document.delete()
    assert not SearchEntry.objects.filter(source="library.document").exists()


def test_rebuild_search_index_command(world: World, reindex: Any) -> None:
    document = DocumentFactory(owner=world.prefecture, title_en="Kept")
    SearchEntry.objects.create(
        key="library.document:999999",
        source="library.document",
        object_id="999999",
        url="/",
        date=timezone.now(),
        visibility="public",
        tokens="ghost",
    )
    SearchEntry.objects.create(
        key="gone.thing:1",
        source="gone.thing",
        object_id="1",
        url="/",
        date=timezone.now(),
        visibility="public",
        tokens="ghost",
    )
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed" in out.getvalue()
    keys = set(SearchEntry.objects.values_list("key", flat=True))
    assert f"library.document:{document.pk}" in keys
    assert f"directory.organisation:{world.prefecture.pk}" in keys
    assert "library.document:999999" not in keys and "gone.thing:1" not in keys
    assert _keys("ghost", world.user("secretariat")) == []
    assert _keys("kept", world.user("partner")) == [f"library.document:{document.pk}"]


def test_htmx_gets_the_results_partial(world: World, reindex: Any) -> None:
    reindex(DocumentFactory(owner=world.prefecture, title_en="Solar", visibility="public"))
    response = world.client_for("anonymous").get(
        reverse("library:search"), {"q": "solar"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="search-results"' in html and "<html" not in html


@pytest.mark.parametrize("rows", [2, 40])
def test_search_page_query_count(
    world: World, rows: int, reindex: Any, django_assert_max_num_queries: Any
) -> None:
    documents = DocumentFactory.create_batch(rows, owner=world.prefecture, title_en="Solar plan")
    reindex(*documents)
    client = world.client_for("partner")
    # session, user, memberships, the sector filter (choices, then the focal sector's codes),
    # then the search: on SQLite an FTS5 count per phase and the table size choose the plan,
    # the page of title hits, the page of other hits, the capped count, the page's rows
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("library:search"), {"q": "solar", "sector": "focal:renewable_energy"}
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("library:search"), {"q": "solar"})
    assert len(response.context["results"].hits) == min(rows, 20)
    assert response.context["results"].total == rows


def test_every_page_carries_a_search_box_that_searches_the_library(world: World) -> None:
    home = world.client_for("anonymous").get(reverse("home")).content.decode()
    assert f'action="{reverse("library:search")}"' in home and 'name="q"' in home


def test_a_merge_reindexes_what_moved_and_keeps_the_former_name_findable(
    world: World, share: Any, committed: Any
) -> None:
    from setu.directory.merge import organisation_merge
    from setu.directory.tests.factories import CompanyFactory

    old = CompanyFactory.create(
        name_en="TATA MOTORS LIMITED", managed_by=world.prefecture, visibility=Visibility.PUBLIC
    )
    new = CompanyFactory.create(
        name_en="Tata Motors Ltd", managed_by=world.other_prefecture, visibility=Visibility.PUBLIC
    )
    document = share(
        user=world.user("officer_own"),
        owner=old,
        file=upload("plan.txt", b"Pune axle plant expansion"),
        visibility=Visibility.PRIVATE,
    )
    key = f"library.document:{document.pk}"
    assert _keys("axle", world.user("officer_own")) == [key]  # it manages the owner
    with committed():
        organisation_merge(merged=old, into=new, actor=world.user("secretariat"))
    # The document now belongs to the survivor, whose managing prefecture reads it instead.
    assert _keys("axle", world.user("officer_own")) == []
    assert _keys("axle", world.user("officer_other")) == [key]
    # The merged record is gone from the results; its name still finds the survivor.
    assert _keys("limited", world.user("partner")) == [f"directory.organisation:{new.pk}"]


def test_the_prefix_vocabulary_holds_what_a_prefix_could_cut(world: World, reindex: Any) -> None:
    """Index writes add the non-ASCII, non-Japanese words; migration 0004 reads the index."""
    from django.apps import apps

    from setu.library.models import SearchTerm

    document = DocumentFactory(
        owner=world.prefecture,
        visibility=Visibility.PARTNERS,
        title_en="Solar energy",
        summary_en="सौर ऊर्जा 太陽光 café",
    )
    reindex(document)
    expected = {"सौर", "ऊर्जा"}
    assert set(SearchTerm.objects.values_list("term", flat=True)) == expected
    SearchTerm.objects.all().delete()
    migration = importlib.import_module("setu.library.migrations.0004_search_terms")
    migration.fill_vocabulary(apps, None)
    assert set(SearchTerm.objects.values_list("term", flat=True)) == expected
    # a Hindi prefix now ends only where a letter ends
    partner = world.user("partner")
    assert _keys("ऊर्जा", partner) == [f"library.document:{document.pk}"]
    assert _keys("ऊर्ज", partner) == []
