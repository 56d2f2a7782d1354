"""Benchmark the directory's organisation list on the scale dataset, on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/bench_directory.py [--quick] [--backend sqlite|postgres]
                                              [--explain] [--experiments]

For each backend, in its own process: a fresh database (a temporary SQLite file, or the
PostgreSQL database ``setu_bench_directory`` on 127.0.0.1:5432, user postgres), migrated and
filled by ``generate_scale_data`` with 100,000 organisations and 300,000 people (``--quick``:
10,000 and 30,000); then the organisation list is requested through Django's test client,
in-process and through the whole middleware stack, as a prefecture officer and as an anonymous
reader: the first page, a filtered page (focal sector + SME + region), a deep page (page 500)
and a name search. Each prints the server time p50/p95, the number of queries, the time spent
in SQL, and the ratio of p50 to a bare view measured in the same run (a minimal template
rendered through the same middleware, registered by a URLconf override). The database is
dropped at the end.

``--explain`` prints the plans of the list's SQL; ``--experiments`` measures candidate fixes
(statistics, indexes, a cheaper count) on the same data and prints before/after.

Every page is checked against the product's promise: p95 ≤ 50 ms and at most 10 queries
(``_support.Reporter``; the exit status is 1 when one is missed). Page 500 is reached as a
reader reaches it, by the "Next" link of page 499, which goes by key (no OFFSET).
``--database-url URL`` (with ``--backend``) measures a database that is kept: migrated, filled
once, analysed again on later runs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import types
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (
    Reporter,
    Timing,
    analyze,
    configure_django,
    cpu_seconds,
    explain,
    machine_description,
    measure,
    migrate,
    run_per_backend,
    table,
    throwaway_database,
)

DATABASE = "setu_bench_directory"
TARGET_P95_MS = 50.0  # what the product promises for every list page, at 100,000 organisations
TARGET_QUERIES = 10
FULL = (100_000, 300_000)
QUICK = (10_000, 30_000)
OFFICER_REGION = "JP-22"  # the officer works for Shizuoka, one of the larger members

# (label, query string); "bare" is the baseline view, "layout" an empty page in base.html.
PAGES = (
    ("bare view", None),
    ("layout only", None),
    ("first page", ""),
    ("filtered", "focal=automotive_components&sme=yes&region=JP-22"),
    ("deep page 500", "page=500"),  # reached as a reader does: "Next" from page 499
    ("name search", "q=precision"),
)


@dataclass
class Result:
    who: str
    page: str
    timing: Timing
    queries: int
    sql_ms: float
    shown: str  # "page N of M, K organisations" as the page says it
    slowest: list[tuple[float, str]]


# --- views registered for the run -----------------------------------------------------------


def _bench_urlconf() -> types.ModuleType:
    """The project's URLs plus two baselines: a bare template and an empty base.html page."""
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import path

    import config.urls

    bare = engines["django"].from_string(
        "<!DOCTYPE html><html lang=en><head><title>{{ title }}</title></head>"
        "<body><p>{{ title }}</p></body></html>"
    )
    layout = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<p>{{ title }}</p>{% endblock %}'
    )

    def bare_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(bare.render({"title": "bare"}, request))

    def layout_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(layout.render({"title": "layout"}, request))

    module = types.ModuleType("bench_directory_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/bare/", bare_view, name="bench_bare"),
        path("bench/layout/", layout_view, name="bench_layout"),
        *config.urls.urlpatterns,
    ]
    return module


# --- the run --------------------------------------------------------------------------------


def _officer() -> Any:
    """A prefecture officer with a second factor (the staff gate lets them through)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from setu.accounts.models import Membership, Role, User
    from setu.directory.models import Organisation

    prefecture = Organisation.objects.get(kind="member_prefecture", region_id=OFFICER_REGION)
    existing = User.objects.filter(email="officer@bench.setu.example").first()
    if existing is not None:  # a kept database (--database-url): the officer of a past run
        return existing
    user = User.objects.create_user(
        email="officer@bench.setu.example", password=None, full_name="Bench Officer"
    )
    user.language = "en"
    user.save(update_fields=["language"])
    Membership.objects.create(user=user, organisation=prefecture, role=Role.PREFECTURE_OFFICER)
    TOTP.activate(user, generate_totp_secret())
    return user


def _url(page: str, query: str | None) -> str:
    if query is None:
        return "/bench/bare/" if page == "bare view" else "/bench/layout/"
    return "/directory/" + (f"?{query}" if query else "")


def _followed(client: Any, url: str) -> str:
    """A deep page's address as a reader reaches it: the "Next" link of the page before.

    ``?page=N`` past the count's cap is a key link (``after=<id>&page=N``) in the list; the
    page before is read once by number to find it. A list under the cap keeps its numbers.
    """
    match = re.search(r"page=(\d+)", url)
    if not match or int(match.group(1)) < 2:
        return url
    asked = int(match.group(1))
    # a shorter list answers with its last page: reach that one
    shown = re.search(r"Page (\d+)", _get(client, url).content.decode())
    number = min(asked, int(shown.group(1))) if shown else asked
    if number < 2:
        return url
    before = _get(client, url.replace(f"page={asked}", f"page={number - 1}"))
    link = re.search(r'href="(\?[^"]*)">Next</a>', before.content.decode())
    if not link:
        return url
    return "/directory/" + link.group(1).replace("&amp;", "&")


def _shown(html: str) -> str:
    text = re.sub(r"\s+", " ", html)
    count = re.search(r"([\d,]+\+?) organisations?<", text)  # "10,000+": counted up to a cap
    page = re.search(r"Page (\d+)(?: of (\d+))?<", text)
    parts = []
    if page:
        parts.append(f"page {page.group(1)}/{page.group(2) or '?'}")
    if count:
        parts.append(f"{count.group(1)} orgs")
    return ", ".join(parts) or "-"


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def capture(client: Any, who: str, page: str, url: str, timing: Timing, runs: int = 5) -> Result:
    """``runs`` more requests with their queries recorded: the median time in SQL."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, url)
        times = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        totals.append(sum(t for t, _ in times))
    return Result(
        who=who,
        page=page,
        timing=timing,
        queries=len(times),
        sql_ms=statistics.median(totals),
        shown=_shown(response.content.decode()),
        slowest=sorted(times, reverse=True)[:3],
    )


def measure_page(client: Any, who: str, page: str, url: str, repeat: int) -> Result:
    timing = measure(lambda: _get(client, url), repeat=repeat, warmup=3)
    return capture(client, who, page, url, timing)


def measure_all(clients: dict[str, Any], repeat: int) -> list[Result]:
    results = []
    for who, client in clients.items():
        for page, query in PAGES:
            url = _url(page, query)
            if page.startswith("deep page"):
                url = _followed(client, url)
                print(f"  {who} {page}: {url}", flush=True)
            results.append(measure_page(client, who, page, url, repeat))
    return results


def check_targets(report: Reporter, results: list[Result], backend: str, size: int) -> None:
    """p95 of every list page against the promise; the bare view's p95 is the baseline."""
    bare = {r.who: r.timing.p95 * 1000 for r in results if r.page == "bare view"}
    for result in results:
        if result.page in ("bare view", "layout only"):
            continue
        name = f"{result.who} {result.page} p95, {size:,} orgs ({backend})"
        report.check(
            name,
            result.timing.p95 * 1000,
            unit="ms",
            target=TARGET_P95_MS,
            baseline=bare[result.who],
            baseline_name="bare view",
        )
        report.check(
            f"{result.who} {result.page} queries ({backend})",
            result.queries,
            unit="queries",
            target=TARGET_QUERIES,
        )


def print_results(results: list[Result], title: str) -> None:
    bare = {r.who: r.timing.p50 for r in results if r.page == "bare view"}
    rows = [
        (
            r.who,
            r.page,
            round(r.timing.p50 * 1000, 1),
            round(r.timing.p95 * 1000, 1),
            r.queries,
            round(r.sql_ms, 1),
            f"{r.timing.p50 / bare[r.who]:.1f}x",
            r.shown,
        )
        for r in results
    ]
    print(f"\n{title}")
    print(
        table(
            [
                "reader",
                "page",
                "p50 ms",
                "p95 ms",
                "queries",
                "SQL ms (median)",
                "vs bare",
                "shown",
            ],
            rows,
        ),
        flush=True,
    )


def print_slowest(results: list[Result]) -> None:
    print("\nSlowest statements of one request (ms):")
    for result in results:
        if result.page in ("bare view", "layout only"):
            continue
        for ms, sql in result.slowest[:2]:
            print(f"  {result.who:<9} {result.page:<14} {ms:7.1f}  {_short(sql)}")


def _short(sql: str, width: int = 150) -> str:
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


# --- diagnostics and experiments -------------------------------------------------------------

SORT_COLUMN = "bench_sort_en"  # a generated column holding the English reader's sort key
# What the list template reads: names, kind, SME flag, region and manager names.
LIST_COLUMNS = (
    "id", "kind", "name_en", "name_ja", "name_hi", "country", "is_sme",
    "region__code", "region__name_en", "region__name_ja", "region__name_hi",
    "managed_by__id", "managed_by__name_en", "managed_by__name_ja", "managed_by__name_hi",
)  # fmt: skip
COUNT_CAP = 10_001


@dataclass(frozen=True)
class Variant:
    """How the list's two statements are built; each flag is one candidate fix."""

    narrow: bool = False  # .only() the columns the page shows: sorts carry less
    sort_column: bool = False  # order by an indexed generated column, not an expression
    token_search: bool = False  # q through NameToken's index instead of icontains on 4 columns
    capped_count: bool = False  # the paginator counts at most COUNT_CAP rows


BASELINE = Variant()


def _organisations(user: Any, variant: Variant) -> Any:
    """``selectors.organisation_list`` as it would read with the variant's changes."""
    from django.db.models.expressions import RawSQL

    from setu.directory import selectors
    from setu.directory.models import Organisation

    if not variant.sort_column:
        queryset = selectors.organisation_list(user=user)
    else:
        queryset = (
            Organisation.objects.visible_to(user)
            .select_related("managed_by", "region")
            # A constant column name: the bench's own generated column.
            .annotate(sort_name=RawSQL(f'"directory_organisation"."{SORT_COLUMN}"', ()))  # noqa: S611
            .order_by("sort_name", "id")
        )
    return queryset.only(*LIST_COLUMNS) if variant.narrow else queryset


def _token_search(queryset: Any, words: str) -> Any:
    """Each word must begin one of the organisation's name tokens (setu.algorithms.names)."""
    from django.db import connection

    from setu.algorithms.names import normalise_name
    from setu.directory.models import NameToken

    for word in words.split():
        key = normalise_name(word).replace(" ", "")
        if not key:
            continue
        if connection.vendor == "sqlite":  # LIKE is case-blind there, so it cannot use the index
            match = {"token__gte": key, "token__lt": key + "\U0010ffff"}
        else:  # LIKE 'key%' through a varchar_pattern_ops index, whatever the collation
            match = {"token__startswith": key}
        queryset = queryset.filter(
            pk__in=NameToken.objects.filter(**match).values("organisation_id")
        )
    return queryset


def list_queries(user: Any, query: str, variant: Variant = BASELINE) -> tuple[Any, Any]:
    """The list page's two statements: the paginator's COUNT and the page of 50 rows."""
    from django.http import QueryDict
    from django.utils import translation

    from setu.directory.filters import OrganisationFilterForm

    with translation.override("en"):
        params = QueryDict(query, mutable=True)
        words = params.pop("q", [""])[0] if variant.token_search else ""
        form = OrganisationFilterForm(params or None)
        queryset = form.apply(_organisations(user, variant))
        if words:
            queryset = _token_search(queryset, words)
        page = int(params.get("page", "1"))
        # Counting a slice counts in a subquery: without its ORDER BY and columns, it stops early.
        counted = queryset.order_by().values("pk")[:COUNT_CAP] if variant.capped_count else queryset
        return counted, queryset[(page - 1) * 50 : page * 50]


def time_sql(user: Any, query: str, variant: Variant, repeat: int = 5) -> tuple[float, float]:
    """Median ms of the COUNT and of fetching the page's rows (a fresh queryset each time)."""
    counted, sliced = list_queries(user, query, variant)
    count = measure(lambda: counted.count(), repeat=repeat, warmup=1)
    rows = measure(lambda: list(sliced.all()), repeat=repeat, warmup=1)
    return count.p50 * 1000, rows.p50 * 1000


def print_plans(users: dict[str, Any], variant: Variant = BASELINE) -> None:
    from django.db import connection

    for who, user in users.items():
        for page, query in PAGES:
            if query is None:
                continue
            counted, sliced = list_queries(user, query, variant)
            if counted.query.is_sliced:
                count_sql, count_params = counted.query.sql_with_params()
            else:
                count_sql, count_params = counted.order_by().values("pk").query.sql_with_params()
            sql, params = sliced.query.sql_with_params()
            statement = f"SELECT COUNT(*) FROM ({count_sql}) counted"  # noqa: S608  # Django's SQL
            print(f"\n--- {who} / {page} ---")
            print(f"COUNT: {_short(statement, 300)}")
            print(explain(statement, count_params))
            print(f"PAGE: {_short(sql, 300)}")
            print(explain(sql, params, analyze_plan=connection.vendor == "postgresql"))


def _execute(*statements: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _fix_steps(vendor: str) -> list[tuple[str, str, tuple[str, ...], Variant]]:
    """Cumulative steps: (column title, what it is, DDL to run first, the queryset variant)."""
    steps: list[tuple[str, str, tuple[str, ...], Variant]] = [
        ("base", "as committed", (), BASELINE),
        ("+only", "selector: .only() the columns the page shows", (), Variant(narrow=True)),
        (
            "+vis idx",
            "index (visibility, managed_by_id, merged_into_id, id): the COUNT reads only it",
            (
                "CREATE INDEX bench_org_visible ON directory_organisation "
                "(visibility, managed_by_id, merged_into_id, id)",
            ),
            Variant(narrow=True),
        ),
    ]
    if vendor == "postgresql":
        steps.append(
            (
                "+expr idx",
                "index on the selector's sort expression as it is (no code change)",
                (
                    "CREATE INDEX bench_org_sort_expr ON directory_organisation "
                    "((COALESCE(NULLIF(name_en, ''), NULLIF(name_en, ''), name_ja)), id)",
                ),
                Variant(narrow=True),
            )
        )
    steps.append(
        (
            "+sort col",
            f"generated column {SORT_COLUMN} = COALESCE(NULLIF(name_en, ''), name_ja), indexed "
            "with id; the selector orders by it",
            (f"CREATE INDEX bench_org_sort ON directory_organisation ({SORT_COLUMN}, id)",),
            Variant(narrow=True, sort_column=True),
        )
    )
    if vendor == "sqlite":
        steps.append(
            (
                "+ANALYZE",
                "planner statistics (PRAGMA optimize / ANALYZE; Django never runs it)",
                ("ANALYZE",),
                Variant(narrow=True, sort_column=True),
            )
        )
    steps.append(
        (
            "+vis sort",
            f"index (visibility, {SORT_COLUMN}, id): narrow readers (public only) read in order",
            (
                "CREATE INDEX bench_org_visible_sort ON directory_organisation "
                f"(visibility, {SORT_COLUMN}, id)",
            ),
            Variant(narrow=True, sort_column=True),
        )
    )
    token_index = (
        ()
        if vendor == "sqlite"
        else ("CREATE INDEX bench_token_prefix ON directory_nametoken (token varchar_pattern_ops)",)
    )
    steps += [
        (
            "+token q",
            "name search: word prefixes against NameToken (indexed) instead of icontains",
            token_index,
            Variant(narrow=True, sort_column=True, token_search=True),
        ),
        (
            "+cap",
            f"paginator counts at most {COUNT_CAP - 1:,} rows ('10,000+ organisations')",
            (),
            Variant(narrow=True, sort_column=True, token_search=True, capped_count=True),
        ),
    ]
    return steps


def _add_sort_column(vendor: str) -> None:
    """The generated column every later step may use (SQLite: VIRTUAL, PostgreSQL: STORED)."""
    kind = "VIRTUAL" if vendor == "sqlite" else "STORED"
    _execute(
        f"ALTER TABLE directory_organisation ADD COLUMN {SORT_COLUMN} varchar(200) "
        f"GENERATED ALWAYS AS (COALESCE(NULLIF(name_en, ''), name_ja)) {kind}"
    )
    if vendor == "postgresql":
        analyze()  # the table was rewritten


def experiments(users: dict[str, Any], clients: dict[str, Any], repeat: int) -> None:
    """Measure candidate fixes, one on top of the other, on this run's data."""
    from django.db import connection

    vendor = connection.vendor
    _add_sort_column(vendor)
    pages = [(page, query) for page, query in PAGES if query is not None]
    steps = _fix_steps(vendor)
    print("\nCandidate fixes, applied one on top of the other:")
    for title, description, _ddl, _variant in steps:
        print(f"  {title:<10} {description}")
    counts: dict[tuple[str, str], list[float]] = {}
    rows: dict[tuple[str, str], list[float]] = {}
    for _title, _description, ddl, variant in steps:
        _execute(*ddl)
        for who, user in users.items():
            for page, query in pages:
                count_ms, rows_ms = time_sql(user, query, variant)
                counts.setdefault((who, page), []).append(round(count_ms, 1))
                rows.setdefault((who, page), []).append(round(rows_ms, 1))
    titles = [title for title, *_ in steps]
    for label, values in (("COUNT(*) of the paginator, ms", counts), ("page of rows, ms", rows)):
        print(f"\n{label} (median of 5):")
        print(table(["reader", "page", *titles], [[*key, *cells] for key, cells in values.items()]))
    print("\nPlans with every fix:")
    print_plans(users, steps[-1][3])
    time_breakdown(repeat)
    page_level(clients, repeat)


def _fast_select_render(
    self: Any, name: str, value: Any, attrs: Any = None, renderer: Any = None
) -> Any:
    """A <select> built in Python: the template per <option> is what makes the form slow."""
    from django.forms.utils import flatatt
    from django.utils.html import format_html, format_html_join

    widget = self.get_context(name, value, attrs)["widget"]
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], flatatt(option["attrs"]), option["label"])
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ),
    )
    return format_html(
        '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
    )


def time_breakdown(repeat: int) -> None:
    """Where an anonymous first page's time goes, apart from the middleware."""
    from unittest import mock

    from django import forms
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from setu.directory import selectors
    from setu.directory.filters import OrganisationFilterForm

    request = RequestFactory().get("/directory/")
    request.user = AnonymousUser()
    cached: dict[str, list[tuple[Any, str]]] = {}

    class CachedChoicesForm(OrganisationFilterForm):
        """The reference lists (regions, focal sectors, divisions) read once, not per request."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in ("region", "focal", "sector"):
                field = self.fields[name]
                if name not in cached:
                    cached[name] = list(field.choices)  # type: ignore[attr-defined]
                self.fields[name] = forms.ChoiceField(
                    label=field.label, required=False, choices=cached[name]
                )

    def render_form(form_class: type[forms.Form]) -> str:
        return "".join(str(bound) for bound in form_class(None))

    def queries() -> Any:
        form = OrganisationFilterForm(None)
        page = Paginator(form.apply(selectors.organisation_list(user=request.user)), 50).get_page(
            None
        )
        list(page.object_list)
        return page, form

    page, form = queries()
    context = {"page": page, "form": form, "can_add": False, "query": ""}
    fast = mock.patch.object(forms.Select, "render", _fast_select_render)
    rows: list[tuple[str, Timing]] = []
    with translation.override("en"):
        rows.append(("queries: COUNT + page of 50", measure(queries, repeat=repeat)))
        rows.append(
            (
                "filter form, Django widgets",
                measure(lambda: render_form(OrganisationFilterForm), repeat=repeat),
            )
        )
        with fast:
            rows.append(
                (
                    "filter form, <select> built in Python",
                    measure(lambda: render_form(OrganisationFilterForm), repeat=repeat),
                )
            )
            rows.append(
                (
                    "  + reference choices read once",
                    measure(lambda: render_form(CachedChoicesForm), repeat=repeat),
                )
            )
        rows.append(
            (
                "whole template (form, 50 rows, layout)",
                measure(
                    lambda: render_to_string("directory/organisation_list.html", context, request),
                    repeat=repeat,
                ),
            )
        )
    print("\nWhere the anonymous first page's time goes (view parts, no middleware):")
    print(
        table(
            ["part", "p50 ms", "p95 ms"],
            [(label, round(t.p50 * 1000, 1), round(t.p95 * 1000, 1)) for label, t in rows],
        )
    )


def page_level(clients: dict[str, Any], repeat: int) -> None:
    """The list pages with the indexes in place, three ways, interleaved request by request
    (so that load from elsewhere on the machine falls on each alike): the committed code, the
    fixed selector and search, and those plus <select> widgets built in Python."""
    from unittest import mock

    from django import forms

    from setu.directory import filters, selectors

    variant = Variant(narrow=True, sort_column=True, token_search=True)
    original_apply = filters.OrganisationFilterForm.apply

    def apply(form: Any, queryset: Any) -> Any:
        words = form.cleaned_data.get("q", "") if form.is_valid() else ""
        if not words:
            return original_apply(form, queryset)
        form.cleaned_data["q"] = ""
        try:
            return _token_search(original_apply(form, queryset), words)
        finally:
            form.cleaned_data["q"] = words

    def patched(fixed: bool, fast_select: bool) -> ExitStack:
        stack = ExitStack()
        if fixed:
            stack.enter_context(
                mock.patch.object(
                    selectors,
                    "organisation_list",
                    lambda *, user, kind="", listed_only=False: _organisations(user, variant),
                )
            )
            stack.enter_context(mock.patch.object(filters.OrganisationFilterForm, "apply", apply))
        if fast_select:
            stack.enter_context(mock.patch.object(forms.Select, "render", _fast_select_render))
        return stack

    ways = (
        ("committed code, indexes added", False, False),
        ("fixed selector (.only, sort column) and token search", True, False),
        ("the same + <select> built in Python", True, True),
    )
    pages = [(who, client, page, _url(page, query)) for who, client in clients.items()
             for page, query in PAGES]  # fmt: skip
    samples: dict[tuple[str, str, str], list[float]] = {}
    for round_ in range(repeat + 2):  # the first two rounds warm up
        for way, fixed, fast_select in ways:
            with patched(fixed, fast_select):
                for who, client, page, url in pages:
                    started = time.perf_counter()
                    _get(client, url)
                    if round_ >= 2:
                        samples.setdefault((way, who, page), []).append(
                            time.perf_counter() - started
                        )
    for way, fixed, fast_select in ways:
        with patched(fixed, fast_select):
            results = [
                capture(client, who, page, url, Timing(tuple(samples[(way, who, page)])))
                for who, client, page, url in pages
            ]
        print_results(results, f"Organisation list, interleaved: {way}")


# --- main -----------------------------------------------------------------------------------


@contextmanager
def _database(backend: str, kept: str | None) -> Iterator[str]:
    """A throwaway database, or the one named by ``--database-url`` (kept afterwards)."""
    if kept:
        yield kept
        return
    with throwaway_database(backend, DATABASE) as url:
        yield url


def _scale_data_present(organisations: int) -> bool:
    from scale_data import SYNTHETIC_NOTE

    from setu.directory.models import Organisation

    note = SYNTHETIC_NOTE.format(seed=1)
    return Organisation.objects.filter(description_en=note).count() >= organisations


def run(
    backend: str, quick: bool, show_plans: bool, try_fixes: bool, kept: str | None = None
) -> int:
    organisations, people = QUICK if quick else FULL
    repeat = 20 if quick else 30
    report = Reporter("directory")
    with _database(backend, kept) as url:
        configure_django(url)
        from django.contrib.auth.models import AnonymousUser
        from django.test import Client
        from django.test.utils import override_settings
        from scale_data import generate_scale_data

        print(f"Machine: {machine_description()}")
        print(f"Migrated in {migrate():.1f} s.", flush=True)
        urlconf = _bench_urlconf()  # imports every view now, not after minutes of loading
        cpu_before = cpu_seconds()
        if kept and _scale_data_present(organisations):
            print(f"Reusing the scale data already in {url}.", flush=True)
            analyze()  # a migration may have rebuilt a table: what optimize_database does nightly
        else:
            result = generate_scale_data(organisations=organisations, people=people, seed=1)
            print(
                f"generate_scale_data: {result.organisations:,} organisations, "
                f"{result.people:,} people, {result.rows:,} rows in {result.seconds:.1f} s "
                f"({result.rows_per_second:,.0f} rows/s; "
                f"{cpu_seconds() - cpu_before:.1f} s CPU)",
                flush=True,
            )
            if backend == "postgres":
                analyze()  # autovacuum does, soon after a bulk load
        officer = _officer()
        officer_client = Client()
        officer_client.force_login(officer)
        clients = {"officer": officer_client, "anonymous": Client()}
        with override_settings(ROOT_URLCONF=urlconf):
            started = time.perf_counter()
            results = measure_all(clients, repeat)
            print_results(
                results,
                f"Organisation list, {backend}, {organisations:,} organisations "
                f"({time.perf_counter() - started:.0f} s of requests):",
            )
            print_slowest(results)
            check_targets(report, results, backend, organisations)
            users = {"officer": officer, "anonymous": AnonymousUser()}
            if show_plans:
                print_plans(users)
            if try_fixes:
                experiments(users, clients, repeat)
    return report.finish()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k organisations, 30k people")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help="one backend only")
    parser.add_argument("--explain", action="store_true", help="print the list's query plans")
    parser.add_argument("--experiments", action="store_true", help="measure candidate fixes")
    parser.add_argument(
        "--database-url",
        help="use (and keep) this database: migrated, and filled once; with --backend",
    )
    args = parser.parse_args(argv)
    if args.database_url and not args.backend:
        parser.error("--database-url needs --backend")
    if args.database_url and args.experiments:
        parser.error("--experiments changes the schema: not on a kept database")
    if args.backend:
        return run(args.backend, args.quick, args.explain, args.experiments, args.database_url)
    forwarded = [
        flag
        for flag, on in (
            ("--quick", args.quick),
            ("--explain", args.explain),
            ("--experiments", args.experiments),
        )
        if on
    ]
    return run_per_backend(Path(__file__).resolve(), forwarded)


if __name__ == "__main__":
    sys.exit(main())
