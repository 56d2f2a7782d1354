"""Running the scheduler (queue, worker, failure), publishing and rescheduling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from setu.accounts.tests.factories import UserFactory, add_membership
from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.tests.factories import CompanyFactory
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Meeting,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
    Unplaced,
)
from setu.matchmaking.services import schedule as services_schedule
from setu.matchmaking.services.schedule import schedule_publish, schedule_run_start
from setu.matchmaking.tests.factories import accepted, matchmaking_for, participant
from setu.matchmaking.tests.schedule_builders import companies, run_now, scheduled

pytestmark = pytest.mark.django_db


def _officer(world: World) -> Any:
    return world.users["officer_own"]


def _small(world: World, **settings: Any) -> Any:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), **settings)
    jp = companies(mm, 3)
    india = companies(mm, 3, country="IN")
    for a in jp:
        for b in india[:2]:
            accepted(a, b)
    return mm


def _refused(world: World, mm: Any, text: str, **kwargs: Any) -> None:
    runs, audits = ScheduleRun.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        schedule_run_start(matchmaking=mm, actor=_officer(world), **kwargs)
    assert text in " ".join(caught.value.messages)
    assert ScheduleRun.objects.count() == runs
    assert AuditEntry.objects.count() == audits


def test_refused_without_slots(world: World) -> None:
    mm = _small(world)
    Slot.objects.filter(matchmaking=mm).delete()
    _refused(world, mm, "There are no meeting slots yet")


def test_refused_without_tables(world: World) -> None:
    mm = _small(world, tables=0)
    _refused(world, mm, "Every slot has 0 tables")


def test_refused_without_accepted_requests(world: World) -> None:
    mm = _small(world)
    mm.requests.update(status=RequestStatus.DECLINED)
    _refused(world, mm, "There are no accepted meeting requests")


def test_refused_when_the_only_requests_involve_participants_who_left(world: World) -> None:
    mm = _small(world)
    mm.participants.filter(side="IN").update(active=False)
    _refused(world, mm, "There are no accepted meeting requests")


def test_refused_while_a_run_is_queued(world: World) -> None:
    mm = _small(world)
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.RUNNING)
    _refused(world, mm, "already running")


def test_refused_with_a_fixed_table_that_does_not_exist(world: World) -> None:
    mm = _small(world, tables=2)
    booth = mm.participants.first()
    booth.fixed_table = 4
    booth.save()
    _refused(world, mm, f"{booth.organisation} is fixed to Table 5, which does not exist")


def test_reschedule_refused_when_nothing_is_published(world: World) -> None:
    mm = _small(world)
    _refused(world, mm, "No schedule is published yet", keep_published=True)


def test_a_stale_run_no_longer_blocks(world: World) -> None:
    mm = _small(world)
    lost = ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.RUNNING)
    ScheduleRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    schedule_run_start(matchmaking=mm, actor=_officer(world))
    lost.refresh_from_db()
    assert lost.status == RunStatus.FAILED and "did not finish" in lost.error


def test_start_queues_and_the_worker_makes_a_draft(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mm = _small(world, slots=4, tables=2)
    with django_capture_on_commit_callbacks(execute=True):
        run = schedule_run_start(matchmaking=mm, actor=_officer(world))
        assert run.status == RunStatus.QUEUED and run.requests_count == 6
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.placed == 6 == run.upper_bound == run.meetings.count()
    assert run.priority_placed == 6 and run.finished_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"matchmaking.schedule.queued", "matchmaking.schedule.done"} <= actions


def test_a_new_draft_replaces_the_previous_one(world: World) -> None:
    mm = _small(world)
    first = run_now(mm, _officer(world))
    second = run_now(mm, _officer(world))
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED and second.status == RunStatus.DONE


def test_a_failing_run_stores_the_error(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    mm = _small(world)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services_schedule, "schedule_meetings", broken)
    run = run_now(mm, _officer(world))
    assert run.status == RunStatus.FAILED
    assert "solver exploded" in run.error
    assert not run.meetings.exists()


def test_a_run_whose_input_went_away_fails_with_the_reason(world: World) -> None:
    mm = _small(world)
    run = ScheduleRun.objects.create(matchmaking=mm)
    mm.requests.update(status=RequestStatus.WITHDRAWN)  # between queueing and the worker
    services_schedule.schedule_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "no accepted meeting requests" in run.error


def test_unplaced_requests_keep_the_schedulers_reason(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=1, tables=5)
    star = companies(mm, 1)[0]
    india = companies(mm, 3, country="IN")
    for b in india:
        accepted(star, b)
    run = run_now(mm, _officer(world))
    assert run.placed == 1 == run.upper_bound
    reasons = set(Unplaced.objects.filter(run=run).values_list("reason", flat=True))
    assert reasons == {"participant_full"}


# --- publishing ---------------------------------------------------------------------------


def test_publish_emails_every_participant_their_agenda(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    member = world.users["member"]
    member.language = "ja"
    member.save()
    s = scheduled(world, publish=False)
    s.event.title_ja = "ベンガルール商談会"
    s.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        emailed = schedule_publish(run=s.run, actor=_officer(world))
    s.run.refresh_from_db()
    assert emailed == 2
    assert s.run.status == RunStatus.PUBLISHED and s.run.published_by == _officer(world)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"member@example.org", "partner@example.org"}
    # in the reader's language (the Japanese title) and time zone (JST for the member)
    assert "ベンガルール商談会" in by_to["member@example.org"].subject
    assert "JST" in by_to["member@example.org"].body
    assert "Mumbai Chamber" in by_to["member@example.org"].body
    assert f"/events/{s.event.pk}/matchmaking/agenda/{s.member.pk}/" in (
        by_to["member@example.org"].body
    )
    assert AuditEntry.objects.filter(action="matchmaking.schedule.published").exists()


def test_publish_falls_back_to_the_organisations_members(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    s = scheduled(world, publish=False)
    s.partner.contact = None
    s.partner.save()
    colleague = UserFactory.create(email="colleague@example.org")
    add_membership(colleague, world.partner_org, "partner")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(run=s.run, actor=_officer(world))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "colleague@example.org",
        "member@example.org",
        "partner@example.org",
    ]


def test_only_a_draft_can_be_published(world: World) -> None:
    s = scheduled(world)
    with pytest.raises(ValidationError, match="Only a draft can be published"):
        schedule_publish(run=s.run, actor=_officer(world))
    failed = ScheduleRun.objects.create(matchmaking=s.mm, status=RunStatus.FAILED)
    with pytest.raises(ValidationError):
        schedule_publish(run=failed, actor=_officer(world))
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert ScheduleRun.objects.get(status=RunStatus.PUBLISHED) == s.run


def test_publishing_another_draft_supersedes_the_published_one(world: World) -> None:
    s = scheduled(world)
    again = run_now(s.mm, _officer(world))
    schedule_publish(run=again, actor=_officer(world))
    s.run.refresh_from_db()
    again.refresh_from_db()
    assert s.run.status == RunStatus.SUPERSEDED and again.status == RunStatus.PUBLISHED


# --- rescheduling -------------------------------------------------------------------------


def _published_event(world: World) -> tuple[Any, ScheduleRun, list[Any], list[Any]]:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=4, tables=3)
    jp = companies(mm, 4)
    india = companies(mm, 4, country="IN")
    for i, a in enumerate(jp):
        for b in india[: 2 + i % 2]:
            accepted(a, b)
    run = run_now(mm, _officer(world))
    schedule_publish(run=run, actor=_officer(world))
    return mm, run, jp, india


def test_reschedule_keeps_published_meetings_exactly(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mm, published, jp, india = _published_event(world)
    before = {m.request_id: (m.slot_id, m.table) for m in published.meetings.all()}
    # A cancellation and a late accepted request.
    cancelled = mm.requests.filter(requester=jp[0]).first()
    cancelled.status = RequestStatus.WITHDRAWN
    cancelled.save()
    late = accepted(jp[3], india[3], priority=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = schedule_run_start(matchmaking=mm, actor=_officer(world), keep_published=True)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.based_on == published
    after = {m.request_id: (m.slot_id, m.table) for m in run.meetings.all()}
    for request_id, where in before.items():
        if request_id != cancelled.pk:
            assert after[request_id] == where
    assert cancelled.pk not in after and late.pk in after


def test_reschedule_drops_meetings_that_are_no_longer_possible(world: World) -> None:
    mm, published, _jp, _india = _published_event(world)
    meeting = published.meetings.select_related("request").first()
    away = meeting.request.requester
    away.unavailable.add(meeting.slot)
    run = run_now(mm, _officer(world), keep_published=True)
    from setu.matchmaking.selectors.schedule_report import run_report

    run.matchmaking = mm
    moved = run_report(run=run).moved_out
    assert [m.request.pk for m in moved] == [meeting.request_id]
    assert moved[0].was == meeting.slot
    new = run.meetings.filter(request=meeting.request).first()
    assert new is None or new.slot_id != meeting.slot_id


def test_publishing_a_reschedule_emails_only_changed_agendas(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mm, _published, jp, india = _published_event(world)
    for p in [*jp, *india]:
        user = UserFactory.create()
        p.contact = user
        p.save()
    extra = participant(mm, CompanyFactory.create())
    newcomer = participant(mm, CompanyFactory.create(country="IN"))
    extra.contact = UserFactory.create(email="extra@example.org")
    extra.save()
    newcomer.contact = UserFactory.create(email="newcomer@example.org")
    newcomer.save()
    accepted(extra, newcomer)
    run = run_now(mm, _officer(world), keep_published=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        emailed = schedule_publish(run=run, actor=_officer(world))
    assert emailed == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["extra@example.org", "newcomer@example.org"]
    assert all("has changed" in m.subject for m in mail.outbox)


def test_outcomes_follow_their_meeting_into_the_new_schedule(world: World) -> None:
    s = scheduled(world, past=True)
    Meeting.objects.filter(pk=s.meeting.pk).update(outcome="held")
    run = run_now(s.mm, _officer(world), keep_published=True)
    schedule_publish(run=run, actor=_officer(world))
    assert run.meetings.get().outcome == "held"
