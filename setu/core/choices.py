"""Form choices narrowed to what the user may see, without losing what they may not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet


def with_hidden_kept(
    chosen: Iterable[Any], *, current: QuerySet[Any], offered: QuerySet[Any]
) -> list[Any]:
    """``chosen`` plus the records of ``current`` that the form did not offer.

    A form offers only what its user may see; saving it must not drop a link the user could
    neither see nor choose (another editor made it, or the record became private since).
    """
    return [*chosen, *current.exclude(pk__in=offered.values("pk"))]
