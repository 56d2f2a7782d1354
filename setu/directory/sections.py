"""Parts of an organisation's page that other apps provide (events, missions).

The directory is the base every other app links to, so it never imports them. An app adds a
section from its ``AppConfig.ready``::

    register_section("events", organisation_events, order=10)

where ``organisation_events(user, organisation)`` returns a :class:`Section` or None (nothing
to show). Each section costs its own queries: keep it to one or two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

    from setu.accounts.models import User
    from setu.directory.models import Organisation


@dataclass(frozen=True)
class SectionItem:
    title: str
    url: str
    when: str  # already formatted ("2027-03-10 – 2027-03-14")
    note: str = ""  # the role or status, already translated


@dataclass(frozen=True)
class Section:
    key: str
    title: str | _StrPromise
    items: Sequence[SectionItem]
    empty: str | _StrPromise
    more_url: str = ""
    more_label: str | _StrPromise = ""
    html: str = ""  # already rendered and safe (a chart with its table), shown before the items


T = TypeVar("T")
SECTION_SIZE = 10

SectionSource = Callable[["User | AnonymousUser", "Organisation"], Section | None]
_SOURCES: dict[str, tuple[int, SectionSource]] = {}


def register_section(key: str, source: SectionSource, *, order: int = 50) -> None:
    _SOURCES[key] = (order, source)


def sections_for(user: User | AnonymousUser, organisation: Organisation) -> list[Section]:
    found: list[Section] = []
    for _order, source in sorted(_SOURCES.values(), key=lambda pair: pair[0]):
        section = source(user, organisation)
        if section is not None:
            found.append(section)
    return found


def upcoming_first(
    latest_first: Sequence[T], *, is_over: Callable[[T], bool], starts: Callable[[T], Any]
) -> list[T]:
    """Records read latest first, reordered for a page: the coming ones soonest first, then the
    past ones, most recent first; at most ``SECTION_SIZE``."""
    upcoming = sorted((item for item in latest_first if not is_over(item)), key=starts)
    past = [item for item in latest_first if is_over(item)]
    return (upcoming + past)[:SECTION_SIZE]


def day_range(first: Any, last: Any) -> str:
    """ "2027-03-10" or "2027-03-10 – 2027-03-14"."""
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"
