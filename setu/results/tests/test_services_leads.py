"""Leads: creation, stage moves, the attribution rule, deals, MoU links; bad input changes
nothing and says why in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from setu.conftest import World
from setu.coordination.models import MissionParticipant
from setu.coordination.tests.factories import MissionFactory
from setu.core import domain_events
from setu.core.models import AuditEntry
from setu.directory.models import Partnership
from setu.directory.tests.factories import CompanyFactory, PrefectureFactory
from setu.events.models import EventOrganisation, HostRole
from setu.results.models import Credit, Deal, Lead, MouLink, OriginKind, Stage, StageChange
from setu.results.services import (
    credits_set,
    deal_save,
    equal_shares,
    lead_create,
    lead_from_meeting,
    lead_move,
    lead_update,
    mou_link_add,
)
from setu.results.tests.factories import held_meeting, past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def told() -> Iterator[list[domain_events.DomainEvent]]:
    heard: list[domain_events.DomainEvent] = []
    domain_events.register_listener("results-test", heard.extend)
    yield heard
    domain_events._LISTENERS.pop("results-test", None)


def _data(world: World, **more: object) -> dict[str, object]:
    return {
        "kind": "trade",
        "title": "Dies for Mumbai",
        "company": world.company,
        "counterpart": world.partner_org,
        "expected_value": Decimal("2500000"),
        "currency": "JPY",
        "probability": 40,
        "visibility": "consortium",
        **more,
    }


def test_a_lead_is_created_with_its_first_stage_credits_audit_and_event(
    world: World,
    told: list[domain_events.DomainEvent],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    officer = world.users["officer_own"]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        lead = lead_create(actor=officer, owner=world.prefecture, data=_data(world))
    assert lead.stage == Stage.IDENTIFIED and lead.origin_kind == OriginKind.MANUAL
    assert list(StageChange.objects.filter(lead=lead).values_list("from_stage", "to_stage")) == [
        ("", "identified")
    ]
    assert [(c.organisation_id, c.share) for c in Credit.objects.filter(lead=lead)] == [
        (world.prefecture.pk, Decimal("1.0000"))
    ]
    assert AuditEntry.objects.filter(action="results.lead.created", object_id=str(lead.pk)).exists()
    assert [e.kind for e in told] == ["lead.stage_changed"]
    assert told[0].payload["to_stage"] == "identified" and told[0].payload["from_stage"] is None
    assert world.prefecture.pk in told[0].organisation_ids


def test_bad_input_changes_nothing_and_answers_in_the_users_language(world: World) -> None:
    officer = world.users["officer_own"]
    with translation.override("ja"), pytest.raises(ValidationError) as raised:
        lead_create(
            actor=officer,
            owner=world.prefecture,
            data=_data(world, expected_value=Decimal("-1"), counterpart=world.company),
        )
    assert set(raised.value.message_dict) == {"expected_value", "counterpart"}
    assert "負" in " ".join(raised.value.message_dict["expected_value"])
    assert not Lead.objects.exists() and not StageChange.objects.exists()


def test_a_company_the_owner_cannot_see_is_refused(world: World) -> None:
    hidden = CompanyFactory.create(
        name_en="Secret K.K.", managed_by=world.other_prefecture, visibility="private"
    )
    with pytest.raises(ValidationError) as raised:
        lead_create(
            actor=world.users["officer_own"],
            owner=world.prefecture,
            data=_data(world, company=hidden),
        )
    assert "company" in raised.value.message_dict
    assert not Lead.objects.exists()


def test_only_the_owners_officers_create_and_move(world: World) -> None:
    with pytest.raises(PermissionDenied):
        lead_create(actor=world.users["officer_other"], owner=world.prefecture, data=_data(world))
    lead = lead_create(actor=world.users["officer_own"], owner=world.prefecture, data=_data(world))
    for role in ("officer_other", "secretariat", "member"):
        with pytest.raises(PermissionDenied):
            lead_move(lead=lead, actor=world.users[role], to_stage=Stage.CONTACTED)
    assert Lead.objects.get().stage == Stage.IDENTIFIED


def test_moving_forward_is_audited_and_told(
    world: World,
    told: list[domain_events.DomainEvent],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    officer = world.users["officer_own"]
    lead = lead_create(actor=officer, owner=world.prefecture, data=_data(world))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        lead_move(lead=lead, actor=officer, to_stage=Stage.PROPOSAL)
    lead.refresh_from_db()
    assert lead.stage == Stage.PROPOSAL
    entry = AuditEntry.objects.get(action="results.lead.moved")
    assert entry.changes["stage"] == ["identified", "proposal"]
    assert told[-1].payload == {
        "lead": lead.pk,
        "kind": "trade",
        "from_stage": "identified",
        "to_stage": "proposal",
        "at": told[-1].payload["at"],
    }


def test_moving_back_needs_a_reason(world: World) -> None:
    officer = world.users["officer_own"]
    lead = lead_create(
        actor=officer, owner=world.prefecture, data=_data(world), stage=Stage.NEGOTIATION
    )
    with translation.override("hi"), pytest.raises(ValidationError) as raised:
        lead_move(lead=lead, actor=officer, to_stage=Stage.CONTACTED, reason="  ")
    assert "reason" in raised.value.message_dict
    assert Lead.objects.get().stage == Stage.NEGOTIATION
    assert StageChange.objects.count() == 1
    lead_move(lead=lead, actor=officer, to_stage=Stage.CONTACTED, reason="Buyer changed")
    change = StageChange.objects.order_by("-id").first()
    assert change is not None and change.is_backwards and change.reason == "Buyer changed"
    with pytest.raises(ValidationError):
        lead_move(lead=lead, actor=officer, to_stage=Stage.CONTACTED)  # already there
    with pytest.raises(ValidationError):
        lead_move(lead=lead, actor=officer, to_stage="nowhere")


def test_a_deal_wins_the_lead_and_leaving_won_withdraws_it(world: World) -> None:
    officer = world.users["officer_own"]
    lead = lead_create(actor=officer, owner=world.prefecture, data=_data(world, kind="investment"))
    deal = deal_save(
        lead=lead,
        actor=officer,
        data={
            "value": Decimal("900000000"),
            "currency": "JPY",
            "closed_on": timezone.localdate(),
            "investment_amount": Decimal("900000000"),
            "jobs_planned": 40,
            "site": "Kofu industrial park",
        },
    )
    lead.refresh_from_db()
    assert lead.stage == Stage.WON and lead.probability == 100
    assert deal.jobs_planned == 40
    with pytest.raises(ValidationError):
        lead_move(lead=lead, actor=officer, to_stage=Stage.LOST)  # out of won: a reason
    assert Deal.objects.exists()
    lead_move(lead=lead, actor=officer, to_stage=Stage.LOST, reason="Investor withdrew")
    assert not Deal.objects.exists()
    assert AuditEntry.objects.filter(action="results.lead.moved", changes__has_key="deal").exists()


def test_a_deal_refuses_negative_values_and_future_dates(world: World) -> None:
    officer = world.users["officer_own"]
    lead = lead_create(actor=officer, owner=world.prefecture, data=_data(world))
    with pytest.raises(ValidationError) as raised:
        deal_save(
            lead=lead,
            actor=officer,
            data={
                "value": Decimal("-5"),
                "currency": "JPY",
                "closed_on": timezone.localdate() + timedelta(days=3),
            },
        )
    assert set(raised.value.message_dict) == {"value", "closed_on"}
    assert not Deal.objects.exists()
    assert Lead.objects.get().stage == Stage.IDENTIFIED


# --- the attribution rule ------------------------------------------------------------------------


def test_equal_shares_add_up_to_exactly_one() -> None:
    for n in range(1, 12):
        shares = equal_shares(range(n))
        assert sum(shares.values()) == Decimal(1)
        assert max(shares.values()) - min(shares.values()) <= Decimal("0.0001") * n


def test_a_meeting_credits_the_events_hosts_and_the_owner(world: World) -> None:
    event = past_event(world, owner=world.other_prefecture)
    EventOrganisation.objects.create(
        event=event, organisation=world.prefecture, role=HostRole.CO_HOST
    )
    third = PrefectureFactory.create(name_en="Toyama", region_id="JP-16")
    EventOrganisation.objects.create(event=event, organisation=third, role=HostRole.CO_HOST)
    meeting = held_meeting(world, event)
    lead, new = lead_from_meeting(
        actor=world.users["officer_own"], owner=world.prefecture, meeting=meeting
    )
    assert new and lead.origin_event_id == event.pk and lead.stage == Stage.MEETING_HELD
    credits = {c.organisation_id: c.share for c in Credit.objects.filter(lead=lead)}
    assert set(credits) == {world.prefecture.pk, world.other_prefecture.pk, third.pk}
    assert sum(credits.values()) == 1 and credits[world.prefecture.pk] == Decimal("0.3334")
    # the partner organisation co-hosting nothing, a partner link, earns no credit
    again, new = lead_from_meeting(
        actor=world.users["officer_own"], owner=world.prefecture, meeting=meeting
    )
    assert again == lead and not new


def test_a_mission_credits_its_lead_and_participating_prefectures(world: World) -> None:
    mission = MissionFactory.create(owner=world.other_prefecture)
    MissionParticipant.objects.create(mission=mission, organisation=world.prefecture)
    officer = world.users["officer_own"]
    lead = lead_create(
        actor=officer,
        owner=world.prefecture,
        data=_data(world, origin_kind="mission", origin_mission=mission),
    )
    credits = {c.organisation_id: c.share for c in Credit.objects.filter(lead=lead)}
    assert credits == {
        world.prefecture.pk: Decimal("0.5"),
        world.other_prefecture.pk: Decimal("0.5"),
    }
    # the owner sets its own split; it must add up to 1 and name only those who took part
    with pytest.raises(ValidationError):
        credits_set(lead=lead, actor=officer, shares={world.prefecture.pk: Decimal("0.5")})
    with pytest.raises(ValidationError):
        credits_set(
            lead=lead,
            actor=officer,
            shares={world.prefecture.pk: Decimal("0.5"), world.secretariat_org.pk: Decimal("0.5")},
        )
    credits_set(
        lead=lead,
        actor=officer,
        shares={world.prefecture.pk: Decimal("0.7"), world.other_prefecture.pk: Decimal("0.3")},
    )
    assert {
        c.organisation_id: (c.share, c.set_by_owner) for c in Credit.objects.filter(lead=lead)
    } == {
        world.prefecture.pk: (Decimal("0.7"), True),
        world.other_prefecture.pk: (Decimal("0.3"), True),
    }
    # a new origin gives equal shares again
    lead_update(lead=lead, actor=officer, data={"origin_kind": "manual"})
    assert [(c.organisation_id, c.share) for c in Credit.objects.filter(lead=lead)] == [
        (world.prefecture.pk, Decimal("1"))
    ]


def test_an_origin_must_name_its_record(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        lead_create(
            actor=world.users["officer_own"],
            owner=world.prefecture,
            data=_data(world, origin_kind="event"),
        )
    assert "origin_event" in raised.value.message_dict


def test_mous_link_to_a_lead_or_a_mission_once(world: World) -> None:
    officer = world.users["officer_own"]
    lead = lead_create(actor=officer, owner=world.prefecture, data=_data(world))
    mou = Partnership.objects.create(owner=world.prefecture, kind="mou", title_en="Supply MoU")
    mou_link_add(actor=officer, partnership=mou, lead=lead)
    with pytest.raises(ValidationError):
        mou_link_add(actor=officer, partnership=mou, lead=lead)
    with pytest.raises(PermissionDenied):
        mou_link_add(actor=world.users["officer_other"], partnership=mou, lead=lead)
    mission = MissionFactory.create(owner=world.prefecture)
    mou_link_add(actor=officer, partnership=mou, mission=mission)
    assert MouLink.objects.count() == 2
