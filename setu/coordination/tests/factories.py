from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from setu.coordination.models import (
    ActionItem,
    AgendaItem,
    Invitee,
    Meeting,
    MeetingSeries,
    Mission,
    MissionDestination,
)
from setu.core.models import Visibility
from setu.directory.models import City
from setu.directory.reference import load_reference_data

JST = ZoneInfo("Asia/Tokyo")


def city(key: str) -> City:
    """A city of the reference data (a flushed transactional test database reloads it)."""
    found = City.objects.filter(key=key).first()
    if found is None:
        load_reference_data()
        found = City.objects.get(key=key)
    return found


def today() -> date:
    """Today in Japan, whatever zone a previous request left active in the test thread."""
    return timezone.localdate(timezone=JST)


def in_days(days: int, hour: int = 10) -> datetime:
    day = today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=JST)


class SeriesFactory(factory.django.DjangoModelFactory[MeetingSeries]):
    class Meta:
        model = MeetingSeries

    title_en = factory.Sequence(lambda n: f"Working group {n}")
    visibility = Visibility.CONSORTIUM


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    title_en = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    time_zone = "Asia/Tokyo"
    visibility = Visibility.CONSORTIUM


class InviteeFactory(factory.django.DjangoModelFactory[Invitee]):
    class Meta:
        model = Invitee


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    title_en = factory.Sequence(lambda n: f"Agenda point {n}")
    position = factory.Sequence(lambda n: n + 1)
    duration_minutes = 20


class ActionItemFactory(factory.django.DjangoModelFactory[ActionItem]):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: today() + timedelta(days=14))
    visibility = Visibility.CONSORTIUM


class MissionFactory(factory.django.DjangoModelFactory[Mission]):
    class Meta:
        model = Mission

    title_en = factory.Sequence(lambda n: f"Mission {n}")
    starts_on = factory.LazyFunction(lambda: today() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=4))
    visibility = Visibility.CONSORTIUM


class DestinationFactory(factory.django.DjangoModelFactory[MissionDestination]):
    class Meta:
        model = MissionDestination

    starts_on = factory.LazyAttribute(lambda o: o.mission.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.mission.ends_on)


def days_from_today(days: int) -> date:
    return today() + timedelta(days=days)
