"""Clash notices between members' plans: detection on save, what each side sees, dismissing,
proposing a joint mission and accepting it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import ClashNotice, JointProposal, Mission, MissionParticipant
from setu.coordination.notices import notice_list
from setu.coordination.plans import mission_activities
from setu.coordination.services import clashes as services
from setu.coordination.services import missions as mission_services
from setu.coordination.services import proposals
from setu.coordination.tests.factories import city
from setu.core.models import AuditEntry
from setu.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _pair(world: World, make: Callable[..., Mission], **other: object) -> tuple[Mission, Mission]:
    first = make(first=30, days=4, title="Yamanashi in Mumbai")
    second = make(owner=world.other_prefecture, title="Shizuoka in Mumbai", **other)
    return first, second


def test_overlapping_missions_in_the_same_city_clash_on_save(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    first, second = _pair(world, make_mission, first=32, days=4)
    notice = ClashNotice.objects.get()
    assert {notice.mission_a, notice.mission_b} == {first, second}
    assert set(notice.reasons) == {"same_city", "same_region"}


def test_the_margin_is_a_setting(
    world: World, make_mission: Callable[..., Mission], settings: object
) -> None:
    # Yamanashi: days 30-33; Shizuoka starts day 36, two clear days later.
    _pair(world, make_mission, first=36, days=2)
    assert ClashNotice.objects.count() == 1  # default margin: 3 days
    settings.SETU_CLASH_MARGIN_DAYS = 1  # type: ignore[attr-defined]
    mission = Mission.objects.get(title_en="Shizuoka in Mumbai")
    services.clash_recompute_for_mission(mission=mission)
    assert not ClashNotice.objects.exists()


def test_same_state_or_same_target_also_clash_and_far_apart_do_not(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    chamber = world.partner_org
    make_mission(first=30, title="Mumbai", targets=[chamber])
    pune = make_mission(owner=world.other_prefecture, first=31, city_key="in-pune", title="Pune")
    assert ClashNotice.objects.get().reasons == ["same_region"]
    delhi = make_mission(
        owner=world.other_prefecture, first=30, city_key="in-new-delhi", title="Delhi",
        targets=[chamber],
    )  # fmt: skip
    notice = ClashNotice.objects.get(mission_b=delhi)
    assert notice.reasons == ["same_target"] and notice.shared_target_ids == [chamber.pk]
    make_mission(owner=world.other_prefecture, first=90, title="Much later")
    assert ClashNotice.objects.count() == 2
    assert pune.pk  # used


def test_a_joint_plan_does_not_clash_with_its_participants(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    first, _second = _pair(world, make_mission)
    mission_services.participant_add(
        mission=first, actor=world.users["officer_own"], organisation=world.other_prefecture
    )
    assert not ClashNotice.objects.exists()


def test_moving_or_cancelling_a_mission_clears_its_notice(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    _first, second = _pair(world, make_mission)
    assert ClashNotice.objects.exists()
    mission_services.mission_update(
        mission=second, actor=world.users["officer_other"], status="cancelled"
    )
    assert not ClashNotice.objects.exists()
    mission_services.mission_update(
        mission=second, actor=world.users["officer_other"], status="planned"
    )
    assert ClashNotice.objects.exists()


def test_another_members_private_plan_is_anonymised(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    make_mission(title="Yamanashi in Mumbai")
    make_mission(
        owner=world.other_prefecture,
        first=31,
        title="Secret tea buyers' tour",
        visibility="private",
    )
    [view] = notice_list(user=world.users["officer_own"])
    assert not view.other.revealed and view.other.owner is None
    assert view.other.places == "Mumbai (Maharashtra)"
    page = world.client_for("officer_own").get(reverse("coordination:home")).content.decode()
    assert "Another member plans an activity in Mumbai (Maharashtra) from" in page
    assert "Secret tea" not in page and "Shizuoka" not in page
    # The private side reads the consortium-wide plan in full.
    other_page = world.client_for("officer_other").get(reverse("coordination:home")).content
    assert b"Possible clash with Yamanashi" in other_page
    assert b"Yamanashi in Mumbai" in other_page
    # The secretariat sees both, named.
    secretariat = world.client_for("secretariat").get(reverse("coordination:home")).content
    assert b"Secret tea buyers" in secretariat and b"Yamanashi in Mumbai" in secretariat


def test_dismissal_is_per_side_and_survives_a_recompute(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    first, _second = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    client = world.client_for("officer_own")
    response = client.post(reverse("coordination:clash_dismiss", args=[notice.pk]))
    assert response.status_code == 302
    assert notice_list(user=world.users["officer_own"]) == []
    assert len(notice_list(user=world.users["officer_other"])) == 1
    mission_services.mission_update(
        mission=first, actor=world.users["officer_own"], title_en="Renamed"
    )
    assert notice_list(user=world.users["officer_own"]) == []
    # The notice stays on the mission page, marked.
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Dismissed for your prefecture" in page
    # Someone outside both sides cannot dismiss it.
    assert (
        world.client_for("secretariat")
        .post(reverse("coordination:clash_dismiss", args=[notice.pk]))
        .status_code
        == 404
    )


def test_propose_and_accept_a_joint_mission(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    first, second = _pair(world, make_mission)
    notice = ClashNotice.objects.get()
    proposer = world.client_for("officer_other")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = proposer.post(
            reverse("coordination:clash_propose", args=[notice.pk]),
            {"direction": "join_theirs", "message": "Shall we share the seminar?"},
        )
    assert response.status_code == 302
    proposal = JointProposal.objects.get()
    assert (proposal.from_mission, proposal.to_mission, proposal.proposer) == (
        second,
        first,
        world.other_prefecture,
    )
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    assert "Shall we share the seminar?" in mail.outbox[0].body
    # Proposing twice is refused; so is answering one's own proposal.
    with pytest.raises(ValidationError, match="already waiting"):
        proposals.proposal_create(notice=notice, actor=world.users["officer_other"])
    assert (
        proposer.post(reverse("coordination:proposal_accept", args=[proposal.pk])).status_code
        == 404
    )
    # The lead sees it on the mission page and accepts.
    lead = world.client_for("officer_own")
    page = lead.get(first.get_absolute_url()).content.decode()
    assert "Shizuoka proposes to join your mission" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = lead.post(reverse("coordination:proposal_accept", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by == world.users["officer_own"]
    participant = MissionParticipant.objects.get(mission=first)
    assert participant.organisation == world.other_prefecture
    assert participant.via_proposal == proposal
    # The notice stays until Shizuoka merges or withdraws its own plan (test_joint_missions.py).
    assert ClashNotice.objects.filter(pk=notice.pk).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "officer_other@example.org",
        "officer_own@example.org",
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "coordination.proposal.created",
        "coordination.proposal.accepted",
        "coordination.mission.participant_added",
    } <= actions
    assert world.client_for("officer_other").get(first.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError, match="already answered"):
        proposals.proposal_accept(proposal=proposal, actor=world.users["officer_own"])


def test_decline_tells_the_proposer(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    _first, second = _pair(world, make_mission, visibility="private")
    notice = ClashNotice.objects.get()
    proposal = proposals.proposal_create(notice=notice, actor=world.users["officer_own"])
    assert proposal.to_mission == second
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        proposals.proposal_decline(proposal=proposal, actor=world.users["officer_other"])
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]
    assert "Secret" not in mail.outbox[0].body
    assert not MissionParticipant.objects.exists()
    with pytest.raises(PermissionDenied):
        proposals.proposal_decline(proposal=proposal, actor=world.users["officer_own"])


def test_emails_follow_the_recipients_language(
    world: World,
    make_mission: Callable[..., Mission],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    lead = world.users["officer_own"]
    lead.language = "ja"
    lead.save()
    _pair(world, make_mission)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        proposals.proposal_create(
            notice=ClashNotice.objects.get(), actor=world.users["officer_other"]
        )
    # Until the catalogs are translated, Japanese falls back to English; the rendering
    # happens under the recipient's language all the same.
    assert mail.outbox and mail.outbox[0].to == [lead.email]


def test_activities_are_one_per_destination_in_the_city_zone(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission(first=30, days=3)
    mission_services.participant_add(
        mission=mission, actor=world.users["officer_own"], organisation=world.other_prefecture
    )
    target = OrganisationFactory.create(country="IN")
    mission.targets.add(target)
    [activity] = mission_activities(mission_id=mission.pk)
    assert activity.city == str(city("in-mumbai").pk) and activity.region == "IN-MH"
    assert activity.start.utcoffset() == timedelta(hours=5, minutes=30)
    assert (activity.end - activity.start) == timedelta(days=3)
    assert activity.participants == {str(world.other_prefecture.pk)}
    assert activity.targets == {str(target.pk)}


def test_recompute_all_matches_the_per_mission_recompute(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    _pair(world, make_mission)
    make_mission(owner=world.other_prefecture, first=31, city_key="in-pune", title="Pune")

    def stored() -> set[tuple[str, str, tuple[str, ...]]]:
        rows = ClashNotice.objects.values_list("plan_a", "plan_b", "reasons")
        return {(a, b, tuple(reasons)) for a, b, reasons in rows}

    before = stored()
    ClashNotice.objects.all().delete()
    assert services.clash_recompute_all() == 2
    assert stored() == before
