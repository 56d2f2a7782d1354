"""The dashboard's figures, kept in the cache until the results change (or five minutes pass).

Computing the figures reads every lead and deal of the period (about a second at 100,000
leads); the dashboard is read far more often than the records change. The cache key names the
member, period, sector, what the reader may read (their memberships) and a version that every
save or delete of a lead, credit, deal, rate, event cost or survey invitation moves on (the
signals below). Writes that bypass signals (bulk loads such as the demo's) are picked up when
the entry expires, after ``TIMEOUT`` seconds. The command and the annual report never use
this cache: they compute afresh.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from setu.core.principal import principal_for
from setu.results.charts import Chart, kpi_charts
from setu.results.kpi import KpiReport, kpi_report

TIMEOUT = 300
VERSION_KEY = "results-kpi-version"


def cached_kpi_report(
    *,
    member: Any,
    start: date,
    end: date,
    sector: Any,
    user: Any,
    origins_shown: int | None = None,
) -> tuple[KpiReport, Any, dict[str, Chart]]:
    """``kpi_report`` for a reader, from the cache when nothing changed; when it was
    computed; and its charts (drawn in the reader's language, kept with the figures).
    ``origins_shown`` as for ``kpi_report`` (the page's report and the export's whole one are
    kept apart)."""
    version = cache.get_or_set(VERSION_KEY, 1, None)
    principal = principal_for(user)
    reader = sorted(principal.memberships)
    parts = [member.pk if member else "-", start, end, sector.pk if sector else "-", reader,
             version, timezone.localdate(), get_language(), origins_shown]  # fmt: skip
    key = "results-kpi-" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        report: KpiReport = found[0]
        return report, found[1], {c[0]: Chart(*c) for c in found[2]}
    report = kpi_report(
        member=member, start=start, end=end, sector=sector, user=user, origins_shown=origins_shown
    )
    computed_at = timezone.now()
    charts = kpi_charts(report.figures, report.sector_names)
    drawn = [(c.key, c.title, c.svg) for c in charts.values()]
    cache.set(key, (report, computed_at, drawn), TIMEOUT)
    return report, computed_at, charts


def results_changed(**_kwargs: Any) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value is a new version
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


def connect_signals() -> None:
    from setu.core.models import ExchangeRate
    from setu.results.models import Credit, Deal, EventCost, Lead, SurveyInvitation

    for model in (Lead, Credit, Deal, ExchangeRate, EventCost, SurveyInvitation):
        post_save.connect(results_changed, sender=model, dispatch_uid=f"kpi-{model.__name__}-s")
        post_delete.connect(results_changed, sender=model, dispatch_uid=f"kpi-{model.__name__}-d")
