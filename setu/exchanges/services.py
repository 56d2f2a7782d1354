"""Writes for exchanges: each function owns its whole write, in one transaction, audited.

Refusals raise ValidationError with a translated message before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts.tasks import send_email
from setu.core import audit
from setu.core.writes import assign
from setu.exchanges import tokens
from setu.exchanges.eligibility import ineligibility, is_minor
from setu.exchanges.models import (
    PROGRAMME_FIELDS,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Choice,
    ConsentPurpose,
    ExchangeRound,
    GuardianConsent,
    PlacementRun,
    Programme,
    Referee,
    RunStatus,
    Score,
)
from setu.library.files import check_upload
from setu.privacy import consent as ledger
from setu.privacy.models import ConsentMethod as LedgerMethod
from setu.privacy.models import GivenBy, Purpose

if TYPE_CHECKING:
    from setu.accounts.models import User
    from setu.directory.models import Organisation


def _base(base_url: str) -> str:
    return (base_url or getattr(settings, "SETU_BASE_URL", "") or "http://localhost:8000").rstrip(
        "/"
    )


def _mail(
    *, to: str, language: str, template: str, context: dict[str, Any], subject: Promise
) -> None:
    """Queue one email in ``language`` once the transaction commits."""
    with translation.override(language):
        rendered_subject = str(subject) % {"site": settings.SETU_SITE_NAME}
        body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.enqueue(subject=rendered_subject, body=body, to=[to]))


# -- rounds and programmes ---------------------------------------------------------------------


@transaction.atomic
def round_create(*, actor: User, owner: Organisation, data: dict[str, Any]) -> ExchangeRound:
    round_ = ExchangeRound(owner=owner)
    assign(round_, data)
    round_.save()
    audit.record(round_, "exchanges.round.created", actor=actor, changes={"title": str(round_)})
    return round_


def _check_programme(data: dict[str, Any]) -> None:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("The programme cannot end before it starts."))
    if data["closes_on"] < data["opens_on"]:
        raise ValidationError(_("Applications cannot close before they open."))
    if data["closes_on"] >= data["starts_on"]:
        raise ValidationError(_("Applications must close before the programme starts."))
    if (
        data.get("min_age") is not None
        and data.get("max_age") is not None
        and data["max_age"] < data["min_age"]
    ):
        raise ValidationError(_("The maximum age is below the minimum age."))


@transaction.atomic
def programme_create(*, actor: User, owner: Organisation, data: dict[str, Any]) -> Programme:
    _check_programme(data)
    programme = Programme(owner=owner)
    assign(programme, data)
    programme.save()
    audit.record(
        programme, "exchanges.programme.created", actor=actor, changes={"title": str(programme)}
    )
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, data: dict[str, Any]) -> Programme:
    _check_programme(data)
    before = audit.snapshot(programme, fields=PROGRAMME_FIELDS)
    assign(programme, data)
    programme.save()
    after = audit.snapshot(programme, fields=PROGRAMME_FIELDS)
    audit.record(
        programme,
        "exchanges.programme.changed",
        actor=actor,
        changes=audit.field_changes(before, after),
    )
    return programme


# -- applying ------------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor: User,
    round_: ExchangeRound,
    data: dict[str, Any],
    programmes: Sequence[Programme],
    today: date | None = None,
    base_url: str = "",
) -> Application:
    """Apply to ``programmes`` of ``round_``, best first.

    Refused, with nothing written: a second application to the round, no programme, one
    programme twice, a programme outside its application window or of another round, a
    programme the student is not eligible for, and a minor without a guardian to ask.
    A minor's application waits for the guardian's consent (an email with a signed link)
    before anyone but the student sees it.
    """
    today = today or timezone.localdate()
    if Application.objects.filter(round=round_, student=actor).exists():
        raise ValidationError(
            _("You have already applied to this round. Open your application to change it.")
        )
    if not programmes:
        raise ValidationError(_("Choose at least one programme."))
    if len({p.pk for p in programmes}) != len(programmes):
        raise ValidationError(_("Each programme may appear only once in your list."))
    errors = []
    languages = {"ja": data["jlpt_level"], "en": data["english_level"], "hi": data["hindi_level"]}
    for programme in programmes:
        if programme.round_id != round_.pk:
            errors.append(_("%(programme)s is not part of this round.") % {"programme": programme})
        elif not programme.is_open(today):
            errors.append(
                _("Applications to %(programme)s are open from %(opens)s to %(closes)s.")
                % {
                    "programme": programme,
                    "opens": programme.opens_on,
                    "closes": programme.closes_on,
                }
            )
        elif reason := ineligibility(
            programme,
            date_of_birth=data["date_of_birth"],
            level=data["level"],
            language_levels=languages,
        ):
            errors.append(reason)
    if errors:
        raise ValidationError(errors)
    minor = is_minor(data["date_of_birth"], today)
    if minor and not (data.get("guardian_name") and data.get("guardian_email")):
        raise ValidationError(
            _(
                "You are under 18: give the name and email of a parent or guardian. "
                "We ask them for consent before anyone else sees your application."
            )
        )
    application = Application(round=round_, student=actor, is_minor=minor)
    assign(application, data, exclude={"round", "student", "is_minor", "status"})
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second request of the same student in a race
        raise ValidationError(_("You have already applied to this round.")) from error
    Choice.objects.bulk_create(
        Choice(application=application, programme=programme, rank=rank)
        for rank, programme in enumerate(programmes, start=1)
    )
    audit.record(
        application,
        "exchanges.application.submitted",
        actor=actor,
        owner=round_.owner,
        changes={"choices": ", ".join(str(p.pk) for p in programmes), "minor": minor},
    )
    if minor:
        consent_request(
            actor=actor,
            application=application,
            data={
                "guardian_name": data["guardian_name"],
                "guardian_email": data["guardian_email"],
                "relationship": data.get("relationship") or "",
                "language": data.get("guardian_language") or "en",
            },
            base_url=base_url,
        )
    return application


def _own(actor: User, application: Application) -> None:
    if application.student_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    _own(actor, application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer open."))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at"])
    audit.record(
        application, "exchanges.application.withdrawn", actor=actor, owner=application.round.owner
    )
    return application


@transaction.atomic
def document_add(
    *, actor: User, application: Application, title: str, upload: UploadedFile
) -> ApplicationDocument:
    _own(actor, application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer open."))
    checked = check_upload(upload)
    document = ApplicationDocument(
        application=application,
        title=title,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    document.file.save(f"application{checked.extension}", checked.upload, save=False)
    document.save()
    audit.record(
        document,
        "exchanges.document.added",
        actor=actor,
        owner=application.round.owner,
        changes={"title": title, "file": checked.original_name},
    )
    return document


# -- referees ----------------------------------------------------------------------------------


@transaction.atomic
def referee_ask(
    *, actor: User, application: Application, name: str, email: str, base_url: str = ""
) -> Referee:
    _own(actor, application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer open."))
    if application.referees.filter(email__iexact=email).exists():
        raise ValidationError(_("You have already asked this referee."))
    referee = Referee.objects.create(application=application, name=name, email=email)
    link = _base(base_url) + reverse(
        "exchanges:referee", args=[tokens.referee_link_token(referee.pk, referee.token)]
    )
    _mail(
        to=email,
        language=actor.language,
        template="exchanges/email/referee.txt",
        context={"referee": referee, "student": actor, "round": application.round, "link": link},
        subject=gettext_lazy("A reference for a student exchange (%(site)s)"),
    )
    audit.record(
        referee,
        "exchanges.referee.asked",
        actor=actor,
        owner=application.round.owner,
        changes={"name": name},
    )
    return referee


@transaction.atomic
def referee_answer(*, referee: Referee, reference: str) -> Referee:
    """Record the reference once; a second answer through the same link changes nothing."""
    referee = (
        Referee.objects.select_for_update().select_related("application__round").get(pk=referee.pk)
    )
    if referee.answered_at is not None:
        raise ValidationError(
            _("This link has already been used: the reference was sent on %(date)s.")
            % {"date": timezone.localdate(referee.answered_at)}
        )
    if not reference.strip():
        raise ValidationError(_("Write the reference before sending it."))
    referee.reference = reference.strip()
    referee.answered_at = timezone.now()
    referee.save(update_fields=["reference", "answered_at"])
    audit.record(
        referee, "exchanges.referee.answered", actor=None, owner=referee.application.round.owner
    )
    return referee


# -- guardian consent --------------------------------------------------------------------------


@transaction.atomic
def consent_request(
    *, actor: User, application: Application, data: dict[str, Any], base_url: str = ""
) -> GuardianConsent:
    """Ask a parent or guardian to confirm consent, by email in their language."""
    _own(actor, application)
    if not application.is_minor:
        raise ValidationError(
            _("Only applications of students under 18 need a guardian's consent.")
        )
    if application.guardian_consents.filter(
        verified_at__isnull=False, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(_("A guardian has already given consent."))
    consent = GuardianConsent.objects.create(
        application=application,
        guardian_name=data["guardian_name"],
        guardian_email=data["guardian_email"],
        relationship=data.get("relationship", ""),
        language=data.get("language") or "en",
        purposes=[purpose.value for purpose in ConsentPurpose],
    )
    link = _base(base_url) + reverse(
        "exchanges:consent", args=[tokens.consent_link_token(consent.pk, consent.token)]
    )
    _mail(
        to=consent.guardian_email,
        language=consent.language,
        template="exchanges/email/consent.txt",
        context={"consent": consent, "student": actor, "round": application.round, "link": link},
        subject=gettext_lazy("Your consent for a student exchange application (%(site)s)"),
    )
    audit.record(
        consent,
        "exchanges.consent.requested",
        actor=actor,
        owner=application.round.owner,
        changes={"guardian": consent.guardian_name, "language": consent.language},
    )
    return consent


def _locked_consent(consent: GuardianConsent) -> GuardianConsent:
    return (
        GuardianConsent.objects.select_for_update()
        .select_related("application__round", "application__student")
        .get(pk=consent.pk)
    )


@transaction.atomic
def consent_confirm(*, consent: GuardianConsent) -> GuardianConsent:
    consent = _locked_consent(consent)
    if consent.withdrawn_at is not None:
        raise ValidationError(
            _("This consent was withdrawn. The student can ask you again from their application.")
        )
    if consent.verified_at is not None:
        raise ValidationError(_("You have already given your consent; nothing was changed."))
    consent.verified_at = timezone.now()
    consent.save(update_fields=["verified_at"])
    # the consent ledger names the guardian (docs/privacy.md), in this same transaction
    ledger.consent_give(
        subject=consent.application.student,
        purpose=Purpose.EXCHANGES,
        actor=None,
        method=LedgerMethod.FORM,
        given_by=GivenBy.GUARDIAN,
        guardian_name=consent.guardian_name,
    )
    audit.record(
        consent,
        "exchanges.consent.confirmed",
        actor=None,
        owner=consent.application.round.owner,
        changes={"purposes": ", ".join(consent.purposes), "language": consent.language},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: GuardianConsent) -> GuardianConsent:
    """Withdraw (or refuse) consent: the application is hidden from hosts and reviewers again
    and is left out of every later placement run."""
    consent = _locked_consent(consent)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn; nothing was changed."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    ledger.consent_withdraw(
        subject=consent.application.student,
        purpose=Purpose.EXCHANGES,
        actor=None,
        method=LedgerMethod.FORM,
        given_by=GivenBy.GUARDIAN,
        guardian_name=consent.guardian_name,
    )
    audit.record(
        consent, "exchanges.consent.withdrawn", actor=None, owner=consent.application.round.owner
    )
    return consent


# -- reviewing ---------------------------------------------------------------------------------


@transaction.atomic
def score_save(
    *,
    actor: User,
    choice: Choice,
    score: Decimal | None,
    conflict: bool,
    conflict_reason: str = "",
    comment: str = "",
) -> Score:
    """A reviewer's score (0-100) for one applicant, or their declared conflict of interest
    (which removes any score they gave)."""
    if conflict:
        score = None
    elif score is None:
        raise ValidationError(_("Give a score from 0 to 100, or declare a conflict of interest."))
    elif not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(_("A score runs from 0 to 100."))
    row, created = Score.objects.select_for_update().get_or_create(
        choice=choice,
        reviewer=actor,
        defaults={"score": score, "conflict": conflict},
    )
    before = {
        "score": None if created else row.score,
        "conflict": False if created else row.conflict,
    }
    row.score, row.conflict = score, conflict
    row.conflict_reason = conflict_reason if conflict else ""
    row.comment = comment
    row.save()
    audit.record(
        row,
        "exchanges.score.conflict_declared" if conflict else "exchanges.score.saved",
        actor=actor,
        owner=choice.programme.owner,
        changes={"score": [str(before["score"]), str(score)], "conflict": conflict},
    )
    return row


@transaction.atomic
def manual_order_save(*, actor: User, programme: Programme, choice_ids: Sequence[int]) -> None:
    """The coordinator's order of a programme's applicants, best first."""
    known = set(Choice.objects.filter(programme=programme).values_list("pk", flat=True))
    if set(choice_ids) - known or len(set(choice_ids)) != len(choice_ids):
        raise ValidationError(
            _("The order names an applicant who did not apply to this programme.")
        )
    Choice.objects.filter(programme=programme).update(manual_position=None)
    for position, pk in enumerate(choice_ids, start=1):
        Choice.objects.filter(pk=pk).update(manual_position=position)
    audit.record(
        programme,
        "exchanges.programme.ordered",
        actor=actor,
        changes={"applicants": len(choice_ids)},
    )


# -- placement -------------------------------------------------------------------------------


@transaction.atomic
def placement_request(*, actor: User, round_: ExchangeRound) -> PlacementRun:
    """Queue a placement run; the worker computes it (``tasks.run_placement``)."""
    from setu.exchanges.tasks import run_placement

    ExchangeRound.objects.select_for_update().get(pk=round_.pk)
    if PlacementRun.objects.filter(round=round_, status=RunStatus.QUEUED).exists():
        raise ValidationError(_("A placement is already being computed for this round."))
    run = PlacementRun.objects.create(round=round_, created_by=actor)
    audit.record(run, "exchanges.placement.queued", actor=actor, owner=round_.owner)
    run_id = run.pk
    transaction.on_commit(lambda: run_placement.enqueue(run_id=run_id))
    return run


@transaction.atomic
def placement_publish(*, actor: User, run: PlacementRun) -> PlacementRun:
    run = PlacementRun.objects.select_for_update().select_related("round").get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    PlacementRun.objects.filter(round=run.round, status=RunStatus.PUBLISHED).update(
        status=RunStatus.SUPERSEDED
    )
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    audit.record(
        run,
        "exchanges.placement.published",
        actor=actor,
        owner=run.round.owner,
        changes={"placed": run.placed, "applicants": run.applicants},
    )
    return run


@transaction.atomic
def placement_decline(*, actor: User, application: Application) -> Application:
    """The student declines the place they were given: it is free for the next run, which
    leaves every other student at least as well placed (setu.algorithms.placement)."""
    _own(actor, application)
    application = (
        Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    )
    from setu.exchanges.selectors import published_outcome

    outcome = published_outcome(application)
    if (
        application.status != ApplicationStatus.SUBMITTED
        or outcome is None
        or not outcome.programme
    ):
        raise ValidationError(_("You have no place to decline."))
    application.status = ApplicationStatus.DECLINED
    application.save(update_fields=["status"])
    audit.record(
        application,
        "exchanges.placement.declined",
        actor=actor,
        owner=application.round.owner,
        changes={"programme": str(outcome.programme)},
    )
    return application
