"""Action items and their carry-over from one meeting of a series to the next.

Carry-over rule
---------------
An open item (open or in progress) stays on the agenda until it is done or dropped. It
"appears" on the meeting where it was raised and on every meeting it was carried onto.

* When a meeting is **closed**, its open items (raised there or carried onto it) are carried
  onto the next meeting of the series, if that meeting exists already.
* When a meeting is **created** in a series, the open items of the previous meeting of the
  series are carried onto it, provided that previous meeting has started (a meeting planned
  ahead of an upcoming one waits for that one to be closed).

"Next" and "previous" order meetings by start time and skip cancelled meetings. Carrying is
idempotent: an item is carried onto a meeting at most once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts.models import Membership, User
from setu.coordination.models import ActionCarryOver, ActionItem, ActionStatus, AgendaItem, Meeting
from setu.coordination.models.meetings import OPEN_ACTION_STATUSES
from setu.coordination.selectors import meeting_organisation_ids, next_meeting, previous_meeting
from setu.core import audit
from setu.directory.models import Organisation

ACTION_FIELDS = (
    "title",
    "description",
    "owner",
    "owner_person",
    "due_on",
    "agenda_item",
    "visibility",
)


def _validate(
    *,
    meeting: Meeting,
    owner: Organisation,
    owner_person: User | None,
    agenda_item: AgendaItem | None,
    title: str,
    due_on: date | None,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Say what is to be done.")
    if due_on is None:
        errors["due_on"] = _("Give a due date.")
    if owner.pk not in meeting_organisation_ids(meeting):
        errors["owner"] = _(
            "%(org)s is not part of this meeting. Choose the organiser or an invited "
            "organisation, or invite %(org)s first."
        ) % {"org": owner}
    elif (
        owner_person is not None
        and not Membership.objects.filter(user=owner_person, organisation=owner).exists()
    ):
        errors["owner_person"] = _("%(person)s is not a member of %(org)s.") % {
            "person": owner_person,
            "org": owner,
        }
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = _("That agenda item belongs to another meeting.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    actor: User,
    title: str,
    owner: Organisation,
    due_on: date,
    owner_person: User | None = None,
    agenda_item: AgendaItem | None = None,
    description: str = "",
    visibility: str | None = None,
) -> ActionItem:
    """A new action item raised at ``meeting``. Its owner must be part of the meeting."""
    _validate(
        meeting=meeting,
        owner=owner,
        owner_person=owner_person,
        agenda_item=agenda_item,
        title=title,
        due_on=due_on,
    )
    action = ActionItem.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title.strip(),
        description=description,
        owner=owner,
        owner_person=owner_person,
        due_on=due_on,
        visibility=visibility or meeting.visibility,
        created_by=actor,
    )
    audit.record(
        action,
        "coordination.action.created",
        actor=actor,
        changes={
            "title": [None, action.title],
            "owner": [None, str(owner)],
            "owner_person": [None, str(owner_person) if owner_person else None],
            "due_on": [None, str(due_on)],
        },
    )
    return action


@transaction.atomic
def action_update(*, action: ActionItem, actor: User, **values: Any) -> ActionItem:
    locked = ActionItem.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    merged = {name: values.get(name, getattr(locked, name)) for name in ACTION_FIELDS}
    _validate(
        meeting=locked.meeting,
        owner=merged["owner"],
        owner_person=merged["owner_person"],
        agenda_item=merged["agenda_item"],
        title=merged["title"],
        due_on=merged["due_on"],
    )
    before = {name: getattr(locked, name) for name in ACTION_FIELDS}
    for name in ACTION_FIELDS:
        setattr(locked, name, merged[name])
    locked.save()
    changes = audit.field_changes(before, merged)
    if changes:
        audit.record(locked, "coordination.action.changed", actor=actor, changes=changes)
    return locked


@transaction.atomic
def action_set_status(*, action: ActionItem, actor: User, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    before = locked.status
    if before == status:
        return locked
    locked.status = status
    locked.completed_at = None if status in OPEN_ACTION_STATUSES else timezone.now()
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    audit.record(
        locked, "coordination.action.status", actor=actor, changes={"status": [before, status]}
    )
    return locked


def _open_items_on(meeting: Meeting) -> list[ActionItem]:
    """Open items raised at ``meeting`` or carried onto it."""
    return list(
        ActionItem.objects.filter(Q(meeting=meeting) | Q(carries__meeting=meeting))
        .filter(status__in=OPEN_ACTION_STATUSES)
        .distinct()
        .order_by("id")
    )


def _carry(*, from_meeting: Meeting, to_meeting: Meeting, actor: User | None) -> int:
    already = set(
        ActionCarryOver.objects.filter(meeting=to_meeting).values_list("action_item_id", flat=True)
    )
    carried = 0
    for action in _open_items_on(from_meeting):
        if action.pk in already or action.meeting_id == to_meeting.pk:
            continue
        ActionCarryOver.objects.create(
            action_item=action, meeting=to_meeting, from_meeting=from_meeting
        )
        audit.record(
            action,
            "coordination.action.carried_over",
            actor=actor,
            changes={"meeting": [str(from_meeting), str(to_meeting)]},
        )
        carried += 1
    return carried


@transaction.atomic
def action_carry_over_from(*, meeting: Meeting, actor: User | None) -> int:
    """Carry the meeting's open items onto the next meeting of its series, if it exists."""
    following = next_meeting(meeting)
    if following is None:
        return 0
    return _carry(from_meeting=meeting, to_meeting=following, actor=actor)


@transaction.atomic
def action_carry_over_into(*, meeting: Meeting, actor: User | None) -> int:
    """Carry onto a new meeting the open items of the previous one, once that has started."""
    previous = previous_meeting(meeting)
    if previous is None or previous.starts_at > timezone.now():
        return 0
    return _carry(from_meeting=previous, to_meeting=meeting, actor=actor)
