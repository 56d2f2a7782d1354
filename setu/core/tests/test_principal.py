"""The policy object: which levels a principal reads, and which organisation it acts for."""

from __future__ import annotations

from typing import Any

import pytest

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.core.models import Visibility
from setu.core.principal import (
    ACTING_ORGANISATION_SESSION_KEY,
    ANONYMOUS,
    Principal,
    prefer_organisation,
    principal_for,
)
from setu.directory.tests.factories import CompanyFactory, PrefectureFactory

PUBLIC, PARTNERS, CONSORTIUM, PRIVATE = (
    Visibility.PUBLIC.value,
    Visibility.PARTNERS.value,
    Visibility.CONSORTIUM.value,
    Visibility.PRIVATE.value,
)


def _principal(*memberships: tuple[int, str], preferred: int | None = None) -> Principal:
    return Principal(
        user_id=1,
        org_ids=frozenset(org for org, _ in memberships),
        roles=frozenset(role for _, role in memberships),
        officer_org_ids=frozenset(o for o, r in memberships if r == Role.PREFECTURE_OFFICER),
        secretariat_org_ids=frozenset(o for o, r in memberships if r == Role.SECRETARIAT),
        memberships=memberships,
        preferred_org_id=preferred,
    )


def test_anonymous_reads_only_public() -> None:
    assert ANONYMOUS.readable_levels(owner_id=7) == {PUBLIC}
    assert ANONYMOUS.acting_organisation_id is None


def test_levels_follow_the_role_and_ownership() -> None:
    officer = _principal((10, Role.PREFECTURE_OFFICER))
    assert officer.readable_levels(owner_id=99) == {PUBLIC, PARTNERS, CONSORTIUM}
    assert PRIVATE in officer.readable_levels(owner_id=10)
    # a company managed by the officer's prefecture
    assert PRIVATE in officer.readable_levels(owner_id=55, managed_by_id=10)
    partner = _principal((20, Role.PARTNER))
    assert partner.readable_levels(owner_id=99) == {PUBLIC, PARTNERS}
    assert not partner.may_read(visibility=CONSORTIUM, owner_id=99)
    assert partner.may_read(visibility=PRIVATE, owner_id=20)
    # a partner's organisation managing nothing: managed_by gives it nothing
    assert not partner.may_read(visibility=PRIVATE, owner_id=55, managed_by_id=20)
    student = _principal((30, Role.STUDENT))
    assert student.readable_levels(owner_id=99) == {PUBLIC}


def test_acting_organisation_precedence() -> None:
    # oldest first: a company membership, then an officer's; the officer's role wins
    both = _principal((5, Role.MEMBER), (10, Role.PREFECTURE_OFFICER))
    assert both.acting_organisation_id == 10
    # the header's choice wins while the person is a member there
    assert (
        _principal(
            (5, Role.MEMBER), (10, Role.PREFECTURE_OFFICER), preferred=5
        ).acting_organisation_id
        == 5
    )
    # a stale choice (no longer a member) is ignored
    assert _principal((5, Role.MEMBER), preferred=77).acting_organisation_id == 5
    # equal roles: the oldest membership
    assert _principal((8, Role.PARTNER), (3, Role.PARTNER)).acting_organisation_id == 8
    # pages for one kind of role act among those memberships only
    assert both.acting_organisation_id_with({Role.PREFECTURE_OFFICER}) == 10
    assert both.acting_organisation_id_with({Role.STUDENT}) is None


@pytest.mark.django_db
def test_principal_for_reads_memberships_and_the_chosen_organisation() -> None:
    prefecture = PrefectureFactory()
    company = CompanyFactory(managed_by=prefecture)
    user = UserFactory()
    add_membership(user, company, Role.MEMBER)
    add_membership(user, prefecture, Role.PREFECTURE_OFFICER)
    assert principal_for(user).acting_organisation_id == prefecture.pk
    prefer_organisation(user, company.pk)
    assert principal_for(user).acting_organisation_id == company.pk


@pytest.mark.django_db
def test_the_session_choice_reaches_the_principal() -> None:
    """The middleware hands the header's choice to the principal of every request."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from setu.accounts.middleware import UserPreferencesMiddleware

    prefecture = PrefectureFactory()
    company = CompanyFactory(managed_by=prefecture)
    user = UserFactory()
    add_membership(user, prefecture, Role.PREFECTURE_OFFICER)
    add_membership(user, company, Role.MEMBER)
    request = RequestFactory().get("/")
    request.user = user
    request.session = {ACTING_ORGANISATION_SESSION_KEY: company.pk}  # type: ignore[assignment]
    seen: list[int | None] = []

    def view(req: Any) -> HttpResponse:
        seen.append(principal_for(req.user).acting_organisation_id)
        return HttpResponse()

    UserPreferencesMiddleware(view)(request)
    assert seen == [company.pk]
