"""Fixtures for coordination tests: a council meeting and a mission in the shared test world."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from setu.conftest import World, build_world
from setu.coordination.models import Meeting, Mission
from setu.coordination.services import missions as mission_services
from setu.coordination.tests.factories import (
    InviteeFactory,
    MeetingFactory,
    days_from_today,
)
from setu.directory.models import Region
from setu.directory.reference import load_reference_data


def council_meeting(world: World, **extra: Any) -> Meeting:
    """A consortium meeting organised by the secretariat, both prefectures invited."""
    meeting = MeetingFactory.create(owner=world.secretariat_org, **extra)
    InviteeFactory.create(meeting=meeting, organisation=world.prefecture)
    InviteeFactory.create(meeting=meeting, organisation=world.other_prefecture)
    return meeting


def mumbai_mission(
    world: World,
    *,
    owner: Any = None,
    first: int = 30,
    days: int = 4,
    city_key: str = "in-mumbai",
    visibility: str = "consortium",
    title: str = "Mumbai mission",
    targets: list[Any] | None = None,
) -> Mission:
    """A mission with one destination, created through the services (clashes recomputed)."""
    owner = owner or world.prefecture
    actor = world.users["officer_own" if owner == world.prefecture else "officer_other"]
    starts_on: date = days_from_today(first)
    mission = mission_services.mission_create(
        actor=actor,
        owner=owner,
        title_en=title,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        visibility=visibility,
        targets=targets or [],
    )
    from setu.coordination.tests.factories import city

    mission_services.destination_add(
        mission=mission,
        actor=actor,
        city=city(city_key),
        starts_on=mission.starts_on,
        ends_on=mission.ends_on,
    )
    return mission


@pytest.fixture
def world(db: None) -> World:
    """The shared test world, with the reference data (regions, cities) that a transactional
    test's flush removes; the migration loads it otherwise."""
    if not Region.objects.exists():
        load_reference_data()
    return build_world()


@pytest.fixture
def meeting(world: World) -> Meeting:
    return council_meeting(world)


@pytest.fixture
def make_mission(world: World) -> Callable[..., Mission]:
    return lambda **kwargs: mumbai_mission(world, **kwargs)
