"""Leads (with their stage history) and deals, read under the results app's rule; creating and
moving a lead (scope ``leads:write``) through the same form checks and services as the pages,
so the audit entry and the ``lead.stage_changed`` webhook happen as from the board; and the
KPI figures under the dashboard's rule.

Leads and KPIs are staff records, as on the pages: a member company's, a partner's or a
student's token gets 403; a lead the caller may not read is 404.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from setu.accounts.models import Role, User
from setu.api.auth import caller, reading, writing
from setu.api.errors import ApiError
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, WRITE_ERRORS, ListParams, RecordId
from setu.api.scopes import LEADS_WRITE
from setu.core.access import acting_organisation
from setu.core.principal import principal_for
from setu.directory.models import Organisation, OrganisationKind, Sector
from setu.results import reports, selectors, services
from setu.results.forms import LeadForm
from setu.results.forms_kpi import MAX_DAYS, default_period
from setu.results.kpi import CONSORTIUM, kpi_figures
from setu.results.models import Deal, Lead, StageChange

router = Router(tags=["results"], auth=reading())

StageName = Literal[
    "identified", "contacted", "meeting_held", "proposal", "negotiation", "won", "lost", "dormant"
]
KindName = Literal["trade", "investment", "travel_package"]
# the same, or "" for any (one Literal, so that an error names the parameter alone)
AnyStage = Literal[
    "", "identified", "contacted", "meeting_held", "proposal", "negotiation", "won", "lost",
    "dormant",
]  # fmt: skip
AnyKind = Literal["", "trade", "investment", "travel_package"]


def _staff(user: User) -> User:
    """Leads, deals and KPIs are staff records (``results.view``), as on the pages: 403."""
    if not user.has_perm("results.view"):
        raise PermissionDenied
    return user


def _reader(request: HttpRequest) -> User:
    return _staff(caller(request).user)


# --- leads ---------------------------------------------------------------------------------


class LeadOut(Schema):
    id: int
    kind: str
    title: str
    owner: int = Field(description="The member prefecture that works the lead")
    company: int
    counterpart: int | None
    counterpart_note: str
    sector: str | None = Field(description="ISIC code")
    stage: str
    stage_changed_at: datetime
    expected_value: Decimal | None
    currency: str
    probability: int
    season: str = Field(description="A travel package's season")
    expected_travellers: int | None = Field(description="A travel package's expected travellers")
    travellers_booked: int | None = Field(description="A won travel package's travellers booked")
    next_step: str
    next_step_due: date | None
    origin_kind: str
    origin_event: int | None
    origin_mission: int | None
    visibility: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj: Lead) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_company(obj: Lead) -> int:
        return obj.company_id

    @staticmethod
    def resolve_counterpart(obj: Lead) -> int | None:
        return obj.counterpart_id

    @staticmethod
    def resolve_sector(obj: Lead) -> str | None:
        return obj.sector.code if obj.sector is not None else None

    @staticmethod
    def resolve_origin_event(obj: Lead) -> int | None:
        return obj.origin_event_id

    @staticmethod
    def resolve_origin_mission(obj: Lead) -> int | None:
        return obj.origin_mission_id


class CreditOut(Schema):
    organisation: int
    share: Decimal


class LeadDetailOut(LeadOut):
    notes: str
    credits: list[CreditOut]

    @staticmethod
    def resolve_credits(obj: Lead) -> list[dict[str, Any]]:
        return [
            {"organisation": credit.organisation_id, "share": credit.share}
            for credit in obj.credits.all()
        ]


class LeadFilters(ListParams):
    stage: AnyStage = ""
    kind: AnyKind = ""
    sector: RecordId | None = Field(None, description="A sector's id")
    owner: RecordId | None = Field(None, description="A member prefecture's id")
    overdue: bool = Field(False, description="Open leads whose next step is overdue")
    q: str = Field("", max_length=100)
    ordering: str = Field("-updated_at", description="updated_at, -updated_at, id, -id")


LeadPage = page_schema(LeadOut, "LeadPage")


@router.get(
    "/leads/",
    response={200: LeadPage, **READ_ERRORS},
    url_name="leads",
    summary="Leads you may read (staff)",
)
def lead_list(request: HttpRequest, filters: Query[LeadFilters]) -> Any:
    queryset = selectors.lead_list(
        user=_reader(request),
        owner=filters.owner,
        stage=filters.stage,
        kind=filters.kind,
        sector=filters.sector,
        overdue=filters.overdue,
        q=filters.q,
    )
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"updated_at": "updated_at", "id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/leads/{id}/",
    response={200: LeadDetailOut, **READ_ERRORS},
    url_name="lead",
    summary="One lead, with its credits",
)
def lead_detail(request: HttpRequest, id: int) -> Lead:
    return selectors.lead_page(_reader(request), id)


class LeadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindName
    title: str = Field(max_length=200)
    company: RecordId = Field(description="An organisation you may see")
    counterpart: RecordId | None = None
    counterpart_note: str = Field("", max_length=300)
    sector: RecordId | None = Field(None, description="A sector's id")
    expected_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: Literal["JPY", "INR", "USD", "EUR"] = "JPY"
    probability: int = Field(10, ge=0, le=100)
    season: str = Field("", max_length=100, description="For a travel package")
    expected_travellers: int | None = Field(None, ge=0, description="For a travel package")
    travellers_booked: int | None = Field(None, ge=0, description="For a travel package")
    next_step: str = Field("", max_length=300)
    next_step_due: date | None = None
    notes: str = Field("", max_length=10_000)
    visibility: Literal["private", "consortium", "partners", "public"] = "private"
    owner: RecordId | None = Field(
        None, description="One of your prefectures; without: the one you act for"
    )


def _refuse(status: int, field: str, message: str) -> ApiError:
    return ApiError(status, message, errors=[(field, message)])


def _owner(user: User, pk: int | None) -> Organisation:
    """The prefecture the new lead belongs to: one the caller is an officer of."""
    if pk is None:
        owner = acting_organisation(user, roles={Role.PREFECTURE_OFFICER})
        if owner is None:
            raise PermissionDenied
        return owner
    owner = (
        Organisation.objects.filter(pk=pk, kind=OrganisationKind.MEMBER_PREFECTURE).first()
        if pk in principal_for(user).officer_org_ids
        else None
    )
    if owner is None:
        raise _refuse(400, "body.owner", _("You are not an officer of that prefecture."))
    return owner


def _form_data(data: LeadIn) -> dict[str, str]:
    """The body as the page's form would post it (a lead entered by hand)."""
    values = data.model_dump(exclude={"owner"})
    posted = {name: "" if value is None else str(value) for name, value in values.items()}
    return {**posted, "origin_kind": "manual"}


@router.post(
    "/leads/",
    response={201: LeadDetailOut, **WRITE_ERRORS},
    auth=writing(LEADS_WRITE),
    url_name="leads",
    summary="Create a lead for your prefecture (entered by hand)",
)
def lead_create(request: HttpRequest, data: LeadIn) -> Any:
    user = caller(request).user
    if not user.has_perm("results.add_lead"):
        raise PermissionDenied
    owner = _owner(user, data.owner)
    # the page's form decides what may be chosen (companies the caller may see, …)
    form = LeadForm(_form_data(data), user=user)
    if not form.is_valid():
        errors = [
            (f"body.{name}" if name != "__all__" else "body", str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ApiError(422, _("The request has errors: see each field."), errors=errors)
    lead = services.lead_create(actor=user, owner=owner, data=form.cleaned_data)
    return Status(201, selectors.lead_page(user, lead.pk))


# --- moves: a lead's stage history, and moving it --------------------------------------------


class MoveOut(Schema):
    id: int
    lead: int
    from_stage: str = Field(description="Empty for the lead's creation")
    to_stage: str
    reason: str
    at: datetime
    by: int | None = Field(description="The person who moved it")
    backwards: bool

    @staticmethod
    def resolve_lead(obj: StageChange) -> int:
        return obj.lead_id

    @staticmethod
    def resolve_by(obj: StageChange) -> int | None:
        return obj.by_id

    @staticmethod
    def resolve_backwards(obj: StageChange) -> bool:
        return obj.is_backwards


class MoveFilters(ListParams):
    ordering: str = Field("id", description="id, -id (the order they happened in)")


MovePage = page_schema(MoveOut, "MovePage")


def _moves(lead: Lead) -> QuerySet[StageChange]:
    return StageChange.objects.filter(lead=lead)


@router.get(
    "/leads/{id}/moves/",
    response={200: MovePage, **READ_ERRORS},
    url_name="lead_moves",
    summary="A lead's stage history, its creation first",
)
def move_list(request: HttpRequest, id: int, filters: Query[MoveFilters]) -> Any:
    lead = selectors.access_lead(_reader(request), id)
    return paginate(
        _moves(lead),
        ordering=filters.ordering,
        orderings={"id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: StageName
    reason: str = Field(
        "", max_length=1000, description="Needed when the lead moves back, or out of “won”"
    )


@router.post(
    "/leads/{id}/moves/",
    response={201: MoveOut, **WRITE_ERRORS},
    auth=writing(LEADS_WRITE),
    url_name="lead_moves",
    summary="Move a lead to another stage (a reason when it goes back)",
)
def move_create(request: HttpRequest, id: int, data: MoveIn) -> Any:
    user = caller(request).user
    lead = selectors.access_lead(_staff(user), id)
    if not user.has_perm("results.change_lead", lead):
        raise PermissionDenied
    moved = services.lead_move(lead=lead, actor=user, to_stage=data.to_stage, reason=data.reason)
    return Status(201, _moves(moved).order_by("-id").first())


# --- deals ---------------------------------------------------------------------------------


class DealOut(Schema):
    id: int
    lead: int
    kind: str = Field(description="The lead's kind: trade or investment")
    owner: int = Field(description="The lead's member prefecture")
    value: Decimal
    currency: str
    closed_on: date
    investment_amount: Decimal | None
    jobs_planned: int | None
    site: str
    created_at: datetime

    @staticmethod
    def resolve_lead(obj: Deal) -> int:
        return obj.lead_id

    @staticmethod
    def resolve_kind(obj: Deal) -> str:
        return obj.lead.kind

    @staticmethod
    def resolve_owner(obj: Deal) -> int:
        return obj.lead.owner_id


class DealFilters(ListParams):
    kind: AnyKind = ""
    owner: RecordId | None = Field(None, description="A member prefecture's id")
    ordering: str = Field("-id", description="id, -id, closed_on, -closed_on")


DealPage = page_schema(DealOut, "DealPage")


def _deals(user: User, *, owner: int | None = None, kind: str = "") -> QuerySet[Deal]:
    """The deals of the leads ``user`` may read."""
    leads = selectors.lead_list(user=user, owner=owner, kind=kind)
    return Deal.objects.filter(lead__in=leads.values("pk")).select_related("lead")


@router.get(
    "/deals/",
    response={200: DealPage, **READ_ERRORS},
    url_name="deals",
    summary="Deals of the leads you may read (staff)",
)
def deal_list(request: HttpRequest, filters: Query[DealFilters]) -> Any:
    return paginate(
        _deals(_reader(request), owner=filters.owner, kind=filters.kind),
        ordering=filters.ordering,
        orderings={"id": "id", "closed_on": "closed_on"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/deals/{id}/",
    response={200: DealOut, **READ_ERRORS},
    url_name="deal",
    summary="One deal",
)
def deal_detail(request: HttpRequest, id: int) -> Deal:
    deal = _deals(_reader(request)).filter(pk=id).first()
    if deal is None:
        raise Http404
    return deal


# --- KPIs ----------------------------------------------------------------------------------


class KpiParams(Schema):
    member: str = Field(
        "",
        max_length=20,
        description="A member prefecture's region code (JP-22) or `consortium`; without: "
        "your prefecture (the consortium for the secretariat), as on the dashboard",
    )
    start: date | None = Field(None, alias="from", description="First day; default a year ago")
    end: date | None = Field(None, alias="to", description="Last day, inclusive; default today")
    sector: str = Field("", max_length=10, description="An ISIC code (its sub-sectors too)")


def _kpi_member(user: User, code: str) -> Organisation | None:
    """The member named by ``code`` (None: the consortium); 403 unless the dashboard lets
    ``user`` open it, as the page does."""
    if not code:
        mine = reports.kpi_members(user=user)
        code = (
            CONSORTIUM if principal_for(user).is_secretariat or not mine else str(mine[0].region_id)
        )
    member = None
    if code != CONSORTIUM:
        member = (
            Organisation.objects.filter(region_id=code, kind=OrganisationKind.MEMBER_PREFECTURE)
            .order_by("pk")
            .first()
        )
        if member is None:
            raise _refuse(
                400,
                "query.member",
                _("Give a member prefecture's region code (such as JP-22) or consortium."),
            )
    if not reports.may_read_kpis(user, member):
        raise PermissionDenied
    return member


@router.get(
    "/kpis/",
    response={200: dict[str, Any], **READ_ERRORS},
    url_name="kpis",
    summary="KPI figures of a member prefecture or of the consortium (staff)",
    description="The same figures as the KPI dashboard and `manage.py kpi_report --format "
    "json`, counting what you may read.",
)
def kpi_list(request: HttpRequest, params: Query[KpiParams]) -> dict[str, Any]:
    user = _reader(request)
    member = _kpi_member(user, params.member)
    first, last = default_period()
    start, end = params.start or first, params.end or last
    if end < start:
        raise _refuse(400, "query.to", _("The last day comes before the first."))
    if (end - start).days > MAX_DAYS:
        raise _refuse(400, "query.to", _("Choose a period of ten years at most."))
    sector = None
    if params.sector:
        sector = Sector.objects.filter(code=params.sector).first()
        if sector is None:
            raise _refuse(400, "query.sector", _("No sector has this code."))
    return kpi_figures(member=member, start=start, end=end, sector=sector, user=user)
