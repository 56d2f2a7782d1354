"""A registration that cannot get the event's lock in time is refused politely, not with a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from setu.conftest import World
from setu.events.models import Event, Registration
from setu.events.tests.factories import EventFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_gives_up_politely_when_the_event_stays_locked(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, capacity=10)
    locked, release = threading.Event(), threading.Event()

    def hold_the_event_row() -> None:
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(timeout=5)  # without a lock timeout the registration waits this out
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_event_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with override_settings(SETU_LOCK_TIMEOUT_MS=200):
            response = world.client_for("member").post(
                reverse("events:register", args=[event.pk]),
                {"name": "M", "attend_myself": "on", "privacy_consent": "on"},
            )
    finally:
        release.set()
        holder.join()

    assert response.status_code == 200
    assert "Too many people are registering right now; please try again." in (
        response.content.decode()
    )
    assert not Registration.objects.filter(event=event).exists()
