"""What the worker does for exchanges: compute a placement run.

``services.placement_request`` queues ``run_placement`` once its transaction commits; the run
reads the round as it is then (scores, hand orders, consents, declines) and stores a draft
that the coordinator reviews and publishes.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from setu.algorithms.placement import ProblemError, first_choice_count, place_students
from setu.core import audit
from setu.exchanges.models import Outcome, PlacementRun, RunStatus, UnplacedReason
from setu.exchanges.selectors import placement_problem


@task()
def run_placement(*, run_id: int) -> None:
    with transaction.atomic():
        run = (
            PlacementRun.objects.select_for_update()
            .select_related("round__owner")
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is None:
            return
        problem, waiting = placement_problem(round_=run.round)
        try:
            placement = place_students(problem)
        except ProblemError as error:  # the database's constraints make this unreachable
            run.status, run.error = RunStatus.FAILED, str(error)
            run.save(update_fields=["status", "error"])
            return
        rank = {
            (s.id, c.programme): position
            for s in problem.students
            for position, c in enumerate(s.choices, start=1)
        }
        outcomes = []
        for student in problem.students:
            programme = placement.assignments.get(student.id)
            outcomes.append(
                Outcome(
                    run=run,
                    application_id=int(student.id),
                    programme_id=int(programme) if programme else None,
                    choice_rank=rank[(student.id, programme)] if programme else None,
                    reason=""
                    if programme
                    else (
                        UnplacedReason.OUTRANKED if student.choices else UnplacedReason.NO_CHOICE
                    ),
                )
            )
        outcomes.extend(
            Outcome(run=run, application_id=int(pk), reason=UnplacedReason.NOT_VISIBLE)
            for pk in waiting
        )
        Outcome.objects.bulk_create(outcomes, batch_size=2000)
        PlacementRun.objects.filter(round=run.round, status=RunStatus.DRAFT).update(
            status=RunStatus.SUPERSEDED
        )
        run.status = RunStatus.DRAFT
        run.seconds = placement.seconds
        run.applicants = len(problem.students)
        run.placed = len(placement.assignments)
        run.first_choice = first_choice_count(problem, placement)
        run.save()
        audit.record(
            run,
            "exchanges.placement.computed",
            actor=None,
            owner=run.round.owner,
            changes={"placed": run.placed, "applicants": run.applicants},
        )
