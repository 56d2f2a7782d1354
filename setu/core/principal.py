"""Who a signed-in user is in the network: their organisations and roles, read once a request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

_CACHE_ATTR = "_setu_principal"


@dataclass(frozen=True, slots=True)
class Principal:
    """The user's memberships, reduced to what the ownership rule needs."""

    user_id: int | None
    org_ids: frozenset[int]
    roles: frozenset[str]
    officer_org_ids: frozenset[int]
    secretariat_org_ids: frozenset[int]

    @property
    def is_secretariat(self) -> bool:
        return bool(self.secretariat_org_ids)

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_org_ids)

    @property
    def is_staff_role(self) -> bool:
        """Secretariat or prefecture officer: sees consortium records, must use 2FA."""
        return self.is_secretariat or self.is_officer

    @property
    def in_network(self) -> bool:
        """Staff, member companies and partners read what is shared with partners."""
        return self.is_staff_role or bool(self.roles & {"member", "partner"})


ANONYMOUS = Principal(None, frozenset(), frozenset(), frozenset(), frozenset())


def principal_for(user: User | AnonymousUser) -> Principal:
    """The user's principal, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached: Principal | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from setu.accounts.models import Membership, Role

    rows = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    principal = Principal(
        user_id=user.pk,
        org_ids=frozenset(org for org, _ in rows),
        roles=frozenset(role for _, role in rows),
        officer_org_ids=frozenset(org for org, role in rows if role == Role.PREFECTURE_OFFICER),
        secretariat_org_ids=frozenset(org for org, role in rows if role == Role.SECRETARIAT),
    )
    setattr(user, _CACHE_ATTR, principal)
    return principal


def forget_principal(user: User | AnonymousUser) -> None:
    """Drop the cached principal after memberships change within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
