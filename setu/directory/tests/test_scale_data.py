from __future__ import annotations

import re
from io import StringIO
from typing import Any

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.scale_data import SYNTHETIC_NOTE, generate_scale_data
from setu.algorithms.names import name_tokens, normalise_name
from setu.conftest import World
from setu.directory.models import NameToken, Organisation, OrganisationKind, Person
from setu.directory.sme import is_sme

pytestmark = pytest.mark.django_db

KANJI = re.compile(r"[\u4e00-\u9fff]")
KANA = re.compile(r"[\u3041-\u309f]")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
LATIN = re.compile(r"[A-Za-z0-9 .,'&()\-]+")


def _synthetic(seed: int) -> Any:
    return Organisation.objects.filter(description_en=SYNTHETIC_NOTE.format(seed=seed))


def test_small_run_creates_what_was_asked_in_three_scripts() -> None:
    out = StringIO()
    call_command(
        "generate_scale_data", organisations=300, people=900, seed=3, batch=100, stdout=out
    )
    organisations = list(_synthetic(3).prefetch_related("sectors", "name_tokens"))
    people = list(Person.objects.filter(organisation__in=[o.pk for o in organisations]))
    assert len(organisations) == 300
    assert len(people) == 900
    assert "rows/s" in out.getvalue()
    # The nine demo members were loaded first, and they manage the Japanese companies.
    members = set(Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE))
    assert len(members) == 9
    kinds = {o.kind for o in organisations}
    assert OrganisationKind.COMPANY in kinds and len(kinds) >= 3
    assert sum(o.kind == OrganisationKind.COMPANY for o in organisations) > 250
    for organisation in organisations:
        assert LATIN.fullmatch(organisation.name_en), organisation.name_en
        assert organisation.region_id and organisation.region_id[:2] == organisation.country
        if organisation.country == "JP":
            assert KANJI.search(organisation.name_ja) or re.search("[ァ-ヺ]", organisation.name_ja)
            assert not organisation.name_hi
        else:
            assert DEVANAGARI.search(organisation.name_hi), organisation.name_hi
            assert not organisation.name_ja
        if organisation.country == "JP" and organisation.kind == OrganisationKind.COMPANY:
            assert organisation.managed_by in members
        assert organisation.sectors.all(), organisation
    assert any(KANJI.search(o.name_ja) for o in organisations)
    assert any(KANA.search(o.name_ja_kana) for o in organisations)
    assert any("Pvt Ltd" in o.name_en and "प्रा. लि." in o.name_hi for o in organisations)
    assert {o.visibility for o in organisations} >= {"partners", "private", "public"}
    natives = [p.name_native for p in people]
    assert any(KANJI.search(n) for n in natives)
    assert any(DEVANAGARI.search(n) for n in natives)


def test_derived_fields_follow_the_services_rules() -> None:
    generate_scale_data(organisations=200, people=400, seed=5, batch=64)
    organisations = list(_synthetic(5).prefetch_related("name_tokens"))
    for organisation in organisations:
        capital = organisation.capital if organisation.capital_currency == "JPY" else None
        expected = (
            is_sme(
                industry=organisation.sme_industry,
                capital_jpy=capital,
                employees=organisation.employees,
            )
            if organisation.country == "JP"
            else None
        )
        assert organisation.is_sme == expected
        assert organisation.name_key == normalise_name(organisation.name_en)[:300]
        names = (organisation.name_en, organisation.name_ja, organisation.name_hi)
        expected_tokens = {token[:100] for name in names for token in name_tokens(name)}
        assert {t.token for t in organisation.name_tokens.all()} == expected_tokens
    assert any(o.is_sme is True for o in organisations)
    assert any(o.is_sme is False for o in organisations)
    assert NameToken.objects.filter(organisation__in=organisations).count() > 3 * len(organisations)


def test_people_have_valid_phones_emails_and_owners() -> None:
    generate_scale_data(organisations=100, people=600, seed=9, batch=128)
    people = Person.objects.filter(organisation__in=_synthetic(9)).select_related("organisation")
    phones = 0
    for person in people:
        assert person.owner_id in (person.organisation_id, person.organisation.managed_by_id)
        if person.phone:
            number = phonenumbers.parse(person.phone)
            assert phonenumbers.is_valid_number(number), person.phone
            formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            assert formatted == person.phone
            phones += 1
        if person.email:
            assert re.fullmatch(r"[a-z0-9.]+@[a-z0-9-]+\.example", person.email), person.email
        assert person.title
    assert phones > 450


def test_same_seed_gives_the_same_records() -> None:
    def names(seed: int) -> tuple[list[tuple[str, str, str]], list[str]]:
        before = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        generate_scale_data(organisations=40, people=80, seed=seed, batch=16)
        organisations = _synthetic(seed).filter(pk__gt=before).order_by("pk")
        people = Person.objects.filter(organisation__in=organisations).order_by("pk")
        return (
            list(organisations.values_list("name_en", "name_ja", "name_hi")),
            list(people.values_list("name_latin", flat=True)),
        )

    first = names(11)
    assert names(11) == first
    assert names(12) != first


def test_queries_grow_with_batches_not_rows(world: World) -> None:
    """Bulk writes: a few statements per batch, whatever the rows (the world has members)."""
    with CaptureQueriesContext(connection) as queries:
        generate_scale_data(organisations=200, people=400, seed=2, batch=1000)
    assert _synthetic(2).count() == 200
    assert len(queries) < 60
    managers = set(_synthetic(2).values_list("managed_by", flat=True))
    assert managers <= {world.prefecture.pk, world.other_prefecture.pk, None}


def test_refuses_production_settings_unless_forced(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="SETU_ENV=prod"):
        call_command("generate_scale_data", organisations=5, people=5, stdout=StringIO())
    assert not Organisation.objects.exists()
    call_command("generate_scale_data", organisations=5, people=5, force=True, stdout=StringIO())
    assert _synthetic(1).count() == 5
