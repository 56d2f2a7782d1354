"""Tourism outcomes and figures elsewhere: travel-package leads in the KPIs, the arrivals chart
on the prefecture's directory page and on the KPI dashboard."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.directory.models import OrganisationKind
from setu.directory.tests.factories import OrganisationFactory
from setu.results.kpi import kpi_figures
from setu.results.models import Credit, Lead, LeadKind, Stage
from setu.results.tests.factories import lead
from setu.tourism.arrivals import arrivals_import

pytestmark = pytest.mark.django_db

START, END = date(2026, 4, 1), date(2027, 3, 31)


def _package(world: World, *, stage: str, expected: int, booked: int | None = None) -> Lead:
    operator = OrganisationFactory.create(
        kind=OrganisationKind.TOUR_OPERATOR, name_en="Mumbai Holidays", country="IN"
    )
    made = lead(
        world,
        kind=LeadKind.TRAVEL_PACKAGE,
        title="Fuji and onsen, 5 nights",
        company=operator,
        season="Autumn 2026",
        expected_travellers=expected,
        travellers_booked=booked,
    )
    at = timezone.make_aware(datetime(2026, 6, 1, 12)) + timedelta(0)
    Lead.objects.filter(pk=made.pk).update(created_at=at, stage=stage)
    Credit.objects.filter(lead=made).delete()
    Credit.objects.create(lead=made, organisation=world.prefecture, share=1)
    return made


def test_travel_packages_count_in_the_kpis(world: World) -> None:
    _package(world, stage=Stage.WON, expected=40, booked=32)
    _package(world, stage=Stage.PROPOSAL, expected=25)
    for member in (None, world.prefecture):
        figures = kpi_figures(member=member, start=START, end=END)
        assert figures["travel_packages"] == {
            "leads": 2,
            "won": 1,
            "expected_travellers": 65,
            "travellers_booked": 32,
        }, member
    assert kpi_figures(member=world.other_prefecture, start=START, end=END)["travel_packages"] == {
        "leads": 0,
        "won": 0,
        "expected_travellers": 0,
        "travellers_booked": 0,
    }


def _figures() -> None:
    rows = ["region,year,month,country,visitors"]
    for month in range(1, 13):
        rows += [f"JP-19,2025,{month},IN,{100 + month}", f"JP-19,2025,{month},US,900"]
        rows += [f"JP-19,2024,{month},IN,{50 + month}"]
    assert arrivals_import(data="\n".join(rows) + "\n", sample=True).imported == 36


def test_the_prefectures_directory_page_shows_its_arrivals(world: World) -> None:
    _figures()
    html = Client().get(world.prefecture.get_absolute_url()).content.decode()
    assert "Visitors from India" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Sample figures" in html
    assert (
        '<td class="number">101</td><td class="number">51</td><td class="number">10.1 %</td>'
        in html
    )
    other = Client().get(world.other_prefecture.get_absolute_url()).content.decode()
    assert "Visitors from India" not in other  # no figures: no section


def test_the_kpi_dashboard_shows_the_arrivals_chart(world: World) -> None:
    _figures()
    officer = world.client_for("officer_own")
    response = officer.get(reverse("results:kpi"), {"start": "2025-01-01", "end": "2025-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="kpi-arrivals-title">Visitors from India</h2>' in html
    assert "Visitors from India in 2025, against 2024" in html


def test_a_travel_fair_shows_its_booths_and_travel_trade_to_whom_may_see_them(
    world: World,
) -> None:
    from setu.events.models import EventKind
    from setu.events.tests.factories import EventFactory
    from setu.matchmaking.tests.factories import matchmaking_for, participant
    from setu.tourism.models import Booth, TradeProfile

    fair = EventFactory.create(
        owner=world.prefecture, kind=EventKind.TRAVEL_FAIR, visibility="public"
    )
    operator = OrganisationFactory.create(
        kind=OrganisationKind.TOUR_OPERATOR, name_en="Pune Pilgrim Tours", country="IN",
        visibility="public",
    )  # fmt: skip
    Booth.objects.create(event=fair, organisation=operator, label="IN-01")
    Booth.objects.create(event=fair, organisation=world.company, label="JP-01")  # private
    profile = TradeProfile.objects.create(
        participant=participant(matchmaking_for(fair), operator),
        packages="Temples and onsen, 7 nights",
        group_min=15,
        group_max=40,
        segments=["pilgrims", "students"],
    )
    profile.associations.add(world.partner_org)
    html = Client().get(fair.get_absolute_url()).content.decode()
    assert "<strong>IN-01</strong>" in html and "Pune Pilgrim Tours" in html
    assert "Temples and onsen, 7 nights" in html
    assert "Pilgrims and spiritual travel, Students and school trips" in html
    assert "Groups of 15 to 40" in html
    assert "Kofu Precision" not in html  # a private company's booth is not shown to the public
    mine = world.client_for("officer_own").get(fair.get_absolute_url()).content.decode()
    assert "Kofu Precision" in mine
