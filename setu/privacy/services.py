"""Writes of the privacy app: provisions abroad, rights requests, grievances, breaches.

Each does its whole write in one transaction and records it in the audit log.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.core import audit
from setu.privacy import registry
from setu.privacy.consent import _latest, has_consent
from setu.privacy.models import (
    Breach,
    CaseStatus,
    DataExport,
    ErasureRequest,
    ExportStatus,
    Grievance,
    GrievanceKind,
    Provision,
    Purpose,
)

if TYPE_CHECKING:
    from setu.accounts.models import User
    from setu.directory.models import Organisation


def provision_record(*, user: User, recipient: Organisation, what: str) -> Provision:
    """Record that ``user``'s data went to ``recipient`` abroad; refused without the
    separate consent naming that recipient (APPI Art. 28)."""
    consent = _latest(user, Purpose.ABROAD, recipient)
    if consent is None or not has_consent(user, Purpose.ABROAD, recipient):
        raise ValidationError(
            _("%(name)s has not agreed to share their details with %(recipient)s.")
            % {"name": user, "recipient": recipient}
        )
    with transaction.atomic():
        provision = Provision.objects.create(
            user=user, recipient=recipient, country=recipient.country, what=what[:200],
            consent=consent,
        )  # fmt: skip
        audit.record(provision, "privacy.provision.recorded", actor=None, owner=recipient)
    return provision


def holdings(user: User) -> list[tuple[str, list[dict[str, str]]]]:
    """What Setu holds about ``user``: every registered source's rows, by label."""
    return [(str(source.label), source.rows(user)) for source in registry.sources()]


def _export_payload(user: User) -> tuple[bytes, bytes]:
    sections = holdings(user)
    as_json = json.dumps(
        {"person": user.email, "made_at": timezone.now().isoformat(), "sections": dict(sections)},
        ensure_ascii=False,
        indent=2,
    ).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "field", "value", "row"])
    for label, rows in sections:
        for number, row in enumerate(rows, start=1):
            for name, value in row.items():
                writer.writerow([label, name, value, number])
    return as_json, buffer.getvalue().encode("utf-8-sig")


def export_request(*, user: User) -> DataExport:
    """Queue the making of ``user``'s export; the worker emails the link when it is ready."""
    from setu.privacy.tasks import make_export

    with transaction.atomic():
        export = DataExport.objects.create(user=user)
        audit.record(export, "privacy.export.requested", actor=user)
        transaction.on_commit(lambda: make_export.enqueue(export_id=export.pk))
    return export


def export_make(*, export_id: int) -> None:
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    json_data, csv_data = _export_payload(user)
    with transaction.atomic():
        export.json_data = json_data
        export.csv_data = csv_data
        export.status = ExportStatus.READY
        export.save(update_fields=["json_data", "csv_data", "status"])
    link = settings.SETU_BASE_URL + reverse("privacy:export", args=[export.token])
    with translation.override(user.language or "en"):
        send_mail(
            _("Your copy of your data is ready"),
            _(
                "The copy of what Setu holds about you is ready: %(link)s\n"
                "Sign in to download it. The link works for %(days)s days."
            )
            % {"link": link, "days": settings.SETU_PRIVACY_EXPORT_DAYS},
            None,
            [user.email],
        )


def erasure_request(*, user: User, reason: str) -> ErasureRequest:
    """Erase or anonymise what each registered handler holds about ``user`` and say what had
    to be kept and why; the audit log's entries about them are redacted, not removed."""
    with transaction.atomic():
        request = ErasureRequest.objects.create(user=user, reason=reason.strip())
        erased = 0
        kept: list[str] = []
        afterwards = []
        for _key, handler in registry.erasure_handlers():
            result = handler(user)
            erased += result.erased
            kept.extend(result.kept)
            if result.then is not None:
                afterwards.append(result.then)
        for then in afterwards:
            erased += then()
        request.report = {"erased": erased, "kept": kept}
        request.done_at = timezone.now()
        request.save(update_fields=["report", "done_at"])
        audit.record(request, "privacy.erasure.done", actor=user, changes={"erased": erased})
    return request


def grievance_file(
    *, user: User, subject: str, body: str, kind: str = GrievanceKind.GRIEVANCE
) -> Grievance:
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Say what the grievance is about and what happened."))
    now = timezone.now()
    with transaction.atomic():
        grievance = Grievance.objects.create(
            user=user, kind=kind, subject=subject.strip(), body=body.strip(), filed_at=now,
            due_at=now + timedelta(days=settings.SETU_PRIVACY_GRIEVANCE_DAYS),
        )  # fmt: skip
        audit.record(grievance, "privacy.grievance.filed", actor=user)
    return grievance


def grievance_answer(*, grievance: Grievance, response: str, actor: User) -> Grievance:
    if not response.strip():
        raise ValidationError(_("Write the answer to the person."))
    with transaction.atomic():
        grievance.response = response.strip()
        grievance.status = CaseStatus.ANSWERED
        grievance.answered_at = timezone.now()
        grievance.answered_by = actor
        grievance.save(update_fields=["response", "status", "answered_at", "answered_by"])
        audit.record(grievance, "privacy.grievance.answered", actor=actor)
    with translation.override(grievance.user.language or "en"):
        send_mail(
            _("Answer to your grievance: %(subject)s") % {"subject": grievance.subject},
            grievance.response,
            None,
            [grievance.user.email],
        )
    return grievance


BREACH_FIELDS = (
    "title", "occurred_at", "detected_at", "categories", "people_count", "cause", "measures",
    "malicious", "dpdp_reported_at", "appi_preliminary_at", "appi_final_at", "people_notified_at",
)  # fmt: skip


def breach_save(*, breach: Breach, data: dict[str, Any], actor: User) -> Breach:
    before = audit.snapshot(breach, fields=BREACH_FIELDS) if breach.pk else {}
    with transaction.atomic():
        for name in BREACH_FIELDS:
            if name in data:
                setattr(breach, name, data[name])
        created = breach.pk is None
        if created:
            breach.recorded_by = actor
        breach.save()
        changes = audit.field_changes(before, audit.snapshot(breach, fields=BREACH_FIELDS))
        action = "privacy.breach.recorded" if created else "privacy.breach.changed"
        audit.record(breach, action, actor=actor, changes=changes)
    return breach
