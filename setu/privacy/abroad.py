"""Personal data shown to an organisation in another country is a provision to a third party
abroad (APPI Art. 28; DPDP s. 16): each is recorded once per recipient organisation, person
and day, and listed on the person's privacy page (docs/privacy.md).

A person who withdrew "sharing with partners abroad" (in general, or for that recipient) is
not shown abroad where the caller honours it (directory contacts); a person who never answered
is (the ledger's "no line" is not a withdrawal).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from setu.core import audit
from setu.core.principal import principal_for
from setu.core.registries import Shown
from setu.directory.models import Organisation
from setu.privacy.models import Consent, ConsentAction, Provision, Purpose

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def recipients_abroad(reader: User | AnonymousUser, home_countries: set[str]) -> list[Organisation]:
    """The reader's organisations in a country other than the person's (one query)."""
    if not reader.is_authenticated or not home_countries:
        return []
    org_ids = principal_for(reader).org_ids
    if not org_ids:
        return []
    return list(
        Organisation.objects.filter(pk__in=org_ids)
        .exclude(country="")
        .exclude(country__in=home_countries)
        .order_by("pk")
    )


def _newest_abroad_lines(user: User, recipients: list[Organisation]) -> dict[int, Consent | None]:
    """Per recipient, the newest "sharing abroad" line that concerns it: one naming it, or one
    naming no recipient (a general withdrawal from the privacy page)."""
    lines = list(
        Consent.objects.filter(user=user, purpose=Purpose.ABROAD)
        .filter(Q(recipient__isnull=True) | Q(recipient__in=recipients))
        .order_by("-recorded_at", "-id")
    )
    return _newest_per_recipient(lines, [recipient.pk for recipient in recipients])


def _newest_per_recipient(
    lines: list[Consent], recipient_ids: Iterable[int]
) -> dict[int, Consent | None]:
    """``lines`` newest first; per recipient, the first naming it or naming none."""
    return {
        pk: next((line for line in lines if line.recipient_id in (None, pk)), None)
        for pk in recipient_ids
    }


def _withdrawn(newest: Iterable[Consent | None]) -> bool:
    """Whether any of the newest lines per recipient withdraws sharing abroad."""
    return any(line is not None and line.action == ConsentAction.WITHDRAWN for line in newest)


def provision_shown(
    *,
    user: User,
    recipients: list[Organisation],
    what: Any,
    honour_withdrawal: bool = True,
    basis: Consent | None = None,
) -> bool:
    """Record that ``user``'s data (``what``, translated into the person's language) is shown
    to ``recipients`` today, unless already recorded today. Answers False, recording nothing,
    when ``honour_withdrawal`` and the person withdrew sharing abroad for any recipient."""
    if not recipients:
        return True
    newest = _newest_abroad_lines(user, recipients)
    if honour_withdrawal and _withdrawn(newest.values()):
        return False
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(
        Provision.objects.filter(
            user=user, recipient__in=recipients, provided_at__gte=today
        ).values_list("recipient_id", flat=True)
    )
    missing = [recipient for recipient in recipients if recipient.pk not in already]
    if not missing:
        return True
    cited = {pk: line if line and line.action == ConsentAction.GIVEN else basis
             for pk, line in newest.items()}  # fmt: skip
    _record_provisions(((user, recipient, cited[recipient.pk]) for recipient in missing), what)
    return True


def provide_abroad(*, shown: list[Shown], reader: User | AnonymousUser, what: Any) -> set[Any]:
    """core's hook (``setu.core.registries.withheld_abroad``) for the directory's contacts: a
    page, an API page or an export batch of people in five queries, whatever its length, plus
    one write and one audit entry per new provision. Answers the keys to withhold."""
    if not reader.is_authenticated:
        return set()
    org_ids = principal_for(reader).org_ids
    if not org_ids:
        return set()
    reader_orgs = list(
        Organisation.objects.filter(pk__in=org_ids).exclude(country="").order_by("pk")
    )
    abroad_for = {
        row.key: [org for org in reader_orgs if org.country not in row.home_countries]
        for row in shown
        if row.email and row.home_countries
    }
    emails = {row.email.strip().lower() for row in shown if abroad_for.get(row.key)}
    if not emails:
        return set()
    users = {user.email: user for user in get_user_model().objects.filter(email__in=emails)}
    if not users:  # not Setu users: no ledger, no privacy page to list a provision on
        return set()
    recipients = {org.pk for orgs in abroad_for.values() for org in orgs}
    lines: dict[int | None, list[Consent]] = {}
    for line in (
        Consent.objects.filter(user__in=users.values(), purpose=Purpose.ABROAD)
        .filter(Q(recipient__isnull=True) | Q(recipient__in=recipients))
        .order_by("-recorded_at", "-id")
    ):
        lines.setdefault(line.user_id, []).append(line)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(
        Provision.objects.filter(
            user__in=users.values(), recipient__in=recipients, provided_at__gte=today
        ).values_list("user_id", "recipient_id")
    )
    withheld: set[Any] = set()
    new: dict[tuple[int, int], tuple[User, Organisation, Consent | None]] = {}
    for row in shown:
        user = users.get(row.email.strip().lower())
        if user is None or not abroad_for.get(row.key):
            continue
        mine = lines.get(user.pk, [])
        newest = _newest_per_recipient(mine, [org.pk for org in abroad_for[row.key]])
        if _withdrawn(newest.values()):
            withheld.add(row.key)
            continue
        for org in abroad_for[row.key]:
            if (user.pk, org.pk) not in already:
                new[(user.pk, org.pk)] = (user, org, newest[org.pk])
    if new:
        _record_provisions(new.values(), what)
    return withheld


def _record_provisions(new: Iterable[tuple[User, Organisation, Consent | None]], what: Any) -> None:
    """One provision and one audit entry each; ``what`` written in each person's language."""
    described: dict[str, str] = {}
    with transaction.atomic():
        for user, recipient, line in new:
            language = user.language or "en"
            if language not in described:
                with translation.override(language):
                    described[language] = str(what)[:200]
            provision = Provision.objects.create(
                user=user, recipient=recipient, country=recipient.country,
                what=described[language], consent=line,
            )  # fmt: skip
            audit.record(provision, "privacy.provision.recorded", actor=None, owner=recipient)


def home_countries(user: User) -> set[str]:
    """The countries of ``user``'s organisations (one query)."""
    org_ids = principal_for(user).org_ids
    if not org_ids:
        return set()
    return set(
        Organisation.objects.filter(pk__in=org_ids)
        .exclude(country="")
        .values_list("country", flat=True)
    )
