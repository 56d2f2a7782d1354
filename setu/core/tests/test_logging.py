"""A refused request is one line in the log; a server error keeps its traceback."""

from __future__ import annotations

import logging
import sys

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.log_filters import ForbiddenInOneLine
from setu.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_as_one_line_without_a_traceback(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    event = EventFactory.create(owner=world.prefecture)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = world.client_for("officer_other").get(reverse("events:edit", args=[event.pk]))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert records[0].getMessage() == f"Forbidden (Permission denied): /events/{event.pk}/edit/"
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), exc_info
    )
    record.status_code = 500
    assert ForbiddenInOneLine().filter(record)
    assert record.exc_info is exc_info
