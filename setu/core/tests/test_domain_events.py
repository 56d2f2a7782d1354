"""Domain events reach listeners only after a commit, with the organisations they concern."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from setu.core import domain_events
from setu.core.domain_events import DomainEvent


@pytest.fixture
def heard() -> Iterator[list[DomainEvent]]:
    events: list[DomainEvent] = []
    domain_events.register_listener("test", events.extend)
    yield events
    domain_events._LISTENERS.pop("test")


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_told_once_with_its_organisations(heard: list[DomainEvent]) -> None:
    with transaction.atomic():
        domain_events.publish(
            "event.published", organisation_ids=[3, None, 3, 5], payload={"event": 7}
        )
        assert heard == []  # not before the commit
    assert len(heard) == 1
    assert heard[0].kind == "event.published"
    assert heard[0].organisation_ids == frozenset({3, 5})
    assert heard[0].payload == {"event": 7}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_tells_nobody(heard: list[DomainEvent]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        domain_events.publish("event.published", organisation_ids=[3], payload={})
        raise RuntimeError("the write failed")
    assert heard == []


@pytest.mark.django_db(transaction=True)
def test_many_events_of_one_write_arrive_as_one_batch() -> None:
    batches: list[int] = []
    domain_events.register_listener("count", lambda events: batches.append(len(events)))
    try:
        with transaction.atomic():
            domain_events.publish_many(
                "meeting.scheduled", [([1, 2], {"meeting": n}) for n in range(500)]
            )
    finally:
        domain_events._LISTENERS.pop("count")
    assert batches == [500]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown domain event kind"):
        domain_events.publish("event.exploded", organisation_ids=[], payload={})
