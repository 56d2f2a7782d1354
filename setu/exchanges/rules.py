"""Who may do what with exchanges (the ``rules`` package). Reads are filtered in selectors.

- Staff (secretariat, prefecture officers) open rounds; staff and partners (universities,
  schools) offer programmes for the organisation they act for.
- The round's coordinators are the staff of its owner; they run and publish placements and
  order applicants by hand.
- A programme's reviewers are the people (not students) of its owner and its host.
- Students apply, and act on their own application only.
"""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for


def staff_org_ids(user: Any) -> frozenset[int]:
    principal = principal_for(user)
    return principal.officer_org_ids | principal.secretariat_org_ids


def reviewer_org_ids(user: Any) -> frozenset[int]:
    """The organisations the user acts for in any role but student."""
    return frozenset(org for org, role in principal_for(user).memberships if role != "student")


@rules.predicate
def is_student(user: Any) -> bool:
    return "student" in principal_for(user).roles


@rules.predicate
def offers_programmes(user: Any) -> bool:
    principal = principal_for(user)
    return principal.is_staff_role or "partner" in principal.roles


@rules.predicate
def opens_rounds(user: Any) -> bool:
    return principal_for(user).is_staff_role


@rules.predicate
def coordinates_round(user: Any, round_: Any) -> bool:
    return round_ is not None and round_.owner_id in staff_org_ids(user)


@rules.predicate
def owns_programme(user: Any, programme: Any) -> bool:
    return programme is not None and programme.owner_id in reviewer_org_ids(user)


@rules.predicate
def reviews_programme(user: Any, programme: Any) -> bool:
    if programme is None:
        return False
    orgs = reviewer_org_ids(user)
    return programme.owner_id in orgs or programme.host_id in orgs


@rules.predicate
def coordinates_programme(user: Any, programme: Any) -> bool:
    return programme is not None and programme.round.owner_id in staff_org_ids(user)


@rules.predicate
def applied(user: Any, application: Any) -> bool:
    return application is not None and application.student_id == user.pk


rules.add_perm("exchanges.add_round", opens_rounds)
rules.add_perm("exchanges.add_programme", offers_programmes)
rules.add_perm("exchanges.change_programme", owns_programme | coordinates_programme)
rules.add_perm("exchanges.apply", is_student)
rules.add_perm("exchanges.coordinate_round", coordinates_round)
rules.add_perm("exchanges.review_programme", reviews_programme | coordinates_programme)
rules.add_perm("exchanges.order_programme", coordinates_programme)
rules.add_perm("exchanges.change_application", applied)
