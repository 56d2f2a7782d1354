"""Minutes per agenda item, kept as revisions with optimistic concurrency.

Every save names the revision it was based on. Under the agenda item's row lock the service
compares it with the current revision: when someone else saved in between, nothing is written
and ``MinutesConflict`` carries their revision, so the page can show their change next to the
writer's own text. Nothing is overwritten and nothing typed is lost.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination.models import AgendaItem, MinutesRevision
from setu.coordination.services.meetings import _locked_meeting
from setu.core import audit

MAX_MINUTES_CHARS = 50_000


class MinutesConflict(ValidationError):
    """Somebody saved a newer revision since the writer's base revision."""

    def __init__(self, *, base: int, current: MinutesRevision) -> None:
        super().__init__(
            _(
                "%(author)s saved a newer version (revision %(number)s) while you were editing. "
                "Your text is kept below; their change is shown next to it. Merge the two and "
                "save again."
            )
            % {"author": current.author or _("Someone"), "number": current.number},
            code="conflict",
        )
        self.base = base
        self.current = current


def _normalise(text: str) -> str:
    # Browsers send CRLF; keep one form so that diffs show real changes only.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _write(
    item: AgendaItem, *, actor: User, text: str, restored_from: int | None = None
) -> MinutesRevision:
    number = item.minutes_revision + 1
    revision = MinutesRevision.objects.create(
        agenda_item=item, number=number, text=text, author=actor, restored_from=restored_from
    )
    before = item.minutes_text
    item.minutes_text = text
    item.minutes_revision = number
    item.save(update_fields=["minutes_text", "minutes_revision"])
    changes = {"item": [None, str(item)], "revision": [number - 1 or None, number]}
    if restored_from is not None:
        changes["restored_from"] = [None, restored_from]
    audit.record(
        item.meeting,
        "coordination.minutes.restored" if restored_from else "coordination.minutes.saved",
        actor=actor,
        changes={**changes, "length": [len(before), len(text)]},
    )
    return revision


def _lock(item: AgendaItem, base_revision: int) -> AgendaItem:
    _locked_meeting(item.meeting)
    locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if locked.minutes_revision != base_revision:
        if locked.minutes_revision == 0:  # a tampered or mistyped base: nothing to compare
            raise ValidationError(_("The form was out of date. Open the minutes again."))
        current = MinutesRevision.objects.select_related("author").get(
            agenda_item=locked, number=locked.minutes_revision
        )
        raise MinutesConflict(base=base_revision, current=current)
    return locked


@transaction.atomic
def minutes_save(
    *, agenda_item: AgendaItem, actor: User, text: str, base_revision: int
) -> MinutesRevision | None:
    """Save ``text`` as the next revision of the item's minutes.

    Returns None when the text equals the current one (no empty revisions). Raises
    ``MinutesConflict`` when ``base_revision`` is stale, ``ValidationError`` when the minutes
    are published (locked) or the text is too long.
    """
    text = _normalise(text)
    if len(text) > MAX_MINUTES_CHARS:
        raise ValidationError(
            {
                "text": _("The minutes are too long (at most %(n)s characters).")
                % {"n": MAX_MINUTES_CHARS}
            }
        )
    item = _lock(agenda_item, base_revision)
    if text == item.minutes_text:
        return None
    return _write(item, actor=actor, text=text)


@transaction.atomic
def minutes_restore(
    *, agenda_item: AgendaItem, actor: User, number: int, base_revision: int
) -> MinutesRevision:
    """Bring back revision ``number``'s text as a new revision (history is never rewritten)."""
    item = _lock(agenda_item, base_revision)
    old = MinutesRevision.objects.filter(agenda_item=item, number=number).first()
    if old is None:
        raise ValidationError(_("There is no revision %(n)s.") % {"n": number})
    if old.number == item.minutes_revision:
        raise ValidationError(_("Revision %(n)s is already the current text.") % {"n": number})
    return _write(item, actor=actor, text=old.text, restored_from=old.number)
