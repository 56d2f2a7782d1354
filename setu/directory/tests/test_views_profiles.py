"""Profiles, contacts and agreements through the pages, with bad input."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from setu.conftest import World
from setu.core.models import AuditEntry, Visibility
from setu.directory.models import Organisation, Partnership, PartnershipKind, Person
from setu.directory.reminders import send_partnership_reminders
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def _company_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "company",
        "name_en": "Minobu Valve Works K.K.",
        "name_ja": "身延バルブ工業株式会社",
        "original_language": "ja",
        "country": "JP",
        "region": "JP-19",
        "employees": "120",
        "capital": "80000000",
        "capital_currency": "JPY",
        "sme_industry": "manufacturing",
        "sectors": [],
        "visibility": "partners",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_company_managed_by_their_prefecture(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.post(reverse("directory:organisation_create"), _company_form())
    company = Organisation.objects.get(name_en="Minobu Valve Works K.K.")
    assert response.headers["Location"] == company.get_absolute_url()
    assert company.managed_by == world.prefecture
    assert company.is_sme is True
    assert company.name_tokens.filter(token="minobu").exists()
    assert AuditEntry.objects.filter(action="directory.organisation.created").exists()


def test_a_near_duplicate_is_shown_before_creating(world: World) -> None:
    CompanyFactory(
        name_en="Tata Motors Ltd", country="IN", managed_by=None, visibility=Visibility.PUBLIC
    )
    from setu.directory.services import organisation_refresh_derived

    organisation_refresh_derived(organisation=Organisation.objects.get(name_en="Tata Motors Ltd"))
    client = world.client_for("officer_own")
    form = _company_form(name_en="TATA MOTORS LIMITED", name_ja="", country="IN", region="IN-MH")
    response = client.post(reverse("directory:organisation_create"), form)
    assert response.status_code == 200
    assert "Tata Motors Ltd" in response.content.decode()
    assert not Organisation.objects.filter(name_en="TATA MOTORS LIMITED").exists()
    response = client.post(reverse("directory:organisation_create"), {**form, "confirm_new": "1"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name_en="TATA MOTORS LIMITED").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_en": "", "name_ja": ""}, "Give the organisation a name in at least one language."),
        ({"region": "IN-MH"}, "This region is not in the chosen country."),
        ({"employees": "-3"}, "Ensure this value is greater than or equal to 0."),
        ({"website": "not a url"}, "Enter a valid URL."),
    ],
)
def test_bad_profile_input_is_named_and_nothing_saved(
    world: World, overrides: dict[str, str], message: str
) -> None:
    before = Organisation.objects.count()
    response = world.client_for("officer_own").post(
        reverse("directory:organisation_create"), _company_form(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


def test_logo_must_be_a_real_small_image(world: World, settings: Any) -> None:
    client = world.client_for("member")
    url = reverse("directory:organisation_edit", args=[world.company.pk])
    data = _company_form(name_en=world.company.name_en, name_ja="")
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 this is an exe", content_type="image/png")
    response = client.post(url, {**data, "logo": fake})
    assert "The logo is not an image we can read" in response.content.decode()
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    big = SimpleUploadedFile(
        "big.png", _png() + b"\0" * (3 * 1024 * 1024), content_type="image/png"
    )
    response = client.post(url, {**data, "logo": big})
    assert "The logo is too large" in response.content.decode()
    good = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post(url, {**data, "logo": good})
    assert response.status_code == 302
    world.company.refresh_from_db()
    assert world.company.logo.name.startswith("logos/")


def test_member_edits_own_profile_but_not_anothers(world: World) -> None:
    client = world.client_for("member")
    other = CompanyFactory(managed_by=world.prefecture, visibility=Visibility.PARTNERS)
    response = client.get(reverse("directory:organisation_edit", args=[other.pk]))
    assert response.status_code == 403


def test_phone_is_stored_in_e164_and_bad_numbers_are_refused(world: World) -> None:
    client = world.client_for("officer_own")
    data = {
        "organisation": world.company.pk,
        "name_latin": "Aoi Tanaka",
        "name_native": "田中 葵",
        "email": "aoi@example.org",
        "phone": "055-237-1111",
        "preferred_language": "ja",
        "visibility": "private",
    }
    response = client.post(reverse("directory:person_create"), data)
    person = Person.objects.get(email="aoi@example.org")
    assert response.headers["Location"] == person.get_absolute_url()
    assert person.phone == "+81552371111"
    assert person.owner == world.prefecture
    response = client.post(
        reverse("directory:person_create"), {**data, "email": "b@example.org", "phone": "12"}
    )
    assert "This is not a valid phone number for its country." in response.content.decode()
    assert not Person.objects.filter(email="b@example.org").exists()


def test_contact_details_only_where_the_owner_shares_them(world: World) -> None:
    person = Person.objects.create(
        owner=world.prefecture,
        organisation=world.company,
        name_latin="Ken Mori",
        email="ken@example.org",
        phone="+81552000000",
        visibility=Visibility.PARTNERS,
    )
    url = reverse("directory:person", args=[person.pk])
    assert "ken@example.org" in world.client_for("officer_own").get(url).content.decode()
    assert "ken@example.org" in world.client_for("secretariat").get(url).content.decode()
    partner_page = world.client_for("partner").get(url).content.decode()
    assert "Ken Mori" in partner_page
    assert "ken@example.org" not in partner_page
    assert "+81552000000" not in partner_page


def test_agreement_needs_both_sides_and_an_end_after_the_start(world: World) -> None:
    client = world.client_for("officer_own")
    base = {"kind": "mou", "level": "prefecture_state", "title_en": "MoU", "status": "active",
            "signed_precision": "day", "visibility": "public"}  # fmt: skip
    response = client.post(
        reverse("directory:partnership_create"), {**base, "parties": [world.prefecture.pk]}
    )
    assert "An agreement needs a Japanese and an Indian party." in response.content.decode()
    state = Organisation.objects.create(kind="indian_state", name_en="Goa", country="IN")
    response = client.post(
        reverse("directory:partnership_create"),
        {
            **base,
            "parties": [world.prefecture.pk, state.pk],
            "signed_on": "2026-01-10",
            "valid_until": "2025-01-10",
        },
    )
    assert "The end date must come after the signing date." in response.content.decode()
    assert not Partnership.objects.exists()
    response = client.post(
        reverse("directory:partnership_create"),
        {**base, "parties": [world.prefecture.pk, state.pk], "signed_on": "2026-01-10"},
    )
    partnership = Partnership.objects.get()
    assert partnership.owner == world.prefecture
    assert set(partnership.parties.all()) == {world.prefecture, state}


def test_an_officer_cannot_record_an_agreement_for_another_prefecture(world: World) -> None:
    state = Organisation.objects.create(kind="indian_state", name_en="Goa", country="IN")
    response = world.client_for("officer_own").post(
        reverse("directory:partnership_create"),
        {
            "kind": "mou",
            "level": "prefecture_state",
            "status": "active",
            "signed_precision": "day",
            "visibility": "public",
            "parties": [world.other_prefecture.pk, state.pk],
        },
    )
    assert "Your own prefecture must be one of the parties." in response.content.decode()
    assert not Partnership.objects.exists()


def test_expiry_reminder_goes_once_to_the_owning_officers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    today = date(2026, 11, 29)
    partnership = Partnership.objects.create(
        owner=world.prefecture,
        kind=PartnershipKind.SISTER_STATE,
        title_en="Yamanashi–Goa",
        valid_until=today + timedelta(days=60),
        visibility=Visibility.PUBLIC,
    )
    far = Partnership.objects.create(
        owner=world.prefecture, kind=PartnershipKind.MOU, valid_until=today + timedelta(days=200)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_partnership_reminders(today=today, base_url="http://setu.test") == 1
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    assert "Yamanashi–Goa" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_partnership_reminders(today=today, base_url="http://setu.test") == 0
    assert len(mail.outbox) == 1
    # a renewal moves the end date: the new date is reminded again when it comes near
    partnership.valid_until = today + timedelta(days=80)
    partnership.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_partnership_reminders(today=today, base_url="http://setu.test") == 1
    assert far.expiry_reminder_sent_for is None


def test_a_keeper_whose_name_ends_in_a_full_stop_gets_one_full_stop(world: World) -> None:
    keeper = CompanyFactory.create(
        name_en="Kofu Seiki K.K.", managed_by=world.prefecture, visibility=Visibility.PARTNERS
    )
    person = Person.objects.create(
        owner=keeper, organisation=keeper, name_latin="Aya Ito", visibility=Visibility.PARTNERS
    )
    page = world.client_for("partner").get(reverse("directory:person", args=[person.pk]))
    text = page.content.decode()
    assert "Kept by Kofu Seiki K.K. Ask them" in text
    assert "K.K.." not in text
