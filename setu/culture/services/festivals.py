"""Festivals: programme items, volunteer shifts, sign-ups under the shift's lock, reminders."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.core import audit
from setu.core.timefmt import time_range
from setu.culture.models import ProgrammeItem, Shift, ShiftSignup
from setu.culture.selectors import shift_reminders_due
from setu.events.models import Event, EventKind

if TYPE_CHECKING:
    from setu.accounts.models import User

ITEM_FIELDS = [
    "kind",
    "title_en",
    "title_ja",
    "title_hi",
    "starts_at",
    "ends_at",
    "place",
    "performers",
    "group",
]
SHIFT_FIELDS = ["title_en", "title_ja", "title_hi", "starts_at", "ends_at", "place", "limit"]


def _check_festival(event: Event, actor: User) -> None:
    if not actor.has_perm("culture.organise_festival", event):
        raise PermissionDenied
    if event.kind != EventKind.FESTIVAL:
        raise ValidationError(_("Only a cultural festival has a programme and volunteer shifts."))


def _check_times(event: Event, data: Mapping[str, Any]) -> None:
    starts, ends = data["starts_at"], data["ends_at"]
    if ends <= starts:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if starts < event.starts_at or ends > event.ends_at:
        raise ValidationError(_("Times must fall within the festival's own dates."))


@transaction.atomic
def programme_item_create(*, event: Event, actor: User, data: Mapping[str, Any]) -> ProgrammeItem:
    _check_festival(event, actor)
    _check_times(event, data)
    item = ProgrammeItem.objects.create(event=event, **{f: data[f] for f in ITEM_FIELDS})
    audit.record(
        item,
        "culture.programme.item_added",
        actor=actor,
        owner=event.owner,
        changes={"kind": [None, item.kind], "title": [None, str(item)]},
    )
    return item


@transaction.atomic
def programme_item_delete(*, item: ProgrammeItem, actor: User) -> None:
    _check_festival(item.event, actor)
    audit.record(
        item,
        "culture.programme.item_removed",
        actor=actor,
        owner=item.event.owner,
        changes={"title": [str(item), None]},
    )
    item.delete()


@transaction.atomic
def shift_create(*, event: Event, actor: User, data: Mapping[str, Any]) -> Shift:
    _check_festival(event, actor)
    _check_times(event, data)
    if not data.get("limit") or data["limit"] < 1:
        raise ValidationError({"limit": _("A shift needs at least one volunteer.")})
    shift = Shift.objects.create(event=event, **{f: data[f] for f in SHIFT_FIELDS})
    audit.record(
        shift,
        "culture.shift.created",
        actor=actor,
        owner=event.owner,
        changes={"title": [None, str(shift)], "limit": [None, shift.limit]},
    )
    return shift


@transaction.atomic
def shift_signup(*, shift: Shift, volunteer: User, now: datetime | None = None) -> ShiftSignup:
    """Sign ``volunteer`` up for ``shift``; never beyond its limit, even under concurrency.

    The shift row is locked first (``SELECT ... FOR UPDATE``; SQLite serialises writers), then
    the volunteers are counted: two requests for the last place are served one after the other
    and the second is told the shift is full. Nothing is saved on a refusal.
    """
    now = now or timezone.now()
    shift = Shift.objects.select_for_update().select_related("event__owner").get(pk=shift.pk)
    if shift.ends_at <= now:
        raise ValidationError(_("This shift is over."), code="past")
    if ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).exists():
        raise ValidationError(_("You are already signed up for this shift."), code="twice")
    if ShiftSignup.objects.filter(shift=shift).count() >= shift.limit:
        raise ValidationError(
            _("This shift is full: it takes %(limit)s volunteers.") % {"limit": shift.limit},
            code="full",
        )
    signup = ShiftSignup.objects.create(shift=shift, volunteer=volunteer)
    audit.record(
        signup,
        "culture.shift.signed_up",
        actor=volunteer,
        owner=shift.event.owner,
        changes={"shift": [None, str(shift)]},
    )
    return signup


@transaction.atomic
def shift_leave(*, shift: Shift, volunteer: User) -> None:
    shift = Shift.objects.select_for_update().select_related("event__owner").get(pk=shift.pk)
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if signup is None:
        raise ValidationError(_("You are not signed up for this shift."), code="absent")
    audit.record(
        signup,
        "culture.shift.left",
        actor=volunteer,
        owner=shift.event.owner,
        changes={"shift": [str(shift), None]},
    )
    signup.delete()


def _reminder_email(signup: ShiftSignup) -> tuple[str, str]:
    """Subject and body in the volunteer's language, times in their time zone too."""
    volunteer, shift = signup.volunteer, signup.shift
    with translation.override(volunteer.language), timezone.override(volunteer.time_zone):
        context = {
            "volunteer": volunteer,
            "shift": shift,
            "festival": shift.event,
            "when": time_range(
                shift.starts_at,
                shift.ends_at,
                shift.event.venue_zone,
                volunteer.time_zone,
                with_date=True,
            ),
        }
        subject = _("Reminder: your volunteer shift at %(festival)s") % {
            "festival": shift.event.display_title
        }
        body = render_to_string("culture/email/shift_reminder.txt", context)
    return subject, body


def shift_reminders_enqueue(*, now: datetime | None = None) -> int:
    """Enqueue one reminder per volunteer whose shift starts within a day; returns how many.

    The conditional update of ``reminded_at`` claims each sign-up exactly once, however often
    (or however many at once) this runs; the email is enqueued in the same transaction.
    """
    from setu.accounts.tasks import send_email

    now = now or timezone.now()
    sent = 0
    due = shift_reminders_due(now=now).select_related("volunteer", "shift__event__city")
    for signup in due:
        with transaction.atomic():
            claimed = ShiftSignup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            subject, body = _reminder_email(signup)
            send_email.enqueue(subject=subject, body=body, to=[signup.volunteer.email])
        sent += 1
    return sent
