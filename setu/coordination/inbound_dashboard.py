"""The dashboard card of visits to Japan for the host prefecture's officers: visitors who have
not sent their details, visitors whose visa documents are missing or out of date, and the
visits of this month (registered in ``CoordinationConfig.ready``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from setu.coordination.models import Direction, Mission, MissionStatus, Visitor
from setu.coordination.visa import documents_current
from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

CARD_SIZE = 5


def inbound_card(user: User | AnonymousUser) -> dict[str, Any]:
    officer_of = principal_for(user).officer_org_ids if user.is_authenticated else frozenset()
    if not officer_of:
        return {}
    today = timezone.localdate()
    upcoming = Visitor.objects.filter(
        mission__owner_id__in=officer_of,
        mission__direction=Direction.TO_JAPAN,
        mission__ends_on__gte=today,
        mission__status__in=(MissionStatus.PLANNED, MissionStatus.CONFIRMED),
        erased_at__isnull=True,
    ).select_related("mission")
    waiting = [v for v in upcoming if v.submitted_at is None]
    sent = [v for v in upcoming if v.submitted_at is not None][:20]
    not_generated = [v for v in sent if not documents_current(v)]
    month = list(
        Mission.objects.filter(
            owner_id__in=officer_of,
            direction=Direction.TO_JAPAN,
            starts_on__year=today.year,
            starts_on__month=today.month,
        ).exclude(status=MissionStatus.CANCELLED)[:CARD_SIZE]
    )
    if not (waiting or not_generated or month):
        return {}
    return {
        "inbound_card": True,
        "inbound_waiting": waiting[:CARD_SIZE],
        "inbound_waiting_count": len(waiting),
        "inbound_not_generated": not_generated[:CARD_SIZE],
        "inbound_month": month,
    }
