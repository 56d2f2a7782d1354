"""Retention: each registered category's expired rows erased or anonymised (docs/privacy.md).

Periods are days in ``settings.SETU_RETENTION_DAYS`` by category key; a category without a
period is kept. The audit log is never deleted, only redacted (docs/decisions/0020), and not
before ``SETU_AUDIT_MIN_DAYS`` (a year) whatever its setting says.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from setu.privacy import registry
from setu.privacy.models import RetentionRun


def period_days(key: str) -> int | None:
    days = settings.SETU_RETENTION_DAYS.get(key)
    if days is None:
        return None
    if key == "logs":
        days = max(int(days), settings.SETU_AUDIT_MIN_DAYS)
    return int(days)


def retention_apply(*, dry_run: bool) -> list[str]:
    """One line per category: what was (or would be) erased or anonymised."""
    now = timezone.now()
    lines = []
    for category in registry.retention_categories():
        days = period_days(category.key)
        if days is None:
            lines.append(f"{category.key}: no period set, kept")
            continue
        cutoff = now - timedelta(days=days)
        rows = category.find_expired(cutoff)
        verb = "anonymise" if category.action == "anonymise" else "erase"
        if dry_run:
            found = registry.count(rows)
            lines.append(f"{category.key}: would {verb} {found} older than {days} days")
            continue
        with transaction.atomic():
            done = category.erase(rows)
        past = "anonymised" if verb == "anonymise" else "erased"
        lines.append(f"{category.key}: {past} {done} older than {days} days")
    RetentionRun.objects.create(ran_at=now, dry_run=dry_run, lines=lines)
    return lines
