"""Reads for an event's interpreters: the list, one of them, their agenda, the load per slot."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from setu.matchmaking.models import Interpreter, Matchmaking, Meeting, ScheduleRun, Slot
from setu.matchmaking.selectors.schedule import codes


def interpreter_list(*, matchmaking: Matchmaking) -> QuerySet[Interpreter]:
    return (
        Interpreter.objects.filter(matchmaking=matchmaking)
        .annotate(away=Count("unavailable", distinct=True))
        .order_by("name", "pk")
    )


def access_interpreter(*, matchmaking: Matchmaking, interpreter_pk: Any) -> Interpreter:
    """An interpreter of this matchmaking, else 404."""
    try:
        interpreter = Interpreter.objects.get(pk=interpreter_pk, matchmaking=matchmaking)
    except (Interpreter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    interpreter.matchmaking = matchmaking
    return interpreter


def interpreter_meetings(*, run: ScheduleRun, interpreter: Interpreter) -> QuerySet[Meeting]:
    """The interpreter's meetings in a run, in time order."""
    return (
        Meeting.objects.filter(run=run, interpreter=interpreter)
        .select_related(
            "slot", "request__requester__organisation", "request__recipient__organisation"
        )
        .order_by("slot__index", "table")
    )


@dataclass(frozen=True, slots=True)
class SlotLoad:
    slot: Slot
    busy: int  # meetings with an interpreter in the slot
    available: int  # interpreters not away in the slot

    @property
    def full(self) -> bool:
        return self.available > 0 and self.busy >= self.available


def interpreter_load(*, run: ScheduleRun, slots: list[Slot]) -> list[SlotLoad]:
    """Per slot: meetings with an interpreter, and interpreters available (three queries)."""
    matchmaking_id = run.matchmaking_id
    staff = list(
        Interpreter.objects.filter(matchmaking_id=matchmaking_id).values_list("pk", "languages")
    )
    able = {pk for pk, spoken in staff if len(codes(spoken)) >= 2}
    if not able:
        return []
    away = Counter(
        slot_id
        for interpreter_id, slot_id in Interpreter.unavailable.through.objects.filter(
            interpreter__matchmaking_id=matchmaking_id
        ).values_list("interpreter_id", "slot_id")
        if interpreter_id in able
    )
    busy = Counter(
        Meeting.objects.filter(run=run, interpreter__isnull=False).values_list("slot_id", flat=True)
    )
    return [SlotLoad(slot, busy[slot.pk], len(able) - away[slot.pk]) for slot in slots]
