"""The demo matchmaking loads, reloads without duplicates, and shows every kind of request."""

from __future__ import annotations

from collections import Counter

import pytest

from setu.accounts.tests.factories import UserFactory
from setu.directory.demo import load_directory_demo
from setu.events.demo import load_events_demo
from setu.matchmaking import demo
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant

pytestmark = pytest.mark.django_db


def test_demo_matchmaking_is_idempotent_and_realistic() -> None:
    member = UserFactory.create(email="member@demo.setu.example", language="ja")
    by_key, _created = load_directory_demo()
    load_events_demo(by_key)
    assert demo.load(by_key) > 80
    assert demo.load(by_key) == 0
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
    kofu = participants.get(organisation__name_en="Kofu Hydrogen Systems K.K.")
    assert kofu.contact == member
    assert MeetingRequest.objects.filter(recipient=kofu, status="pending").count() == 2
    # Nobody has more open requests than the event allows; every participant is registered.
    for participant in participants:
        assert participant.sent.filter(status__in=["pending", "accepted"]).count() <= 10
        assert mm.event.registrations.filter(organisation=participant.organisation).exists()
