"""The KPI figures of a member prefecture or of the consortium, for a period and a sector.

One computation for every reader of the figures: the dashboard, ``manage.py kpi_report``, the
XLSX export and the annual report all call ``kpi_report`` (or ``kpi_figures``), so they always
agree. The rules (docs/decisions/0015-kpi-figures-and-charts.md):

- **Counts** (leads, deals, investments) count each outcome the member is credited on once;
  **amounts** (deal value, investment amount, jobs) are the member's share of each outcome
  (``Credit.share``, docs/decisions/0014). The consortium counts every outcome once, whole,
  without looking at credits, so the members' amounts add up to the consortium's.
- Leads are those created in the period; deals and investments those closed in it; meetings,
  events, MoUs and survey invitations those held, signed or sent in it.
- Deal values are converted to yen at the dated rate of the day each deal closed (the platform's
  rate table, the same choice as ``setu.core.money.convert``); ``rates`` lists the rates used.
- ``by_origin`` has one row per event and mission (the events a member hosts and the missions
  it leads or joins, and every origin of its outcomes), one for B2B meetings whose event is no
  longer recorded, one for leads entered by hand. Every lead belongs to exactly one row, so the
  totals are the sums of the rows and no row exceeds them.
- ``user=None`` is the system (the command): every record counts. With a user, only what the
  user may read counts (the secretariat's consortium view is what each member shares).

Everything is aggregated in the database in a fixed number of queries, whatever the data size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core.i18n import fallback_order
from setu.core.models import ExchangeRate
from setu.core.visibility import visibility_q
from setu.directory.models import Organisation, Partnership, PartnershipStatus, Sector
from setu.results.models import (
    Credit,
    Deal,
    Lead,
    LeadKind,
    MouLink,
    Stage,
    StageChange,
    SurveyInvitation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

    AnyUser = User | AnonymousUser

CURRENCY = "JPY"
CONSORTIUM = "consortium"
NO_SECTOR = "-"
ORIGIN_KINDS = ("event", "mission", "meeting", "manual")

_MONEY = DecimalField(max_digits=24, decimal_places=8)
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class RateUsed:
    """A rate some deals of the period were converted at: 1 ``currency`` = ``rate`` yen."""

    currency: str
    rate: Decimal
    valid_on: date
    deals: int


@dataclass(slots=True)
class KpiReport:
    """The figures (exactly the JSON of ``kpi_report --format json``) and what the pages add:
    the rates used, deals left out for want of a rate, the sector and origin labels."""

    figures: dict[str, Any]
    rates: list[RateUsed] = field(default_factory=list)
    unconverted_deals: int = 0
    sector_names: dict[str, str] = field(default_factory=dict)
    # How many of the period's leads reached each progress stage, from their stage history.
    reached: dict[str, int] = field(default_factory=dict)
    # How many rows ``by_origin`` has in full (the dashboard is given its first rows only).
    origin_rows: int = 0


def kpi_figures(
    *,
    member: Organisation | None,
    start: date,
    end: date,
    sector: Sector | None = None,
    user: AnyUser | None = None,
    summary: bool = True,
) -> dict[str, Any]:
    """The figures of ``member`` (None: the consortium) from ``start`` to ``end`` inclusive."""
    return kpi_report(
        member=member, start=start, end=end, sector=sector, user=user, summary=summary
    ).figures


def kpi_report(
    *,
    member: Organisation | None,
    start: date,
    end: date,
    sector: Sector | None = None,
    user: AnyUser | None = None,
    summary: bool = True,
    origins_shown: int | None = None,
) -> KpiReport:
    """``kpi_figures`` with the rates used and the labels the pages show.

    The leads and deals are read from the monthly summary (``kpi_summary``, decision 0026)
    wherever it can answer, and counted directly elsewhere; ``summary=False`` counts everything
    directly (the tests hold the two to the same figures).

    ``origins_shown`` (the dashboard's table) keeps only the first rows of ``by_origin``, so
    that the titles and costs of the other origins (a year holds a few thousand) are not read;
    ``KpiReport.origin_rows`` still counts every row and every other figure is unchanged. The
    JSON, the export and the annual report take the whole list (None)."""
    scope = _Scope(member=member, start=start, end=end, sector=sector, user=user)
    parts: Parts | None = None
    if summary:
        from setu.results.kpi_summary import summary_parts

        parts = summary_parts(scope)
    if parts is None:
        parts = Parts()
        scope.add_lead_parts(parts)
        scope.add_deal_parts(parts)
    by_stage = parts.by_stage
    _sections_of, sector_names = scope.sections()
    by_sector = {code: n for code, n in parts.by_section.items() if n}

    origins = _Origins()
    for (kind, pk), n in parts.origin_leads.items():
        if n:
            origins.row(kind, pk).leads += n

    investment_count, investment_amount, investment_jobs = 0, Decimal(0), Decimal(0)
    deals_count = 0
    unconverted = 0
    for (kind, pk, lead_kind), sums in parts.deals.items():
        target = origins.row(kind, pk)
        target.deals_value += sums.value_jpy
        deals_count += sums.n
        unconverted += sums.no_rate
        if lead_kind == LeadKind.INVESTMENT:
            investment_count += sums.n
            investment_amount += sums.investment_jpy
            investment_jobs += sums.jobs

    scope.add_held_origins(origins)
    leading = origins.leading(origins_shown)
    origins.fill_costs_and_titles(member, leading)
    by_origin = origins.as_list(leading)[:origins_shown]
    survey = scope.survey()
    figures: dict[str, Any] = {
        "member": member.region_id if member is not None else CONSORTIUM,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "currency": CURRENCY,
        "meetings_held": scope.meetings_held(),
        "leads": {
            "total": sum(by_stage.values()),
            "by_stage": {stage.value: by_stage.get(stage.value, 0) for stage in Stage},
            "by_sector": dict(sorted(by_sector.items())),
        },
        "deals": {"count": deals_count, "value": origins.deals_value()},
        "investments": {
            "count": investment_count,
            "amount": _yen(investment_amount),
            "jobs": int(_round(investment_jobs)),
        },
        "mous": scope.mous(),
        "travel_packages": _travel_packages(scope.leads(), scope.prefix),
        "events": scope.events(),
        "survey": survey,
        "by_origin": by_origin,
    }
    return KpiReport(
        figures=figures,
        rates=scope.rates_used(parts.rate_days),
        unconverted_deals=unconverted,
        sector_names=sector_names,
        reached=reached_counts(parts.furthest),
        origin_rows=len(origins.rows),
    )


PROGRESS = [s.value for s in Stage][: [s.value for s in Stage].index(Stage.WON) + 1]


def reached_counts(furthest: dict[str, int]) -> dict[str, int]:
    """How many leads reached each progress stage (identified … won), from how many went
    furthest to each: a lead that reached negotiation reached every stage before it."""
    reached: dict[str, int] = {}
    running = 0
    for stage in reversed(PROGRESS):
        running += furthest.get(stage, 0)
        reached[stage] = running
    return {stage: reached[stage] for stage in PROGRESS}


@dataclass(slots=True)
class DealSums:
    n: int = 0
    no_rate: int = 0
    value_jpy: Decimal = Decimal(0)
    investment_jpy: Decimal = Decimal(0)
    jobs: Decimal = Decimal(0)

    def add(self, n: int, no_rate: int, value: Any, investment: Any, jobs: Any) -> None:
        self.n += n
        self.no_rate += no_rate
        self.value_jpy += Decimal(value or 0)
        self.investment_jpy += Decimal(investment or 0)
        self.jobs += Decimal(jobs or 0)


@dataclass(slots=True)
class Parts:
    """The lead and deal figures of some period, before they are put together: counted
    directly (``_Scope.add_lead_parts``/``add_deal_parts``) or read from the summary."""

    by_stage: Counter[str] = field(default_factory=Counter)
    furthest: Counter[str] = field(default_factory=Counter)  # stage furthest reached: leads
    by_section: Counter[str] = field(default_factory=Counter)
    origin_leads: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    deals: dict[tuple[str, int | None, str], DealSums] = field(
        default_factory=lambda: defaultdict(DealSums)
    )
    rate_days: Counter[tuple[str, date]] = field(default_factory=Counter)


# --- helpers ----------------------------------------------------------------------------------


def _travel_packages(leads: QuerySet[Any], prefix: str) -> dict[str, int]:
    """Travel-package leads of the period: how many, how many won (on sale, travellers
    booked), the travellers expected and booked. One query."""
    won = Q(**{prefix + "stage": Stage.WON})
    found = leads.filter(**{prefix + "kind": LeadKind.TRAVEL_PACKAGE}).aggregate(
        leads=Count("id"),
        won=Count("id", filter=won),
        expected=Sum(prefix + "expected_travellers"),
        booked=Sum(prefix + "travellers_booked", filter=won),
    )
    return {
        "leads": found["leads"],
        "won": found["won"],
        "expected_travellers": found["expected"] or 0,
        "travellers_booked": found["booked"] or 0,
    }


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(_ONE, rounding=ROUND_HALF_UP)


def _yen(value: Decimal) -> int:
    return int(_round(value))


def _counts(queryset: QuerySet[Any], key: str) -> dict[Any, int]:
    return dict(queryset.order_by().values(key).annotate(n=Count("id")).values_list(key, "n"))


def _sections() -> tuple[dict[int, str], dict[str, str]]:
    """Each sector's ISIC section code (its root), and each section's name."""
    rows = list(Sector.objects.values_list("id", "parent_id", "code"))
    parent = {pk: parent_id for pk, parent_id, _code in rows}
    code = {pk: c for pk, _parent, c in rows}
    sections: dict[int, str] = {}
    for pk in parent:
        root, seen = pk, 0
        while parent.get(root) is not None and seen < 10:
            root, seen = parent[root] or root, seen + 1
        sections[pk] = code[root]
    names = {
        s.code: s.display_name for s in Sector.objects.filter(parent__isnull=True).order_by("code")
    }
    names[NO_SECTOR] = _("No sector")
    return sections, names


def sector_and_below(sector: Sector) -> list[int]:
    """The sector's id and its descendants' (the taxonomy is a few hundred rows)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Sector.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    found, todo = [], [sector.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def readable_leads(user: AnyUser, prefix: str = "") -> Q:
    """The ownership rule of ``Lead.objects.visible_to(user)`` on the lead that ``prefix``
    reaches ("lead__" from credits), as a filter on the counted rows themselves. (A subquery
    ``pk IN (the leads the user may read)`` made PostgreSQL scan every lead to count a few
    days' worth: 80 ms instead of 3 ms at 100,000 leads.)"""
    return _prefixed(visibility_q(user), prefix)


def _prefixed(rule: Q, prefix: str) -> Q:
    children: list[Any] = []
    for child in rule.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:  # a (lookup, value) pair
            lookup, value = cast(tuple[str, Any], child)
            children.append((prefix + lookup, value))
    return Q(*children, _connector=rule.connector, _negated=rule.negated)


def _origin_key(row: dict[str, Any], prefix: str) -> tuple[str, int | None]:
    """Which ``by_origin`` row a lead belongs to: its event, else its mission, else the
    B2B meetings without a recorded event, else the leads entered by hand."""
    event_id = row[prefix + "origin_event_id"]
    if event_id is not None:
        return "event", event_id
    mission_id = row[prefix + "origin_mission_id"]
    if mission_id is not None:
        return "mission", mission_id
    if row[prefix + "origin_kind"] == "meeting":
        return "meeting", None
    return "manual", None


@dataclass(slots=True)
class _OriginRow:
    kind: str
    id: int | None
    leads: int = 0
    deals_value: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    title: str = ""


class _Origins:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, int | None], _OriginRow] = {}

    def row(self, kind: str, pk: int | None) -> _OriginRow:
        key = (kind, pk)
        if key not in self.rows:
            self.rows[key] = _OriginRow(kind, pk)
        return self.rows[key]

    def deals_value(self) -> int:
        """The value of the deals: the sum of the rows' values as ``as_list`` rounds them."""
        return sum(_yen(row.deals_value) for row in self.rows.values())

    def leading(self, count: int | None) -> list[_OriginRow]:
        """The rows that can be among the first ``count`` of the list (every row: None).

        The list is in decreasing value of deals, the cost breaking ties: the first rows are
        among those whose value is at least the ``count``-th largest, whatever their costs. So
        only these need a cost and a title (all rows when fewer than ``count`` have a value)."""
        rows = list(self.rows.values())
        if count is None or len(rows) <= count:
            return rows
        values = sorted((row.deals_value for row in rows), reverse=True)
        return [row for row in rows if row.deals_value >= values[count - 1]]

    def fill_costs_and_titles(self, member: Organisation | None, rows: list[_OriginRow]) -> None:
        """The title and cost of each of ``rows``: one query per kind, reading plain values
        (a year holds a few thousand origins)."""
        from setu.coordination.models import BudgetLine, CostShare, Mission
        from setu.events.models import Event, EventOrganisation, HostRole
        from setu.results.models import EventCost

        languages = fallback_order()
        title_fields = [f"title_{code}" for code in languages]

        def title_of(titles: tuple[str, ...]) -> str:
            return next((title for title in titles if title), "")

        def total(rows: QuerySet[Any], key: str, amount: str) -> Subquery:
            return Subquery(
                rows.filter(**{key: OuterRef("pk")})
                .order_by()
                .values(key)
                .annotate(total=Sum(amount))
                .values("total")
            )

        event_ids = [row.id for row in rows if row.kind == "event" and row.id is not None]
        mission_ids = [row.id for row in rows if row.kind == "mission" and row.id is not None]
        if event_ids:
            events = Event.objects.filter(pk__in=event_ids).annotate(
                cost=total(EventCost.objects.all(), "event", "amount_jpy")
            )
            if member is not None:
                co_hosts = EventOrganisation.objects.filter(role=HostRole.CO_HOST)
                events = events.annotate(
                    co_hosts=Subquery(
                        co_hosts.filter(event=OuterRef("pk"))
                        .order_by()
                        .values("event")
                        .annotate(n=Count("id"))
                        .values("n")
                    )
                )
            else:
                events = events.annotate(co_hosts=Value(0))
            for pk, cost, co_hosts, *titles in events.order_by().values_list(
                "pk", "cost", "co_hosts", *title_fields
            ):
                row = self.rows[("event", pk)]
                row.title = title_of(titles)
                # A member bears an equal part of an event's cost with its co-hosts.
                row.cost = Decimal(cost or 0) / (1 + (co_hosts or 0))
        if mission_ids:
            if member is None:
                lines = total(BudgetLine.objects.all(), "mission", "amount_jpy")
            else:  # the member's own part of the budget lines (their cost shares)
                lines = total(
                    CostShare.objects.filter(organisation=member), "line__mission", "amount_jpy"
                )
            for pk, cost, *titles in (
                Mission.objects.filter(pk__in=mission_ids)
                .annotate(cost=lines)
                .order_by()
                .values_list("pk", "cost", *title_fields)
            ):
                row = self.rows[("mission", pk)]
                row.title = title_of(titles)
                row.cost = Decimal(cost or 0)
        for row in rows:
            if row.kind == "meeting":
                row.title = _("B2B meetings (event no longer recorded)")
            elif row.kind == "manual":
                row.title = _("Entered by hand")
            elif not row.title:
                row.title = _("(deleted)")

    def as_list(self, rows: list[_OriginRow]) -> list[dict[str, Any]]:
        """``rows`` in the report's order: by value of deals, then cost (both descending)."""
        rows = sorted(
            rows, key=lambda r: (-r.deals_value, -r.cost, ORIGIN_KINDS.index(r.kind), r.id or 0)
        )
        return [
            {
                "kind": r.kind,
                "id": r.id,
                "title": r.title,
                "cost": _yen(r.cost),
                "deals_value": _yen(r.deals_value),
                "leads": r.leads,
            }
            for r in rows
        ]


def _rate_to_yen(currency: str, day: str) -> Any:
    """The yen per unit of ``currency`` on ``day`` (both outer references): the latest direct
    rate on or before the day, else the inverse of the latest yen→currency rate."""
    direct = (
        ExchangeRate.objects.filter(
            base=OuterRef(currency), quote=CURRENCY, valid_on__lte=OuterRef(day)
        )
        .order_by("-valid_on")
        .values("rate")[:1]
    )
    inverse = (
        ExchangeRate.objects.filter(
            base=CURRENCY, quote=OuterRef(currency), valid_on__lte=OuterRef(day)
        )
        .order_by("-valid_on")
        .values("rate")[:1]
    )
    return Case(
        When(**{currency: CURRENCY}, then=Value(_ONE, output_field=_MONEY)),
        default=Coalesce(
            Subquery(direct, output_field=_MONEY),
            ExpressionWrapper(
                Value(_ONE) / Subquery(inverse, output_field=_MONEY), output_field=_MONEY
            ),
        ),
        output_field=_MONEY,
    )


def furthest_stage(prefix: str = "") -> Any:
    """The index in ``PROGRESS`` of the furthest progress stage a lead has been at, now or in
    its stage history (lost and dormant do not count); -1 when none. ``prefix`` reaches the
    lead from the rows annotated ("lead__" from credits)."""
    index_of = Case(
        *(When(to_stage=stage, then=Value(i)) for i, stage in enumerate(PROGRESS)),
        default=Value(-1),
    )
    history = (
        StageChange.objects.filter(lead_id=OuterRef(prefix + "id" if not prefix else "lead_id"))
        .annotate(index=index_of)
        .order_by("-index")
        .values("index")[:1]
    )
    now = Case(
        *(When(**{prefix + "stage": stage}, then=Value(i)) for i, stage in enumerate(PROGRESS)),
        default=Value(-1),
    )
    return Greatest(now, Coalesce(Subquery(history), Value(-1)))


class _Scope:
    """The records a report counts: the member's credited outcomes (or all of them), in the
    period and sector, that the user may read."""

    def __init__(
        self,
        *,
        member: Organisation | None,
        start: date,
        end: date,
        sector: Sector | None,
        user: AnyUser | None,
    ) -> None:
        self.member, self.start, self.end, self.user = member, start, end, user
        self.sector = sector
        self.sector_ids = sector_and_below(sector) if sector is not None else None
        zone = timezone.get_current_timezone()
        # Leads are counted by the instant they were made, deals by the day they closed.
        self.since = datetime.combine(start, time.min, tzinfo=zone)
        self.until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        self.now = timezone.now()
        # Credits rows for a member (one per credited lead), leads for the consortium.
        self.prefix = "lead__" if member is not None else ""
        self._memo: dict[str, Any] = {}  # shared with the copies that count the period's ends
        # The held events' ids, read once by ``add_held_origins`` and counted by ``events``.
        self._held_event_ids: list[int] | None = None

    def sections(self) -> tuple[dict[int, str], dict[str, str]]:
        if "sections" not in self._memo:
            self._memo["sections"] = _sections()
        found: tuple[dict[int, str], dict[str, str]] = self._memo["sections"]
        return found

    def lead_fields(self, *names: str) -> list[str]:
        return [self.prefix + name for name in names]

    def _lead_filter(self) -> Q:
        q = Q()
        if self.sector_ids is not None:
            q &= Q(**{self.prefix + "sector_id__in": self.sector_ids})
        if self.user is not None:
            q &= readable_leads(self.user, self.prefix)
        return q

    def _base(self) -> QuerySet[Any]:
        if self.member is not None:
            return Credit.objects.filter(organisation=self.member).filter(self._lead_filter())
        return Lead.objects.filter(self._lead_filter())

    def leads(self) -> QuerySet[Any]:
        key = self.prefix + "created_at"
        return self._base().filter(**{f"{key}__gte": self.since, f"{key}__lt": self.until})

    def add_lead_parts(self, parts: Parts) -> None:
        """Count the leads made from ``since`` to ``until`` into ``parts``."""
        leads = self.leads()
        for stage, n in _counts(leads, self.prefix + "stage").items():
            parts.by_stage[stage] += n
        sections, _names = self.sections()
        for sector_id, n in _counts(leads, self.prefix + "sector_id").items():
            parts.by_section[sections.get(sector_id, NO_SECTOR) if sector_id else NO_SECTOR] += n
        for row in leads.values(
            *self.lead_fields("origin_event_id", "origin_mission_id", "origin_kind")
        ).annotate(n=Count("id")):
            parts.origin_leads[_origin_key(row, self.prefix)] += row["n"]
        furthest = leads.annotate(furthest=furthest_stage(self.prefix)).order_by()
        for index, n in (
            furthest.values("furthest").annotate(n=Count("id")).values_list("furthest", "n")
        ):
            if index is not None and index >= 0:
                parts.furthest[PROGRESS[index]] += n

    def add_few_lead_parts(self, parts: Parts) -> None:
        """``add_lead_parts`` in one query that returns about a row per lead: for a few days
        of leads (the part-months at the ends of a period read from the summary), where one
        pass over the rows costs less than four."""
        fields = self.lead_fields(
            "stage", "sector_id", "origin_event_id", "origin_mission_id", "origin_kind"
        )
        stage, sector = fields[0], fields[1]
        sections, _names = self.sections()
        # A member's credits are counted by their lead (one credit per lead and member): the
        # credits' index on (organisation, lead) then answers without reading the table (half
        # of this query's time at 100,000 leads on PostgreSQL).
        rows = (
            self.leads()
            .annotate(furthest=furthest_stage(self.prefix))
            .order_by()
            .values(*fields, "furthest")
            .annotate(n=Count(self.prefix + "id"))
        )
        for row in rows:
            n = row["n"]
            parts.by_stage[row[stage]] += n
            sector_id = row[sector]
            parts.by_section[sections.get(sector_id, NO_SECTOR) if sector_id else NO_SECTOR] += n
            parts.origin_leads[_origin_key(row, self.prefix)] += n
            if row["furthest"] is not None and row["furthest"] >= 0:
                parts.furthest[PROGRESS[row["furthest"]]] += n

    def add_few_deal_parts(self, parts: Parts) -> None:
        """``add_deal_parts`` in one query that returns about a row per deal (the
        part-months at the ends of a period read from the summary)."""
        deal = self.prefix + "deal__"
        currency, closed_on = deal + "currency", deal + "closed_on"
        for row in self.deals_by_origin(currency, closed_on):
            kind, pk = _origin_key(row, self.prefix)
            parts.deals[(kind, pk, row[self.prefix + "kind"])].add(
                row["n"], row["no_rate"], row["value_jpy"], row["investment_jpy"], row["jobs"]
            )
            if row[currency] != CURRENCY:
                parts.rate_days[(row[currency], row[closed_on])] += row["n"]

    def deals_by_origin(self, *also: str) -> QuerySet[Any]:
        """The deals closed from ``start`` to ``end``, grouped by origin and lead kind (and
        the fields named in ``also``)."""
        deal = self.prefix + "deal__"
        rows = self._base().filter(
            **{f"{deal}closed_on__gte": self.start, f"{deal}closed_on__lte": self.end}
        )
        share: Any = F("share") if self.member is not None else Value(_ONE, output_field=_MONEY)
        rate = _rate_to_yen(deal + "currency", deal + "closed_on")
        rows = rows.annotate(rate=rate)
        return (
            rows.order_by()
            .values(
                *self.lead_fields("origin_event_id", "origin_mission_id", "origin_kind", "kind"),
                *also,
            )
            .annotate(
                n=Count("id"),
                no_rate=Count("id", filter=Q(rate__isnull=True)),
                value_jpy=Sum(
                    ExpressionWrapper(F(deal + "value") * share * F("rate"), output_field=_MONEY)
                ),
                investment_jpy=Sum(
                    ExpressionWrapper(
                        F(deal + "investment_amount") * share * F("rate"), output_field=_MONEY
                    )
                ),
                jobs=Sum(ExpressionWrapper(F(deal + "jobs_planned") * share, output_field=_MONEY)),
            )
        )

    def rate_days(self) -> QuerySet[Any]:
        """The non-yen deals closed from ``start`` to ``end``, by currency and day."""
        deals = Deal.objects.filter(closed_on__gte=self.start, closed_on__lte=self.end).exclude(
            currency=CURRENCY
        )
        if self.member is not None:
            deals = deals.filter(lead__in=self._base().values("lead_id"))
        else:
            deals = deals.filter(lead__in=self._base().values("pk"))
        return deals.order_by().values("currency", "closed_on").annotate(n=Count("id"))

    def add_deal_parts(self, parts: Parts) -> None:
        """Add the deals closed from ``start`` to ``end`` to ``parts``."""
        for row in self.deals_by_origin():
            kind, pk = _origin_key(row, self.prefix)
            parts.deals[(kind, pk, row[self.prefix + "kind"])].add(
                row["n"], row["no_rate"], row["value_jpy"], row["investment_jpy"], row["jobs"]
            )
        for row in self.rate_days():
            parts.rate_days[(row["currency"], row["closed_on"])] += row["n"]

    def rates_used(self, rate_days: Counter[tuple[str, date]]) -> list[RateUsed]:
        """The rates the period's deals were converted at (for the page, not the JSON)."""
        if not rate_days:
            return []
        table: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
        for base, quote, valid_on, rate in (
            ExchangeRate.objects.filter(
                Q(quote=CURRENCY) | Q(base=CURRENCY), valid_on__lte=self.end
            )
            .order_by("valid_on")
            .values_list("base", "quote", "valid_on", "rate")
        ):
            table[(base, quote)].append((valid_on, rate))
        used: dict[tuple[str, date], list[Any]] = {}
        for (currency, closed_on), n in sorted(rate_days.items()):
            found = _latest(table[(currency, CURRENCY)], closed_on)
            inverse = False
            if found is None:
                found = _latest(table[(CURRENCY, currency)], closed_on)
                inverse = True
            if found is None:
                continue
            valid_on, rate = found
            key = (currency, valid_on)
            entry = used.setdefault(key, [_ONE / rate if inverse else rate, 0])
            entry[1] += n
        return [
            RateUsed(currency, rate.quantize(Decimal("0.0001")), valid_on, n)
            for (currency, valid_on), (rate, n) in sorted(used.items())
        ]

    # --- activity in the period ---------------------------------------------------------------

    def _events(self) -> QuerySet[Any]:
        from setu.events.models import Event, EventOrganisation, EventVisibility, HostRole

        events = (
            Event.objects.visible_to(self.user) if self.user is not None else Event.objects.all()
        )
        events = events.exclude(visibility=EventVisibility.DRAFT)
        if self.member is not None:
            events = events.filter(
                Q(owner=self.member)
                | Exists(
                    EventOrganisation.objects.filter(
                        event=OuterRef("pk"), organisation=self.member, role=HostRole.CO_HOST
                    )
                )
            )
        if self.sector_ids is not None:
            events = events.filter(
                Exists(
                    Event.sectors.through.objects.filter(
                        event_id=OuterRef("pk"), sector_id__in=self.sector_ids
                    )
                )
            )
        return events

    def _held_events(self) -> QuerySet[Any]:
        return self._events().filter(ends_at__gte=self.since, ends_at__lt=min(self.until, self.now))

    def _missions(self) -> QuerySet[Any]:
        from setu.coordination.models import Mission, MissionParticipant, MissionStatus

        missions = (
            Mission.objects.visible_to(self.user)
            if self.user is not None
            else Mission.objects.all()
        )
        missions = missions.exclude(status=MissionStatus.CANCELLED)
        if self.member is not None:
            missions = missions.filter(
                Q(owner=self.member)
                | Exists(
                    MissionParticipant.objects.filter(
                        mission=OuterRef("pk"), organisation=self.member
                    )
                )
            )
        return missions

    def _held_missions(self) -> QuerySet[Any]:
        return self._missions().filter(
            ends_on__gte=self.start, ends_on__lte=min(self.end, timezone.localdate())
        )

    def add_held_origins(self, origins: _Origins) -> None:
        """Events and missions of the period appear with their cost even without outcomes
        (missions only without a sector: they carry none)."""
        for pk in self.held_event_ids():
            origins.row("event", pk)
        if self.sector_ids is None:
            for pk in self._held_missions().values_list("pk", flat=True):
                origins.row("mission", pk)

    def held_event_ids(self) -> list[int]:
        """The ids of the events held in the period, read once: the table of origins lists
        them and ``events`` counts them and their attendance (one query fewer per report)."""
        if self._held_event_ids is None:
            self._held_event_ids = list(self._held_events().values_list("pk", flat=True))
        return self._held_event_ids

    def events(self) -> dict[str, int]:
        from setu.events.models import Attendee

        held = self.held_event_ids()
        # An empty list asks nothing of the database.
        attendance = Attendee.objects.filter(event_id__in=held, checked_in_at__isnull=False).count()
        return {"held": len(held), "attendance": attendance}

    def meetings_held(self) -> int:
        """B2B meetings held at the member's events, and meetings on its missions' itineraries.

        The two are counted in one query (their ids united, duplicates kept: they come from
        two tables), one round trip fewer on the dashboard's uncached view."""
        from setu.coordination.models import ItineraryItem
        from setu.coordination.models.missions import MEETING_KINDS
        from setu.matchmaking.models import Meeting, Outcome

        until = min(self.until, self.now)
        b2b = Meeting.objects.filter(
            outcome=Outcome.HELD,
            slot__starts_at__gte=self.since,
            slot__starts_at__lt=until,
            run__matchmaking__event__in=self._events().values("pk"),
        )
        if self.sector_ids is not None:
            return b2b.count()
        visits = ItineraryItem.objects.filter(
            kind__in=MEETING_KINDS,
            starts_at__gte=self.since,
            starts_at__lt=until,
            mission__in=self._missions().values("pk"),
        )
        both = b2b.order_by().values_list("pk").union(visits.order_by().values_list("pk"), all=True)
        return both.count()

    def mous(self) -> int:
        """Agreements signed in the period: for a member, those it owns or signed, or that
        are linked to a lead credited to it or a mission it led or joined."""
        agreements = (
            Partnership.objects.visible_to(self.user)
            if self.user is not None
            else Partnership.objects.all()
        )
        agreements = agreements.filter(signed_on__gte=self.start, signed_on__lte=self.end).exclude(
            status=PartnershipStatus.PLANNED
        )
        if self.member is not None:
            credited = Credit.objects.filter(organisation=self.member).values("lead_id")
            linked = MouLink.objects.filter(
                Q(lead_id__in=credited) | Q(mission__in=self._missions().values("pk"))
            ).values("partnership_id")
            agreements = agreements.filter(
                Q(owner=self.member)
                | Exists(
                    Partnership.parties.through.objects.filter(
                        partnership_id=OuterRef("pk"), organisation_id=self.member.pk
                    )
                )
                | Q(pk__in=linked)
            )
        if self.sector_ids is not None:
            linked_leads = MouLink.objects.filter(lead__sector_id__in=self.sector_ids).values(
                "partnership_id"
            )
            agreements = agreements.filter(pk__in=linked_leads)
        return agreements.count()

    def survey(self) -> dict[str, Any]:
        """Invitations sent in the period for the member's events and missions (or all)."""
        invitations = SurveyInvitation.objects.filter(
            sent_at__gte=self.since, sent_at__lt=self.until
        )
        if self.user is not None:
            from setu.results.models import Survey

            invitations = invitations.filter(
                survey__in=Survey.objects.visible_to(self.user).values("pk")
            )
        if self.member is not None:
            invitations = invitations.filter(
                Q(survey__event__in=self._events().values("pk"))
                | Q(survey__mission__in=self._missions().values("pk"))
            )
        elif self.sector_ids is not None:
            invitations = invitations.filter(survey__event__in=self._events().values("pk"))
        row = invitations.aggregate(
            sent=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            mean=Avg("usefulness", filter=Q(answered_at__isnull=False)),
        )
        mean = row["mean"]
        return {
            "sent": row["sent"],
            "answered": row["answered"],
            "mean_usefulness": None if mean is None else round(float(mean), 2),
        }


def _latest(rates: list[tuple[date, Decimal]], day: date) -> tuple[date, Decimal] | None:
    """The last (valid_on, rate) on or before ``day`` of a list sorted by date."""
    from bisect import bisect_right

    index = bisect_right(rates, day, key=lambda item: item[0])
    return rates[index - 1] if index else None


def period_of_year(year: int) -> tuple[date, date]:
    """A Japanese fiscal year: 1 April to 31 March."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def current_fiscal_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


__all__ = [
    "CONSORTIUM",
    "CURRENCY",
    "PROGRESS",
    "KpiReport",
    "Parts",
    "RateUsed",
    "current_fiscal_year",
    "kpi_figures",
    "kpi_report",
    "period_of_year",
    "reached_counts",
    "readable_leads",
    "sector_and_below",
]
