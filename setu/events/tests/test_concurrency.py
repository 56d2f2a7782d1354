"""Many people registering at once: exactly the seats there are, the rest in line without gaps.

On PostgreSQL, 200 threads (each with its own connection) register for 50 seats at once. The
server's ``max_connections`` (100 by default, shared with other test runs) caps how many
connections may be open together, so at most ``SETU_TEST_CONNECTIONS`` (default 40) threads
hold one at a time; all 200 start together behind a barrier and contend for the event lock.

On SQLite, the test database lives in memory with a shared cache, where concurrent writers get
"table is locked" instead of waiting; so the SQLite check runs in a subprocess against a real
database file with the project's settings (WAL, immediate transactions).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from setu.accounts.models import User
from setu.conftest import World
from setu.events.models import Event, Registration, RegistrationStatus
from setu.events.registration import Person, Registrant, registration_create
from setu.events.tests.factories import EventFactory

PEOPLE = 200
SEATS = 50
MAX_CONNECTIONS = int(os.environ.get("SETU_TEST_CONNECTIONS", "40"))


def _fire(event: Event, users: list[User]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))
    slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def work(user: User) -> None:
        try:
            start.wait()
            with slots:
                try:
                    registration_create(
                        event=event,
                        registrant=Registrant(name=user.full_name, email=user.email, user=user),
                        people=[Person(user.full_name, user.email, user)],
                    )
                finally:
                    connection.close()
        except BaseException as error:  # collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _assert_consistent(event: Event) -> None:
    confirmed = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).order_by("pk")
    )
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
            "pk"
        )
    )
    assert len(confirmed) == SEATS
    assert len(waiting) == PEOPLE - SEATS
    # Positions 1..150, no gap, no duplicate, in the order the lock was granted.
    assert [r.waitlist_position for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
    assert max(r.pk for r in confirmed) < min(r.pk for r in waiting)
    assert Registration.objects.filter(event=event).count() == PEOPLE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_registrations_for_50_seats(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, capacity=SEATS)
    users = [
        User.objects.create_user(email=f"rush{i}@example.org", full_name=f"Rush {i}")
        for i in range(PEOPLE)
    ]
    try:
        errors = _fire(event, users)
    finally:
        connections.close_all()
    assert not errors, errors[:3]
    _assert_consistent(event)


SQLITE_SCRIPT = """
import os, sys, threading
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from setu.accounts.models import User
from setu.directory.models import City, Organisation
from setu.events.models import Event, Registration
from setu.events.registration import Person, Registrant, registration_create
from django.utils import timezone
from datetime import timedelta
owner = Organisation.objects.create(kind="member_prefecture", name_en="Yamanashi", country="JP")
start = timezone.now() + timedelta(days=10)
event = Event.objects.create(
    owner=owner, kind="seminar", title_en="Rush", city=City.objects.get(key="in-mumbai"),
    starts_at=start, ends_at=start + timedelta(hours=3), capacity={seats},
    requires_approval=False, visibility="public",
)
users = [User.objects.create(email=f"u{{i}}@x.org", full_name=f"U{{i}}") for i in range({people})]
barrier = threading.Barrier(len(users))
errors = []
def work(user):
    try:
        barrier.wait()
        registration_create(event=event, registrant=Registrant(name=user.full_name,
            email=user.email, user=user), people=[Person(user.full_name, user.email, user)])
    except BaseException as error:
        errors.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=work, args=(u,)) for u in users]
[t.start() for t in threads]
[t.join() for t in threads]
confirmed = Registration.objects.filter(event=event, status="confirmed").count()
positions = list(Registration.objects.filter(event=event, status="waitlisted")
    .order_by("pk").values_list("waitlist_position", flat=True))
print(confirmed, positions == list(range(1, {people} - {seats} + 1)), len(errors), errors[:2])
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL pass runs the test above")
def test_sqlite_threads_never_overbook(tmp_path: Path) -> None:
    root = str(Path(__file__).resolve().parents[3])
    people, seats = 60, 15
    script = SQLITE_SCRIPT.format(root=root, people=people, seats=seats)
    env = dict(os.environ, SETU_VAR_DIR=str(tmp_path), DATABASE_URL="")
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[:3] == [str(seats), "True", "0"], result.stdout
