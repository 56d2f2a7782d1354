"""Meeting requests: every refusal changes nothing; answers, withdrawals, emails, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.matchmaking.models import (
    Matchmaking,
    MeetingRequest,
    Participant,
    RequestStatus,
    RunStatus,
    ScheduleRun,
)
from setu.matchmaking.services import requests as services_requests
from setu.matchmaking.services.requests import request_answer, request_create, request_withdraw
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import (
    close_window,
    indian,
    japanese,
    market,
    member_of,
    member_side,
    partner_side,
)

pytestmark = pytest.mark.django_db

Hooks = Any  # pytest-django's django_capture_on_commit_callbacks: runs the emails' hooks


def _pair(world: World, **settings: Any) -> tuple[Matchmaking, Participant, Participant]:
    mm = market(world, **settings)
    return mm, member_side(world, mm), partner_side(world, mm)


def _ask(world: World, requester: Participant, recipient: Participant, **kw: Any) -> Any:
    return request_create(
        requester=requester, recipient=recipient, actor=world.users["member"], **kw
    )


def test_a_request_is_saved_audited_and_mailed(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    _mm, me, them = _pair(world)
    with django_capture_on_commit_callbacks(execute=True):
        made = _ask(world, me, them, message="Shall we meet?", priority=3)
    assert (made.status, made.priority, made.pair_key) == ("pending", 3, f"{me.pk}-{them.pk}")
    assert made.created_by == world.users["member"]
    entry = AuditEntry.objects.get(action="matchmaking.request.created")
    assert entry.owner == world.company
    [message] = mail.outbox
    assert message.to == [world.users["partner"].email]
    assert "Shall we meet?" in message.body and world.company.display_name in message.subject


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("self", "with yourself"),
        ("window_closed", "Meeting requests closed on"),
        ("window_not_open", "Meeting requests open on"),
        ("window_unset", "have not opened meeting requests"),
        ("pair_rule", "only the Japanese side and the Indian side"),
        ("duplicate_mine", "already an open meeting request"),
        ("duplicate_theirs", "has already asked you"),
        ("duplicate_accepted", "already an open meeting request"),
        ("over_limit", "the most this event allows"),
        ("me_inactive", "You no longer take part"),
        ("them_inactive", "no longer takes part"),
        ("other_event", "not in this event's matchmaking"),
    ],
)
def test_refusals_change_nothing(
    world: World, setup: str, message: str, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm, me, them = _pair(world, max_requests=1)
    recipient = them
    existing = 0
    if setup == "self":
        recipient = me
    elif setup == "window_closed":
        close_window(mm)
    elif setup == "window_not_open":
        mm.requests_open_at = timezone.now() + timedelta(days=1)
        mm.save()
    elif setup == "window_unset":
        mm.requests_open_at = None
        mm.requests_close_at = None
        mm.save()
    elif setup == "pair_rule":
        mm.pair_rule = "cross"
        mm.save()
        recipient = participant(mm, japanese())
    elif setup == "duplicate_mine":
        MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=them)
        existing = 1
    elif setup == "duplicate_theirs":
        MeetingRequest.objects.create(matchmaking=mm, requester=them, recipient=me)
        existing = 1
    elif setup == "duplicate_accepted":
        MeetingRequest.objects.create(
            matchmaking=mm, requester=them, recipient=me, status=RequestStatus.ACCEPTED
        )
        existing = 1
        message = "already asked you"
    elif setup == "over_limit":
        MeetingRequest.objects.create(
            matchmaking=mm, requester=me, recipient=participant(mm, indian())
        )
        existing = 1
    elif setup == "me_inactive":
        me.active = False
        me.save()
    elif setup == "them_inactive":
        them.active = False
        them.save()
    elif setup == "other_event":
        recipient = participant(market(world), indian())
    before = list(MeetingRequest.objects.values_list("pk", "status"))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match=message),
    ):
        _ask(world, me, recipient)
    assert list(MeetingRequest.objects.values_list("pk", "status")) == before
    assert MeetingRequest.objects.count() == existing
    assert not AuditEntry.objects.filter(action="matchmaking.request.created").exists()
    assert mail.outbox == []


def test_declined_and_withdrawn_requests_do_not_block_or_count(world: World) -> None:
    mm, me, them = _pair(world, max_requests=1)
    MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=them, status=RequestStatus.DECLINED
    )
    MeetingRequest.objects.create(
        matchmaking=mm, requester=them, recipient=me, status=RequestStatus.WITHDRAWN
    )
    assert _ask(world, me, them).status == "pending"


def test_a_race_lost_to_the_unique_index_gives_the_duplicate_message(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    mm, me, them = _pair(world)
    MeetingRequest.objects.create(matchmaking=mm, requester=them, recipient=me)
    # As if the other side's request arrived between the check and the insert.
    monkeypatch.setattr(services_requests, "request_refusal", lambda **kw: None)
    with pytest.raises(ValidationError, match="already an open meeting request"):
        _ask(world, me, them)
    assert MeetingRequest.objects.count() == 1


def test_an_unknown_priority_is_refused(world: World) -> None:
    _mm, me, them = _pair(world)
    with pytest.raises(ValidationError, match="priority"):
        _ask(world, me, them, priority=7)
    assert not MeetingRequest.objects.exists()


# --- answers --------------------------------------------------------------------------------


def _request(mm: Matchmaking, requester: Participant, recipient: Participant) -> MeetingRequest:
    return MeetingRequest.objects.create(matchmaking=mm, requester=requester, recipient=recipient)


def test_the_recipient_accepts_with_an_answer(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm, me, them = _pair(world)
    asked = _request(mm, me, them)
    with django_capture_on_commit_callbacks(execute=True):
        done = request_answer(
            meeting_request=asked,
            participant=them,
            actor=world.users["partner"],
            accept=True,
            answer="Gladly",
        )
    assert done.status == "accepted" and done.answer == "Gladly" and done.answered_at
    assert AuditEntry.objects.filter(action="matchmaking.request.accepted").count() == 1
    [message] = mail.outbox
    assert message.to == [world.users["member"].email] and "accepted" in message.subject
    assert "Gladly" in message.body


def test_the_recipient_declines_after_the_window_closed(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm, me, them = _pair(world)
    asked = _request(mm, me, them)
    close_window(mm)
    with django_capture_on_commit_callbacks(execute=True):
        done = request_answer(
            meeting_request=asked, participant=them, actor=world.users["partner"], accept=False
        )
    assert done.status == "declined"
    assert "declined" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not_addressed", "not addressed to you"),
        ("answered", "already been answered"),
        ("withdrawn", "was withdrawn"),
        ("published", "schedule is published"),
        ("not_open", "not open yet"),
        ("requester_left", "no longer takes part"),
        ("recipient_left", "You no longer take part"),
    ],
)
def test_answer_refusals_change_nothing(
    world: World, setup: str, message: str, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm, me, them = _pair(world)
    asked = _request(mm, me, them)
    answering = them
    if setup == "not_addressed":
        answering = me
    elif setup == "answered":
        asked.status, asked.answered_at = RequestStatus.DECLINED, timezone.now()
        asked.save()
    elif setup == "withdrawn":
        asked.status = RequestStatus.WITHDRAWN
        asked.save()
    elif setup == "published":
        ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.PUBLISHED)
    elif setup == "not_open":
        mm.requests_open_at = timezone.now() + timedelta(days=1)
        mm.save()
    elif setup == "requester_left":
        me.active = False
        me.save()
    elif setup == "recipient_left":
        them.active = False
        them.save()
    before = MeetingRequest.objects.values("status", "answer", "answered_at").get(pk=asked.pk)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match=message),
    ):
        request_answer(
            meeting_request=asked,
            participant=answering,
            actor=world.users["partner"],
            accept=True,
            answer="x",
        )
    assert MeetingRequest.objects.values("status", "answer", "answered_at").get(pk=asked.pk) == (
        before
    )
    assert not AuditEntry.objects.filter(action__startswith="matchmaking.request").exists()
    assert mail.outbox == []


# --- withdrawing ----------------------------------------------------------------------------


def test_the_requester_withdraws_pending_and_accepted_requests(world: World) -> None:
    mm, me, them = _pair(world)
    asked = _request(mm, me, them)
    assert request_withdraw(
        meeting_request=asked, participant=me, actor=world.users["member"]
    ).status == ("withdrawn")
    other = participant(mm, indian())
    accepted = MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=other, status=RequestStatus.ACCEPTED
    )
    request_withdraw(meeting_request=accepted, participant=me, actor=world.users["member"])
    assert AuditEntry.objects.filter(action="matchmaking.request.withdrawn").count() == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("recipient", "Only the participant who sent"),
        ("declined", "no longer open"),
        ("published", "published schedule"),
    ],
)
def test_withdraw_refusals_change_nothing(world: World, setup: str, message: str) -> None:
    mm, me, them = _pair(world)
    asked = _request(mm, me, them)
    who = me
    if setup == "recipient":
        who = them
    elif setup == "declined":
        asked.status = RequestStatus.DECLINED
        asked.save()
    elif setup == "published":
        asked.status = RequestStatus.ACCEPTED
        asked.save()
        ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.PUBLISHED)
    before = MeetingRequest.objects.get(pk=asked.pk).status
    with pytest.raises(ValidationError, match=message):
        request_withdraw(meeting_request=asked, participant=who, actor=world.users["member"])
    assert MeetingRequest.objects.get(pk=asked.pk).status == before
    assert not AuditEntry.objects.filter(action="matchmaking.request.withdrawn").exists()


# --- emails ---------------------------------------------------------------------------------


def test_emails_go_out_in_each_recipients_language(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm = market(world)
    event = mm.event
    event.title_en, event.title_ja = "Networking in Bengaluru", "ベンガルール交流会"
    event.save()
    jp_company = japanese()
    ja_user = member_of(jp_company, language="ja", email="ja@kofu.example", time_zone="Asia/Tokyo")
    en_user = member_of(jp_company, language="en", email="en@kofu.example")
    them = participant(mm, jp_company)  # no contact person: every member is told
    me = partner_side(world, mm)
    with django_capture_on_commit_callbacks(execute=True):
        request_create(requester=me, recipient=them, actor=world.users["partner"], message="Hi")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ja@kofu.example", "en@kofu.example"}
    assert "ベンガルール交流会" in by_address["ja@kofu.example"].subject
    assert "Networking in Bengaluru" in by_address["en@kofu.example"].subject
    assert "ベンガルール交流会" not in by_address["en@kofu.example"].body
    with translation.override("ja"):
        expected = translation.gettext("Priority:")
    assert expected in by_address["ja@kofu.example"].body
    assert ja_user.pk and en_user.pk


def test_the_contact_person_alone_is_told_when_there_is_one(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    _mm, me, them = _pair(world)
    member_of(world.partner_org, email="colleague@chamber.example")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, me, them)
    assert [m.to for m in mail.outbox] == [[world.users["partner"].email]]


def test_the_email_links_to_the_requests_page(
    world: World, settings: Any, django_capture_on_commit_callbacks: Hooks
) -> None:
    settings.SETU_BASE_URL = "https://setu.example"
    mm, me, them = _pair(world)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, me, them)
    body = mail.outbox[0].body
    assert f"https://setu.example/events/{mm.event.pk}/matchmaking/requests/" in body
    assert f"https://setu.example/events/{mm.event.pk}/matchmaking/participants/{me.pk}/" in body


def test_request_email_has_one_full_stop_after_a_name_ending_in_one(
    world: World, django_capture_on_commit_callbacks: Hooks
) -> None:
    mm, me, them = _pair(world)
    mm.event.title_en = "B2B day of Kofu Precision K.K."
    mm.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, me, them)
    [message] = mail.outbox
    assert "at B2B day of Kofu Precision K.K.\n" in message.body
    assert "K.K.." not in message.body
