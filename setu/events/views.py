"""Public and personal pages: the listing, the calendar, an event, registering, my registrations,
tickets, iCalendar feeds. The organisers' pages are in ``views_organiser``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import user_or_none
from setu.core.params import FILTER_MAX_CHARS, int_param, month_param, text_param
from setu.core.replica import stale_reads_ok
from setu.core.timefmt import current_reader_zone
from setu.directory.models import Language, Organisation
from setu.events import calendar, registration, selectors, services, tokens
from setu.events.forms import RegistrationForm
from setu.events.hooks import event_page_parts
from setu.events.models import (
    Attendee,
    Event,
    EventKind,
    Question,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from setu.events.qr import qr_svg
from setu.library.selectors import documents_card
from setu.privacy.consent import consent_give
from setu.privacy.models import Purpose

PAGE_SIZE = 20
CHECK_EMAIL_KEY = "events_check_email"  # the address a guest's confirmation link went to


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- listing and calendar -------------------------------------------------------------------


def _filters(params: Any) -> selectors.EventFilters:
    """Filters from the query string; unknown values are ignored, never an error."""
    when = params.get("when", "upcoming")
    kind = params.get("kind", "")
    language = params.get("language", "")
    return selectors.EventFilters(
        when=when if when in ("upcoming", "past") else "upcoming",
        city=text_param(params.get("city"), max_length=40),
        kind=kind if kind in EventKind.values else "",
        sector=text_param(params.get("sector"), max_length=50),
        host=int_param(params.get("host")),
        language=language if language in Language.values else "",
        q=text_param(params.get("q"), max_length=FILTER_MAX_CHARS),
    )


def _filter_options(request: HttpRequest) -> dict[str, Any]:
    choices = selectors.filter_choices(user=request.user)
    return {
        "cities": choices["city"],
        "hosts": choices["host"],
        "focal_sectors": choices["focal"],
        "kinds": EventKind.choices,
        "languages": Language.choices,
        # The rule alone: Django's ModelBackend would read the user's permission tables.
        "can_add": rules.has_perm("events.add_event", request.user),
    }


@stale_reads_ok(anonymous_only=True)
def event_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request.GET)
    events = selectors.event_list(user=request.user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.attach_seat_figures(page.object_list, request.user)
    return render(
        request,
        "events/event_list.html",
        {"page": page, "filters": filters, **_filter_options(request)},
    )


def _month(value: str) -> date:
    """The month asked for ("2026-09"), else this month."""
    return month_param(value) or timezone.localdate().replace(day=1)


@stale_reads_ok(anonymous_only=True)
def event_calendar(request: HttpRequest) -> HttpResponse:
    month = _month(request.GET.get("month", ""))
    filters = _filters(request.GET)
    weeks = selectors.month_grid(user=request.user, month=month, filters=filters)
    previous = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=7)).replace(day=1)
    return render(
        request,
        "events/event_calendar.html",
        {
            "weeks": weeks,
            "month": month,
            "previous": previous,
            "following": following,
            "filters": filters,
            **_filter_options(request),
        },
    )


# --- an event ------------------------------------------------------------------------------


@stale_reads_ok(anonymous_only=True)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_page(user=request.user, pk=pk)
    open_error = ""
    try:
        registration.check_registration_open(event)
    except ValidationError as error:
        open_error = _error_text(error)
    can_run = request.user.has_perm("events.run_event", event)
    can_change = request.user.has_perm("events.change_event", event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "co_hosts": selectors.co_hosts(event, user=request.user),
            "partners": selectors.partners(event, user=request.user),
            "tags": selectors.sector_tags(event),
            "open_error": open_error,
            "figures": event.figures,  # type: ignore[attr-defined]
            "seats_left": event.figures.left(event.capacity),  # type: ignore[attr-defined]
            "category_seats": [(c, c.seats_taken) for c in event.categories.all()],
            "can_change": can_change,
            "can_run": can_run,
            **documents_card(user=request.user, record=event, can_edit=can_change),
            # The clash notices (coordination) and other parts apps above events add: hooks.py.
            **event_page_parts(request.user, event, can_run=can_run, can_change=can_change),
        },
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.access_event(user=request.user, pk=pk)
    body = calendar.calendar_bytes(
        [(event, "CONFIRMED")], name=event.display_title, base_url=_base_url(request)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def feed_public(request: HttpRequest) -> HttpResponse:
    """Public events from 30 days ago on, for anyone's calendar app."""
    since = timezone.now() - timedelta(days=30)
    events = (
        Event.objects.visible_to(AnonymousUser())  # what anyone may read
        .filter(ends_at__gte=since)
        .select_related("city")
        .order_by("starts_at")[:500]
    )
    body = calendar.calendar_bytes(
        [(event, "CONFIRMED") for event in events],
        name=_("Setu: public events"),
        base_url=_base_url(request),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """My registrations, by the secret token (calendar apps cannot sign in)."""
    from setu.events.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None:
        raise Http404
    registrations = (
        selectors.my_registrations(user=feed.user)
        .exclude(status__in=["cancelled", "declined", "expired"])
        .filter(event__ends_at__gte=timezone.now() - timedelta(days=90))
    )
    body = calendar.calendar_bytes(
        [(r.event, calendar.registration_status(r.status)) for r in registrations],
        name=_("Setu: my events"),
        base_url=_base_url(request),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- registering ---------------------------------------------------------------------------


def _registration_form(request: HttpRequest, event: Event) -> RegistrationForm:
    user = user_or_none(request)
    questions = list(Question.objects.filter(event=event))
    categories = list(TicketCategory.objects.filter(event=event))
    organisations = None
    initial: dict[str, Any] = {"attend_myself": True, "time_zone": event.venue_zone}
    if user is not None:
        organisations = Organisation.objects.filter(memberships__user=user).distinct()
        initial.update(name=user.full_name, email=user.email, time_zone=user.time_zone)
        first = organisations.first()
        if first is not None:
            initial["organisation"] = first.pk
    elif browser_zone := current_reader_zone():  # the zone the browser reported
        initial["time_zone"] = browser_zone
    elif (request.LANGUAGE_CODE or "") == "ja":
        initial["time_zone"] = "Asia/Tokyo"
    return RegistrationForm(
        request.POST or None,
        initial=initial,
        event=event,
        questions=questions,
        categories=categories,
        user=user,
        organisations=organisations,
    )


def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.access_event(user=request.user, pk=pk)
    user = user_or_none(request)
    try:
        registration.check_registration_open(event)
    except ValidationError:
        return redirect(event)  # the event page says why registration is not open
    form = _registration_form(request, event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = data.get("organisation")
        registrant = registration.Registrant(
            name=data["name"],
            email=user.email if user else data["email"],
            user=user,
            organisation=organisation,
            organisation_name=data.get("organisation_name", ""),
            organisation_kind=data.get("organisation_kind", ""),
            country=data.get("country", ""),
            language=user.language if user else (request.LANGUAGE_CODE or "en"),
            time_zone=user.time_zone if user else data["time_zone"],
        )
        people = [
            registration.Person(
                name=name,
                email=email,
                user=user if user and email.strip().lower() == user.email.lower() else None,
            )
            for name, email in data["people"]
        ]
        try:
            created = registration.registration_create(
                event=event,
                registrant=registrant,
                people=people,
                category=data.get("category"),
                answers=data["answers"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            # the agreement ticked on the form goes into the consent ledger
            consent_give(
                subject=user if user is not None else created.email,
                purpose=Purpose.EVENTS,
                actor=user,
            )
            if created.status == RegistrationStatus.UNCONFIRMED:
                # Redirect after the POST, so that reloading the page sends nothing again.
                request.session[CHECK_EMAIL_KEY] = created.email
                return redirect("events:register_done", pk=event.pk)
            messages.success(request, _status_message(created))
            return redirect(created)
    return render(request, "events/register.html", {"event": event, "form": form})


def register_done(request: HttpRequest, pk: int) -> HttpResponse:
    """After a guest registers: check your email. Showing it again changes nothing."""
    event = selectors.access_event(user=request.user, pk=pk)
    email = request.session.get(CHECK_EMAIL_KEY, "")
    return render(request, "events/register_check_email.html", {"event": event, "email": email})


HELD_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
)


def _status_message(registration_: Registration) -> str:
    return {
        RegistrationStatus.CONFIRMED: _("You are registered. Your tickets are below and by email."),
        RegistrationStatus.WAITLISTED: _(
            "The event is full: you are on the waitlist. We will email you when a seat frees up."
        ),
        RegistrationStatus.PENDING: _(
            "Registration received. The organisers will approve it; we will email you."
        ),
    }.get(registration_.status, _("Saved."))  # type: ignore[call-overload]


def confirm_email(request: HttpRequest, signed: str) -> HttpResponse:
    """A guest's emailed link: GET shows a button, POST confirms (mail scanners only GET)."""
    found = tokens.read_confirm_link(signed)
    target = None
    if found is not None:
        target = (
            Registration.objects.select_related("event")
            .filter(pk=found[0], token__startswith=found[1])
            .first()
        )
    if target is None:
        return render(request, "events/link_invalid.html", status=400)
    if target.status != RegistrationStatus.UNCONFIRMED:
        # Confirmed already (a reload after the POST, the link opened again, a retried request
        # whose first answer was lost): say where it stands rather than show the page bare.
        if target.status in HELD_STATUSES:
            messages.info(request, _status_message(target))
        return redirect(target)
    if request.method == "POST":
        try:
            target = registration.registration_confirm_email(registration=target)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(target.event)
        messages.success(request, _status_message(target))
        return redirect(target)
    return render(request, "events/confirm_email.html", {"registration": target})


# --- my registrations, tickets ---------------------------------------------------------------


def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    """A registration's own page, by its secret link: status, place in line, tickets, cancel."""
    target = selectors.access_registration(token=token)
    attendees = list(target.attendees.all())
    return render(
        request,
        "events/registration.html",
        {
            "registration": target,
            "event": target.event,
            "tickets": [(a, tokens.ticket_token(a.pk, a.code)) for a in attendees if a.active],
            "cancelled_people": [a for a in attendees if not a.active],
            "place": selectors.waitlist_place(target),
            "can_cancel": not target.is_over and target.event.ends_at > timezone.now(),
        },
    )


@require_POST
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    target = selectors.access_registration(token=token)
    try:
        registration.registration_cancel(registration=target, actor=user_or_none(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(target)


@require_POST
def registration_claim(request: HttpRequest, token: str) -> HttpResponse:
    target = selectors.access_registration(token=token)
    try:
        target = registration.registration_claim(registration=target, actor=user_or_none(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if target.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("The seat is yours. Your tickets are below."))
        else:
            messages.error(request, _("Sorry: the time to claim this seat has passed."))
    return redirect(target)


def cancel_link(request: HttpRequest, signed: str) -> HttpResponse:
    """The emailed cancel link. GET asks to confirm; only POST cancels (link scanners GET)."""
    found = tokens.read_cancel_link(signed)
    target = None
    if found is not None:
        target = (
            Registration.objects.select_related("event")
            .filter(pk=found[0], token__startswith=found[1])
            .first()
        )
    if target is None:
        return render(request, "events/link_invalid.html", status=400)
    if request.method == "POST":
        try:
            registration.registration_cancel(registration=target, actor=user_or_none(request))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(target)
    return render(request, "events/cancel_confirm.html", {"registration": target})


def _ticket(signed: str) -> Attendee:
    found = tokens.read_ticket_token(signed)
    if found is None:
        raise Http404
    attendee = (
        Attendee.objects.select_related("registration", "event", "event__city")
        .filter(pk=found[0], code__startswith=found[1])
        .first()
    )
    if attendee is None:
        raise Http404
    return attendee


def ticket(request: HttpRequest, signed: str) -> HttpResponse:
    """One attendee's ticket: the QR code, and cancelling their own place (POST)."""
    attendee = _ticket(signed)
    if request.method == "POST":
        try:
            registration.attendee_cancel(attendee=attendee, actor=user_or_none(request))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your place is cancelled."))
        return redirect("events:ticket", signed=signed)
    return render(
        request,
        "events/ticket.html",
        {"attendee": attendee, "event": attendee.event, "signed": signed},
    )


def ticket_qr(request: HttpRequest, signed: str) -> HttpResponse:
    attendee = _ticket(signed)
    response = HttpResponse(qr_svg(attendee.code), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    user = user_or_none(request)
    assert user is not None
    registrations = selectors.my_registrations(user=user)
    now = timezone.now()
    feed = services.calendar_feed_for(user=user)
    return render(
        request,
        "events/mine.html",
        {
            "upcoming": sorted(
                (r for r in registrations if r.event.ends_at >= now),
                key=lambda r: r.event.starts_at,
            ),
            "past": [r for r in registrations if r.event.ends_at < now][:50],
            "feed_url": request.build_absolute_uri(
                reverse("events:feed_personal", args=[feed.token])
            ),
        },
    )


@require_POST
@login_required
def feed_reset(request: HttpRequest) -> HttpResponse:
    user = user_or_none(request)
    assert user is not None
    services.calendar_feed_reset(user=user)
    messages.success(request, _("Your calendar link is new; the old one no longer works."))
    return redirect("events:mine")
