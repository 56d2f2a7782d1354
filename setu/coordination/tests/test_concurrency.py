"""Two people saving the same minutes at the same moment: one wins, the other is told, nothing
is lost or overwritten (PostgreSQL row locks). Also: the reminder job run twice at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from setu.conftest import World
from setu.coordination.models import AgendaItem, MinutesRevision, ReminderLog
from setu.coordination.services.minutes import MinutesConflict, minutes_save
from setu.coordination.services.reminders import reminders_send
from setu.coordination.tests.conftest import council_meeting
from setu.coordination.tests.factories import AgendaItemFactory, in_days

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # collected and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_saves_on_one_base_revision(world: World) -> None:
    item = AgendaItemFactory.create(meeting=council_meeting(world))
    writers = [world.users["officer_own"], world.users["officer_other"], world.users["secretariat"]]

    def save(index: int) -> object:
        fresh = AgendaItem.objects.get(pk=item.pk)
        return minutes_save(
            agenda_item=fresh, actor=writers[index], text=f"Text of writer {index}", base_revision=0
        )

    results = _in_threads(len(writers), save)
    saved = [r for r in results if isinstance(r, MinutesRevision)]
    conflicts = [r for r in results if isinstance(r, MinutesConflict)]
    assert len(saved) == 1 and len(conflicts) == len(writers) - 1, results
    assert all(c.current.number == 1 for c in conflicts)
    item.refresh_from_db()
    assert item.minutes_revision == 1 and item.minutes_text == saved[0].text
    assert MinutesRevision.objects.filter(agenda_item=item).count() == 1


def test_reminder_job_run_twice_at_once_sends_once(world: World) -> None:
    council_meeting(world, starts_at=in_days(2), ends_at=in_days(2) + timedelta(hours=1))
    results = _in_threads(3, lambda _index: reminders_send())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.rsvp for r in results) == 2  # type: ignore[attr-defined]
    assert ReminderLog.objects.filter(kind="rsvp").count() == 2


def test_merge_and_withdraw_clicked_at_once_resolve_the_duplicate_once(world: World) -> None:
    """Two officers of the duplicate's lead: one merges, one withdraws, at the same moment."""
    from setu.accounts.models import Membership, Role
    from setu.accounts.tests.factories import UserFactory
    from setu.coordination.models import ClashNotice, Delegate, JointProposal
    from setu.coordination.services import joint, proposals
    from setu.coordination.tests.conftest import mumbai_mission

    ours = mumbai_mission(world, title="Yamanashi in Mumbai")
    theirs = mumbai_mission(world, owner=world.other_prefecture, first=31, title="Shizuoka")
    Delegate.objects.create(
        mission=theirs, prefecture=world.other_prefecture,
        organisation=world.other_prefecture, name="Yumi Suzuki",
    )  # fmt: skip
    proposals.proposal_create(
        notice=ClashNotice.objects.get(),
        actor=world.users["officer_other"],
        direction="join_theirs",
    )
    proposals.proposal_accept(
        proposal=JointProposal.objects.get(), actor=world.users["officer_own"]
    )
    second = UserFactory.create(email="second.officer@example.org")
    Membership.objects.create(
        user=second, organisation=world.other_prefecture, role=Role.PREFECTURE_OFFICER
    )
    actors = [world.users["officer_other"], second]
    actions = [joint.duplicate_merge, joint.duplicate_withdraw]

    def resolve(index: int) -> object:
        proposal = JointProposal.objects.get()
        return actions[index](proposal=proposal, actor=actors[index])

    results = _in_threads(2, resolve)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "already" in refused[0].messages[0]
    proposal = JointProposal.objects.get()
    assert proposal.plan_outcome in ("merged", "withdrawn")
    moved = ours.delegates.count()
    assert moved == (1 if proposal.plan_outcome == "merged" else 0)
    assert theirs.delegates.count() == 1 - moved
    assert not ClashNotice.objects.exists()
