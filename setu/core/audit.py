"""The audit log: who changed what, when. Call ``record`` inside the write's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from setu.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    obj: models.Model,
    action: str,
    *,
    actor: User | AnonymousUser | None,
    changes: Mapping[str, Any] | None = None,
    owner: Organisation | None = None,
) -> AuditEntry:
    """Append an entry for ``obj``; ``action`` reads "app.thing.verb" ("accounts.invitation.sent").

    The owner defaults to ``obj.owner`` (or the organisation itself), so its officers can read it.
    """
    if owner is None:
        owner = getattr(obj, "owner", None)
    if owner is None and obj._meta.label == "directory.Organisation":
        owner = obj  # type: ignore[assignment]
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        owner=owner,
        changes=dict(changes or {}),
    )
