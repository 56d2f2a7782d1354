from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from setu.accounts.models import Invitation, Role
from setu.core.principal import ROLE_PRECEDENCE, principal_for
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


def acting_choices(*, user: User | AnonymousUser) -> list[tuple[int, str]]:
    """The organisations ``user`` may act for, as ``(id, "Name (role)")``: one per
    organisation (its most responsible role), in the order the header switcher lists them."""
    principal = principal_for(user)
    roles: dict[int, str] = {}
    for org_id, role in principal.memberships:
        if org_id not in roles or _rank(role) < _rank(roles[org_id]):
            roles[org_id] = role
    names = {
        organisation.pk: str(organisation)
        for organisation in Organisation.objects.filter(pk__in=roles)
    }
    labels = dict(Role.choices)
    return [
        (org_id, f"{names[org_id]} ({labels.get(role, role)})")
        for org_id, role in roles.items()
        if org_id in names
    ]


def _rank(role: str) -> int:
    return ROLE_PRECEDENCE.index(role) if role in ROLE_PRECEDENCE else len(ROLE_PRECEDENCE)
