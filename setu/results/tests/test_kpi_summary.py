"""The KPI summary (setu/results/kpi_summary.py, decision 0026) gives exactly the figures of
counting directly, whatever the data, the period, the reader and the reader's time zone; the
writes keep it up to date; conversion counts the stages in each lead's history."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.conftest import World
from setu.core.models import ExchangeRate, Visibility
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.tests.factories import OrganisationFactory
from setu.results import kpi_summary
from setu.results.kpi import kpi_report
from setu.results.models import (
    Credit,
    Deal,
    KpiCell,
    KpiMonth,
    Lead,
    LeadKind,
    Stage,
    StageChange,
)
from setu.results.services import deal_save, lead_create, lead_move
from setu.results.tests.factories import lead, past_event

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 1, 1, tzinfo=UTC)
ZONES = ["UTC", "Asia/Tokyo", "Asia/Kolkata"]
READERS = [None, "officer_own", "officer_other", "secretariat"]


def _figures_both_ways(member: Any, start: date, end: date, user: Any) -> tuple[Any, Any]:
    summed = kpi_report(member=member, start=start, end=end, user=user)
    direct = kpi_report(member=member, start=start, end=end, user=user, summary=False)
    return summed, direct


def _same(summed: Any, direct: Any) -> None:
    assert summed.figures == direct.figures
    assert summed.rates == direct.rates
    assert summed.unconverted_deals == direct.unconverted_deals
    assert summed.reached == direct.reached


STAGE_PATHS = st.lists(st.sampled_from(list(Stage)), min_size=1, max_size=4)
LEADS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # owner: own, other prefecture, the company
        st.booleans(),  # private
        st.integers(min_value=0, max_value=500 * 24),  # hours after BASE: near midnights too
        STAGE_PATHS,  # the stages it went through; the last is where it is now
        st.sampled_from(["JPY", "INR", "USD"]),
        st.integers(min_value=1, max_value=10**8),
        st.integers(min_value=0, max_value=90),  # days from made to closed
        st.integers(min_value=0, max_value=2),  # origin: manual, event, mission
        st.sampled_from([("1",), ("0.5", "0.5"), ("0.3334", "0.3333", "0.3333")]),
    ),
    max_size=12,
)
PERIODS = st.tuples(
    st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=200)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=LEADS, period=PERIODS, zone=st.sampled_from(ZONES))
def test_the_summary_gives_the_figures_of_counting_directly(
    world: World, rows: list[Any], period: tuple[int, int], zone: str
) -> None:
    Deal.objects.all().delete()
    Lead.objects.all().delete()
    for base, rate, day in (("INR", "1.71", 1), ("USD", "148.5", 1), ("INR", "1.8", 200)):
        ExchangeRate.objects.get_or_create(
            base=base, quote="JPY", valid_on=date(2026, 1, 1) + timedelta(days=day),
            defaults={"rate": Decimal(rate)},
        )  # fmt: skip
    third = Organisation.objects.filter(
        name_en="Third prefecture"
    ).first() or OrganisationFactory.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Third prefecture"
    )
    members = [world.prefecture, world.other_prefecture, third]
    owners = [world.prefecture, world.other_prefecture, world.company]  # the company: managed
    event = past_event(world)
    from setu.coordination.tests.factories import MissionFactory

    mission = MissionFactory.create(owner=world.prefecture, visibility="consortium")
    for owner, private, hours, stages, currency, value, days, origin, shares in rows:
        made = lead(
            world, owner=owners[owner], stage=stages[-1],
            visibility=Visibility.PRIVATE if private else Visibility.CONSORTIUM,
            kind=LeadKind.INVESTMENT if value % 3 == 0 else LeadKind.TRADE,
            origin_event=event if origin == 1 else None,
            origin_mission=mission if origin == 2 else None,
            origin_kind=["manual", "event", "mission"][origin],
        )  # fmt: skip
        made_at = BASE + timedelta(hours=hours)
        Lead.objects.filter(pk=made.pk).update(created_at=made_at)
        previous = ""
        for stage in stages:
            StageChange.objects.create(lead=made, from_stage=previous, to_stage=stage, at=made_at)
            previous = stage
        Credit.objects.bulk_create(
            Credit(lead=made, organisation=org, share=Decimal(share))
            for org, share in zip(members, shares, strict=False)
        )
        if stages[-1] == Stage.WON:
            Deal.objects.create(
                lead=made, value=Decimal(value), currency=currency,
                closed_on=made_at.date() + timedelta(days=days),
                investment_amount=Decimal(value * 7) if made.kind == LeadKind.INVESTMENT else None,
                jobs_planned=days if made.kind == LeadKind.INVESTMENT else None,
            )  # fmt: skip
        kpi_summary.lead_written(made.pk)  # dated and credited without signals

    start = date(2026, 1, 1) + timedelta(days=period[0])
    end = start + timedelta(days=period[1])
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for reader in READERS:
            user = world.user(reader) if reader else None
            for member in (None, world.prefecture, world.other_prefecture):
                _same(*_figures_both_ways(member, start, end, user))


def test_a_whole_year_is_read_from_the_cells_and_matches(world: World) -> None:
    made = lead(world, stage=Stage.WON)
    Lead.objects.filter(pk=made.pk).update(created_at=datetime(2026, 5, 10, 12, tzinfo=UTC))
    Credit.objects.create(lead=made, organisation=world.prefecture, share=Decimal(1))
    Deal.objects.create(lead=made, value=Decimal(500), currency="JPY", closed_on=date(2026, 6, 3))
    kpi_summary.lead_written(made.pk)
    summed, direct = _figures_both_ways(world.prefecture, date(2026, 4, 1), date(2027, 3, 31), None)
    _same(summed, direct)
    assert summed.figures["deals"]["value"] == 500
    assert KpiMonth.objects.filter(month=date(2026, 5, 1), stale=False).exists()
    assert KpiCell.objects.filter(month=date(2026, 5, 1), member=world.prefecture).exists()
    assert KpiCell.objects.filter(month=date(2026, 6, 1), measure="deal", member=None).exists()


def test_the_services_keep_the_summary_up_to_date(world: World) -> None:
    officer = world.user("officer_own")
    today = timezone.localdate()
    start, end = today - timedelta(days=400), today
    made = lead_create(
        actor=officer,
        owner=world.prefecture,
        data={"kind": LeadKind.TRADE, "title": "Valves", "company": world.company},
    )
    first = kpi_report(member=world.prefecture, start=start, end=end, user=officer)
    assert first.figures["leads"]["by_stage"]["identified"] == 1
    lead_move(lead=made, actor=officer, to_stage=Stage.WON)
    deal_save(
        lead=made,
        actor=officer,
        data={"value": Decimal(900), "currency": "JPY", "closed_on": today - timedelta(days=70)},
    )
    summed, direct = _figures_both_ways(world.prefecture, start, end, officer)
    _same(summed, direct)
    assert summed.figures["leads"]["by_stage"]["won"] == 1
    assert summed.figures["deals"] == {"count": 1, "value": 900}
    # A new rate changes nothing in yen deals, but every month from its day is counted again.
    ExchangeRate.objects.create(base="INR", quote="JPY", valid_on=start, rate=Decimal("1.7"))
    assert KpiMonth.objects.filter(stale=True).exists()
    _same(*_figures_both_ways(world.prefecture, start, end, officer))


def test_conversion_counts_the_stages_a_lead_went_through(world: World) -> None:
    """identified → contacted → lost reached "contacted": it counts in the conversion from
    identified to contacted, though it is now lost."""
    officer = world.user("officer_own")
    today = timezone.localdate()
    start, end = today - timedelta(days=30), today
    data = {"kind": LeadKind.TRADE, "title": "Pumps", "company": world.company}
    lost = lead_create(actor=officer, owner=world.prefecture, data=data)
    lead_move(lead=lost, actor=officer, to_stage=Stage.CONTACTED)
    lead_move(lead=lost, actor=officer, to_stage=Stage.LOST)
    lead_create(actor=officer, owner=world.prefecture, data={**data, "title": "Gears"})
    for summary in (True, False):
        report = kpi_report(
            member=world.prefecture, start=start, end=end, user=officer, summary=summary
        )
        assert report.figures["leads"]["by_stage"]["lost"] == 1
        assert report.reached["identified"] == 2
        assert report.reached["contacted"] == 1
        assert report.reached["meeting_held"] == 0
    from setu.results.kpi_export import kpi_tables

    stages = next(t for t in kpi_tables(report) if t.key == "stages")
    contacted = next(row for row in stages.rows if row[0] == str(Stage.CONTACTED.label))
    assert contacted[1:] == [0, 1, "50 %"]  # none there now, one reached it, half of two


def test_the_command_recounts_after_a_bulk_load(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    made = lead(world)
    start, end = date(2026, 4, 1), date(2027, 3, 31)
    Lead.objects.filter(pk=made.pk).update(created_at=datetime(2026, 7, 15, tzinfo=UTC))
    Credit.objects.create(lead=made, organisation=world.prefecture, share=Decimal(1))
    kpi_report(member=None, start=start, end=end)  # builds the months
    Lead.objects.filter(pk=made.pk).update(stage=Stage.PROPOSAL)  # bypasses the signals
    out = StringIO()
    call_command("kpi_summary", "--all", stdout=out)
    assert "Recounted" in out.getvalue()
    summed, direct = _figures_both_ways(None, start, end, None)
    _same(summed, direct)
    assert summed.figures["leads"]["by_stage"]["proposal"] == 1
