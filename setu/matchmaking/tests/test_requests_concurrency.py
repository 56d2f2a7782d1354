"""Requests sent at the same moment on PostgreSQL: the limit holds, and a pair asking each other
at once ends with one open request (the row lock and the partial unique index)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from setu.conftest import World
from setu.matchmaking.models import ACTIVE_REQUEST_STATUSES, MeetingRequest, Participant
from setu.matchmaking.services.requests import request_create
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import indian, japanese, market, member_side

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # SQLite's in-memory test database answers concurrent writers "table is locked".
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _together(jobs: list[Callable[[], object]]) -> tuple[int, list[str], list[BaseException]]:
    """Run the jobs in threads released at once; (done, refusals, unexpected errors)."""
    start = threading.Barrier(len(jobs))
    lock = threading.Lock()
    done: list[int] = []
    refusals: list[str] = []
    errors: list[BaseException] = []

    def work(job: Callable[[], object]) -> None:
        try:
            start.wait()
            job()
            with lock:
                done.append(1)
        except ValidationError as error:
            with lock:
                refusals.append(" ".join(error.messages))
        except BaseException as error:  # collected and asserted on below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()
    return len(done), refusals, errors


def test_the_request_limit_holds_under_a_rush(world: World) -> None:
    mm = market(world, max_requests=5)
    me = member_side(world, mm)
    others = [participant(mm, indian()) for _ in range(16)]
    actor = world.users["member"]

    def ask(other: Participant) -> Callable[[], object]:
        return lambda: request_create(requester=me, recipient=other, actor=actor)

    done, refusals, errors = _together([ask(other) for other in others])
    assert not errors, errors[:3]
    assert done == 5 and len(refusals) == 11
    assert all("the most this event allows" in message for message in refusals)
    assert MeetingRequest.objects.filter(requester=me).count() == 5


def test_a_pair_asking_each_other_at_once_gets_one_open_request(world: World) -> None:
    mm = market(world)
    pairs = [(participant(mm, japanese()), participant(mm, indian())) for _ in range(8)]
    actor = world.users["member"]

    def ask(requester: Participant, recipient: Participant) -> Callable[[], object]:
        return lambda: request_create(requester=requester, recipient=recipient, actor=actor)

    jobs = [job for a, b in pairs for job in (ask(a, b), ask(b, a))]
    done, refusals, errors = _together(jobs)
    assert not errors, errors[:3]
    assert done == len(pairs) and len(refusals) == len(pairs)
    for a, b in pairs:
        key = MeetingRequest.key_for(a.pk, b.pk)
        assert (
            MeetingRequest.objects.filter(pair_key=key, status__in=ACTIVE_REQUEST_STATUSES).count()
            == 1
        )
