"""What the activity apps tell privacy about the personal data they hold.

privacy sits below the activity apps (events, matchmaking, exchanges, …) and never imports
them; each app registers its personal data from its ``AppConfig.ready`` with one call each:

    register_source("events.registrations", _("Event registrations"), my_registrations)
    register_retention(
        "guest_registrations", _("Guest registrations"),
        find_expired=expired_registrations, erase=anonymise_registrations,
    )
    register_erasure("events.registrations", erase_my_registrations)

A **source** ``(user) -> list[dict[str, str]]`` gives the rows the privacy page shows and the
export contains ("what Setu holds about me"): only this user's rows, values as text.

A **retention category** has a label and a key of ``settings.SETU_RETENTION_DAYS`` (its period
in days). ``find_expired(cutoff)`` returns a queryset (or list) of what is older than the
cutoff; ``erase(rows)`` erases or anonymises them and returns how many. ``action`` says which
("erase" or "anonymise") for the dry-run line.

An **erasure handler** ``(user) -> ErasureResult`` erases or anonymises what one person asked
to have erased and says what it had to keep and why (legal holds, the audit log). Its
``then`` runs after every handler (the search index re-reads the anonymised records).
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from datetime import datetime

    from setu.accounts.models import User

Source = Callable[["User"], list[dict[str, str]]]


@dataclass(frozen=True)
class SourceEntry:
    key: str
    label: str | Promise
    rows: Source


@dataclass(frozen=True)
class RetentionCategory:
    key: str
    label: str | Promise
    find_expired: Callable[[datetime], Any]
    erase: Callable[[Any], int]
    action: str = "erase"  # or "anonymise"

    @property
    def setting_key(self) -> str:
        return self.key


@dataclass
class ErasureResult:
    erased: int = 0
    kept: list[str] = field(default_factory=list)  # "what was kept, and why", as sentences
    # run after every handler has run (the search index re-reads the anonymised records)
    then: Callable[[], int] | None = None


ErasureHandler = Callable[["User"], ErasureResult]

_SOURCES: dict[str, SourceEntry] = {}
_RETENTION: dict[str, RetentionCategory] = {}
_ERASURE: dict[str, tuple[int, ErasureHandler]] = {}


def register_source(key: str, label: str | Promise, rows: Source) -> None:
    _SOURCES[key] = SourceEntry(key, label, rows)


def register_retention(
    key: str,
    label: str | Promise,
    *,
    find_expired: Callable[[datetime], Any],
    erase: Callable[[Any], int],
    action: str = "erase",
) -> None:
    """``key`` is also the key of its period in ``settings.SETU_RETENTION_DAYS``."""
    _RETENTION[key] = RetentionCategory(key, label, find_expired, erase, action)


def register_erasure(key: str, handler: ErasureHandler, *, order: int = 50) -> None:
    """Handlers run by ascending ``order``: the account itself is anonymised last (90)."""
    _ERASURE[key] = (order, handler)


def sources() -> list[SourceEntry]:
    return [_SOURCES[key] for key in sorted(_SOURCES)]


def retention_categories() -> list[RetentionCategory]:
    return [_RETENTION[key] for key in sorted(_RETENTION)]


def erasure_handlers() -> list[tuple[str, ErasureHandler]]:
    ranked = sorted(_ERASURE.items(), key=lambda item: (item[1][0], item[0]))
    return [(key, handler) for key, (_order, handler) in ranked]


def count(rows: Any) -> int:
    """How many rows a ``find_expired`` answer holds (a queryset counts in the database)."""
    if hasattr(rows, "count") and not isinstance(rows, list):
        return int(rows.count())
    return len(rows) if isinstance(rows, Sized) else 0
