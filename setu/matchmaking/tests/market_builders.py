"""Builders for the marketplace tests: an event with matchmaking, registrations, participants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from setu.accounts.models import Role, User
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.conftest import World
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory
from setu.events.models import Attendee, Event, EventKind, Registration, RegistrationStatus
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import Matchmaking, Participant
from setu.matchmaking.tests.factories import matchmaking_for, participant


def market(world: World, **settings: Any) -> Matchmaking:
    """A public networking event led by officer_own's prefecture, with matchmaking open now."""
    event = EventFactory.create(owner=world.prefecture, kind=EventKind.NETWORKING)
    return matchmaking_for(event, **settings)


def register(
    event: Event,
    user: User,
    organisation: Organisation | None = None,
    status: str = RegistrationStatus.CONFIRMED,
) -> Registration:
    """A registration booked by ``user`` for themselves (one ticket)."""
    registration = Registration.objects.create(
        event=event,
        status=status,
        booked_by=user,
        name=user.full_name or user.email,
        email=user.email,
        organisation=organisation,
        confirmed_at=timezone.now() if status == RegistrationStatus.CONFIRMED else None,
    )
    Attendee.objects.create(
        registration=registration, event=event, user=user, name=user.full_name, email=user.email
    )
    return registration


def japanese(**fields: Any) -> Organisation:
    fields.setdefault("country", "JP")
    return CompanyFactory.create(**fields)


def indian(**fields: Any) -> Organisation:
    fields.setdefault("country", "IN")
    fields.setdefault("kind", OrganisationKind.COMPANY)
    return OrganisationFactory.create(**fields)


def member_of(organisation: Organisation, *, language: str = "en", **fields: Any) -> User:
    role = Role.PARTNER if organisation.country == "IN" else Role.MEMBER
    user = UserFactory.create(language=language, **fields)
    add_membership(user, organisation, role)
    return user


def member_side(world: World, mm: Matchmaking, **fields: Any) -> Participant:
    """world.company (Japanese), spoken for by the member user."""
    fields.setdefault("contact", world.users["member"])
    return participant(mm, world.company, **fields)


def partner_side(world: World, mm: Matchmaking, **fields: Any) -> Participant:
    """world.partner_org (Indian), spoken for by the partner user."""
    fields.setdefault("contact", world.users["partner"])
    return participant(mm, world.partner_org, **fields)


def close_window(mm: Matchmaking) -> None:
    mm.requests_open_at = timezone.now() - timedelta(days=3)
    mm.requests_close_at = timezone.now() - timedelta(hours=1)
    mm.save()
