"""Duplicate handling: the secretariat's list of likely duplicates and its merge, the merge
history, and an officer's "manage this company for my prefecture" instead of a second record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import Role
from setu.core.access import acting_organisation, signed_in_user
from setu.core.principal import principal_for
from setu.directory import merge, selectors
from setu.directory.duplicates import likely_duplicate_pairs, pair_organisations
from setu.directory.models import MergeRecord, Organisation

PAIRS_PER_PAGE = 20
MERGES_PER_PAGE = 50


def _page_number(request: HttpRequest) -> str:
    """The page of the duplicates list to return to ("" for the first)."""
    page = request.POST.get("page", "") or request.GET.get("page", "")
    return page if page.isdigit() else ""


def _page_param(request: HttpRequest) -> str:
    page = _page_number(request)
    return f"?page={page}" if page else ""


@login_required
@permission_required("directory.merge_organisations", raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Likely duplicate pairs across the directory, side by side, with merge and dismiss."""
    user = signed_in_user(request)
    pairs = likely_duplicate_pairs(user=user)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    organisations = pair_organisations(list(page.object_list), user=user)
    rows = [
        {
            "pair": pair,
            "first": organisations[pair.first_id],
            "second": organisations[pair.second_id],
        }
        for pair in page.object_list
        if pair.first_id in organisations and pair.second_id in organisations
    ]
    return render(request, "directory/duplicate_list.html", {"page": page, "rows": rows})


@login_required
@permission_required("directory.merge_organisations", raise_exception=True)
@require_POST
def duplicate_dismiss(request: HttpRequest, first_pk: int, second_pk: int) -> HttpResponse:
    """ "Not a duplicate": the pair leaves the list for good."""
    user = signed_in_user(request)
    first = selectors.access_organisation(user=user, pk=first_pk)
    second = selectors.access_organisation(user=user, pk=second_pk)
    if first.pk == second.pk:
        raise Http404
    merge.duplicate_dismiss(
        first=first,
        second=second,
        actor=user,
        secretariat=acting_organisation(user, roles={Role.SECRETARIAT}),
    )
    messages.success(
        request,
        _("“%(first)s” and “%(second)s” are marked as different organisations.")
        % {"first": first, "second": second},
    )
    return redirect(reverse("directory:duplicates") + _page_param(request))


@login_required
@permission_required("directory.merge_organisations", raise_exception=True)
def organisation_merge(request: HttpRequest, pk: int, into_pk: int) -> HttpResponse:
    """Confirm (GET) and carry out (POST) the merge of one record into another."""
    user = signed_in_user(request)
    merged = selectors.access_organisation(user=user, pk=pk)
    into = selectors.access_organisation(user=user, pk=into_pk)
    problem = merge.merge_problem(merged=merged, into=into)
    if request.method == "POST" and problem is None:  # re-checked under lock by the service
        try:
            merge.organisation_merge(merged=merged, into=into, actor=user)
        except merge.MergeRefused as refusal:
            problem = str(refusal)
        else:
            messages.success(
                request,
                _("“%(merged)s” was merged into “%(into)s”. Its old links lead to the survivor.")
                % {"merged": merged, "into": into},
            )
            return redirect(reverse("directory:duplicates") + _page_param(request))
    if problem and request.method == "POST":
        messages.error(request, problem)
    counts = {} if problem else merge.merge_preview(merged=merged)
    return render(
        request,
        "directory/merge_confirm.html",
        {
            "merged": merged,
            "into": into,
            "problem": problem,
            "references": _reference_rows(counts),
            "fills": [] if problem else _fill_preview(merged=merged, into=into),
            "moves_memberships": "accounts.Membership.organisation" in counts,
            "can_swap": merge.merge_problem(merged=into, into=merged) is None,
            "page_param": _page_number(request),
        },
        status=400 if problem and request.method == "POST" else 200,
    )


def _reference_rows(counts: dict[str, int]) -> list[dict[str, Any]]:
    """``{"accounts.Membership.organisation": 3}`` → readable rows for the confirmation."""
    from django.apps import apps

    rows = []
    for label, count in sorted(counts.items()):
        app_label, model_name, field_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        rows.append(
            {
                "label": label,
                "model": model._meta.verbose_name_plural,
                "field": getattr(field, "verbose_name", field_name),
                "count": count,
            }
        )
    return rows


def _fill_preview(*, merged: Organisation, into: Organisation) -> list[dict[str, Any]]:
    """The survivor's empty fields that the merged record would fill."""
    fills = []
    for field in Organisation._meta.concrete_fields:
        if field.name in merge._NOT_FILLED or field.attname in merge._FILLED_WITH:
            continue
        ours, theirs = getattr(into, field.name), getattr(merged, field.name)
        if ours in (None, "") and theirs not in (None, ""):
            fills.append({"field": field.verbose_name, "value": theirs})
    return fills


@login_required
@permission_required("directory.merge_organisations", raise_exception=True)
def merge_history(request: HttpRequest) -> HttpResponse:
    """Every merge: what was merged into what, by whom, and how many references moved."""
    records = MergeRecord.objects.select_related("merged", "into", "merged_by").order_by(
        "-merged_at", "-id"
    )
    page = Paginator(records, MERGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "directory/merge_history.html", {"page": page})


@login_required
@require_POST
def organisation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer takes an existing, unmanaged shared company into their prefecture's care."""
    user = signed_in_user(request)
    principal = principal_for(user)
    if not principal.is_officer:
        raise PermissionDenied
    organisation = selectors.access_organisation(user=user, pk=pk)
    prefecture = acting_organisation(user, roles={Role.PREFECTURE_OFFICER})
    if prefecture is None:
        raise PermissionDenied
    try:
        merge.organisation_manage_for(organisation=organisation, prefecture=prefecture, actor=user)
    except merge.ManageRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(prefecture)s now manages “%(name)s”.")
            % {"prefecture": prefecture, "name": organisation},
        )
    return redirect(organisation)


def merged_redirect(request: HttpRequest, pk: Any) -> HttpResponse:
    """For ``views.organisation_detail``: a merged record's old address leads to the survivor.

    Raises Http404 when ``pk`` was not merged or the survivor is not visible to the reader.
    """
    survivor = merge.survivor_of(user=request.user, pk=pk)
    if survivor is None:
        raise Http404
    return redirect(survivor)
