"""Meeting requests: sending, accepting or declining, withdrawing.

The rules, each refused with a message and nothing changed:

- a request goes out while the request window is open, from and to active participants,
  never to oneself, only to a pair the event's pair rule allows, never while an open
  (pending or accepted) request joins the two either way, and only while the requester has
  sent fewer open requests than the event allows;
- the recipient answers once, while the window is open and after it closes until a schedule
  is published;
- the requester withdraws a pending request, or an accepted one until a schedule is published.

Emails go through the worker (``tasks.send_request_email``) once the transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.algorithms.matching_score import pair_allowed
from setu.core import audit
from setu.core.timefmt import current_reader_zone, dual_time
from setu.matchmaking.models import (
    ACTIVE_REQUEST_STATUSES,
    Matchmaking,
    MeetingRequest,
    PairRule,
    Participant,
    Priority,
    RequestStatus,
    RunStatus,
)

if TYPE_CHECKING:
    from setu.accounts.models import User


def _when(moment: datetime, matchmaking: Matchmaking) -> str:
    return dual_time(moment, matchmaking.event.venue_zone, current_reader_zone(), with_date=True)


def check_window(matchmaking: Matchmaking, now: datetime | None = None) -> None:
    """Raise ``ValidationError`` unless meeting requests may be sent at ``now``."""
    now = now or timezone.now()
    opens, closes = matchmaking.requests_open_at, matchmaking.requests_close_at
    if opens is None:
        raise ValidationError(_("The organisers have not opened meeting requests yet."))
    if now < opens:
        raise ValidationError(
            _("Meeting requests open on %(when)s.") % {"when": _when(opens, matchmaking)}
        )
    if closes is not None and now >= closes:
        raise ValidationError(
            _("Meeting requests closed on %(when)s.") % {"when": _when(closes, matchmaking)}
        )


def _check_answers_open(matchmaking: Matchmaking, now: datetime) -> None:
    """Answers are taken from the window's opening until a schedule is published."""
    if matchmaking.requests_open_at is None or now < matchmaking.requests_open_at:
        raise ValidationError(_("Meeting requests are not open yet."))
    if matchmaking.runs.filter(status=RunStatus.PUBLISHED).exists():
        raise ValidationError(
            _(
                "The meeting schedule is published, so requests can no longer be answered. "
                "Ask the organisers if you still want to meet."
            )
        )


def _duplicate_message(existing: MeetingRequest | None, requester: Participant) -> str:
    if existing is not None and existing.requester_id != requester.pk:
        return _("%(name)s has already asked you for a meeting: answer their request instead.") % {
            "name": existing.requester
        }
    return _("There is already an open meeting request between you and this participant.")


def _notify(meeting_request: MeetingRequest, kind: str) -> None:
    from setu.matchmaking.tasks import send_request_email

    request_id = meeting_request.pk
    transaction.on_commit(lambda: send_request_email.enqueue(request_id=request_id, kind=kind))


def request_refusal(
    *, requester: Participant, recipient: Participant, now: datetime | None = None
) -> str | None:
    """Why ``requester`` may not ask ``recipient`` for a meeting now, or None if it may.

    Also used to explain, before anyone presses a button, why the request form is missing.
    """
    matchmaking = requester.matchmaking
    if recipient.matchmaking_id != matchmaking.pk:
        return _("This participant is not in this event's matchmaking.")
    if recipient.pk == requester.pk:
        return _("You cannot request a meeting with yourself.")
    if not requester.active:
        return _("You no longer take part in this event's meetings: join again first.")
    if not recipient.active:
        return _("%(name)s no longer takes part in this event's meetings.") % {"name": recipient}
    try:
        check_window(matchmaking, now)
    except ValidationError as error:
        return " ".join(error.messages)
    if not pair_allowed(matchmaking.pair_rule, requester.side, recipient.side):
        if matchmaking.pair_rule == PairRule.CROSS:
            return _("At this event only the Japanese side and the Indian side meet each other.")
        return _("This pair of participants may not meet at this event.")
    key = MeetingRequest.key_for(requester.pk, recipient.pk)
    existing = MeetingRequest.objects.filter(
        matchmaking=matchmaking, pair_key=key, status__in=ACTIVE_REQUEST_STATUSES
    ).first()
    if existing is not None:
        return _duplicate_message(existing, requester)
    sent = MeetingRequest.objects.filter(
        requester=requester, status__in=ACTIVE_REQUEST_STATUSES
    ).count()
    if sent >= matchmaking.max_requests:
        return ngettext(
            "You have sent %(count)s meeting request, the most this event allows. "
            "Withdraw it to send another.",
            "You have sent %(count)s meeting requests, the most this event allows. "
            "Withdraw one to send another.",
            sent,
        ) % {"count": sent}
    return None


@transaction.atomic
def request_create(
    *,
    requester: Participant,
    recipient: Participant,
    actor: User,
    message: str = "",
    priority: int = Priority.NORMAL,
    now: datetime | None = None,
) -> MeetingRequest:
    """Ask ``recipient`` for a meeting on behalf of ``requester``."""
    now = now or timezone.now()
    # The requester's row lock serialises its requests, so the limit holds. "No key" update:
    # the insert's foreign-key checks take key-share locks on both participants, which a full
    # FOR UPDATE would block, deadlocking two participants asking each other at once.
    requester = (
        Participant.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organisation", "matchmaking__event")
        .get(pk=requester.pk)
    )
    recipient = Participant.objects.select_related("organisation").get(pk=recipient.pk)
    matchmaking = requester.matchmaking
    refusal = request_refusal(requester=requester, recipient=recipient, now=now)
    if refusal is not None:
        raise ValidationError(refusal)
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    meeting_request = MeetingRequest(
        matchmaking=matchmaking,
        requester=requester,
        recipient=recipient,
        message=message.strip()[:1000],
        priority=priority,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            meeting_request.save()
    except IntegrityError:
        # The other side asked at the same moment: the partial unique index decided.
        raise ValidationError(_duplicate_message(None, requester)) from None
    audit.record(
        meeting_request,
        "matchmaking.request.created",
        actor=actor,
        changes={"priority": priority, "recipient": str(recipient)},
        owner=requester.organisation,
    )
    _notify(meeting_request, "new")
    return meeting_request


def _locked(meeting_request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("requester__organisation", "recipient__organisation", "matchmaking__event")
        .get(pk=meeting_request.pk)
    )


@transaction.atomic
def request_answer(
    *,
    meeting_request: MeetingRequest,
    participant: Participant,
    actor: User,
    accept: bool,
    answer: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """The recipient (``participant``) accepts or declines, with an optional answer."""
    now = now or timezone.now()
    meeting_request = _locked(meeting_request)
    if meeting_request.recipient_id != participant.pk:
        raise ValidationError(_("This request is not addressed to you."))
    if meeting_request.status == RequestStatus.WITHDRAWN:
        raise ValidationError(_("This request was withdrawn."))
    if meeting_request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if not meeting_request.recipient.active:
        raise ValidationError(
            _("You no longer take part in this event's meetings: join again first.")
        )
    if accept and not meeting_request.requester.active:
        raise ValidationError(
            _("%(name)s no longer takes part in this event's meetings.")
            % {"name": meeting_request.requester}
        )
    _check_answers_open(meeting_request.matchmaking, now)
    meeting_request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    meeting_request.answer = answer.strip()[:1000]
    meeting_request.answered_at = now
    meeting_request.save(update_fields=["status", "answer", "answered_at"])
    audit.record(
        meeting_request,
        "matchmaking.request.accepted" if accept else "matchmaking.request.declined",
        actor=actor,
        owner=meeting_request.recipient.organisation,
    )
    _notify(meeting_request, "answered")
    return meeting_request


@transaction.atomic
def request_withdraw(
    *, meeting_request: MeetingRequest, participant: Participant, actor: User
) -> MeetingRequest:
    """The requester (``participant``) takes a pending or accepted request back."""
    meeting_request = _locked(meeting_request)
    if meeting_request.requester_id != participant.pk:
        raise ValidationError(_("Only the participant who sent a request can withdraw it."))
    if meeting_request.status not in ACTIVE_REQUEST_STATUSES:
        raise ValidationError(_("This request is no longer open."))
    if (
        meeting_request.status == RequestStatus.ACCEPTED
        and meeting_request.matchmaking.runs.filter(status=RunStatus.PUBLISHED).exists()
    ):
        raise ValidationError(
            _("This meeting is on the published schedule: ask the organisers to cancel it.")
        )
    before = meeting_request.status
    meeting_request.status = RequestStatus.WITHDRAWN
    meeting_request.save(update_fields=["status"])
    audit.record(
        meeting_request,
        "matchmaking.request.withdrawn",
        actor=actor,
        changes={"status": [before, RequestStatus.WITHDRAWN]},
        owner=meeting_request.requester.organisation,
    )
    return meeting_request
