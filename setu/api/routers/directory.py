"""Organisations, people and agreements, as the directory pages show them to the caller."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from setu.api.auth import caller, reading
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, ListParams, RecordId, text
from setu.core.i18n import CONTENT_LANGUAGES
from setu.directory import selectors
from setu.directory.models import Organisation, Partnership, Person

router = Router(tags=["directory"], auth=reading())


def _sort_name_column() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return f"sort_name_{language if language in CONTENT_LANGUAGES else 'en'}"


# --- organisations ---------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str = Field(description="In the reader's language (Accept-Language), else a fallback.")
    country: str
    region: str | None = Field(None, description="ISO 3166-2 code")
    managed_by: int | None = Field(None, description="The member prefecture managing a company")
    is_sme: bool | None

    @staticmethod
    def resolve_name(obj: Organisation) -> str:
        return obj.display_name

    @staticmethod
    def resolve_region(obj: Organisation) -> str | None:
        return obj.region.code if obj.region is not None else None

    @staticmethod
    def resolve_managed_by(obj: Organisation) -> int | None:
        return obj.managed_by.id if obj.managed_by is not None else None


class OrganisationDetailOut(OrganisationOut):
    name_en: str
    name_ja: str
    name_hi: str
    original_language: str
    visibility: str
    description: str
    city: str | None
    address: str
    website: str
    offers: str
    needs: str
    employees: int | None
    sectors: list[str] = Field(description="ISIC codes")

    @staticmethod
    def resolve_description(obj: Organisation) -> str:
        return obj.description

    @staticmethod
    def resolve_city(obj: Organisation) -> str | None:
        return obj.city.display_name if obj.city is not None else None

    @staticmethod
    def resolve_sectors(obj: Organisation) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]


class OrganisationFilters(ListParams):
    kind: str = ""
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=8)
    ordering: str = Field("name", description="name, -name, id, -id")


# Only indexed columns: a page must not sort every visible row (docs/decisions/0017).
ORGANISATION_ORDERINGS: dict[str, Any] = {"name": _sort_name_column, "id": "id"}

OrganisationPage = page_schema(OrganisationOut, "OrganisationPage")


@router.get(
    "/organisations/",
    response={200: OrganisationPage, **READ_ERRORS},
    url_name="organisations",
    summary="Organisations you may see",
)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    queryset = selectors.organisation_list(
        user=caller(request).user, kind=filters.kind, listed_only=True
    )
    if filters.country:
        queryset = queryset.filter(country=filters.country.upper())
    if filters.region:
        queryset = queryset.filter(region_id=filters.region.upper())
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings=ORGANISATION_ORDERINGS,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/organisations/{id}/",
    response={200: OrganisationDetailOut, **READ_ERRORS},
    url_name="organisation",
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, id: int) -> Organisation:
    return selectors.access_organisation(user=caller(request).user, pk=id)


# --- people ------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name_latin: str
    name_native: str
    title: str
    organisation: int | None = Field(None, description="Null when you may not see it")
    email: str | None = Field(None, description="Only for those who may see contact details")
    phone: str | None = None
    visibility: str


class PersonFilters(ListParams):
    organisation: RecordId | None = None
    ordering: str = Field("id", description="id, -id")


PersonPage = page_schema(PersonOut, "PersonPage")


def _people(request: HttpRequest, people: list[Person]) -> list[dict[str, Any]]:
    """Each person as the API shows them; email and phone as on the person's page
    (``contacts_shown``: a provision abroad is recorded, a withdrawal abroad honoured)."""
    details = selectors.contacts_shown(user=caller(request).user, people=people)
    return [
        {
            "id": person.pk,
            "name_latin": person.name_latin,
            "name_native": person.name_native,
            "title": person.title,
            "organisation": person.organisation_id
            if getattr(person, "organisation_visible", False)
            else None,
            "email": person.email if person.pk in details else None,
            "phone": person.phone if person.pk in details else None,
            "visibility": person.visibility,
        }
        for person in people
    ]


@router.get(
    "/people/",
    response={200: PersonPage, **READ_ERRORS},
    url_name="people",
    summary="Contacts you may see",
)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    queryset = selectors.person_list(user=caller(request).user)
    if filters.organisation is not None:
        queryset = queryset.filter(organisation_id=filters.organisation)
    page = paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"results": _people(request, list(page.results)), "next": page.next}


@router.get(
    "/people/{id}/",
    response={200: PersonOut, **READ_ERRORS},
    url_name="person",
    summary="One contact",
)
def person_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return _people(request, [selectors.access_person(user=caller(request).user, pk=id)])[0]


# --- agreements --------------------------------------------------------------------------


class AgreementOut(Schema):
    id: int
    kind: str
    level: str
    title: str
    status: str
    signed_on: date | None
    valid_until: date | None
    scope: str
    parties: list[int] = Field(description="The parties you may see")
    owner: int
    visibility: str
    source_url: str

    @staticmethod
    def resolve_title(obj: Partnership) -> str:
        return text(obj, "title")

    @staticmethod
    def resolve_parties(obj: Partnership) -> list[int]:
        return [party.pk for party in obj.parties.all()]

    @staticmethod
    def resolve_owner(obj: Partnership) -> int:
        return obj.owner_id


class AgreementFilters(ListParams):
    party: RecordId | None = None
    kind: str = ""
    status: str = ""
    ordering: str = Field("-id", description="id, -id")


AgreementPage = page_schema(AgreementOut, "AgreementPage")


@router.get(
    "/agreements/",
    response={200: AgreementPage, **READ_ERRORS},
    url_name="agreements",
    summary="Agreements (partnerships) you may see",
)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]) -> Any:
    queryset = selectors.partnership_list(user=caller(request).user)
    if filters.party is not None:
        queryset = queryset.filter(parties=filters.party)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/agreements/{id}/",
    response={200: AgreementOut, **READ_ERRORS},
    url_name="agreement",
    summary="One agreement",
)
def agreement_detail(request: HttpRequest, id: int) -> Partnership:
    return selectors.access_partnership(user=caller(request).user, pk=id)
