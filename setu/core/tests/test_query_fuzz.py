"""Query strings from a fuzzer: no list page answers a server error (issue "The first hour of
a new member", item 5).

Every page whose view reads ``request.GET`` is listed in ``PAGES`` with the parameters it
knows; a new one missing from the list fails ``test_every_page_reading_the_query_is_fuzzed``.
The URLs (with the records a pattern needs) come from the role matrix.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.conftest import World
from setu.core.tests.test_role_matrix import MATRIX

PAGE = ("page",)
PAGES: dict[str, tuple[str, ...]] = {
    "audit_log": ("action", "actor", "type", "since", "until", *PAGE),
    "directory:organisations": (
        "q", "kind", "country", "region", "focal", "sector", "sme", "partnership", "sort", *PAGE,
    ),
    "directory:people": ("q", "organisation", *PAGE),
    "directory:person_create": ("organisation",),
    "directory:partnerships": ("party",),
    "directory:import": ("target",),
    "directory:import_batch": PAGE,
    "directory:import_result": PAGE,
    "directory:export": ("q", "kind", "country", "region", "sector", "format", "columns"),
    "directory:people_export": ("q", "organisation", "format", "columns"),
    "directory:duplicates": PAGE,
    "directory:merge_history": PAGE,
    "events:list": ("when", "city", "kind", "sector", "host", "language", "q", *PAGE),
    "events:calendar": ("month", "when", "city", "kind", "sector", "host", "language", "q"),
    "events:registrations": ("status", "category", "checked_in", "q", *PAGE),
    "events:export": ("columns", "status", "format"),
    "matchmaking:market": ("sector", "country", "kind", "q", *PAGE),
    "matchmaking:participants": PAGE,
    "matchmaking:schedule_detail": PAGE,
    "matchmaking:schedule_grid": ("day",),
    "culture:course": PAGE,
    "coordination:actions": ("scope", "state", *PAGE),
    "coordination:calendar": ("view", "date"),
    "coordination:series": PAGE,
    "coordination:meetings": ("when", *PAGE),
    "coordination:meeting_create": ("series",),
    "coordination:action_create": ("item",),
    "coordination:minutes_diff": ("from", "to"),
    "coordination:missions": ("when", *PAGE),
    "exchanges:run": ("show", *PAGE),
    "library:search": ("q", "type", "sector", "language", "owner", "date_from", "date_to", *PAGE),
    "library:documents": ("kind", "sector", "language", "tag", "owner", *PAGE),
    "library:document_create": ("event", "mission", "meeting"),
    "library:collections": PAGE,
    "library:collection": PAGE,
    "library:briefs": ("sector", "state", "group", *PAGE),
    "library:announcements": PAGE,
    "results:board": ("member", "kind", "sector", "overdue", "q"),
    "results:leads": ("stage", "owner", "kind", "sector", "overdue", "q", *PAGE),
    "results:lead_move": ("to",),
    "results:mous": PAGE,
    "results:mou_link_add": ("lead",),
    "results:organisation_search": (
        "field", "company_q", "counterpart_q", "company", "counterpart",
    ),
    "results:surveys": PAGE,
    "results:kpi": ("member", "start", "end", "sector"),
    "results:kpi_xlsx": ("member", "start", "end", "sector"),
    "coordination:visitor_form": ("lang",),
    "privacy:export": ("format",),
}  # fmt: skip

# Values that broke pages before, or that a parser is likely to trip on.
NASTY = [
    "9999-12", "0000-00", "0001-01", "2026-13", "9999-12-31", "0001-01-01", "2026-02-30",
    "1" * 20, "9" * 19, "-1", "0", "²", "١٢", "1e309", "NaN", "\x00", "1\x00", "a\x00b",
    "%", "'", '"', "<script>", "ｱ" * 300, "x" * 5000, "9" * 5000, " ", "",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)
ROLES_FUZZED = ("anonymous", "officer_own")

pytestmark = pytest.mark.django_db


def _views_reading_the_query() -> Iterator[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                view = inspect.unwrap(pattern.callback)
                if not inspect.isfunction(view):
                    view = type(view)  # a callable object: a feed
                if view.__module__.startswith("setu.") and ".GET" in inspect.getsource(view):
                    yield f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "")


def test_every_page_reading_the_query_is_fuzzed() -> None:
    missing = set(_views_reading_the_query()) - PAGES.keys()
    assert not missing, f"pages reading the query string, missing from PAGES: {sorted(missing)}"


def _urls(world: World) -> dict[str, str]:
    urls = {}
    for name in PAGES:
        row = MATRIX[name]
        urls[name] = row.url(world) if row.url else reverse(name)
    return urls


def _assert_no_server_error(clients: dict[str, Client], url: str, query: dict[str, str]) -> None:
    for role, client in clients.items():
        response = client.get(url, query)
        assert response.status_code < 500, f"{role} GET {url} {query!r}: {response.status_code}"


def test_the_three_reported_server_errors_are_gone(world: World) -> None:
    clients = {role: world.client_for(role) for role in ROLES_FUZZED}
    urls = _urls(world)
    _assert_no_server_error(clients, urls["events:calendar"], {"month": "9999-12"})
    _assert_no_server_error(clients, urls["directory:people"], {"organisation": "1" * 20})
    _assert_no_server_error(clients, urls["events:registrations"], {"category": "1" * 20})
    page = clients["officer_own"].get(urls["events:registrations"], {"category": "1" * 20})
    assert page.status_code == 200


def test_no_list_page_answers_a_server_error_to_a_fuzzed_query(world: World) -> None:
    clients = {role: world.client_for(role) for role in ROLES_FUZZED}
    urls = _urls(world)

    @settings(
        max_examples=250,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def one_query(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(PAGES)), label="page")
        names = data.draw(st.lists(st.sampled_from(PAGES[name]), min_size=1, unique=True))
        query = {key: data.draw(VALUES, label=key) for key in names}
        _assert_no_server_error(clients, urls[name], query)

    one_query()
