"""Personal data shown to an organisation in the other country is a provision abroad (APPI
Art. 28): recorded once per recipient, person and day, listed on the person's privacy page,
and, for directory contacts, withheld abroad once the person withdrew sharing abroad."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.accounts.models import Role, User
from setu.accounts.tests.factories import UserFactory, add_membership, enrol_totp
from setu.api.scopes import READ
from setu.api.tests.support import ApiClient, token_for
from setu.conftest import World
from setu.core.models import AuditEntry, Visibility
from setu.directory.models import Organisation, OrganisationKind, Person
from setu.directory.tests.factories import OrganisationFactory
from setu.exchanges import services as exchange_services
from setu.exchanges.tests.factories import application_data, make_programme, make_round
from setu.privacy.consent import consent_give, consent_withdraw
from setu.privacy.models import Provision, Purpose

pytestmark = pytest.mark.django_db


def _indian_officer() -> tuple[User, Organisation, Client]:
    state = OrganisationFactory.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Karnataka Trade Office", country="IN",
        region_id="IN-KA", visibility=Visibility.PUBLIC,
    )  # fmt: skip
    officer = UserFactory.create(email="officer.ka@example.in", full_name="Ka Officer")
    add_membership(officer, state, Role.PREFECTURE_OFFICER)
    enrol_totp(officer)
    client = Client()
    client.force_login(officer)
    return officer, state, client


def _japanese_contact(world: World, *, user: bool = True) -> tuple[Person, User | None]:
    person = Person.objects.create(
        organisation=world.prefecture, owner=world.prefecture, visibility=Visibility.CONSORTIUM,
        name_latin="Aoi Tanaka", email="aoi.tanaka@example.jp", phone="+81552371111",
    )  # fmt: skip
    account = UserFactory.create(email="aoi.tanaka@example.jp", language="ja") if user else None
    return person, account


def _portal(account: User) -> str:
    client = Client()
    client.force_login(account)
    return client.get(reverse("privacy:portal")).content.decode()


def test_a_contact_seen_from_india_is_a_provision_listed_in_the_persons_portal(
    world: World, django_assert_max_num_queries: Any
) -> None:
    person, account = _japanese_contact(world)
    assert account is not None
    _officer, state, client = _indian_officer()
    url = reverse("directory:person", args=[person.pk])

    # the first view of the day writes the provision and its audit entry
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "aoi.tanaka@example.jp" in page  # never answered: not hidden
    (provision,) = Provision.objects.filter(user=account)
    assert provision.recipient == state
    assert provision.country == "IN"
    assert provision.consent is None
    assert AuditEntry.objects.filter(action="privacy.provision.recorded").count() == 1
    portal = _portal(account)
    assert "Karnataka Trade Office" in portal
    assert provision.what in portal

    # a reload the same day adds no row; it costs four reads more than the page at home (6):
    # the reader's organisations abroad, the person's account, their ledger lines, today's rows
    with django_assert_max_num_queries(10):
        again = client.get(url)
    assert "aoi.tanaka@example.jp" in again.content.decode()
    assert Provision.objects.filter(user=account).count() == 1


def test_a_withdrawal_hides_the_contact_abroad_on_the_next_request_but_not_at_home(
    world: World,
) -> None:
    person, account = _japanese_contact(world)
    assert account is not None
    _officer, state, client = _indian_officer()
    url = reverse("directory:person", args=[person.pk])
    assert "aoi.tanaka@example.jp" in client.get(url).content.decode()

    consent_withdraw(subject=account, purpose=Purpose.ABROAD, actor=account)

    abroad = client.get(url).content.decode()
    assert "aoi.tanaka@example.jp" not in abroad
    assert "+81552371111" not in abroad
    assert "Ask them to introduce you" in abroad  # what readers who may not see them read
    at_home = world.client_for("officer_other").get(url).content.decode()
    assert "aoi.tanaka@example.jp" in at_home
    assert Provision.objects.filter(user=account).count() == 1  # nothing more was provided

    # agreeing again, naming the recipient, shows it again and the provision cites it
    given = consent_give(
        subject=account, purpose=Purpose.ABROAD, actor=account, recipient=state,
        regime="DPDP Act 2023",
    )  # fmt: skip
    assert "aoi.tanaka@example.jp" in client.get(url).content.decode()
    assert Provision.objects.filter(user=account).count() == 1  # same day: no new row
    assert given.recipient == state


def test_a_contact_who_is_not_a_setu_user_is_shown_and_nothing_is_recorded(
    world: World,
) -> None:
    person, _account = _japanese_contact(world, user=False)
    _officer, _state, client = _indian_officer()
    page = client.get(reverse("directory:person", args=[person.pk])).content.decode()
    assert "aoi.tanaka@example.jp" in page
    assert not Provision.objects.exists()


def test_a_contact_seen_at_home_is_no_provision(world: World) -> None:
    person, account = _japanese_contact(world)
    page = world.client_for("officer_other").get(reverse("directory:person", args=[person.pk]))
    assert "aoi.tanaka@example.jp" in page.content.decode()
    assert not Provision.objects.filter(user=account).exists()


def _more_japanese_contacts(world: World, names: list[str]) -> list[User]:
    accounts = []
    for name in names:
        email = f"{name}@example.jp"
        Person.objects.create(
            organisation=world.prefecture, owner=world.prefecture,
            visibility=Visibility.CONSORTIUM, name_latin=name.title(), email=email,
            phone="+81552370000",
        )  # fmt: skip
        accounts.append(UserFactory.create(email=email, language="ja"))
    return accounts


def _api_emails(api: ApiClient) -> set[str]:
    response = api.get("/api/v1/people/", {"limit": 50})
    assert response.status_code == 200
    return {row["email"] for row in response.json()["results"] if row["email"]}


def _export_emails(client: Client) -> set[str]:
    response = client.get(
        reverse("directory:people_export"), {"format": "csv", "columns": "name_latin,email"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return {row[1] for row in csv.reader(io.StringIO(text)) if "@" in row[1]}


def test_the_api_and_the_export_record_provisions_abroad_in_fixed_queries(world: World) -> None:
    (first,) = _more_japanese_contacts(world, ["hana"])
    officer, state, _client = _indian_officer()
    api = ApiClient(token_for(officer, [READ]))
    assert "hana@example.jp" in _api_emails(api)  # never answered: shown
    provision = Provision.objects.get(user=first)
    assert (provision.recipient, provision.country) == (state, "IN")
    assert provision.what == "名簿の勤務先メールアドレスと電話番号"  # in the person's language
    assert AuditEntry.objects.filter(action="privacy.provision.recorded").count() == 1

    # a page's cost does not grow with its rows: one page of one, then one of four
    with CaptureQueriesContext(connection) as one:
        _api_emails(api)
    more = _more_japanese_contacts(world, ["kaito", "mei", "sora"])
    _api_emails(api)  # records the three new provisions
    assert Provision.objects.filter(user__in=more).count() == 3
    with CaptureQueriesContext(connection) as four:
        assert len(_api_emails(api)) == 4
    assert len(four.captured_queries) == len(one.captured_queries) > 0

    # the export, read from India, records no second row the same day
    export_client = Client()
    export_client.force_login(officer)
    assert len(_export_emails(export_client)) == 4
    assert Provision.objects.count() == 4


def test_the_api_and_the_export_honour_a_withdrawal_abroad_but_not_at_home(
    world: World,
) -> None:
    hana, kaito = _more_japanese_contacts(world, ["hana", "kaito"])
    officer, _state, client = _indian_officer()
    consent_withdraw(subject=hana, purpose=Purpose.ABROAD, actor=hana)

    assert _api_emails(ApiClient(token_for(officer, [READ]))) == {"kaito@example.jp"}
    assert _export_emails(client) == {"kaito@example.jp"}
    assert not Provision.objects.filter(user=hana).exists()
    assert Provision.objects.filter(user=kaito).count() == 1

    # at home the withdrawal changes nothing and nothing is a provision
    home_api = ApiClient(token_for(world.users["officer_other"], [READ]))
    assert {"hana@example.jp", "kaito@example.jp"} <= _api_emails(home_api)
    assert {"hana@example.jp", "kaito@example.jp"} <= _export_emails(
        world.client_for("officer_other")
    )
    assert not Provision.objects.filter(user=hana).exists()


def test_a_japanese_host_opening_an_indian_students_application_is_a_provision(
    world: World,
) -> None:
    school = OrganisationFactory.create(
        kind=OrganisationKind.ACADEMIC, name_en="Pune College", country="IN", region_id="IN-MH"
    )
    student = UserFactory.create(email="priya@example.in", full_name="Priya", language="hi")
    add_membership(student, school, Role.STUDENT)
    round_ = make_round(world)
    application = exchange_services.application_create(
        actor=student, round_=round_, data=application_data(),
        programmes=[make_programme(world, round_)],
    )  # fmt: skip
    basis = consent_give(subject=student, purpose=Purpose.EXCHANGES, actor=student)

    officer = world.client_for("officer_own")
    assert officer.get(application.get_absolute_url()).status_code == 200
    assert officer.get(application.get_absolute_url()).status_code == 200
    (provision,) = Provision.objects.filter(user=student)
    assert provision.recipient == world.prefecture
    assert provision.country == "JP"
    assert provision.consent == basis  # it rests on the consent to the application
    assert "Summer exchange" in provision.what
    assert "Summer exchange" in _portal(student)

    # the student opening their own application provides nothing
    own = Client()
    own.force_login(student)
    assert own.get(application.get_absolute_url()).status_code == 200
    assert Provision.objects.filter(user=student).count() == 1
