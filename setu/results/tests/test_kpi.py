"""The KPI figures (setu/results/kpi.py): their shape, the share rule, conversion at dated
rates, visibility, and the invariants on random small data (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.conftest import World
from setu.core.models import ExchangeRate, Visibility
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.tests.factories import OrganisationFactory
from setu.results import kpi_summary
from setu.results.kpi import kpi_figures, kpi_report, readable_leads
from setu.results.models import Credit, Deal, Lead, LeadKind, Stage
from setu.results.tests.factories import held_meeting, lead, mission_meeting, past_event

pytestmark = pytest.mark.django_db

START, END = date(2026, 4, 1), date(2027, 3, 31)
KEYS = {
    "member", "from", "to", "currency", "meetings_held", "leads", "deals", "investments",
    "mous", "travel_packages", "events", "survey", "by_origin",
}  # fmt: skip


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))


def _lead(world: World, *, created: date, shares: dict[Organisation, str], **fields: Any) -> Lead:
    made = lead(world, **fields)
    Lead.objects.filter(pk=made.pk).update(created_at=_at(created))
    Credit.objects.filter(lead=made).delete()
    Credit.objects.bulk_create(
        Credit(lead=made, organisation=org, share=Decimal(share)) for org, share in shares.items()
    )
    kpi_summary.lead_written(made.pk)  # the rows were dated without signals
    return made


def _deal(
    made: Lead, value: str, currency: str = "JPY", closed: date = date(2026, 6, 1), **kw: Any
) -> Deal:
    Lead.objects.filter(pk=made.pk).update(stage=Stage.WON)
    kpi_summary.lead_written(made.pk)
    return Deal.objects.create(
        lead=made, value=Decimal(value), currency=currency, closed_on=closed, **kw
    )


def test_the_figures_have_exactly_the_issues_shape(world: World) -> None:
    figures = kpi_figures(member=None, start=START, end=END)
    assert set(figures) == KEYS
    assert figures["member"] == "consortium" and figures["currency"] == "JPY"
    assert set(figures["leads"]) == {"total", "by_stage", "by_sector"}
    assert list(figures["leads"]["by_stage"]) == [s.value for s in Stage]
    assert set(figures["deals"]) == {"count", "value"}
    assert set(figures["investments"]) == {"count", "amount", "jobs"}
    assert set(figures["events"]) == {"held", "attendance"}
    assert set(figures["survey"]) == {"sent", "answered", "mean_usefulness"}


def test_a_member_gets_its_share_and_the_consortium_counts_each_outcome_once(
    world: World,
) -> None:
    own, other = world.prefecture, world.other_prefecture
    event = past_event(world)
    shared = _lead(
        world, created=date(2026, 5, 1), shares={own: "0.5", other: "0.5"}, origin_event=event,
        origin_kind="event",
    )  # fmt: skip
    _deal(shared, "1000000")
    alone = _lead(world, created=date(2026, 5, 2), shares={own: "1"}, kind=LeadKind.INVESTMENT)
    _deal(alone, "300", investment_amount=Decimal("200"), jobs_planned=7)

    mine = kpi_figures(member=own, start=START, end=END)
    theirs = kpi_figures(member=other, start=START, end=END)
    everyone = kpi_figures(member=None, start=START, end=END)

    assert mine["member"] == own.region_id
    assert mine["deals"] == {"count": 2, "value": 500300}
    assert theirs["deals"] == {"count": 1, "value": 500000}
    assert everyone["deals"] == {"count": 2, "value": 1000300}
    assert mine["investments"] == {"count": 1, "amount": 200, "jobs": 7}
    assert mine["leads"]["total"] == 2 and theirs["leads"]["total"] == 1
    assert everyone["leads"]["total"] == 2
    row = next(o for o in mine["by_origin"] if o["kind"] == "event")
    assert row == {
        "kind": "event", "id": event.pk, "title": event.display_title, "cost": 0,
        "deals_value": 500000, "leads": 1,
    }  # fmt: skip
    assert any(o["kind"] == "manual" and o["leads"] == 1 for o in mine["by_origin"])


def test_deals_convert_at_the_rate_of_the_day_they_closed(world: World) -> None:
    ExchangeRate.objects.create(
        base="INR", quote="JPY", rate=Decimal("1.5"), valid_on=date(2026, 4, 1)
    )
    ExchangeRate.objects.create(
        base="INR", quote="JPY", rate=Decimal("2"), valid_on=date(2026, 7, 1)
    )
    ExchangeRate.objects.create(
        base="JPY", quote="USD", rate=Decimal("0.008"), valid_on=date(2026, 1, 1)
    )
    own = {world.prefecture: "1"}
    _deal(_lead(world, created=date(2026, 5, 1), shares=own), "100", "INR", date(2026, 6, 30))
    _deal(_lead(world, created=date(2026, 5, 1), shares=own), "100", "INR", date(2026, 7, 1))
    _deal(_lead(world, created=date(2026, 5, 1), shares=own), "10", "USD", date(2026, 7, 1))

    report = kpi_report(member=None, start=START, end=END)

    assert report.figures["deals"]["value"] == 150 + 200 + 1250  # USD through the inverse rate
    assert [(r.currency, r.rate, r.valid_on, r.deals) for r in report.rates] == [
        ("INR", Decimal("1.5000"), date(2026, 4, 1), 1),
        ("INR", Decimal("2.0000"), date(2026, 7, 1), 1),
        ("USD", Decimal("125.0000"), date(2026, 1, 1), 1),
    ]
    assert report.unconverted_deals == 0


def test_the_pages_first_origins_are_the_first_rows_of_the_whole_list(world: World) -> None:
    """The dashboard asks for its first rows only (``origins_shown``): they are the whole
    list's first rows, ties on the value of deals broken by cost, and nothing else changes."""
    from setu.results.models import EventCost

    own = {world.prefecture: "1"}
    day = date(2026, 5, 1)
    for value, cost in [("300", 0), ("200", 5), ("200", 9), ("200", 1), (None, 7), (None, 2)]:
        event = past_event(world)
        if cost:
            EventCost.objects.create(event=event, title="Venue", amount_jpy=cost)
        made = _lead(world, created=day, shares=own, origin_event=event, origin_kind="event")
        if value is not None:
            _deal(made, value, closed=day)
    _deal(_lead(world, created=day, shares=own), "200", closed=day)  # entered by hand

    for member in (None, world.prefecture):
        whole = kpi_report(member=member, start=START, end=END)
        assert whole.origin_rows == len(whole.figures["by_origin"])
        for shown in range(1, len(whole.figures["by_origin"]) + 2):
            first = kpi_report(member=member, start=START, end=END, origins_shown=shown)
            assert first.figures["by_origin"] == whole.figures["by_origin"][:shown]
            assert first.origin_rows == whole.origin_rows
            rest = {k: v for k, v in first.figures.items() if k != "by_origin"}
            assert rest == {k: v for k, v in whole.figures.items() if k != "by_origin"}


def test_a_deal_without_a_rate_is_left_out_and_counted_as_such(world: World) -> None:
    _deal(_lead(world, created=date(2026, 5, 1), shares={world.prefecture: "1"}), "100", "INR")
    report = kpi_report(member=None, start=START, end=END)
    assert report.figures["deals"] == {"count": 1, "value": 0}
    assert report.unconverted_deals == 1


def test_a_reader_counts_only_what_they_may_read(world: World) -> None:
    own = {world.other_prefecture: "1"}
    _deal(_lead(world, created=date(2026, 5, 1), shares=own, owner=world.other_prefecture,
                visibility=Visibility.PRIVATE), "100")  # fmt: skip
    _deal(_lead(world, created=date(2026, 5, 1), shares=own, owner=world.other_prefecture), "50")
    secretariat = world.users["secretariat"]
    assert kpi_figures(member=None, start=START, end=END)["deals"]["value"] == 150
    assert kpi_figures(member=None, start=START, end=END, user=secretariat)["deals"]["value"] == 50
    officer = world.users["officer_other"]
    assert (
        kpi_figures(member=world.other_prefecture, start=START, end=END, user=officer)["deals"][
            "value"
        ]
        == 150
    )


@pytest.mark.parametrize(
    "role", ["student", "member", "partner", "officer_own", "officer_other", "secretariat"]
)
def test_the_counted_rows_keep_exactly_the_leads_the_reader_may_read(
    world: World, role: str
) -> None:
    """The figures filter leads (and credits) with the ownership rule inlined
    (``readable_leads``); it keeps the same leads as ``Lead.objects.visible_to``."""
    for owner in (world.prefecture, world.other_prefecture, world.company, world.partner_org):
        for visibility in Visibility:
            made = lead(world, owner=owner, visibility=visibility)
            Credit.objects.create(lead=made, organisation=world.other_prefecture, share=1)
    user = world.user(role)
    visible = set(Lead.objects.visible_to(user).values_list("pk", flat=True))
    assert 0 < len(visible) < Lead.objects.count()
    assert set(Lead.objects.filter(readable_leads(user)).values_list("pk", flat=True)) == visible
    credited = Credit.objects.filter(readable_leads(user, "lead__"))
    assert set(credited.values_list("lead_id", flat=True)) == visible


def test_the_period_and_sector_narrow_the_leads(world: World) -> None:
    from setu.directory.models import Sector

    sector = Sector.objects.filter(parent__isnull=True).order_by("code").first()
    own = {world.prefecture: "1"}
    _lead(world, created=date(2026, 3, 31), shares=own)
    _lead(world, created=date(2026, 4, 1), shares=own, sector=sector)
    _lead(world, created=date(2027, 3, 31), shares=own)
    assert kpi_figures(member=None, start=START, end=END)["leads"]["total"] == 2
    if sector is not None:
        narrowed = kpi_figures(member=None, start=START, end=END, sector=sector)
        assert narrowed["leads"]["total"] == 1
        assert narrowed["leads"]["by_sector"] == {sector.code: 1}


def test_the_figures_take_a_fixed_number_of_queries(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            kpi_figures(member=world.prefecture, start=START, end=END)
        return len(queries.captured_queries)

    def add(index: int) -> None:
        event = past_event(world)
        made = _lead(world, created=date(2026, 5, 1), shares={world.prefecture: "1"},
                     origin_event=event, origin_kind="event")  # fmt: skip
        _deal(made, str(100 + index), "JPY")

    add(0)
    count()  # builds the summary's months
    add(1)
    before = count()  # rebuilds the month of May alone
    for index in range(2, 12):
        add(index)
    assert count() == before
    assert before <= 90  # two months (May, June) rebuilt
    assert count() <= 24  # nothing changed: no month is rebuilt (one is the travel packages')


def test_meetings_held_add_the_b2b_meetings_and_the_missions_meetings(world: World) -> None:
    """One query counts both kinds (decision 0026, second round): the sum is unchanged."""
    event = past_event(world)
    held_meeting(world, event)
    mission_meeting(world)
    mission_meeting(world)
    for member in (world.prefecture, None):
        figures = kpi_figures(member=member, start=START, end=END)
        assert figures["meetings_held"] == 3
        assert figures["events"]["held"] == 1
    # no event was held in an earlier year: nothing to count, and no attendance to ask for
    earlier = kpi_figures(member=world.prefecture, start=date(2024, 4, 1), end=date(2025, 3, 31))
    assert earlier["meetings_held"] == 0
    assert earlier["events"] == {"held": 0, "attendance": 0}


# --- the invariants on random small data ------------------------------------------------------

SHARES = st.sampled_from([("1",), ("0.5", "0.5"), ("0.3334", "0.3333", "0.3333"), ("0.7", "0.3")])
LEADS = st.lists(
    st.tuples(
        SHARES,
        st.sampled_from(list(Stage)),
        st.sampled_from(["JPY", "INR", "USD"]),
        st.integers(min_value=0, max_value=10**9),
        st.integers(min_value=0, max_value=400),  # days after START: some fall outside
        st.booleans(),  # from the event
        st.booleans(),  # investment
    ),
    max_size=10,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=LEADS)
def test_the_figures_add_up_on_random_data(world: World, rows: list[Any]) -> None:
    Deal.objects.all().delete()
    Lead.objects.all().delete()
    ExchangeRate.objects.get_or_create(
        base="INR", quote="JPY", valid_on=date(2026, 1, 1), defaults={"rate": Decimal("1.71")}
    )
    ExchangeRate.objects.get_or_create(
        base="USD", quote="JPY", valid_on=date(2026, 1, 1), defaults={"rate": Decimal("148.5")}
    )
    third = Organisation.objects.filter(
        name_en="Third prefecture"
    ).first() or OrganisationFactory.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Third prefecture"
    )
    members = [world.prefecture, world.other_prefecture, third]
    event = past_event(world)
    for shares, stage, currency, value, day, from_event, investment in rows:
        made = _lead(
            world, created=START + timedelta(days=day),
            shares=dict(zip(members, shares, strict=False)), stage=stage,
            kind=LeadKind.INVESTMENT if investment else LeadKind.TRADE,
            origin_event=event if from_event else None,
            origin_kind="event" if from_event else "manual",
        )  # fmt: skip
        if stage == Stage.WON:
            _deal(made, str(value), currency, START + timedelta(days=day),
                  investment_amount=Decimal(value) if investment else None,
                  jobs_planned=day % 50 if investment else None)  # fmt: skip

    everyone = kpi_figures(member=None, start=START, end=END)
    each = [kpi_figures(member=m, start=START, end=END) for m in members]

    for figures in [everyone, *each]:
        leads = figures["leads"]
        assert sum(leads["by_stage"].values()) == leads["total"]
        assert sum(leads["by_sector"].values()) == leads["total"]
        assert sum(o["leads"] for o in figures["by_origin"]) == leads["total"]
        assert sum(o["deals_value"] for o in figures["by_origin"]) == figures["deals"]["value"]
        for origin in figures["by_origin"]:
            assert 0 <= origin["deals_value"] <= figures["deals"]["value"]
            assert 0 <= origin["leads"] <= leads["total"]
        assert figures["investments"]["count"] <= figures["deals"]["count"]
    in_period = [r for r in rows if r[1] == Stage.WON and r[4] <= (END - START).days]
    assert everyone["deals"]["count"] == len(in_period)
    assert everyone["leads"]["total"] == sum(1 for r in rows if r[4] <= (END - START).days)
    # The members' shares of the amounts add up to the consortium's (each rounded to the yen).
    by_members = sum(f["deals"]["value"] for f in each)
    assert abs(by_members - everyone["deals"]["value"]) <= 3 * (len(rows) + 1)
    jobs = sum(f["investments"]["jobs"] for f in each)
    assert abs(jobs - everyone["investments"]["jobs"]) <= len(members)
