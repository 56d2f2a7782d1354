"""The library's background work: indexing, text extraction, notification emails."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def index_search_keys(*, keys: list[str]) -> int:
    """Index (or remove) these "source:pk" keys; email immediate subscribers of new shares."""
    from setu.library.search.indexing import index_keys

    newly_shared = index_keys(keys)
    if newly_shared:
        notify_shared_entries.enqueue(keys=newly_shared)
    return len(keys)


@task()
def extract_version_text(*, version_id: int) -> str:
    """Read the text of one uploaded version; a failure is recorded, never raised."""
    from setu.library.services import version_extract

    return version_extract(version_id=version_id)


@task()
def notify_shared_entries(*, keys: list[str]) -> int:
    from setu.library.notifications import notify_shared

    return notify_shared(keys)


@task()
def push_announcement(*, announcement_id: int) -> int:
    from setu.library.notifications import push_announcement as push

    return push(announcement_id)


@task()
def send_notification_email(
    *, subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> None:
    """Like ``setu.accounts.tasks.send_email``, with the List-Unsubscribe headers."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers or {})
    message.send()
