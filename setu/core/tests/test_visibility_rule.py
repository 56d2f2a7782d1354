"""The in-memory check (``may_read``) gives the same answers as the query filter
(``visibility_q``) for every kind of user and every visibility."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from setu.conftest import ROLES, World
from setu.core.models import Visibility
from setu.core.visibility import organisation_readable
from setu.directory.models import Organisation
from setu.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_readable_agrees_with_visible_to(world: World) -> None:
    records = [world.company, world.partner_org, world.prefecture, world.other_prefecture]
    for visibility in Visibility:
        for managed_by in (None, world.prefecture, world.other_prefecture):
            records.append(OrganisationFactory.create(visibility=visibility, managed_by=managed_by))
    merged = OrganisationFactory.create(visibility=Visibility.PUBLIC)
    merged.merged_into = world.partner_org
    merged.save()
    records.append(merged)
    for role in ROLES:
        user = world.user(role) or AnonymousUser()
        visible = set(Organisation.objects.visible_to(user).values_list("pk", flat=True))
        for record in records:
            assert organisation_readable(user, record) == (record.pk in visible), (role, record)
