from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from setu.directory.models import City
from setu.events.models import Event, EventKind, TicketCategory


def _mumbai() -> City:
    return City.objects.get(key="in-mumbai")


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    kind = EventKind.SEMINAR
    title_en = factory.Sequence(lambda n: f"Investment seminar {n}")
    city = factory.LazyFunction(_mumbai)
    time_zone = "Asia/Kolkata"
    venue = "Trident, Nariman Point"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4))
    capacity = 50
    requires_approval = False
    visibility = "public"


def category(event: Event, name: str, capacity: int | None, **extra: Any) -> TicketCategory:
    return TicketCategory.objects.create(event=event, name_en=name, capacity=capacity, **extra)
