"""A mission's itinerary, tasks and budget lines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination import selectors
from setu.coordination.forms import (
    BudgetLineForm,
    ItineraryForm,
    TaskForm,
)
from setu.coordination.models import (
    BudgetLine,
    ItineraryItem,
    Mission,
    MissionTask,
    SplitMethod,
)
from setu.coordination.services import budget as budget_services
from setu.coordination.services import missions as services
from setu.coordination.views.common import (
    attach_errors,
    check,
    flash_errors,
    flash_form_errors,
    signed_in,
)
from setu.coordination.views.missions import (
    _task_owner_choices,
    back_to_mission,
    indian_organisations,
    japanese_organisations,
)
from setu.core.timefmt import zone

# --- itinerary and tasks --------------------------------------------------------------------


def _itinerary_form(
    request: HttpRequest, mission: Mission, item: ItineraryItem | None
) -> HttpResponse:
    user = signed_in(request)
    check(request, "coordination.contribute_mission", mission)
    initial: dict[str, Any] = {}
    if item is not None:
        default_zone = "Asia/Tokyo" if mission.is_inbound else "Asia/Kolkata"
        zone_name = item.destination.city.timezone if item.destination else default_zone
        start = timezone.localtime(item.starts_at, timezone=zone(zone_name))
        end = timezone.localtime(item.ends_at, timezone=zone(zone_name))
        initial = {
            "destination": item.destination_id,
            "kind": item.kind,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "title_en": item.title_en,
            "title_ja": item.title_ja,
            "notes_en": item.notes_en,
            "notes_ja": item.notes_ja,
            "organisation": item.organisation_id,
            "place": item.place,
            "link_url": item.link_url,
            "event": item.event_id,
            "host_organisation": item.host_organisation_id,
            "host_contact": item.host_contact,
            "wants_to_see": item.wants_to_see,
            "interpreter": item.interpreter,
        }
    form = ItineraryForm(
        request.POST or None,
        initial=initial,
        mission=mission,
        organisations=indian_organisations(request),
        events=selectors.events_during(user=user, mission=mission),
        hosts=japanese_organisations(request) if mission.is_inbound else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.itinerary_item_save(mission=mission, actor=user, item=item, **form.values())
        except ValidationError as error:
            attach_errors(form, error, {"ends_at": "end_time", "starts_at": "start_time"})
        else:
            messages.success(request, _("The itinerary was saved."))
            return back_to_mission(mission, "itinerary")
    return render(
        request,
        "coordination/itinerary_form.html",
        {"form": form, "mission": mission, "item": item},
    )


@login_required
def itinerary_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = selectors.access_mission(user=request.user, pk=pk)
    return _itinerary_form(request, mission, None)


@login_required
def itinerary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item: ItineraryItem = selectors.access_mission_part(
        user=request.user, model=ItineraryItem, pk=pk
    )
    return _itinerary_form(request, item.mission, item)


@require_POST
@login_required
def itinerary_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item: ItineraryItem = selectors.access_mission_part(user=user, model=ItineraryItem, pk=pk)
    check(request, "coordination.contribute_mission", item.mission)
    services.itinerary_item_delete(item=item, actor=user)
    messages.success(request, _("The entry was removed from the itinerary."))
    return back_to_mission(item.mission, "itinerary")


@require_POST
@login_required
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = selectors.access_mission(user=user, pk=pk)
    check(request, "coordination.contribute_mission", mission)
    form = TaskForm(request.POST, prefectures=_task_owner_choices(request, mission))
    if form.is_valid():
        try:
            services.task_add(mission=mission, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The task was added."))
    else:
        flash_form_errors(request, form)
    if request.POST.get("next") == "report":
        return redirect("coordination:mission_report", pk=mission.pk)
    return back_to_mission(mission, "tasks")


@require_POST
@login_required
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    task: MissionTask = selectors.access_mission_part(user=user, model=MissionTask, pk=pk)
    check(request, "coordination.contribute_mission", task.mission)
    try:
        services.task_set_status(task=task, actor=user, status=request.POST.get("status", ""))
    except ValidationError as error:
        flash_errors(request, error)
    return back_to_mission(task.mission, "tasks")


# --- budget ---------------------------------------------------------------------------------


def _budget_form(request: HttpRequest, mission: Mission, line: BudgetLine | None) -> HttpResponse:
    user = signed_in(request)
    check(request, "coordination.change_mission", mission)
    prefectures = selectors.mission_prefectures(mission)
    initial: dict[str, Any] = {"split": SplitMethod.EQUAL}
    if line is not None:
        initial = {
            "title": line.title,
            "amount_jpy": line.amount_jpy,
            "split": line.split,
            "note": line.note,
        }
        for share in line.shares.all():
            initial[f"share_{share.organisation_id}"] = share.amount_jpy
    form = BudgetLineForm(request.POST or None, initial=initial, prefectures=prefectures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget_services.budget_line_save(
                mission=mission,
                actor=user,
                line=line,
                title=data["title"],
                amount_jpy=data["amount_jpy"],
                split=data["split"],
                note=data.get("note") or "",
                fixed_shares=form.fixed_shares() if data["split"] == SplitMethod.FIXED else None,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return back_to_mission(mission, "budget")
    return render(
        request,
        "coordination/budget_line_form.html",
        {
            "form": form,
            "mission": mission,
            "line": line,
            "headcounts": [
                (org, selectors.headcounts(mission).get(org.pk, 0)) for org in prefectures
            ],
        },
    )


@login_required
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = selectors.access_mission(user=request.user, pk=pk)
    return _budget_form(request, mission, None)


@login_required
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line: BudgetLine = selectors.access_mission_part(user=request.user, model=BudgetLine, pk=pk)
    return _budget_form(request, line.mission, line)


@require_POST
@login_required
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    line: BudgetLine = selectors.access_mission_part(user=user, model=BudgetLine, pk=pk)
    check(request, "coordination.change_mission", line.mission)
    budget_services.budget_line_delete(line=line, actor=user)
    messages.success(request, _("The budget line was removed."))
    return back_to_mission(line.mission, "budget")
