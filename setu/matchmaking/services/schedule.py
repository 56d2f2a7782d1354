"""Writes for the organiser's scheduling: queue a scheduler run, run it (the worker), publish it.

A run goes queued → running → done (a draft) or failed; publishing a draft makes it everyone's
agenda and supersedes the schedule published before. "Reschedule keeping published meetings"
queues a run ``based_on`` the published one, whose still-valid meetings stay exactly where they
are. Hand changes to a draft live in ``services.schedule_edit``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from setu.algorithms.scheduling import Meeting as PlannedMeeting
from setu.algorithms.scheduling import Participant as Person
from setu.algorithms.scheduling import Problem, Schedule, schedule_meetings, validate_schedule
from setu.algorithms.scheduling_advice import interpreter_advice as advise
from setu.algorithms.scheduling_model import needs_interpreter
from setu.core import audit, domain_events
from setu.matchmaking.models import (
    FollowUp,
    Matchmaking,
    Meeting,
    Participant,
    RunStatus,
    ScheduleRun,
    Unplaced,
)
from setu.matchmaking.selectors.schedule import (
    ACTIVE_RUN_STATUSES,
    PersonRow,
    SchedulingInput,
    interpreter_key,
    key_pk,
    request_key,
    scheduling_input,
)
from setu.matchmaking.selectors.schedule_report import people_bound_of

if TYPE_CHECKING:
    from setu.accounts.models import User

logger = logging.getLogger(__name__)

# Progress shown while a run works: the scheduler itself reports none, so these mark the stages.
PROGRESS_STARTED = 10
PROGRESS_SOLVING = 30
PROGRESS_DONE = 100
# A run queued or running for longer than this was lost by its worker; it no longer blocks.
STALE_AFTER = timedelta(minutes=30)


def locked_matchmaking(pk: int) -> Matchmaking:
    """The matchmaking row, locked until the transaction ends; call inside a transaction."""
    return (
        Matchmaking.objects.select_related("event", "event__owner", "event__city")
        .select_for_update(of=("self",))
        .get(pk=pk)
    )


def refusals(data: SchedulingInput) -> list[str]:
    """Why the scheduler cannot run on this input, in the reader's language; empty when it can."""
    problems = []
    if not data.slot_pks:
        problems.append(_("There are no meeting slots yet: set up the meeting days first."))
    elif data.tables_limit and not any(data.problem.tables):
        problems.append(
            _("Every slot has 0 tables: give the meetings at least one table per slot.")
        )
    if not data.requests:
        problems.append(
            _(
                "There are no accepted meeting requests between participants taking part: "
                "nothing to schedule."
            )
        )
    if data.bad_fixed_tables:
        names = {
            p.pk: str(p.organisation)
            for p in Participant.objects.filter(
                pk__in=[pk for pk, _ in data.bad_fixed_tables]
            ).select_related("organisation")
        }
        most = max(data.problem.tables, default=0)
        for pk, table in data.bad_fixed_tables:
            problems.append(
                _(
                    "%(name)s is fixed to %(table)s, which does not exist: slots have at most "
                    "%(count)s tables."
                )
                % {
                    "name": names.get(pk, pk),
                    "table": data.matchmaking.table_label(table),
                    "count": most,
                }
            )
    return problems


def _forget_stale_runs(matchmaking: Matchmaking) -> None:
    stale = ScheduleRun.objects.filter(
        matchmaking=matchmaking,
        status__in=ACTIVE_RUN_STATUSES,
        created_at__lt=timezone.now() - STALE_AFTER,
    )
    stale.update(
        status=RunStatus.FAILED,
        error="The worker did not finish this run in time.",
        finished_at=timezone.now(),
    )


@transaction.atomic
def schedule_run_start(
    *, matchmaking: Matchmaking, actor: User, keep_published: bool = False
) -> ScheduleRun:
    """Queue a scheduler run and hand it to the worker once the transaction commits.

    Refused (``ValidationError``, nothing created) when there are no slots, no tables, no
    accepted requests between active participants, a fixed table that does not exist, or a
    run already queued or running. With ``keep_published`` the run keeps the published
    schedule's meetings where they are.
    """
    matchmaking = locked_matchmaking(matchmaking.pk)
    _forget_stale_runs(matchmaking)
    if ScheduleRun.objects.filter(matchmaking=matchmaking, status__in=ACTIVE_RUN_STATUSES).exists():
        raise ValidationError(
            _("The scheduler is already running for this event: wait for it to finish.")
        )
    based_on = None
    if keep_published:
        based_on = ScheduleRun.objects.filter(
            matchmaking=matchmaking, status=RunStatus.PUBLISHED
        ).first()
        if based_on is None:
            raise ValidationError(
                _("No schedule is published yet: run the scheduler to make a first draft.")
            )
    data = scheduling_input(matchmaking=matchmaking)
    problems = refusals(data)
    if problems:
        raise ValidationError(problems)
    run = ScheduleRun.objects.create(
        matchmaking=matchmaking,
        based_on=based_on,
        created_by=actor,
        requests_count=len(data.requests),
    )
    audit.record(
        run,
        "matchmaking.schedule.queued",
        actor=actor,
        owner=matchmaking.event.owner,
        changes={"requests": len(data.requests), "based_on": based_on.pk if based_on else None},
    )
    run_id = run.pk

    transaction.on_commit(lambda: run_scheduler.enqueue(run_id=run_id))
    return run


def kept_meetings(data: SchedulingInput, published: Iterable[Meeting]) -> list[PlannedMeeting]:
    """The published meetings that can stay exactly where they are.

    A meeting stays when its request is still accepted between two active participants, both
    are still available in its slot, its table still exists there (and is the fixed table of a
    side that has one), and no meeting kept before it uses either side or the table in that
    slot. When every meeting is online, tables mean nothing: only the slot is kept.
    """
    busy: set[tuple[int, int]] = set()
    used: set[tuple[int, int]] = set()
    interpreting: set[tuple[str, int]] = set()
    next_table: dict[int, int] = defaultdict(int)
    kept = []
    for meeting in sorted(published, key=lambda m: (m.slot_id, m.table, m.pk)):
        request = data.requests.get(meeting.request_id)
        position = data.positions.get(meeting.slot_id)
        if request is None or position is None:
            continue
        a, b = data.people[request.a], data.people[request.b]
        if position in a.unavailable or position in b.unavailable:
            continue
        if (a.pk, position) in busy or (b.pk, position) in busy:
            continue
        table = meeting.table
        if data.tables_limit:
            if not 0 <= table < data.problem.tables[position] or (position, table) in used:
                continue
            fixed = {p.fixed_table for p in (a, b) if p.fixed_table is not None}
            if fixed and table not in fixed:
                continue
        else:
            table = next_table[position]
            next_table[position] += 1
        interpreter = kept_interpreter(data, meeting, position, a, b, interpreting)
        if interpreter == "":
            continue
        busy.update({(a.pk, position), (b.pk, position)})
        used.add((position, table))
        if interpreter is not None:
            interpreting.add((interpreter, position))
        kept.append(PlannedMeeting(request_key(request.pk), position, table, interpreter))
    return kept


def interpreter_advice(problem: Problem, schedule: Schedule) -> list[dict[str, object]]:
    """What one more interpreter per language pair could add, as stored on the run."""
    return [
        {"languages": list(item.languages), "slots": list(item.slots), "more": item.more}
        for item in advise(problem, schedule)
    ]


def kept_interpreter(
    data: SchedulingInput,
    meeting: Meeting,
    position: int,
    a: PersonRow,
    b: PersonRow,
    interpreting: set[tuple[str, int]],
) -> str | None:
    """The interpreter a kept meeting keeps: None when it needs none, "" when it needs one and
    its own can no longer do it (then the meeting is not kept)."""
    if not needs_interpreter(
        Person(str(a.pk), languages=a.languages), Person(str(b.pk), languages=b.languages)
    ):
        return None
    if meeting.interpreter_id is None:
        return ""
    key = interpreter_key(meeting.interpreter_id)
    staff = {person.id: person for person in data.problem.interpreters}
    person = staff.get(key)
    if (
        person is None
        or position in person.unavailable
        or (key, position) in interpreting
        or not (person.languages & a.languages and person.languages & b.languages)
    ):
        return ""
    return key


def schedule_run_execute(*, run_id: int) -> None:
    """The worker's part: build the problem from the rows as they are now, schedule, store.

    Never raises: a failure is stored on the run (``failed`` with the error) for the organiser.
    A run that is not queued any more (run twice, or given up as stale) is left alone.
    """
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return
        run.status = RunStatus.RUNNING
        run.progress = PROGRESS_STARTED
        run.save(update_fields=["status", "progress"])
    try:
        _execute(run)
    except Exception as exc:
        logger.exception("scheduler run %s failed", run_id)
        if isinstance(exc, ValidationError):
            error = " ".join(exc.messages)
        else:
            error = f"{type(exc).__name__}: {exc}"
        ScheduleRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            error=error[:2000],
            progress=PROGRESS_DONE,
            finished_at=timezone.now(),
        )


@task()
def run_scheduler(*, run_id: int) -> None:
    """The worker runs a queued scheduler run; its state and any error are stored on the run.

    Defined here, next to its body, so that the worker's tasks module never imports services
    (services queue tasks; tasks do not call back into services)."""
    schedule_run_execute(run_id=run_id)


def _execute(run: ScheduleRun) -> None:
    matchmaking = Matchmaking.objects.select_related("event", "event__owner").get(
        pk=run.matchmaking_id
    )
    data = scheduling_input(matchmaking=matchmaking)
    problems = refusals(data)
    if problems:
        raise ValidationError(problems)
    fixed: list[PlannedMeeting] = []
    if run.based_on_id is not None:
        fixed = kept_meetings(data, Meeting.objects.filter(run_id=run.based_on_id))
    ScheduleRun.objects.filter(pk=run.pk).update(progress=PROGRESS_SOLVING)
    schedule = schedule_meetings(data.problem, fixed=fixed)
    errors = validate_schedule(data.problem, schedule.meetings)
    if errors:  # the scheduler promises a valid schedule; never store one that is not
        raise RuntimeError(f"the scheduler returned an invalid schedule: {errors[0]}")
    # What the draft page explains, computed here once rather than on every view of it.
    people = people_bound_of(data)
    advice = interpreter_advice(data.problem, schedule)
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.RUNNING:
            return
        Meeting.objects.bulk_create(
            [
                Meeting(
                    run=run,
                    request_id=key_pk(m.request),
                    slot_id=data.slot_pks[m.slot],
                    table=m.table,
                    online=key_pk(m.request) in data.online,
                    interpreter_id=None if m.interpreter is None else key_pk(m.interpreter),
                )
                for m in schedule.meetings
            ],
            batch_size=1000,
        )
        Unplaced.objects.bulk_create(
            [
                Unplaced(run=run, request_id=key_pk(u.request), reason=u.reason)
                for u in schedule.unplaced
            ],
            batch_size=1000,
        )
        run.requests_count = len(data.requests)
        run.placed = schedule.placed
        run.upper_bound = schedule.upper_bound
        run.priority_placed = schedule.priority_placed
        run.priority_upper_bound = schedule.priority_upper_bound
        run.seconds = round(schedule.seconds, 3)
        run.people_bound = people
        run.interpreter_advice = advice
        run.status = RunStatus.DONE
        run.progress = PROGRESS_DONE
        run.finished_at = timezone.now()
        run.save()
        # One draft at a time: a new run replaces the drafts before it.
        ScheduleRun.objects.filter(matchmaking=matchmaking, status=RunStatus.DONE).exclude(
            pk=run.pk
        ).update(status=RunStatus.SUPERSEDED)
        audit.record(
            run,
            "matchmaking.schedule.done",
            actor=run.created_by,
            owner=matchmaking.event.owner,
            changes={
                "placed": run.placed,
                "upper_bound": run.upper_bound,
                "kept": len(fixed),
                "seconds": run.seconds,
            },
        )


# --- publishing -------------------------------------------------------------------------------

AgendaItem = tuple[int, int, int, bool]  # request, slot, table, online


def agendas(run_id: int | None) -> dict[int, set[AgendaItem]]:
    """Participant pk → their meetings in a run, to tell whose agenda a publication changes."""
    result: dict[int, set[AgendaItem]] = defaultdict(set)
    if run_id is None:
        return result
    for request_id, a, b, slot_id, table, online in Meeting.objects.filter(
        run_id=run_id
    ).values_list(
        "request_id", "request__requester_id", "request__recipient_id", "slot_id", "table", "online"
    ):
        item = (request_id, slot_id, table, online)
        result[a].add(item)
        result[b].add(item)
    return result


def _carry_outcomes(previous: ScheduleRun, run: ScheduleRun) -> None:
    """Outcomes and follow-ups already recorded stay with their request in the new schedule."""
    new_ids = dict(Meeting.objects.filter(run=run).values_list("request_id", "pk"))
    recorded = Meeting.objects.filter(run=previous, request_id__in=new_ids).exclude(outcome="")
    updates = []
    for old in recorded:
        updates.append(
            Meeting(
                pk=new_ids[old.request_id],
                outcome=old.outcome,
                no_show_by_id=old.no_show_by_id,
                outcome_by_id=old.outcome_by_id,
            )
        )
    Meeting.objects.bulk_update(updates, ["outcome", "no_show_by", "outcome_by"])
    follow_ups = list(
        FollowUp.objects.filter(meeting__run=previous, meeting__request_id__in=new_ids)
        .select_related("meeting")
        .only("pk", "meeting__request_id")
    )
    for follow_up in follow_ups:
        follow_up.meeting_id = new_ids[follow_up.meeting.request_id]
    FollowUp.objects.bulk_update(follow_ups, ["meeting"])


def meetings_told(run: ScheduleRun, previous: ScheduleRun | None) -> None:
    """Publish ``meeting.scheduled`` for each meeting this run places anew or elsewhere than
    the schedule it replaces (all of them at the first publication): the two sides'
    organisations and the event's lead host hear of it. The payload holds ids and times."""
    before = (
        set(Meeting.objects.filter(run=previous).values_list("request_id", "slot_id", "table"))
        if previous is not None
        else set()
    )
    rows = Meeting.objects.filter(run=run).values_list(
        "pk",
        "request_id",
        "slot_id",
        "table",
        "online",
        "slot__starts_at",
        "slot__ends_at",
        "request__requester__organisation_id",
        "request__recipient__organisation_id",
    )
    owner_id = run.matchmaking.event.owner_id
    event_id = run.matchmaking.event_id
    domain_events.publish_many(
        "meeting.scheduled",
        [
            (
                {owner_id, requester, recipient},
                {
                    "event": event_id,
                    "meeting": pk,
                    "request": request_id,
                    "starts_at": starts.isoformat(),
                    "ends_at": ends.isoformat(),
                    "table": None if online else table + 1,
                    "online": online,
                    "organisations": [requester, recipient],
                },
            )
            for pk, request_id, slot_id, table, online, starts, ends, requester, recipient in rows
            if (request_id, slot_id, table) not in before
        ],
    )


@transaction.atomic
def schedule_publish(*, run: ScheduleRun, actor: User) -> int:
    """Publish a draft: it becomes everyone's agenda; the schedule published before is superseded.

    Emails (through the worker, after commit) the participants whose agenda this changes: at
    the first publication every active participant. Returns how many participants are emailed.
    """
    matchmaking = locked_matchmaking(run.matchmaking_id)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DONE:
        raise ValidationError(
            _("Only a draft can be published; this schedule is “%(status)s”.")
            % {"status": run.get_status_display()}
        )
    previous = ScheduleRun.objects.filter(
        matchmaking=matchmaking, status=RunStatus.PUBLISHED
    ).first()
    active = set(
        Participant.objects.filter(matchmaking=matchmaking, active=True).values_list(
            "pk", flat=True
        )
    )
    if previous is None:
        changed = active
    else:
        before, after = agendas(previous.pk), agendas(run.pk)
        changed = {pk for pk in active if before.get(pk, set()) != after.get(pk, set())}
        previous.status = RunStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        _carry_outcomes(previous, run)
    ScheduleRun.objects.filter(matchmaking=matchmaking, status=RunStatus.DONE).exclude(
        pk=run.pk
    ).update(status=RunStatus.SUPERSEDED)
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        run,
        "matchmaking.schedule.published",
        actor=actor,
        owner=matchmaking.event.owner,
        changes={
            "placed": run.placed,
            "replaces": previous.pk if previous else None,
            "emailed": len(changed),
        },
    )
    first = previous is None
    recipients = sorted(changed)
    meetings_told(run, previous)

    def enqueue() -> None:
        from setu.matchmaking.tasks import send_agenda_emails

        # One task here; the worker fans it out, so publishing never waits on thousands of rows.
        send_agenda_emails.enqueue(
            matchmaking_id=matchmaking.pk, participant_ids=recipients, changed=not first
        )

    transaction.on_commit(enqueue)
    return len(changed)


@transaction.atomic
def schedule_unpublish(*, run: ScheduleRun, actor: User) -> ScheduleRun:
    """Take a published schedule back to a draft: agendas say "not published yet" again, and
    the organiser may change the meeting days. Recorded outcomes stay with the run."""
    matchmaking = locked_matchmaking(run.matchmaking_id)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.PUBLISHED:
        raise ValidationError(_("Only the published schedule can be unpublished."))
    run.status = RunStatus.DONE
    run.published_at = None
    run.published_by = None
    run.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        run, "matchmaking.schedule.unpublished", actor=actor, owner=matchmaking.event.owner
    )
    return run
