"""Every API list costs a fixed number of queries, however many rows its page holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.api.tests.role_matrix import _meeting_request, _registration
from setu.api.tests.support import ApiClient, token_for
from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import Partnership, PartnershipKind, Person
from setu.directory.tests.factories import CompanyFactory
from setu.events.models import Session
from setu.events.tests.factories import EventFactory
from setu.library.models import Announcement, Document

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6  # the token, its "last used" (once a minute), the principal, the page, related


def _more(world: World, name: str, n: int) -> None:
    """``n`` more rows for the list ``name``, visible to officer_own."""
    for i in range(n):
        if name == "organisations":
            CompanyFactory.create(managed_by=world.prefecture)
        elif name == "people":
            Person.objects.create(
                owner=world.prefecture,
                organisation=world.company,
                name_latin=f"Person {i}",
                visibility=Visibility.PARTNERS,
            )
        elif name == "agreements":
            agreement = Partnership.objects.create(
                owner=world.prefecture, kind=PartnershipKind.MOU, title_en=f"MoU {i}"
            )
            agreement.parties.add(world.prefecture, world.partner_org)
        elif name == "events":
            EventFactory.create(owner=world.prefecture)
        elif name == "sessions":
            event = EventFactory.create(owner=world.prefecture)
            Session.objects.create(
                event=event, title_en=f"S{i}", starts_at=event.starts_at, ends_at=event.ends_at
            )
        elif name == "documents":
            Document.objects.create(owner=world.prefecture, title_en=f"Doc {i}")
        elif name == "announcements":
            Announcement.objects.create(owner=world.prefecture, title_en=f"News {i}")
        elif name == "registrations":
            _registration(world)
        elif name in ("meeting_requests", "matchmaking_profiles"):
            _meeting_request(world)


LISTS = [
    "organisations",
    "people",
    "agreements",
    "events",
    "sessions",
    "documents",
    "announcements",
    "registrations",
    "meeting_requests",
    "matchmaking_profiles",
    "meetings",
]
WHO = {"registrations": "member", "meeting_requests": "member", "matchmaking_profiles": "member"}


def _count(api: ApiClient, url: str) -> Callable[[], int]:
    def run() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, {"limit": 100})
        assert response.status_code == 200, response.content
        return len(captured.captured_queries)

    return run


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_2_or_12_rows(world: World, name: str) -> None:
    api = ApiClient(token_for(world.users[WHO.get(name, "officer_own")]))
    url = reverse(f"api:{name}")
    _more(world, name, 2)
    count = _count(api, url)
    count()  # the token's first use writes "last used": not a cost of the list
    few = count()
    _more(world, name, 10)
    many = count()
    assert few == many <= MAX_QUERIES, (few, many)
