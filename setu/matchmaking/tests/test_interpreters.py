"""Interpreters: the organisers' pages, the scheduler assigning them, the draft page's load
and advice, the interpreter's agenda, rescheduling and hand moves keeping them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from setu.algorithms.scheduling import validate_schedule
from setu.conftest import World
from setu.core.models import AuditEntry
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Interpreter,
    Matchmaking,
    Meeting,
    Participant,
    Slot,
    Unplaced,
)
from setu.matchmaking.selectors.schedule import scheduling_input
from setu.matchmaking.selectors.schedule_report import run_report, slot_ranges
from setu.matchmaking.services.schedule import schedule_publish
from setu.matchmaking.services.schedule_edit import meeting_move
from setu.matchmaking.tests.factories import accepted, matchmaking_for
from setu.matchmaking.tests.schedule_builders import companies, run_now

pytestmark = pytest.mark.django_db


def _event(
    world: World, *, pairs: int = 3, slots: int = 3
) -> tuple[Matchmaking, list[Participant]]:
    """Japanese speakers (ja) meeting Hindi speakers (hi): every meeting needs an interpreter."""
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=slots, tables=5)
    jp = companies(mm, pairs, languages="ja")
    india = companies(mm, pairs, country="IN", languages="hi")
    for a in jp:
        for b in india:
            accepted(a, b)
    return mm, jp + india


def _officer(world: World) -> Client:
    return world.client_for("officer_own")


def test_without_interpreters_languages_do_not_count(world: World) -> None:
    mm, _ = _event(world, pairs=2, slots=2)
    data = scheduling_input(matchmaking=mm)
    assert data.problem.interpreters == ()
    assert all(not p.languages for p in data.problem.participants)
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 4


def test_the_scheduler_assigns_interpreters(world: World) -> None:
    mm, _ = _event(world, pairs=3, slots=3)
    aiko = Interpreter.objects.create(matchmaking=mm, name="Aiko", languages="ja,hi")
    Interpreter.objects.create(matchmaking=mm, name="Ravi", languages="ja,en")  # cannot help
    first = Slot.objects.filter(matchmaking=mm).order_by("index").first()
    aiko.unavailable.add(first)
    run = run_now(mm, world.users["officer_own"])
    # One interpreter, free in two of three slots: two of the nine meetings.
    assert run.placed == 2 and run.upper_bound == 2
    meetings = Meeting.objects.filter(run=run)
    assert {m.interpreter_id for m in meetings} == {aiko.pk}
    assert first.pk not in {m.slot_id for m in meetings}
    assert "no_interpreter" in set(
        Unplaced.objects.filter(run=run).values_list("reason", flat=True)
    )
    data = scheduling_input(matchmaking=mm)
    assert validate_schedule(data.problem, data.planned(meetings)) == []
    # The worker left advice for the draft page: a ja-hi interpreter for the busy slots.
    assert run.interpreter_advice and run.interpreter_advice[0]["languages"] == ["hi", "ja"]
    assert run.interpreter_advice[0]["more"] >= 1
    report = run_report(run=run)
    assert [load.busy for load in report.interpreter_load] == [0, 1, 1]
    assert [load.available for load in report.interpreter_load] == [1, 2, 2]


def test_draft_page_shows_load_and_advice(world: World) -> None:
    mm, _ = _event(world, pairs=3, slots=3)
    Interpreter.objects.create(matchmaking=mm, name="Aiko", languages="ja,hi")
    run = run_now(mm, world.users["officer_own"])
    page = _officer(world).get(
        reverse("matchmaking:schedule_detail", args=[mm.event_id, run.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = page.content.decode()
    assert "Interpreters per slot" in text
    assert "No schedule can place more than 3 meetings" in text
    assert "One more Hindi–Japanese interpreter for slots 1–3 could place up to" in text


def test_interpreter_pages_add_change_remove(world: World) -> None:
    mm, _ = _event(world, pairs=1, slots=2)
    client = _officer(world)
    url = reverse("matchmaking:interpreters", args=[mm.event_id])
    slot = Slot.objects.filter(matchmaking=mm).order_by("index").first()
    response = client.post(url, {"name": "Aiko", "languages": "JA, hi", "unavailable": [slot.pk]})
    assert response.status_code == 302
    aiko = Interpreter.objects.get(matchmaking=mm)
    assert aiko.languages == "ja,hi" and list(aiko.unavailable.all()) == [slot]
    assert AuditEntry.objects.filter(action="matchmaking.interpreter.added").exists()
    edit = reverse("matchmaking:interpreter_edit", args=[mm.event_id, aiko.pk])
    assert client.post(edit, {"name": "Aiko T.", "languages": "ja,hi,en"}).status_code == 302
    aiko.refresh_from_db()
    assert aiko.name == "Aiko T." and not aiko.unavailable.exists()
    assert "Aiko T." in client.get(url).content.decode()
    remove = reverse("matchmaking:interpreter_remove", args=[mm.event_id, aiko.pk])
    assert client.post(remove).status_code == 302
    assert not Interpreter.objects.filter(matchmaking=mm).exists()


@pytest.mark.parametrize(
    ("language", "languages", "message"),
    [
        ("en", "ja", "An interpreter needs at least two languages"),
        ("en", "ja,japanese", "is not a language code"),
        ("ja", "ja", "通訳者には2つ以上の言語が必要です"),
        ("hi", "ja", "दुभाषिये के लिए कम से कम दो भाषाएँ चाहिए"),
    ],
)
def test_bad_languages_are_refused_in_the_readers_language(
    world: World, language: str, languages: str, message: str
) -> None:
    mm, _ = _event(world, pairs=1, slots=2)
    url = reverse("matchmaking:interpreters", args=[mm.event_id])
    officer = world.users["officer_own"]
    officer.language = language
    officer.save(update_fields=["language"])
    client = _officer(world)
    client.cookies["django_language"] = language
    response = client.post(url, {"name": "Aiko", "languages": languages})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interpreter.objects.filter(matchmaking=mm).exists()


def test_slots_of_another_event_are_refused(world: World) -> None:
    mm, _ = _event(world, pairs=1, slots=2)
    other, _ = _event(world, pairs=1, slots=2)
    foreign = Slot.objects.filter(matchmaking=other).first()
    url = reverse("matchmaking:interpreters", args=[mm.event_id])
    response = _officer(world).post(
        url, {"name": "Aiko", "languages": "ja,hi", "unavailable": [foreign.pk]}
    )
    assert response.status_code == 200
    assert not Interpreter.objects.filter(matchmaking=mm).exists()


def test_interpreter_agenda(world: World) -> None:
    mm, people = _event(world, pairs=2, slots=2)
    aiko = Interpreter.objects.create(matchmaking=mm, name="Aiko", languages="ja,hi")
    run = run_now(mm, world.users["officer_own"])
    schedule_publish(run=run, actor=world.users["officer_own"])
    page = _officer(world).get(
        reverse("matchmaking:interpreter_agenda", args=[mm.event_id, aiko.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("↔") >= 2  # the pair ja ↔ hi and at least one meeting
    assert str(people[0].organisation) in text or str(people[1].organisation) in text


def test_reschedule_keeps_published_interpreters_and_hand_moves_pick_one(world: World) -> None:
    mm, _ = _event(world, pairs=2, slots=3)
    Interpreter.objects.create(matchmaking=mm, name="Aiko", languages="ja,hi")
    Interpreter.objects.create(matchmaking=mm, name="Kenji", languages="hi,ja")
    officer = world.users["officer_own"]
    run = run_now(mm, officer)
    schedule_publish(run=run, actor=officer)
    published = {(m.request_id, m.slot_id, m.interpreter_id) for m in run.meetings.all()}
    again = run_now(mm, officer, keep_published=True)
    kept = {(m.request_id, m.slot_id, m.interpreter_id) for m in again.meetings.all()}
    assert published <= kept
    # A hand move in the new draft gets a free interpreter in its new slot.
    meeting = again.meetings.order_by("pk").first()
    slots = list(Slot.objects.filter(matchmaking=mm).order_by("index"))
    data = scheduling_input(matchmaking=mm)
    moved = None
    for slot in slots:
        if slot.pk == meeting.slot_id:
            continue
        try:
            moved = meeting_move(meeting=meeting, slot=slot, table=4, actor=officer)
        except ValidationError as error:  # a clash in that slot: the next one
            assert error.messages
        else:
            break
    assert moved is not None and moved.interpreter_id is not None
    meetings = Meeting.objects.filter(run=again)
    assert validate_schedule(data.problem, data.planned(meetings)) == []


def test_slot_ranges() -> None:
    assert slot_ranges([2, 3, 4, 7]) == "3–5, 8"
    assert slot_ranges([0]) == "1"
    assert slot_ranges([]) == ""


def test_demo_has_fictional_interpreters(world: World) -> None:
    from setu.matchmaking.demo import DEMO_INTERPRETERS

    assert all("fictional" in name for name, _ in DEMO_INTERPRETERS)
