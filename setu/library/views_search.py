"""The library's landing page and the one search box over every registered source."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.core.replica import stale_reads_ok
from setu.directory.models import Organisation
from setu.library import selectors
from setu.library.filters import SearchForm, sector_ids
from setu.library.search.backends import SearchFilters, SearchResults, get_backend
from setu.library.search.registry import get_source

RESULTS_PER_PAGE = 20
MAX_PAGE = 50  # 1,000 results: refine the query rather than page further


@dataclass(frozen=True)
class ResultsPage:
    """What core/partials/_pagination.html reads from a Django Page."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> ResultsPage:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


@stale_reads_ok
def home(request: HttpRequest) -> HttpResponse:
    documents = selectors.document_list(user=request.user).exclude(kind="market_brief")[:8]
    return render(
        request,
        "library/home.html",
        {
            "form": SearchForm(),
            "documents": documents,
            "briefs": selectors.brief_list(user=request.user)[:5],
            "announcements": selectors.announcements_for(request.user, limit=5),
            "can_add": request.user.has_perm("library.add_document"),
        },
    )


@stale_reads_ok
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: SearchResults | None = None
    page = None
    owner = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        number = _page_number(request.GET.get("page"))
        filters = SearchFilters(
            sources=(data["type"],) if data["type"] else (),
            sector_ids=sector_ids(data["sector"]) if data["sector"] else (),
            language=data["language"],
            owner_id=data["owner"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        results = get_backend().search(
            data["q"],
            request.user,
            filters,
            limit=RESULTS_PER_PAGE,
            offset=(number - 1) * RESULTS_PER_PAGE,
        )
        page = ResultsPage(number, min(MAX_PAGE, ceil(results.total / RESULTS_PER_PAGE)))
        if data["owner"]:
            owner = Organisation.objects.visible_to(request.user).filter(pk=data["owner"]).first()
    rows = []
    for hit in results.hits if results else []:
        source = get_source(hit.source)
        rows.append((hit, source.describe(hit.kind) if source else ""))
    template = "library/partials/_search_results.html" if request.htmx else "library/search.html"  # type: ignore[attr-defined]
    filtered = any(
        request.GET.get(name) for name in ("type", "sector", "language", "date_from", "date_to")
    )
    return render(
        request,
        template,
        {
            "form": form,
            "results": results,
            "rows": rows,
            "page": page,
            "owner": owner,
            "filtered": filtered or bool(form.errors.get("date_to")),
        },
    )
