"""Who a signed-in user is in the network, and the whole ownership policy built on it.

The ownership rule (docs/architecture.md) lives here and nowhere else: which visibility levels a
principal may read of an owner's records (``readable_levels``), the query filter built on that
(``visibility_q``), and which organisation the principal acts for (``acting_organisation_id``).
Querysets, audiences, form choices and exports ask the principal; no app restates the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from setu.core.models import Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

_CACHE_ATTR = "_setu_principal"
_PREFERRED_ATTR = "_setu_preferred_organisation"

# The session key under which the header's organisation switcher keeps the choice.
ACTING_ORGANISATION_SESSION_KEY = "setu_acting_organisation"

# Which membership a person acts through when they did not choose: the most responsible role
# first, then the oldest membership. Role values are Role's (setu.accounts.models), spelled out
# so that the foundation's policy does not import the accounts models when it is loaded.
ROLE_PRECEDENCE = ("secretariat", "prefecture_officer", "member", "partner", "student")

ALL_LEVELS = frozenset(level.value for level in Visibility)


@dataclass(frozen=True, slots=True)
class Principal:
    """The user's memberships, reduced to what the ownership rule needs.

    ``memberships`` holds ``(organisation id, role)`` pairs in the order the memberships were
    made; ``preferred_org_id`` is the organisation chosen in the header, if any.
    """

    user_id: int | None
    org_ids: frozenset[int]
    roles: frozenset[str]
    officer_org_ids: frozenset[int]
    secretariat_org_ids: frozenset[int]
    memberships: tuple[tuple[int, str], ...] = ()
    preferred_org_id: int | None = None

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

    # -- reading ------------------------------------------------------------------------

    def shared_levels(self) -> frozenset[str]:
        """The levels this principal reads of any owner's records: what was shared."""
        levels = {Visibility.PUBLIC.value}
        if self.in_network:
            levels.add(Visibility.PARTNERS.value)
        if self.is_staff_role:
            levels.add(Visibility.CONSORTIUM.value)
        return frozenset(levels)

    def owns(self, *, owner_id: int | None, managed_by_id: int | None = None) -> bool:
        """Whether the principal reads everything of this owner: its own organisation, or a
        company managed by a prefecture it is an officer of."""
        return (owner_id is not None and owner_id in self.org_ids) or (
            managed_by_id is not None and managed_by_id in self.officer_org_ids
        )

    def readable_levels(
        self, *, owner_id: int | None, managed_by_id: int | None = None
    ) -> frozenset[str]:
        """The visibility levels the principal may read of records owned by ``owner_id``."""
        if self.owns(owner_id=owner_id, managed_by_id=managed_by_id):
            return ALL_LEVELS
        return self.shared_levels()

    def may_read(
        self, *, visibility: str, owner_id: int | None, managed_by_id: int | None = None
    ) -> bool:
        return visibility in self.readable_levels(owner_id=owner_id, managed_by_id=managed_by_id)

    def visibility_q(self, *, owner_field: str = "owner", managed_by_field: str | None = None) -> Q:
        """A filter keeping the records this principal may read.

        ``owner_field`` names the owning organisation's id (``"owner"`` on an OwnedModel,
        ``"id"`` on Organisation itself); ``managed_by_field`` the owner's managing
        prefecture (default ``<owner_field>__managed_by``), whose officers read the company's
        private records too.
        """
        allowed = Q(visibility__in=sorted(self.shared_levels()))
        if self.org_ids:
            allowed |= Q(**{f"{owner_field}__in": self.org_ids})
        if self.officer_org_ids:
            managed = managed_by_field or f"{owner_field}__managed_by"
            allowed |= Q(**{f"{managed}__in": self.officer_org_ids})
        return allowed

    # -- acting ---------------------------------------------------------------------------

    @property
    def acting_organisation_id(self) -> int | None:
        """The organisation this person acts for on every page.

        The one chosen in the header while they are still a member of it; otherwise their
        membership with the most responsible role (secretariat, prefecture officer, member
        company, partner, student), the oldest first among equals.
        """
        if self.preferred_org_id is not None and self.preferred_org_id in self.org_ids:
            return self.preferred_org_id
        ranked = sorted(
            enumerate(self.memberships),
            key=lambda item: (_role_rank(item[1][1]), item[0]),
        )
        return ranked[0][1][0] if ranked else None

    def acting_organisation_id_with(self, roles: frozenset[str] | set[str]) -> int | None:
        """Like ``acting_organisation_id``, among the memberships holding one of ``roles``
        (an officer page acts for a prefecture even when the person chose their company)."""
        eligible = [(org, role) for org, role in self.memberships if role in roles]
        if not eligible:
            return None
        if self.preferred_org_id in {org for org, _ in eligible}:
            return self.preferred_org_id
        ranked = sorted(enumerate(eligible), key=lambda item: (_role_rank(item[1][1]), item[0]))
        return ranked[0][1][0]

    @property
    def has_several_organisations(self) -> bool:
        return len(self.org_ids) > 1


def _role_rank(role: str) -> int:
    return ROLE_PRECEDENCE.index(role) if role in ROLE_PRECEDENCE else len(ROLE_PRECEDENCE)


ANONYMOUS = Principal(None, frozenset(), frozenset(), frozenset(), frozenset())


def principal_for(user: User | AnonymousUser) -> Principal:
    """The user's principal, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached: Principal | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from setu.accounts.models import Membership, Role

    rows = list(
        Membership.objects.filter(user=user).order_by("pk").values_list("organisation_id", "role")
    )
    principal = Principal(
        user_id=user.pk,
        org_ids=frozenset(org for org, _ in rows),
        roles=frozenset(role for _, role in rows),
        officer_org_ids=frozenset(org for org, role in rows if role == Role.PREFECTURE_OFFICER),
        secretariat_org_ids=frozenset(org for org, role in rows if role == Role.SECRETARIAT),
        memberships=tuple((org, str(role)) for org, role in rows),
        preferred_org_id=getattr(user, _PREFERRED_ATTR, None),
    )
    setattr(user, _CACHE_ATTR, principal)
    return principal


def prefer_organisation(user: User | AnonymousUser, organisation_id: int | None) -> None:
    """Record the organisation chosen in the header for this request (before any policy
    question is asked of the user's principal)."""
    if not user.is_authenticated:
        return
    if getattr(user, _PREFERRED_ATTR, None) != organisation_id:
        setattr(user, _PREFERRED_ATTR, organisation_id)
        forget_principal(user)


def forget_principal(user: User | AnonymousUser) -> None:
    """Drop the cached principal after memberships change within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
