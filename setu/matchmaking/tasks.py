"""Work the worker does for the marketplace: emails about meeting requests.

``services_requests`` enqueues ``send_request_email`` once its transaction commits; the task
reads the request as it is then and writes to each recipient in their own language and time
zone: the participant's contact person, else every member of its organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from setu.core.i18n import one_full_stop
from setu.core.timefmt import zone
from setu.matchmaking.models import MeetingRequest, RequestStatus
from setu.matchmaking.selectors import people_to_tell


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
