"""Meeting series, meetings, invitations and RSVP, agenda, decisions and publishing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.accounts.models import STAFF_ROLES
from setu.coordination import selectors
from setu.coordination.forms import (
    AttachmentForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    PublishForm,
    RsvpForm,
    SeriesForm,
)
from setu.coordination.models import (
    AgendaItem,
    Invitee,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from setu.coordination.services import meetings as services
from setu.coordination.views.common import (
    attach_errors,
    check,
    flash_errors,
    flash_form_errors,
    needs,
    pick,
    signed_in,
)
from setu.core.access import acting_organisation
from setu.core.params import int_param
from setu.core.principal import principal_for
from setu.core.timefmt import zone
from setu.directory.models import Organisation, OrganisationKind
from setu.library.selectors import documents_card

NETWORK_KINDS = (
    OrganisationKind.MEMBER_PREFECTURE,
    OrganisationKind.SECRETARIAT,
    OrganisationKind.INDIAN_STATE,
    OrganisationKind.AGENCY,
    OrganisationKind.CHAMBER,
    OrganisationKind.ACADEMIC,
    OrganisationKind.COMPANY,
)


def _organising_org(request: HttpRequest) -> Organisation:
    """The organisation a new meeting or series belongs to: the secretariat or prefecture the
    user acts for."""
    organisation = acting_organisation(request.user, roles=STAFF_ROLES)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _invitable(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations a meeting may invite: those of the network the organiser can see."""
    # Member prefectures first, then the secretariat, Indian states, agencies and others.
    rank = Case(
        *(When(kind=kind, then=Value(index)) for index, kind in enumerate(NETWORK_KINDS)),
        output_field=IntegerField(),
    )
    return (
        Organisation.objects.visible_to(request.user)
        .filter(kind__in=NETWORK_KINDS)
        .exclude(kind=OrganisationKind.COMPANY, visibility="private")
        .order_by(rank, "name_en")
    )


def _manageable_series(request: HttpRequest) -> QuerySet[MeetingSeries]:
    principal = principal_for(request.user)
    series = MeetingSeries.objects.visible_to(request.user)
    if not principal.is_secretariat:
        series = series.filter(owner__in=principal.officer_org_ids)
    return series.order_by("title_en")


# --- series ---------------------------------------------------------------------------------


@login_required
@needs("coordination.add_meeting")
def series_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = SeriesForm(request.POST or None, initial={"visibility": "consortium"})
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                actor=user, owner=_organising_org(request), **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The series was created. Add its first meeting."))
            return redirect(series)
    return render(request, "coordination/series_form.html", {"form": form})


@login_required
@needs("coordination.use")
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.access_series(user=request.user, pk=pk)
    meetings = selectors.meeting_list(user=request.user, when="all", series=series)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/series_detail.html",
        {
            "series": series,
            "page": page,
            "can_edit": request.user.has_perm("coordination.change_series", series),
            "now": timezone.now(),
        },
    )


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    series = selectors.access_series(user=user, pk=pk)
    check(request, "coordination.change_series", series)
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.series_update(series=series, actor=user, **values)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The series was saved."))
            return redirect(series)
    return render(request, "coordination/series_form.html", {"form": form, "series": series})


# --- meetings -------------------------------------------------------------------------------


@login_required
@needs("coordination.use")
def meeting_list(request: HttpRequest) -> HttpResponse:
    when = pick(request.GET.get("when"), ("upcoming", "past"), "upcoming")
    meetings = selectors.meeting_list(user=request.user, when=when)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "page": page,
            "when": when,
            "series": selectors.series_list(user=request.user).order_by("title_en"),
            "can_add": request.user.has_perm("coordination.add_meeting"),
        },
    )


@login_required
@needs("coordination.add_meeting")
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    series_choices = _manageable_series(request)
    initial: dict[str, Any] = {"visibility": "consortium", "time_zone": user.time_zone}
    chosen = series_choices.filter(pk=int_param(request.GET.get("series")) or 0).first()
    if chosen is not None:
        initial.update(series=chosen, time_zone=chosen.time_zone, title_en=chosen.title_en)
        last = chosen.meetings.order_by("-starts_at").first()
        if last is not None:
            initial["invite"] = list(
                last.invitees.filter(organisation__isnull=False).values_list(
                    "organisation_id", flat=True
                )
            )
    form = MeetingForm(
        request.POST or None, initial=initial, series=series_choices, invitable=_invitable(request)
    )
    if request.method == "POST" and form.is_valid():
        series = form.cleaned_data.get("series")
        owner = series.owner if series else _organising_org(request)
        try:
            meeting = services.meeting_create(
                actor=user,
                owner=owner,
                invite_organisations=form.cleaned_data.get("invite") or [],
                **form.meeting_values(),
            )
        except ValidationError as error:
            attach_errors(form, error, {"ends_at": "end_time", "starts_at": "start_time"})
        else:
            messages.success(request, _("The meeting was created. Now set its agenda."))
            return redirect(meeting)
    return render(request, "coordination/meeting_form.html", {"form": form})


def _meeting_form_initial(meeting: Meeting) -> dict[str, Any]:
    local = timezone.localtime(meeting.starts_at, timezone=zone(meeting.time_zone))
    local_end = timezone.localtime(meeting.ends_at, timezone=zone(meeting.time_zone))
    return {
        "series": meeting.series_id,
        "title_en": meeting.title_en,
        "title_ja": meeting.title_ja,
        "title_hi": meeting.title_hi,
        "day": local.date(),
        "start_time": local.time(),
        "end_time": local_end.time(),
        "time_zone": meeting.time_zone,
        "city": meeting.city_id,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "visibility": meeting.visibility,
        "status": meeting.status,
    }


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    check(request, "coordination.change_meeting", meeting)
    form = MeetingForm(
        request.POST or None,
        initial=_meeting_form_initial(meeting),
        series=_manageable_series(request)
        | MeetingSeries.objects.filter(pk__in=[meeting.series_id or 0]),
        invitable=None,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=user, **form.meeting_values())
        except ValidationError as error:
            attach_errors(form, error, {"ends_at": "end_time", "starts_at": "start_time"})
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(request, "coordination/meeting_form.html", {"form": form, "meeting": meeting})


def _agenda_with_times(meeting: Meeting) -> list[AgendaItem]:
    """The agenda, each item carrying its planned start (the meeting's start plus the time
    boxes before it)."""
    items = selectors.agenda_for(meeting)
    moment = meeting.starts_at
    for item in items:
        item.planned_start = moment  # type: ignore[attr-defined]
        moment += timedelta(minutes=item.duration_minutes)
    return items


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    user = request.user
    participation = selectors.meeting_participation(user=user, meeting=meeting)
    agenda = _agenda_with_times(meeting)
    raised, carried = selectors.meeting_actions(meeting, user=user)
    can_manage = user.has_perm("coordination.change_meeting", meeting)
    can_edit_minutes = user.has_perm("coordination.edit_minutes", meeting)
    total = sum(item.duration_minutes for item in agenda)
    return {
        "meeting": meeting,
        "participation": participation,
        "agenda": agenda,
        "agenda_minutes": total,
        "agenda_overruns": meeting.starts_at + timedelta(minutes=total) > meeting.ends_at,
        "general_decisions": [d for d in meeting.decisions.all() if d.agenda_item_id is None],
        "raised": selectors.with_permissions(raised, user),
        "carried": selectors.with_permissions(carried, user),
        "invitees": selectors.meeting_invitees(meeting),
        "can_manage": can_manage,
        "can_edit_minutes": can_edit_minutes,
        "can_read_minutes": selectors.can_read_minutes(user=user, meeting=meeting),
        "can_publish": user.has_perm("coordination.publish_minutes", meeting),
        "can_add_action": user.has_perm("coordination.add_action", meeting)
        and not meeting.minutes_locked,
        "today": timezone.localdate(),
        "previous": selectors.previous_meeting(meeting),
        "next": selectors.next_meeting(meeting),
    }


@login_required
@needs("coordination.use")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    context = _meeting_context(request, meeting)
    context.update(
        documents_card(user=request.user, record=meeting, can_edit=context["can_manage"])
    )
    if context["can_manage"] and meeting.status == MeetingStatus.SCHEDULED:
        context["invite_form"] = InviteForm(organisations=_invitable(request))
    if context["can_publish"]:
        context["publish_form"] = PublishForm()
    if context["can_edit_minutes"]:
        context["decision_form"] = DecisionForm(items=meeting.agenda_items.all())
        context["attachment_form"] = AttachmentForm()
    context["rsvp_forms"] = [
        (invitee, RsvpForm(initial={"rsvp": invitee.rsvp}))
        for invitee in context["participation"].answers_for
    ]
    return render(request, "coordination/meeting_detail.html", context)


@login_required
@needs("coordination.use")
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Agenda and minutes on paper (print CSS): what the reader may see of them."""
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    return render(request, "coordination/meeting_print.html", _meeting_context(request, meeting))


@require_POST
@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    check(request, "coordination.change_meeting", meeting)
    try:
        carried = services.meeting_close(meeting=meeting, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        following = selectors.next_meeting(meeting)
        if carried and following:
            messages.success(
                request,
                ngettext(
                    "The meeting was closed; %(n)s open action item was carried over to %(next)s.",
                    "The meeting was closed; %(n)s open action items were carried over to "
                    "%(next)s.",
                    carried,
                )
                % {"n": carried, "next": following},
            )
        elif following is None:
            messages.success(
                request,
                _(
                    "The meeting was closed. Open action items will carry over when the next "
                    "meeting of the series is created."
                ),
            )
        else:
            messages.success(request, _("The meeting was closed."))
    return redirect(meeting)


# --- invitations and RSVP -------------------------------------------------------------------


@require_POST
@login_required
def invitee_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    check(request, "coordination.change_meeting", meeting)
    form = InviteForm(request.POST, organisations=_invitable(request))
    if form.is_valid():
        try:
            services.invitee_add(
                meeting=meeting,
                actor=user,
                organisation=form.cleaned_data.get("organisation"),
                user=form.cleaned_data.get("user"),
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Invited."))
    else:
        flash_form_errors(request, form)
    return redirect(f"{meeting.get_absolute_url()}#invitees")


@require_POST
@login_required
def invitee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    invitee: Invitee = selectors.access_meeting_part(user=user, model=Invitee, pk=pk)
    check(request, "coordination.change_meeting", invitee.meeting)
    services.invitee_remove(invitee=invitee, actor=user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect(f"{invitee.meeting.get_absolute_url()}#invitees")


@require_POST
@login_required
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer for oneself, or for one's organisation."""
    user = signed_in(request)
    invitee: Invitee = selectors.access_meeting_part(user=user, model=Invitee, pk=pk)
    principal = principal_for(user)
    if not (invitee.user_id == user.pk or invitee.organisation_id in principal.org_ids):
        raise PermissionDenied
    form = RsvpForm(request.POST)
    if form.is_valid():
        services.rsvp_answer(invitee=invitee, actor=user, answer=form.cleaned_data["rsvp"])
        messages.success(request, _("Your answer was saved."))
    else:
        messages.error(request, _("Choose attending, maybe or not attending."))
    return redirect(invitee.meeting)
