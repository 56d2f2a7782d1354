"""Budget lines: shares that add up exactly, recomputed with the delegation, INR at a dated rate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import BudgetLine, CostShare, Mission
from setu.coordination.selectors import budget_overview
from setu.coordination.services import budget as services
from setu.coordination.services import missions as mission_services
from setu.core.models import AuditEntry, ExchangeRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(world: World, make_mission: Callable[..., Mission]) -> Mission:
    """Yamanashi leads with 2 delegates; Shizuoka takes part with 1."""
    mission = make_mission()
    own, other = world.users["officer_own"], world.users["officer_other"]
    mission_services.participant_add(
        mission=mission, actor=own, organisation=world.other_prefecture
    )
    for name in ("A", "B"):
        mission_services.delegate_add(
            mission=mission, actor=own, prefecture=world.prefecture,
            organisation=world.prefecture, name=name,
        )  # fmt: skip
    mission_services.delegate_add(
        mission=mission, actor=other, prefecture=world.other_prefecture,
        organisation=world.other_prefecture, name="C",
    )  # fmt: skip
    return mission


def _shares(line: BudgetLine) -> dict[int, int]:
    return dict(CostShare.objects.filter(line=line).values_list("organisation_id", "amount_jpy"))


def test_equal_shares_add_up_with_the_odd_yen_to_the_lead(world: World, joint: Mission) -> None:
    line = services.budget_line_save(
        mission=joint, actor=world.users["officer_own"], title="Bus", amount_jpy=100_001,
        split="equal",
    )  # fmt: skip
    assert _shares(line) == {world.prefecture.pk: 50_001, world.other_prefecture.pk: 50_000}


def test_headcount_shares_follow_the_delegation(world: World, joint: Mission) -> None:
    own = world.users["officer_own"]
    line = services.budget_line_save(
        mission=joint, actor=own, title="Interpreters", amount_jpy=300_000, split="headcount"
    )
    assert _shares(line) == {world.prefecture.pk: 200_000, world.other_prefecture.pk: 100_000}
    # A third Yamanashi delegate: 3:1.
    mission_services.delegate_add(
        mission=joint, actor=own, prefecture=world.prefecture, organisation=world.prefecture,
        name="D",
    )  # fmt: skip
    assert _shares(line) == {world.prefecture.pk: 225_000, world.other_prefecture.pk: 75_000}
    assert sum(_shares(line).values()) == 300_000


def test_fixed_shares_must_add_up_exactly_and_nothing_is_half_saved(
    world: World, joint: Mission
) -> None:
    own = world.users["officer_own"]
    with pytest.raises(ValidationError) as error:
        services.budget_line_save(
            mission=joint, actor=own, title="Venue", amount_jpy=1_000_000, split="fixed",
            fixed_shares={world.prefecture.pk: 600_000, world.other_prefecture.pk: 300_000},
        )  # fmt: skip
    assert "¥900,000" in error.value.messages[0] and "¥100,000 short" in error.value.messages[0]
    assert not BudgetLine.objects.exists() and not CostShare.objects.exists()
    line = services.budget_line_save(
        mission=joint, actor=own, title="Venue", amount_jpy=1_000_000, split="fixed",
        fixed_shares={world.prefecture.pk: 700_000, world.other_prefecture.pk: 300_000},
    )  # fmt: skip
    # Editing it badly keeps the old line and shares untouched.
    with pytest.raises(ValidationError, match="over"):
        services.budget_line_save(
            mission=joint, actor=own, line=line, title="Venue", amount_jpy=900_000,
            split="fixed",
            fixed_shares={world.prefecture.pk: 700_000, world.other_prefecture.pk: 300_000},
        )  # fmt: skip
    line.refresh_from_db()
    assert line.amount_jpy == 1_000_000
    assert _shares(line) == {world.prefecture.pk: 700_000, world.other_prefecture.pk: 300_000}
    with pytest.raises(ValidationError, match="lead and participating"):
        services.budget_line_save(
            mission=joint, actor=own, title="X", amount_jpy=10, split="fixed",
            fixed_shares={world.partner_org.pk: 10},
        )  # fmt: skip
    assert AuditEntry.objects.filter(action="coordination.budget_line.created").count() == 1


def test_headcount_without_delegates_is_refused(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission()
    with pytest.raises(ValidationError) as error:
        services.budget_line_save(
            mission=mission, actor=world.users["officer_own"], title="Hotel", amount_jpy=10,
            split="headcount",
        )  # fmt: skip
    assert "split" in error.value.message_dict


def test_the_budget_form_names_the_problem(world: World, joint: Mission) -> None:
    client = world.client_for("officer_own")
    response = client.post(
        reverse("coordination:budget_line_add", args=[joint.pk]),
        {
            "title": "Venue",
            "amount_jpy": "1000",
            "split": "fixed",
            f"share_{world.prefecture.pk}": "600",
            f"share_{world.other_prefecture.pk}": "300",
        },
    )
    assert response.status_code == 200
    assert "add up to ¥900, but the line is ¥1,000" in response.content.decode()
    assert not BudgetLine.objects.exists()
    # Only the lead manages the budget.
    other = world.client_for("officer_other")
    assert other.get(reverse("coordination:budget_line_add", args=[joint.pk])).status_code == 403


def test_a_prefecture_with_a_fixed_share_cannot_leave(world: World, joint: Mission) -> None:
    own = world.users["officer_own"]
    services.budget_line_save(
        mission=joint, actor=own, title="Venue", amount_jpy=100, split="fixed",
        fixed_shares={world.prefecture.pk: 50, world.other_prefecture.pk: 50},
    )  # fmt: skip
    other_delegate = joint.delegates.get(name="C")
    mission_services.delegate_remove(delegate=other_delegate, actor=world.users["officer_other"])
    participant = joint.participants.get()
    with pytest.raises(ValidationError, match="fixed share"):
        mission_services.participant_remove(participant=participant, actor=own)
    assert joint.participants.exists()


def test_rupees_at_the_dated_rate_and_which_rate(world: World, joint: Mission) -> None:
    services.budget_line_save(
        mission=joint, actor=world.users["officer_own"], title="Bus", amount_jpy=100_000,
        split="equal",
    )  # fmt: skip
    client = world.client_for("officer_own")
    page = client.get(joint.get_absolute_url()).content.decode()
    assert "No JPY→INR rate is recorded" in page
    ExchangeRate.objects.create(
        base="JPY", quote="INR", rate=Decimal("0.5600"), valid_on=date(2020, 1, 1), source="Old"
    )
    ExchangeRate.objects.create(
        base="JPY", quote="INR", rate=Decimal("0.5790"), valid_on=date(2025, 3, 28), source="FBIL"
    )
    overview = budget_overview(mission=joint)
    assert overview.rate is not None and overview.rate.valid_on == date(2025, 3, 28)
    assert overview.total_inr() == Decimal(57_900)
    page = client.get(joint.get_absolute_url()).content.decode()
    assert "₹57,900" in page
    assert "1 JPY = 0.5790 INR, the rate of 2025-03-28 (source: FBIL)" in page


def test_budget_is_hidden_from_those_who_only_read_the_mission(
    world: World, joint: Mission
) -> None:
    services.budget_line_save(
        mission=joint, actor=world.users["officer_own"], title="Secret dinner", amount_jpy=1,
        split="equal",
    )  # fmt: skip
    assert (
        "Secret dinner"
        in world.client_for("officer_other").get(joint.get_absolute_url()).content.decode()
    )
    # A member company on the delegation reads the mission but not the budget.
    mission_services.delegate_add(
        mission=joint, actor=world.users["officer_own"], prefecture=world.prefecture,
        organisation=world.company, name="Mochizuki",
    )  # fmt: skip
    response = world.client_for("member").get(joint.get_absolute_url())
    assert response.status_code == 200
    assert "Secret dinner" not in response.content.decode()
