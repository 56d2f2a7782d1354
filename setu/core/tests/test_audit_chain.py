"""The audit log is a hash chain (docs/decisions/0020): editing or removing any entry is found,
with the id of the first entry where the chain fails; redaction keeps it intact."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from setu.conftest import World
from setu.core import audit, audit_chain
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _five(world: World) -> list[AuditEntry]:
    return [
        audit.record(
            world.company,
            "directory.organisation.updated",
            actor=world.users["officer_own"],
            changes={"name_en": [f"Old {i}", f"New {i}"], "tags": ("a", "b"), "n": {1: 2}},
        )
        for i in range(5)
    ]


def _verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_audit_chain", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue().strip()
    return 0, out.getvalue().strip()


def test_an_untouched_chain_verifies(world: World) -> None:
    _five(world)
    code, output = _verify()
    assert code == 0
    assert output.startswith("audit chain intact")


@pytest.mark.parametrize("position", [0, 2, 4])
def test_changing_any_entry_names_it(world: World, position: int) -> None:
    entries = _five(world)
    target = entries[position]
    AuditEntry.objects.filter(pk=target.pk).update(changes={"name_en": ["Old", "Forged"]})
    assert _verify() == (1, f"first broken entry: id {target.pk}")


def test_changing_the_actor_or_time_is_found(world: World) -> None:
    entries = _five(world)
    AuditEntry.objects.filter(pk=entries[1].pk).update(actor=world.users["secretariat"])
    assert _verify() == (1, f"first broken entry: id {entries[1].pk}")


def test_removing_an_entry_names_the_next_one(world: World) -> None:
    entries = _five(world)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    assert _verify() == (1, f"first broken entry: id {entries[3].pk}")


def test_removing_the_first_entry_names_the_second(world: World) -> None:
    assert not AuditEntry.objects.exists()
    entries = _five(world)
    AuditEntry.objects.filter(pk=entries[0].pk).delete()
    assert _verify() == (1, f"first broken entry: id {entries[1].pk}")


def test_removing_the_newest_entry_is_found(world: World) -> None:
    entries = _five(world)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    assert _verify() == (1, f"first broken entry: id {entries[-1].pk}")


def test_forging_a_redaction_flag_is_found(world: World) -> None:
    entries = _five(world)
    AuditEntry.objects.filter(pk=entries[1].pk).update(changes={}, redacted=True)
    assert _verify() == (1, f"first broken entry: id {entries[1].pk}")


def test_redaction_keeps_the_chain_and_is_recorded(world: World) -> None:
    entries = _five(world)
    redacted = audit_chain.redact([entries[1].pk, entries[3].pk], reason="erasure request 7")
    assert redacted == 2
    entries[1].refresh_from_db()
    assert entries[1].object_repr == audit_chain.REDACTED_TEXT
    assert entries[1].changes == {}
    assert "Old 1" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert AuditEntry.objects.filter(action=audit_chain.REDACTED_ACTION).count() == 1
    assert _verify()[0] == 0
    # and a change after the redaction is still found
    AuditEntry.objects.filter(pk=entries[4].pk).update(object_repr="Someone else")
    assert _verify() == (1, f"first broken entry: id {entries[4].pk}")


def test_bulk_appends_link_in_order(world: World) -> None:
    audit_chain.append(
        [
            AuditEntry(action="directory.person.imported", object_repr=f"Person {i}")
            for i in range(30)
        ]
    )
    assert _verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world: World) -> None:
    assert connection.vendor == "postgresql"
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(5):
                audit.record(world.company, "directory.organisation.updated", actor=None)
        except BaseException as error:  # asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()
    assert not errors, errors[:3]
    hashes = list(AuditEntry.objects.values_list("chain_hash", flat=True))
    assert len(hashes) == len(set(hashes))
    assert _verify()[0] == 0
