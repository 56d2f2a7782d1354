"""The scopes a token may hold: ``read`` (everything its person may read) and one write scope
per area. A new area's router adds its write scope here (docs/api.md, "Adding an area")."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

READ = "read"
EVENTS_WRITE = "events:write"
MATCHMAKING_WRITE = "matchmaking:write"
LEADS_WRITE = "leads:write"

SCOPES: dict[str, str | Promise] = {
    READ: _("Read everything you may read"),
    EVENTS_WRITE: _("Register for events"),
    MATCHMAKING_WRITE: _("Answer meeting requests"),
    LEADS_WRITE: _("Create and move leads"),
}


def scope_choices() -> list[tuple[str, str | Promise]]:
    """The scopes for a form: "Register for events (events:write)"."""
    return [(key, format_lazy("{} ({})", label, key)) for key, label in SCOPES.items()]


def unknown_scopes(scopes: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    return sorted(set(scopes) - SCOPES.keys())
