"""Emails from coordination, each rendered in its recipient's language and time zone and sent
by the worker after the write commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from setu.accounts.models import STAFF_ROLES, Role, User
from setu.accounts.tasks import send_email
from setu.core.timefmt import zone


def staff_of(organisation_ids: Iterable[int]) -> list[User]:
    """The officers and secretariat staff of these organisations: who answers for a member."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
            memberships__role__in=sorted(STAFF_ROLES),
        )
        .distinct()
        .order_by("id")
    )


def people_of(organisation_ids: Iterable[int]) -> list[User]:
    """Everyone in these organisations except students."""
    return list(
        User.objects.filter(is_active=True, memberships__organisation_id__in=list(organisation_ids))
        .exclude(memberships__role=Role.STUDENT)
        .distinct()
        .order_by("id")
    )


def notify(
    recipients: Iterable[User],
    *,
    subject: Promise | str,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, Any] | None = None,
) -> int:
    """Render ``template`` for each recipient and enqueue one email each after commit.

    ``subject`` is a lazy translatable string with ``%(name)s`` placeholders filled from
    ``subject_params``. Returns the number of emails queued.
    """
    count = 0
    for user in {user.pk: user for user in recipients if user.email}.values():
        with translation.override(user.language), timezone.override(zone(user.time_zone)):
            text = str(subject) % dict(subject_params or {})
            body = render_to_string(
                template, {**context, "recipient": user, "base_url": settings.SETU_BASE_URL}
            )
        transaction.on_commit(partial(send_email.enqueue, subject=text, body=body, to=[user.email]))
        count += 1
    return count
