"""Work the worker does for scheduling: run the scheduler, email agendas once published."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from setu.core.i18n import one_full_stop
from setu.core.timefmt import dual_time, zone
from setu.matchmaking.calendar import feed_token
from setu.matchmaking.models import Participant
from setu.matchmaking.selectors import people_to_tell
from setu.matchmaking.selectors_agenda import agenda_entries
from setu.matchmaking.selectors_schedule import published_run
from setu.matchmaking.services_schedule import schedule_run_execute


@task()
def run_scheduler(*, run_id: int) -> None:
    """Run a queued scheduler run; its state and any error are stored on the run."""
    schedule_run_execute(run_id=run_id)


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


@task()
def send_agenda_email(*, matchmaking_id: int, participant_id: int, changed: bool) -> None:
    """Email a participant the agenda as published now (a later publication may have replaced
    the one that queued this email; it is the current one that counts)."""
    participant = (
        Participant.objects.select_related(
            "organisation", "contact", "matchmaking__event__city", "matchmaking__event__owner"
        )
        .filter(pk=participant_id, matchmaking_id=matchmaking_id, active=True)
        .first()
    )
    if participant is None:
        return
    for message in agenda_messages(participant, changed=changed):
        message.send()


@task()
def send_agenda_emails(*, matchmaking_id: int, participant_ids: list[int], changed: bool) -> None:
    """Queue one agenda email task per participant (each retried and logged on its own)."""
    for participant_id in participant_ids:
        send_agenda_email.enqueue(
            matchmaking_id=matchmaking_id, participant_id=participant_id, changed=changed
        )
