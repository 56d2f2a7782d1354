"""Published council minutes and open action items in the library's search and its digests."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.algorithms.text import is_japanese
from setu.coordination.models import ActionItem, AgendaItem, Meeting
from setu.coordination.models.meetings import OPEN_ACTION_STATUSES
from setu.library.search.registry import IndexDocument, register_source

SOURCE = "coordination.minutes"
ACTIONS = "coordination.action"
LANGUAGES = ("en", "ja", "hi")


def _minutes_title(language: str, title: str) -> str:
    """ "Minutes: <title>" in the title's own language, whatever language indexes it."""
    if not title:
        return ""
    with translation.override(language):
        return gettext("Minutes: %(title)s") % {"title": title}


def _invited_organisations(meeting: Meeting) -> set[int]:
    """From the prefetched invitees: both querysets below prefetch them."""
    return {i.organisation_id for i in meeting.invitees.all() if i.organisation_id}


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
    invited = _invited_organisations(meeting)
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


def actions() -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.select_related("owner", "meeting")
        .prefetch_related("meeting__invitees")
        .order_by("pk")
    )


def action_entry(action: Any) -> IndexDocument | None:
    """An open action item (done or dropped ones leave the index), read like the item itself:
    its owner's people and, whatever its visibility, the meeting's organiser and invited
    organisations. New items therefore reach the digests of the meeting's participants."""
    assert isinstance(action, ActionItem)
    if action.status not in OPEN_ACTION_STATUSES:
        return None
    meeting = action.meeting
    invited = _invited_organisations(meeting)
    language = "ja" if any(is_japanese(char) for char in action.title) else "en"
    return IndexDocument(
        title={language: action.title},
        body="\n".join(part for part in (action.description, meeting.display_title) if part),
        language=language,
        owner_id=action.owner_id,
        managed_by_id=action.owner.managed_by_id,
        visibility=action.visibility,
        url=f"{meeting.get_absolute_url()}#actions",
        date=action.created_at,
        kind="action",
        organisation_ids={action.owner_id},
        reader_ids=invited | {meeting.owner_id},
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
    register_source(
        ACTIONS,
        model=ActionItem,
        label=_("Action items"),
        document=action_entry,
        queryset=actions,
        digest=True,
        kind_labels={"action": _("Action item")},
    )
