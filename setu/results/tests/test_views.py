"""The results pages through the client: the board and list (bounded queries, only what each
member shares), moves by keyboard form with the reason step, one click from a held meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.results.models import Lead, Stage
from setu.results.tests.factories import held_meeting, lead

pytestmark = pytest.mark.django_db


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, url
    return len(captured)


def test_board_and_list_cost_the_same_queries_for_few_or_many_leads(world: World) -> None:
    client = world.client_for("officer_own")
    lead(world)
    urls = [reverse("results:board"), reverse("results:leads")]
    few = [_queries(client, url) for url in urls]
    for n in range(30):
        lead(world, title=f"Lead {n}", stage=list(Stage)[n % 8], next_step_due=timezone.localdate())
    many = [_queries(client, url) for url in urls]
    assert many == few, (few, many)


def test_the_secretariat_sees_only_what_members_share(world: World) -> None:
    lead(world, title="Shared lead")
    lead(world, title="Private lead", visibility="private")
    url = reverse("results:board") + f"?member={world.prefecture.pk}"
    secretariat = world.client_for("secretariat").get(url).content.decode()
    assert "Shared lead" in secretariat and "Private lead" not in secretariat
    other = world.client_for("officer_other").get(reverse("results:leads")).content.decode()
    assert "Shared lead" in other and "Private lead" not in other
    own = world.client_for("officer_own").get(url).content.decode()
    assert "Private lead" in own and 'draggable="true"' in own
    assert 'draggable="true"' not in secretariat  # reading only


def test_a_move_from_the_board_and_a_move_back_asks_for_a_reason(world: World) -> None:
    client = world.client_for("officer_own")
    record = lead(world, stage=Stage.PROPOSAL)
    url = reverse("results:lead_move", args=[record.pk])
    board = reverse("results:board")
    response = client.post(url, {"to_stage": "negotiation", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    back = client.post(url, {"to_stage": "contacted", "next": board})
    assert back.status_code == 200 and 'name="reason"' in back.content.decode()
    assert Lead.objects.get().stage == Stage.NEGOTIATION
    client.post(url, {"to_stage": "contacted", "reason": "Buyer paused", "next": board})
    assert Lead.objects.get().stage == Stage.CONTACTED
    assert AuditEntry.objects.filter(action="results.lead.moved").count() == 2
    won = client.post(url, {"to_stage": "won"})
    assert won["Location"] == reverse("results:deal", args=[record.pk])


def test_bad_input_on_the_lead_form_says_which_field(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.post(
        reverse("results:lead_create"),
        {"kind": "trade", "title": "X", "company": world.company.pk, "expected_value": "-5",
         "currency": "JPY", "probability": "150", "visibility": "private", "origin_kind": "event"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"expected_value", "probability", "origin_event"} <= set(errors)
    assert not Lead.objects.exists()


def test_one_click_from_a_held_meeting(world: World) -> None:
    meeting = held_meeting(world)
    client = world.client_for("officer_own")
    summary = reverse("matchmaking:outcome_summary", args=[meeting.run.matchmaking.event_id])
    page = client.get(summary).content.decode()
    action = reverse("results:lead_from_meeting", args=[meeting.pk])
    assert action in page
    first = client.post(action)
    made = Lead.objects.get()
    assert first["Location"] == reverse("results:lead_edit", args=[made.pk])
    assert made.company == world.company and made.counterpart == world.partner_org
    second = client.post(action)
    assert second["Location"] == made.get_absolute_url() and Lead.objects.count() == 1


def test_the_dashboard_shows_overdue_next_steps(world: World) -> None:
    lead(
        world,
        title="Call the buyer",
        next_step="Call",
        next_step_due=timezone.localdate() - timedelta(days=1),
    )
    page = world.client_for("officer_own").get(reverse("dashboard")).content.decode()
    assert "Call the buyer" in page
    assert (
        "Call the buyer"
        not in world.client_for("member").get(reverse("dashboard")).content.decode()
    )


def test_a_companys_page_lists_its_leads_for_staff_only(world: World) -> None:
    lead(world, title="Dies for Mumbai")
    url = world.company.get_absolute_url()
    assert "Dies for Mumbai" in world.client_for("officer_own").get(url).content.decode()
    assert "Dies for Mumbai" not in world.client_for("member").get(url).content.decode()
