"""Matchmaking as a participant sees it: one's own profiles, meeting requests and agenda, and
answering a request (scope ``matchmaking:write``) through the same service as the page."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from setu.accounts.models import User
from setu.api.auth import caller, reading, writing
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, WRITE_ERRORS, ListParams, RecordId
from setu.api.scopes import MATCHMAKING_WRITE
from setu.core.principal import principal_for
from setu.events import selectors as event_selectors
from setu.matchmaking.models import Meeting, MeetingRequest, Participant, RunStatus
from setu.matchmaking.selectors.access import access_matchmaking, participant_for
from setu.matchmaking.services.requests import request_answer

router = Router(tags=["matchmaking"], auth=reading())


def _my_participants(user: User) -> QuerySet[Participant]:
    """The participants the user speaks for (their organisations'), at events they may see."""
    visible = event_selectors.event_list(user=user, filters=event_selectors.EventFilters(when=""))
    return Participant.objects.filter(
        organisation_id__in=principal_for(user).org_ids,
        matchmaking__event__in=visible.values("pk"),
    )


# --- profiles ------------------------------------------------------------------------------


class ProfileOut(Schema):
    id: int
    event: int
    organisation: int
    side: str
    offers: str
    needs: str
    sectors: list[str] = Field(description="ISIC codes")
    languages: list[str]
    mode: str
    needs_interpreter: bool
    active: bool

    @staticmethod
    def resolve_event(obj: Participant) -> int:
        return obj.matchmaking.event_id

    @staticmethod
    def resolve_organisation(obj: Participant) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_sectors(obj: Participant) -> list[str]:
        return [sector.code for sector in obj.sectors.all()]

    @staticmethod
    def resolve_languages(obj: Participant) -> list[str]:
        return [code for code in obj.languages.split(",") if code]


ProfilePage = page_schema(ProfileOut, "ProfilePage")


class ProfileFilters(ListParams):
    event: RecordId | None = None
    ordering: str = Field("id", description="id, -id")


def _profiles(user: User) -> QuerySet[Participant]:
    return _my_participants(user).select_related("matchmaking").prefetch_related("sectors")


@router.get(
    "/matchmaking-profiles/",
    response={200: ProfilePage, **READ_ERRORS},
    url_name="matchmaking_profiles",
    summary="Your organisations' matchmaking profiles",
)
def profile_list(request: HttpRequest, filters: Query[ProfileFilters]) -> Any:
    queryset = _profiles(caller(request).user)
    if filters.event is not None:
        queryset = queryset.filter(matchmaking__event_id=filters.event)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"id": "id"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/matchmaking-profiles/{id}/",
    response={200: ProfileOut, **READ_ERRORS},
    url_name="matchmaking_profile",
    summary="One of your matchmaking profiles",
)
def profile_detail(request: HttpRequest, id: int) -> Participant:
    participant = _profiles(caller(request).user).filter(pk=id).first()
    if participant is None:
        raise Http404
    return participant


# --- meeting requests ----------------------------------------------------------------------


class MeetingRequestOut(Schema):
    id: int
    event: int
    requester: int = Field(description="The requesting participant's organisation")
    recipient: int = Field(description="The asked participant's organisation")
    direction: Literal["sent", "received"]
    status: str
    message: str
    answer: str
    priority: int
    created_at: datetime
    answered_at: datetime | None


def _request(obj: MeetingRequest, mine: set[int]) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "event": obj.matchmaking.event_id,
        "requester": obj.requester.organisation_id,
        "recipient": obj.recipient.organisation_id,
        "direction": "sent" if obj.requester_id in mine else "received",
        "status": obj.status,
        "message": obj.message,
        "answer": obj.answer,
        "priority": obj.priority,
        "created_at": obj.created_at,
        "answered_at": obj.answered_at,
    }


def _requests(user: User) -> tuple[QuerySet[MeetingRequest], set[int]]:
    mine = set(_my_participants(user).values_list("pk", flat=True))
    queryset = MeetingRequest.objects.filter(
        Q(requester_id__in=mine) | Q(recipient_id__in=mine)
    ).select_related("matchmaking", "requester", "recipient")
    return queryset, mine


class MeetingRequestFilters(ListParams):
    event: RecordId | None = None
    status: str = ""
    direction: Literal["sent", "received", ""] = ""
    ordering: str = Field("-created_at", description="created_at, -created_at")


MeetingRequestPage = page_schema(MeetingRequestOut, "MeetingRequestPage")


@router.get(
    "/meeting-requests/",
    response={200: MeetingRequestPage, **READ_ERRORS},
    url_name="meeting_requests",
    summary="Meeting requests your organisations sent or received",
)
def meeting_request_list(request: HttpRequest, filters: Query[MeetingRequestFilters]) -> Any:
    queryset, mine = _requests(caller(request).user)
    if filters.event is not None:
        queryset = queryset.filter(matchmaking__event_id=filters.event)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.direction == "sent":
        queryset = queryset.filter(requester_id__in=mine)
    elif filters.direction == "received":
        queryset = queryset.filter(recipient_id__in=mine)
    page = paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"created_at": "created_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"results": [_request(row, mine) for row in page.results], "next": page.next}


def _one_request(user: User, pk: int) -> tuple[MeetingRequest, set[int]]:
    queryset, mine = _requests(user)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found, mine


@router.get(
    "/meeting-requests/{id}/",
    response={200: MeetingRequestOut, **READ_ERRORS},
    url_name="meeting_request",
    summary="One meeting request",
)
def meeting_request_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    found, mine = _one_request(caller(request).user, id)
    return _request(found, mine)


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["accepted", "declined"]
    answer: str = Field("", max_length=1000, description="A word for the requester")


@router.patch(
    "/meeting-requests/{id}/",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=writing(MATCHMAKING_WRITE),
    url_name="meeting_request",
    summary="Answer a meeting request addressed to you",
)
def meeting_request_answer(request: HttpRequest, id: int, data: AnswerIn) -> dict[str, Any]:
    user = caller(request).user
    found, mine = _one_request(user, id)
    matchmaking = access_matchmaking(user=user, event_pk=found.matchmaking.event_id)
    me = participant_for(user=user, matchmaking=matchmaking)
    if me is None:
        raise Http404
    answered = request_answer(
        meeting_request=found,
        participant=me,
        actor=user,
        accept=data.status == "accepted",
        answer=data.answer,
    )
    return _request(answered, mine)


# --- the agenda ----------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    event: int
    request: int
    starts_at: datetime
    ends_at: datetime
    table: int
    online: bool
    with_organisation: int = Field(description="The other side's organisation")
    outcome: str


class MeetingFilters(ListParams):
    event: RecordId | None = None
    ordering: str = Field("starts_at", description="starts_at, -starts_at")


MeetingPage = page_schema(MeetingOut, "MeetingPage")


@router.get(
    "/meetings/",
    response={200: MeetingPage, **READ_ERRORS},
    url_name="meetings",
    summary="Your agenda: meetings on published schedules",
)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    mine = set(_my_participants(caller(request).user).values_list("pk", flat=True))
    queryset = (
        Meeting.objects.filter(run__status=RunStatus.PUBLISHED)
        .filter(Q(request__requester_id__in=mine) | Q(request__recipient_id__in=mine))
        .select_related("slot", "run__matchmaking", "request__requester", "request__recipient")
    )
    if filters.event is not None:
        queryset = queryset.filter(run__matchmaking__event_id=filters.event)
    page = paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"starts_at": "slot__starts_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )
    rows = [
        {
            "id": meeting.pk,
            "event": meeting.run.matchmaking.event_id,
            "request": meeting.request_id,
            "starts_at": meeting.slot.starts_at,
            "ends_at": meeting.slot.ends_at,
            "table": meeting.table,
            "online": meeting.online,
            "with_organisation": (
                meeting.request.recipient.organisation_id
                if meeting.request.requester_id in mine
                else meeting.request.requester.organisation_id
            ),
            "outcome": meeting.outcome,
        }
        for meeting in page.results
    ]
    return {"results": rows, "next": page.next}
