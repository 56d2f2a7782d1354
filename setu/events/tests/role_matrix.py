"""Role × URL rows for the events app (collected by setu/core/tests/test_role_matrix.py).

The event is a public investment seminar led by officer_own's prefecture. On the organiser
pages officer_other's prefecture co-hosts it: co-hosts edit and run the event with the lead's
officers and the secretariat (docs/decisions/0008-co-hosts-edit-events.md); only the lead and
the secretariat change the co-host list, a form field (test_views_organiser).
Personal pages (registration, ticket, links in emails) open with their secret token alone.
"""

from __future__ import annotations

from django.urls import reverse

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, Row
from setu.events import services, tokens
from setu.events.models import Event, EventOrganisation, HostRole, Registration
from setu.events.registration import Person, Registrant, registration_create
from setu.events.tests.factories import EventFactory

HOSTS = ("login", "403", "403", "403", "200", "200", "200")  # officer_other co-hosts
CAN_ADD = ("login", "403", "403", "403", "200", "200", "200")
TO_PAGE = ("→/events/r/",) * 7


def _event(world: World) -> Event:
    return EventFactory.create(owner=world.prefecture)


def _registration(world: World, *, guest: bool = False) -> Registration:
    event = _event(world)
    user = None if guest else UserFactory.create(email="booker@example.org")
    return registration_create(
        event=event,
        registrant=Registrant(name="Booker", email="booker@example.org", user=user),
        people=[Person("Booker", "booker@example.org", user)],
    )


def _ticket(world: World) -> str:
    attendee = _registration(world).attendees.get()
    return tokens.ticket_token(attendee.pk, attendee.code)


def _co_hosted_event(world: World) -> Event:
    event = _event(world)
    EventOrganisation.objects.create(
        event=event, organisation=world.other_prefecture, role=HostRole.CO_HOST
    )
    return event


def _event_url(name: str) -> Row:
    return Row(HOSTS, url=lambda w: reverse(name, args=[_co_hosted_event(w).pk]))


ROWS: dict[str, Row] = {
    "events:list": Row(ALL_200),
    "events:calendar": Row(ALL_200),
    "events:detail": Row(ALL_200, url=lambda w: reverse("events:detail", args=[_event(w).pk])),
    "events:ics": Row(ALL_200, url=lambda w: reverse("events:ics", args=[_event(w).pk])),
    "events:feed_public": Row(ALL_200),
    # the feed's secret token is the credential: calendar apps cannot sign in
    "events:feed_personal": Row(
        ALL_200,
        url=lambda w: reverse(
            "events:feed_personal",
            args=[services.calendar_feed_for(user=w.users["member"]).token],
        ),
    ),
    # anyone may register for a public event; anonymous readers as guests
    "events:register": Row(ALL_200, url=lambda w: reverse("events:register", args=[_event(w).pk])),
    # where a guest's registration POST redirects: "check your email"
    "events:register_done": Row(
        ALL_200, url=lambda w: reverse("events:register_done", args=[_event(w).pk])
    ),
    "events:confirm_email": Row(
        ALL_200,
        url=lambda w: reverse(
            "events:confirm_email",
            args=[tokens.confirm_link_token((r := _registration(w, guest=True)).pk, r.token)],
        ),
    ),
    "events:registration": Row(
        ALL_200, url=lambda w: reverse("events:registration", args=[_registration(w).token])
    ),
    # the first POST cancels; later ones are told it is already cancelled
    "events:registration_cancel": Row(
        TO_PAGE,
        url=lambda w: reverse("events:registration_cancel", args=[_registration(w).token]),
        method="post",
    ),
    # nothing to claim: a message, and back to the page
    "events:registration_claim": Row(
        TO_PAGE,
        url=lambda w: reverse("events:registration_claim", args=[_registration(w).token]),
        method="post",
    ),
    "events:cancel_link": Row(
        ALL_200,
        url=lambda w: reverse(
            "events:cancel_link",
            args=[tokens.cancel_link_token((r := _registration(w)).pk, r.token)],
        ),
    ),
    "events:ticket": Row(ALL_200, url=lambda w: reverse("events:ticket", args=[_ticket(w)])),
    "events:ticket_qr": Row(ALL_200, url=lambda w: reverse("events:ticket_qr", args=[_ticket(w)])),
    "events:mine": Row(SIGNED_IN_200),
    "events:feed_reset": Row(("login",) + ("→/events/mine/",) * 6, method="post"),
    # organisers: any officer or the secretariat may create; the hosts' officers edit and run
    "events:create": Row(CAN_ADD),
    "events:edit": _event_url("events:edit"),
    "events:agenda": _event_url("events:agenda"),
    "events:categories": _event_url("events:categories"),
    "events:questions": _event_url("events:questions"),
    "events:registrations": _event_url("events:registrations"),
    "events:message": _event_url("events:message"),
    "events:export": _event_url("events:export"),
    "events:statistics": _event_url("events:statistics"),
    "events:checkin": _event_url("events:checkin"),
    "events:checkin_counts": _event_url("events:checkin_counts"),
    # promoting a confirmed registration is refused with a message, back to the list
    "events:registration_action": Row(
        ("login", "403", "403", "403", "→/events/", "403", "→/events/"),
        url=lambda w: reverse(
            "events:registration_action",
            args=[(r := _registration(w)).event_id, r.pk, "promote"],
        ),
        method="post",
    ),
}
