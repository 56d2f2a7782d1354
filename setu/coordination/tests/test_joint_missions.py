"""Joint missions agreed on a clash notice: the proposer chooses to join the other mission or to
invite the other member to its own; after acceptance the duplicate plan's lead merges it into
the joint mission or withdraws it, and the clash notice stays until then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import (
    BudgetLine,
    ClashNotice,
    Delegate,
    ItineraryItem,
    JointProposal,
    Mission,
    MissionParticipant,
    MissionStatus,
    MissionTask,
)
from setu.coordination.services import budget as budget_services
from setu.coordination.services import clashes as services
from setu.coordination.services import joint as joint_services
from setu.coordination.services import missions as mission_services
from setu.coordination.services import proposals
from setu.coordination.tests.factories import days_from_today
from setu.core.models import AuditEntry
from setu.directory.models import OrganisationKind
from setu.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")


def _pair(world: World, make: Callable[..., Mission]) -> tuple[Mission, Mission]:
    """Yamanashi's and Shizuoka's overlapping Mumbai missions (one notice between them)."""
    yamanashi = make(first=30, days=4, title="Yamanashi in Mumbai")
    shizuoka = make(owner=world.other_prefecture, first=31, days=4, title="Shizuoka in Mumbai")
    return yamanashi, shizuoka


def _propose(client: Client, notice: ClashNotice, direction: str, **extra: str) -> str:
    response = client.post(
        reverse("coordination:clash_propose", args=[notice.pk]),
        {"direction": direction, **extra},
        follow=True,
    )
    return response.content.decode()


def _accept(world: World, proposal: JointProposal, role: str = "officer_own") -> str:
    response = world.client_for(role).post(
        reverse("coordination:proposal_accept", args=[proposal.pk]), follow=True
    )
    return response.content.decode()


def _agreed(
    world: World, make: Callable[..., Mission], direction: str = "join_theirs"
) -> tuple[Mission, Mission, JointProposal]:
    """Shizuoka proposes (``direction``) and Yamanashi accepts."""
    yamanashi, shizuoka = _pair(world, make)
    notice = ClashNotice.objects.get()
    proposals.proposal_create(
        notice=notice, actor=world.users["officer_other"], direction=direction
    )
    proposal = JointProposal.objects.get()
    proposals.proposal_accept(proposal=proposal, actor=world.users["officer_own"])
    proposal.refresh_from_db()
    return yamanashi, shizuoka, proposal


def test_join_theirs_makes_the_proposer_a_participant_and_keeps_the_notice(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    yamanashi, shizuoka = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    page = _propose(world.client_for("officer_other"), notice, "join_theirs")
    assert "your prefecture joins their mission" in page
    proposal = JointProposal.objects.get()
    assert proposal.direction == "join_theirs" and proposal.to_mission == yamanashi
    lead_page = world.client_for("officer_own").get(yamanashi.get_absolute_url()).content.decode()
    assert "Shizuoka proposes to join your mission" in lead_page
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        page = _accept(world, proposal)
    assert "Shizuoka now takes part in your mission" in page
    assert MissionParticipant.objects.get(mission=yamanashi).organisation == world.other_prefecture
    assert not MissionParticipant.objects.filter(mission=shizuoka).exists()
    # The notice stays, on both pages, until Shizuoka merges or withdraws its own plan.
    assert ClashNotice.objects.filter(pk=notice.pk).exists()
    assert "Waiting for Shizuoka to merge its own plan" in page
    own_plan = world.client_for("officer_other").get(shizuoka.get_absolute_url()).content.decode()
    assert "This plan is now a duplicate" in own_plan
    assert "Merge into the joint mission" in own_plan and "Withdraw this plan" in own_plan
    # Only the duplicate's lead is offered the choice; its coordination home points there.
    assert "This plan is now a duplicate" not in page
    home = world.client_for("officer_other").get(reverse("coordination:home")).content.decode()
    assert "Merge or withdraw on the mission page" in home
    assert f"{shizuoka.get_absolute_url()}#duplicate-h" in home
    duplicate_mail = next(m for m in mail.outbox if m.to == ["officer_other@example.org"])
    assert "is now a duplicate" in duplicate_mail.body
    assert shizuoka.get_absolute_url() in duplicate_mail.body


def test_invite_to_mine_makes_the_other_member_join_the_proposers_mission(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    yamanashi, shizuoka = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        page = _propose(world.client_for("officer_other"), notice, "invite_to_mine")
    assert "their prefecture joins your mission" in page
    assert "takes part in “Shizuoka in Mumbai”" in mail.outbox[0].body
    proposal = JointProposal.objects.get()
    lead_page = world.client_for("officer_own").get(yamanashi.get_absolute_url()).content.decode()
    assert "Shizuoka invites your prefecture to join their mission" in lead_page
    assert "Accept: join their mission" in lead_page
    page = _accept(world, proposal)
    assert "Your prefecture now takes part in “Shizuoka in Mumbai”" in page
    assert MissionParticipant.objects.get(mission=shizuoka).organisation == world.prefecture
    assert not MissionParticipant.objects.filter(mission=yamanashi).exists()
    assert ClashNotice.objects.exists()
    # Now Yamanashi's own mission is the duplicate: its page offers merge or withdraw.
    own_plan = world.client_for("officer_own").get(yamanashi.get_absolute_url()).content.decode()
    assert "This plan is now a duplicate" in own_plan
    other = world.client_for("officer_other").get(shizuoka.get_absolute_url()).content.decode()
    assert "This plan is now a duplicate" not in other
    assert "Waiting for Yamanashi to merge its own plan" in other


def test_the_notice_stays_through_recomputes_and_goes_when_the_clash_otherwise_ends(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    _yamanashi, shizuoka, _proposal = _agreed(world, make_mission)
    services.clash_recompute_all()
    assert ClashNotice.objects.count() == 1
    mission_services.mission_update(
        mission=shizuoka, actor=world.users["officer_other"], status=MissionStatus.CONFIRMED
    )
    assert ClashNotice.objects.count() == 1
    # Moving the duplicate far away ends the clash itself.
    shizuoka.destinations.all().delete()
    mission_services.mission_update(
        mission=shizuoka,
        actor=world.users["officer_other"],
        starts_on=shizuoka.starts_on + timedelta(days=60),
        ends_on=shizuoka.ends_on + timedelta(days=60),
    )
    assert not ClashNotice.objects.exists()


def _at(hour: int) -> datetime:
    """A time on day 32 from today, inside both missions of ``_pair`` (days 30-33, 31-34)."""
    return datetime.combine(days_from_today(32), time(hour), IST)


def _entry(mission: Mission, actor: object, title: str, hour: int, **extra: object) -> None:
    mission_services.itinerary_item_save(
        mission=mission, actor=actor, destination=mission.destinations.first(),  # type: ignore[arg-type]
        kind="visit", starts_at=_at(hour), ends_at=_at(hour + 1),
        title_en=title, title_ja="", notes_en="", notes_ja="", place="", link_url="",
        organisation=None, event=None, **extra,
    )  # fmt: skip


def test_merge_moves_what_is_not_there_yet_and_cancels_the_duplicate(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    own, other = world.users["officer_own"], world.users["officer_other"]
    tottori = OrganisationFactory.create(
        name_en="Tottori", kind=OrganisationKind.MEMBER_PREFECTURE, country="JP"
    )
    yamanashi, shizuoka = _pair(world, make_mission)
    # The joint mission (Yamanashi's) already has a visit at 10:00, a task and a bus.
    _entry(yamanashi, own, "Chamber visit", 10)
    mission_services.task_add(
        mission=yamanashi, actor=own, title="Book interpreters", owner_organisation=world.prefecture
    )
    budget_services.budget_line_save(
        mission=yamanashi, actor=own, title="Bus", amount_jpy=90_000, split="equal"
    )
    # Shizuoka's plan, with Tottori taking part in it.
    mission_services.participant_add(mission=shizuoka, actor=other, organisation=tottori)
    Delegate.objects.create(
        mission=shizuoka, prefecture=world.other_prefecture, organisation=world.other_prefecture,
        name="Yumi Suzuki",
    )  # fmt: skip
    Delegate.objects.create(
        mission=shizuoka, prefecture=tottori, organisation=tottori, name="Takashi Ikeda"
    )
    _entry(shizuoka, other, "chamber visit", 10)  # the same visit: stays behind
    _entry(shizuoka, other, "Port visit", 14)
    mission_services.task_add(
        mission=shizuoka, actor=other, title="Print brochures",
        owner_organisation=world.other_prefecture,
    )  # fmt: skip
    mission_services.task_add(
        mission=shizuoka, actor=other, title="Tottori's samples", owner_organisation=tottori
    )
    budget_services.budget_line_save(
        mission=shizuoka, actor=other, title="Tea samples", amount_jpy=50_000, split="fixed",
        fixed_shares={world.other_prefecture.pk: 50_000, tottori.pk: 0},
    )  # fmt: skip
    budget_services.budget_line_save(
        mission=shizuoka, actor=other, title="Booth", amount_jpy=100_000, split="equal"
    )  # shared with Tottori, who is not on the joint mission: stays behind
    notice = ClashNotice.objects.get()
    proposals.proposal_create(notice=notice, actor=other, direction="join_theirs")
    proposal = JointProposal.objects.get()
    proposals.proposal_accept(proposal=proposal, actor=own)
    bus_before = dict(
        BudgetLine.objects.get(title="Bus").shares.values_list("organisation_id", "amount_jpy")
    )

    client = world.client_for("officer_other")
    offer = client.get(shizuoka.get_absolute_url()).content.decode()
    assert "Port visit" in offer and "Tottori is not on the joint mission" in offer
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("coordination:duplicate_merge", args=[proposal.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == yamanashi.get_absolute_url()
    assert "was merged into this mission and cancelled" in response.content.decode()

    shizuoka.refresh_from_db()
    proposal.refresh_from_db()
    assert shizuoka.status == MissionStatus.CANCELLED and proposal.plan_outcome == "merged"
    assert sorted(yamanashi.delegates.values_list("name", flat=True)) == ["Yumi Suzuki"]
    assert list(shizuoka.delegates.values_list("name", flat=True)) == ["Takashi Ikeda"]
    assert sorted(ItineraryItem.objects.filter(mission=yamanashi).values_list(
        "title_en", flat=True)) == ["Chamber visit", "Port visit"]  # fmt: skip
    port = ItineraryItem.objects.get(title_en="Port visit")
    assert port.destination == yamanashi.destinations.get()  # the joint mission's Mumbai stay
    assert sorted(MissionTask.objects.filter(mission=yamanashi).values_list(
        "title", flat=True)) == ["Book interpreters", "Print brochures"]  # fmt: skip
    tea = BudgetLine.objects.get(title="Tea samples")
    assert tea.mission == yamanashi and tea.split == "fixed"
    assert dict(tea.shares.values_list("organisation_id", "amount_jpy")) == {
        world.prefecture.pk: 0,
        world.other_prefecture.pk: 50_000,
    }
    assert BudgetLine.objects.get(title="Booth").mission == shizuoka
    # Equal shares of the joint mission's own lines were already split with Shizuoka.
    assert (
        dict(
            BudgetLine.objects.get(title="Bus").shares.values_list("organisation_id", "amount_jpy")
        )
        == bus_before
    )
    assert not ClashNotice.objects.filter(pk=notice.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "coordination.mission.merged",
        "coordination.mission.merged_in",
        "coordination.proposal.plan_merged",
    } <= actions
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    assert "Port visit" not in mail.outbox[0].body and "1 itinerary entry" in mail.outbox[0].body
    # Merging again is refused and changes nothing.
    again = client.post(reverse("coordination:duplicate_merge", args=[proposal.pk]), follow=True)
    assert "already merged" in again.content.decode()
    assert yamanashi.delegates.count() == 1


def test_withdraw_cancels_the_duplicate_and_moves_nothing(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    yamanashi, shizuoka, proposal = _agreed(world, make_mission, "invite_to_mine")
    # Yamanashi joined Shizuoka's mission; Yamanashi's own plan is the duplicate.
    _entry(yamanashi, world.users["officer_own"], "Chamber visit", 10)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = world.client_for("officer_own").post(
            reverse("coordination:duplicate_withdraw", args=[proposal.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == shizuoka.get_absolute_url()
    assert "was withdrawn" in response.content.decode()
    yamanashi.refresh_from_db()
    proposal.refresh_from_db()
    assert yamanashi.status == MissionStatus.CANCELLED and proposal.plan_outcome == "withdrawn"
    assert yamanashi.itinerary.count() == 1 and not shizuoka.itinerary.exists()
    assert not ClashNotice.objects.exists()
    assert [m.to for m in mail.outbox] == [["officer_other@example.org"]]
    assert "withdrew" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="coordination.mission.withdrawn").exists()
    # The offer is gone from the page.
    page = world.client_for("officer_own").get(yamanashi.get_absolute_url()).content.decode()
    assert "This plan is now a duplicate" not in page


def test_only_the_duplicates_lead_merges_or_withdraws(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    _yamanashi, shizuoka, proposal = _agreed(world, make_mission)
    for name in ("duplicate_merge", "duplicate_withdraw"):
        url = reverse(f"coordination:{name}", args=[proposal.pk])
        # The joint mission's lead sees the proposal but may not act on the other's plan.
        assert world.client_for("officer_own").post(url).status_code == 403
        for role in ("secretariat", "member", "partner", "student"):
            assert world.client_for(role).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        joint_services.duplicate_withdraw(proposal=proposal, actor=world.users["officer_own"])
    shizuoka.refresh_from_db()
    assert shizuoka.status == MissionStatus.PLANNED


def test_merging_into_a_cancelled_joint_mission_is_refused_and_changes_nothing(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    yamanashi, shizuoka, proposal = _agreed(world, make_mission)
    Delegate.objects.create(
        mission=shizuoka, prefecture=world.other_prefecture, organisation=world.other_prefecture,
        name="Yumi Suzuki",
    )  # fmt: skip
    mission_services.mission_update(
        mission=yamanashi, actor=world.users["officer_own"], status=MissionStatus.CANCELLED
    )
    response = world.client_for("officer_other").post(
        reverse("coordination:duplicate_merge", args=[proposal.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == shizuoka.get_absolute_url()
    assert "is cancelled: there is nothing to merge into" in response.content.decode()
    shizuoka.refresh_from_db()
    proposal.refresh_from_db()
    assert shizuoka.status == MissionStatus.PLANNED and proposal.plan_outcome == ""
    assert shizuoka.delegates.count() == 1 and not yamanashi.delegates.exists()
    assert not AuditEntry.objects.filter(action__startswith="coordination.mission.merged").exists()


def test_bad_proposals_and_answers_are_refused_with_a_clear_message(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    yamanashi, _shizuoka = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    proposer = world.client_for("officer_other")
    page = _propose(proposer, notice, "")
    assert "Choose whether to join their mission or to invite them to yours." in page
    page = _propose(proposer, notice, "take_over")
    assert "Choose whether to join their mission or to invite them to yours." in page
    assert not JointProposal.objects.exists()
    _propose(proposer, notice, "join_theirs")
    proposal = JointProposal.objects.get()
    _accept(world, proposal)
    # Accepting twice: a clear message, and nothing changes.
    page = _accept(world, proposal)
    assert "This proposal was already answered." in page
    assert MissionParticipant.objects.filter(mission=yamanashi).count() == 1
    # Proposing again while the duplicate is open is refused.
    with pytest.raises(ValidationError, match="already agreed to join forces"):
        proposals.proposal_create(
            notice=notice, actor=world.users["officer_own"], direction="invite_to_mine"
        )
    assert JointProposal.objects.count() == 1


def test_accepting_into_a_cancelled_mission_is_refused(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    yamanashi, shizuoka = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    proposals.proposal_create(
        notice=notice, actor=world.users["officer_other"], direction="invite_to_mine"
    )
    proposal = JointProposal.objects.get()
    Mission.objects.filter(pk=shizuoka.pk).update(status=MissionStatus.CANCELLED)
    page = _accept(world, proposal)
    assert "“Shizuoka in Mumbai” is cancelled: nobody can join it any more." in page
    proposal.refresh_from_db()
    assert proposal.status == "pending" and not MissionParticipant.objects.exists()
    assert yamanashi.status == MissionStatus.PLANNED
