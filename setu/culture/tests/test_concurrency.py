"""Many people at once: a course never seats more learners than its capacity, a shift never
takes more volunteers than its limit (PostgreSQL, one connection per thread)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from setu.accounts.models import User
from setu.conftest import World
from setu.culture.models import Enrolment, ShiftSignup
from setu.culture.services.courses import enrolment_create
from setu.culture.services.festivals import shift_signup
from setu.culture.tests.factories import course, festival, shift
from setu.events.models import RegistrationStatus

MAX_CONNECTIONS = int(os.environ.get("SETU_TEST_CONNECTIONS", "40"))


def _fire(users: list[User], act: Callable[[User], object]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))
    slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def work(user: User) -> None:
        try:
            start.wait()
            with slots:
                try:
                    act(user)
                finally:
                    connection.close()
        except BaseException as error:  # collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()
    return errors


def _users(n: int, prefix: str) -> list[User]:
    return [
        User.objects.create_user(email=f"{prefix}{i}@example.org", full_name=f"{prefix} {i}")
        for i in range(n)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_300_concurrent_enrolments_for_50_seats(world: World) -> None:
    c = course(world.prefecture, capacity=50)
    errors = _fire(_users(300, "learner"), lambda u: enrolment_create(course=c, learner=u))
    assert not errors, errors[:3]
    statuses = list(
        Enrolment.objects.filter(course=c).values_list("registration__status", flat=True)
    )
    assert statuses.count(RegistrationStatus.CONFIRMED) == 50
    assert statuses.count(RegistrationStatus.WAITLISTED) == 250
    positions = sorted(
        Enrolment.objects.filter(course=c, registration__status="waitlisted").values_list(
            "registration__waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, 251))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_concurrent_signups_for_a_shift_of_10(world: World) -> None:
    s = shift(festival(world.prefecture), limit=10)
    errors = _fire(_users(100, "volunteer"), lambda u: shift_signup(shift=s, volunteer=u))
    assert ShiftSignup.objects.filter(shift=s).count() == 10
    assert len(errors) == 90
    assert {getattr(e, "code", None) for e in errors} == {"full"}
