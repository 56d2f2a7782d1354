"""Pages that name linked records (partners, related organisations, members, targets, an
itinerary's event, a contact's organisation) name only those the reader may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import ItineraryItem
from setu.coordination.tests.factories import MissionFactory
from setu.core.models import Visibility
from setu.directory.models import Organisation, OrganisationKind, Person
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory
from setu.events.models import EventOrganisation, HostRole
from setu.events.tests.factories import EventFactory
from setu.events.tests.test_views_organiser import _event_data
from setu.library.models import Collection
from setu.library.tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db
PRIVATE = Visibility.PRIVATE


def _page(world: World, role: str, url: str) -> str:
    response = world.client_for(role).get(url)
    assert response.status_code == 200, (role, url, response.status_code)
    return response.content.decode()


def _secret_company(world: World) -> Organisation:
    """officer_own's prefecture manages it; nobody else may see it."""
    return CompanyFactory.create(
        name_en="Hidden Works K.K.", managed_by=world.prefecture, visibility=PRIVATE
    )


def test_a_public_event_does_not_name_a_private_partner(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture)
    EventOrganisation.objects.create(
        event=event, organisation=_secret_company(world), role=HostRole.PARTNER
    )
    url = reverse("events:detail", args=[event.pk])
    for role in ("anonymous", "partner", "officer_other"):
        assert "Hidden Works" not in _page(world, role, url)
    assert "Hidden Works" in _page(world, "officer_own", url)


def test_editing_an_event_keeps_a_partner_the_editor_cannot_see(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture)
    hidden = _secret_company(world)
    EventOrganisation.objects.create(event=event, organisation=hidden, role=HostRole.PARTNER)
    url = reverse("events:edit", args=[event.pk])
    assert "Hidden Works" not in _page(world, "secretariat", url)
    data = _event_data(world, title_en="Seminar (new title)", partners=[world.partner_org.pk])
    data.pop("owner")
    response = world.client_for("secretariat").post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Seminar (new title)"
    partners = set(event.links.filter(role=HostRole.PARTNER).values_list("organisation", flat=True))
    assert partners == {hidden.pk, world.partner_org.pk}


def test_a_document_page_names_only_related_organisations_the_reader_may_see(
    world: World,
) -> None:
    document = DocumentFactory.create(owner=world.prefecture, visibility=Visibility.PUBLIC)
    document.organisations.add(_secret_company(world), world.partner_org)
    url = reverse("library:document", args=[document.pk])
    page = _page(world, "partner", url)
    assert "Mumbai Chamber" in page and "Hidden Works" not in page
    assert "Hidden Works" in _page(world, "officer_own", url)


def test_a_collection_page_names_only_members_the_reader_may_see(world: World) -> None:
    collection = Collection.objects.create(
        owner=world.prefecture, name_en="Hydrogen group", visibility=Visibility.PUBLIC
    )
    collection.members.add(_secret_company(world), world.university)
    url = reverse("library:collection", args=[collection.pk])
    page = _page(world, "anonymous", url)
    assert "Tottori University" in page and "Hidden Works" not in page
    assert "Hidden Works" in _page(world, "officer_own", url)


def test_a_mission_page_hides_private_targets_and_itinerary_records(world: World) -> None:
    mission = MissionFactory.create(owner=world.prefecture, visibility=Visibility.CONSORTIUM)
    agency = OrganisationFactory.create(
        kind=OrganisationKind.AGENCY, name_en="Hidden Agency", country="IN",
        managed_by=world.prefecture, visibility=PRIVATE,
    )  # fmt: skip
    mission.targets.add(agency)
    secret_event = EventFactory.create(
        owner=world.prefecture, title_en="Hidden dinner", visibility=PRIVATE
    )
    starts = secret_event.starts_at
    ItineraryItem.objects.create(
        mission=mission, kind="meeting", starts_at=starts, ends_at=starts + timedelta(hours=1),
        title_en="Courtesy call", organisation=agency, event=secret_event,
    )  # fmt: skip
    url = reverse("coordination:mission", args=[mission.pk])
    page = _page(world, "officer_other", url)
    assert "Courtesy call" in page
    assert "Hidden Agency" not in page and "Hidden dinner" not in page
    own = _page(world, "officer_own", url)
    assert "Hidden Agency" in own and "Hidden dinner" in own


def test_a_shared_contact_at_a_private_company_is_shown_without_the_company(
    world: World,
) -> None:
    person = Person.objects.create(
        owner=world.prefecture, organisation=_secret_company(world),
        name_latin="Aiko Mori", visibility=Visibility.PUBLIC,
    )  # fmt: skip
    for url in (reverse("directory:person", args=[person.pk]), reverse("directory:people")):
        page = _page(world, "partner", url)
        assert "Aiko Mori" in page and "Hidden Works" not in page
        assert "Hidden Works" in _page(world, "officer_own", url)


def test_editing_a_collection_keeps_a_member_the_editor_cannot_see(world: World) -> None:
    collection = Collection.objects.create(
        owner=world.prefecture, name_en="Hydrogen group", visibility=Visibility.CONSORTIUM
    )
    agency = OrganisationFactory.create(
        kind=OrganisationKind.AGENCY, name_en="Hidden Agency", country="IN",
        managed_by=world.other_prefecture, visibility=PRIVATE,
    )  # fmt: skip
    collection.members.add(agency)
    url = reverse("library:collection_edit", args=[collection.pk])
    client = world.client_for("officer_own")
    assert "Hidden Agency" not in _page(world, "officer_own", url)
    response = client.post(
        url,
        {"name_en": "Hydrogen working group", "visibility": "consortium",
         "members": [world.university.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    collection.refresh_from_db()
    assert collection.name_en == "Hydrogen working group"
    assert set(collection.members.all()) == {agency, world.university}
