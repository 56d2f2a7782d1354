"""The arrivals chart: Indian visitors per month, this year against last year (pygal, drawn
as the KPI charts are: an SVG in a ``data:`` URL with its table beside it, see
setu/results/charts.py and docs/decisions/0015)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from setu.results.charts import Chart, _options, _render
from setu.tourism.arrivals import MonthRow, arrivals_year, latest_year

CACHE_SECONDS = 24 * 3600


def arrivals_chart(rows: list[MonthRow], year: int) -> Chart:
    import pygal

    title = _("Visitors from India per month")
    chart = pygal.Bar(**_options(title, legend_at_bottom=True, print_values=False))
    chart.x_labels = [str(MONTHS_3[row.month]) for row in rows]
    chart.add(str(year - 1), [row.indian_last_year for row in rows])
    chart.add(str(year), [row.indian for row in rows])
    return Chart("arrivals", title, _render(chart))


def _cached_chart(rows: list[MonthRow], year: int) -> Chart:
    """Drawing costs more than reading: kept under a digest of the figures and the language."""
    payload = json.dumps([[r.month, r.indian, r.indian_last_year] for r in rows] + [year])
    digest = hashlib.sha256(f"{payload}{get_language()}".encode()).hexdigest()
    key = f"tourism-arrivals-chart-{digest}"
    cached = cache.get(key)
    if cached is not None:
        return Chart(*cached)
    chart = arrivals_chart(rows, year)
    cache.set(key, (chart.key, chart.title, chart.svg), CACHE_SECONDS)
    return chart


def arrivals_html(*, region_ids: list[str], until: int | None = None) -> SafeString | None:
    """The chart and its table for the latest year with figures, or None when there are none.
    Two queries."""
    year = latest_year(region_ids, until=until)
    if year is None:
        return None
    rows = arrivals_year(region_ids=region_ids, year=year)
    has_sample = _has_sample(region_ids, year)
    return render_to_string(
        "tourism/partials/_arrivals.html",
        {
            "chart": _cached_chart(rows, year),
            "rows": [(str(MONTHS_3[row.month]), row) for row in rows],
            "year": year,
            "last_year": year - 1,
            "has_sample": has_sample,
        },
    )


def _has_sample(region_ids: list[str], year: int) -> bool:
    from setu.tourism.models import ArrivalFigure

    return ArrivalFigure.objects.filter(
        region_id__in=region_ids, year=year, is_sample=True
    ).exists()
