"""After the meetings: whether each took place, and what each side wants to do next.

Either side of a published meeting (or an organiser) records whether it was held or who did not
come; each side records its own follow-up (interest, next step, notes), the first step on the
path from a meeting to a deal.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core import audit
from setu.core.timefmt import dual_time
from setu.matchmaking.models import FollowUp, Meeting, Outcome, Participant, RunStatus

if TYPE_CHECKING:
    from setu.accounts.models import User

RECORDABLE = (Outcome.HELD, Outcome.NO_SHOW, Outcome.SCHEDULED)
INTEREST_LEVELS = (0, 1, 2)


def _locked_meeting(meeting: Meeting, now: datetime) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("run", "slot", "request", "run__matchmaking__event__owner")
        .get(pk=meeting.pk)
    )
    if meeting.run.status != RunStatus.PUBLISHED:
        raise ValidationError(_("Only meetings of the published schedule can be recorded."))
    if meeting.slot.starts_at > now:
        event = meeting.run.matchmaking.event
        raise ValidationError(
            _("The meeting starts at %(time)s: record what happened once it has started.")
            % {
                "time": dual_time(
                    meeting.slot.starts_at,
                    event.venue_zone,
                    timezone.get_current_timezone_name(),
                    with_date=True,
                )
            }
        )
    return meeting


@transaction.atomic
def meeting_outcome_record(
    *,
    meeting: Meeting,
    outcome: str,
    no_show_by: Participant | None,
    actor: User,
    now: datetime | None = None,
) -> Meeting:
    """Mark a published meeting held, a no-show by one side, or back to scheduled ("")."""
    meeting = _locked_meeting(meeting, now or timezone.now())
    if outcome not in RECORDABLE:
        raise ValidationError(_("Choose whether the meeting was held or someone did not come."))
    sides = {meeting.request.requester_id, meeting.request.recipient_id}
    if outcome == Outcome.NO_SHOW:
        if no_show_by is None or no_show_by.pk not in sides:
            raise ValidationError(_("Say which side did not come."))
    else:
        no_show_by = None
    before = {"outcome": meeting.outcome, "no_show_by": meeting.no_show_by_id}
    meeting.outcome = outcome
    meeting.no_show_by = no_show_by
    meeting.outcome_by = actor
    meeting.save(update_fields=["outcome", "no_show_by", "outcome_by"])
    audit.record(
        meeting,
        "matchmaking.meeting.outcome",
        actor=actor,
        owner=meeting.run.matchmaking.event.owner,
        changes=audit.field_changes(
            before, {"outcome": outcome, "no_show_by": no_show_by.pk if no_show_by else None}
        ),
    )
    return meeting


@transaction.atomic
def follow_up_save(
    *,
    meeting: Meeting,
    participant: Participant,
    interest: int,
    next_step: str,
    notes: str,
    actor: User,
    now: datetime | None = None,
) -> FollowUp:
    """Record (or change) one side's follow-up of a published meeting that has started."""
    meeting = _locked_meeting(meeting, now or timezone.now())
    if participant.pk not in (meeting.request.requester_id, meeting.request.recipient_id):
        raise ValidationError(_("Only the two sides of a meeting record follow-ups."))
    if interest not in INTEREST_LEVELS:
        raise ValidationError({"interest": _("Choose none, some or strong interest.")})
    follow_up, created = FollowUp.objects.update_or_create(
        meeting=meeting,
        participant=participant,
        defaults={
            "interest": interest,
            "next_step": next_step.strip(),
            "notes": notes.strip(),
            "created_by": actor,
        },
    )
    audit.record(
        follow_up,
        "matchmaking.follow_up.created" if created else "matchmaking.follow_up.changed",
        actor=actor,
        owner=participant.organisation,
        changes={"meeting": meeting.pk, "interest": interest, "next_step": next_step.strip()},
    )
    return follow_up
