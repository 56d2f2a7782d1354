"""Role × URL rows for the marketplace (collected by setu/core/tests/test_role_matrix.py).

The event is a public networking event led by officer_own's prefecture, with matchmaking.
The member's company (Japanese) and the partner's chamber (Indian) take part; the student and
officer_other can see the event but do not take part; officer_own and the secretariat organise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from setu.conftest import World
from setu.core.tests.matrix import Row
from setu.events.models import EventKind
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant
from setu.matchmaking.tests.factories import matchmaking_for, participant

ORGANISERS = ("login", "403", "403", "403", "200", "403", "200")
ORGANISERS_POST = ("login", "403", "403", "403", "→/events/", "403", "→/events/")
TO = "→/events/"  # a redirect within the event's pages


def _mm(world: World) -> Matchmaking:
    event = EventFactory.create(owner=world.prefecture, kind=EventKind.NETWORKING)
    mm = matchmaking_for(event)
    participant(mm, world.company, contact=world.users["member"])
    participant(mm, world.partner_org, contact=world.users["partner"])
    return mm


def _member(mm: Matchmaking) -> Participant:
    return Participant.objects.get(matchmaking=mm, organisation__kind="company")


def _partner(mm: Matchmaking) -> Participant:
    return Participant.objects.get(matchmaking=mm, organisation__kind="chamber")


def _event_url(name: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        return reverse(f"matchmaking:{name}", args=[_mm(world).event.pk])

    return build


def _participant_url(
    name: str, whose: Callable[[Matchmaking], Participant]
) -> Callable[[World], str]:
    def build(world: World) -> str:
        mm = _mm(world)
        return reverse(f"matchmaking:{name}", args=[mm.event.pk, whose(mm).pk])

    return build


def _answer_url(world: World) -> str:
    mm = _mm(world)
    asked = MeetingRequest.objects.create(
        matchmaking=mm, requester=_member(mm), recipient=_partner(mm)
    )
    return reverse("matchmaking:request_action", args=[mm.event.pk, asked.pk, "accept"])


ROWS: dict[str, Row] = {
    # participants and organisers browse; the others are sent to the join page
    "matchmaking:market": Row(
        ("login", TO, "200", "200", "200", TO, "200"), url=_event_url("market")
    ),
    # one's own participation: organisers go to the marketplace, others to join
    "matchmaking:recommended": Row(
        ("login", TO, "200", "200", TO, TO, TO), url=_event_url("recommended")
    ),
    "matchmaking:requests": Row(
        ("login", TO, "200", "200", TO, TO, TO), url=_event_url("requests")
    ),
    # explains who may join; those taking part go on to the marketplace
    "matchmaking:join": Row(("login", "200", TO, TO, "200", "200", "200"), url=_event_url("join")),
    # the member's request to the partner: the partner accepts; the member is told it is not
    # theirs to answer; people not in the request get 404
    "matchmaking:request_action": Row(
        ("login", "404", TO, TO, "404", "404", "404"), url=_answer_url, method="post"
    ),
    "matchmaking:participant": Row(
        ("login", "403", "200", "200", "200", "403", "200"),
        url=_participant_url("participant", _partner),
    ),
    # an empty form comes back with its errors to those taking part
    "matchmaking:request_create": Row(
        ("login", "403", "200", "200", "403", "403", "403"),
        url=_participant_url("request_create", _partner),
        method="post",
    ),
    "matchmaking:profile": Row(
        ("login", "403", "200", "403", "200", "403", "200"),
        url=_participant_url("profile", _member),
    ),
    # the member leaves; organisers are then told it has already left
    "matchmaking:leave": Row(
        ("login", "403", TO, "403", TO, "403", TO),
        url=_participant_url("leave", _member),
        method="post",
    ),
    "matchmaking:setup": Row(ORGANISERS, url=_event_url("setup")),
    "matchmaking:slot_tables": Row(ORGANISERS, url=_event_url("slot_tables")),
    "matchmaking:participants": Row(ORGANISERS, url=_event_url("participants")),
    "matchmaking:participant_add": Row(
        ORGANISERS_POST, url=_event_url("participant_add"), method="post"
    ),
}
