"""Hand changes to a draft schedule: move a meeting, place an unplaced request, take one out.

Each change is checked twice before anything is written: first rule by rule, with a message
naming who or what clashes in the reader's language; then the whole resulting schedule with
``setu.algorithms.scheduling.validate_schedule`` against the rows as they are now, refusing
anything that breaks a rule the schedule did not already break.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.algorithms.scheduling import Meeting as PlannedMeeting
from setu.algorithms.scheduling import validate_schedule
from setu.core import audit
from setu.core.timefmt import dual_time
from setu.matchmaking.models import (
    Matchmaking,
    Meeting,
    MeetingMode,
    MeetingRequest,
    Participant,
    RunStatus,
    ScheduleRun,
    Slot,
    Unplaced,
    UnplacedReason,
)
from setu.matchmaking.selectors.schedule import (
    SchedulingInput,
    interpreter_key,
    is_online_request,
    key_pk,
    request_key,
    scheduling_input,
)

if TYPE_CHECKING:
    from setu.accounts.models import User


def _locked_draft(run: ScheduleRun) -> ScheduleRun:
    run = (
        ScheduleRun.objects.select_for_update(of=("self",))
        .select_related("matchmaking", "matchmaking__event", "matchmaking__event__owner")
        .get(pk=run.pk)
    )
    if run.status != RunStatus.DONE:
        raise ValidationError(
            _(
                "Only a draft can be changed. To change the published schedule, reschedule "
                "keeping published meetings and adjust the new draft."
            )
        )
    return run


def when(slot: Slot, matchmaking: Matchmaking) -> str:
    """The slot's start at the venue (and in the reader's zone), with its date."""
    return dual_time(
        slot.starts_at,
        matchmaking.event.venue_zone,
        timezone.get_current_timezone_name(),
        with_date=True,
    )


def _clashes(
    *,
    run: ScheduleRun,
    request: MeetingRequest,
    slot: Slot,
    table: int,
    moving: Meeting | None,
) -> list[str]:
    """Why ``request`` cannot meet at ``slot``/``table`` in ``run``, naming who or what clashes."""
    matchmaking = run.matchmaking
    if slot.matchmaking_id != matchmaking.pk:
        return [_("That slot is not part of this event's meeting grid.")]
    at = when(slot, matchmaking)
    sides = [request.requester, request.recipient]
    problems = []
    away = set(
        Participant.unavailable.through.objects.filter(
            participant_id__in=[p.pk for p in sides], slot=slot
        ).values_list("participant_id", flat=True)
    )
    for side in sides:
        if side.pk in away:
            problems.append(
                _("%(name)s is not available at %(time)s.")
                % {"name": side.organisation, "time": at}
            )
    others = (
        Meeting.objects.filter(run=run, slot=slot)
        .exclude(pk__in=_skip(moving))
        .select_related("request__requester__organisation", "request__recipient__organisation")
    )
    side_ids = {p.pk for p in sides}
    for other in others:
        for side in sides:
            if side.pk in (other.request.requester_id, other.request.recipient_id):
                problems.append(
                    _("%(name)s already meets %(other)s at %(time)s.")
                    % {
                        "name": side.organisation,
                        "other": other.request.other(side).organisation,
                        "time": at,
                    }
                )
    if matchmaking.mode == MeetingMode.ONLINE:
        return problems
    count = slot.table_count(matchmaking)
    if not 0 <= table < count:
        problems.append(
            ngettext(
                "%(table)s does not exist at %(time)s: that slot has %(count)s table.",
                "%(table)s does not exist at %(time)s: that slot has %(count)s tables.",
                count,
            )
            % {"table": _table_name(matchmaking, table), "time": at, "count": count}
        )
    fixed = [p for p in sides if p.fixed_table is not None]
    if fixed and table not in {p.fixed_table for p in fixed}:
        problems.append(
            _("%(name)s always meets at %(table)s.")
            % {
                "name": fixed[0].organisation,
                "table": matchmaking.table_label(fixed[0].fixed_table or 0),
            }
        )
    for other in others:
        if other.table == table and not side_ids & {
            other.request.requester_id,
            other.request.recipient_id,
        }:
            problems.append(
                _("%(table)s is taken at %(time)s by %(a)s and %(b)s.")
                % {
                    "table": matchmaking.table_label(table),
                    "time": at,
                    "a": other.request.requester.organisation,
                    "b": other.request.recipient.organisation,
                }
            )
    return problems


def _skip(moving: Meeting | None) -> list[int]:
    return [moving.pk] if moving else []


def _table_name(matchmaking: Matchmaking, table: int) -> str:
    return matchmaking.table_label(table) if table >= 0 else str(table)


def _free_online_table(run: ScheduleRun, slot: Slot, moving: Meeting | None) -> int:
    """When every meeting is online the table number means nothing: the lowest unused one."""
    used = set(
        Meeting.objects.filter(run=run, slot=slot)
        .exclude(pk__in=_skip(moving))
        .values_list("table", flat=True)
    )
    return next(t for t in range(len(used) + 1) if t not in used)


def _check(
    *,
    run: ScheduleRun,
    request: MeetingRequest,
    slot: Slot,
    table: int,
    moving: Meeting | None,
) -> int | None:
    """Raise ``ValidationError`` unless ``request`` may meet at ``slot``/``table`` in ``run``;
    returns the interpreter the meeting then has (its own if still free, else a free one)."""
    problems = _clashes(run=run, request=request, slot=slot, table=table, moving=moving)
    if problems:
        raise ValidationError(problems)
    data = scheduling_input(matchmaking=run.matchmaking)
    if request.pk not in data.requests:
        raise ValidationError(
            _(
                "%(a)s and %(b)s no longer have an accepted request between two participants "
                "taking part: this meeting cannot be placed or moved."
            )
            % {"a": request.requester.organisation, "b": request.recipient.organisation}
        )
    rest = data.planned(Meeting.objects.filter(run=run).exclude(pk__in=_skip(moving)))
    position = data.positions[slot.pk]
    interpreter = _free_interpreter(data, rest, request, position, moving)
    change = PlannedMeeting(request_key(request.pk), position, table, interpreter)
    before = set(validate_schedule(data.problem, rest))
    broken = sorted(set(validate_schedule(data.problem, [*rest, change])) - before)
    if broken:
        raise ValidationError(
            _("This change breaks a scheduling rule: %(rule)s") % {"rule": broken[0]}
        )
    return None if interpreter is None else key_pk(interpreter)


def _free_interpreter(
    data: SchedulingInput,
    rest: list[PlannedMeeting],
    request: MeetingRequest,
    position: int,
    moving: Meeting | None,
) -> str | None:
    """An interpreter for the request in that slot if it needs one: its own first."""
    row = data.requests[request.pk]
    a, b = data.people[row.a], data.people[row.b]
    if not a.languages or not b.languages or a.languages & b.languages:
        return None
    taken = {m.interpreter for m in rest if m.slot == position}
    own = None if moving is None or moving.interpreter_id is None else moving.interpreter_id
    able = [
        person
        for person in data.problem.interpreters
        if person.languages & a.languages
        and person.languages & b.languages
        and position not in person.unavailable
        and person.id not in taken
    ]
    able.sort(key=lambda person: person.id != (None if own is None else interpreter_key(own)))
    return able[0].id if able else None


def _recount(run: ScheduleRun) -> None:
    meetings = Meeting.objects.filter(run=run)
    run.placed = meetings.count()
    run.priority_placed = meetings.aggregate(total=Sum("request__priority"))["total"] or 0
    run.save(update_fields=["placed", "priority_placed"])


def _with_sides(request_pk: int) -> MeetingRequest:
    return MeetingRequest.objects.select_related(
        "requester__organisation", "recipient__organisation"
    ).get(pk=request_pk)


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: Slot, table: int, actor: User) -> Meeting:
    """Move a draft's meeting to another slot and/or table; refused, unchanged, on any clash."""
    run = _locked_draft(meeting.run)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, run=run)
    request = _with_sides(meeting.request_id)
    if run.matchmaking.mode == MeetingMode.ONLINE:
        table = _free_online_table(run, slot, meeting)
    if (meeting.slot_id, meeting.table) == (slot.pk, table):
        raise ValidationError(_("The meeting is already there."))
    interpreter = _check(run=run, request=request, slot=slot, table=table, moving=meeting)
    before = {"slot": meeting.slot_id, "table": meeting.table}
    meeting.slot = slot
    meeting.table = table
    meeting.interpreter_id = interpreter
    meeting.moved_by_hand = True
    meeting.save(update_fields=["slot", "table", "interpreter", "moved_by_hand"])
    audit.record(
        meeting,
        "matchmaking.meeting.moved",
        actor=actor,
        owner=run.matchmaking.event.owner,
        changes=audit.field_changes(before, {"slot": slot.pk, "table": table}),
    )
    return meeting


@transaction.atomic
def meeting_place(
    *, run: ScheduleRun, request: MeetingRequest, slot: Slot, table: int, actor: User
) -> Meeting:
    """Place an accepted request the draft left out; refused, unchanged, on any clash."""
    run = _locked_draft(run)
    request = _with_sides(request.pk)
    if request.matchmaking_id != run.matchmaking_id:
        raise ValidationError(_("That request belongs to another event."))
    if Meeting.objects.filter(run=run, request=request).exists():
        raise ValidationError(_("This request is already in the schedule: move its meeting."))
    if run.matchmaking.mode == MeetingMode.ONLINE:
        table = _free_online_table(run, slot, None)
    interpreter = _check(run=run, request=request, slot=slot, table=table, moving=None)
    meeting = Meeting.objects.create(
        run=run,
        request=request,
        slot=slot,
        table=table,
        interpreter_id=interpreter,
        online=is_online_request(run.matchmaking, request.requester.mode, request.recipient.mode),
        moved_by_hand=True,
    )
    Unplaced.objects.filter(run=run, request=request).delete()
    _recount(run)
    audit.record(
        meeting,
        "matchmaking.meeting.placed",
        actor=actor,
        owner=run.matchmaking.event.owner,
        changes={"slot": slot.pk, "table": table},
    )
    return meeting


@transaction.atomic
def meeting_remove(*, meeting: Meeting, actor: User) -> None:
    """Take a meeting out of a draft; its request goes to the unplaced list."""
    run = _locked_draft(meeting.run)
    meeting = Meeting.objects.select_related("request").get(pk=meeting.pk, run=run)
    audit.record(
        meeting,
        "matchmaking.meeting.removed",
        actor=actor,
        owner=run.matchmaking.event.owner,
        changes={"slot": meeting.slot_id, "table": meeting.table},
    )
    Unplaced.objects.update_or_create(
        run=run, request=meeting.request, defaults={"reason": UnplacedReason.REMOVED}
    )
    meeting.delete()
    _recount(run)
