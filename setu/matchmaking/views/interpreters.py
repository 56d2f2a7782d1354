"""The organisers' interpreter pages: the event's interpreters (add, change, remove) and each
interpreter's agenda in the published schedule (or, before publication, the latest draft).
Each needs ``matchmaking.organise``; interpreters are not users, organisers hand them their
agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user as _user
from setu.core.views_helpers import form_view
from setu.matchmaking.forms.common import slot_label
from setu.matchmaking.forms.interpreters import InterpreterForm
from setu.matchmaking.models import RunStatus
from setu.matchmaking.selectors import interpreters as selectors
from setu.matchmaking.selectors import schedule as selectors_schedule
from setu.matchmaking.services import interpreters as services
from setu.matchmaking.views.schedule import _organised


@login_required
def interpreters(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's interpreters, and the form to add one."""
    matchmaking = _organised(request, pk)
    form = InterpreterForm(
        request.POST or None,
        matchmaking=matchmaking,
        reader_zone=timezone.get_current_timezone_name(),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.interpreter_save(
            matchmaking=matchmaking, actor=_user(request), data=data
        ),
        template="matchmaking/interpreters.html",
        success=_("Interpreter added."),
        context={
            "event": matchmaking.event,
            "matchmaking": matchmaking,
            "interpreters": selectors.interpreter_list(matchmaking=matchmaking),
            "here": "interpreters",
        },
    )


@login_required
def interpreter_edit(request: HttpRequest, pk: int, interpreter_id: int) -> HttpResponse:
    matchmaking = _organised(request, pk)
    interpreter = selectors.access_interpreter(
        matchmaking=matchmaking, interpreter_pk=interpreter_id
    )
    form = InterpreterForm(
        request.POST or None,
        instance=interpreter,
        matchmaking=matchmaking,
        reader_zone=timezone.get_current_timezone_name(),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.interpreter_save(
            matchmaking=matchmaking, actor=_user(request), data=data, interpreter=interpreter
        ),
        template="matchmaking/interpreter_form.html",
        success=_("Interpreter saved."),
        context={
            "event": matchmaking.event,
            "matchmaking": matchmaking,
            "interpreter": interpreter,
            "here": "interpreters",
        },
    )


@require_POST
@login_required
def interpreter_remove(request: HttpRequest, pk: int, interpreter_id: int) -> HttpResponse:
    matchmaking = _organised(request, pk)
    interpreter = selectors.access_interpreter(
        matchmaking=matchmaking, interpreter_pk=interpreter_id
    )
    services.interpreter_remove(interpreter=interpreter, actor=_user(request))
    messages.success(request, _("Interpreter removed."))
    return redirect("matchmaking:interpreters", pk=pk)


@login_required
def interpreter_agenda(request: HttpRequest, pk: int, interpreter_id: int) -> HttpResponse:
    """The interpreter's meetings: the published schedule's, else the latest draft's."""
    matchmaking = _organised(request, pk)
    interpreter = selectors.access_interpreter(
        matchmaking=matchmaking, interpreter_pk=interpreter_id
    )
    runs = selectors_schedule.run_list(matchmaking=matchmaking)
    run = (
        runs.filter(status=RunStatus.PUBLISHED).first()
        or runs.filter(status=RunStatus.DONE).first()
    )
    meetings = []
    if run is not None:
        zone_name = matchmaking.event.venue_zone
        reader = timezone.get_current_timezone_name()
        for meeting in selectors.interpreter_meetings(run=run, interpreter=interpreter):
            meeting.when = slot_label(meeting.slot, zone_name, reader)  # type: ignore[attr-defined]
            meeting.table_name = matchmaking.table_label(meeting.table)  # type: ignore[attr-defined]
            meetings.append(meeting)
    return render(
        request,
        "matchmaking/interpreter_agenda.html",
        {
            "event": matchmaking.event,
            "matchmaking": matchmaking,
            "interpreter": interpreter,
            "run": run,
            "meetings": meetings,
            "here": "interpreters",
        },
    )
