"""Writes for an event's interpreters: add, change, remove (each audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.core import audit
from setu.matchmaking.models import Interpreter, Matchmaking, Slot

if TYPE_CHECKING:
    from setu.accounts.models import User


@transaction.atomic
def interpreter_save(
    *,
    matchmaking: Matchmaking,
    actor: User,
    data: dict[str, Any],
    interpreter: Interpreter | None = None,
) -> Interpreter:
    """Add an interpreter to the event (or change one); the slots must be the event's."""
    slots = list(data.get("unavailable") or [])
    if any(slot.matchmaking_id != matchmaking.pk for slot in slots):
        raise ValidationError(_("Some of these slots are not in this event's matchmaking."))
    adding = interpreter is None
    if interpreter is None:
        interpreter = Interpreter(matchmaking=matchmaking)
    before = {"name": interpreter.name, "languages": interpreter.languages}
    interpreter.name = data["name"]
    interpreter.languages = data["languages"]
    interpreter.save()
    interpreter.unavailable.set(
        Slot.objects.filter(pk__in=[slot.pk for slot in slots], matchmaking=matchmaking)
    )
    audit.record(
        interpreter,
        "matchmaking.interpreter.added" if adding else "matchmaking.interpreter.changed",
        actor=actor,
        owner=matchmaking.event.owner,
        changes=audit.field_changes(
            before,
            {
                "name": interpreter.name,
                "languages": interpreter.languages,
                "unavailable": sorted(slot.index + 1 for slot in slots),
            },
        ),
    )
    return interpreter


@transaction.atomic
def interpreter_remove(*, interpreter: Interpreter, actor: User) -> None:
    """Remove an interpreter; meetings they had keep their place without one until the next run."""
    matchmaking = interpreter.matchmaking
    audit.record(
        interpreter,
        "matchmaking.interpreter.removed",
        actor=actor,
        owner=matchmaking.event.owner,
        changes={"name": interpreter.name},
    )
    interpreter.delete()
