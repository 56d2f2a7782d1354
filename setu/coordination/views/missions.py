"""Joint missions: list, create, the mission page with its parts, itinerary print, report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import Role, User
from setu.coordination import notices, selectors
from setu.coordination.forms import (
    DelegateForm,
    DestinationForm,
    MissionForm,
    ParticipantForm,
    ProposalForm,
    ReportForm,
    TaskForm,
)
from setu.coordination.merging import merge_plan
from setu.coordination.models import (
    Delegate,
    ItineraryItem,
    Mission,
    MissionDestination,
    MissionParticipant,
)
from setu.coordination.services import missions as services
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
from setu.core.principal import principal_for
from setu.core.timefmt import zone
from setu.directory.models import Organisation, OrganisationKind
from setu.events.models import Event
from setu.library.selectors import documents_card


def indian_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return (
        Organisation.objects.visible_to(request.user)
        .filter(country="IN")
        .exclude(kind=OrganisationKind.INDIAN_STATE)
        .order_by("name_en")
    )


def japanese_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """Partners in Japan who may host an item of a visit to Japan."""
    return Organisation.objects.visible_to(request.user).filter(country="JP").order_by("name_en")


def _lead_prefecture(request: HttpRequest) -> Organisation:
    """The prefecture a new mission is led by: the one the officer acts for."""
    prefecture = acting_organisation(request.user, roles={Role.PREFECTURE_OFFICER})
    if prefecture is None:
        raise PermissionDenied
    return prefecture


@login_required
@needs("coordination.use")
def mission_list(request: HttpRequest) -> HttpResponse:
    when = pick(request.GET.get("when"), ("upcoming", "past"), "upcoming")
    missions = selectors.mission_list(user=request.user, when=when)
    page = Paginator(missions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/mission_list.html",
        {"page": page, "when": when, "can_add": request.user.has_perm("coordination.add_mission")},
    )


@login_required
@needs("coordination.add_mission")
def mission_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = MissionForm(
        request.POST or None,
        initial={"visibility": "consortium"},
        targets=indian_organisations(request),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        targets = values.pop("targets")
        try:
            mission = services.mission_create(
                actor=user, owner=_lead_prefecture(request), targets=targets, **values
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The mission was created. Add its destinations next."))
            return redirect(mission)
    return render(request, "coordination/mission_form.html", {"form": form})


@login_required
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    check(request, "coordination.change_mission", mission)
    form = MissionForm(
        request.POST or None, instance=mission, targets=indian_organisations(request)
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        targets = values.pop("targets")
        try:
            services.mission_update(mission=mission, actor=user, targets=targets, **values)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The mission was saved."))
            return redirect(mission)
    return render(request, "coordination/mission_form.html", {"form": form, "mission": mission})


def _my_prefectures_on(request: HttpRequest, mission: Mission) -> QuerySet[Organisation]:
    """The user's prefectures that lead or take part in the mission."""
    mine = principal_for(request.user).officer_org_ids & selectors.mission_prefecture_ids(mission)
    return Organisation.objects.filter(pk__in=mine).order_by("name_en")


def _participant_choices(request: HttpRequest, mission: Mission) -> QuerySet[Organisation]:
    """Member prefectures that may join the mission: those not on it yet."""
    return (
        Organisation.objects.visible_to(request.user)
        .filter(kind=OrganisationKind.MEMBER_PREFECTURE)
        .exclude(pk__in=selectors.mission_prefecture_ids(mission))
        .order_by("name_en")
    )


def _task_owner_choices(request: HttpRequest, mission: Mission) -> QuerySet[Organisation]:
    """The prefectures on the mission, which may own its tasks."""
    return Organisation.objects.visible_to(request.user).filter(
        pk__in=selectors.mission_prefecture_ids(mission)
    )


def _delegate_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    officer_of = principal_for(request.user).officer_org_ids
    return Organisation.objects.filter(
        Q(pk__in=officer_of) | Q(managed_by__in=officer_of), merged_into__isnull=True
    ).order_by("kind", "name_en")


def _itinerary_by_day(
    mission: Mission, user: User | AnonymousUser
) -> list[tuple[Any, list[ItineraryItem]]]:
    items = mission.itinerary.select_related("destination__city").prefetch_related(
        # an organisation or event the reader may not see reads None: neither is shown
        Prefetch("organisation", queryset=Organisation.objects.visible_to(user)),
        Prefetch("event", queryset=Event.objects.visible_to(user)),
        Prefetch("host_organisation", queryset=Organisation.objects.visible_to(user)),
    )
    days: dict[Any, list[ItineraryItem]] = {}
    default_zone = "Asia/Tokyo" if mission.is_inbound else "Asia/Kolkata"
    for item in items:
        zone_name = item.destination.city.timezone if item.destination else default_zone
        item.zone = zone_name  # type: ignore[attr-defined]
        local = timezone.localtime(item.starts_at, timezone=zone(zone_name))
        days.setdefault(local.date(), []).append(item)
    return sorted(days.items())


@login_required
@needs("coordination.use")
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    can_manage = user.has_perm("coordination.change_mission", mission)
    can_contribute = user.has_perm("coordination.contribute_mission", mission)
    prefectures = selectors.mission_prefectures(mission)
    participants = list(mission.participants.select_related("organisation", "via_proposal"))
    delegates = list(mission.delegates.select_related("prefecture", "organisation"))
    context: dict[str, Any] = {
        "mission": mission,
        "prefectures": prefectures,
        "participants": participants,
        "destinations": list(mission.destinations.select_related("city", "city__region")),
        "targets": list(mission.targets.visible_to(user)),
        "delegations": [
            (org, [d for d in delegates if d.prefecture_id == org.pk]) for org in prefectures
        ],
        "itinerary_days": _itinerary_by_day(mission, user),
        "tasks": list(mission.tasks.select_related("owner_organisation", "owner_user")),
        "notices": notices.notice_list(user=user, mission=mission, include_dismissed=True),
        "duplicate_offers": [
            (proposal, merge_plan(proposal))
            for proposal in notices.open_duplicate_proposals(mission)
            if user.has_perm("coordination.resolve_duplicate", proposal)
        ]
        if can_manage
        else [],
        "can_manage": can_manage,
        "can_contribute": can_contribute,
        "can_see_budget": user.has_perm("coordination.view_mission_budget", mission),
        "my_prefecture_ids": principal_for(user).officer_org_ids,
        "proposal_form": ProposalForm(),
        "today": timezone.localdate(),
        **documents_card(user=user, record=mission, can_edit=can_manage),
    }
    if context["can_see_budget"]:
        context["budget"] = selectors.budget_overview(mission=mission)
    if can_manage:
        context["participant_form"] = ParticipantForm(
            prefectures=_participant_choices(request, mission)
        )
        context["destination_form"] = DestinationForm()
    if can_contribute:
        mine = _my_prefectures_on(request, mission)
        context["delegate_form"] = DelegateForm(
            prefectures=mine,
            organisations=_delegate_organisations(request),
            initial={"prefecture": mine.first(), "organisation": mine.first()},
        )
        context["task_form"] = TaskForm(prefectures=_task_owner_choices(request, mission))
    return render(request, "coordination/mission_detail.html", context)


@login_required
@needs("coordination.use")
def mission_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The itinerary in English and Japanese side by side, for print."""
    mission = selectors.access_mission(user=request.user, pk=pk)
    return render(
        request,
        "coordination/mission_print.html",
        {
            "mission": mission,
            "destinations": list(mission.destinations.select_related("city", "city__region")),
            "itinerary_days": _itinerary_by_day(mission, request.user),
            "prefectures": selectors.mission_prefectures(mission),
            "delegates": list(mission.delegates.select_related("prefecture", "organisation")),
        },
    )


@login_required
def mission_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The post-mission report: meetings held with their outcomes, follow-ups, a summary."""
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    can_edit = user.has_perm("coordination.contribute_mission", mission)
    items = list(mission.itinerary.select_related("organisation", "destination__city"))
    form = ReportForm(
        request.POST or None,
        items=items,
        initial={"summary_en": mission.report_summary_en, "summary_ja": mission.report_summary_ja},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.mission_report_save(
                    mission=mission,
                    actor=user,
                    summary_en=form.cleaned_data["summary_en"],
                    summary_ja=form.cleaned_data["summary_ja"],
                    outcomes=form.outcomes(),
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("coordination:mission_report", pk=mission.pk)
    follow_ups = list(
        mission.tasks.filter(follow_up=True).select_related("owner_organisation", "owner_user")
    )
    held = [item for item in items if item.held and item.is_meeting]
    return render(
        request,
        "coordination/mission_report.html",
        {
            "mission": mission,
            "form": form,
            "can_edit": can_edit,
            "follow_ups": follow_ups,
            "meetings_held": held,
            "task_form": TaskForm(
                prefectures=_task_owner_choices(request, mission), initial={"follow_up": True}
            )
            if can_edit
            else None,
        },
    )


# --- prefectures, destinations, delegates ---------------------------------------------------


def back_to_mission(mission: Mission, anchor: str) -> HttpResponse:
    return redirect(f"{mission.get_absolute_url()}#{anchor}")


@require_POST
@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    check(request, "coordination.change_mission", mission)
    form = ParticipantForm(request.POST, prefectures=_participant_choices(request, mission))
    if form.is_valid():
        try:
            services.participant_add(
                mission=mission, actor=user, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("%(org)s takes part now.") % {"org": form.cleaned_data["organisation"]},
            )
    else:
        messages.error(request, _("Choose a member prefecture."))
    return back_to_mission(mission, "prefectures")


@require_POST
@login_required
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    participant: MissionParticipant = selectors.access_mission_part(
        user=user, model=MissionParticipant, pk=pk
    )
    check(request, "coordination.change_mission", participant.mission)
    try:
        services.participant_remove(participant=participant, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The prefecture no longer takes part."))
    return back_to_mission(participant.mission, "prefectures")


@require_POST
@login_required
def destination_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    check(request, "coordination.change_mission", mission)
    form = DestinationForm(request.POST)
    if form.is_valid():
        try:
            services.destination_add(mission=mission, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The destination was added."))
    else:
        flash_form_errors(request, form)
    return back_to_mission(mission, "destinations")


@require_POST
@login_required
def destination_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    destination: MissionDestination = selectors.access_mission_part(
        user=user, model=MissionDestination, pk=pk
    )
    check(request, "coordination.change_mission", destination.mission)
    services.destination_remove(destination=destination, actor=user)
    messages.success(request, _("The destination was removed."))
    return back_to_mission(destination.mission, "destinations")


@require_POST
@login_required
def delegate_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    check(request, "coordination.contribute_mission", mission)
    form = DelegateForm(
        request.POST,
        prefectures=_my_prefectures_on(request, mission),
        organisations=_delegate_organisations(request),
    )
    if form.is_valid():
        try:
            services.delegate_add(mission=mission, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("%(name)s was added.") % {"name": form.cleaned_data["name"]}
            )
    else:
        flash_form_errors(request, form)
    return back_to_mission(mission, "delegates")


@require_POST
@login_required
def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    delegate: Delegate = selectors.access_mission_part(user=user, model=Delegate, pk=pk)
    check(request, "coordination.contribute_mission", delegate.mission)
    try:
        services.delegate_remove(delegate=delegate, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": delegate.name})
    return back_to_mission(delegate.mission, "delegates")
