"""Builders for the scheduling tests: an event whose matchmaking has a schedule (published)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import F

from setu.accounts.models import User
from setu.conftest import World
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory
from setu.events.models import Event
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Matchmaking,
    Meeting,
    MeetingRequest,
    Participant,
    RunStatus,
    ScheduleRun,
    Slot,
)
from setu.matchmaking.services.schedule import schedule_publish, schedule_run_execute
from setu.matchmaking.tests.factories import accepted, matchmaking_for, participant


def run_now(mm: Matchmaking, actor: User | None, *, keep_published: bool = False) -> ScheduleRun:
    """Queue and run the scheduler in this thread (the services' path without the worker)."""
    based_on = (
        ScheduleRun.objects.filter(matchmaking=mm, status=RunStatus.PUBLISHED).first()
        if keep_published
        else None
    )
    run = ScheduleRun.objects.create(matchmaking=mm, created_by=actor, based_on=based_on)
    schedule_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def companies(
    mm: Matchmaking, count: int, *, country: str = "JP", **fields: Any
) -> list[Participant]:
    factory = CompanyFactory if country == "JP" else OrganisationFactory
    return [participant(mm, factory.create(country=country), **fields) for _ in range(count)]


def move_to_the_past(mm: Matchmaking, days: int = 40) -> None:
    """Slide the slot grid ``days`` back, so that its meetings have taken place."""
    Slot.objects.filter(matchmaking=mm).update(
        starts_at=F("starts_at") - timedelta(days=days), ends_at=F("ends_at") - timedelta(days=days)
    )


@dataclass
class Scheduled:
    event: Event
    mm: Matchmaking
    member: Participant  # world.company, contact: the member user
    partner: Participant  # world.partner_org, contact: the partner user
    request: MeetingRequest
    run: ScheduleRun
    meeting: Meeting


def scheduled(
    world: World, *, publish: bool = True, past: bool = False, **settings: Any
) -> Scheduled:
    """An event led by world.prefecture whose matchmaking pairs the member's company with the
    partner's chamber; the scheduler has run (and the draft is published unless told not)."""
    event = EventFactory.create(owner=world.prefecture)
    settings.setdefault("slots", 4)
    settings.setdefault("tables", 2)
    mm = matchmaking_for(event, **settings)
    member = participant(mm, world.company, contact=world.users["member"])
    partner = participant(mm, world.partner_org, contact=world.users["partner"])
    request = accepted(member, partner, priority=2)
    officer = world.users["officer_own"]
    run = run_now(mm, officer)
    if publish:
        schedule_publish(run=run, actor=officer)
        run.refresh_from_db()
    if past:
        move_to_the_past(mm)
    return Scheduled(event, mm, member, partner, request, run, run.meetings.get())
