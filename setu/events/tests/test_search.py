"""Events in the trilingual search: who finds which event, drafts never."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.events import services
from setu.events.models import Event
from setu.events.tests.factories import EventFactory
from setu.library.search.backends import get_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[..., Event]:
    """Create an event; its index row is written as the transaction commits (the worker)."""

    def make(**fields: Any) -> Event:
        with django_capture_on_commit_callbacks(execute=True):
            return EventFactory.create(**fields)

    return make


def _finds(query: str, user: Any, event: Event) -> bool:
    keys = [hit.key for hit in get_backend().search(query, user).hits]
    return f"events.event:{event.pk}" in keys


def test_a_public_event_is_found_in_japanese_and_english(
    world: World, indexed: Callable[..., Event]
) -> None:
    event = indexed(
        owner=world.prefecture,
        title_en="Hydrogen mobility seminar",
        title_ja="水素モビリティセミナー",
        description_en="Fuel cells for Indian bus fleets.",
        visibility="public",
    )
    from django.contrib.auth.models import AnonymousUser

    assert _finds("水素", AnonymousUser(), event)
    assert _finds("fuel cells", world.users["partner"], event)
    page = world.client_for("partner").get(reverse("library:search"), {"q": "hydrogen"})
    html = page.content.decode()
    assert "<mark>Hydrogen</mark> mobility seminar" in html
    assert f'href="{event.get_absolute_url()}"' in html


def test_drafts_are_not_searchable_and_private_events_reach_their_partners(
    world: World,
    indexed: Callable[..., Event],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    draft = indexed(owner=world.prefecture, title_en="Zephyr draft", visibility="draft")
    assert not _finds("zephyr", world.users["officer_own"], draft)
    actor = world.users["officer_own"]
    with django_capture_on_commit_callbacks(execute=True):
        private = services.event_create(
            actor=actor,
            owner=world.prefecture,
            fields={
                "kind": "seminar",
                "title_en": "Quasar roundtable",
                "starts_at": draft.starts_at,
                "ends_at": draft.ends_at,
                "requires_approval": False,
                "visibility": "private",
                "city": draft.city,
            },
            partners=[world.partner_org],
        )
    assert _finds("quasar", world.users["partner"], private)
    assert _finds("quasar", world.users["officer_own"], private)
    assert not _finds("quasar", world.users["officer_other"], private)
    assert not _finds("quasar", world.users["member"], private)


def test_after_a_merge_the_survivors_people_find_the_private_event(
    world: World, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    from setu.directory.merge import organisation_merge
    from setu.directory.tests.factories import OrganisationFactory

    duplicate = OrganisationFactory.create(
        kind="chamber", name_en="MUMBAI CHAMBER", country="IN", region_id="IN-MH"
    )
    event = EventFactory.create(owner=world.prefecture)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=event,
            actor=world.users["officer_own"],
            fields={"title_en": "Nebula dinner", "visibility": "private"},
            partners=[duplicate],
        )
    assert not _finds("nebula", world.users["partner"], event)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_merge(merged=duplicate, into=world.partner_org, actor=None)
    assert _finds("nebula", world.users["partner"], event)
