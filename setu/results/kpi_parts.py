"""Parts of the KPI dashboard that higher apps provide (tourism's arrival figures).

results never imports the apps above it; such an app registers a part from its
``AppConfig.ready``::

    register_kpi_part("arrivals", arrivals_kpi_part)

where ``arrivals_kpi_part(user, member, start, end)`` returns a :class:`KpiPart` or None
(nothing to show for this member or reader). Each part costs its own queries: keep it to one
or two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise
    from django.utils.safestring import SafeString

    from setu.accounts.models import User
    from setu.directory.models import Organisation


@dataclass(frozen=True)
class KpiPart:
    key: str
    title: str | _StrPromise
    html: SafeString  # already rendered; the chart with its table


KpiPartSource = Callable[
    ["User | AnonymousUser", "Organisation | None", date, date], "KpiPart | None"
]
_PARTS: dict[str, KpiPartSource] = {}


def register_kpi_part(key: str, source: KpiPartSource) -> None:
    _PARTS[key] = source


def kpi_parts(
    user: User | AnonymousUser, member: Organisation | None, start: date, end: date
) -> list[KpiPart]:
    found = (source(user, member, start, end) for source in _PARTS.values())
    return [part for part in found if part is not None]
