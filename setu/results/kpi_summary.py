"""The KPI summary: the lead and deal figures pre-aggregated per month (decision 0026).

``KpiCell`` rows hold, for each month, how many leads were made (by stage now, furthest stage
reached, ISIC section, origin) and the deals closed (count and yen sums per origin and lead
kind, and the non-yen deals per currency and day for the rates used), once for the consortium
(every outcome whole) and once per credited member (its shares), split by the owner of private
leads so that the ownership rule is still applied when the cells are read. ``kpi_report`` reads
the whole months of a period from the cells and counts the part-months at its ends directly,
so its figures are the same as counting everything directly; the tests compare the two on
random data.

Freshness: every save or delete of a lead, credit, stage change or deal marks its months stale
in the same transaction (signals below); a rate marks every month from its day on; a deleted
event or mission (which empties leads' origins) or a changed sector tree marks every month.
The next reader rebuilds the stale months it needs (one month's leads and deals, counted
directly, under a row lock), and ``manage.py kpi_summary`` rebuilds them all (after a bulk
load that bypassed the signals).
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from setu.core.models import Visibility
from setu.core.principal import ALL_LEVELS, principal_for
from setu.results.kpi import (
    CURRENCY,
    NO_SECTOR,
    PROGRESS,
    Parts,
    _origin_key,
    _rate_to_yen,
    _Scope,
    _sections,
    furthest_stage,
)
from setu.results.models import Credit, Deal, KpiCell, KpiMonth, Lead, StageChange

Measure = KpiCell.Measure
LEAD_MEASURES = (Measure.STAGE, Measure.FURTHEST, Measure.SECTION, Measure.ORIGIN)
_MONEY = DecimalField(max_digits=24, decimal_places=8)
_STAFF_LEVELS = ALL_LEVELS - {Visibility.PRIVATE.value}


# --- months -------------------------------------------------------------------------------------


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_of_instant(instant: datetime) -> date:
    """The month (UTC) a lead made at ``instant`` is counted in."""
    return month_of(instant.astimezone(UTC).date())


def _utc(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def _months(first: date, stop: date) -> list[date]:
    """The months from ``first`` up to, not including, ``stop`` (both first days)."""
    found = []
    while first < stop:
        found.append(first)
        first = next_month(first)
    return found


# --- building -----------------------------------------------------------------------------------


def _private_owner(prefix: str) -> Case:
    return Case(
        When(**{prefix + "visibility": Visibility.PRIVATE}, then=F(prefix + "owner_id")),
        default=None,
    )


def _bases() -> list[tuple[QuerySet[Any], str, str | None]]:
    """The consortium's rows (leads, whole) and the members' (credits, their shares)."""
    return [(Lead.objects.all(), "", None), (Credit.objects.all(), "lead__", "organisation_id")]


def build_month(month: date) -> None:
    """Count one month afresh into its cells (under a lock on its ``KpiMonth`` row)."""
    with transaction.atomic():
        KpiMonth.objects.get_or_create(month=month)
        row = KpiMonth.objects.select_for_update().get(month=month)
        if not row.stale and row.built_at is not None:
            return  # built by another reader while this one waited
        KpiCell.objects.filter(month=month).delete()
        KpiCell.objects.bulk_create(_cells(month), batch_size=2000)
        row.stale, row.built_at = False, timezone.now()
        row.save(update_fields=["stale", "built_at"])


def _cells(month: date) -> list[KpiCell]:
    cells: dict[tuple[Any, ...], KpiCell] = {}

    def cell(member: int | None, owner: int | None, measure: str, **key: Any) -> KpiCell:
        ident = (member, owner, measure, tuple(sorted(key.items())))
        if ident not in cells:
            cells[ident] = KpiCell(
                month=month, member_id=member, private_owner_id=owner, measure=measure, **key
            )
        return cells[ident]

    sections, _names = _sections()
    since, until = _utc(month), _utc(next_month(month))
    last_day = next_month(month) - timedelta(days=1)
    for base, prefix, member_field in _bases():
        group = [member_field] if member_field else []

        def member_of(row: dict[str, Any], field: str | None = member_field) -> int | None:
            return row[field] if field else None

        leads = base.filter(
            **{f"{prefix}created_at__gte": since, f"{prefix}created_at__lt": until}
        ).annotate(po=_private_owner(prefix))
        leads = leads.order_by()
        for row in leads.values(*group, "po", prefix + "stage").annotate(n=Count("id")):
            cell(member_of(row), row["po"], Measure.STAGE, key=row[prefix + "stage"]).n += row["n"]
        for row in leads.values(*group, "po", prefix + "sector_id").annotate(n=Count("id")):
            sector_id = row[prefix + "sector_id"]
            code = sections.get(sector_id, NO_SECTOR) if sector_id else NO_SECTOR
            cell(member_of(row), row["po"], Measure.SECTION, key=code).n += row["n"]
        origin_fields = [prefix + f for f in ("origin_event_id", "origin_mission_id")]
        for row in leads.values(*group, "po", *origin_fields, prefix + "origin_kind").annotate(
            n=Count("id")
        ):
            kind, pk = _origin_key(row, prefix)
            cell(member_of(row), row["po"], Measure.ORIGIN, key=kind, origin_id=pk).n += row["n"]
        furthest = leads.annotate(furthest=furthest_stage(prefix))
        for row in furthest.values(*group, "po", "furthest").annotate(n=Count("id")):
            if row["furthest"] is not None and row["furthest"] >= 0:
                stage = PROGRESS[row["furthest"]]
                cell(member_of(row), row["po"], Measure.FURTHEST, key=stage).n += row["n"]

        deal = prefix + "deal__"
        closed = base.filter(
            **{f"{deal}closed_on__gte": month, f"{deal}closed_on__lte": last_day}
        ).annotate(po=_private_owner(prefix))
        share: Any = F("share") if member_field else Value(Decimal(1), output_field=_MONEY)
        rows = (
            closed.annotate(rate=_rate_to_yen(deal + "currency", deal + "closed_on"))
            .order_by()
            .values(*group, "po", *origin_fields, prefix + "origin_kind", prefix + "kind")
            .annotate(
                n=Count("id"),
                no_rate=Count("id", filter=Q(rate__isnull=True)),
                value_jpy=Sum(F(deal + "value") * share * F("rate"), output_field=_MONEY),
                investment_jpy=Sum(
                    F(deal + "investment_amount") * share * F("rate"), output_field=_MONEY
                ),
                jobs=Sum(F(deal + "jobs_planned") * share, output_field=_MONEY),
            )
        )
        for row in rows:
            kind, pk = _origin_key(row, prefix)
            target = cell(
                member_of(row),
                row["po"],
                Measure.DEAL,
                key=kind,
                origin_id=pk,
                lead_kind=row[prefix + "kind"],
            )
            target.n += row["n"]
            target.no_rate += row["no_rate"]
            for name in ("value_jpy", "investment_jpy", "jobs"):
                if row[name] is not None:
                    setattr(target, name, (getattr(target, name) or Decimal(0)) + row[name])
        days = (
            closed.exclude(**{deal + "currency": CURRENCY})
            .order_by()
            .values(*group, "po", deal + "currency", deal + "closed_on")
            .annotate(n=Count("id"))
        )
        for row in days:
            cell(
                member_of(row),
                row["po"],
                Measure.RATE,
                key=row[deal + "currency"],
                day=row[deal + "closed_on"],
            ).n += row["n"]
    return list(cells.values())


def ensure_built(months: set[date]) -> int:
    """Build the months that are stale or were never built; return how many were."""
    if not months:
        return 0
    fresh = set(
        KpiMonth.objects.filter(month__in=months, stale=False, built_at__isnull=False).values_list(
            "month", flat=True
        )
    )
    todo = sorted(months - fresh)
    for month in todo:
        build_month(month)
    return len(todo)


def rebuild(*, everything: bool = False) -> int:
    """Rebuild every stale month (``everything``: every month holding a lead or deal)."""
    if everything:
        mark_all_stale()
    months = set(KpiMonth.objects.filter(stale=True).values_list("month", flat=True))
    first_lead = Lead.objects.order_by("created_at").values_list("created_at", flat=True).first()
    first_deal = Deal.objects.order_by("closed_on").values_list("closed_on", flat=True).first()
    starts = [d for d in (first_deal, first_lead and month_of_instant(first_lead)) if d]
    if starts:
        today = timezone.now().astimezone(UTC).date()
        last_deal = Deal.objects.order_by("-closed_on").values_list("closed_on", flat=True).first()
        stop = next_month(max(today, last_deal or today))
        months |= set(_months(month_of(min(starts)), stop))
    return ensure_built(months)


# --- marking stale -----------------------------------------------------------------------------


def mark_stale(months: set[date]) -> None:
    """Mark ``months`` stale (rows made stale when missing, so a builder waits on them)."""
    months = {m for m in months if m is not None}
    if not months:
        return
    KpiMonth.objects.bulk_create(
        [KpiMonth(month=m, stale=True) for m in sorted(months)], ignore_conflicts=True
    )
    KpiMonth.objects.filter(month__in=months, stale=False).update(stale=True)


def mark_stale_from(month: date) -> None:
    KpiMonth.objects.filter(month__gte=month, stale=False).update(stale=True)


def mark_all_stale() -> None:
    KpiMonth.objects.filter(stale=False).update(stale=True)


def _lead_months(lead_id: int | None) -> set[date]:
    """The months a lead's figures lie in: the month it was made, the month its deal closed."""
    if lead_id is None:
        return set()
    months: set[date] = set()
    made = Lead.objects.filter(pk=lead_id).values_list("created_at", flat=True).first()
    if made is not None:
        months.add(month_of_instant(made))
    closed = Deal.objects.filter(lead_id=lead_id).values_list("closed_on", flat=True).first()
    if closed is not None:
        months.add(month_of(closed))
    return months


def lead_written(lead_id: int) -> None:
    """Mark the months of a lead whose rows were written without signals (bulk_create,
    ``update``): the services and the tests call it."""
    mark_stale(_lead_months(lead_id))


def _lead_changed(instance: Lead, **_kwargs: Any) -> None:
    months = _lead_months(instance.pk)
    if instance.created_at is not None:
        months.add(month_of_instant(instance.created_at))
    mark_stale(months)


def _related_changed(instance: Any, **_kwargs: Any) -> None:
    mark_stale(_lead_months(instance.lead_id))


def _deal_before_save(instance: Deal, **_kwargs: Any) -> None:
    if instance.pk is not None:
        before = Deal.objects.filter(pk=instance.pk).values_list("closed_on", flat=True).first()
        instance._kpi_closed_before = before  # type: ignore[attr-defined]


def _deal_changed(instance: Deal, **_kwargs: Any) -> None:
    months = {month_of(instance.closed_on)} if instance.closed_on else set()
    before = getattr(instance, "_kpi_closed_before", None)
    if before is not None:
        months.add(month_of(before))
    mark_stale(months)


def _rate_changed(instance: Any, **_kwargs: Any) -> None:
    mark_stale_from(month_of(instance.valid_on))


def _everything_changed(**_kwargs: Any) -> None:
    mark_all_stale()


def connect_signals() -> None:
    from setu.coordination.models import Mission
    from setu.core.models import ExchangeRate
    from setu.directory.models import Sector
    from setu.events.models import Event

    for signal in (post_save, post_delete):
        signal.connect(_lead_changed, sender=Lead, dispatch_uid=f"kpi-summary-lead-{signal}")
        for model in (Credit, StageChange):
            signal.connect(
                _related_changed,
                sender=model,
                dispatch_uid=f"kpi-summary-{model.__name__}-{signal}",
            )
        signal.connect(_deal_changed, sender=Deal, dispatch_uid=f"kpi-summary-deal-{signal}")
        signal.connect(
            _rate_changed, sender=ExchangeRate, dispatch_uid=f"kpi-summary-rate-{signal}"
        )
        signal.connect(
            _everything_changed, sender=Sector, dispatch_uid=f"kpi-summary-sector-{signal}"
        )
    pre_save.connect(_deal_before_save, sender=Deal, dispatch_uid="kpi-summary-deal-pre")
    # A deleted event or mission empties its leads' origins (SET_NULL, no signal).
    post_delete.connect(_everything_changed, sender=Event, dispatch_uid="kpi-summary-event-d")
    post_delete.connect(_everything_changed, sender=Mission, dispatch_uid="kpi-summary-mission-d")


# --- reading ------------------------------------------------------------------------------------


def _reader_filter(user: Any) -> Q | None:
    """The cells ``user`` may count, or None when the summary cannot say (see module doc)."""
    if user is None:
        return Q()
    principal = principal_for(user)
    if principal.shared_levels() != _STAFF_LEVELS:
        return None  # only staff read the figures; others are counted directly
    allowed = Q(private_owner__isnull=True)
    if principal.org_ids:
        allowed |= Q(private_owner__in=principal.org_ids)
    if principal.officer_org_ids:
        allowed |= Q(private_owner__managed_by__in=principal.officer_org_ids)
    return allowed


def summary_parts(scope: _Scope) -> Parts | None:
    """The lead and deal parts of ``scope``: whole months from the cells, the part-months at
    either end counted directly. None when the summary cannot answer (a sector is chosen, or
    the reader is not staff, or the period holds no whole month): count directly."""
    if scope.sector_ids is not None:
        return None
    allowed = _reader_filter(scope.user)
    if allowed is None:
        return None
    since_utc, until_utc = scope.since.astimezone(UTC), scope.until.astimezone(UTC)
    lead_first = month_of(since_utc.date())
    if _utc(lead_first) < since_utc:
        lead_first = next_month(lead_first)
    lead_stop = month_of(until_utc.date())
    deal_first = scope.start if scope.start.day == 1 else next_month(month_of(scope.start))
    deal_stop = month_of(scope.end + timedelta(days=1))
    if lead_first >= lead_stop and deal_first >= deal_stop:
        return None
    lead_months = _months(lead_first, lead_stop)
    deal_months = _months(deal_first, deal_stop)
    ensure_built(set(lead_months) | set(deal_months))

    parts = Parts()
    cells = KpiCell.objects.filter(allowed)
    if scope.member is not None:
        cells = cells.filter(member=scope.member)
    else:
        cells = cells.filter(member__isnull=True)
    if lead_months:
        rows = (
            cells.filter(measure__in=LEAD_MEASURES, month__gte=lead_first, month__lt=lead_stop)
            .order_by()
            .values("measure", "key", "origin_id")
            .annotate(total=Sum("n"))
        )
        for lead_row in rows:
            row: dict[str, Any] = dict(lead_row)
            measure, n = row["measure"], row["total"]
            if measure == Measure.STAGE:
                parts.by_stage[row["key"]] += n
            elif measure == Measure.FURTHEST:
                parts.furthest[row["key"]] += n
            elif measure == Measure.SECTION:
                parts.by_section[row["key"]] += n
            else:
                parts.origin_leads[(row["key"], row["origin_id"])] += n
        _edge(scope, parts, since=scope.since, until=_utc(lead_first))
        _edge(scope, parts, since=_utc(lead_stop), until=scope.until)
    else:
        scope.add_lead_parts(parts)
    if deal_months:
        in_months = cells.filter(month__gte=deal_first, month__lt=deal_stop).order_by()
        for deal_row in (
            in_months.filter(measure=Measure.DEAL)
            .values("key", "origin_id", "lead_kind")
            .annotate(
                total=Sum("n"),
                no_rates=Sum("no_rate"),
                value=Sum("value_jpy"),
                investment=Sum("investment_jpy"),
                job_sum=Sum("jobs"),
            )
        ):
            parts.deals[(deal_row["key"], deal_row["origin_id"], deal_row["lead_kind"])].add(
                deal_row["total"],
                deal_row["no_rates"],
                deal_row["value"],
                deal_row["investment"],
                deal_row["job_sum"],
            )
        for day_row in (
            in_months.filter(measure=Measure.RATE).values("key", "day").annotate(total=Sum("n"))
        ):
            if day_row["day"] is not None:
                parts.rate_days[(day_row["key"], day_row["day"])] += day_row["total"]
        _edge(scope, parts, start=scope.start, end=deal_first - timedelta(days=1))
        _edge(scope, parts, start=deal_stop, end=scope.end)
    else:
        scope.add_deal_parts(parts)
    return parts


def _edge(scope: _Scope, parts: Parts, **bounds: Any) -> None:
    """Count a part-month at an end of the period directly: leads between ``since`` and
    ``until``, or deals between ``start`` and ``end``."""
    edge = copy.copy(scope)
    if "since" in bounds:
        if bounds["since"] >= bounds["until"]:
            return
        edge.since, edge.until = bounds["since"], bounds["until"]
        edge.add_few_lead_parts(parts)
    else:
        if bounds["start"] > bounds["end"]:
            return
        edge.start, edge.end = bounds["start"], bounds["end"]
        edge.add_few_deal_parts(parts)


__all__ = [
    "build_month",
    "connect_signals",
    "ensure_built",
    "lead_written",
    "mark_all_stale",
    "mark_stale",
    "rebuild",
    "summary_parts",
]
