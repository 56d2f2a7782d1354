"""Worlds for the results tests: a held B2B meeting, a registration, a mission meeting, leads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from setu.conftest import World
from setu.coordination.models import ItineraryItem, ItineraryKind, Mission
from setu.coordination.tests.factories import MissionFactory
from setu.core.models import Visibility
from setu.events.models import Event, Registration, RegistrationStatus
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import FollowUp, Meeting, Outcome, RunStatus, ScheduleRun
from setu.matchmaking.tests.factories import accepted, matchmaking_for, participant
from setu.results.models import Lead, LeadKind, Survey


def lead(world: World, **fields: Any) -> Lead:
    """A consortium-shared trade lead of the own prefecture for its managed company."""
    fields.setdefault("owner", world.prefecture)
    fields.setdefault("kind", LeadKind.TRADE)
    fields.setdefault("title", "Dies for Mumbai")
    fields.setdefault("company", world.company)
    fields.setdefault("visibility", Visibility.CONSORTIUM)
    return Lead.objects.create(**fields)


def past_event(world: World, **fields: Any) -> Event:
    fields.setdefault("owner", world.prefecture)
    fields.setdefault("visibility", "consortium")
    fields.setdefault("starts_at", timezone.now() - timedelta(days=70))
    fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=4))
    return EventFactory.create(**fields)


def held_meeting(world: World, event: Event | None = None, interest: int = 2) -> Meeting:
    """The company (Japanese side) met the partner (Indian side) at the event; held."""
    event = event or past_event(world)
    mm = matchmaking_for(event)
    japanese = participant(mm, world.company)
    indian = participant(mm, world.partner_org)
    request = accepted(japanese, indian)
    run = ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.PUBLISHED)
    meeting = Meeting.objects.create(
        run=run, request=request, slot=mm.slots.first(), table=0, outcome=Outcome.HELD
    )
    FollowUp.objects.create(meeting=meeting, participant=japanese, interest=interest)
    return meeting


def confirmed_registration(world: World, event: Event, organisation: Any = None) -> Registration:
    return Registration.objects.create(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        name="Aiko Demo",
        email="aiko@example.org",
        organisation=organisation or world.company,
        language="ja",
    )


def mission_meeting(world: World, mission: Mission | None = None) -> ItineraryItem:
    mission = mission or MissionFactory.create(owner=world.prefecture, visibility="consortium")
    start = timezone.now() - timedelta(days=30)
    return ItineraryItem.objects.create(
        mission=mission,
        kind=ItineraryKind.VISIT,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        title_en="Visit",
        organisation=world.partner_org,
    )


def survey(world: World, event: Event, **fields: Any) -> Survey:
    fields.setdefault("visibility", Visibility.CONSORTIUM)
    return Survey.objects.create(owner=event.owner, event=event, **fields)
