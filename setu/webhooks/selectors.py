"""Reading webhook subscriptions and their deliveries: only the managing organisation's."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from setu.core.access import get_visible_or_404
from setu.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from setu.webhooks.rules import managed_organisation_ids


def subscription_list(*, user: Any, organisation_id: int | None = None) -> QuerySet[Subscription]:
    """The subscriptions of the organisations ``user`` manages (of one of them, when
    ``organisation_id`` is given), with their delivery counts."""
    managed = managed_organisation_ids(user)
    if organisation_id is not None:
        managed &= {organisation_id}
    return (
        Subscription.objects.filter(organisation_id__in=managed)
        .select_related("organisation")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failing=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DeliveryStatus.RETRYING, DeliveryStatus.FAILED]),
            ),
            last_delivery=Max("deliveries__created_at"),
        )
        .order_by("organisation_id", "id")
    )


def access_subscription(user: Any, pk: Any) -> Subscription:
    return get_visible_or_404(
        Subscription.objects.filter(
            organisation_id__in=managed_organisation_ids(user)
        ).select_related("organisation"),
        pk,
    )


def delivery_log(*, subscription: Subscription, limit: int = 50) -> list[Delivery]:
    """The newest deliveries of a subscription, each with its tries (two queries)."""
    return list(
        Delivery.objects.filter(subscription=subscription)
        .prefetch_related(Prefetch("tries", queryset=Attempt.objects.order_by("number")))
        .order_by("-id")[:limit]
    )


def access_delivery(user: Any, pk: Any) -> Delivery:
    return get_visible_or_404(
        Delivery.objects.filter(
            subscription__organisation_id__in=managed_organisation_ids(user)
        ).select_related("subscription__organisation"),
        pk,
    )
