from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.accounts.models import Invitation, Role
from setu.conftest import World
from setu.core import audit
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(world: World, count: int) -> None:
    for i in range(count):
        for org in (world.prefecture, world.other_prefecture, world.company):
            invitation = Invitation.objects.create(
                email=f"p{i}-{org.pk}@example.org", organisation=org, role=Role.MEMBER
            )
            audit.record(
                invitation, "accounts.invitation.sent", actor=world.users["secretariat"], owner=org
            )


def test_record_keeps_who_what_and_the_changes(world: World) -> None:
    entry = audit.record(
        world.company,
        "directory.organisation.updated",
        actor=world.users["officer_own"],
        changes=audit.field_changes({"name_en": "Old"}, {"name_en": "New"}),
    )
    assert entry.owner == world.company
    assert entry.actor == world.users["officer_own"]
    assert entry.changes == {"name_en": ["Old", "New"]}


def test_secretariat_reads_every_entry_an_officer_only_their_prefectures(world: World) -> None:
    _entries(world, 1)
    secretariat = world.client_for("secretariat").get(reverse("audit_log"))
    assert len(secretariat.context["page"].object_list) == 3
    officer = world.client_for("officer_other").get(reverse("audit_log"))
    owners = {entry.owner for entry in officer.context["page"].object_list}
    assert owners == {world.other_prefecture}
    own = world.client_for("officer_own").get(reverse("audit_log"))
    assert {entry.owner for entry in own.context["page"].object_list} == {
        world.prefecture,
        world.company,
    }


def test_audit_filters(world: World) -> None:
    _entries(world, 2)
    audit.record(world.company, "directory.organisation.updated", actor=world.users["member"])
    client = world.client_for("secretariat")
    response = client.get(reverse("audit_log"), {"action": "directory."})
    assert [e.action for e in response.context["page"].object_list] == [
        "directory.organisation.updated"
    ]
    response = client.get(reverse("audit_log"), {"actor": "member@"})
    assert len(response.context["page"].object_list) == 1
    response = client.get(reverse("audit_log"), {"since": "not-a-date"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 7


@pytest.mark.parametrize("rows", [1, 20])
def test_audit_page_query_count_does_not_grow_with_rows(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    _entries(world, rows)
    client = world.client_for("secretariat")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit_log"))
    assert len(response.context["page"].object_list) == min(rows * 3, 50)
    assert AuditEntry.objects.count() == rows * 3
