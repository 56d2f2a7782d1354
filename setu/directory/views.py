from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from setu.accounts.models import Role
from setu.core.access import acting_organisation, signed_in_user
from setu.core.params import int_param
from setu.core.replica import stale_reads_ok
from setu.core.views_helpers import form_view
from setu.directory import selectors, services
from setu.directory.duplicates import find_candidates
from setu.directory.filters import OrganisationFilterForm, PersonFilterForm
from setu.directory.forms import OrganisationForm, PartnershipForm, PersonForm
from setu.directory.models import OrganisationKind
from setu.directory.pagination import CappedPaginator
from setu.directory.sections import sections_for
from setu.directory.views_duplicates import merged_redirect

PAGE_SIZE = 50


@stale_reads_ok
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    organisations = form.apply(selectors.organisation_list(user=request.user, listed_only=True))
    page = CappedPaginator(organisations, PAGE_SIZE).get_page(
        request.GET.get("page"), after=request.GET.get("after"), before=request.GET.get("before")
    )
    pages_query = request.GET.copy()
    for position in ("page", "after", "before"):
        pages_query.pop(position, None)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "page": page,
            "form": form,
            "can_add": request.user.has_perm("directory.add_organisation"),
            "query": request.GET.urlencode(),
            "pages_query": pages_query.urlencode(),
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = selectors.access_organisation(user=request.user, pk=pk)
    except Http404:
        return merged_redirect(request, pk)  # a merged record's old address → the survivor
    companies = selectors.organisation_list(user=request.user).filter(managed_by=organisation)
    people = selectors.person_list(user=request.user).filter(organisation=organisation)
    partnerships = selectors.partnership_list(user=request.user, party=organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "companies": companies[:100],
            "people": people[:100],
            "partnerships": partnerships,
            "sectors": organisation.sectors.all(),
            "sections": sections_for(request.user, organisation),
            "can_edit": request.user.has_perm("directory.change_organisation", organisation),
        },
    )


@login_required
@permission_required("directory.add_organisation", raise_exception=True)
def organisation_create(request: HttpRequest) -> HttpResponse:
    """New organisation. Likely duplicates are shown first; the officer may open one instead."""
    user = signed_in_user(request)
    kinds = [
        OrganisationKind.COMPANY,
        OrganisationKind.ACADEMIC,
        OrganisationKind.AGENCY,
        OrganisationKind.CHAMBER,
    ]
    form = OrganisationForm(request.POST or None, request.FILES or None, kinds=kinds)
    candidates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        names = [form.cleaned_data.get(f) or "" for f in ("name_en", "name_ja", "name_hi")]
        candidates = find_candidates(names=names, user=user)
        if candidates and not request.POST.get("confirm_new"):
            messages.warning(
                request,
                _(
                    "This organisation may already be in the directory. Open it instead, "
                    "or confirm that it is a different one."
                ),
            )
        else:
            # An officer's new company is managed by their prefecture; the secretariat's by none.
            manager = acting_organisation(user, roles={Role.PREFECTURE_OFFICER})
            organisation = services.organisation_create(
                actor=user, data=form.cleaned_data, managed_by=manager
            )
            messages.success(request, _("The organisation was added."))
            return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "candidates": candidates, "creating": True},
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    organisation = selectors.access_organisation(user=user, pk=pk)
    if not user.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied
    kinds = [organisation.kind]
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=organisation, kinds=kinds
    )
    return form_view(
        request,
        form,
        save=lambda data: services.organisation_update(
            actor=user, organisation=organisation, data=data
        ),
        template="directory/organisation_form.html",
        success=_("The profile was saved."),
        context={"organisation": organisation, "creating": False},
    )


@stale_reads_ok
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = form.apply(selectors.person_list(user=request.user))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/person_list.html",
        {
            "page": page,
            "form": form,
            "can_add": request.user.has_perm("directory.add_person"),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(user=request.user, pk=pk)
    show_contact = person.pk in selectors.contacts_shown(user=request.user, people=[person])
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "show_contact": show_contact,
            "can_edit": request.user.has_perm("directory.change_person", person),
        },
    )


@login_required
@permission_required("directory.add_person", raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organisations = selectors.organisation_list(user=user)
    initial = {}
    organisation = int_param(request.GET.get("organisation"))
    if organisation is not None:
        initial["organisation"] = organisation
    form = PersonForm(request.POST or None, organisations=organisations, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.person_create(
            actor=user, data=data, owner=acting_organisation(user)
        ),
        template="directory/person_form.html",
        success=_("The contact was added."),
        context={"creating": True},
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.access_person(user=user, pk=pk)
    if not user.has_perm("directory.change_person", person):
        raise PermissionDenied
    form = PersonForm(
        request.POST or None,
        instance=person,
        organisations=selectors.organisation_list(user=user),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.person_update(actor=user, person=person, data=data),
        template="directory/person_form.html",
        success=_("The contact was saved."),
        context={"person": person, "creating": False},
    )


@stale_reads_ok
def partnership_list(request: HttpRequest) -> HttpResponse:
    party = None
    party_id = int_param(request.GET.get("party"))
    if party_id is not None:
        party = selectors.access_organisation(user=request.user, pk=party_id)
    partnerships = selectors.partnership_list(user=request.user, party=party)
    return render(
        request,
        "directory/partnership_list.html",
        {
            "partnerships": partnerships,
            "party": party,
            "can_add": request.user.has_perm("directory.add_partnership"),
        },
    )


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    return render(
        request,
        "directory/partnership_detail.html",
        {
            "partnership": partnership,
            "can_edit": request.user.has_perm("directory.change_partnership", partnership),
        },
    )


@login_required
@permission_required("directory.add_partnership", raise_exception=True)
def partnership_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return form_view(
        request,
        PartnershipForm(request.POST or None, user=user),
        save=lambda data: services.partnership_create(actor=user, data=data),
        template="directory/partnership_form.html",
        success=_("The agreement was recorded."),
        context={"creating": True},
    )


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    partnership = selectors.access_partnership(user=user, pk=pk)
    if not user.has_perm("directory.change_partnership", partnership):
        raise PermissionDenied
    return form_view(
        request,
        PartnershipForm(request.POST or None, instance=partnership, user=user),
        save=lambda data: services.partnership_update(
            actor=user, partnership=partnership, data=data
        ),
        template="directory/partnership_form.html",
        success=_("The agreement was saved."),
        context={"partnership": partnership, "creating": False},
    )
