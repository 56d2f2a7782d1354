"""The demo data loads, shows what it should, and loads again without change."""

from __future__ import annotations

import pytest

from setu.coordination.demo import load_coordination_demo
from setu.coordination.models import (
    ActionItem,
    ClashNotice,
    Meeting,
    MeetingSeries,
    Mission,
    MissionParticipant,
)
from setu.coordination.notices import notice_list
from setu.core.models import ExchangeRate
from setu.directory.demo import load_directory_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_shows_a_clash() -> None:
    by_key, _ = load_directory_demo()
    assert load_coordination_demo(by_key) > 0
    counts = [
        model.objects.count()
        for model in (MeetingSeries, Meeting, ActionItem, Mission, ClashNotice, ExchangeRate)
    ]
    assert load_coordination_demo(by_key) == 0
    assert counts == [
        model.objects.count()
        for model in (MeetingSeries, Meeting, ActionItem, Mission, ClashNotice, ExchangeRate)
    ]
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 3
    assert [m.minutes_locked for m in meetings] == [True, True, False]
    assert ActionItem.objects.open().filter(due_on__lt=meetings[1].starts_at.date()).exists()
    assert meetings[2].carried_actions.exists()
    mumbai = Mission.objects.get(title_en="Mumbai renewable-energy mission")
    assert MissionParticipant.objects.filter(mission=mumbai, organisation=by_key["JP-22"]).exists()
    assert mumbai.budget_lines.filter(split="headcount").exists()
    for line in mumbai.budget_lines.all():
        assert sum(line.shares.values_list("amount_jpy", flat=True)) == line.amount_jpy
    # Tottori's private plan clashes with the Mumbai mission; Yamanashi sees it anonymised.
    notice = ClashNotice.objects.get()
    assert {notice.owner_a, notice.owner_b} == {by_key["JP-19"], by_key["JP-31"]}
    from setu.accounts.models import Membership, Role, User

    officer = User.objects.create(email="y@example.org")
    Membership.objects.create(
        user=officer, organisation=by_key["JP-19"], role=Role.PREFECTURE_OFFICER
    )
    [view] = notice_list(user=officer)
    assert not view.other.revealed and "Mumbai" in view.other.places
    assert ExchangeRate.objects.get().source.startswith("Illustrative")
