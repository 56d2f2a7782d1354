"""The consent ledger: is processing for a purpose allowed, give, withdraw (docs/privacy.md).

Every answer reads the ledger afresh, so a withdrawal stops processing on the next request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from setu.core import audit
from setu.privacy.models import Consent, ConsentAction, ConsentMethod, GivenBy, Notice, Purpose

if TYPE_CHECKING:
    from setu.accounts.models import User
    from setu.directory.models import Organisation


def current_notice(purpose: str, language: str | None = None) -> Notice | None:
    """The newest notice for ``purpose`` in ``language`` (the active one), else in English."""
    language = (language or translation.get_language() or "en")[:2]
    notices = Notice.objects.filter(purpose=purpose).order_by("-version")
    return notices.filter(language=language).first() or notices.filter(language="en").first()


def _latest(subject: User | str, purpose: str, recipient: Any = None) -> Consent | None:
    lines = Consent.objects.filter(purpose=purpose)
    if isinstance(subject, str):
        lines = lines.filter(email__iexact=subject)
    else:
        if not getattr(subject, "is_authenticated", False):
            return None
        lines = lines.filter(user=subject)
    if recipient is not None:
        lines = lines.filter(recipient=recipient)
    return lines.order_by("-recorded_at", "-id").first()


def latest_line(subject: User | str, purpose: str, recipient: Any = None) -> Consent | None:
    """The newest ledger line of ``subject`` for ``purpose`` (and ``recipient``), or None."""
    return _latest(subject, purpose, recipient)


def has_consent(subject: User | str | None, purpose: str, recipient: Any = None) -> bool:
    """Whether the newest ledger line for ``subject`` (a user or an email address) and
    ``purpose`` (and ``recipient`` for sharing abroad) is a consent given."""
    if subject is None:
        return False
    line = _latest(subject, purpose, recipient)
    return line is not None and line.action == ConsentAction.GIVEN


def consent_give(
    *,
    subject: User | str,
    purpose: str,
    actor: User | None,
    method: str = ConsentMethod.FORM,
    given_by: str = GivenBy.SELF,
    guardian_name: str = "",
    recipient: Organisation | None = None,
    regime: str = "",
) -> Consent:
    """Add a "given" line against the current notice (in the active language)."""
    return _line(
        subject=subject, purpose=purpose, actor=actor, action=ConsentAction.GIVEN, method=method,
        given_by=given_by, guardian_name=guardian_name, recipient=recipient, regime=regime,
    )  # fmt: skip


def consent_withdraw(
    *,
    subject: User | str,
    purpose: str,
    actor: User | None,
    method: str = ConsentMethod.PORTAL,
    recipient: Organisation | None = None,
    given_by: str = GivenBy.SELF,
    guardian_name: str = "",
) -> Consent:
    """Add a "withdrawn" line; a guardian withdrawing (or refusing) for a minor is named."""
    return _line(
        subject=subject, purpose=purpose, actor=actor, action=ConsentAction.WITHDRAWN,
        method=method, recipient=recipient, given_by=given_by, guardian_name=guardian_name,
    )  # fmt: skip


def _line(
    *,
    subject: User | str,
    purpose: str,
    actor: User | None,
    action: str,
    method: str,
    given_by: str = GivenBy.SELF,
    guardian_name: str = "",
    recipient: Organisation | None = None,
    regime: str = "",
) -> Consent:
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose."))
    if purpose == Purpose.ABROAD and action == ConsentAction.GIVEN and recipient is None:
        raise ValidationError(_("Consent to share abroad must name the recipient."))
    if given_by == GivenBy.GUARDIAN and not guardian_name.strip():
        raise ValidationError(_("Give the guardian's name."))
    notice = current_notice(purpose)
    with transaction.atomic():
        line = Consent.objects.create(
            user=None if isinstance(subject, str) else subject,
            email=subject if isinstance(subject, str) else subject.email,
            purpose=purpose,
            action=action,
            notice=notice,
            language=notice.language if notice else (translation.get_language() or "en")[:2],
            method=method,
            given_by=given_by,
            guardian_name=guardian_name.strip(),
            recipient=recipient,
            country=recipient.country if recipient is not None else "",
            regime=regime,
        )
        if action == ConsentAction.GIVEN:
            audit.record(line, "privacy.consent.given", actor=actor, owner=recipient)
        else:
            audit.record(line, "privacy.consent.withdrawn", actor=actor, owner=recipient)
    return line


def consents_of(user: User) -> list[Consent]:
    """The newest line per purpose (and recipient) of ``user``: what is in force now."""
    seen: set[tuple[str, int | None]] = set()
    current = []
    for line in Consent.objects.filter(user=user).select_related("notice", "recipient"):
        key = (line.purpose, line.recipient_id)
        if key not in seen:
            seen.add(key)
            current.append(line)
    return current


def newest_action(
    purpose: str, *, user_field: str | None = "pk", email_field: str | None = None
) -> Subquery:
    """The newest ledger action ("given", "withdrawn" or NULL) for ``purpose`` (not a
    recipient's) of the person at ``user_field`` (a user) or ``email_field`` (an address) of
    the outer query."""
    lines = Consent.objects.filter(purpose=purpose, recipient__isnull=True)
    if email_field is not None:
        lines = lines.filter(email__iexact=OuterRef(email_field))
    else:
        lines = lines.filter(user=OuterRef(user_field or "pk"))
    return Subquery(lines.order_by("-recorded_at", "-id").values("action")[:1])


def without_withdrawn(
    queryset: QuerySet[Any],
    purpose: str,
    *,
    user_field: str | None = "pk",
    email_field: str | None = None,
) -> Any:
    """``queryset`` less the rows whose person withdrew consent for ``purpose``: processing that
    began before the ledger (digests, listings) stops on the next request. One subquery, no
    extra query."""
    # NULL (no line yet) must count as "not withdrawn": NOT (NULL = 'withdrawn') is NULL
    newest = Coalesce(
        newest_action(purpose, user_field=user_field, email_field=email_field),
        Value(""),
        output_field=CharField(),
    )
    return queryset.annotate(_consent_now=newest).exclude(_consent_now=ConsentAction.WITHDRAWN)


def withdrawn(subject: User | str | None, purpose: str, recipient: Any = None) -> bool:
    if subject is None:
        return False
    line = _latest(subject, purpose, recipient)
    return line is not None and line.action == ConsentAction.WITHDRAWN


def allows(subject: User | str | None, purpose: str, recipient: Any = None) -> bool:
    """The foundation's question (``setu.core.registries.consent_allows``): not withdrawn."""
    return not withdrawn(subject, purpose, recipient)
