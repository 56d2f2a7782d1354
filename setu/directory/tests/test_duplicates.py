"""Duplicate detection: the candidate search on the create form, "manage this company", and the
secretariat's list of likely duplicate pairs."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from setu.accounts.tests.factories import UserFactory, add_membership, enrol_totp
from setu.browser import artifact
from setu.conftest import World, build_world
from setu.core.models import AuditEntry, Visibility
from setu.core.principal import principal_for
from setu.directory import duplicates
from setu.directory.duplicates import find_candidates, likely_duplicate_pairs
from setu.directory.models import NameToken, Organisation, OrganisationKind
from setu.directory.reference import load_reference_data
from setu.directory.services import organisation_refresh_derived
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def company(
    name_en: str = "",
    name_ja: str = "",
    name_hi: str = "",
    *,
    visibility: str = Visibility.CONSORTIUM,
    **fields: Any,
) -> Organisation:
    """A company with its derived name keys, as organisation_save leaves it."""
    fields.setdefault("managed_by", None)
    organisation = CompanyFactory.create(
        name_en=name_en, name_ja=name_ja, name_hi=name_hi, visibility=visibility, **fields
    )
    organisation_refresh_derived(organisation=organisation)
    return organisation


def names_found(names: list[str], user: Any, **kwargs: Any) -> list[str]:
    return [c.organisation.display_name for c in find_candidates(names=names, user=user, **kwargs)]


# --------------------------------------------------------------------------- candidates

# (existing record's names, names typed on the create form)
ISSUE_VARIANTS = [
    (("Tata Motors Ltd", "", ""), ["TATA MOTORS LIMITED", "", ""]),
    (("Tata Motors Ltd", "", ""), ["Tata Motors Private Limited", "", ""]),
    (("Tata Motors Ltd", "", ""), ["ＴＡＴＡ　ＭＯＴＯＲＳ", "", ""]),
    (("Tata Motors Ltd", "", ""), ["TataMotors", "", ""]),
    (("Tōkyō Shōji K.K.", "", ""), ["Toukyou Shouji Kabushiki Kaisha", "", ""]),
    (("Shizuoka Chūbu Tea Co., Ltd.", "", ""), ["Sizuoka Tyubu Tea", "", ""]),
    (("Fujikawa Precision Dies K.K.", "", ""), ["Huzikawa Precision Dies", "", ""]),
    (("", "株式会社甲府水素システム", ""), ["", "甲府水素システム株式会社", ""]),
    (("", "甲府水素システム㈱", ""), ["", "（株）甲府水素システム", ""]),
    (("", "ｺｳﾌ ｽｲｿ", ""), ["", "コウフスイソ", ""]),
    (("", "", "टाटा मोटर्स लिमिटेड"), ["", "", "टाटा मोटर्स प्रा. लि."]),
    # cross-script: the Japanese names agree, the English ones do not
    (
        ("Kofu Hydrogen Systems K.K.", "甲府水素システム株式会社", ""),
        ["Kofu H2 Engineering", "甲府水素システム", ""],
    ),
]


@pytest.mark.parametrize(("existing", "typed"), ISSUE_VARIANTS)
def test_every_variant_of_the_issue_is_a_candidate(
    world: World, existing: tuple[str, str, str], typed: list[str]
) -> None:
    record = company(*existing)
    company("Enshu Auto Parts Co., Ltd.", "遠州オートパーツ株式会社")
    company("Mahindra & Mahindra Ltd", "", "महिंद्रा एंड महिंद्रा")
    candidates = find_candidates(names=typed, user=world.users["officer_own"])
    assert [c.organisation for c in candidates] == [record]
    assert candidates[0].score >= duplicates.MATCH_THRESHOLD


@pytest.mark.parametrize(
    "typed",
    [
        ["Tata Steel Ltd", "", ""],
        ["Mahindra Electric", "", ""],
        ["Kofu Foods", "", ""],
        ["", "甲府食品株式会社", ""],
        ["", "", "बजाज ऑटो लिमिटेड"],
    ],
)
def test_unrelated_names_are_not_candidates(world: World, typed: list[str]) -> None:
    company("Tata Motors Ltd", "タタ・モーターズ", "टाटा मोटर्स लिमिटेड")
    company("Kofu Hydrogen Systems K.K.", "甲府水素システム株式会社")
    assert find_candidates(names=typed, user=world.users["officer_own"]) == []


def test_another_prefectures_private_company_is_never_suggested(world: World) -> None:
    company("Tata Motors Ltd", managed_by=world.other_prefecture, visibility=Visibility.PRIVATE)
    typed = ["TATA MOTORS LIMITED", "", ""]
    assert names_found(typed, world.users["officer_own"]) == []
    assert names_found(typed, world.users["officer_other"]) == ["Tata Motors Ltd"]


def test_merged_records_are_never_suggested(world: World) -> None:
    survivor = company("Tata Motors Ltd")
    company("Tata Motors Limited", merged_into=survivor)
    assert names_found(["TATA MOTORS"], world.users["officer_own"]) == ["Tata Motors Ltd"]


def test_the_record_being_edited_is_left_out(world: World) -> None:
    record = company("Tata Motors Ltd")
    user = world.users["officer_own"]
    assert find_candidates(names=["Tata Motors"], user=user, exclude_pk=record.pk) == []


def test_best_matches_come_first_and_the_limit_holds(world: World) -> None:
    for name in ("Tata Motor", "Tatta Motors", "Tata Moters", "Tata Motors", "Tata Motorz"):
        company(name)
    for name in ("Taata Motars", "Tata Mtors", "Tata Motors India"):
        company(name)
    candidates = find_candidates(names=["Tata Motors Ltd"], user=world.users["secretariat"])
    assert len(candidates) == 5
    assert candidates[0].organisation.name_en == "Tata Motors"
    assert "Tata Motors India" not in {c.organisation.name_en for c in candidates}
    assert candidates[0].score == 100
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_only_the_pool_is_scored(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "CANDIDATE_POOL", 3)
    for n in range(10):
        company(f"Tata Motors {n}")
    company("Tata Motors")
    candidates = find_candidates(names=["Tata Motors"], user=world.users["secretariat"], limit=10)
    assert len(candidates) <= 3
    # the exact match shares the rare whole-name token and ranks first in the database
    assert candidates[0].organisation.name_en == "Tata Motors"


def test_hidden_records_ranked_first_do_not_crowd_out_visible_ones(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "CANDIDATE_POOL", 2)
    monkeypatch.setattr(duplicates, "RANK_WIDTH", 3)
    for n in range(4):  # another prefecture's private twins, ranked first (more shared tokens)
        company(
            "Tata Motors Ltd",
            f"タタ{n}",
            managed_by=world.other_prefecture,
            visibility=Visibility.PRIVATE,
        )
    shared = company("Tata Motorz Ltd")
    found = find_candidates(names=["Tata Motors"], user=world.users["officer_own"])
    assert [c.organisation for c in found] == [shared]


def test_common_tokens_are_skipped_but_exact_keys_still_match(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "MAX_TOKEN_FREQUENCY", 5)
    for n in range(8):
        company(f"Org{n} Industries Tokyo", name_ja=f"工業{n}")
    company("Industries Tokyo")  # every token of this name is on more than 5 records
    found = names_found(["INDUSTRIES TOKYO LTD"], world.users["secretariat"])
    assert found[0] == "Industries Tokyo"
    assert names_found(["Hakone Industries"], world.users["secretariat"]) == []


def test_candidate_search_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(40):
        company(f"Tata Motors {n}", f"タタ{n}")
    user = world.users["officer_own"]
    principal_for(user)  # read once a request, cached on the user
    with django_assert_max_num_queries(4):
        find_candidates(names=["Tata Motors", "タタ・モーターズ", ""], user=user)


def test_can_manage_only_an_unmanaged_company_and_only_as_officer(world: World) -> None:
    company("Tata Motors Ltd")
    company("Kofu Precision Works", managed_by=world.prefecture)
    officer = find_candidates(names=["Tata Motors"], user=world.users["officer_own"])
    assert officer[0].can_manage
    secretariat = find_candidates(names=["Tata Motors"], user=world.users["secretariat"])
    assert not secretariat[0].can_manage
    managed = find_candidates(names=["Kofu Precision Works"], user=world.users["officer_own"])
    assert not managed[0].can_manage


def test_empty_names_find_nothing(world: World) -> None:
    company("Tata Motors Ltd")
    assert find_candidates(names=["", "  ", "·"], user=world.users["officer_own"]) == []


# --------------------------------------------------------------------------- create form


def _create(client: Client, **data: str) -> Any:
    form = {
        "kind": "company",
        "country": "IN",
        "original_language": "en",
        "visibility": "partners",
        "capital_currency": "JPY",
    }
    form.update(data)
    return client.post(reverse("directory:organisation_create"), form)


def test_create_form_offers_the_existing_record_and_adds_nothing(world: World) -> None:
    existing = company("Tata Motors Ltd", country="IN")
    client = world.client_for("officer_own")
    response = _create(client, name_en="TATA MOTORS LIMITED")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Is it one of these?" in page
    assert existing.get_absolute_url() in page
    assert "Open this record" in page
    assert reverse("directory:organisation_manage", args=[existing.pk]) in page
    assert Organisation.objects.filter(name_en="TATA MOTORS LIMITED").count() == 0
    response = _create(client, name_en="TATA MOTORS LIMITED", confirm_new="1")
    assert response.status_code == 302
    assert Organisation.objects.filter(name_en="TATA MOTORS LIMITED").count() == 1


def test_new_records_are_indexed_for_the_next_search(world: World) -> None:
    client = world.client_for("officer_own")
    _create(client, name_en="Nagpur Orange Exports Pvt Ltd", name_ja="ナグプール・オレンジ輸出")
    record = Organisation.objects.get(name_en="Nagpur Orange Exports Pvt Ltd")
    assert set(NameToken.objects.filter(organisation=record).values_list("token", flat=True)) >= {
        "nagpur",
        "orange",
        "exports",
        "ナグ",
    }
    found = names_found(["", "ナグプール・オレンジ輸出株式会社"], world.users["officer_other"])
    assert found == ["Nagpur Orange Exports Pvt Ltd"]


# --------------------------------------------------------------------------- manage


def test_officer_manages_an_unmanaged_company_instead_of_adding_it(world: World) -> None:
    record = company("Tata Motors Ltd", country="IN")
    client = world.client_for("officer_own")
    response = client.post(reverse("directory:organisation_manage", args=[record.pk]))
    assert response.headers["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert record.managed_by == world.prefecture
    entry = AuditEntry.objects.get(action="directory.organisation.managed")
    assert entry.object_id == str(record.pk)
    assert entry.actor == world.users["officer_own"]
    # the second prefecture is told, and nothing changes
    response = world.client_for("officer_other").post(
        reverse("directory:organisation_manage", args=[record.pk]), follow=True
    )
    assert "already managed" in response.content.decode()
    record.refresh_from_db()
    assert record.managed_by == world.prefecture


def test_manage_refuses_what_is_not_a_company_and_hides_what_is_private(world: World) -> None:
    chamber = OrganisationFactory.create(kind=OrganisationKind.CHAMBER, name_en="Pune Chamber")
    client = world.client_for("officer_own")
    response = client.post(reverse("directory:organisation_manage", args=[chamber.pk]), follow=True)
    assert "Only a company" in response.content.decode()
    chamber.refresh_from_db()
    assert chamber.managed_by is None
    private = company("Secret Works", visibility=Visibility.PRIVATE)
    response = client.post(reverse("directory:organisation_manage", args=[private.pk]))
    assert response.status_code == 404
    assert (
        client.get(reverse("directory:organisation_manage", args=[private.pk])).status_code == 405
    )


# --------------------------------------------------------------------------- pairs


def test_pairs_are_found_across_scripts_and_members(world: World) -> None:
    a = company("Tata Motors Ltd", managed_by=world.prefecture)
    b = company("TATA MOTORS LIMITED", managed_by=world.other_prefecture)
    c = company("Kofu Hydrogen Systems K.K.", "甲府水素システム株式会社")
    d = company("Kofu H2 Engineering", "（株）甲府水素システム")
    e = company("", "", "टाटा स्टील लिमिटेड")
    f = company("", "", "टाटा स्टील")
    company("Tata Steel Ltd")
    company("Daisen Foods K.K.", "大山フーズ株式会社")
    pairs = {
        (p.first_id, p.second_id) for p in likely_duplicate_pairs(user=world.users["secretariat"])
    }
    assert pairs == {(a.pk, b.pk), (c.pk, d.pk), (e.pk, f.pk)}


def test_pairs_leave_out_what_the_secretariat_may_not_see_and_merged_records(world: World) -> None:
    company("Tata Motors Ltd", managed_by=world.prefecture, visibility=Visibility.PRIVATE)
    company("TATA MOTORS LIMITED")
    survivor = company("Daisen Foods")
    company("Daisen Foods K.K.", merged_into=survivor)
    assert likely_duplicate_pairs(user=world.users["secretariat"]) == []


def test_pairs_compare_within_blocks_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Organisations sharing only a common token are never compared: no n² work."""
    monkeypatch.setattr(duplicates, "PAIR_BLOCK_SIZE", 5)
    words = ["Alpha", "Bravo", "Delta", "Gamma", "Kilo", "Lima", "Oscar", "Romeo", "Sierra"]
    for first in words:
        for second in words[:4]:
            company(f"{first} {second}x Foods")  # "foods" is on all 36
    company("Alpha Bravox Food")
    calls = 0
    real = duplicates.name_similarity

    def counting(*args: Any) -> float:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(duplicates, "name_similarity", counting)
    pairs = likely_duplicate_pairs(user=world.users["secretariat"])
    names = {
        frozenset(
            Organisation.objects.filter(pk__in=[p.first_id, p.second_id]).values_list(
                "name_en", flat=True
            )
        )
        for p in pairs
    }
    assert frozenset({"Alpha Bravox Foods", "Alpha Bravox Food"}) in names
    assert 0 < calls < 37 * 36 // 2  # the "foods" block alone would be every pair


def test_pair_list_is_cached_and_refreshed_after_changes(
    world: World, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    company("Tata Motors Ltd")
    company("TATA MOTORS LIMITED")
    user = world.users["secretariat"]
    assert len(likely_duplicate_pairs(user=user)) == 1
    with django_assert_max_num_queries(5):  # at most the fingerprint and the dismissals
        assert len(likely_duplicate_pairs(user=user)) == 1
    # a slow computation is trusted for a while without looking at the directory ...
    monkeypatch.setattr(duplicates, "PAIR_STALENESS_PER_SECOND", 10**9)
    company("Tata Motors")
    with django_assert_max_num_queries(1):  # the dismissals only
        assert len(likely_duplicate_pairs(user=user)) == 1
    # ... a quick one is checked at once, and the change shows
    monkeypatch.setattr(duplicates, "PAIR_STALENESS_PER_SECOND", 0)
    assert len(likely_duplicate_pairs(user=user)) == 3


def test_a_stale_list_never_shows_a_merged_record(world: World) -> None:
    a = company("Tata Motors Ltd")
    b = company("TATA MOTORS LIMITED")
    user = world.users["secretariat"]
    pairs = likely_duplicate_pairs(user=user)
    Organisation.objects.filter(pk=b.pk).update(merged_into=a)
    assert set(duplicates.pair_organisations(pairs, user=user)) == {a.pk}
    page = world.client_for("secretariat").get(reverse("directory:duplicates"))
    assert page.context["rows"] == []


def test_duplicates_page_compares_side_by_side_and_dismisses(world: World) -> None:
    a = company("Tata Motors Ltd", "タタ・モーターズ", managed_by=world.prefecture)
    b = company("TATA MOTORS LIMITED", managed_by=world.other_prefecture, website="https://x.in")
    client = world.client_for("secretariat")
    page = client.get(reverse("directory:duplicates")).content.decode()
    assert "タタ・モーターズ" in page and "https://x.in" in page
    assert reverse("directory:organisation_merge", args=[b.pk, a.pk]) in page
    assert reverse("directory:organisation_merge", args=[a.pk, b.pk]) in page
    response = client.post(reverse("directory:duplicate_dismiss", args=[b.pk, a.pk]))
    assert response.headers["Location"] == reverse("directory:duplicates")
    entry = AuditEntry.objects.get(action=duplicates.DISMISSED_ACTION)
    assert entry.owner == world.secretariat_org  # not the companies' own readers
    assert entry.changes["pair"] == [None, [a.pk, b.pk]]
    page = client.get(reverse("directory:duplicates")).content.decode()
    assert "No likely duplicates." in page


PLACES = [
    "Aomori", "Akita", "Iwate", "Sendai", "Fukushima", "Ibaraki", "Tochigi", "Gunma", "Saitama",
    "Chiba", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu",
    "Shizuoka", "Aichi", "Mie", "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori",
    "Shimane", "Okayama",
]  # fmt: skip


@pytest.mark.parametrize("pairs", [2, 30])
def test_duplicates_page_query_count_is_fixed(
    world: World, pairs: int, django_assert_max_num_queries: Any
) -> None:
    for place in PLACES[:pairs]:
        company(f"{place} Precision Ltd", managed_by=world.prefecture)
        company(f"{place.upper()} PRECISION LIMITED", managed_by=world.other_prefecture)
    client = world.client_for("secretariat")
    with django_assert_max_num_queries(13):
        response = client.get(reverse("directory:duplicates"))
    assert len(response.context["rows"]) == min(pairs, 20)
    with django_assert_max_num_queries(10):  # cached
        client.get(reverse("directory:duplicates"), {"page": 2})


# --------------------------------------------------------------------------- browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_sees_the_match_and_opens_it_instead(live_server: Any, browser: Any) -> None:
    load_reference_data()  # a transactional test may follow one that flushed it
    world = build_world()
    existing = company("Tata Motors Ltd", "タタ・モーターズ株式会社", country="IN")
    officer = UserFactory.create(email="browser.officer@example.org", full_name="Browser Officer")
    add_membership(officer, world.prefecture, "prefecture_officer")
    enrol_totp(officer)
    client = Client()
    client.force_login(officer)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('directory:organisation_create')}")
    page.select_option("select[name=kind]", "company")
    page.fill("input[name=name_en]", "TATA MOTORS LIMITED")
    page.select_option("select[name=country]", "IN")
    page.click("main form.card button[type=submit]")
    section = page.locator("section[aria-labelledby=dup-h]")
    section.wait_for()
    assert "Tata Motors Ltd" in section.inner_text()
    page.screenshot(path=str(artifact("duplicates-candidate-desktop.png")), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifact("duplicates-candidate-phone.png")), full_page=True)
    section.get_by_role("link", name="Open this record").click()
    page.wait_for_url(f"{live_server.url}{existing.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Tata Motors Ltd"
    assert Organisation.objects.filter(name_en="TATA MOTORS LIMITED").count() == 0
    context.close()
