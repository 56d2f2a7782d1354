"""The demo events load, reload without duplicates, and show what the feature does."""

from __future__ import annotations

import pytest

from setu.accounts.tests.factories import UserFactory
from setu.directory.demo import load_directory_demo
from setu.events.demo import load_events_demo
from setu.events.models import Attendee, Event, Registration

pytestmark = pytest.mark.django_db


def test_demo_events_are_idempotent_and_realistic() -> None:
    by_key, _created = load_directory_demo()
    created = load_events_demo(by_key)
    assert created > 20
    assert load_events_demo(by_key) == 0
    cities = set(Event.objects.values_list("city__key", flat=True))
    assert {"in-mumbai", "in-bengaluru", "in-new-delhi", "jp-kofu"} <= cities
    seminar = Event.objects.get(kind="seminar")
    assert seminar.links.filter(role="co_host").count() == 2
    waiting = Registration.objects.filter(event=seminar, status="waitlisted")
    assert waiting.count() == 2  # the demo partner login does not exist yet
    UserFactory.create(email="partner@demo.setu.example", full_name="Priya Deshpande")
    assert load_events_demo(by_key) == 2  # the seminar (waiting) and the webinar
    assert list(
        waiting.order_by("waitlist_position").values_list("waitlist_position", flat=True)
    ) == [
        1,
        2,
        3,
    ]
    past = Event.objects.get(kind="delegation")
    assert Attendee.objects.filter(event=past, checked_in_at__isnull=False).count() == 3
    assert Event.objects.filter(kind="webinar", city__isnull=True).exists()
