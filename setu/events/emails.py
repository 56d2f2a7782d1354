"""Emails about a registration, written in the registrant's language and time zone.

Services call ``notify(registration, kind)``; after the transaction commits, the worker runs
``tasks.send_registration_email``, which reads the registration as it is then and builds the
messages here, with the .ics and the QR tickets attached when a seat is confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import one_full_stop
from setu.core.timefmt import dual_time, zone
from setu.events import tokens
from setu.events.calendar import calendar_bytes, registration_status
from setu.events.qr import qr_png

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from setu.events.models import Attendee, Registration

SUBJECTS: dict[str, Promise] = {
    "confirm_email": _("Confirm your registration: %(event)s"),
    "received": _("Registration received, awaiting approval: %(event)s"),
    "confirmed": _("You are registered: %(event)s"),
    "waitlisted": _("You are on the waitlist: %(event)s"),
    "offered": _("A seat is free for you, claim it: %(event)s"),
    "promoted": _("A seat is yours: %(event)s"),
    "cancelled": _("Registration cancelled: %(event)s"),
    "declined": _("Registration declined: %(event)s"),
    "lapsed": _("Your seat offer lapsed: %(event)s"),
    "reminder_7d": _("In one week: %(event)s"),
    "reminder_1d": _("Tomorrow: %(event)s"),
    "ticket": _("Your ticket: %(event)s"),
}
# Kinds that carry the tickets (QR codes) and the calendar entry.
WITH_TICKETS = {"confirmed", "promoted", "reminder_7d", "reminder_1d", "ticket"}


def notify(registration: Registration, kind: str) -> None:
    """Email the registrant about ``kind`` once the current transaction commits."""
    from setu.events.tasks import send_registration_email

    registration_id = registration.pk
    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration_id, kind=kind)
    )


def site_url(registration: Registration) -> str:
    """Where links point: the site the person registered on, else ``SETU_BASE_URL``."""
    configured: str = getattr(settings, "SETU_BASE_URL", "") or ""
    return (registration.base_url or configured or "http://localhost:8000").rstrip("/")


def _message(
    registration: Registration, kind: str, to: str, attendees: list[Attendee]
) -> EmailMultiAlternatives:
    event = registration.event
    base = site_url(registration)
    context = {
        "kind": kind,
        "with_tickets": kind in WITH_TICKETS and registration.status == "confirmed",
        "registration": registration,
        "event": event,
        "attendees": attendees,
        "when": dual_time(
            event.starts_at, event.venue_zone, registration.time_zone, with_date=True
        ),
        "until": dual_time(event.ends_at, event.venue_zone, registration.time_zone, with_date=True),
        "claim_by": dual_time(
            registration.claim_expires_at, event.venue_zone, registration.time_zone, with_date=True
        )
        if registration.claim_expires_at
        else "",
        "page_link": f"{base}{registration.get_absolute_url()}",
        "tickets": [
            (
                attendee,
                base
                + reverse("events:ticket", args=[tokens.ticket_token(attendee.pk, attendee.code)]),
            )
            for attendee in attendees
        ],
        "event_link": f"{base}{event.get_absolute_url()}",
        "cancel_link": base
        + reverse(
            "events:cancel_link",
            args=[tokens.cancel_link_token(registration.pk, registration.token)],
        ),
        "confirm_link": base
        + reverse(
            "events:confirm_email",
            args=[tokens.confirm_link_token(registration.pk, registration.token)],
        ),
        "consortium": settings.SETU_CONSORTIUM_NAME,
    }
    subject = str(SUBJECTS[kind]) % {"event": event.display_title}
    body = one_full_stop(render_to_string("events/email/registration.txt", context))
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    if kind in WITH_TICKETS and registration.status == "confirmed":
        ics = calendar_bytes(
            [(event, registration_status(registration.status))],
            name=event.display_title,
            base_url=base,
        )
        message.attach("event.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
        for attendee in attendees:
            message.attach(f"ticket-{attendee.code}.png", qr_png(attendee.code), "image/png")
    return message


def build_messages(registration: Registration, kind: str) -> list[EmailMultiAlternatives]:
    """The messages for ``kind``: to the registrant, and for tickets to each other attendee."""
    with (
        translation.override(registration.language),
        timezone.override(zone(registration.time_zone)),
    ):
        attendees = list(registration.attendees.filter(active=True))
        messages = [_message(registration, kind, registration.email, attendees)]
        if kind in WITH_TICKETS and registration.status == "confirmed":
            for attendee in attendees:
                if attendee.email != registration.email:
                    messages.append(_message(registration, "ticket", attendee.email, [attendee]))
    return messages
