"""The organiser's scheduling pages: run the scheduler, review and adjust the draft, publish,
the slots × tables grid, the XLSX export and the outcome summary. Each needs
``matchmaking.organise`` on the event's matchmaking (403 for others who may see the event)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.accounts.models import User
from setu.core.timefmt import dual_time
from setu.matchmaking import exports
from setu.matchmaking.forms.schedule import PositionForm, slot_label
from setu.matchmaking.models import (
    Matchmaking,
    Meeting,
    Priority,
    RunStatus,
    ScheduleRun,
    Slot,
    Unplaced,
    UnplacedReason,
)
from setu.matchmaking.selectors import agenda as selectors_agenda
from setu.matchmaking.selectors import schedule as selectors_schedule
from setu.matchmaking.selectors import schedule_report as report
from setu.matchmaking.selectors.access import access_matchmaking
from setu.matchmaking.services import schedule as services
from setu.matchmaking.services import schedule_edit as edits

# Runs whose meetings the draft page shows.
WITH_RESULTS = (RunStatus.DONE, RunStatus.PUBLISHED, RunStatus.SUPERSEDED)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _organised(request: HttpRequest, pk: int) -> Matchmaking:
    """The event's matchmaking if the user may see it (else 404) and organise it (else 403)."""
    matchmaking = access_matchmaking(user=request.user, event_pk=pk)
    if not request.user.has_perm("matchmaking.organise", matchmaking):
        raise PermissionDenied
    return matchmaking


def _run(request: HttpRequest, pk: int, run_id: int) -> ScheduleRun:
    return selectors_schedule.access_run(matchmaking=_organised(request, pk), run_pk=run_id)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _detail(run: ScheduleRun) -> HttpResponse:
    return redirect("matchmaking:schedule_detail", pk=run.matchmaking.event_id, run_id=run.pk)


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule's home: what the scheduler would work with, the runs, the buttons."""
    matchmaking = _organised(request, pk)
    runs = list(selectors_schedule.run_list(matchmaking=matchmaking)[:20])
    published = next((r for r in runs if r.status == RunStatus.PUBLISHED), None)
    return render(
        request,
        "matchmaking/schedule.html",
        {
            "event": matchmaking.event,
            "matchmaking": matchmaking,
            "figures": selectors_schedule.setup_figures(matchmaking=matchmaking),
            "runs": runs,
            "published": published,
            "draft": next((r for r in runs if r.status == RunStatus.DONE), None),
            "active": next(
                (r for r in runs if r.status in selectors_schedule.ACTIVE_RUN_STATUSES), None
            ),
        },
    )


@require_POST
@login_required
def schedule_run(request: HttpRequest, pk: int) -> HttpResponse:
    return _start(request, pk, keep_published=False)


@require_POST
@login_required
def schedule_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _start(request, pk, keep_published=True)


def _start(request: HttpRequest, pk: int, *, keep_published: bool) -> HttpResponse:
    matchmaking = _organised(request, pk)
    try:
        run = services.schedule_run_start(
            matchmaking=matchmaking, actor=_actor(request), keep_published=keep_published
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect("matchmaking:schedule", pk=pk)
    messages.success(request, _("The scheduler has started. This page updates by itself."))
    return _detail(run)


@login_required
def schedule_detail(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """One run: its state while it works; then the draft's figures, unplaced and meetings."""
    run = _run(request, pk, run_id)
    context: dict[str, object] = {
        "event": run.matchmaking.event,
        "matchmaking": run.matchmaking,
        "run": run,
    }
    if run.status in WITH_RESULTS:
        run_report = report.run_report(run=run)
        page = report.run_meetings_page(run=run, number=request.GET.get("page"))
        page.object_list = _meeting_rows(run, page.object_list)
        context.update(
            report=run_report,
            unplaced_rows=_unplaced_rows(run, run_report.unplaced),
            load_rows=_load_rows(run, run_report.loads),
            page=page,
        )
    return render(request, "matchmaking/schedule_run.html", context)


# The draft page's rows: labels and links worked out here, once per page, rather than in the
# template on each row, where get_FOO_display translated and {% url %} reversed some 500 times
# on a page of 100 unplaced requests, 50 meetings and 100 participants.


@dataclass(frozen=True, slots=True)
class MeetingRow:
    meeting: Meeting
    table: str  # the table's name (Matchmaking.table_label)
    priority: str
    move_url: str
    remove_url: str


@dataclass(frozen=True, slots=True)
class UnplacedRow:
    unplaced: Unplaced
    priority: str
    reason: str
    place_url: str


@dataclass(frozen=True, slots=True)
class LoadRow:
    load: report.PersonLoad
    agenda_url: str


def _each_url(name: str, *args: int) -> Callable[[int], str]:
    """``reverse(name, args=[*args, n])`` for any ``n``, reversed once: the last argument is a
    marker, replaced in the URL (the pattern's text after it holds no digit)."""
    marker = "987654321"
    head, _, tail = reverse(name, args=[*args, int(marker)]).rpartition(marker)
    return lambda n: f"{head}{n}{tail}"


def _labels(choices: Iterable[tuple[Any, Any]]) -> Callable[[Any], str]:
    """``get_FOO_display`` of a field with these choices, its labels translated once."""
    labels = {value: str(label) for value, label in choices}
    return lambda value: labels.get(value, str(value))


def _meeting_rows(run: ScheduleRun, meetings: Iterable[Meeting]) -> list[MeetingRow]:
    priority = _labels(Priority.choices)
    move = _each_url("matchmaking:schedule_move", run.matchmaking.event_id, run.pk)
    remove = _each_url("matchmaking:schedule_remove", run.matchmaking.event_id, run.pk)
    return [
        MeetingRow(
            m,
            run.matchmaking.table_label(m.table),
            priority(m.request.priority),
            move(m.pk),
            remove(m.pk),
        )
        for m in meetings
    ]


def _unplaced_rows(run: ScheduleRun, unplaced: list[Unplaced]) -> list[UnplacedRow]:
    priority = _labels(Priority.choices)
    reason = _labels(UnplacedReason.choices)
    place = _each_url("matchmaking:schedule_place", run.matchmaking.event_id, run.pk)
    return [
        UnplacedRow(u, priority(u.request.priority), reason(u.reason), place(u.request_id))
        for u in unplaced
    ]


def _load_rows(run: ScheduleRun, loads: list[report.PersonLoad]) -> list[LoadRow]:
    agenda = _each_url("matchmaking:agenda_participant", run.matchmaking.event_id)
    return [LoadRow(load, agenda(load.participant_id)) for load in loads]


@login_required
def schedule_status(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """The run's state for htmx polling; once it is finished, the page reloads itself."""
    run = _run(request, pk, run_id)
    active = run.status in selectors_schedule.ACTIVE_RUN_STATUSES
    if request.htmx and not active:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "matchmaking/partials/_schedule_status.html",
        {"run": run, "event": run.matchmaking.event},
    )


@require_POST
@login_required
def schedule_publish(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    try:
        emailed = services.schedule_publish(run=run, actor=_actor(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        if emailed:
            text = ngettext(
                "The schedule is published. %(n)s participant is being emailed their agenda.",
                "The schedule is published. %(n)s participants are being emailed their agenda.",
                emailed,
            ) % {"n": emailed}
        else:
            text = _(
                "The schedule is published. No participant's agenda changed: nobody is emailed."
            )
        messages.success(request, text)
    return _detail(run)


@require_POST
@login_required
def schedule_unpublish(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    try:
        services.schedule_unpublish(run=run, actor=_actor(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _(
                "The schedule is a draft again: participants no longer see it in their "
                "agendas. You may now change the meeting days, then publish again."
            ),
        )
    return _detail(run)


def _position_form(
    request: HttpRequest, run: ScheduleRun, choices: list[report.SlotChoice]
) -> PositionForm:
    matchmaking = run.matchmaking
    reader = timezone.get_current_timezone_name()
    venue = matchmaking.event.venue_zone
    for choice in choices:
        day = choice.slot.starts_at.astimezone(matchmaking.event.venue_tz).strftime("%m-%d")
        when = f"{day} {dual_time(choice.slot.starts_at, venue, reader)}"
        choice.label = slot_label(choice, when)
    return PositionForm(request.POST or None, matchmaking=matchmaking, choices=choices)


def _chosen_slot(run: ScheduleRun, form: PositionForm) -> Slot:
    return Slot.objects.get(matchmaking=run.matchmaking, pk=form.cleaned_data["slot"])


def _position_page(
    request: HttpRequest,
    run: ScheduleRun,
    form: PositionForm,
    *,
    save: Callable[[Slot, int], object],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The move and place pages: a slot and table chosen in ``form``, then ``save(slot, table)``
    (a service that refuses a clash with a ValidationError, shown on the form)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(_chosen_slot(run, form), form.cleaned_data.get("table", 0))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _detail(run)
    return render(
        request,
        "matchmaking/schedule_position.html",
        {"event": run.matchmaking.event, "run": run, "form": form, **context},
    )


@login_required
def schedule_move(request: HttpRequest, pk: int, run_id: int, meeting_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    meeting = report.access_meeting(run=run, meeting_pk=meeting_id)
    meeting.table_name = run.matchmaking.table_label(meeting.table)  # type: ignore[attr-defined]
    choices = report.slot_choices(run=run, request=meeting.request, ignore_meeting=meeting.pk)
    form = _position_form(request, run, choices)
    if not request.POST:
        form.initial = {"slot": meeting.slot_id, "table": meeting.table}
    return _position_page(
        request,
        run,
        form,
        save=lambda slot, table: edits.meeting_move(
            meeting=meeting, slot=slot, table=table, actor=_actor(request)
        ),
        done=_("The meeting is moved."),
        context={
            "meeting": meeting,
            "pair": meeting.request,
            "title": _("Move a meeting"),
            "button": _("Move the meeting"),
        },
    )


@login_required
def schedule_place(request: HttpRequest, pk: int, run_id: int, request_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    pair = report.access_unplaced_request(run=run, request_pk=request_id)
    form = _position_form(request, run, report.slot_choices(run=run, request=pair))
    return _position_page(
        request,
        run,
        form,
        save=lambda slot, table: edits.meeting_place(
            run=run, request=pair, slot=slot, table=table, actor=_actor(request)
        ),
        done=_("The meeting is placed."),
        context={
            "meeting": None,
            "pair": pair,
            "title": _("Place a meeting"),
            "button": _("Place the meeting"),
        },
    )


@require_POST
@login_required
def schedule_remove(request: HttpRequest, pk: int, run_id: int, meeting_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    meeting = report.access_meeting(run=run, meeting_pk=meeting_id)
    try:
        edits.meeting_remove(meeting=meeting, actor=_actor(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The meeting is taken out of the draft; it is listed under Not placed.")
        )
    return _detail(run)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def schedule_grid(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    grid = report.schedule_grid(run=run, day=_day(request.GET.get("day", "")))
    return render(
        request,
        "matchmaking/grid.html",
        {
            "event": run.matchmaking.event,
            "run": run,
            "grid": grid,
            "editable": run.status == "done",
        },
    )


@login_required
def schedule_export(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    run = _run(request, pk, run_id)
    response = HttpResponse(
        exports.schedule_xlsx(run=run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"schedule-event-{pk}-run-{run.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def outcome_summary(request: HttpRequest, pk: int) -> HttpResponse:
    matchmaking = _organised(request, pk)
    return render(
        request,
        "matchmaking/outcome_summary.html",
        {
            "event": matchmaking.event,
            "matchmaking": matchmaking,
            "summary": selectors_agenda.outcome_summary(matchmaking=matchmaking),
        },
    )
