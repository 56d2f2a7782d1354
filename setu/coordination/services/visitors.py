"""Inbound visits: the inviting side's details, visitors, their sealed passport details (sent
through a signed link), reminders, audited reads and erasure after the visit (docs/inbound.md).

Only this module and ``setu.coordination.visa`` open a visitor's ``sealed`` column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination import sealing
from setu.coordination.models import (
    Direction,
    InboundVisit,
    MissionStatus,
    VisaDocument,
    Visitor,
)
from setu.coordination.models.missions import Mission
from setu.core import audit
from setu.core.principal import principal_for
from setu.directory.models import Organisation

LINK_SALT = "setu.coordination.visitor"
# A link older than this is refused whatever the deadline (a new one is sent by the host).
LINK_MAX_AGE = timedelta(days=120)
REMIND_BEFORE = timedelta(days=7)
REMIND_EVERY = timedelta(days=3)

INBOUND_FIELDS = (
    "reason_en", "reason_ja", "signing_official", "signing_title", "signing_title_ja",
    "inviting_address",
    "inviting_phone", "transport_notes", "hotel_notes", "details_due_on", "content_produced",
    "packages_planned",
)  # fmt: skip
DETAIL_FIELDS = (
    "passport_name", "passport_number", "nationality", "date_of_birth", "employer", "position",
    "arrival_on", "departure_on", "arrival_airport",
)  # fmt: skip
DATE_FIELDS = ("date_of_birth", "arrival_on", "departure_on")
# An Indian passport number: one capital letter, then seven digits (A1234567).
PASSPORT_NUMBER = re.compile(r"[A-Z][0-9]{7}")
# The name as printed in the passport's machine-readable zone: Latin capitals, spaces, hyphens
# and apostrophes.
PASSPORT_NAME = re.compile(r"[A-Z][A-Z' \-]*")


def DEADLINE_PASSED() -> str:  # reads as the message it is
    return _("The deadline for these details has passed. Please write to the host prefecture.")


# --- the inviting side ------------------------------------------------------------------------


def inbound_for(mission: Mission) -> InboundVisit:
    """The mission's inbound details (an unsaved blank record when none were given yet)."""
    try:
        return mission.inbound
    except InboundVisit.DoesNotExist:
        return InboundVisit(mission=mission)


@transaction.atomic
def inbound_update(*, mission: Mission, actor: User, **values: Any) -> InboundVisit:
    """Save what the host prefecture states as the inviting party; the mission becomes a visit
    to Japan."""
    if mission.owner_id not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    due = values.get("details_due_on")
    if due is not None and due > mission.starts_on:
        raise ValidationError(
            {"details_due_on": _("The details are needed before the visit starts.")}
        )
    inbound = InboundVisit.objects.select_for_update().filter(mission=mission).first()
    inbound = inbound or InboundVisit(mission=mission)
    before = audit.snapshot(inbound, fields=INBOUND_FIELDS)
    for name in INBOUND_FIELDS:
        if name in values:
            setattr(inbound, name, values[name])
    inbound.save()
    changes = audit.field_changes(before, audit.snapshot(inbound, fields=INBOUND_FIELDS))
    if mission.direction != Direction.TO_JAPAN:
        mission.direction = Direction.TO_JAPAN
        mission.save(update_fields=["direction", "updated_at"])
        changes["direction"] = [Direction.TO_INDIA.value, Direction.TO_JAPAN.value]
    if changes:
        audit.record(mission, "coordination.inbound.changed", actor=actor, changes=changes)
    return inbound


# --- visitors ---------------------------------------------------------------------------------


@transaction.atomic
def visitor_add(
    *,
    mission: Mission,
    actor: User,
    organisation: Organisation,
    name: str,
    email: str = "",
    language: str = "en",
) -> Visitor:
    if not mission.is_inbound:
        raise ValidationError(_("Visitors are added to visits to Japan."))
    if not name.strip():
        raise ValidationError({"name": _("Give the visitor's name.")})
    visitor = Visitor.objects.create(
        mission=mission,
        organisation=organisation,
        name=name.strip(),
        email=email,
        language=language,
        added_by=actor,
    )
    audit.record(
        mission,
        "coordination.visitor.added",
        actor=actor,
        changes={"visitor": [None, visitor.name], "organisation": [None, str(organisation)]},
    )
    return visitor


def visitor_link_token(visitor: Visitor) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign_object(
        {"i": visitor.pk, "t": visitor.secret[:12]}
    )


def visitor_link(visitor: Visitor) -> str:
    return reverse("coordination:visitor_form", args=[visitor_link_token(visitor)])


def visitor_from_link(value: str) -> Visitor | None:
    """The visitor a signed link names, or None for a bad, forged or very old link."""
    try:
        data = signing.TimestampSigner(salt=LINK_SALT).unsign_object(value, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    visitor = (
        Visitor.objects.select_related("mission", "mission__inbound", "organisation")
        .filter(pk=data["i"])
        .first()
    )
    if visitor is None or visitor.secret[:12] != str(data.get("t", "")):
        return None
    return visitor


def details_due_on(visitor: Visitor) -> date:
    """The last day the visitor may send details: the host's deadline, else the day before the
    visit."""
    due = inbound_for(visitor.mission).details_due_on
    return due or visitor.mission.starts_on - timedelta(days=1)


def link_closed(visitor: Visitor, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return today > details_due_on(visitor) or visitor.erased_at is not None


def check_details(mission: Mission, values: Mapping[str, Any]) -> dict[str, str]:
    """Field errors of the visitor's details (empty when they are good)."""
    errors: dict[str, str] = {}
    name = str(values.get("passport_name") or "")
    if name and not PASSPORT_NAME.fullmatch(name):
        errors["passport_name"] = _(
            "Write the name exactly as in the passport, in Latin capital letters (A–Z)."
        )
    number = str(values.get("passport_number") or "")
    if number and not PASSPORT_NUMBER.fullmatch(number):
        errors["passport_number"] = _(
            "A passport number is one capital letter followed by seven digits, e.g. K1234567."
        )
    arrival, departure = values.get("arrival_on"), values.get("departure_on")
    if arrival and departure and departure < arrival:
        errors["departure_on"] = _("The day of departure cannot be before the day of arrival.")
    for day, field in ((arrival, "arrival_on"), (departure, "departure_on")):
        if day and not mission.starts_on <= day <= mission.ends_on:
            errors[field] = _("The stay must fall within the visit (%(first)s to %(last)s).") % {
                "first": mission.starts_on.isoformat(),
                "last": mission.ends_on.isoformat(),
            }
    birth = values.get("date_of_birth")
    if birth and birth >= mission.starts_on:
        errors["date_of_birth"] = _("The date of birth must be in the past.")
    return errors


def _plain(values: Mapping[str, Any]) -> dict[str, str]:
    return {
        name: values[name].isoformat()
        if isinstance(values.get(name), date)
        else str(values.get(name) or "")
        for name in DETAIL_FIELDS
    }


@transaction.atomic
def visitor_details_submit(
    *, visitor: Visitor, values: Mapping[str, Any], today: date | None = None
) -> Visitor:
    """The visitor's own details through the signed link: checked, sealed, stored. After the
    deadline nothing changes."""
    locked = Visitor.objects.select_for_update().select_related("mission").get(pk=visitor.pk)
    if link_closed(locked, today=today):
        raise ValidationError(DEADLINE_PASSED())
    errors = check_details(locked.mission, values)
    if errors:
        raise ValidationError(errors)
    locked.sealed = sealing.seal_json(_plain(values))
    first = locked.submitted_at is None
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["sealed", "submitted_at"])
    audit.record(
        locked.mission,
        "coordination.visitor.details_sent" if first else "coordination.visitor.details_changed",
        actor=None,
        changes={"visitor": [None, locked.name]},
    )
    return locked


def _as_dates(data: dict[str, Any]) -> dict[str, Any]:
    for name in DATE_FIELDS:
        value = data.get(name)
        data[name] = date.fromisoformat(value) if value else None
    return data


def visitor_details(visitor: Visitor) -> dict[str, Any]:
    """The opened details, without an audit entry: for the visa documents' generation (which is
    itself recorded) and for the signed-link form showing the visitor their own answers."""
    data = sealing.open_json(visitor.sealed)
    return _as_dates({name: data.get(name, "") for name in DETAIL_FIELDS})


def visitor_details_read(*, visitor: Visitor, actor: User) -> dict[str, Any]:
    """An officer of the host prefecture reads the details; every read is recorded."""
    if visitor.mission.owner_id not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    details = visitor_details(visitor)
    audit.record(
        visitor.mission,
        "coordination.visitor.details_read",
        actor=actor,
        changes={"visitor": [None, visitor.name]},
    )
    return details


def missing_details(details: Mapping[str, Any]) -> list[str]:
    """Labels of the details a visa document needs and the visitor has not given."""
    labels = {
        "passport_name": _("name as in the passport"),
        "passport_number": _("passport number"),
        "nationality": _("nationality"),
        "date_of_birth": _("date of birth"),
        "employer": _("employer"),
        "position": _("position at work"),
        "arrival_on": _("day of arrival"),
        "departure_on": _("day of departure"),
    }
    return [str(label) for name, label in labels.items() if not details.get(name)]


# --- reminders and erasure --------------------------------------------------------------------


def visitor_reminders_send(*, today: date | None = None) -> int:
    """Remind each visitor who has not sent details, from a week before the deadline, every
    three days, in their language. Returns how many were reminded."""
    from setu.accounts.tasks import send_email

    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    candidates = (
        Visitor.objects.filter(
            submitted_at__isnull=True,
            erased_at__isnull=True,
            mission__direction=Direction.TO_JAPAN,
            mission__status__in=(MissionStatus.PLANNED, MissionStatus.CONFIRMED),
            mission__starts_on__gt=today,
        )
        .exclude(email="")
        .select_related("mission", "mission__inbound")
    )
    for visitor in candidates:
        due = details_due_on(visitor)
        if not today <= due <= today + REMIND_BEFORE:
            continue
        if visitor.reminded_at is not None and now - visitor.reminded_at < REMIND_EVERY:
            continue
        with transaction.atomic(), translation.override(visitor.language):
            Visitor.objects.filter(pk=visitor.pk).update(reminded_at=now)
            context = {
                "visitor": visitor,
                "due": due,
                "link": settings.SETU_BASE_URL + visitor_link(visitor),
            }
            subject = _("Your details for the visit to Japan are due on %(day)s") % {
                "day": due.isoformat()
            }
            body = render_to_string("coordination/email/visitor_reminder.txt", context)
            transaction.on_commit(
                partial(send_email.enqueue, subject=subject, body=body, to=[visitor.email])
            )
        sent += 1
    return sent


def expired_visitors(cutoff: datetime) -> QuerySet[Visitor]:
    """Visitors whose visit ended before ``cutoff`` and whose passport details are still held
    (the privacy app's retention job asks this: category "visitor_details")."""
    return Visitor.objects.filter(
        erased_at__isnull=True, mission__ends_on__lt=timezone.localdate(cutoff)
    ).select_related("mission")


def visitors_erase(visitors: Iterable[Visitor], *, now: datetime | None = None) -> int:
    """Erase the passport details (and the visa documents made from them) of ``visitors``. The
    visitor's name and organisation stay for the record of the visit. Returns how many."""
    now = now or timezone.now()
    erased = 0
    for visitor in visitors:
        with transaction.atomic():
            Visitor.objects.filter(pk=visitor.pk).update(sealed=b"", erased_at=now, email="")
            VisaDocument.objects.filter(visitor=visitor).update(sealed_pdf=b"")
            audit.record(
                visitor.mission,
                "coordination.visitor.details_erased",
                actor=None,
                changes={"visitor": [visitor.name, visitor.name]},
            )
        erased += 1
    return erased


def visitor_details_expire(*, now: datetime) -> int:
    """Erase the details of every visitor whose visit ended ``SETU_VISITOR_RETENTION_DAYS`` days
    before ``now``. Returns how many visitors were erased."""
    cutoff = now - timedelta(days=settings.SETU_VISITOR_RETENTION_DAYS)
    return visitors_erase(expired_visitors(cutoff), now=now)
