from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from setu.accounts.models import Invitation, Role
from setu.core.principal import principal_for
from setu.directory.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

# The role a person receives when invited into an organisation of each kind.
ROLE_FOR_KIND = {
    OrganisationKind.SECRETARIAT: Role.SECRETARIAT,
    OrganisationKind.MEMBER_PREFECTURE: Role.PREFECTURE_OFFICER,
    OrganisationKind.COMPANY: Role.MEMBER,
}


def invitable_organisations(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Where ``user`` may invite people.

    An officer: their own prefecture and the companies it manages. The secretariat: itself and
    every member prefecture (to invite their first officers).
    """
    principal = principal_for(user)
    allowed = Q(pk__in=principal.officer_org_ids) | Q(
        kind=OrganisationKind.COMPANY, managed_by__in=principal.officer_org_ids
    )
    if principal.is_secretariat:
        allowed |= Q(pk__in=principal.secretariat_org_ids) | Q(
            kind=OrganisationKind.MEMBER_PREFECTURE
        )
    if not (principal.officer_org_ids or principal.is_secretariat):
        return Organisation.objects.none()
    return Organisation.objects.visible_to(user).filter(allowed).order_by("kind", "name_en")


def invitation_list(*, user: User | AnonymousUser) -> QuerySet[Invitation]:
    """Invitations into organisations where ``user`` may invite, newest first."""
    return Invitation.objects.filter(
        organisation__in=invitable_organisations(user=user)
    ).select_related("organisation", "invited_by")
