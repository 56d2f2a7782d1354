"""Concurrent writes on PostgreSQL: one application per student and round, one queued run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from setu.conftest import World
from setu.exchanges import services
from setu.exchanges.models import Application, PlacementRun
from setu.exchanges.tests.factories import application_data, make_programme, make_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TRIES = 8


def _together(work: Callable[[], Any]) -> tuple[int, list[BaseException]]:
    """Run ``work`` in TRIES threads at once; (how many succeeded, unexpected errors)."""
    start = threading.Barrier(TRIES)
    done: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            work()
            done.append(1)
        except ValidationError:
            pass
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(TRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()
    return len(done), errors


def test_a_student_applying_many_times_at_once_gets_one_application(world: World) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    student = world.user("student")
    assert student is not None
    succeeded, errors = _together(
        lambda: services.application_create(
            actor=student, round_=round_, data=application_data(), programmes=[programme]
        )
    )
    assert not errors, errors[:3]
    assert succeeded == 1
    assert Application.objects.filter(round=round_, student=student).count() == 1


def test_many_coordinators_asking_at_once_queue_one_run(world: World, settings: Any) -> None:
    # The worker must not run it at once here: the run stays queued while the others ask.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    round_ = make_round(world)
    officer = world.user("officer_own")
    assert officer is not None
    succeeded, errors = _together(lambda: services.placement_request(actor=officer, round_=round_))
    assert not errors, errors[:3]
    assert succeeded == 1
    assert PlacementRun.objects.filter(round=round_).count() == 1
