"""Work the worker does for matchmaking: send the emails.

``services.requests`` enqueues ``send_request_email`` once its transaction commits; the task
reads the request as it is then and writes to each recipient in their own language and time
zone: the participant's contact person, else every member of its organisation.
``services.schedule`` enqueues ``send_agenda_emails`` once a schedule is published (and runs
the scheduler through its own task, ``services.schedule.run_scheduler``). The messages
themselves are built in ``emails.py``. Services import this module; it imports no service.
``services.setup`` enqueues ``embed_profile`` when a participant joins or its offers or needs
change: the vectors the recommendations read are made here, never in a request.
"""

from __future__ import annotations

from django_tasks import task

from setu.matchmaking.emails import agenda_messages, build_messages
from setu.matchmaking.embeddings import embeddings_refresh
from setu.matchmaking.models import MeetingRequest, Participant, RequestStatus


@task()
def send_request_email(*, request_id: int, kind: str) -> None:
    """Email the people concerned about one meeting request, as it stands now."""
    meeting_request = (
        MeetingRequest.objects.select_related(
            "matchmaking__event",
            "requester__organisation",
            "requester__contact",
            "recipient__organisation",
            "recipient__contact",
        )
        .filter(pk=request_id)
        .first()
    )
    if meeting_request is None:
        return
    if kind == "answered" and meeting_request.status not in (
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
    ):
        return
    for message in build_messages(meeting_request, kind):
        message.send()


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


@task()
def embed_profile(*, participant_id: int) -> None:
    """Make the participant's profile vectors, unless the stored ones are still current."""
    embeddings_refresh(participant_ids=[participant_id])
