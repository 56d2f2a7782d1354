"""Services own the whole write: they set the relations and audit them, from a view or not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import AuditEntry, Visibility
from setu.directory import services as directory
from setu.directory.models import Organisation, OrganisationKind, Partnership, Sector
from setu.directory.tests.factories import OrganisationFactory
from setu.directory.tests.test_views_profiles import _company_form
from setu.library import services as library
from setu.library.models import Announcement, Collection, Document
from setu.library.tests.factories import DocumentFactory

SETU = Path(__file__).resolve().parents[2]


def _python_sources() -> list[Path]:
    return [path for path in SETU.rglob("*.py") if "tests" not in path.relative_to(SETU).parts]


def test_nothing_outside_a_service_saves_relations_and_no_view_opens_a_transaction() -> None:
    saving_relations = [p for p in _python_sources() if "save_m2m" in p.read_text()]
    assert saving_relations == []
    views = [
        path
        for path in _python_sources()
        if path.name.startswith("views") or path.parent.name == "views"
    ]
    assert len(views) > 10
    transactions = [p for p in views if re.search(r"transaction\.atomic", p.read_text())]
    assert transactions == []


# --- the audit log shows relation changes ------------------------------------------------------


def _last(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return entry


@pytest.mark.django_db
def test_editing_an_organisations_sectors_shows_in_the_audit_log(world: World) -> None:
    food, machinery = Sector.objects.get(code="10"), Sector.objects.get(code="28")
    world.company.sectors.set([food])
    client = world.client_for("member")
    response = client.post(
        reverse("directory:organisation_edit", args=[world.company.pk]),
        _company_form(name_en=world.company.name_en, sectors=[food.pk, machinery.pk]),
    )
    assert response.status_code == 302
    assert set(world.company.sectors.all()) == {food, machinery}
    entry = _last("directory.organisation.updated")
    assert entry.changes["sectors"] == [str(food), ", ".join(sorted([str(food), str(machinery)]))]
    page = world.client_for("officer_own").get(reverse("audit_log")).content.decode()
    assert f"{food} → " in page and str(machinery) in page


@pytest.mark.django_db
def test_editing_an_agreements_parties_shows_in_the_audit_log(world: World) -> None:
    goa = OrganisationFactory.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Goa", country="IN"
    )
    kerala = OrganisationFactory.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Kerala", country="IN"
    )
    agreement = Partnership.objects.create(
        owner=world.prefecture, kind="mou", title_en="Goa MoU", visibility=Visibility.PUBLIC
    )
    agreement.parties.set([world.prefecture, goa])
    response = world.client_for("officer_own").post(
        reverse("directory:partnership_edit", args=[agreement.pk]),
        {"kind": "mou", "level": "prefecture_state", "title_en": "Goa MoU", "status": "active",
         "signed_precision": "day", "visibility": "public",
         "parties": [world.prefecture.pk, kerala.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    entry = _last("directory.partnership.updated")
    assert entry.changes["parties"] == ["Goa, Yamanashi", "Kerala, Yamanashi"]


@pytest.mark.django_db
def test_editing_a_documents_related_organisations_shows_in_the_audit_log(world: World) -> None:
    document = DocumentFactory.create(owner=world.prefecture, title_en="Deck")
    document.organisations.set([world.university])
    response = world.client_for("officer_own").post(
        reverse("library:document_edit", args=[document.pk]),
        {"kind": "presentation", "title_en": "Deck", "language": "en",
         "visibility": "consortium", "organisations": [world.partner_org.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(document.organisations.all()) == [world.partner_org]
    entry = _last("library.document.updated")
    assert entry.changes["organisations"] == ["Tottori University", "Mumbai Chamber"]


# --- services called as a command would: the relations are set --------------------------------


@pytest.mark.django_db
def test_organisation_services_set_the_sectors_without_a_view(world: World) -> None:
    food = Sector.objects.get(code="10")
    actor = world.users["officer_own"]
    organisation = directory.organisation_create(
        actor=actor,
        data={"kind": "company", "name_en": "Fuji Foods K.K.", "country": "JP",
              "visibility": "partners", "sectors": [food]},
        managed_by=world.prefecture,
    )  # fmt: skip
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert list(organisation.sectors.all()) == [food]
    assert organisation.managed_by == world.prefecture
    assert _last("directory.organisation.created").changes["sectors"] == [None, str(food)]
    directory.organisation_update(actor=actor, organisation=organisation, data={"sectors": []})
    assert not organisation.sectors.exists()
    assert _last("directory.organisation.updated").changes == {"sectors": [str(food), None]}


@pytest.mark.django_db
def test_partnership_services_set_the_parties_without_a_view(world: World) -> None:
    goa = OrganisationFactory.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Goa", country="IN"
    )
    agreement = directory.partnership_create(
        actor=world.users["officer_own"],
        data={"kind": "mou", "title_en": "Goa MoU", "visibility": "public",
              "parties": [world.prefecture, goa]},
    )  # fmt: skip
    assert agreement.owner == world.prefecture
    assert set(agreement.parties.all()) == {world.prefecture, goa}
    assert _last("directory.partnership.created").changes["parties"] == [None, "Goa, Yamanashi"]


@pytest.mark.django_db
def test_library_services_set_relations_without_a_view(world: World) -> None:
    actor, food = world.users["officer_own"], Sector.objects.get(code="10")
    document = library.document_create(
        actor=actor,
        owner=world.prefecture,
        data={"kind": "presentation", "title_en": "Deck", "language": "en",
              "visibility": "consortium", "organisations": [world.partner_org],
              "sectors": [food]},
        tags=["hydrogen"],
    )  # fmt: skip
    document = Document.objects.get(pk=document.pk)
    assert list(document.organisations.all()) == [world.partner_org]
    assert list(document.sectors.all()) == [food]
    assert [tag.name for tag in document.tags.all()] == ["hydrogen"]
    changes = _last("library.document.created").changes
    assert changes["organisations"] == [None, "Mumbai Chamber"]
    assert changes["tags"] == [None, "hydrogen"]

    collection = library.collection_create(
        actor=actor,
        owner=world.prefecture,
        data={"name_en": "Hydrogen group", "visibility": "consortium",
              "members": [world.university]},
    )  # fmt: skip
    assert list(Collection.objects.get(pk=collection.pk).members.all()) == [world.university]
    library.collection_update(actor=actor, collection=collection, data={"members": []})
    assert _last("library.collection.updated").changes["members"] == ["Tottori University", None]

    announcement = library.announcement_create(
        actor=actor,
        owner=world.prefecture,
        data={"title_en": "Food fair", "body_en": "x", "visibility": "public", "sectors": [food]},
    )
    assert list(Announcement.objects.get(pk=announcement.pk).sectors.all()) == [food]
    assert _last("library.announcement.created").changes["sectors"] == [None, str(food)]
