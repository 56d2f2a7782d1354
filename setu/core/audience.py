"""The ownership rule seen from the record's side: who may read it (docs/architecture.md).

``Principal`` answers "what may this person read"; notifications and pushes ask the inverse,
"who may read a record of visibility V owned by O". Both come from the same role table, so
``setu/core/tests/test_audience.py`` holds them to the same answers for every role, level and
relation to the owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db.models import Exists, OuterRef, Q

from setu.core.models import Visibility
from setu.core.principal import ANONYMOUS, ROLE_PRECEDENCE, Principal


def _single_role_principal(role: str) -> Principal:
    return Principal(
        user_id=None,
        org_ids=frozenset({0}),
        roles=frozenset({role}),
        officer_org_ids=frozenset({0}) if role == "prefecture_officer" else frozenset(),
        secretariat_org_ids=frozenset({0}) if role == "secretariat" else frozenset(),
        memberships=((0, role),),
    )


@cache
def roles_reading(level: str) -> frozenset[str]:
    """The membership roles whose holders read ``level`` of any owner's records."""
    return frozenset(
        role for role in ROLE_PRECEDENCE if level in _single_role_principal(role).shared_levels()
    )


def readers_q(
    *,
    visibility: str,
    owner_id: int | None,
    managed_by_id: int | None = None,
    reader_org_ids: Iterable[int] = (),
) -> Q:
    """A filter on users keeping those who may read a record of ``visibility`` owned by
    ``owner_id`` (whose managing prefecture is ``managed_by_id``).

    ``reader_org_ids`` are organisations the record was shared with besides its owner (a
    library collection's members): their members read it whatever its level.
    """
    from setu.accounts.models import Membership, Role

    if visibility == Visibility.PUBLIC:
        return Q()
    mine = Membership.objects.filter(user_id=OuterRef("pk"))
    allowed = Q(pk__in=[])
    if owner_id is not None:
        allowed |= Q(Exists(mine.filter(organisation_id=owner_id)))
    if managed_by_id is not None:
        allowed |= Q(
            Exists(mine.filter(organisation_id=managed_by_id, role=Role.PREFECTURE_OFFICER))
        )
    readers = list(reader_org_ids)
    if readers:
        allowed |= Q(Exists(mine.filter(organisation_id__in=readers)))
    roles = roles_reading(visibility)
    if roles:
        allowed |= Q(Exists(mine.filter(role__in=sorted(roles))))
    return allowed


@cache
def audience_rank(level: str) -> int:
    """How widely ``level`` is shared: private 0, consortium 1, partners 2, public 3.

    The number of distinct kinds of reader (anonymous, each role) that read it of any owner;
    a change to a higher rank reaches people who could not read the record before.
    """
    kinds = {ANONYMOUS.shared_levels()} | {
        _single_role_principal(role).shared_levels() for role in ROLE_PRECEDENCE
    }
    return sum(1 for levels in kinds if level in levels)
