"""What the portal calls each field of "what Setu holds about me".

The sources (``registry.register_source``) give rows keyed by short machine names, which the
JSON and CSV exports keep as they are; the page shows these labels in the reader's language.
A key not listed here is shown with its underscores as spaces.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELD_LABELS: dict[str, str | Promise] = {
    "action": _("action"),
    "answers": _("answers"),
    "by": _("by"),
    "country": _("country"),
    "date_of_birth": _("date of birth"),
    "email": _("email"),
    "event": _("event"),
    "full_name": _("full name"),
    "how": _("how"),
    "joined": _("joined"),
    "language": _("language"),
    "languages": _("languages"),
    "level": _("level"),
    "name": _("name"),
    "name_native": _("name in your script"),
    "native_name": _("name in your script"),
    "needs": _("needs"),
    "notice": _("notice"),
    "offers": _("offers"),
    "organisation": _("organisation"),
    "phone": _("phone"),
    "purpose": _("purpose"),
    "recipient": _("recipient"),
    "record": _("record"),
    "registered": _("registered"),
    "round": _("round"),
    "sent": _("sent"),
    "statement": _("statement"),
    "status": _("status"),
    "taking_part": _("taking part"),
    "time_zone": _("time zone"),
    "title": _("title"),
    "what": _("what"),
    "when": _("when"),
}


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key.replace("_", " ")))


def labelled(rows: list[dict[str, str]]) -> list[list[tuple[str, str]]]:
    """Each row as (label, value) pairs, in the row's order."""
    return [[(field_label(key), value) for key, value in row.items()] for row in rows]
