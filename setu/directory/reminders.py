"""Agreement expiry reminders: 90 days before ``valid_until``, to the owning prefecture's officers.

Run daily (``manage.py send_partnership_reminders``, from cron). Each agreement is reminded once
per end date: the date is recorded in the same transaction that queues the emails, so a rerun or
a restarted worker never sends twice, and a renewed end date is reminded again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from setu.accounts.models import Role, User
from setu.accounts.tasks import send_email
from setu.core import audit
from setu.directory.models import Partnership, PartnershipStatus

REMINDER_DAYS = 90


def _mail(subject: str, body: str, to: str) -> Callable[[], object]:
    return lambda: send_email.enqueue(subject=subject, body=body, to=[to])


def partnerships_due(today: date) -> list[int]:
    horizon = today + timedelta(days=REMINDER_DAYS)
    return list(
        Partnership.objects.filter(
            status=PartnershipStatus.ACTIVE, valid_until__gt=today, valid_until__lte=horizon
        )
        .filter(
            Q(expiry_reminder_sent_for__isnull=True) | ~Q(expiry_reminder_sent_for=F("valid_until"))
        )
        .values_list("pk", flat=True)
    )


def send_partnership_reminders(*, today: date, base_url: str) -> int:
    """Queue the reminders that are due; return how many agreements were reminded."""
    reminded = 0
    for pk in partnerships_due(today):
        with transaction.atomic():
            partnership = Partnership.objects.select_for_update().select_related("owner").get(pk=pk)
            if partnership.expiry_reminder_sent_for == partnership.valid_until:
                continue  # another run got here first
            officers = list(
                User.objects.filter(
                    memberships__organisation=partnership.owner,
                    memberships__role=Role.PREFECTURE_OFFICER,
                    is_active=True,
                ).distinct()
            )
            partnership.expiry_reminder_sent_for = partnership.valid_until
            partnership.save(update_fields=["expiry_reminder_sent_for"])
            audit.record(
                partnership,
                "directory.partnership.expiry_reminded",
                actor=None,
                changes={"valid_until": [None, str(partnership.valid_until)]},
            )
            for officer in officers:
                with translation.override(officer.language):
                    subject = _("An agreement ends on %(date)s: %(title)s") % {
                        "date": partnership.valid_until,
                        "title": partnership,
                    }
                    body = render_to_string(
                        "directory/email/partnership_expiry.txt",
                        {
                            "partnership": partnership,
                            "link": base_url + partnership.get_absolute_url(),
                            "officer": officer,
                        },
                    )
                transaction.on_commit(_mail(subject, body, officer.email))
            reminded += 1
    return reminded
