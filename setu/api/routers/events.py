"""Events and their sessions; registrations: one's own, an event's for its organisers, and
registering oneself (scope ``events:write``) through the same service as the page."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from setu.accounts.models import User
from setu.api.auth import caller, reading, writing
from setu.api.errors import ApiError
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, WRITE_ERRORS, ListParams, RecordId, text
from setu.api.scopes import EVENTS_WRITE
from setu.core.principal import principal_for
from setu.directory.models import Organisation
from setu.events import registration as registering
from setu.events import selectors
from setu.events.models import Event, Registration, Session, TicketCategory

router = Router(tags=["events"], auth=reading())


# --- events --------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    kind: str
    title: str = Field(description="In the reader's language (Accept-Language), else a fallback.")
    summary: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The venue's IANA time zone")
    city: str | None
    venue: str
    online: bool
    languages: list[str]
    capacity: int | None
    host: int = Field(description="The lead host organisation")
    visibility: str

    @staticmethod
    def resolve_title(obj: Event) -> str:
        return obj.display_title

    @staticmethod
    def resolve_summary(obj: Event) -> str:
        return text(obj, "summary")

    @staticmethod
    def resolve_time_zone(obj: Event) -> str:
        return obj.venue_zone

    @staticmethod
    def resolve_city(obj: Event) -> str | None:
        return obj.city.display_name if obj.city is not None else None

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        return obj.is_online

    @staticmethod
    def resolve_languages(obj: Event) -> list[str]:
        return obj.language_codes

    @staticmethod
    def resolve_host(obj: Event) -> int:
        return obj.owner_id


class EventDetailOut(EventOut):
    description: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    requires_approval: bool

    @staticmethod
    def resolve_description(obj: Event) -> str:
        return text(obj, "description")


class EventFilters(ListParams):
    when: Literal["upcoming", "past", "all"] = "upcoming"
    kind: str = ""
    city: str = Field("", max_length=40, description="A city key, e.g. mumbai")
    host: RecordId | None = Field(None, description="A member prefecture's id (lead or co-host)")
    language: str = Field("", max_length=8)
    q: str = Field("", max_length=100)
    ordering: str = Field("starts_at", description="starts_at, -starts_at")


EventPage = page_schema(EventOut, "EventPage")


@router.get(
    "/events/",
    response={200: EventPage, **READ_ERRORS},
    url_name="events",
    summary="Events you may see",
)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    queryset = selectors.event_list(
        user=caller(request).user,
        filters=selectors.EventFilters(
            when="" if filters.when == "all" else filters.when,
            city=filters.city,
            kind=filters.kind,
            host=filters.host,
            language=filters.language,
            q=filters.q,
        ),
    )
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"starts_at": "starts_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/events/{id}/",
    response={200: EventDetailOut, **READ_ERRORS},
    url_name="event",
    summary="One event",
)
def event_detail(request: HttpRequest, id: int) -> Event:
    return selectors.access_event(user=caller(request).user, pk=id)


# --- sessions ------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    event: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    speakers: str

    @staticmethod
    def resolve_event(obj: Session) -> int:
        return obj.event_id

    @staticmethod
    def resolve_title(obj: Session) -> str:
        return obj.display_title


class SessionFilters(ListParams):
    event: RecordId | None = None
    ordering: str = Field("starts_at", description="starts_at, -starts_at")


SessionPage = page_schema(SessionOut, "SessionPage")


def _sessions(user: User) -> Any:
    visible = selectors.event_list(user=user, filters=selectors.EventFilters(when=""))
    return Session.objects.filter(event__in=visible.values("pk"))


@router.get(
    "/sessions/",
    response={200: SessionPage, **READ_ERRORS},
    url_name="sessions",
    summary="Sessions of the events you may see",
)
def session_list(request: HttpRequest, filters: Query[SessionFilters]) -> Any:
    queryset = _sessions(caller(request).user)
    if filters.event is not None:
        queryset = queryset.filter(event_id=filters.event)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"starts_at": "starts_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/sessions/{id}/",
    response={200: SessionOut, **READ_ERRORS},
    url_name="session",
    summary="One session",
)
def session_detail(request: HttpRequest, id: int) -> Session:
    session = _sessions(caller(request).user).filter(pk=id).first()
    if session is None:
        raise Http404
    return session


# --- registrations -------------------------------------------------------------------------


class RegistrationOut(Schema):
    id: int
    event: int
    status: str
    category: int | None
    waitlist_position: int | None
    name: str
    email: str
    organisation: int | None
    organisation_name: str
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None

    @staticmethod
    def resolve_event(obj: Registration) -> int:
        return obj.event_id

    @staticmethod
    def resolve_category(obj: Registration) -> int | None:
        return obj.category_id

    @staticmethod
    def resolve_organisation(obj: Registration) -> int | None:
        return obj.organisation_id


class RegistrationFilters(ListParams):
    event: RecordId | None = Field(
        None, description="An event you organise: its registrations. Without: your own."
    )
    status: str = ""
    ordering: str = Field("created_at", description="created_at, -created_at")


RegistrationPage = page_schema(RegistrationOut, "RegistrationPage")


def _organised(user: User, event_id: int) -> Event:
    """An event the user runs (404 if hidden, 403 if only readable)."""
    event = selectors.access_event(user=user, pk=event_id)
    if not user.has_perm("events.run_event", event):
        raise PermissionDenied
    return event


@router.get(
    "/registrations/",
    response={200: RegistrationPage, **READ_ERRORS},
    url_name="registrations",
    summary="Your registrations, or an event's for its organisers",
)
def registration_list(request: HttpRequest, filters: Query[RegistrationFilters]) -> Any:
    user = caller(request).user
    if filters.event is not None:
        queryset = selectors.registration_list(event=_organised(user, filters.event))
    else:
        queryset = selectors.my_registrations(user=user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"created_at": "created_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/registrations/{id}/",
    response={200: RegistrationOut, **READ_ERRORS},
    url_name="registration",
    summary="One registration: yours, or one at an event you organise",
)
def registration_detail(request: HttpRequest, id: int) -> Registration:
    user = caller(request).user
    own = selectors.my_registrations(user=user).filter(pk=id).first()
    if own is not None:
        return own
    officer_orgs = principal_for(user).officer_org_ids or principal_for(user).secretariat_org_ids
    if officer_orgs:
        found = Registration.objects.filter(pk=id).values_list("event_id", flat=True).first()
        if found is not None:
            try:
                event = _organised(user, found)
            except PermissionDenied:
                raise Http404 from None
            registration = selectors.registration_list(event=event).filter(pk=id).first()
            if registration is not None:
                return registration
    raise Http404


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event: RecordId
    category: RecordId | None = Field(None, description="Required when the event has categories")
    organisation: RecordId | None = Field(None, description="One of your organisations")
    answers: dict[str, Any] = Field(
        default_factory=dict, description="The event's questions, by question id"
    )


@router.post(
    "/registrations/",
    response={201: RegistrationOut, **WRITE_ERRORS},
    auth=writing(EVENTS_WRITE),
    url_name="registrations",
    summary="Register yourself for an event",
)
def registration_create(request: HttpRequest, data: RegistrationIn) -> Any:
    user = caller(request).user
    try:
        event = selectors.access_event(user=user, pk=data.event)
    except Http404:
        message = _("No such event, or you may not see it.")
        raise ApiError(404, message, errors=[("body.event", message)]) from None
    category = None
    if data.category is not None:
        category = TicketCategory.objects.filter(event=event, pk=data.category).first()
        if category is None:
            message = _("That ticket category is not one of this event's.")
            raise ApiError(400, message, errors=[("body.category", message)])
    organisation = None
    if data.organisation is not None:
        membership = user.memberships.filter(organisation_id=data.organisation).first()
        if membership is None:
            message = _("You are not a member of that organisation.")
            raise ApiError(400, message, errors=[("body.organisation", message)])
        organisation = membership.organisation
    registering.check_registration_open(event)
    try:
        created = _register(request, user, event, category, organisation, data.answers)
    except ValidationError as error:
        if not hasattr(error, "error_dict") and any(e.code == "answers" for e in error.error_list):
            raise ApiError(
                400, error.messages[0], errors=[("body.answers", m) for m in error.messages]
            ) from None
        raise
    return Status(201, created)


def _register(
    request: HttpRequest,
    user: User,
    event: Event,
    category: TicketCategory | None,
    organisation: Organisation | None,
    answers: dict[str, Any],
) -> Registration:
    return registering.registration_create(
        event=event,
        registrant=registering.Registrant(
            name=user.full_name or user.email,
            email=user.email,
            user=user,
            organisation=organisation,
            language=user.language,
            time_zone=user.time_zone,
        ),
        people=[registering.Person(user.full_name or user.email, user.email, user)],
        category=category,
        answers={str(key): value for key, value in answers.items()},
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
