"""Council meetings: series, meetings, invitations and RSVP, agenda, decisions, publishing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination.models import (
    AgendaAttachment,
    AgendaItem,
    Decision,
    Invitee,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Rsvp,
)
from setu.core import audit
from setu.core.models import Visibility
from setu.directory.models import Organisation

SERIES_FIELDS = (
    "title_en", "title_ja", "title_hi", "description_en", "description_ja", "cadence",
    "time_zone", "visibility",
)  # fmt: skip
MEETING_FIELDS = (
    "series", "title_en", "title_ja", "title_hi", "starts_at", "ends_at", "time_zone", "city",
    "place", "online_url", "visibility", "status",
)  # fmt: skip
AGENDA_FIELDS = (
    "title_en", "title_ja", "title_hi", "description", "presenter_name",
    "presenter_organisation", "duration_minutes",
)  # fmt: skip


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _apply(obj: Any, fields: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the given ``values`` (only names in ``fields``) and return the audit changes."""
    names = [name for name in fields if name in values]
    before = _snapshot(obj, names)
    for name in names:
        setattr(obj, name, values[name])
    return audit.field_changes(before, _snapshot(obj, names))


def _require_title(values: Mapping[str, Any]) -> None:
    if not any(values.get(name) for name in ("title_en", "title_ja", "title_hi")):
        raise ValidationError({"title_en": _("Give a title in at least one language.")})


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting row, locked, refusing when its minutes are published.

    Every write to the minutes' parts takes this lock, so publishing cannot interleave with
    an edit.
    """
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.minutes_published_at is not None:
        raise ValidationError(
            _("The minutes of this meeting were published on %(date)s and can no longer change.")
            % {"date": formats.date_format(timezone.localtime(locked.minutes_published_at))}
        )
    return locked


# --- series and meetings ----------------------------------------------------------------------


@transaction.atomic
def series_create(*, actor: User, owner: Organisation, **values: Any) -> MeetingSeries:
    _require_title(values)
    series = MeetingSeries(owner=owner, created_by=actor)
    values.setdefault("visibility", Visibility.CONSORTIUM)
    changes = _apply(series, SERIES_FIELDS, values)
    series.save()
    audit.record(series, "coordination.series.created", actor=actor, changes=changes)
    return series


@transaction.atomic
def series_update(*, series: MeetingSeries, actor: User, **values: Any) -> MeetingSeries:
    """Change the series; the audit compares with the stored row, whatever ``series`` holds."""
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    _require_title({**_snapshot(locked, ("title_en", "title_ja", "title_hi")), **values})
    changes = _apply(locked, SERIES_FIELDS, values)
    locked.save()
    if changes:
        audit.record(locked, "coordination.series.changed", actor=actor, changes=changes)
    return locked


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    owner: Organisation,
    invite_organisations: Iterable[Organisation] = (),
    **values: Any,
) -> Meeting:
    """A new meeting; open action items of the series' previous meeting carry over onto it
    when that meeting has already taken place (see ``actions.action_carry_over_into``)."""
    from setu.coordination.services.actions import action_carry_over_into

    _require_title(values)
    _check_times(values["starts_at"], values["ends_at"])
    meeting = Meeting(owner=owner, created_by=actor)
    values.setdefault("visibility", Visibility.CONSORTIUM)
    changes = _apply(meeting, MEETING_FIELDS, values)
    meeting.save()
    invited = [org for org in dict.fromkeys(invite_organisations) if org.pk != owner.pk]
    Invitee.objects.bulk_create(Invitee(meeting=meeting, organisation=org) for org in invited)
    if invited:
        changes["invited"] = [None, ", ".join(str(org) for org in invited)]
    audit.record(meeting, "coordination.meeting.created", actor=actor, changes=changes)
    action_carry_over_into(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: User, **values: Any) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    merged = {**_snapshot(locked, MEETING_FIELDS), **values}
    _require_title(merged)
    _check_times(merged["starts_at"], merged["ends_at"])
    changes = _apply(locked, MEETING_FIELDS, values)
    locked.save()
    if changes:
        audit.record(locked, "coordination.meeting.changed", actor=actor, changes=changes)
    return locked


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor: User) -> int:
    """Mark the meeting as held and closed; its open action items carry over onto the next
    meeting of the series (now, if one exists; otherwise when it is created). Returns how many
    items were carried."""
    from setu.coordination.services.actions import action_carry_over_from

    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be closed."))
    locked.status = MeetingStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(
        locked,
        "coordination.meeting.closed",
        actor=actor,
        changes={"status": [MeetingStatus.SCHEDULED, MeetingStatus.CLOSED]},
    )
    return action_carry_over_from(meeting=locked, actor=actor)


# --- invitations and RSVP ---------------------------------------------------------------------


@transaction.atomic
def invitee_add(
    *,
    meeting: Meeting,
    actor: User,
    organisation: Organisation | None = None,
    user: User | None = None,
) -> Invitee:
    if (organisation is None) == (user is None):
        raise ValidationError(_("Invite either an organisation or a person."))
    if organisation is not None:
        if organisation.pk == meeting.owner_id:
            raise ValidationError(
                {"organisation": _("%(org)s organises this meeting.") % {"org": organisation}}
            )
        if Invitee.objects.filter(meeting=meeting, organisation=organisation).exists():
            raise ValidationError(
                {"organisation": _("%(org)s is already invited.") % {"org": organisation}}
            )
    if user is not None and Invitee.objects.filter(meeting=meeting, user=user).exists():
        raise ValidationError({"user": _("%(person)s is already invited.") % {"person": user}})
    invitee = Invitee.objects.create(meeting=meeting, organisation=organisation, user=user)
    audit.record(
        meeting,
        "coordination.invitee.added",
        actor=actor,
        changes={"invitee": [None, str(invitee)]},
    )
    return invitee


@transaction.atomic
def invitee_remove(*, invitee: Invitee, actor: User) -> None:
    meeting = invitee.meeting
    name = str(invitee)
    invitee.delete()
    audit.record(
        meeting, "coordination.invitee.removed", actor=actor, changes={"invitee": [name, None]}
    )


@transaction.atomic
def rsvp_answer(*, invitee: Invitee, actor: User, answer: str) -> Invitee:
    if answer not in Rsvp.values or answer == Rsvp.PENDING:
        raise ValidationError({"rsvp": _("Choose attending, maybe or not attending.")})
    locked = Invitee.objects.select_for_update().get(pk=invitee.pk)
    before = locked.rsvp
    locked.rsvp = answer
    locked.responded_at = timezone.now()
    locked.responded_by = actor
    locked.save(update_fields=["rsvp", "responded_at", "responded_by"])
    audit.record(
        locked.meeting,
        "coordination.invitee.answered",
        actor=actor,
        changes={"rsvp": [before, answer], "invitee": [None, str(locked)]},
    )
    return locked


# --- agenda -----------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_save(
    *, meeting: Meeting, actor: User, item: AgendaItem | None = None, **values: Any
) -> AgendaItem:
    """Create (``item`` None) or change an agenda item; refused once the minutes are published."""
    _locked_meeting(meeting)
    if item is not None:  # the stored row: the audit compares with it, whatever ``item`` holds
        item = AgendaItem.objects.get(pk=item.pk)
    merged = {**(_snapshot(item, AGENDA_FIELDS) if item else {}), **values}
    _require_title(merged)
    creating = item is None
    if item is None:
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
        item = AgendaItem(meeting=meeting, position=(last or 0) + 1)
    changes = _apply(item, AGENDA_FIELDS, values)
    item.full_clean(exclude=["meeting"])
    item.save()
    action = "coordination.agenda_item.created" if creating else "coordination.agenda_item.changed"
    audit.record(meeting, action, actor=actor, changes={"item": [None, str(item)], **changes})
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: User) -> None:
    _locked_meeting(item.meeting)
    if item.minutes_revision:
        raise ValidationError(
            _("“%(item)s” already has minutes; it stays on the record.") % {"item": item}
        )
    meeting, name = item.meeting, str(item)
    item.delete()
    audit.record(
        meeting, "coordination.agenda_item.deleted", actor=actor, changes={"item": [name, None]}
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down"), renumbering 1..n."""
    _locked_meeting(item.meeting)
    items = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    audit.record(
        item.meeting,
        "coordination.agenda_item.moved",
        actor=actor,
        changes={"item": [None, str(item)], "position": [index + 1, target + 1]},
    )


@transaction.atomic
def attachment_add(*, item: AgendaItem, actor: User, title: str, url: str) -> AgendaAttachment:
    _locked_meeting(item.meeting)
    attachment = AgendaAttachment(agenda_item=item, title=title, url=url, added_by=actor)
    attachment.full_clean(exclude=["agenda_item", "added_by"])
    attachment.save()
    audit.record(
        item.meeting,
        "coordination.attachment.added",
        actor=actor,
        changes={"attachment": [None, f"{title} <{url}>"]},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: AgendaAttachment, actor: User) -> None:
    meeting = attachment.agenda_item.meeting
    _locked_meeting(meeting)
    name = f"{attachment.title} <{attachment.url}>"
    attachment.delete()
    audit.record(
        meeting,
        "coordination.attachment.removed",
        actor=actor,
        changes={"attachment": [name, None]},
    )


# --- decisions and publishing -----------------------------------------------------------------


@transaction.atomic
def decision_add(
    *, meeting: Meeting, actor: User, text: str, agenda_item: AgendaItem | None = None
) -> Decision:
    _locked_meeting(meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("That agenda item belongs to another meeting.")})
    decision = Decision.objects.create(
        meeting=meeting, agenda_item=agenda_item, text=text, created_by=actor
    )
    audit.record(
        meeting, "coordination.decision.recorded", actor=actor, changes={"decision": [None, text]}
    )
    return decision


@transaction.atomic
def decision_remove(*, decision: Decision, actor: User) -> None:
    meeting = decision.meeting
    _locked_meeting(meeting)
    text = decision.text
    decision.delete()
    audit.record(
        meeting, "coordination.decision.removed", actor=actor, changes={"decision": [text, None]}
    )


@transaction.atomic
def minutes_publish(*, meeting: Meeting, actor: User, visibility: str) -> Meeting:
    """Lock the minutes (every agenda item's text, decisions, agenda) and share them."""
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read the minutes.")})
    locked = _locked_meeting(meeting)
    locked.minutes_published_at = timezone.now()
    locked.minutes_published_by = actor
    locked.minutes_visibility = visibility
    locked.save(
        update_fields=[
            "minutes_published_at", "minutes_published_by", "minutes_visibility", "updated_at",
        ]
    )  # fmt: skip
    audit.record(
        locked,
        "coordination.minutes.published",
        actor=actor,
        changes={"minutes_visibility": [None, visibility]},
    )
    return locked
