"""Published council minutes in the library's trilingual search and in its digests."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.coordination.models import AgendaItem, Meeting
from setu.library.search.registry import IndexDocument, register_source

SOURCE = "coordination.minutes"
LANGUAGES = ("en", "ja", "hi")


def _minutes_title(language: str, title: str) -> str:
    """ "Minutes: <title>" in the title's own language, whatever language indexes it."""
    if not title:
        return ""
    with translation.override(language):
        return gettext("Minutes: %(title)s") % {"title": title}


def meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("owner")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
            "decisions",
            "invitees",
        )
        .order_by("pk")
    )


def minutes_entry(meeting: Any) -> IndexDocument | None:
    """A meeting's minutes once published (None until then: not searchable), shared as the
    organiser chose. Invited organisations read them whatever that choice (``reader_ids``)."""
    assert isinstance(meeting, Meeting)
    if meeting.minutes_published_at is None:
        return None
    parts: list[str] = []
    for item in meeting.agenda_items.all():
        parts += [item.title_en, item.title_ja, item.title_hi, item.minutes_text]
    parts += [decision.text for decision in meeting.decisions.all()]
    invited = {i.organisation_id for i in meeting.invitees.all() if i.organisation_id}
    return IndexDocument(
        title={code: _minutes_title(code, getattr(meeting, f"title_{code}")) for code in LANGUAGES},
        body="\n".join(part for part in parts if part),
        language="ja" if meeting.title_ja and not meeting.title_en else "en",
        owner_id=meeting.owner_id,
        managed_by_id=meeting.owner.managed_by_id,
        visibility=meeting.minutes_visibility,
        url=meeting.get_absolute_url(),
        date=meeting.minutes_published_at,
        kind="minutes",
        organisation_ids=invited,
        reader_ids=invited,
    )


def register() -> None:
    register_source(
        SOURCE,
        model=Meeting,
        label=_("Minutes"),
        document=minutes_entry,
        queryset=meetings,
        digest=True,
        kind_labels={"minutes": _("Minutes")},
    )
