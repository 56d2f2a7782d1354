"""The organisers' pages for matchmaking: set-up (settings, days, slots), tables per slot,
and the participants' overview. Each checks ``matchmaking.organise``."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user as _user
from setu.events.models import Event
from setu.events.selectors import access_event
from setu.matchmaking.forms.common import (
    AddParticipantForm,
    BaseDayFormSet,
    DayFormSet,
    SettingsForm,
    SlotTablesForm,
    day_initial,
    slot_label,
)
from setu.matchmaking.models import Matchmaking
from setu.matchmaking.selectors import market
from setu.matchmaking.services import setup as services

OVERVIEW_PAGE_SIZE = 100


def _organised(request: HttpRequest, pk: int) -> tuple[Event, Matchmaking | None]:
    """The event (404 if hidden) and its matchmaking, if any; 403 unless the user organises."""
    event = access_event(user=request.user, pk=pk)
    existing = Matchmaking.objects.filter(event=event).first()
    if existing is not None:
        existing.event = event
    if not request.user.has_perm("matchmaking.organise", existing or Matchmaking(event=event)):
        raise PermissionDenied
    # The organiser menu shows the editing pages only to those who may edit.
    event.can_change = request.user.has_perm("events.change_event", event)  # type: ignore[attr-defined]
    return event, existing


def _new_defaults(event: Event) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A first day on the event's first date and hours; requests open now until the day before."""
    tz = event.venue_tz
    starts, ends = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    day_end = ends.time() if ends.date() == starts.date() and ends > starts else time(17)
    now = timezone.now().astimezone(tz).replace(second=0, microsecond=0, tzinfo=None)
    closes = (starts - timedelta(days=1)).replace(tzinfo=None)
    settings = {"requests_open_at": now, "requests_close_at": closes if closes > now else None}
    day = {"date": starts.date(), "starts": starts.time(), "ends": day_end, "breaks": ""}
    return settings, [day]


def _slot_rows(matchmaking: Matchmaking | None, reader_zone: str) -> list[tuple[Any, str, int]]:
    if matchmaking is None:
        return []
    zone_name = matchmaking.event.venue_zone
    return [
        (slot, slot_label(slot, zone_name, reader_zone), slot.table_count(matchmaking))
        for slot in matchmaking.slots.order_by("index")
    ]


@login_required
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Enable matchmaking and change its settings and days; shows the resulting slots."""
    event, existing = _organised(request, pk)
    instance = existing or Matchmaking(event=event)
    initial_settings: dict[str, Any] = {}
    initial_days = day_initial(list(existing.days.all())) if existing else []
    if existing is None:
        initial_settings, initial_days = _new_defaults(event)
    form = SettingsForm(
        request.POST or None,
        instance=instance,
        initial=initial_settings,
        venue_zone=event.venue_zone,
    )
    days: BaseDayFormSet = DayFormSet(request.POST or None, initial=initial_days, prefix="days")
    days_error = ""
    if request.method == "POST" and form.is_valid() and days.is_valid():
        try:
            result = services.matchmaking_save(
                event=event,
                actor=_user(request),
                fields=form.setting_fields(),
                days=days.days(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    if name in form.fields:
                        form.add_error(name, errors)
                    else:
                        days_error = " ".join(str(e) for e in ValidationError(errors).messages)
            else:
                days_error = " ".join(error.messages)
        else:
            if result.created:
                messages.success(
                    request,
                    ngettext(
                        "Matchmaking is on, with %(n)s slot. Participants can now join.",
                        "Matchmaking is on, with %(n)s slots. Participants can now join.",
                        result.slot_count,
                    )
                    % {"n": result.slot_count},
                )
            elif result.slots_changed:
                messages.success(
                    request,
                    ngettext(
                        "Saved. The slots are new: %(n)s slot.",
                        "Saved. The slots are new: %(n)s slots.",
                        result.slot_count,
                    )
                    % {"n": result.slot_count},
                )
            else:
                messages.success(request, _("Saved."))
            if result.runs_deleted:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)s draft schedule was made for the old slots and is deleted: run "
                        "the scheduler again.",
                        "%(n)s draft schedules were made for the old slots and are deleted: "
                        "run the scheduler again.",
                        result.runs_deleted,
                    )
                    % {"n": result.runs_deleted},
                )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("matchmaking:setup", pk=pk)
    return render(
        request,
        "matchmaking/setup.html",
        {
            "event": event,
            "matchmaking": existing,
            "form": form,
            "days": days,
            "days_error": days_error,
            "slots": _slot_rows(existing, timezone.get_current_timezone_name()),
            "published": existing is not None and services.published(existing),
            "here": "setup",
        },
    )


@login_required
def slot_tables(request: HttpRequest, pk: int) -> HttpResponse:
    """Tables per slot, when a slot has more or fewer than the event's number."""
    event, matchmaking = _organised(request, pk)
    if matchmaking is None:
        messages.error(request, _("Set up matchmaking first."))
        return redirect("matchmaking:setup", pk=pk)
    slots = list(matchmaking.slots.order_by("index"))
    form = SlotTablesForm(
        request.POST or None,
        slots=slots,
        venue_zone=event.venue_zone,
        reader_zone=timezone.get_current_timezone_name(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.slot_tables_save(
                matchmaking=matchmaking, actor=_user(request), tables=form.tables()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext("Saved: %(n)s slot changed.", "Saved: %(n)s slots changed.", changed)
                % {"n": changed},
            )
            return redirect("matchmaking:slot_tables", pk=pk)
    return render(
        request,
        "matchmaking/slot_tables.html",
        {"event": event, "matchmaking": matchmaking, "form": form, "here": "slot_tables"},
    )


@login_required
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every participant with their requests sent, received and accepted."""
    event, matchmaking = _organised(request, pk)
    if matchmaking is None:
        messages.error(request, _("Set up matchmaking first."))
        return redirect("matchmaking:setup", pk=pk)
    matchmaking.event = event
    rows = market.participant_overview(matchmaking=matchmaking)
    page = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/participants.html",
        {
            "event": event,
            "matchmaking": matchmaking,
            "page": page,
            "add_form": AddParticipantForm(
                organisations=market.registered_organisations(matchmaking=matchmaking)
            ),
            "here": "participants",
        },
    )


@require_POST
@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an organisation registered for the event as a participant."""
    event, matchmaking = _organised(request, pk)
    if matchmaking is None:
        messages.error(request, _("Set up matchmaking first."))
        return redirect("matchmaking:setup", pk=pk)
    matchmaking.event = event
    form = AddParticipantForm(
        request.POST, organisations=market.registered_organisations(matchmaking=matchmaking)
    )
    if not form.is_valid():
        messages.error(request, _("Choose an organisation registered for the event."))
        return redirect("matchmaking:participants", pk=pk)
    try:
        participant = services.participant_join(
            matchmaking=matchmaking,
            organisation=form.cleaned_data["organisation"],
            actor=_user(request),
            by_organiser=True,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s takes part. Its profile is filled in from the directory.")
            % {"name": participant.organisation},
        )
    return redirect("matchmaking:participants", pk=pk)
