"""The demo year of results tells a story: Shizuoka and at least two other members held B2B
meetings, have leads in several stages and a deal credited to an event or mission."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from setu.directory.models import Organisation
from setu.matchmaking.models import Meeting, Outcome
from setu.results.models import Credit, Deal, Lead, MouLink, Stage, SurveyInvitation

pytestmark = pytest.mark.django_db


def test_the_demo_year_of_results() -> None:
    call_command("load_demo", stdout=io.StringIO())
    assert set(Lead.objects.values_list("stage", flat=True)) == set(Stage.values)
    members = ["JP-22", "JP-19", "JP-16", "JP-31"]
    with_results = 0
    for code in members:
        member = Organisation.objects.get(region_id=code, kind="member_prefecture")
        held = (
            Meeting.objects.filter(
                outcome=Outcome.HELD, run__matchmaking__event__owner=member
            ).count()
            + Meeting.objects.filter(
                outcome=Outcome.HELD, run__matchmaking__event__links__organisation=member
            ).count()
        )
        stages = Lead.objects.filter(owner=member).values("stage").distinct().count()
        credited_deal = Deal.objects.filter(
            lead__credits__organisation=member,
            lead__origin_kind__in=["event", "meeting", "mission"],
        ).exists()
        if held and stages >= 2 and credited_deal:
            with_results += 1
        if code == "JP-22":
            assert held and stages >= 3 and credited_deal
    assert with_results >= 3
    assert MouLink.objects.filter(lead__isnull=False).exists()
    assert MouLink.objects.filter(mission__isnull=False).exists()
    assert SurveyInvitation.objects.filter(answered_at__isnull=False).count() >= 5
    shares = Credit.objects.values("lead").annotate(n=Count("id"))
    assert shares.exists()
    for lead in Lead.objects.all():
        assert sum(c.share for c in lead.credits.all()) == 1
    # loading again creates nothing
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Lead.objects.count() == Lead.objects.values("title").distinct().count()
