"""The demo matchmaking loads, reloads without duplicates, and shows every kind of request."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.directory.demo import load_directory_demo
from setu.events.demo import load_events_demo
from setu.events.models import Event
from setu.matchmaking import demo
from setu.matchmaking.models import (
    Matchmaking,
    MeetingRequest,
    Participant,
    ProfileEmbedding,
    ScheduleRun,
)

pytestmark = pytest.mark.django_db


def test_demo_matchmaking_is_idempotent_and_realistic(
    django_capture_on_commit_callbacks: Any,
) -> None:
    member = UserFactory.create(email="member@demo.setu.example", language="ja")
    by_key, _created = load_directory_demo()
    load_events_demo(by_key)
    event = Event.objects.get(title_en=demo.EVENT_TITLE)
    officer = UserFactory.create(email="officer@example.org")
    add_membership(officer, event.owner, Role.PREFECTURE_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the scheduler
        assert demo.load(by_key) > 80
    assert demo.load(by_key) == 0
    # The organiser finds a draft to review: every accepted request placed or explained.
    (run,) = ScheduleRun.objects.filter(matchmaking__event=event)
    assert run.status == "done" and run.created_by == officer
    assert 0 < run.placed <= run.upper_bound
    assert run.placed + run.unplaced.count() == run.requests_count
    mm = Matchmaking.objects.get(event__title_en=demo.EVENT_TITLE)
    assert mm.slots.count() == 24 and mm.tables == 8 and mm.days.count() == 2
    participants = Participant.objects.filter(matchmaking=mm)
    assert participants.count() == 24
    assert Counter(participants.values_list("side", flat=True)) == {"JP": 11, "IN": 13}
    statuses = Counter(
        MeetingRequest.objects.filter(matchmaking=mm).values_list("status", flat=True)
    )
    assert sum(statuses.values()) == 60 and set(statuses) == {
        "pending", "accepted", "declined", "withdrawn"
    }  # fmt: skip
    # The worker made every profile's vectors, so recommendations compare meanings at once.
    assert ProfileEmbedding.objects.filter(participant__matchmaking=mm).count() == 24
    kofu = participants.get(organisation__name_en="Kofu Hydrogen Systems K.K.")
    assert kofu.contact == member
    assert MeetingRequest.objects.filter(recipient=kofu, status="pending").count() == 2
    # Nobody has more open requests than the event allows; every participant is registered.
    for participant in participants:
        assert participant.sent.filter(status__in=["pending", "accepted"]).count() <= 10
        assert mm.event.registrations.filter(organisation=participant.organisation).exists()
