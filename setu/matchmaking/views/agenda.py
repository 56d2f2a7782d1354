"""Personal agendas (page, print view, iCal) and what came of each meeting.

A participant's people (``matchmaking.act_for``) and the event's organisers see an agenda;
either side of a meeting, or an organiser, records whether it was held; each side records its
own follow-up.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import User
from setu.matchmaking import calendar
from setu.matchmaking.forms.schedule import FollowUpForm
from setu.matchmaking.models import Matchmaking, Meeting, Participant
from setu.matchmaking.selectors import agenda as selectors_agenda
from setu.matchmaking.selectors.access import access_matchmaking, participant_for
from setu.matchmaking.selectors.schedule import published_run
from setu.matchmaking.services.outcome import follow_up_save, meeting_outcome_record


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _agenda_context(
    request: HttpRequest, matchmaking: Matchmaking, participant: Participant
) -> dict[str, object]:
    run = published_run(matchmaking=matchmaking)
    now = timezone.now()
    return {
        "event": matchmaking.event,
        "matchmaking": matchmaking,
        "participant": participant,
        "run": run,
        "entries": selectors_agenda.agenda_entries(participant=participant, run=run),
        "now": now,
        "own": request.user.has_perm("matchmaking.act_for", participant),
        "organiser": request.user.has_perm("matchmaking.organise", matchmaking),
        "feed_url": _base_url(request)
        + reverse("matchmaking:agenda_feed", args=[calendar.feed_token(participant)]),
    }


def _participant(request: HttpRequest, pk: int, participant_id: int) -> Participant:
    """A participant whose agenda the user may read: their own, or any for an organiser."""
    matchmaking = access_matchmaking(user=request.user, event_pk=pk)
    participant = selectors_agenda.access_participant(
        matchmaking=matchmaking, participant_pk=participant_id
    )
    if not (
        request.user.has_perm("matchmaking.act_for", participant)
        or request.user.has_perm("matchmaking.organise", matchmaking)
    ):
        raise PermissionDenied
    return participant


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in user's own agenda at this event, or a word on why there is none."""
    matchmaking = access_matchmaking(user=request.user, event_pk=pk)
    participant = participant_for(user=request.user, matchmaking=matchmaking)
    if participant is None:
        return render(
            request,
            "matchmaking/agenda_none.html",
            {
                "event": matchmaking.event,
                "organiser": request.user.has_perm("matchmaking.organise", matchmaking),
            },
        )
    participant.matchmaking = matchmaking
    return render(
        request, "matchmaking/agenda.html", _agenda_context(request, matchmaking, participant)
    )


@login_required
def agenda_participant(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    participant = _participant(request, pk, participant_id)
    return render(
        request,
        "matchmaking/agenda.html",
        _agenda_context(request, participant.matchmaking, participant),
    )


@login_required
def agenda_print(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    participant = _participant(request, pk, participant_id)
    return render(
        request,
        "matchmaking/agenda_print.html",
        _agenda_context(request, participant.matchmaking, participant),
    )


def _ics(request: HttpRequest, participant: Participant) -> HttpResponse:
    run = published_run(matchmaking=participant.matchmaking)
    entries = selectors_agenda.agenda_entries(participant=participant, run=run)
    body = calendar.agenda_calendar(
        participant=participant, entries=entries, run=run, base_url=_base_url(request)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = f"meetings-event-{participant.matchmaking.event_id}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def agenda_ics(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    return _ics(request, _participant(request, pk, participant_id))


def agenda_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed behind a signed link (calendar apps cannot sign in), in the language of
    the participant's contact person."""
    participant_pk = calendar.read_feed_token(token)
    participant = (
        Participant.objects.select_related(
            "organisation", "contact", "matchmaking__event__city", "matchmaking__event__owner"
        )
        .filter(pk=participant_pk, active=True)
        .first()
        if participant_pk is not None
        else None
    )
    if participant is None:
        raise Http404
    language = participant.contact.language if participant.contact else settings.LANGUAGE_CODE
    with translation.override(language):
        return _ics(request, participant)


# --- outcomes -------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int, meeting_id: int) -> tuple[Matchmaking, Meeting]:
    matchmaking = access_matchmaking(user=request.user, event_pk=pk)
    meeting = (
        Meeting.objects.filter(run__matchmaking=matchmaking, pk=meeting_id)
        .select_related(
            "slot",
            "run",
            "request__requester__organisation",
            "request__recipient__organisation",
        )
        .first()
    )
    if meeting is None:
        raise Http404
    meeting.run.matchmaking = matchmaking
    return matchmaking, meeting


def _own_side(request: HttpRequest, matchmaking: Matchmaking, meeting: Meeting) -> Participant:
    """The side of the meeting the user speaks for; 403 when they speak for neither."""
    for side in (meeting.request.requester, meeting.request.recipient):
        if request.user.has_perm("matchmaking.act_for", side):
            return side
    raise PermissionDenied


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
@login_required
def outcome_record(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """Held, or a no-show by one side: either side of the meeting or an organiser."""
    matchmaking, meeting = _meeting(request, pk, meeting_id)
    organiser = request.user.has_perm("matchmaking.organise", matchmaking)
    if not organiser:
        side = _own_side(request, matchmaking, meeting)
        default = reverse("matchmaking:agenda_participant", args=[pk, side.pk])
    else:
        default = reverse("matchmaking:outcome_summary", args=[pk])
    sides = {p.pk: p for p in (meeting.request.requester, meeting.request.recipient)}
    no_show_by = sides.get(int(request.POST.get("no_show_by") or 0))
    try:
        meeting_outcome_record(
            meeting=meeting,
            outcome=request.POST.get("outcome", ""),
            no_show_by=no_show_by,
            actor=_actor(request),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Recorded. Thank you."))
    return _back(request, default)


@login_required
def outcome_follow_up(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """One side's follow-up of a meeting: interest, next step, private notes."""
    matchmaking, meeting = _meeting(request, pk, meeting_id)
    side = _own_side(request, matchmaking, meeting)
    existing = meeting.follow_ups.filter(participant=side).first()
    initial = (
        {"interest": existing.interest, "next_step": existing.next_step, "notes": existing.notes}
        if existing
        else None
    )
    form = FollowUpForm(request.POST or None, initial=initial)
    back = reverse("matchmaking:agenda_participant", args=[pk, side.pk])
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_save(
                meeting=meeting, participant=side, actor=_actor(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your follow-up is saved."))
            return redirect(back)
    return render(
        request,
        "matchmaking/outcome_follow_up.html",
        {
            "event": matchmaking.event,
            "meeting": meeting,
            "side": side,
            "other": meeting.request.other(side),
            "form": form,
            "back": back,
        },
    )
