from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.directory import selectors
from setu.directory.models import OrganisationKind


def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    organisations = selectors.organisation_list(user=request.user, kind=kind)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/organisation_list.html",
        {"page": page, "kind": kind, "kinds": OrganisationKind.choices},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.access_organisation(user=request.user, pk=pk)
    managed = selectors.organisation_list(user=request.user).filter(managed_by=organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "managed": managed},
    )
