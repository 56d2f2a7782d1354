"""Meeting requests in the browser: sending, answering, withdrawing, and "My meeting requests"."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from setu.conftest import World
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant, RequestStatus
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import (
    close_window,
    indian,
    market,
    member_side,
    partner_side,
)

pytestmark = pytest.mark.django_db


def _setup(world: World, **settings: Any) -> tuple[Matchmaking, Participant, Participant]:
    mm = market(world, **settings)
    return mm, member_side(world, mm), partner_side(world, mm)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _action(mm: Matchmaking, asked: MeetingRequest, action: str) -> str:
    return reverse("matchmaking:request_action", args=[mm.event.pk, asked.pk, action])


def test_sending_a_request_from_the_participant_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mm, me, them = _setup(world)
    url = reverse("matchmaking:request_create", args=[mm.event.pk, them.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("member").post(
            url, {"message": "Let us talk hydrogen", "priority": "2"}
        )
    assert response["Location"] == reverse("matchmaking:participant", args=[mm.event.pk, them.pk])
    asked = MeetingRequest.objects.get()
    assert (asked.requester, asked.recipient, asked.priority) == (me, them, 2)
    assert "on its way" in _messages(response)[0]
    assert len(mail.outbox) == 1


def test_a_refused_request_says_why_and_changes_nothing(world: World) -> None:
    mm, _me, them = _setup(world)
    close_window(mm)
    url = reverse("matchmaking:request_create", args=[mm.event.pk, them.pk])
    response = world.client_for("member").post(url, {"message": "", "priority": "1"})
    assert "Meeting requests closed on" in _messages(response)[0]
    assert not MeetingRequest.objects.exists()


def test_an_invalid_request_form_shows_its_errors(world: World) -> None:
    mm, _me, them = _setup(world)
    url = reverse("matchmaking:request_create", args=[mm.event.pk, them.pk])
    response = world.client_for("member").post(url, {"message": "x" * 1200, "priority": "9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html and "at most 1000 characters" in html
    assert not MeetingRequest.objects.exists()


def test_people_not_taking_part_cannot_send(world: World) -> None:
    mm, _me, them = _setup(world)
    url = reverse("matchmaking:request_create", args=[mm.event.pk, them.pk])
    assert world.client_for("officer_other").post(url, {"priority": "1"}).status_code == 403
    assert not MeetingRequest.objects.exists()


def test_the_recipient_accepts_and_declines_from_the_requests_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mm, me, them = _setup(world)
    first = MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
    second_party = participant(mm, indian())
    second = MeetingRequest.objects.create(matchmaking=mm, requester=second_party, recipient=me)
    partner = world.client_for("partner")
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(_action(mm, first, "accept"), {"answer": "See you there"})
    assert response["Location"] == reverse("matchmaking:requests", args=[mm.event.pk])
    first.refresh_from_db()
    assert first.status == "accepted" and first.answer == "See you there"
    assert "accepted" in mail.outbox[0].subject
    member = world.client_for("member")
    member.post(_action(mm, second, "decline"))
    second.refresh_from_db()
    assert second.status == "declined"


def test_answering_ones_own_request_is_refused_with_a_message(world: World) -> None:
    mm, me, them = _setup(world)
    asked = MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
    response = world.client_for("member").post(_action(mm, asked, "accept"))
    assert _messages(response) == ["This request is not addressed to you."]
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_answering_twice_is_refused(world: World) -> None:
    mm, me, them = _setup(world)
    asked = MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
    partner = world.client_for("partner")
    partner.post(_action(mm, asked, "decline"))
    response = partner.post(_action(mm, asked, "accept"))
    assert _messages(response)[-1] == "This request has already been answered."
    asked.refresh_from_db()
    assert asked.status == "declined"


def test_strangers_and_unknown_actions_get_not_found(world: World) -> None:
    mm, me, them = _setup(world)
    asked = MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
    outsider = participant(mm, indian())
    assert outsider.pk
    assert world.client_for("officer_own").post(_action(mm, asked, "accept")).status_code == 404
    assert world.client_for("partner").post(_action(mm, asked, "delete")).status_code == 404
    assert world.client_for("partner").get(_action(mm, asked, "accept")).status_code == 405
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_the_requester_withdraws(world: World) -> None:
    mm, me, them = _setup(world)
    asked = MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
    response = world.client_for("member").post(_action(mm, asked, "withdraw"))
    assert "withdrawn" in _messages(response)[0]
    asked.refresh_from_db()
    assert asked.status == RequestStatus.WITHDRAWN


def test_my_requests_lists_received_pending_first_sent_and_accepted(world: World) -> None:
    mm, me, them = _setup(world)
    old = participant(mm, indian(name_en="Declined Ltd"))
    MeetingRequest.objects.create(
        matchmaking=mm, requester=old, recipient=me, status=RequestStatus.DECLINED
    )
    waiting = MeetingRequest.objects.create(matchmaking=mm, requester=them, recipient=me)
    sent = MeetingRequest.objects.create(
        matchmaking=mm,
        requester=me,
        recipient=participant(mm, indian(name_en="Accepted Ltd")),
        status=RequestStatus.ACCEPTED,
    )
    response = world.client_for("member").get(reverse("matchmaking:requests", args=[mm.event.pk]))
    mine = response.context["mine"]
    assert [r.status for r in mine.received] == ["pending", "declined"]
    assert mine.received[0] == waiting and mine.sent == [sent] and mine.accepted == [sent]
    html = response.content.decode()
    assert html.count('formaction="') == 1  # accept and decline for the one waiting
    assert "Withdraw" in html


@pytest.mark.parametrize("rows", [2, 20])
def test_my_requests_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    mm, me, _them = _setup(world)
    for index in range(rows):
        other = participant(mm, indian())
        if index % 2:
            MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=other)
        else:
            MeetingRequest.objects.create(
                matchmaking=mm, requester=other, recipient=me, message="hello"
            )
    client = world.client_for("member")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("matchmaking:requests", args=[mm.event.pk]))
    assert response.status_code == 200


def test_a_request_can_be_answered_on_the_requesters_page(world: World) -> None:
    mm, me, them = _setup(world)
    asked = MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=them, message="Tea?"
    )
    page_url = reverse("matchmaking:participant", args=[mm.event.pk, me.pk])
    partner = world.client_for("partner")
    html = partner.get(page_url).content.decode()
    assert "Tea?" in html and _action(mm, asked, "decline") in html
    response = partner.post(_action(mm, asked, "accept"), {"next": page_url})
    assert response["Location"] == page_url
    asked.refresh_from_db()
    assert asked.status == "accepted"
    # Elsewhere is not a place to go back to.
    other = MeetingRequest.objects.create(
        matchmaking=mm, requester=participant(mm, indian()), recipient=me
    )
    response = world.client_for("member").post(
        _action(mm, other, "decline"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("matchmaking:requests", args=[mm.event.pk])
