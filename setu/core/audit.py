"""The audit log: who changed what, when. Call ``record`` inside the write's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from setu.core import audit_chain
from setu.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation


# What each action code reads as on the dashboard and in the audit log. Every code passed to
# ``record`` needs a sentence here (a test collects the codes from the source and checks).
ACTION_SENTENCES: dict[str, str | Promise] = {
    "accounts.invitation.accepted": _("Invitation accepted"),
    "accounts.invitation.revoked": _("Invitation withdrawn"),
    "accounts.invitation.sent": _("Invitation sent"),
    "accounts.membership.created": _("New member joined the organisation"),
    "accounts.user.preferences_changed": _("Account preferences changed"),
    "api.token.created": _("API token made"),
    "api.token.revoked": _("API token revoked"),
    "core.audit.redacted": _("Personal details removed from audit entries"),
    "coordination.action.carried_over": _("Action item carried over to the next meeting"),
    "coordination.action.changed": _("Action item changed"),
    "coordination.action.created": _("Action item added"),
    "coordination.action.status": _("Action item status changed"),
    "coordination.agenda_item.changed": _("Agenda item changed"),
    "coordination.agenda_item.created": _("Agenda item added"),
    "coordination.agenda_item.deleted": _("Agenda item removed"),
    "coordination.agenda_item.moved": _("Agenda reordered"),
    "coordination.attachment.added": _("Document attached to a meeting"),
    "coordination.attachment.removed": _("Document detached from a meeting"),
    "coordination.budget_line.changed": _("Budget line changed"),
    "coordination.budget_line.created": _("Budget line added"),
    "coordination.budget_line.deleted": _("Budget line removed"),
    "coordination.clash.dismissed": _("Clash notice dismissed"),
    "coordination.decision.recorded": _("Decision recorded"),
    "coordination.decision.removed": _("Decision removed"),
    "coordination.delegate.added": _("Delegate added to a mission"),
    "coordination.delegate.removed": _("Delegate removed from a mission"),
    "coordination.destination.added": _("Destination added to a mission"),
    "coordination.destination.removed": _("Destination removed from a mission"),
    "coordination.inbound.changed": _("Visit to Japan changed"),
    "coordination.invitee.added": _("Person invited to a meeting"),
    "coordination.invitee.answered": _("Meeting invitation answered"),
    "coordination.invitee.removed": _("Person removed from a meeting's invitees"),
    "coordination.itinerary.changed": _("Itinerary stop changed"),
    "coordination.itinerary.created": _("Itinerary stop added"),
    "coordination.itinerary.deleted": _("Itinerary stop removed"),
    "coordination.meeting.changed": _("Meeting changed"),
    "coordination.meeting.closed": _("Meeting closed"),
    "coordination.meeting.created": _("Meeting scheduled"),
    "coordination.minutes.published": _("Minutes published"),
    "coordination.minutes.restored": _("Earlier minutes restored"),
    "coordination.minutes.saved": _("Minutes saved"),
    "coordination.mission.changed": _("Mission changed"),
    "coordination.mission.created": _("Mission planned"),
    "coordination.mission.merged": _("Duplicate plan merged into a joint mission"),
    "coordination.mission.merged_in": _("A duplicate plan was merged into this mission"),
    "coordination.mission.participant_added": _("Member joined a mission"),
    "coordination.mission.participant_removed": _("Member left a mission"),
    "coordination.mission.report_saved": _("Mission report saved"),
    "coordination.mission.withdrawn": _("Duplicate plan withdrawn"),
    "coordination.proposal.accepted": _("Proposal to join a mission accepted"),
    "coordination.proposal.created": _("Proposed joining another member's mission"),
    "coordination.proposal.declined": _("Proposal to join a mission declined"),
    "coordination.proposal.plan_merged": _("Duplicate plan of a joint mission merged"),
    "coordination.proposal.plan_withdrawn": _("Duplicate plan of a joint mission withdrawn"),
    "coordination.proposal.received": _("Proposal to join a mission received"),
    "coordination.series.changed": _("Meeting series changed"),
    "coordination.series.created": _("Meeting series created"),
    "coordination.task.added": _("Mission task added"),
    "coordination.visa.generated": _("Visa documents generated for a visitor"),
    "coordination.visitor.added": _("Visitor added to a visit to Japan"),
    "coordination.visitor.details_changed": _("Visitor sent new passport details"),
    "coordination.visitor.details_erased": _("Visitor's passport details erased after the visit"),
    "coordination.visitor.details_read": _("Visitor's passport details read"),
    "coordination.visitor.details_sent": _("Visitor sent passport details"),
    "coordination.task.status": _("Mission task status changed"),
    "directory.duplicate.dismissed": _("Possible duplicate marked as distinct"),
    "directory.import.committed": _("Spreadsheet import completed"),
    "directory.organisation.created": _("Organisation added to the directory"),
    "directory.organisation.imported": _("Organisation imported from a spreadsheet"),
    "directory.organisation.managed": _("Prefecture now manages the company"),
    "directory.organisation.merged_from": _("Duplicate merged into this organisation"),
    "directory.organisation.merged_into": _("Organisation merged into another"),
    "directory.organisation.updated": _("Organisation profile changed"),
    "directory.partnership.created": _("Agreement recorded"),
    "directory.partnership.expiry_reminded": _("Reminder sent: agreement expires soon"),
    "directory.partnership.updated": _("Agreement changed"),
    "directory.person.created": _("Contact added"),
    "directory.person.imported": _("Contact imported from a spreadsheet"),
    "directory.person.updated": _("Contact changed"),
    "culture.attendance.taken": _("Class attendance taken"),
    "culture.course.saved": _("Course details saved"),
    "culture.enrolment.completed": _("Course completed by a learner"),
    "culture.enrolment.created": _("Enrolled in a course"),
    "culture.enrolment.left": _("Left a course"),
    "culture.programme.item_added": _("Festival programme item added"),
    "culture.programme.item_removed": _("Festival programme item removed"),
    "culture.shift.created": _("Volunteer shift added"),
    "culture.shift.left": _("Volunteer left a shift"),
    "culture.shift.signed_up": _("Volunteer signed up for a shift"),
    "events.attendee.cancelled": _("Attendee cancelled"),
    "events.attendee.checked_in": _("Attendee checked in"),
    "events.event.agenda_changed": _("Event programme changed"),
    "events.event.categories_changed": _("Ticket categories changed"),
    "events.event.changed": _("Event changed"),
    "events.event.created": _("Event announced"),
    "events.event.message_sent": _("Message sent to attendees"),
    "events.event.questions_changed": _("Registration questions changed"),
    "events.feed.reset": _("Calendar feed link replaced"),
    "events.registration.approved": _("Registration approved"),
    "events.registration.cancelled": _("Registration cancelled"),
    "events.registration.claimed": _("Registration linked to an account"),
    "events.registration.created": _("Registration received"),
    "events.registration.declined": _("Registration declined"),
    "events.registration.email_confirmed": _("Registration email address confirmed"),
    "events.registration.offer_lapsed": _("Waiting-list offer lapsed"),
    "events.registration.promoted": _("Moved up from the waiting list"),
    "events.registration.promoted_by_hand": _("Moved up from the waiting list by an organiser"),
    "library.announcement.created": _("Announcement published"),
    "library.announcement.updated": _("Announcement changed"),
    "library.collection.created": _("Collection created"),
    "library.collection.filed": _("Document filed in a collection"),
    "library.collection.removed": _("Document removed from a collection"),
    "exchanges.application.submitted": _("Exchange application sent"),
    "exchanges.application.withdrawn": _("Exchange application withdrawn"),
    "exchanges.consent.confirmed": _("Guardian's consent confirmed"),
    "exchanges.consent.requested": _("Guardian's consent requested"),
    "exchanges.consent.withdrawn": _("Guardian's consent withdrawn"),
    "exchanges.document.added": _("Document added to an exchange application"),
    "exchanges.placement.computed": _("Exchange placement computed"),
    "exchanges.placement.declined": _("Exchange place declined"),
    "exchanges.placement.published": _("Exchange placement published"),
    "exchanges.placement.queued": _("Exchange placement requested"),
    "exchanges.programme.changed": _("Exchange programme changed"),
    "exchanges.programme.created": _("Exchange programme added"),
    "exchanges.programme.ordered": _("Applicants ordered by hand"),
    "exchanges.referee.answered": _("Reference received"),
    "exchanges.referee.asked": _("Reference requested"),
    "exchanges.round.created": _("Exchange round opened"),
    "exchanges.score.conflict_declared": _("Conflict of interest declared"),
    "exchanges.score.saved": _("Applicant scored"),
    "library.collection.updated": _("Collection changed"),
    "library.document.created": _("Document added to the library"),
    "library.document.updated": _("Document details changed"),
    "library.notifications.unsubscribed": _("Email notifications turned off"),
    "library.version.uploaded": _("New version of a document uploaded"),
    "matchmaking.follow_up.changed": _("Meeting follow-up changed"),
    "matchmaking.follow_up.created": _("Meeting follow-up added"),
    "matchmaking.meeting.moved": _("B2B meeting moved"),
    "matchmaking.interpreter.added": _("Interpreter added to matchmaking"),
    "matchmaking.interpreter.changed": _("Interpreter changed"),
    "matchmaking.interpreter.removed": _("Interpreter removed from matchmaking"),
    "matchmaking.meeting.outcome": _("B2B meeting outcome recorded"),
    "matchmaking.meeting.placed": _("B2B meeting placed by hand"),
    "matchmaking.meeting.removed": _("B2B meeting removed"),
    "matchmaking.participant.added": _("Participant added to matchmaking"),
    "matchmaking.participant.joined": _("Joined the matchmaking"),
    "matchmaking.participant.left": _("Left the matchmaking"),
    "matchmaking.participant.rejoined": _("Rejoined the matchmaking"),
    "matchmaking.participant.updated": _("Matchmaking profile changed"),
    "matchmaking.request.accepted": _("Meeting request accepted"),
    "matchmaking.request.created": _("Meeting requested"),
    "matchmaking.request.declined": _("Meeting request declined"),
    "matchmaking.request.withdrawn": _("Meeting request withdrawn"),
    "matchmaking.schedule.done": _("Meeting schedule computed"),
    "matchmaking.schedule.published": _("Meeting schedule published"),
    "matchmaking.schedule.queued": _("Meeting schedule requested"),
    "matchmaking.schedule.unpublished": _("Meeting schedule withdrawn"),
    "matchmaking.settings.created": _("Matchmaking set up for an event"),
    "matchmaking.settings.updated": _("Matchmaking settings changed"),
    "matchmaking.slots.tables_changed": _("Tables per time slot changed"),
    "webhooks.delivery.redelivered": _("Webhook delivery sent again"),
    "webhooks.delivery.test_sent": _("Webhook test event sent"),
    "webhooks.subscription.changed": _("Webhook changed"),
    "webhooks.subscription.created": _("Webhook added"),
    "webhooks.subscription.deleted": _("Webhook deleted"),
    "webhooks.subscription.paused": _("Webhook paused"),
    "webhooks.subscription.resumed": _("Webhook resumed"),
    "webhooks.subscription.secret_rotated": _("Webhook signing secret replaced"),
    "privacy.breach.changed": _("Breach register entry changed"),
    "privacy.breach.recorded": _("Breach recorded"),
    "privacy.consent.given": _("Consent given"),
    "privacy.consent.withdrawn": _("Consent withdrawn"),
    "privacy.erasure.done": _("Personal data erased on request"),
    "privacy.export.requested": _("Copy of personal data requested"),
    "privacy.grievance.answered": _("Grievance answered"),
    "privacy.grievance.filed": _("Grievance filed"),
    "privacy.provision.recorded": _("Personal data provided to an organisation abroad"),
    "results.deal.saved": _("Deal recorded"),
    "results.lead.changed": _("Lead changed"),
    "results.lead.created": _("Lead added"),
    "results.lead.credits_set": _("Credit shares of a lead set"),
    "results.lead.moved": _("Lead moved to another stage"),
    "results.mou.linked": _("Agreement linked to a lead or mission"),
    "results.mou.unlinked": _("Agreement unlinked from a lead or mission"),
    "results.event_cost.added": _("Cost of the event entered"),
    "results.event_cost.removed": _("Cost of the event removed"),
    "results.survey.answered": _("Survey answered"),
    "results.survey.created": _("Follow-up survey planned"),
    "results.survey.sent": _("Follow-up survey sent"),
    "results.report.requested": _("Annual report requested"),
    "tourism.destination.created": _("Destination page started"),
    "tourism.destination.updated": _("Destination page edited"),
    "tourism.destination.published": _("Destination page published"),
    "tourism.destination.unpublished": _("Destination page withdrawn from the public"),
    "tourism.place.created": _("Place added to a destination page"),
    "tourism.festival.created": _("Festival added to a destination page"),
    "tourism.itinerary.created": _("Itinerary added to a destination page"),
    "tourism.photo.created": _("Photo added to a destination page"),
    "tourism.part.deleted": _("Removed from a destination page"),
    "tourism.booth.created": _("Booth added to a travel fair"),
    "tourism.booth.updated": _("Travel-fair booth changed"),
    "tourism.booth.deleted": _("Booth removed from a travel fair"),
    "tourism.trade_profile.created": _("Travel-trade profile written"),
    "tourism.trade_profile.updated": _("Travel-trade profile changed"),
}


def describe(action: str) -> str:
    """The translated sentence for ``action`` ("Invitation sent"); the code itself if unknown."""
    sentence = ACTION_SENTENCES.get(action)
    return str(sentence) if sentence is not None else action


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def snapshot(
    obj: models.Model, *, fields: Iterable[str] = (), relations: Iterable[str] = ()
) -> dict[str, Any]:
    """The audited state of ``obj``: its ``fields`` as they are on the object, its many-to-many
    ``relations`` as stored (names joined by ", ", None when empty; {} before the first save).

    Take one before and one after a write; ``field_changes`` of the two is the whole change.
    """
    state: dict[str, Any] = {name: getattr(obj, name) for name in fields}
    for name in relations:
        names = sorted(str(record) for record in getattr(obj, name).all()) if obj.pk else []
        state[name] = ", ".join(names) or None
    return state


def record(
    obj: models.Model,
    action: str,
    *,
    actor: User | AnonymousUser | None,
    changes: Mapping[str, Any] | None = None,
    owner: Organisation | None = None,
) -> AuditEntry:
    """Append an entry for ``obj``; ``action`` reads "app.thing.verb" ("accounts.invitation.sent").

    The owner defaults to ``obj.owner`` (or the organisation itself), so its officers can read it.
    """
    if owner is None:
        owner = getattr(obj, "owner", None)
    if owner is None and obj._meta.label == "directory.Organisation":
        owner = obj  # type: ignore[assignment]
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        owner=owner,
        changes=dict(changes or {}),
    )
    # appended to the hash chain under its lock (docs/decisions/0020)
    return audit_chain.append([entry])[0]
