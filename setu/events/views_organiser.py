"""The organisers' pages: create and edit events, registrations, approval, promotion, emails,
exports, statistics and check-in. Each checks ``events.change_event`` or ``events.run_event``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.accounts.models import Role, User
from setu.core.access import get_visible_or_404
from setu.core.params import FILTER_MAX_CHARS, int_param, text_param
from setu.core.principal import principal_for
from setu.directory.models import Organisation
from setu.events import exports, registration, selectors, services
from setu.events.forms import (
    CategoryFormSet,
    CheckInForm,
    EventForm,
    ExportForm,
    MessageForm,
    QuestionFormSet,
    SessionFormSet,
    formset_rows,
)
from setu.events.models import (
    ENDED,
    Event,
    Question,
    Registration,
    RegistrationStatus,
    Session,
    TicketCategory,
)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _event_for(request: HttpRequest, pk: int, perm: str) -> Event:
    """The event if the user may see it (else 404) and holds ``perm`` on it (else 403)."""
    event = selectors.access_event(user=request.user, pk=pk)
    if not request.user.has_perm(perm, event):
        raise PermissionDenied
    # The organiser menu shows the editing pages only to those who may edit.
    event.can_change = request.user.has_perm("events.change_event", event)  # type: ignore[attr-defined]
    return event


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the event itself ---------------------------------------------------------------------


def _event_form(request: HttpRequest, event: Event | None) -> EventForm:
    return EventForm(
        request.POST or None,
        instance=event,
        lead_hosts=selectors.lead_host_choices(user=request.user),
        partner_orgs=Organisation.objects.visible_to(request.user),
        can_change_hosts=event is None or request.user.has_perm("events.manage_hosts", event),
        # a new event is led by the prefecture the officer acts for (the header's choice)
        initial={} if event else {"owner": _acting_host_id(request)},
    )


def _acting_host_id(request: HttpRequest) -> int | None:
    return principal_for(request.user).acting_organisation_id_with(
        {Role.PREFECTURE_OFFICER, Role.SECRETARIAT}
    )


@login_required
@permission_required("events.add_event", raise_exception=True)
def event_create(request: HttpRequest) -> HttpResponse:
    form = _event_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=_actor(request),
                owner=form.cleaned_data["owner"],
                fields=form.event_fields(),
                co_hosts=list(form.cleaned_data["co_hosts"]),
                partners=list(form.cleaned_data["partners"]),
                sectors=list(form.cleaned_data["sectors"]),
                focal_sectors=list(form.cleaned_data["focal_sectors"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The event is saved. Add its agenda, ticket categories and questions.")
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.change_event")
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                actor=_actor(request),
                fields=form.event_fields(),
                co_hosts=list(form.cleaned_data["co_hosts"]) if "co_hosts" in form.fields else None,
                partners=list(form.cleaned_data["partners"]),
                sectors=list(form.cleaned_data["sectors"]),
                focal_sectors=list(form.cleaned_data["focal_sectors"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def _formset_page(
    request: HttpRequest,
    pk: int,
    *,
    formset_class: Any,
    queryset: Any,
    save: Any,
    title: str,
    help_text: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    event = _event_for(request, pk, "events.change_event")
    formset = formset_class(
        request.POST or None,
        queryset=queryset.filter(event=event),
        form_kwargs=form_kwargs(event) if callable(form_kwargs) else (form_kwargs or {}),
    )
    error = ""
    if request.method == "POST" and formset.is_valid():
        rows, delete_ids = formset_rows(formset)
        try:
            save(event=event, actor=_actor(request), rows=rows, delete_ids=delete_ids)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect(request.path)
    return render(
        request,
        "events/event_parts.html",
        {
            "event": event,
            "formset": formset,
            "title": title,
            "help_text": help_text,
            "error": error,
        },
    )


@login_required
def event_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    return _formset_page(
        request,
        pk,
        formset_class=SessionFormSet,
        queryset=Session.objects.all(),
        save=services.sessions_save,
        title=_("Agenda"),
        help_text=_("Sessions with their times (in the venue's local time), rooms and speakers."),
        form_kwargs=lambda event: {"venue_zone": event.venue_zone},  # type: ignore[arg-type]
    )


@login_required
def event_categories(request: HttpRequest, pk: int) -> HttpResponse:
    return _formset_page(
        request,
        pk,
        formset_class=CategoryFormSet,
        queryset=TicketCategory.objects.all(),
        save=services.categories_save,
        title=_("Ticket categories"),
        help_text=_(
            "Optional: kinds of seat with their own limit, such as Japanese company, Indian "
            "company, government. The event's total capacity always applies too."
        ),
    )


@login_required
def event_questions(request: HttpRequest, pk: int) -> HttpResponse:
    return _formset_page(
        request,
        pk,
        formset_class=QuestionFormSet,
        queryset=Question.objects.all(),
        save=services.questions_save,
        title=_("Registration questions"),
        help_text=_("Asked once per registration. Choices: one per line."),
    )


# --- registrations ------------------------------------------------------------------------


def _registration_filters(request: HttpRequest) -> selectors.RegistrationFilters:
    params = request.GET
    status = params.get("status", "")
    checked_in = params.get("checked_in", "")
    return selectors.RegistrationFilters(
        status=status if status in RegistrationStatus.values else "",
        category=int_param(params.get("category")),
        checked_in=checked_in if checked_in in ("yes", "no") else "",
        q=text_param(params.get("q"), max_length=FILTER_MAX_CHARS),
    )


@login_required
def registration_list(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    filters = _registration_filters(request)
    registrations = selectors.registration_list(event=event, filters=filters)
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/registration_list.html",
        {
            "event": event,
            "page": page,
            "filters": filters,
            "statuses": RegistrationStatus.choices,
            "categories": list(TicketCategory.objects.filter(event=event)),
            "counts": selectors.event_counts(event),
        },
    )


ACTIONS = {
    "approve": (registration.registration_approve, _("Approved.")),
    "decline": (registration.registration_decline, _("Declined.")),
    "promote": (registration.registration_promote, _("Promoted: the seat is confirmed.")),
    "cancel": (registration.registration_cancel, _("Cancelled.")),
}


@require_POST
@login_required
def registration_action(
    request: HttpRequest, pk: int, registration_id: int, action: str
) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    if action not in ACTIONS:
        raise PermissionDenied
    target = get_visible_or_404(Registration.objects.filter(event=event), registration_id)
    service, done = ACTIONS[action]
    try:
        service(registration=target, actor=_actor(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    back = reverse("events:registrations", args=[event.pk])
    query = request.POST.get("query", "")
    if query and url_has_allowed_host_and_scheme(f"{back}?{query}", allowed_hosts=None):
        back = f"{back}?{query}"
    return redirect(back)


@login_required
def event_message(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.event_message_send(
                event=event, actor=_actor(request), **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message is on its way to %(n)s person.",
                    "Your message is on its way to %(n)s people.",
                    count,
                )
                % {"n": count},
            )
            return redirect("events:registrations", pk=event.pk)
    return render(request, "events/message.html", {"event": event, "form": form})


@login_required
def event_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        status = form.cleaned_data["status"]
        registrations = Registration.objects.filter(event=event)
        if status:
            registrations = registrations.filter(status=status)
        else:
            registrations = registrations.exclude(
                status__in=[RegistrationStatus.UNCONFIRMED, *ENDED]
            )
        rows = exports.export_rows(
            event=event, registrations=registrations, columns=form.cleaned_data["columns"]
        )
        stamp = timezone.now().strftime("%Y%m%d")
        if form.cleaned_data["format"] == "csv":
            response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-{stamp}.csv"'
        else:
            response = HttpResponse(
                exports.to_xlsx(rows, title=_("Attendees")),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="event-{event.pk}-{stamp}.xlsx"'
            )
        return response
    return render(request, "events/export.html", {"event": event, "form": form})


@login_required
def event_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    return render(
        request,
        "events/statistics.html",
        {
            "event": event,
            "stats": selectors.event_statistics(event=event),
            "counts": selectors.event_counts(event),
        },
    )


# --- check-in -----------------------------------------------------------------------------


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The door: type or scan a ticket code. htmx posts return only the result partial."""
    event = _event_for(request, pk, "events.run_event")
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = registration.attendee_check_in(
            event=event, code=form.cleaned_data["code"], actor=_actor(request)
        )
        form = CheckInForm()
    context = {
        "event": event,
        "form": form,
        "result": result,
        "counts": selectors.event_counts(event),
    }
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return render(request, "events/partials/_checkin_result.html", context)
    return render(request, "events/checkin.html", context)


@login_required
def check_in_counts(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk, "events.run_event")
    return render(
        request,
        "events/partials/_checkin_counts.html",
        {"event": event, "counts": selectors.event_counts(event)},
    )
