"""Telling people about new shared records: immediate emails, daily and weekly digests.

Items come from the search index, so every registered source with ``digest=True`` (documents
and announcements now, events and published minutes once their apps register) feeds the
emails, and the permission filter is the search's own. ``SentNotification`` holds one row per
user and item: nothing is ever sent twice, by any channel, however often a job reruns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.accounts.models import Membership, User
from setu.core.audience import readers_q
from setu.core.i18n import localized
from setu.core.principal import principal_for
from setu.library.models import (
    Channel,
    DigestRun,
    Frequency,
    NotificationPreference,
    Scope,
    SearchEntry,
    SentNotification,
)
from setu.library.models.notifications import DEFAULT_FREQUENCY
from setu.library.search.registry import get_source, sources
from setu.privacy.consent import without_withdrawn
from setu.privacy.models import Purpose

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "setu.library.unsubscribe"
MAX_DIGEST_ITEMS = 50
DIGEST_WINDOW: dict[str, timedelta] = {
    Frequency.DAILY: timedelta(days=2),
    Frequency.WEEKLY: timedelta(days=8),
}


def digest_hour() -> int:
    return int(getattr(settings, "SETU_DIGEST_HOUR", 8))


def preference_for(user: User) -> NotificationPreference:
    """The user's saved choice, or the defaults (not saved)."""
    try:
        return user.library_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


# --- who may read, who cares ---------------------------------------------------------------


def readers_of(
    *,
    owner_id: int | None,
    managed_by_id: int | None,
    visibility: str,
    reader_ids: Iterable[int] = (),
) -> QuerySet[User]:
    """The active users who may read a record: the core's audience query (``readers_q``),
    with the members of the organisations it was shared with (``reader_ids``)."""
    return User.objects.filter(
        readers_q(
            visibility=visibility,
            owner_id=owner_id,
            managed_by_id=managed_by_id,
            reader_org_ids=reader_ids,
        ),
        is_active=True,
    )


def relevance_q(user: User) -> Q | None:
    """Entries that concern ``user``'s organisations: sharing one of their sectors, naming
    them, owned by them, or tied to no sector at all. None when the user has no sectors."""
    from setu.directory.models import Organisation

    org_ids = principal_for(user).org_ids
    sector_ids = list(
        Organisation.sectors.through.objects.filter(organisation_id__in=org_ids).values_list(
            "sector_id", flat=True
        )
    )
    if not sector_ids:
        return None
    sectors = SearchEntry.sectors.through.objects.filter(searchentry_id=OuterRef("pk"))
    named = SearchEntry.organisations.through.objects.filter(
        searchentry_id=OuterRef("pk"), organisation_id__in=org_ids
    )
    return (
        ~Q(Exists(sectors))
        | Q(Exists(sectors.filter(sector_id__in=sector_ids)))
        | Q(Exists(named))
        | Q(owner_id__in=org_ids)
    )


def digest_source_names(preference: NotificationPreference) -> list[str]:
    muted = set(preference.muted_sources or [])
    return [source.name for source in sources() if source.digest and source.name not in muted]


def items_for(
    user: User, *, since: datetime, until: datetime, preference: NotificationPreference
) -> list[SearchEntry]:
    """New shared entries ``user`` may read and cares about, not told to them before."""
    queryset = SearchEntry.objects.visible_to(user).filter(
        source__in=digest_source_names(preference), shared_at__gt=since, shared_at__lte=until
    )
    if preference.scope == Scope.RELEVANT:
        relevant = relevance_q(user)
        if relevant is not None:
            queryset = queryset.filter(relevant)
    told = SentNotification.objects.filter(user=user, item_key=OuterRef("key"))
    queryset = queryset.exclude(Exists(told)).select_related("owner")
    return list(queryset.order_by("source", "-date", "-id")[:MAX_DIGEST_ITEMS])


# --- emails ----------------------------------------------------------------------------------


def unsubscribe_token(user: User, what: str) -> str:
    """A signed, non-expiring token: ``what`` is "digest" or "announcements"."""
    return signing.dumps({"u": user.pk, "w": what}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") not in ("digest", "announcements"):
        return None
    user_id = data.get("u")
    return (user_id, data["w"]) if isinstance(user_id, int) else None


def unsubscribe_url(user: User, what: str) -> str:
    return settings.SETU_BASE_URL + reverse(
        "library:unsubscribe", args=[unsubscribe_token(user, what)]
    )


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    owner: str
    date: datetime
    label: str


def _items(entries: Sequence[SearchEntry], language: str) -> list[Item]:
    items = []
    for entry in entries:
        source = get_source(entry.source)
        label = source.describe(entry.kind) if source else entry.source
        items.append(
            Item(
                title=localized(entry, "title", language) or entry.key,
                url=settings.SETU_BASE_URL + entry.url,
                owner=localized(entry.owner, "name", language) if entry.owner else "",
                date=timezone.localtime(entry.date),
                label=label,
            )
        )
    return items


def _send(user: User, subject: str, template: str, context: dict[str, Any], what: str) -> None:
    """Render in the user's language and time zone, then hand to the worker after commit."""
    from setu.library.tasks import send_notification_email

    link = unsubscribe_url(user, what)
    body = render_to_string(
        template,
        {**context, "user": user, "unsubscribe_url": link, "base_url": settings.SETU_BASE_URL},
    )
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    transaction.on_commit(
        lambda: send_notification_email.enqueue(
            subject=subject, body=body, to=[user.email], headers=headers
        )
    )


def _user_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def claim(user: User, keys: Iterable[str], channel: str) -> list[str]:
    """Record ``keys`` as told to ``user``; return those that were not told before."""
    fresh = []
    for key in keys:
        _row, created = SentNotification.objects.get_or_create(
            user=user, item_key=key, defaults={"channel": channel}
        )
        if created:
            fresh.append(key)
    return fresh


# --- digests ---------------------------------------------------------------------------------


def period_key(frequency: str, local: datetime) -> str:
    if frequency == Frequency.WEEKLY:
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.date().isoformat()


def due(now: datetime) -> Iterator[tuple[User, str, str]]:
    """(user, frequency, period) for every user whose digest falls in this hour."""
    zones = User.objects.filter(is_active=True).values_list("time_zone", flat=True).distinct()
    for zone_name in zones:
        try:
            local = now.astimezone(ZoneInfo(zone_name or "UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            continue
        if local.hour != digest_hour():
            continue
        wanted = [Frequency.DAILY] + ([Frequency.WEEKLY] if local.weekday() == 0 else [])
        chosen = Q(library_preference__frequency__in=wanted)
        if DEFAULT_FREQUENCY in wanted:  # the default goes to members of the network only
            member = Membership.objects.filter(user_id=OuterRef("pk"))
            chosen |= Q(library_preference__isnull=True) & Q(Exists(member))
        users = without_withdrawn(
            User.objects.filter(is_active=True, time_zone=zone_name)
            .filter(chosen)
            .select_related("library_preference")
            .order_by("pk"),
            Purpose.NEWSLETTERS,  # a withdrawal in the consent ledger stops the digest
        )
        for user in users:
            frequency = preference_for(user).frequency
            yield user, frequency, period_key(frequency, local)


def send_digest(user: User, *, frequency: str, period: str, now: datetime) -> int:
    """One user's digest for one period: at most once; returns how many items it held."""
    preference = preference_for(user)
    with transaction.atomic():
        run, created = DigestRun.objects.get_or_create(
            user=user, period=period, defaults={"frequency": frequency, "sent_at": now}
        )
        if not created:
            return 0
        entries = items_for(
            user, since=now - DIGEST_WINDOW[frequency], until=now, preference=preference
        )
        fresh = set(claim(user, [entry.key for entry in entries], Channel.DIGEST))
        entries = [entry for entry in entries if entry.key in fresh]
        run.items = len(entries)
        run.save(update_fields=["items"])
        if entries:
            with translation.override(user.language), timezone.override(_user_zone(user)):
                items = _items(entries, user.language)
                subject = (
                    ngettext(
                        "Setu daily digest: %(count)s new item",
                        "Setu daily digest: %(count)s new items",
                        len(items),
                    )
                    if frequency == Frequency.DAILY
                    else ngettext(
                        "Setu weekly digest: %(count)s new item",
                        "Setu weekly digest: %(count)s new items",
                        len(items),
                    )
                ) % {"count": len(items)}
                _send(
                    user,
                    subject,
                    "library/email/digest.txt",
                    {"items": items, "frequency": frequency},
                    "digest",
                )
    return len(entries)


def send_due_digests(now: datetime | None = None) -> tuple[int, int]:
    """Every digest due this hour; returns (emails, items). Safe to rerun: idempotent."""
    now = now or timezone.now()
    emails = items = 0
    for user, frequency, period in due(now):
        count = send_digest(user, frequency=frequency, period=period, now=now)
        emails += bool(count)
        items += count
    return emails, items


# --- immediate and pushed ------------------------------------------------------------------


def notify_shared(keys: Sequence[str]) -> int:
    """Email the users who chose "immediate" about entries that just became shared."""
    sent = 0
    entries = SearchEntry.objects.filter(key__in=keys).select_related("owner")
    for entry in entries:
        source = get_source(entry.source)
        if source is None or not source.digest:
            continue
        readers = readers_of(
            owner_id=entry.owner_id,
            managed_by_id=entry.managed_by_id,
            visibility=entry.visibility,
            reader_ids=entry.readers.values_list("pk", flat=True),
        ).filter(library_preference__frequency=Frequency.IMMEDIATE)
        readers = without_withdrawn(readers, Purpose.NEWSLETTERS)
        for user in readers.select_related("library_preference"):
            preference = preference_for(user)
            if entry.source in (preference.muted_sources or []):
                continue
            if preference.scope == Scope.RELEVANT:
                relevant = relevance_q(user)
                if relevant is not None and not (
                    SearchEntry.objects.filter(pk=entry.pk).filter(relevant).exists()
                ):
                    continue
            with transaction.atomic():
                if not claim(user, [entry.key], Channel.IMMEDIATE):
                    continue
                with translation.override(user.language), timezone.override(_user_zone(user)):
                    item = _items([entry], user.language)[0]
                    subject = _("New on Setu: %(title)s") % {"title": item.title}
                    _send(user, subject, "library/email/immediate.txt", {"item": item}, "digest")
            sent += 1
    return sent


def push_announcement(announcement_id: int) -> int:
    """Send an announcement to everyone who may read it, in their language; at most once."""
    from setu.library.models import Announcement

    announcement = Announcement.objects.select_related("owner").filter(pk=announcement_id).first()
    if announcement is None or not announcement.push_email:
        return 0
    key = f"library.announcement:{announcement.pk}"
    readers = readers_of(
        owner_id=announcement.owner_id,
        managed_by_id=announcement.owner.managed_by_id,
        visibility=announcement.visibility,
    ).exclude(library_preference__announcement_emails=False)
    readers = without_withdrawn(readers, Purpose.NEWSLETTERS)
    sent = 0
    for user in readers.order_by("pk"):
        with transaction.atomic():
            if not claim(user, [key], Channel.PUSH):
                continue
            with translation.override(user.language), timezone.override(_user_zone(user)):
                context = {
                    "title": localized(announcement, "title", user.language),
                    "body": localized(announcement, "body", user.language),
                    "owner": localized(announcement.owner, "name", user.language),
                    "published_at": timezone.localtime(announcement.published_at),
                    "url": settings.SETU_BASE_URL + announcement.get_absolute_url(),
                }
                _send(
                    user,
                    str(context["title"]),
                    "library/email/announcement.txt",
                    context,
                    "announcements",
                )
        sent += 1
    Announcement.objects.filter(pk=announcement.pk).update(pushed_at=timezone.now())
    return sent
