"""Reminders of overdue next steps, sent by the cron job ``send_results_reminders``.

One email per lead and due date to the owner prefecture's officers: the lead row is marked
(``next_step_reminded_for``) by a conditional update in the transaction that queues the email,
so running the job twice, or twice at once, sends nothing twice; a new due date missed again
earns a new reminder.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.coordination.notifications import notify, staff_of
from setu.results.models import CLOSING_STAGES, Lead


def overdue_reminders_send(*, today: date | None = None) -> int:
    """Queue a reminder for every open lead whose next step is overdue and not reminded for
    that due date yet; return how many emails were queued."""
    today = today or timezone.localdate()
    due = (
        Lead.objects.filter(next_step_due__lt=today)
        .exclude(stage__in=CLOSING_STAGES)
        .filter(
            Q(next_step_reminded_for__isnull=True) | ~Q(next_step_reminded_for=F("next_step_due"))
        )
        .select_related("owner", "company")
        .order_by("owner_id", "next_step_due", "pk")
    )
    queued = 0
    for lead in due:
        with transaction.atomic():
            claimed = (
                Lead.objects.filter(pk=lead.pk, next_step_due=lead.next_step_due)
                .filter(
                    Q(next_step_reminded_for__isnull=True)
                    | ~Q(next_step_reminded_for=lead.next_step_due)
                )
                .update(next_step_reminded_for=lead.next_step_due)
            )
            if claimed:
                queued += notify(
                    staff_of([lead.owner_id]),
                    subject=_("Next step overdue: %(title)s"),
                    subject_params={"title": lead.title},
                    template="results/email/next_step_overdue.txt",
                    context={"lead": lead},
                )
    return queued
