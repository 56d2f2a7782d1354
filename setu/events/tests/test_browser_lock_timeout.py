"""In a real browser: when the event's lock stays busy, the form asks to try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.utils import translation
from django.utils.translation import gettext

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.events import registration
from setu.events.models import Event, Registration
from setu.events.tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _LockNotAvailable(Exception):
    sqlstate = "55P03"  # what psycopg reports when PostgreSQL's lock_timeout fires


def _lock_stays_busy(event_id: int) -> Event:
    with registration._busy_means_try_again():
        raise OperationalError("canceling statement due to lock timeout") from _LockNotAvailable()


def test_a_busy_event_asks_to_try_again(
    live_server: Any, browser: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite serialises whole transactions, so the PostgreSQL timeout is simulated here;
    # test_lock_timeout.py makes it fire for real on PostgreSQL.
    monkeypatch.setattr(registration, "_locked_event", _lock_stays_busy)
    event = EventFactory.create(owner=world.prefecture, title_en="Solar forum, Chennai")
    member = world.users["member"]
    for language in ("en", "ja", "hi"):
        member.language = language
        member.save(update_fields=["language"])
        with translation.override(language):
            expected = gettext("Too many people are registering right now; please try again.")
        for width in (1280, 390):
            page = signed_in_page(browser, live_server, member, width=width)
            page.goto(f"{live_server.url}/events/{event.pk}/register/")
            page.fill("input[name=name]", "Member Person")
            page.check("input[name=attend_myself]")
            page.check("input[name=privacy_consent]")
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            assert expected in page.locator("main").inner_text()
            page.screenshot(
                path=str(artifact(f"events-register-busy-{language}-{width}.png")), full_page=True
            )
            page.context.close()
    assert not Registration.objects.filter(event=event).exists()
