"""The emails matchmaking sends, built in each recipient's language and time zone.

``build_messages`` writes about a meeting request (to the recipient's people when it is new,
to the requester's once answered); ``agenda_messages`` sends a participant's published agenda.
The worker's tasks (``tasks.py``) call them; nothing here is queued or sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.core.i18n import one_full_stop
from setu.core.timefmt import dual_time, zone
from setu.matchmaking.calendar import feed_token
from setu.matchmaking.models import MeetingRequest, Participant, RequestStatus
from setu.matchmaking.selectors.access import people_to_tell
from setu.matchmaking.selectors.agenda import agenda_entries
from setu.matchmaking.selectors.schedule import published_run


def build_messages(meeting_request: MeetingRequest, kind: str) -> list[EmailMessage]:
    """``kind`` "new" goes to the recipient's people; "answered" to the requester's."""
    to, other = (
        (meeting_request.recipient, meeting_request.requester)
        if kind == "new"
        else (meeting_request.requester, meeting_request.recipient)
    )
    event = meeting_request.matchmaking.event
    base = settings.SETU_BASE_URL
    links = {
        "requests_link": base + reverse("matchmaking:requests", args=[event.pk]),
        "other_link": base + reverse("matchmaking:participant", args=[event.pk, other.pk]),
    }
    messages: list[EmailMessage] = []
    for user in people_to_tell(to):
        if not user.email:
            continue
        with translation.override(user.language), timezone.override(zone(user.time_zone)):
            values = {"event": event.display_title, "name": other.organisation.display_name}
            if kind == "new":
                subject = _("Meeting request from %(name)s: %(event)s") % values
            elif meeting_request.status == RequestStatus.ACCEPTED:
                subject = _("%(name)s accepted your meeting request: %(event)s") % values
            else:
                subject = _("%(name)s declined your meeting request: %(event)s") % values
            body = one_full_stop(
                render_to_string(
                    "matchmaking/email/request.txt",
                    {
                        "kind": kind,
                        "user": user,
                        "request": meeting_request,
                        "to": to,
                        "other": other,
                        "event": event,
                        "priority": meeting_request.get_priority_display(),
                        "consortium": settings.SETU_CONSORTIUM_NAME,
                        **links,
                    },
                )
            )
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    return messages


def agenda_messages(participant: Participant, *, changed: bool) -> list[EmailMultiAlternatives]:
    """One email per recipient with the published agenda, in their language and time zone."""
    matchmaking = participant.matchmaking
    event = matchmaking.event
    run = published_run(matchmaking=matchmaking)
    if run is None:
        return []
    base = settings.SETU_BASE_URL
    link = base + reverse("matchmaking:agenda_participant", args=[event.pk, participant.pk])
    feed = base + reverse("matchmaking:agenda_feed", args=[feed_token(participant)])
    messages = []
    for user in people_to_tell(participant):
        with translation.override(user.language), timezone.override(zone(user.time_zone)):
            entries = agenda_entries(participant=participant, run=run)
            lines = [
                (
                    dual_time(
                        e.meeting.slot.starts_at, event.venue_zone, user.time_zone, with_date=True
                    ),
                    e,
                )
                for e in entries
            ]
            subject = (
                _("Your meeting agenda has changed: %(event)s")
                if changed
                else _("Your meeting agenda: %(event)s")
            ) % {"event": event.display_title}
            body = one_full_stop(
                render_to_string(
                    "matchmaking/email/agenda.txt",
                    {
                        "user": user,
                        "participant": participant,
                        "event": event,
                        "changed": changed,
                        "lines": lines,
                        "link": link,
                        "feed": feed,
                        "consortium": settings.SETU_CONSORTIUM_NAME,
                    },
                )
            )
        messages.append(EmailMultiAlternatives(subject=subject, body=body, to=[user.email]))
    return messages
