"""Leads: the list, the board per member, a lead's page, its stage moves, credits, deal and
MoUs, and the one-click creation from a meeting, an attendance or a mission's meeting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import Role, User
from setu.coordination.views.common import attach_errors, check, needs
from setu.core.access import acting_organisation, signed_in_user
from setu.core.params import FILTER_MAX_CHARS, int_param, text_param
from setu.core.principal import principal_for
from setu.directory.models import Organisation, Sector
from setu.results import forms, selectors, services
from setu.results.forms import (
    CreditsForm,
    DealForm,
    EventCostForm,
    LeadForm,
    MouLinkForm,
    MoveForm,
)
from setu.results.models import LeadKind, Stage

PAGE_SIZE = 50


def _owner(request: HttpRequest) -> Organisation:
    """The prefecture a new lead belongs to: the one the officer acts for."""
    prefecture = acting_organisation(request.user, roles={Role.PREFECTURE_OFFICER})
    if prefecture is None:
        raise PermissionDenied
    return prefecture


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The list's and board's filters from the query string (a bad value is ignored)."""
    get = request.GET
    stage = get.get("stage", "")
    kind = get.get("kind", "")
    return {
        "stage": stage if stage in Stage.values else "",
        "kind": kind if kind in LeadKind.values else "",
        "sector": int_param(get.get("sector")),
        "overdue": get.get("overdue") == "1",
        "q": text_param(get.get("q"), max_length=FILTER_MAX_CHARS),
    }


def _filter_context(filters: dict[str, Any]) -> dict[str, Any]:
    used_sectors = Sector.objects.filter(level="section").order_by("code")
    return {
        "filters": filters,
        "stages": Stage.choices,
        "kinds": LeadKind.choices,
        "sectors": used_sectors,
        "filter_max_chars": FILTER_MAX_CHARS,
    }


@login_required
@needs("results.view")
def lead_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    owner = int_param(request.GET.get("owner"))
    leads = selectors.lead_list(user=request.user, owner=owner, **filters).order_by(
        "-updated_at", "-id"
    )
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "results/lead_list.html",
        {
            "page": page,
            "owner": owner,
            "members": selectors.board_members(user=request.user),
            "can_add": request.user.has_perm("results.add_lead"),
            **_filter_context(filters),
        },
    )


@login_required
@needs("results.view")
def board(request: HttpRequest) -> HttpResponse:
    members = selectors.board_members(user=request.user)
    wanted = int_param(request.GET.get("member"))
    member = next((m for m in members if m.pk == wanted), members[0] if members else None)
    filters = _filters(request)
    filters.pop("stage")
    columns = selectors.board(user=request.user, member=member, filters=filters) if member else []
    may_move = member is not None and member.pk in principal_for(request.user).officer_org_ids
    return render(
        request,
        "results/board.html",
        {
            "member": member,
            "members": members,
            "columns": columns,
            "may_move": may_move,
            "can_add": request.user.has_perm("results.add_lead"),
            **_filter_context(filters),
        },
    )


@login_required
@needs("results.view")
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_page(request.user, pk)
    may_change = request.user.has_perm("results.change_lead", lead)
    return render(
        request,
        "results/lead_detail.html",
        {
            "lead": lead,
            "deal": selectors.deal_of(lead),
            "may_change": may_change,
            "move_form": MoveForm(initial={"to_stage": lead.stage}) if may_change else None,
        },
    )


def _lead_form_page(
    request: HttpRequest, form: LeadForm, save: Any, *, lead: Any = None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The lead was saved."))
            return redirect(saved)
    return render(request, "results/lead_form.html", {"form": form, "lead": lead})


@login_required
@needs("results.add_lead")
def lead_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    owner = _owner(request)
    form = LeadForm(request.POST or None, user=user, initial={"currency": "JPY"})
    return _lead_form_page(
        request, form, lambda data: services.lead_create(actor=user, owner=owner, data=data)
    )


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    lead = selectors.access_lead(user, pk)
    check(request, "results.change_lead", lead)
    form = LeadForm(request.POST or None, instance=lead, user=user)
    # The form sets its values on ``lead``; the service reads the stored row again.
    return _lead_form_page(
        request,
        form,
        lambda data: services.lead_update(lead=lead, actor=user, data=data),
        lead=lead,
    )


@login_required
def lead_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The move step: from the board or the lead's page (a select, a drag), a POST moves the
    lead; a move backwards without a reason shows this page to ask for one."""
    user = signed_in_user(request)
    lead = selectors.access_lead(user, pk)
    check(request, "results.change_lead", lead)
    form = MoveForm(request.POST or None, initial={"to_stage": request.GET.get("to", lead.stage)})
    if request.method == "POST" and form.is_valid():
        to_stage = form.cleaned_data["to_stage"]
        try:
            services.lead_move(
                lead=lead, actor=user, to_stage=to_stage, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(lead)s moved to %(stage)s.")
                % {"lead": lead.title, "stage": Stage(to_stage).label},
            )
            if to_stage == Stage.WON and selectors.deal_of(lead) is None:
                messages.info(request, _("Record the deal: its value, date and evidence."))
                return redirect("results:deal", pk=lead.pk)
            return _back(request, lead)
    backwards = form.is_bound and services.is_backwards(lead.stage, form.data.get("to_stage", ""))
    return render(
        request,
        "results/lead_move.html",
        {"lead": lead, "form": form, "backwards": backwards, "next": _next(request)},
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/results/") and "//" not in target else ""


def _back(request: HttpRequest, lead: Any) -> HttpResponse:
    target = _next(request)
    return redirect(target) if target else redirect(lead)


@login_required
def lead_credits(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    lead = selectors.lead_page(user, pk)
    check(request, "results.change_lead", lead)
    prefectures = selectors.credit_prefectures(lead)
    current = {credit.organisation_id: credit.share for credit in lead.credits.all()}
    form = CreditsForm(request.POST or None, prefectures=prefectures, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.credits_set(lead=lead, actor=user, shares=form.shares())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The credit shares were saved."))
            return redirect(lead)
    return render(request, "results/lead_credits.html", {"lead": lead, "form": form})


@login_required
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    lead = selectors.access_lead(user, pk)
    check(request, "results.change_lead", lead)
    deal = selectors.deal_of(lead)
    form = DealForm(request.POST or None, instance=deal, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_save(lead=lead, actor=user, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The deal was saved."))
            return redirect(lead)
    return render(request, "results/deal_form.html", {"lead": lead, "form": form, "deal": deal})


# --- one click --------------------------------------------------------------------------------


def _one_click(request: HttpRequest, make: Any, fallback: str) -> HttpResponse:
    user = signed_in_user(request)
    if not user.has_perm("results.add_lead"):
        raise PermissionDenied
    try:
        lead, new = make(user, _owner(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(fallback)
    if new:
        messages.success(request, _("The lead was created. Complete it: value, next step."))
        return redirect("results:lead_edit", pk=lead.pk)
    messages.info(request, _("Your prefecture already follows this as a lead."))
    return redirect(lead)


@login_required
@require_POST
def lead_from_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.origin_meeting_for(request.user, pk)
    return _one_click(
        request,
        lambda user, owner: services.lead_from_meeting(actor=user, owner=owner, meeting=meeting),
        meeting.run.matchmaking.event.get_absolute_url(),
    )


@login_required
@require_POST
def lead_from_registration(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.origin_registration_for(request.user, pk)
    return _one_click(
        request,
        lambda user, owner: services.lead_from_registration(
            actor=user, owner=owner, registration=registration
        ),
        registration.event.get_absolute_url(),
    )


@login_required
@require_POST
def lead_from_itinerary_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.origin_itinerary_item_for(request.user, pk)
    return _one_click(
        request,
        lambda user, owner: services.lead_from_itinerary_item(actor=user, owner=owner, item=item),
        item.mission.get_absolute_url(),
    )


# --- MoUs -------------------------------------------------------------------------------------


@login_required
@needs("results.view")
def mou_list(request: HttpRequest) -> HttpResponse:
    links = selectors.mou_link_list(user=request.user)
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "results/mou_list.html",
        {"page": page, "can_add": request.user.has_perm("results.add_lead")},
    )


@login_required
@needs("results.add_lead")
def mou_link_add(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"lead": int_param(request.GET.get("lead"))}
    form = MouLinkForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mou_link_add(
                actor=user,
                partnership=data["partnership"],
                lead=data.get("lead"),
                mission=data.get("mission"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The agreement was linked."))
            return redirect(data["lead"] or "results:mous")
    return render(request, "results/mou_form.html", {"form": form})


@login_required
@require_POST
def mou_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = signed_in_user(request)
    link = selectors.access_mou_link(user, pk)
    services.mou_link_remove(actor=user, link=link)
    messages.success(request, _("The agreement was unlinked."))
    return redirect(link.lead or "results:mous")


@login_required
@needs("results.view")
def event_costs(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's costs, and one more: what the KPIs set the event's outcomes against."""
    user: User = signed_in_user(request)
    event = selectors.access_cost_event(user, pk)
    form = EventCostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cost_add(actor=user, event=event, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The cost was added."))
            return redirect("results:event_costs", pk=event.pk)
    costs = list(selectors.event_costs(event))
    return render(
        request,
        "results/event_costs.html",
        {
            "event": event,
            "costs": costs,
            "total": sum(cost.amount_jpy for cost in costs),
            "form": form,
        },
    )


@login_required
@needs("results.view")
@require_POST
def event_cost_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = signed_in_user(request)
    cost = selectors.access_event_cost(user, pk)
    services.event_cost_remove(actor=user, cost=cost)
    messages.success(request, _("The cost was removed."))
    return redirect("results:event_costs", pk=cost.event_id)


@login_required
@needs("results.view")
def organisation_search(request: HttpRequest) -> HttpResponse:
    """The organisations matching what was typed in a lead's company or counterpart box
    (htmx): only those the user may see, the one chosen so far first."""
    field = request.GET.get("field", "")
    if field not in ("company", "counterpart"):
        field = "company"
    text = text_param(request.GET.get(f"{field}_q"), max_length=100)
    found = forms.organisation_search(request.user, text)
    chosen = int_param(request.GET.get(field))
    selected = None
    if chosen is not None:
        selected = next((org for org in found if org.pk == chosen), None) or (
            forms.company_choices(request.user).filter(pk=chosen).first()
        )
    options = ([selected] if selected is not None else []) + [
        org for org in found if selected is None or org.pk != selected.pk
    ]
    hint = ""
    if len(text.strip()) < 2:
        hint = _("Type two letters or more.")
    elif not found:
        hint = _("No organisation you may see has this name.")
    return render(
        request,
        "results/partials/_organisation_choices.html",
        {
            "name": field,
            "options": options,
            "selected_pk": selected.pk if selected is not None else None,
            "optional": field == "counterpart",
            "hint": hint,
        },
    )
