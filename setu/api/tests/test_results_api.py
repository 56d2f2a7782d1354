"""Leads, deals and KPIs through the API: filters, pages, writes through the services (audit,
the ``lead.stage_changed`` event), bad input named by field with nothing changed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.api.routers.results import AnyKind, AnyStage, KindName, StageName
from setu.api.tests.support import ApiClient, client_for, token_for
from setu.conftest import World
from setu.core import domain_events
from setu.core.models import AuditEntry, Visibility
from setu.directory.models import Sector
from setu.results.kpi import kpi_figures
from setu.results.models import Deal, Lead, LeadKind, Stage, StageChange
from setu.results.tests.factories import lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def told() -> Iterator[list[domain_events.DomainEvent]]:
    heard: list[domain_events.DomainEvent] = []
    domain_events.register_listener("api-results-test", heard.extend)
    yield heard
    domain_events._LISTENERS.pop("api-results-test", None)


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_schemas_literals_are_the_models_choices() -> None:
    assert set(StageName.__args__) == set(Stage.values)
    assert set(KindName.__args__) == set(LeadKind.values)
    assert set(AnyStage.__args__) == {"", *Stage.values}
    assert set(AnyKind.__args__) == {"", *LeadKind.values}


def test_lead_filters_and_the_ownership_rule(world: World) -> None:
    sector = Sector.objects.order_by("pk").first()
    trade = lead(world, title="Trade one", sector=sector)
    investment = lead(world, title="Investment one", kind=LeadKind.INVESTMENT)
    Lead.objects.filter(pk=investment.pk).update(stage=Stage.PROPOSAL)
    secret = lead(world, owner=world.other_prefecture, company=world.partner_org)
    Lead.objects.filter(pk=secret.pk).update(visibility=Visibility.PRIVATE)
    own = client_for(world.users["officer_own"])
    url = reverse("api:leads")
    assert set(_ids(own.get(url))) == {trade.pk, investment.pk}
    assert _ids(own.get(url, {"kind": "investment"})) == [investment.pk]
    assert _ids(own.get(url, {"stage": "proposal"})) == [investment.pk]
    assert _ids(own.get(url, {"sector": sector.pk})) == [trade.pk]
    assert _ids(own.get(url, {"owner": world.other_prefecture.pk})) == []
    assert _ids(own.get(url, {"q": "Trade"})) == [trade.pk]
    other = client_for(world.users["officer_other"])
    assert set(_ids(other.get(url))) == {trade.pk, investment.pk, secret.pk}
    assert other.get(reverse("api:lead", args=[trade.pk])).status_code == 200
    assert own.get(reverse("api:lead", args=[secret.pk])).status_code == 404
    assert own.get(reverse("api:lead_moves", args=[secret.pk])).status_code == 404
    bad = own.get(url, {"stage": "sold"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.stage"
    order = own.get(url, {"ordering": "title"})
    assert order.status_code == 400
    assert order.json()["errors"][0]["field"] == "query.ordering"


def test_lead_pages_walk_every_lead_once(world: World) -> None:
    made = {lead(world, title=f"Lead {n}").pk for n in range(7)}
    api = client_for(world.users["secretariat"])
    seen: list[int] = []
    cursor = None
    while True:
        query: dict[str, Any] = {"limit": 3, "ordering": "-id"}
        if cursor:
            query["cursor"] = cursor
        body = api.get(reverse("api:leads"), query).json()
        seen += [row["id"] for row in body["results"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted(made, reverse=True)


def test_a_lead_detail_has_its_credits_and_its_history(world: World) -> None:
    from setu.results.services import lead_create

    officer = world.users["officer_own"]
    made = lead_create(
        actor=officer,
        owner=world.prefecture,
        data={"kind": "trade", "title": "Dies", "company": world.company, "visibility": "private"},
    )
    api = client_for(officer, language="ja")
    detail = api.get(reverse("api:lead", args=[made.pk])).json()
    assert detail["credits"] == [{"organisation": world.prefecture.pk, "share": "1.0000"}]
    assert detail["company"] == world.company.pk and detail["stage"] == "identified"
    moves = api.get(reverse("api:lead_moves", args=[made.pk])).json()["results"]
    assert [(m["from_stage"], m["to_stage"], m["by"]) for m in moves] == [
        ("", "identified", officer.pk)
    ]


def _body(world: World, **more: Any) -> dict[str, Any]:
    return {"kind": "trade", "title": "Moulds for Chennai", "company": world.company.pk, **more}


def test_creating_a_lead_goes_through_the_service(
    world: World,
    told: list[domain_events.DomainEvent],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    officer = world.users["officer_own"]
    api = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api:leads"),
            _body(world, expected_value="2500000.00", next_step_due="2027-01-15", probability=30),
        )
    assert response.status_code == 201, response.content
    body = response.json()
    made = Lead.objects.get()
    assert body["id"] == made.pk and body["owner"] == world.prefecture.pk
    assert made.expected_value == Decimal("2500000.00") and made.visibility == "private"
    assert made.origin_kind == "manual" and made.created_by == officer
    entry = AuditEntry.objects.get(action="results.lead.created")
    assert entry.actor == officer
    assert [event.kind for event in told] == ["lead.stage_changed"]
    assert told[0].payload["lead"] == made.pk


def test_a_travel_package_lead_carries_its_travellers(world: World) -> None:
    api = client_for(world.users["officer_own"])
    body = _body(world, kind="travel_package", season="Diwali 2027", expected_travellers=120)
    response = api.post(reverse("api:leads"), body)
    assert response.status_code == 201, response.content
    made = Lead.objects.get()
    assert made.kind == "travel_package" and made.expected_travellers == 120
    shown = api.get(reverse("api:lead", args=[made.pk])).json()
    assert shown["season"] == "Diwali 2027" and shown["expected_travellers"] == 120
    assert [
        r["id"] for r in api.get(reverse("api:leads"), {"kind": "travel_package"}).json()["results"]
    ] == [made.pk]


def test_creating_a_lead_refuses_bad_input_and_changes_nothing(world: World) -> None:
    url = reverse("api:leads")
    own = client_for(world.users["officer_own"], language="ja")
    unknown = own.post(url, _body(world, colour="red"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.colour"
    missing = own.post(url, {"kind": "trade"})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"body.title", "body.company"}
    assert own.post(url, _body(world, probability=101)).json()["errors"][0]["field"] == (
        "body.probability"
    )
    same = own.post(url, _body(world, counterpart=world.company.pk))
    assert same.status_code == 422
    assert same.json()["errors"][0]["field"] == "body.counterpart"
    assert same.json()["errors"][0]["message"] != (
        "The counterpart must be another organisation than the company."
    )  # in Japanese
    not_mine = own.post(url, _body(world, owner=world.other_prefecture.pk))
    assert not_mine.status_code == 400
    assert not_mine.json()["errors"][0]["field"] == "body.owner"
    # Shizuoka's officer may not see Yamanashi's private company
    hidden = client_for(world.users["officer_other"]).post(url, _body(world))
    assert hidden.status_code == 422
    assert hidden.json()["errors"][0]["field"] == "body.company"
    assert own.post(url, '{"kind": ').status_code == 400
    read_only = client_for(world.users["officer_own"], scopes=["read"]).post(url, _body(world))
    assert read_only.status_code == 403
    assert "leads:write" in read_only.json()["detail"]
    for role in ("member", "partner", "student", "secretariat"):
        assert client_for(world.users[role]).post(url, _body(world)).status_code == 403, role
    assert client_for(None).post(url, _body(world)).status_code == 401
    assert not Lead.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="results.").exists()


def test_moving_a_lead_forward_and_back(
    world: World,
    told: list[domain_events.DomainEvent],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    moved = lead(world)
    Lead.objects.filter(pk=moved.pk).update(stage=Stage.PROPOSAL)
    officer = world.users["officer_own"]
    url = reverse("api:lead_moves", args=[moved.pk])
    api = client_for(officer, language="hi")
    back = api.post(url, {"to_stage": "contacted"})
    assert back.status_code == 400
    assert back.json()["errors"][0]["field"] == "body.reason"
    assert back.json()["detail"] != "Moving a lead back needs a reason: say what happened."
    assert api.post(url, {"to_stage": "sold"}).json()["errors"][0]["field"] == "body.to_stage"
    assert api.post(url, {"to_stage": "won", "why": "x"}).status_code == 422
    same = api.post(url, {"to_stage": "proposal"})
    assert same.status_code == 400 and same.json()["errors"][0]["field"] == "body.to_stage"
    moved.refresh_from_db()
    assert moved.stage == Stage.PROPOSAL and not StageChange.objects.exists()
    assert not told

    with django_capture_on_commit_callbacks(execute=True):
        forward = api.post(url, {"to_stage": "negotiation"})
    assert forward.status_code == 201, forward.content
    assert forward.json()["from_stage"] == "proposal"
    assert forward.json()["to_stage"] == "negotiation" and forward.json()["by"] == officer.pk
    assert [e.payload["to_stage"] for e in told] == ["negotiation"]
    with django_capture_on_commit_callbacks(execute=True):
        backwards = api.post(url, {"to_stage": "contacted", "reason": "बजट रुक गया"})
    assert backwards.status_code == 201
    assert backwards.json()["backwards"] is True
    assert backwards.json()["reason"] == "बजट रुक गया"
    entries = AuditEntry.objects.filter(action="results.lead.moved").order_by("pk")
    assert [entry.actor for entry in entries] == [officer, officer]
    history = api.get(url).json()["results"]
    assert [row["to_stage"] for row in history] == ["negotiation", "contacted"]


def test_only_the_owners_officers_move_a_lead(world: World) -> None:
    shared = lead(world)
    secret = lead(world, visibility=Visibility.PRIVATE)
    move = {"to_stage": "contacted"}
    other = client_for(world.users["officer_other"])
    assert other.post(reverse("api:lead_moves", args=[shared.pk]), move).status_code == 403
    assert other.post(reverse("api:lead_moves", args=[secret.pk]), move).status_code == 404
    secretariat = client_for(world.users["secretariat"])
    assert secretariat.post(reverse("api:lead_moves", args=[shared.pk]), move).status_code == 403
    member = client_for(world.users["member"])
    assert member.post(reverse("api:lead_moves", args=[shared.pk]), move).status_code == 403
    assert set(Lead.objects.values_list("stage", flat=True)) == {Stage.IDENTIFIED}


def test_deals_follow_their_leads(world: World) -> None:
    shared = lead(world, kind=LeadKind.INVESTMENT)
    secret = lead(world, visibility=Visibility.PRIVATE)
    deals = [
        Deal.objects.create(
            lead=one, value=Decimal("1000000"), closed_on=date(2026, 6, day), jobs_planned=12
        )
        for day, one in ((1, shared), (2, secret))
    ]
    own = client_for(world.users["officer_own"])
    assert _ids(own.get(reverse("api:deals"))) == [deals[1].pk, deals[0].pk]
    assert _ids(own.get(reverse("api:deals"), {"kind": "investment"})) == [deals[0].pk]
    other = client_for(world.users["officer_other"])
    assert _ids(other.get(reverse("api:deals"))) == [deals[0].pk]
    assert other.get(reverse("api:deal", args=[deals[1].pk])).status_code == 404
    detail = other.get(reverse("api:deal", args=[deals[0].pk])).json()
    assert detail["lead"] == shared.pk and detail["value"] == "1000000.00"
    assert detail["kind"] == "investment" and detail["jobs_planned"] == 12
    assert client_for(world.users["member"]).get(reverse("api:deals")).status_code == 403


def test_kpis_are_the_dashboards_figures(world: World) -> None:
    lead(world)
    officer = world.users["officer_own"]
    query = {"member": "JP-19", "from": "2026-04-01", "to": "2027-03-31"}
    response = client_for(officer).get(reverse("api:kpis"), query)
    assert response.status_code == 200, response.content
    expected = kpi_figures(
        member=world.prefecture, start=date(2026, 4, 1), end=date(2027, 3, 31), user=officer
    )
    assert response.json() == json.loads(json.dumps(expected))
    consortium = client_for(world.users["secretariat"]).get(
        reverse("api:kpis"), {**query, "member": "consortium"}
    )
    assert consortium.status_code == 200
    assert consortium.json()["member"] == "consortium"
    # without a member: the officer's own prefecture, as on the dashboard
    assert client_for(officer).get(reverse("api:kpis")).json()["member"] == "JP-19"


def test_kpis_refuse_who_may_not_read_them_and_bad_parameters(world: World) -> None:
    url = reverse("api:kpis")
    other = client_for(world.users["officer_other"])
    assert other.get(url, {"member": "JP-19"}).status_code == 403
    assert other.get(url, {"member": "JP-22"}).status_code == 200
    assert other.get(url, {"member": "consortium"}).status_code == 200
    for role in ("member", "partner", "student"):
        assert client_for(world.users[role]).get(url).status_code == 403, role
    unknown = other.get(url, {"member": "JP-99"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "query.member"
    reversed_ = other.get(url, {"member": "JP-22", "from": "2027-01-01", "to": "2026-01-01"})
    assert reversed_.status_code == 400
    assert reversed_.json()["errors"][0]["field"] == "query.to"
    bad_day = other.get(url, {"from": "2026-02-30"})
    assert bad_day.status_code == 422
    assert bad_day.json()["errors"][0]["field"] == "query.from"
    sector = other.get(url, {"sector": "ZZ"})
    assert sector.status_code == 400 and sector.json()["errors"][0]["field"] == "query.sector"


@pytest.mark.parametrize("name", ["leads", "deals"])
def test_a_list_costs_the_same_queries_for_2_or_12_rows(world: World, name: str) -> None:
    api = ApiClient(token_for(world.users["officer_own"]))

    def more(n: int) -> None:
        for _ in range(n):
            made = lead(world, sector=Sector.objects.order_by("pk").first())
            Deal.objects.create(lead=made, value=Decimal(1), closed_on=date(2026, 6, 1))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(reverse(f"api:{name}"), {"limit": 100}).status_code == 200
        return len(captured.captured_queries)

    more(2)
    count()
    few = count()
    more(10)
    assert few == count() <= 7, few
