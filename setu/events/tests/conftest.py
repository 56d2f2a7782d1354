from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.directory.models import Region
from setu.directory.reference import load_reference_data
from setu.events.models import Event, Registration
from setu.events.registration import Person, Registrant, registration_create
from setu.events.tests.factories import EventFactory


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The listing caches its filter options for a minute; each test starts without them."""
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests run on a flushed database: put the cities and sectors back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    if not Region.objects.exists():
        load_reference_data()


@pytest.fixture
def event(world: World) -> Event:
    """A public investment seminar in Mumbai led by officer_own's prefecture, 50 seats."""
    return EventFactory.create(owner=world.prefecture)


@pytest.fixture
def register() -> Callable[..., Registration]:
    """Register people for an event: as a new signed-in user, a given ``user``, or a ``guest``."""
    counter = iter(range(1, 100_000))

    def _register(
        event: Event,
        *emails: str,
        user: Any = None,
        guest: bool = False,
        category: Any = None,
        answers: dict[str, Any] | None = None,
        **registrant: Any,
    ) -> Registration:
        if not emails:
            emails = (f"person{next(counter)}@example.org",)
        if user is None and not guest:
            user = UserFactory.create(email=f"booker{next(counter)}@example.org")
        if user is not None and not registrant.get("email"):
            registrant["email"] = user.email
        return registration_create(
            event=event,
            registrant=Registrant(
                name=registrant.pop("name", "Test Person"),
                email=registrant.pop("email", emails[0]),
                user=user,
                **registrant,
            ),
            people=[Person(name=f"Person {e}", email=e) for e in emails],
            category=category,
            answers=answers or {},
        )

    return _register
