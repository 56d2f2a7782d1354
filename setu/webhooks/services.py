"""Writes of webhooks: subscriptions, and the sending of deliveries with retries.

Subscriptions change through these functions only (audited). Deliveries come from the
domain-event listener ``deliveries_for``, from the "send a test event" button and from a
manual redelivery; ``delivery_attempt`` (the worker's) sends one try and decides what next.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.accounts.tasks import send_email
from setu.core import audit
from setu.core.domain_events import KINDS, DomainEvent
from setu.core.timefmt import zone
from setu.core.writes import assign
from setu.directory.models import Organisation
from setu.webhooks import network, signing
from setu.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Subscription,
    new_secret,
)
from setu.webhooks.rules import MANAGING_ROLES

TEST_KIND = "webhook.test"
FIELDS = ["url", "description", "kinds"]


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("SETU_WEBHOOKS_MAX_ATTEMPTS", 8)


def pause_after() -> int:
    """Consecutive failed tries (over all deliveries) after which a subscription is paused."""
    return _setting("SETU_WEBHOOKS_PAUSE_AFTER", 20)


def retry_delay(attempt: int, *, rng: random.Random | None = None) -> timedelta:
    """How long to wait after failed try number ``attempt`` (1, 2, …): doubling from
    SETU_WEBHOOKS_RETRY_BASE_SECONDS (30 s), at most six hours, ±20 % jitter so that a receiver
    coming back is not hit by every retry at once."""
    base = _setting("SETU_WEBHOOKS_RETRY_BASE_SECONDS", 30)
    seconds = min(6 * 3600, base * 2 ** (attempt - 1))
    return timedelta(seconds=seconds * (rng or random).uniform(0.8, 1.2))


# --- subscriptions ------------------------------------------------------------------------


def _check_kinds(kinds: Sequence[str]) -> list[str]:
    chosen = sorted(set(kinds))
    if not chosen:
        raise ValidationError({"kinds": _("Choose at least one event.")})
    unknown = [kind for kind in chosen if kind not in KINDS]
    if unknown:
        raise ValidationError({"kinds": _("Unknown event: %(kind)s.") % {"kind": unknown[0]}})
    return chosen


def _check_url(url: str) -> None:
    try:
        network.check_url(url)
    except network.Refused as refused:
        raise ValidationError({"url": str(refused)}) from None


def _fields(data: Mapping[str, Any], kinds: list[str]) -> dict[str, Any]:
    return {"url": data["url"], "description": data.get("description", ""), "kinds": kinds}


@transaction.atomic
def subscription_create(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Subscription:
    if not actor.has_perm("webhooks.manage", organisation):
        raise ValidationError(_("You do not manage this organisation's webhooks."))
    kinds = _check_kinds(data.get("kinds", []))
    _check_url(data["url"])
    subscription = Subscription(organisation=organisation, created_by=actor)
    assign(subscription, _fields(data, kinds))
    subscription.save()
    audit.record(
        subscription,
        "webhooks.subscription.created",
        actor=actor,
        owner=organisation,
        changes={"url": [None, subscription.url], "kinds": [None, ", ".join(kinds)]},
    )
    return subscription


@transaction.atomic
def subscription_update(
    *, actor: User, subscription: Subscription, data: Mapping[str, Any]
) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = audit.snapshot(subscription, fields=FIELDS)
    kinds = _check_kinds(data.get("kinds", []))
    if data["url"] != subscription.url:
        _check_url(data["url"])
    assign(subscription, _fields(data, kinds))
    subscription.save()
    changes = audit.field_changes(before, audit.snapshot(subscription, fields=FIELDS))
    if changes:
        audit.record(
            subscription,
            "webhooks.subscription.changed",
            actor=actor,
            owner=subscription.organisation,
            changes=changes,
        )
    return subscription


@transaction.atomic
def subscription_set_active(
    *, actor: User | None, subscription: Subscription, active: bool, reason: str = ""
) -> Subscription:
    """Pause or resume. Resuming starts the failure count afresh and sends what waited."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.active == active:
        return subscription
    subscription.active = active
    subscription.disabled_reason = "" if active else reason
    subscription.consecutive_failures = 0
    subscription.save(update_fields=["active", "disabled_reason", "consecutive_failures"])
    audit.record(
        subscription,
        "webhooks.subscription.resumed" if active else "webhooks.subscription.paused",
        actor=actor,
        owner=subscription.organisation,
        changes={"active": [not active, active], **({"reason": [None, reason]} if reason else {})},
    )
    if active:
        waiting = list(
            Delivery.objects.filter(
                subscription=subscription,
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
            ).values_list("pk", flat=True)
        )
        if waiting:
            _enqueue_after_commit(waiting)
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, actor: User, subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret"])
    audit.record(
        subscription,
        "webhooks.subscription.secret_rotated",
        actor=actor,
        owner=subscription.organisation,
    )
    return subscription


@transaction.atomic
def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    organisation = subscription.organisation
    audit.record(
        subscription,
        "webhooks.subscription.deleted",
        actor=actor,
        owner=organisation,
        changes={"url": [subscription.url, None]},
    )
    subscription.delete()


# --- deliveries ---------------------------------------------------------------------------


def _enqueue_after_commit(delivery_ids: list[int]) -> None:
    from setu.webhooks.tasks import dispatch

    def enqueue() -> None:
        for start in range(0, len(delivery_ids), 500):
            dispatch.enqueue(delivery_ids=delivery_ids[start : start + 500])

    transaction.on_commit(enqueue)


def deliveries_for(events: Sequence[DomainEvent]) -> None:
    """The domain-event listener: one delivery per event and active subscription that wants
    it among the organisations the event concerns."""
    deliveries_create(events)


def deliveries_create(events: Sequence[DomainEvent]) -> int:
    """Create and queue the deliveries of ``events``; returns how many."""
    organisation_ids = set().union(*(event.organisation_ids for event in events))
    if not organisation_ids:
        return 0
    wanted: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in Subscription.objects.filter(
        active=True, organisation_id__in=organisation_ids
    ).only("pk", "organisation_id", "kinds"):
        wanted[subscription.organisation_id].append(subscription)
    if not wanted:
        return 0
    rows = [
        Delivery(
            subscription=subscription,
            kind=event.kind,
            payload=event.payload,
            occurred_at=event.occurred_at,
        )
        for event in events
        for organisation_id in sorted(event.organisation_ids)
        for subscription in wanted.get(organisation_id, ())
        if event.kind in subscription.kinds
    ]
    with transaction.atomic():
        created = Delivery.objects.bulk_create(rows, batch_size=1000)
        _enqueue_after_commit([delivery.pk for delivery in created])
    return len(created)


@transaction.atomic
def send_test(*, actor: User, subscription: Subscription) -> Delivery:
    """Queue a ``webhook.test`` delivery, so a receiver can be checked before real events."""
    delivery = Delivery.objects.create(
        subscription=subscription,
        kind=TEST_KIND,
        payload={"organisation": subscription.organisation_id, "test": True},
        occurred_at=timezone.now(),
    )
    audit.record(
        subscription, "webhooks.delivery.test_sent", actor=actor, owner=subscription.organisation
    )
    _enqueue_after_commit([delivery.pk])
    return delivery


@transaction.atomic
def redeliver(*, actor: User, delivery: Delivery) -> Delivery:
    """Send a delivery again as a new one with the same event id (receivers may de-duplicate)."""
    copy = Delivery.objects.create(
        subscription=delivery.subscription,
        event_id=delivery.event_id,
        kind=delivery.kind,
        payload=delivery.payload,
        occurred_at=delivery.occurred_at,
    )
    audit.record(
        delivery.subscription,
        "webhooks.delivery.redelivered",
        actor=actor,
        owner=delivery.subscription.organisation,
        changes={"event": [None, str(delivery.event_id)]},
    )
    _enqueue_after_commit([copy.pk])
    return copy


def body_of(delivery: Delivery) -> bytes:
    """The JSON a receiver gets: the event's id, kind, time and payload (ids and codes)."""
    document = {
        "id": str(delivery.event_id),
        "type": delivery.kind,
        "created_at": delivery.occurred_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def headers_of(delivery: Delivery, body: bytes, *, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Setu-Webhooks/1.0",
        "Setu-Event": delivery.kind,
        "Setu-Delivery": str(delivery.event_id),
        signing.HEADER: signing.header_value(
            delivery.subscription.secret, int(now.timestamp()), body
        ),
    }


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Send one try of a delivery (the worker's task) and record it.

    A 2xx answer delivers it; anything else (another status, a refused or unreachable
    address, a timeout) schedules the next try after ``retry_delay`` until
    ``SETU_WEBHOOKS_MAX_ATTEMPTS``; ``SETU_WEBHOOKS_PAUSE_AFTER`` failed tries in a row pause
    the subscription and email its organisation. A paused subscription's deliveries wait.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("subscription__organisation")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return delivery
        if not delivery.subscription.active:
            return delivery
        now = now or timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
            return delivery  # an early duplicate of a scheduled retry
        body = body_of(delivery)
        attempt = Attempt(delivery=delivery, number=delivery.attempts + 1, at=now)
        try:
            response = network.post(
                delivery.subscription.url,
                body,
                headers_of(delivery, body, now=now),
                timeout=_setting("SETU_WEBHOOKS_TIMEOUT_SECONDS", 5),
            )
        except network.Refused as refused:
            attempt.error = str(refused)[:300]
        except OSError as error:
            attempt.error = (str(error) or error.__class__.__name__)[:300]
        else:
            attempt.status_code = response.status_code
            attempt.response_excerpt = response.body[:500]
            attempt.duration_ms = response.duration_ms
        attempt.save()
        delivery.attempts = attempt.number
        return _after_attempt(delivery, attempt, now)


def _after_attempt(delivery: Delivery, attempt: Attempt, now: datetime) -> Delivery:
    subscription = delivery.subscription
    if attempt.succeeded:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "attempts"])
        if subscription.consecutive_failures:
            Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return delivery
    if delivery.attempts >= max_attempts():
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        _schedule_retry(delivery.pk, delivery.next_attempt_at)
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    failures = subscription.consecutive_failures + 1
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=failures)
    if failures >= pause_after():
        _pause_failing(subscription, failures)
    return delivery


def _schedule_retry(delivery_id: int, when: datetime) -> None:
    """Queue the next try for ``when``. A backend that cannot defer (the tests' immediate one)
    leaves it to ``manage.py webhooks_retry``, which sends what is due."""
    from setu.webhooks.tasks import deliver

    if not deliver.get_backend().supports_defer:
        return
    transaction.on_commit(lambda: deliver.using(run_after=when).enqueue(delivery_id=delivery_id))


def _pause_failing(subscription: Subscription, failures: int) -> None:
    reason = _("Paused after %(count)s failed tries in a row.") % {"count": failures}
    with translation.override(settings.LANGUAGE_CODE):
        subscription_set_active(actor=None, subscription=subscription, active=False, reason=reason)
    recipients = User.objects.filter(
        is_active=True,
        memberships__organisation_id=subscription.organisation_id,
        memberships__role__in=sorted(MANAGING_ROLES),
    ).distinct()
    for user in recipients:
        with translation.override(user.language), timezone.override(zone(user.time_zone)):
            subject = _("Setu paused a webhook: %(url)s") % {"url": subscription.url}
            body = render_to_string(
                "webhooks/email/paused.txt",
                {
                    "recipient": user,
                    "subscription": subscription,
                    "failures": failures,
                    "base_url": settings.SETU_BASE_URL,
                },
            )
        transaction.on_commit(
            partial(send_email.enqueue, subject=subject, body=body, to=[user.email])
        )


def retry_due(*, now: datetime | None = None) -> int:
    """Send every delivery whose next try is due (``manage.py webhooks_retry``, for cron)."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            subscription__active=True,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        )
        .exclude(next_attempt_at__gt=now)
        .values_list("pk", flat=True)
    )
    for delivery_id in due:
        delivery_attempt(delivery_id=delivery_id, now=now)
    return len(due)
