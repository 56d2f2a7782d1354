from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from setu.core.models import AuditEntry
from setu.core.principal import principal_for
from setu.core.registries import dashboard_parts

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def audit_entries(
    *,
    user: User | AnonymousUser,
    action: str = "",
    actor: str = "",
    content_type: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries ``user`` may read, filtered. Empty for anyone without a staff role."""
    principal = principal_for(user)
    entries = AuditEntry.objects.select_related("actor", "owner", "content_type")
    if not principal.is_secretariat:
        if not principal.is_officer:
            return entries.none()
        entries = entries.filter(
            Q(owner__in=principal.officer_org_ids)
            | Q(owner__managed_by__in=principal.officer_org_ids)
        )
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    if content_type is not None:
        entries = entries.filter(content_type_id=content_type)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(created_at__gte=datetime.combine(since, time.min, zone))
    if until:
        entries = entries.filter(created_at__lte=datetime.combine(until, time.max, zone))
    return entries


def dashboard_for(*, user: User | AnonymousUser) -> dict[str, Any]:
    """What the dashboard shows: the user's organisations by role, and what to do next."""
    from setu.accounts.models import Invitation, Membership
    from setu.accounts.selectors import invitation_list
    from setu.directory.models import Organisation

    principal = principal_for(user)
    if principal.user_id is None:
        return {"memberships": []}
    memberships = list(
        Membership.objects.filter(user_id=principal.user_id)
        .select_related("organisation")
        .order_by("organisation__name_en")
    )
    context: dict[str, Any] = {
        "memberships": memberships,
        # Someone in no organisation yet may have signed up without the invitation's link.
        "invitations_for_me": []
        if memberships
        else list(
            Invitation.objects.pending()
            .filter(email__iexact=getattr(user, "email", ""))
            .select_related("organisation")
        ),
        # What the activity apps add (announcements, meeting invitations): registries.py.
        **dashboard_parts(user),
    }
    if principal.is_officer:
        context["managed_companies"] = Organisation.objects.filter(
            managed_by__in=principal.officer_org_ids
        ).count()
    if principal.is_staff_role:
        context["pending_invitations"] = (
            invitation_list(user=user)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .count()
        )
        context["recent_audit"] = list(audit_entries(user=user)[:5])
    return context
