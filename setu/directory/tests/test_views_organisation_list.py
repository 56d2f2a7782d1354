"""The organisation list at scale: sorted in the reader's language, counted up to a cap,
searched through the name tokens, filtered with cached reference lists."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.filters import OrganisationFilterForm
from setu.directory.models import FocalSector, Organisation, OrganisationKind, Sector
from setu.directory.pagination import COUNT_CAP
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/directory/"


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _listed(response: Any) -> list[str]:
    """The organisation names in the table, in the order shown."""
    return re.findall(
        r'<td><a href="/directory/organisations/\d+/">([^<]+)</a></td>', _text(response)
    )


def _reader(language: str) -> Client:
    client = Client()
    client.post(reverse("set_language"), {"language": language})
    return client


def _agency(name_en: str = "", name_ja: str = "", name_hi: str = "") -> Organisation:
    return OrganisationFactory.create(
        kind=OrganisationKind.AGENCY,
        name_en=name_en,
        name_ja=name_ja,
        name_hi=name_hi,
        visibility=Visibility.PUBLIC,
    )


# --------------------------------------------------------------------------- sorting


def test_each_reader_sees_the_list_sorted_by_the_names_they_read(world: World) -> None:
    _agency("Alpha Trade Agency", "わかば貿易機構", "अल्फा व्यापार एजेंसी")
    _agency("Beta Investment Agency", "あおば投資機構")
    _agency("Gamma Export Agency", name_hi="गामा निर्यात एजेंसी")  # no Japanese name
    kind = {"kind": OrganisationKind.AGENCY}

    english = _listed(_reader("en").get(URL, kind))
    japanese = _listed(_reader("ja").get(URL, kind))
    hindi = _listed(_reader("hi").get(URL, kind))

    assert english == ["Alpha Trade Agency", "Beta Investment Agency", "Gamma Export Agency"]
    # あ before わ; a name with no Japanese shows (and sorts) in English, before kana
    assert japanese == ["Gamma Export Agency", "あおば投資機構", "わかば貿易機構"]
    # Latin (the English fallback) before Devanagari, अ before ग
    assert hindi == ["Beta Investment Agency", "अल्फा व्यापार एजेंसी", "गामा निर्यात एजेंसी"]
    reverse_japanese = _listed(_reader("ja").get(URL, {**kind, "sort": "-name"}))
    assert reverse_japanese == list(reversed(japanese))


def test_the_sort_name_follows_a_renamed_organisation(world: World) -> None:
    first = _agency("Zulu Agency")
    _agency("Mike Agency")
    first.name_en = "Alpha Agency"
    first.save()
    assert _listed(_reader("en").get(URL, {"kind": OrganisationKind.AGENCY})) == [
        "Alpha Agency",
        "Mike Agency",
    ]


# --------------------------------------------------------------------------- counting


def _many_public_agencies(count: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.AGENCY,
            name_en=f"Agency {n:05d}",
            country="JP",
            visibility=Visibility.PUBLIC,
        )
        for n in range(count)
    )


def test_a_long_list_says_10000_plus_and_every_page_stays_reachable(world: World) -> None:
    _many_public_agencies(COUNT_CAP + 60)  # 10,060: page 202 is the last, with 10 rows
    client = _reader("en")

    first = client.get(URL, {"kind": OrganisationKind.AGENCY})
    assert "10,000+ organisations" in _text(first)
    assert "<span>Page 1</span>" in _text(first)  # how many pages: not counted
    assert "page=2" in _text(first)

    past_the_cap = client.get(URL, {"kind": OrganisationKind.AGENCY, "page": 201})
    assert _listed(past_the_cap)[0] == "Agency 10000"
    assert "page=200" in _text(past_the_cap) and "page=202" in _text(past_the_cap)

    last = client.get(URL, {"kind": OrganisationKind.AGENCY, "page": 202})
    assert _listed(last) == [f"Agency {n:05d}" for n in range(10_050, 10_060)]
    assert "page=201" in _text(last) and "page=203" not in _text(last)

    # past the end: the last page within the cap, rather than an error
    beyond = client.get(URL, {"kind": OrganisationKind.AGENCY, "page": 999})
    assert beyond.status_code == 200
    assert _listed(beyond)[0] == "Agency 10000"


def _link(response: Any, label: str) -> str:
    found = re.search(rf'href="(\?[^"]*)">{label}</a>', _text(response))
    assert found, f"no {label} link"
    return found.group(1).replace("&amp;", "&")


def test_deep_pages_are_read_by_key_not_by_offset(world: World) -> None:
    _many_public_agencies(COUNT_CAP + 60)
    client = _reader("en")
    kind = f"kind={OrganisationKind.AGENCY}"

    by_number = client.get(URL, {"kind": OrganisationKind.AGENCY, "page": 200})
    following = _link(by_number, "Next")
    assert "after=" in following and "page=201" in following and kind in following
    with CaptureQueriesContext(connection) as queries:
        page_201 = client.get(URL + following)
    assert not [q["sql"] for q in queries if "OFFSET" in q["sql"].upper()]
    assert "<span>Page 201</span>" in _text(page_201)
    assert _listed(page_201) == [f"Agency {n:05d}" for n in range(10_000, 10_050)]

    last = client.get(URL + _link(page_201, "Next"))
    assert _listed(last) == [f"Agency {n:05d}" for n in range(10_050, 10_060)]
    assert "Next</a>" not in _text(last)

    back = client.get(URL + _link(last, "Previous"))
    assert "before=" in _link(last, "Previous")
    assert _listed(back) == _listed(page_201)
    assert "<span>Page 201</span>" in _text(back)
    # back to the start: page 1 is asked for by number, and is the real first page
    second = client.get(URL, {"kind": OrganisationKind.AGENCY, "page": 2})
    first = client.get(URL + _link(second, "Previous"))
    assert "before=" not in _link(second, "Previous")
    assert _listed(first)[0] == "Agency 00000"


def test_a_list_under_the_cap_is_also_paged_by_key_with_its_total(world: World) -> None:
    _many_public_agencies(120)
    client = _reader("en")
    first = client.get(URL, {"kind": OrganisationKind.AGENCY})
    assert "after=" in _link(first, "Next")
    second = client.get(URL + _link(first, "Next"))
    assert "Page 2 of 3" in _text(second)
    assert _listed(second) == [f"Agency {n:05d}" for n in range(50, 100)]
    third = client.get(URL + _link(second, "Next"))
    assert "Page 3 of 3" in _text(third) and "Next</a>" not in _text(third)
    assert _listed(third) == [f"Agency {n:05d}" for n in range(100, 120)]
    assert _listed(client.get(URL + _link(third, "Previous"))) == _listed(second)


def test_a_key_link_keeps_the_readers_order_and_visibility(world: World) -> None:
    _many_public_agencies(COUNT_CAP + 60)
    hidden = OrganisationFactory.create(
        kind=OrganisationKind.AGENCY, name_en="Agency 05000x", visibility=Visibility.PRIVATE
    )
    client = _reader("en")
    query = {"kind": OrganisationKind.AGENCY, "sort": "-name"}
    page_2 = client.get(URL + _link(client.get(URL, query), "Next"))
    assert _listed(page_2) == [f"Agency {n:05d}" for n in range(10_009, 9_959, -1)]
    # an id the reader may not see, or not a number, is no anchor: the page number is used
    assert _listed(client.get(URL, {**query, "after": hidden.pk, "page": 3})) == [
        f"Agency {n:05d}" for n in range(9_959, 9_909, -1)
    ]
    assert client.get(URL, {**query, "after": "x", "page": 2}).status_code == 200


def test_the_capped_count_is_translated(world: World) -> None:
    _many_public_agencies(COUNT_CAP + 1)
    with translation.override("ja"):
        expected = translation.ngettext(
            "%(cap)s+ organisation", "%(cap)s+ organisations", COUNT_CAP
        ) % {"cap": "10,000"}
    assert expected in _text(_reader("ja").get(URL, {"kind": OrganisationKind.AGENCY}))


def test_a_list_under_the_cap_keeps_its_exact_count_and_page_total(
    world: World, django_assert_num_queries: Any
) -> None:
    _many_public_agencies(120)
    client = _reader("en")
    text = _text(client.get(URL, {"kind": OrganisationKind.AGENCY}))
    assert "120 organisations" in text
    assert "Page 1 of 3" in text
    # counted again on every view: a new row shows at once
    _agency("Agency added since")
    with django_assert_num_queries(2):  # the count and the page
        text = _text(client.get(URL, {"kind": OrganisationKind.AGENCY}))
    assert "121 organisations" in text


def test_a_list_past_the_cap_is_not_counted_again_for_a_minute(
    world: World, django_assert_num_queries: Any
) -> None:
    _many_public_agencies(COUNT_CAP + 1)
    client = _reader("en")
    assert "10,000+ organisations" in _text(client.get(URL, {"kind": OrganisationKind.AGENCY}))
    with django_assert_num_queries(1):  # the page alone
        again = _text(client.get(URL, {"kind": OrganisationKind.AGENCY}))
    assert "10,000+ organisations" in again
    # another list (another filter, another reader's visibility) is counted for itself
    companies = _text(client.get(URL, {"kind": OrganisationKind.COMPANY}))
    assert "10,000+" not in companies


# --------------------------------------------------------------------------- name search


@pytest.fixture
def named(world: World) -> dict[str, Organisation]:
    return {
        "seimitsu": CompanyFactory.create(
            name_en="Kofu Seimitsu Kogyo K.K.",
            name_ja="甲府精密工業株式会社",
            name_ja_kana="こうふせいみつこうぎょう",
            managed_by=world.prefecture,
            visibility=Visibility.PUBLIC,
        ),
        "tata": CompanyFactory.create(
            name_en="Tata Autocomp Systems Ltd",
            name_hi="टाटा ऑटोकॉम्प सिस्टम्स लिमिटेड",
            country="IN",
            managed_by=None,
            visibility=Visibility.PUBLIC,
        ),
        "precision": CompanyFactory.create(
            name_en="Fuji Precision Dies",
            managed_by=world.prefecture,
            visibility=Visibility.PUBLIC,
        ),
    }


def _found(query: str) -> set[str]:
    return set(_listed(_reader("en").get(URL, {"q": query})))


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("seimitsu", {"Kofu Seimitsu Kogyo K.K."}),  # as written
        ("Seimitu", {"Kofu Seimitsu Kogyo K.K."}),  # Kunrei romanisation
        ("SEIMI", {"Kofu Seimitsu Kogyo K.K."}),  # the beginning of a word, any case
        ("kofu seimi", {"Kofu Seimitsu Kogyo K.K."}),  # every word must match
        ("kofu tata", set()),
        ("prec", {"Fuji Precision Dies"}),
        ("Tata Autocomp", {"Tata Autocomp Systems Ltd"}),
        ("tataauto", {"Tata Autocomp Systems Ltd"}),  # the name written without spaces
        ("टाटा", {"Tata Autocomp Systems Ltd"}),  # Hindi
        ("ऑटो", {"Tata Autocomp Systems Ltd"}),  # the beginning of a Hindi word
        ("ऑट", set()),  # ends inside the letter टो of ऑटोकॉम्प
        ("सिस्ट", {"Tata Autocomp Systems Ltd"}),  # सि|स्ट|म्स: ends after स्ट
        ("सिस्", set()),  # the virama joins स to ट: it ends inside स्ट
        ("精密", {"Kofu Seimitsu Kogyo K.K."}),  # Japanese, inside the name
        ("ＫＯＦＵ", {"Kofu Seimitsu Kogyo K.K."}),  # full-width
        ("こうふ", {"Kofu Seimitsu Kogyo K.K."}),  # the reading, in hiragana
        ("セイミツ", {"Kofu Seimitsu Kogyo K.K."}),  # the reading, in katakana
        ("ふじ", set()),  # no reading given for Fuji Precision Dies
        ("!!!", set()),
    ],
)
def test_name_search(named: dict[str, Organisation], query: str, found: set[str]) -> None:
    assert _found(query) == found


def test_name_search_keeps_other_filters_and_visibility(
    world: World, named: dict[str, Organisation]
) -> None:
    hidden = CompanyFactory.create(
        name_en="Kofu Seimitsu Trading", managed_by=world.prefecture, visibility=Visibility.PRIVATE
    )
    assert _found("seimitsu") == {"Kofu Seimitsu Kogyo K.K."}  # the anonymous reader
    officer = world.client_for("officer_own")
    names = {org.name_en for org in officer.get(URL, {"q": "seimitsu"}).context["page"]}
    assert names == {"Kofu Seimitsu Kogyo K.K.", hidden.name_en}
    india = officer.get(URL, {"q": "seimitsu tata", "country": "IN"}).context["page"]
    assert list(india) == []
    japan = officer.get(URL, {"q": "kofu", "country": "JP", "sort": "-name"}).context["page"]
    assert [org.name_en for org in japan] == [
        hidden.name_en,
        "Kofu Seimitsu Kogyo K.K.",
        world.company.name_en,  # Kofu Precision K.K.
    ]


def test_a_search_matching_many_organisations_still_finds_them_all(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from setu.directory import filters

    monkeypatch.setattr(filters, "MAX_MATCHED_IDS", 3)  # past it, a subquery instead of ids
    for n in range(5):
        _agency(f"Hydrogen Agency {n}")
    _agency("Solar Agency")
    response = _reader("en").get(URL, {"q": "hydro"})
    assert len(_listed(response)) == 5
    assert "5 organisations" in _text(response)


# --------------------------------------------------------------------------- filters


def test_filters_still_narrow_the_list_in_japanese(world: World) -> None:
    automotive = FocalSector.objects.get(key="automotive_components")
    axle = CompanyFactory.create(
        name_en="Axle Works", region_id="JP-19", is_sme=True, managed_by=world.prefecture
    )
    axle.sectors.add(Sector.objects.get(code="29"))
    bread = CompanyFactory.create(
        name_en="Bread Makers", region_id="JP-22", is_sme=False, managed_by=world.prefecture
    )
    bread.sectors.add(Sector.objects.get(code="10"))
    client = world.client_for("officer_own")
    client.post(reverse("set_language"), {"language": "ja"})

    def names(**query: str) -> set[str]:
        return {org.name_en for org in client.get(URL, query).context["page"]}

    assert names(focal=automotive.key) == {"Axle Works"}
    assert names(sector="10") == {"Bread Makers"}
    assert names(region="JP-22", kind="company") == {"Bread Makers"}
    assert names(region="JP-19", sme="yes", country="JP") == {"Axle Works"}
    # an unknown region is refused, not silently treated as "any"
    response = client.get(URL, {"region": "XX-99"})
    assert response.status_code == 200
    assert response.context["form"].errors["region"]


def test_the_focal_filter_reads_a_stored_column_that_follows_every_sector_change(
    world: World,
) -> None:
    from setu.directory.merge import organisation_merge

    automotive = {"focal": "automotive_components"}
    client = world.client_for("officer_own")

    def names() -> set[str]:
        return {org.name_en for org in client.get(URL, automotive).context["page"]}

    axle = CompanyFactory.create(name_en="Axle Works", managed_by=world.prefecture)
    other = CompanyFactory.create(name_en="Axle Works Japan", managed_by=world.prefecture)
    assert names() == set()
    axle.sectors.add(Sector.objects.get(code="29"))  # motor vehicles
    assert names() == {"Axle Works"}
    axle.sectors.set([Sector.objects.get(code="10")])  # food: out of the group
    assert names() == set()
    Sector.objects.get(code="29").organisations.add(axle, other)  # from the sector's side
    assert names() == {"Axle Works", "Axle Works Japan"}
    axle.sectors.clear()
    assert names() == {"Axle Works Japan"}
    # a merge moves the merged record's sector links to the survivor
    organisation_merge(merged=other, into=axle, actor=None)
    assert names() == {"Axle Works"}
    # the group's divisions change: the filter follows
    FocalSector.objects.get(key="automotive_components").sectors.remove(
        Sector.objects.get(code="29")
    )
    assert names() == set()

    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {**automotive, "region": "JP-19", "sme": "yes"})
    listing = [q["sql"] for q in queries if "directory_organisation" in q["sql"]]
    assert listing and not [sql for sql in listing if "EXISTS" in sql.upper()]


def test_the_filter_form_lists_the_reference_data_in_the_readers_language(
    world: World,
) -> None:
    text = _text(_reader("ja").get(URL))
    assert '<option value="JP-19">山梨県</option>' in text
    assert re.search(r'<option value="29">29 [^<]*自動車', text)
    assert '<option value="automotive_components">' in text


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_the_filter_form_html_is_what_django_renders(world: World, language: str) -> None:
    data = {"kind": "company", "country": "JP", "region": "JP-22", "focal": "automotive_components",
            "sector": "29", "sme": "yes", "partnership": "", "sort": "-name"}  # fmt: skip
    with translation.override(language):
        form = OrganisationFilterForm(data)
        selects = [
            name for name, field in form.fields.items() if isinstance(field, forms.ChoiceField)
        ]
        fast = [str(form[name]) for name in selects]
        for name in selects:
            field = form.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.widget = forms.Select(choices=field.choices)
        django = [str(form[name]) for name in selects]
    assert fast == django
    assert 'value="JP-22" selected' in "".join(fast)


def test_the_filter_form_reads_the_reference_data_once(
    world: World, django_assert_num_queries: Any
) -> None:
    with translation.override("hi"):
        str(OrganisationFilterForm(None).as_div())
        with django_assert_num_queries(0):
            str(OrganisationFilterForm({"region": "JP-19"}).as_div())


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("rows", [2, 60])
def test_list_and_search_query_counts_are_fixed(
    world: World, rows: int, django_assert_num_queries: Any
) -> None:
    for n in range(rows):
        _agency(f"Hydrogen Agency {n}")
    client = _reader("en")
    client.get(URL)  # reference choices read once per process
    # the COUNT (up to COUNT_CAP + 1) and the page; a search adds one query for the ids, and
    # per word one for the characters that may follow it (does it end inside a letter?)
    with django_assert_num_queries(2):
        client.get(URL, {"kind": "agency"})
    with django_assert_num_queries(4):
        client.get(URL, {"q": "hydrogen", "kind": "agency"})


def test_optimize_database_gathers_planner_statistics(world: World) -> None:
    out = io.StringIO()
    call_command("optimize_database", stdout=out)
    assert f"ANALYZE on {connection.vendor}" in out.getvalue()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'directory_organisation'")
            assert cursor.fetchone()[0] > 0
