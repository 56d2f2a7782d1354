"""The personal data privacy registers itself: the account and directory entries (the foundation
cannot register, it does not know privacy), the ledger, provisions abroad, exports and the
audit log. The activity apps register theirs from their own ``personal_data`` modules."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.core import audit_chain
from setu.core.models import AuditEntry
from setu.directory.models import Person
from setu.privacy.models import Consent, DataExport, Provision
from setu.privacy.registry import (
    ErasureResult,
    register_erasure,
    register_retention,
    register_source,
)

if TYPE_CHECKING:
    from setu.accounts.models import User


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="minutes") if value else ""


def account_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "native_name": user.native_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "joined": _when(user.date_joined),
        }
    ]


def _people(user: User) -> Any:
    return Person.objects.filter(email__iexact=user.email).select_related("organisation")


def directory_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "organisation": str(person.organisation),
            "name": person.name_latin,
            "name_native": person.name_native,
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        }
        for person in _people(user)
    ]


def consent_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "purpose": str(line.get_purpose_display()),
            "action": str(line.get_action_display()),
            "notice": str(line.notice or ""),
            "language": line.language,
            "how": str(line.get_method_display()),
            "by": str(line.get_given_by_display()),
            "recipient": str(line.recipient or ""),
            "when": _when(line.recorded_at),
        }
        for line in Consent.objects.filter(user=user).select_related("notice", "recipient")
    ]


def provision_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "recipient": str(provision.recipient),
            "country": provision.country,
            "what": provision.what,
            "when": _when(provision.provided_at),
        }
        for provision in Provision.objects.filter(user=user).select_related("recipient")
    ]


def audit_rows(user: User) -> list[dict[str, str]]:
    """What the person did, as the audit log tells it (not what others did to their records)."""
    return [
        {"when": _when(entry.created_at), "action": entry.sentence, "record": entry.object_repr}
        for entry in AuditEntry.objects.filter(actor=user).order_by("-id")[:500]
    ]


def erase_directory_entries(user: User) -> ErasureResult:
    count = 0
    for person in _people(user):
        person.name_latin = gettext("Erased contact")
        person.name_native = ""
        person.title = ""
        person.email = ""
        person.phone = ""
        person.save(update_fields=["name_latin", "name_native", "title", "email", "phone"])
        count += 1
    return ErasureResult(erased=count)


def erase_account(user: User) -> ErasureResult:
    """Anonymise the account; the ledger and provisions stay (they prove what was agreed)."""
    redacted = audit_chain.redact(
        AuditEntry.objects.filter(actor=user).values_list("id", flat=True),
        reason=gettext("Erasure request"),
    )
    user.full_name = gettext("Erased person")
    user.native_name = ""
    user.save(update_fields=["full_name", "native_name"])
    return ErasureResult(
        erased=1 + redacted,
        kept=[
            gettext(
                "The consent ledger and the record of who received your data: the law asks us to "
                "prove what you agreed to."
            ),
            gettext(
                "The audit log's entries, with your details removed: they keep the log "
                "tamper-evident and must be kept for at least a year."
            ),
            gettext("Your sign-in address, until you close the account."),
        ],
    )


def expired_exports(cutoff: datetime) -> Any:
    return DataExport.objects.filter(requested_at__lt=cutoff)


def erase_exports(rows: Any) -> int:
    return int(rows.delete()[0])


def expired_audit_entries(cutoff: datetime) -> Any:
    """Entries older than the cutoff that still carry a name or changes."""
    return AuditEntry.objects.filter(created_at__lt=cutoff, redacted=False).exclude(
        Q(action=audit_chain.REDACTED_ACTION) | (Q(object_repr="") & Q(changes={}))
    )


def redact_audit_entries(rows: Any) -> int:
    return audit_chain.redact(
        list(rows.values_list("id", flat=True)), reason=gettext("Retention period ended")
    )


def register() -> None:
    register_source("accounts.user", _("Your account"), account_rows)
    register_source("directory.person", _("Contact entries in the directory"), directory_rows)
    register_source("privacy.consent", _("Your consents"), consent_rows)
    register_source("privacy.provision", _("Who received your data abroad"), provision_rows)
    register_source("core.audit", _("What you did in Setu"), audit_rows)
    register_erasure("directory.person", erase_directory_entries)
    register_erasure("accounts.user", erase_account, order=90)  # last: redacts the log
    register_retention(
        "exports", _("Data exports"), find_expired=expired_exports, erase=erase_exports
    )
    register_retention(
        "logs",
        _("Audit log details"),
        find_expired=expired_audit_entries,
        erase=redact_audit_entries,
        action="anonymise",
    )
