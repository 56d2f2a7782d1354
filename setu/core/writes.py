"""What every create/edit service does with a form's cleaned data: set, save, relate.

A view hands the service ``form.cleaned_data``; the service sets the scalar fields with
``assign``, saves, then sets the many-to-many relations with ``relate`` and audits the whole
change (``audit.snapshot`` before and after). Nothing outside a service saves relations.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import models


def assign(
    instance: models.Model, data: Mapping[str, Any], *, exclude: Collection[str] = ()
) -> dict[str, list[Any]]:
    """Set ``instance``'s own fields named in ``data``; return its many-to-many values, to be
    set by ``relate`` once the instance is saved. Names in ``exclude`` are left alone."""
    relations: dict[str, list[Any]] = {}
    for field in instance._meta.get_fields():
        name = field.name
        if name not in data or name in exclude or field.auto_created:
            continue
        if field.many_to_many:
            relations[name] = list(data[name] or [])
        elif field.concrete and getattr(field, "editable", False):
            field.save_form_data(instance, data[name])
    return relations


def relate(instance: models.Model, relations: Mapping[str, Iterable[Any]]) -> None:
    """Replace the saved ``instance``'s many-to-many relations with the given records."""
    for name, records in relations.items():
        getattr(instance, name).set(list(records))
