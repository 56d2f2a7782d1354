"""Who may read a record (``readers_q``) agrees with what each person may read
(``Principal.may_read``) for every role, visibility level and relation to the owner."""

from __future__ import annotations

import pytest

from setu.accounts.models import User
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.core.audience import audience_rank, readers_q
from setu.core.models import Visibility
from setu.core.principal import ROLE_PRECEDENCE, principal_for
from setu.directory.tests.factories import CompanyFactory, PrefectureFactory

# How a reader's organisation relates to the record's owner.
RELATIONS = ("owner", "managing_prefecture", "collection_member", "stranger")


@pytest.mark.django_db
def test_readers_q_agrees_with_may_read_for_every_role_level_and_relation() -> None:
    prefecture = PrefectureFactory()
    owner = CompanyFactory(managed_by=prefecture)
    shared_with = CompanyFactory()
    people: dict[tuple[str, str], User] = {}
    for role in ROLE_PRECEDENCE:
        for relation in RELATIONS:
            organisation = {
                "owner": owner,
                "managing_prefecture": prefecture,
                "collection_member": shared_with,
                "stranger": CompanyFactory(),
            }[relation]
            user = UserFactory()
            add_membership(user, organisation, role)
            people[(role, relation)] = user
    nobody = UserFactory()
    for visibility in Visibility:
        readers = set(
            User.objects.filter(
                readers_q(
                    visibility=visibility,
                    owner_id=owner.pk,
                    managed_by_id=prefecture.pk,
                    reader_org_ids=[shared_with.pk],
                )
            )
        )
        for (role, relation), user in people.items():
            expected = principal_for(user).may_read(
                visibility=visibility, owner_id=owner.pk, managed_by_id=prefecture.pk
            ) or (relation == "collection_member")
            assert (user in readers) is expected, (role, relation, visibility)
        assert (nobody in readers) is principal_for(nobody).may_read(
            visibility=visibility, owner_id=owner.pk
        )


def test_audience_rank_orders_levels_from_private_to_public() -> None:
    ranks = [
        audience_rank(level)
        for level in (
            Visibility.PRIVATE,
            Visibility.CONSORTIUM,
            Visibility.PARTNERS,
            Visibility.PUBLIC,
        )
    ]
    assert ranks == [0, 1, 2, 3]


def test_event_levels_are_the_core_levels_plus_draft() -> None:
    """Events keep their own enum for the draft level (and a private level that includes the
    partner organisations); the shared levels are the core's, with the same stored values and
    wording, so the principal's rule applies to them unchanged."""
    from setu.events.models import EventVisibility

    core = dict(Visibility.choices)
    events = dict(EventVisibility.choices)
    assert set(events) == set(core) | {"draft"}
    shared = [value for value in core if value != Visibility.PRIVATE]
    assert all(str(events[value]) == str(core[value]) for value in shared)
