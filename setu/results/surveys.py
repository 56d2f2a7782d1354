"""Follow-up surveys: some weeks after an event or mission, each participating company is asked,
in its language, how useful it was, which meetings led somewhere and what business it expects.
An answer with business in it becomes a lead of the survey's owner, or updates that lead.

``surveys_send_due`` (the cron command ``send_results_reminders``) sends what is due; each
invitation is marked sent in the transaction that queues its email, so nothing goes twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.accounts.tasks import send_email
from setu.coordination.models import Delegate, Direction, Mission, MissionStatus, Visitor
from setu.core import audit
from setu.directory.models import OrganisationKind
from setu.events.models import Event, Registration, RegistrationStatus
from setu.results.models import (
    Lead,
    LeadKind,
    OriginKind,
    Stage,
    Survey,
    SurveyInvitation,
    SurveyStatus,
)
from setu.results.services import lead_create, lead_update

if TYPE_CHECKING:
    from setu.accounts.models import User

LANGUAGES = ("en", "ja", "hi")
ANSWER_FIELDS = (
    "usefulness", "meetings_led_somewhere", "expected_business", "expected_value", "currency",
)  # fmt: skip


def new_token() -> str:
    return secrets.token_urlsafe(32)


def origin_end(survey: Survey) -> date:
    """The last day of the survey's event or mission."""
    if survey.event is not None:
        return timezone.localdate(survey.event.ends_at)
    assert survey.mission is not None
    return survey.mission.ends_on


def due_on(survey: Survey) -> date:
    return origin_end(survey) + timedelta(days=survey.send_after_days)


@transaction.atomic
def survey_create(
    *,
    actor: User | None,
    event: Event | None = None,
    mission: Mission | None = None,
    send_after_days: int = 56,
) -> Survey:
    """The survey of one event or mission, owned by its owner prefecture."""
    if (event is None) == (mission is None):
        raise ValidationError(_("A survey follows one event or one mission."))
    record: Any = event or mission
    if actor is not None and record.owner_id not in _officer_ids(actor):
        raise PermissionDenied
    if not 0 <= send_after_days <= 365:
        raise ValidationError({"send_after_days": _("Send it within a year: 0 to 365 days.")})
    exists = Survey.objects.filter(event=event) if event else Survey.objects.filter(mission=mission)
    if exists.exists():
        raise ValidationError(_("This event or mission already has a survey."))
    survey = Survey.objects.create(
        owner_id=record.owner_id,
        event=event,
        mission=mission,
        send_after_days=send_after_days,
        created_by=actor,
    )
    audit.record(
        survey,
        "results.survey.created",
        actor=actor,
        changes={"of": [None, str(record)], "send_after_days": [None, send_after_days]},
    )
    return survey


def _officer_ids(actor: User) -> frozenset[int]:
    from setu.core.principal import principal_for

    return principal_for(actor).officer_org_ids


def _participants(survey: Survey) -> dict[int, tuple[str, str]]:
    """The participating companies: ``{organisation id: (email, language)}``, the first
    address known for each."""
    found: dict[int, tuple[str, str]] = {}
    rows: Any
    if survey.event is not None:
        rows = (
            Registration.objects.filter(
                event=survey.event,
                status=RegistrationStatus.CONFIRMED,
                organisation__kind=OrganisationKind.COMPANY,
            )
            .order_by("pk")
            .values_list("organisation_id", "email", "language")
        )
    else:
        rows = (
            Delegate.objects.filter(
                mission=survey.mission, organisation__kind=OrganisationKind.COMPANY
            )
            .exclude(email="")
            .order_by("pk")
            .values_list("organisation_id", "email", "organisation__original_language")
        )
    if survey.mission is not None and survey.mission.direction == Direction.TO_JAPAN:
        # a visit to Japan: its visitors are asked, in the language of their form
        rows = list(rows) + list(
            Visitor.objects.filter(mission=survey.mission)
            .exclude(email="")
            .order_by("pk")
            .values_list("organisation_id", "email", "language")
        )
    for organisation_id, email, language in rows:
        if organisation_id is not None and organisation_id not in found:
            found[organisation_id] = (email, language if language in LANGUAGES else "en")
    return found


@transaction.atomic
def survey_send(*, survey: Survey, actor: User | None = None) -> int:
    """Invite every participating company not invited yet and email it the link in its
    language (after the commit). Returns how many were invited now."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if actor is not None and not actor.has_perm("results.change_survey", locked):
        raise PermissionDenied
    if locked.status == SurveyStatus.CLOSED:
        raise ValidationError(_("This survey is closed."))
    already = set(locked.invitations.values_list("organisation_id", flat=True))
    now = timezone.now()
    invited = 0
    for organisation_id, (email, language) in _participants(locked).items():
        if organisation_id in already:
            continue
        invitation = SurveyInvitation.objects.create(
            survey=locked,
            organisation_id=organisation_id,
            email=email,
            language=language,
            token=new_token(),
            sent_at=now,
        )
        _queue_email(invitation)
        invited += 1
    locked.status = SurveyStatus.SENT
    locked.sent_at = locked.sent_at or now
    locked.save(update_fields=["status", "sent_at"])
    audit.record(locked, "results.survey.sent", actor=actor, changes={"invited": [None, invited]})
    return invited


def _queue_email(invitation: SurveyInvitation) -> None:
    survey = invitation.survey
    with translation.override(invitation.language):
        record = survey.event or survey.mission
        subject = _("How useful was %(title)s?") % {"title": record}
        body = render_to_string(
            "results/email/survey_invitation.txt",
            {
                "invitation": invitation,
                "record": record,
                "url": settings.SETU_BASE_URL.rstrip("/")
                + reverse("results:survey_answer", args=[invitation.token]),
            },
        )
    transaction.on_commit(
        partial(send_email.enqueue, subject=subject, body=body, to=[invitation.email])
    )


def surveys_send_due(*, today: date | None = None) -> int:
    """Send every scheduled survey whose day has come; return how many companies were invited."""
    today = today or timezone.localdate()
    invited = 0
    scheduled = Survey.objects.filter(status=SurveyStatus.SCHEDULED).select_related(
        "event", "mission"
    )
    for survey in scheduled:
        if survey.mission is not None and survey.mission.status == MissionStatus.CANCELLED:
            continue
        if due_on(survey) <= today:
            invited += survey_send(survey=survey)
    return invited


@transaction.atomic
def survey_answer(*, invitation: SurveyInvitation, data: Mapping[str, Any]) -> Lead | None:
    """Keep the company's answer (a second answer replaces the first) and turn expected or
    realised business into a lead of the survey's owner, or update the lead it made before."""
    locked = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related(
            "survey", "survey__owner", "survey__event", "survey__mission", "organisation"
        )
        .get(pk=invitation.pk)
    )
    if locked.survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("This survey is closed."))
    values = {name: data.get(name) for name in ANSWER_FIELDS}
    errors: dict[str, str] = {}
    usefulness = values["usefulness"]
    if usefulness is None or not 1 <= int(usefulness) <= 5:
        errors["usefulness"] = _("Choose from 1 (not useful) to 5 (very useful).")
    meetings = values["meetings_led_somewhere"]
    if meetings is not None and int(meetings) < 0:
        errors["meetings_led_somewhere"] = _("The number cannot be negative.")
    value = values["expected_value"]
    if value is not None and value < 0:
        errors["expected_value"] = _("The value cannot be negative.")
    if value is not None and not values["currency"]:
        errors["currency"] = _("Give the currency of the value.")
    if errors:
        raise ValidationError(errors)
    if value is None:
        values["currency"] = ""
    for name, given in values.items():
        setattr(locked, name, given if given is not None or name != "expected_business" else "")
    locked.answered_at = timezone.now()
    locked.save()
    survey = locked.survey
    audit.record(
        locked,
        "results.survey.answered",
        actor=None,
        owner=survey.owner,
        changes={"usefulness": [None, locked.usefulness]},
    )
    if not (locked.expected_business.strip() or locked.expected_value):
        return None
    try:
        return _lead_from_answer(locked)
    except ValidationError:
        # The company is not visible to the survey's owner: the answer stays on the survey
        # page, where the owner's officers read it; no lead is made behind their backs.
        return None


def _lead_from_answer(invitation: SurveyInvitation) -> Lead:
    survey = invitation.survey
    company = invitation.organisation
    record: Any = survey.event or survey.mission
    origin = {"origin_event": survey.event} if survey.event else {"origin_mission": survey.mission}
    data: dict[str, Any] = {
        "expected_value": invitation.expected_value,
        "currency": invitation.currency or "JPY",
    }
    note = _("Survey answer: %(text)s") % {"text": invitation.expected_business.strip()}
    existing = (
        Lead.objects.filter(owner=survey.owner, company=company, **origin).order_by("pk").first()
    )
    if existing is not None:
        if invitation.expected_value is None:
            data = {}
        data["notes"] = f"{existing.notes}\n\n{note}".strip()
        return lead_update(lead=existing, actor=None, data=data)
    with translation.override(invitation.language):
        title = _("%(company)s after %(record)s") % {"company": company, "record": record}
    return lead_create(
        actor=None,
        owner=survey.owner,
        stage=Stage.IDENTIFIED,
        data={
            **data,
            "kind": LeadKind.INVESTMENT if company.country == "IN" else LeadKind.TRADE,
            "title": title[:200],
            "company": company,
            "notes": note,
            "origin_kind": OriginKind.SURVEY,
            "origin_invitation": invitation,
            **origin,
        },
    )
