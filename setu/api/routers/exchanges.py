"""Exchange programmes under the exchanges app's rule, and a student's own applications.

Nothing here names an applicant: a programme says what it offers, never who applied, and the
applications are only ever the caller's own (a coordinator or reviewer reads the others on the
pages, where minors' details are guarded).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from setu.accounts.models import User
from setu.api.auth import caller, reading
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, ListParams, RecordId
from setu.exchanges import selectors
from setu.exchanges.models import Application, Choice, Outcome, Programme, RunStatus

router = Router(tags=["exchanges"], auth=reading())


# --- programmes ----------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    round: int
    title: str = Field(description="In the reader's language (Accept-Language), else a fallback.")
    description: str
    owner: int
    host: int = Field(description="The host institution")
    partner: int | None = Field(description="The partner institution")
    starts_on: date
    ends_on: date
    places: int
    level: str
    min_age: int | None
    max_age: int | None
    language: str = Field(description="The language of study")
    min_language_level: int = Field(
        description="JLPT for Japanese (1 = N5 … 5 = N1), CEFR for English and Hindi (1 = A1 …)"
    )
    fee_amount: Decimal
    fee_currency: str
    scholarship: str
    criteria: str
    opens_on: date = Field(description="Applications open")
    closes_on: date = Field(description="Applications close")
    open: bool = Field(description="Taking applications today")
    visibility: str

    @staticmethod
    def resolve_round(obj: Programme) -> int:
        return obj.round_id

    @staticmethod
    def resolve_title(obj: Programme) -> str:
        return obj.display_title

    @staticmethod
    def resolve_owner(obj: Programme) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_host(obj: Programme) -> int:
        return obj.host_id

    @staticmethod
    def resolve_partner(obj: Programme) -> int | None:
        return obj.partner_id

    @staticmethod
    def resolve_open(obj: Programme) -> bool:
        return obj.is_open(timezone.localdate())


class ProgrammeFilters(ListParams):
    round: RecordId | None = None
    language: Literal["ja", "en", "hi", ""] = ""
    level: Literal["high_school", "undergraduate", "postgraduate", ""] = ""
    open: bool | None = Field(None, description="true: taking applications today")
    ordering: str = Field("starts_on", description="starts_on, -starts_on, id, -id")


ProgrammePage = page_schema(ProgrammeOut, "ProgrammePage")


@router.get(
    "/programmes/",
    response={200: ProgrammePage, **READ_ERRORS},
    url_name="programmes",
    summary="Exchange programmes you may see",
)
def programme_list(request: HttpRequest, filters: Query[ProgrammeFilters]) -> Any:
    queryset = selectors.programme_list(user=caller(request).user)
    if filters.round is not None:
        queryset = queryset.filter(round_id=filters.round)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.open is not None:
        today = timezone.localdate()
        taking = {"opens_on__lte": today, "closes_on__gte": today}
        queryset = queryset.filter(**taking) if filters.open else queryset.exclude(**taking)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"starts_on": "starts_on", "id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/programmes/{id}/",
    response={200: ProgrammeOut, **READ_ERRORS},
    url_name="programme",
    summary="One exchange programme",
)
def programme_detail(request: HttpRequest, id: int) -> Programme:
    return selectors.access_programme(user=caller(request).user, pk=id)


# --- one's own applications ----------------------------------------------------------------


class ChoiceOut(Schema):
    rank: int = Field(description="1 = first choice")
    programme: int
    programme_title: str


class ApplicationOut(Schema):
    id: int
    round: int
    round_title: str
    status: str
    level: str
    created_at: datetime
    withdrawn_at: datetime | None
    choices: list[ChoiceOut]
    placed_on: int | None = Field(description="The programme of the published placement")


def _own(user: User) -> QuerySet[Application]:
    """The caller's own applications (the selector's others are coordinators' and reviewers')."""
    choices = Choice.objects.select_related("programme").order_by("rank")
    return (
        selectors.application_list(user=user)
        .filter(student_id=user.pk)
        .prefetch_related(Prefetch("choices", queryset=choices))
    )


def _placements(applications: list[Application]) -> dict[int, int]:
    """Each application's programme in its round's published placement, in one query."""
    return dict(
        Outcome.objects.filter(
            application__in=[a.pk for a in applications],
            run__status=RunStatus.PUBLISHED,
            programme__isnull=False,
        ).values_list("application_id", "programme_id")
    )


def _application(obj: Application, placements: dict[int, int]) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "round": obj.round_id,
        "round_title": obj.round.display_title,
        "status": obj.status,
        "level": obj.level,
        "created_at": obj.created_at,
        "withdrawn_at": obj.withdrawn_at,
        "choices": [
            {
                "rank": choice.rank,
                "programme": choice.programme_id,
                "programme_title": choice.programme.display_title,
            }
            for choice in obj.choices.all()
        ],
        "placed_on": placements.get(obj.pk),
    }


class ApplicationFilters(ListParams):
    ordering: str = Field("-created_at", description="created_at, -created_at")


ApplicationPage = page_schema(ApplicationOut, "ApplicationPage")


@router.get(
    "/applications/",
    response={200: ApplicationPage, **READ_ERRORS},
    url_name="applications",
    summary="Your own exchange applications",
)
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]) -> Any:
    page = paginate(
        _own(caller(request).user),
        ordering=filters.ordering,
        orderings={"created_at": "created_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )
    placements = _placements(page.results)
    return {"results": [_application(row, placements) for row in page.results], "next": page.next}


@router.get(
    "/applications/{id}/",
    response={200: ApplicationOut, **READ_ERRORS},
    url_name="application",
    summary="One of your exchange applications",
)
def application_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    found = _own(caller(request).user).filter(pk=id).first()
    if found is None:
        raise Http404
    return _application(found, _placements([found]))
