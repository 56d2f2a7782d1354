"""After the meetings: held or no-show, each side's follow-up, the organiser's summary."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.matchmaking.models import FollowUp, Meeting
from setu.matchmaking.services.schedule import schedule_publish
from setu.matchmaking.tests.factories import accepted
from setu.matchmaking.tests.schedule_builders import (
    Scheduled,
    companies,
    move_to_the_past,
    run_now,
    scheduled,
)

pytestmark = pytest.mark.django_db


def _record(s: Scheduled) -> str:
    return reverse("matchmaking:outcome_record", args=[s.event.pk, s.meeting.pk])


def _follow_up(s: Scheduled) -> str:
    return reverse("matchmaking:outcome_follow_up", args=[s.event.pk, s.meeting.pk])


def _state(s: Scheduled) -> tuple[str, Any, Any]:
    meeting = Meeting.objects.get(pk=s.meeting.pk)
    return meeting.outcome, meeting.no_show_by_id, meeting.outcome_by_id


def test_either_side_marks_the_meeting_held(world: World) -> None:
    s = scheduled(world, past=True)
    response = world.client_for("member").post(_record(s), {"outcome": "held"}, follow=True)
    assert "Recorded. Thank you." in response.content.decode()
    assert _state(s) == ("held", None, world.users["member"].pk)
    assert AuditEntry.objects.filter(action="matchmaking.meeting.outcome").exists()


def test_a_no_show_names_who_did_not_come(world: World) -> None:
    s = scheduled(world, past=True)
    world.client_for("partner").post(_record(s), {"outcome": "no_show", "no_show_by": s.member.pk})
    assert _state(s) == ("no_show", s.member.pk, world.users["partner"].pk)
    page = world.client_for("officer_own").get(
        reverse("matchmaking:agenda_participant", args=[s.event.pk, s.member.pk])
    )
    assert "No-show: Kofu Precision K.K." in page.content.decode()


def test_an_organiser_may_record_too(world: World) -> None:
    s = scheduled(world, past=True)
    response = world.client_for("officer_own").post(_record(s), {"outcome": "held"})
    assert response["Location"] == reverse("matchmaking:outcome_summary", args=[s.event.pk])
    assert _state(s)[0] == "held"


@pytest.mark.parametrize("role", ["student", "officer_other"])
def test_others_may_not_record(world: World, role: str) -> None:
    s = scheduled(world, past=True)
    assert world.client_for(role).post(_record(s), {"outcome": "held"}).status_code == 403
    assert _state(s) == ("", None, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "maybe"}, "Choose whether the meeting was held"),
        ({"outcome": "no_show"}, "Say which side did not come."),
        ({"outcome": "no_show", "no_show_by": "999999"}, "Say which side did not come."),
    ],
)
def test_bad_outcome_is_refused(world: World, data: dict[str, str], message: str) -> None:
    s = scheduled(world, past=True)
    response = world.client_for("member").post(_record(s), data, follow=True)
    assert message in response.content.decode()
    assert _state(s) == ("", None, None)


def test_nothing_is_recorded_before_the_meeting_starts(world: World) -> None:
    s = scheduled(world)
    response = world.client_for("member").post(_record(s), {"outcome": "held"}, follow=True)
    assert "record what happened once it has started" in response.content.decode()
    assert _state(s) == ("", None, None)


def test_a_draft_meeting_has_no_outcome(world: World) -> None:
    s = scheduled(world, publish=False, past=True)
    response = world.client_for("member").post(_record(s), {"outcome": "held"}, follow=True)
    assert "Only meetings of the published schedule" in response.content.decode()
    assert _state(s) == ("", None, None)


def test_each_side_records_its_own_follow_up(world: World) -> None:
    s = scheduled(world, past=True)
    member = world.client_for("member")
    assert "Interest in following up" in member.get(_follow_up(s)).content.decode()
    response = member.post(
        _follow_up(s), {"interest": "2", "next_step": "Send a quotation", "notes": "Keen."}
    )
    assert response.status_code == 302
    world.client_for("partner").post(_follow_up(s), {"interest": "0", "next_step": ""})
    rows = {f.participant_id: (f.interest, f.next_step) for f in FollowUp.objects.all()}
    assert rows == {s.member.pk: (2, "Send a quotation"), s.partner.pk: (0, "")}
    # changing it keeps one row per side
    member.post(_follow_up(s), {"interest": "1", "next_step": "Call in May"})
    assert FollowUp.objects.get(participant=s.member).next_step == "Call in May"
    page = member.get(reverse("matchmaking:agenda", args=[s.event.pk])).content.decode()
    assert "Your follow-up: Some interest." in page


def test_follow_up_refused_before_the_meeting(world: World) -> None:
    s = scheduled(world)
    response = world.client_for("member").post(_follow_up(s), {"interest": "2"})
    assert response.status_code == 200
    assert "record what happened once it has started" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_bad_interest_is_refused(world: World) -> None:
    s = scheduled(world, past=True)
    response = world.client_for("member").post(_follow_up(s), {"interest": "7"})
    assert response.status_code == 200 and "interest" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_organisers_do_not_write_a_sides_follow_up(world: World) -> None:
    s = scheduled(world, past=True)
    assert world.client_for("officer_own").get(_follow_up(s)).status_code == 403
    assert world.client_for("officer_own").post(_follow_up(s), {"interest": "2"}).status_code == 403


def test_summary_counts_and_strong_interest(world: World) -> None:
    s = scheduled(world, past=True)
    Meeting.objects.filter(pk=s.meeting.pk).update(outcome="held")
    FollowUp.objects.create(meeting=s.meeting, participant=s.partner, interest=2, next_step="Visit")
    page = world.client_for("officer_own").get(
        reverse("matchmaking:outcome_summary", args=[s.event.pk])
    )
    summary = page.context["summary"]
    assert (summary.meetings, summary.held, summary.no_shows, summary.not_recorded) == (1, 1, 0, 0)
    assert summary.interest == {0: 0, 1: 0, 2: 1}
    body = page.content.decode()
    assert "Strong interest" in body and "Visit" in body and "Mumbai Chamber" in body
    assert (
        world.client_for("member")
        .get(reverse("matchmaking:outcome_summary", args=[s.event.pk]))
        .status_code
        == 403
    )


@pytest.mark.parametrize("count", [2, 20])
def test_summary_query_count_is_fixed(
    world: World, count: int, django_assert_max_num_queries: Any
) -> None:
    s = scheduled(world, publish=False, slots=25, tables=2)
    for other in companies(s.mm, count - 1, country="IN"):
        accepted(s.member, other)
    run = run_now(s.mm, world.users["officer_own"])
    schedule_publish(run=run, actor=world.users["officer_own"])
    move_to_the_past(s.mm)
    for meeting in run.meetings.all():
        FollowUp.objects.create(meeting=meeting, participant=s.member, interest=2)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("matchmaking:outcome_summary", args=[s.event.pk]))
    assert len(response.context["summary"].strong) == count
