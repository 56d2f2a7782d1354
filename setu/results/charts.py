"""The KPI charts as SVG, drawn on the server by pygal (docs/decisions/0015).

Each chart is a self-contained SVG shown as an ``<img>`` with a ``data:`` URL: the page's
Content-Security-Policy allows ``data:`` images but no inline style or script, and pygal's SVG
carries its own ``<style>``; inside an image it applies to the image alone and no script runs.
The same URL prints and goes into the annual report's PDF (WeasyPrint loads ``data:`` only).
``js=[]`` keeps pygal from referencing its tooltip script on a CDN; the configuration
``<script>`` it still writes is removed. Every chart has a table beside it on the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from setu.results.kpi_export import stage_rows
from setu.results.models import Stage

FONT = '"Noto Sans", "Noto Sans CJK JP", "Lohit Devanagari", sans-serif'
MAX_ORIGINS = 10
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    svg: str

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#1a1a1a",
        foreground_strong="#1a1a1a",
        foreground_subtle="#6b7280",
        colors=("#1f5fa8", "#d97706", "#0f766e", "#9333ea"),
        font_family=FONT,
        label_font_size=16,
        major_label_font_size=16,
        legend_font_size=16,
        title_font_size=18,
        value_font_size=16,
    )


def _options(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "js": [],  # no script from a CDN; tooltips are not needed in a printed chart
        "disable_xml_declaration": True,
        "style": _style(),
        "title": None,  # the page and the report give each chart its heading
        "width": 520,
        "height": 360,
        "print_values": True,
        "print_zeroes": False,
        "show_y_guides": True,
        "truncate_label": 28,
        "margin": 12,
        **extra,
    }


def _whole_numbers(values: list[int]) -> dict[str, Any]:
    """Axis labels at whole numbers for a chart of counts."""
    top = max([*values, 1])
    step = max(1, -(-top // 8))
    return {"y_labels": list(range(0, top + step, step))}


def _render(chart: Any) -> str:
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def stage_chart(figures: dict[str, Any]) -> Chart:
    import pygal

    title = _("Leads by stage")
    values = [row[1] for row in stage_rows(figures)]
    chart = pygal.Bar(
        **_options(title, show_legend=False, x_label_rotation=-30, **_whole_numbers(values))
    )
    chart.x_labels = [str(stage.label) for stage in Stage]
    chart.add(_("Leads"), values)
    return Chart("stages", title, _render(chart))


def sector_chart(figures: dict[str, Any], names: dict[str, str]) -> Chart:
    import pygal

    title = _("Leads by sector")
    items = sorted(figures["leads"]["by_sector"].items(), key=lambda item: item[1])
    chart = pygal.HorizontalBar(
        **_options(title, show_legend=False, **_whole_numbers([n for _code, n in items]))
    )
    chart.x_labels = [f"{code} {names.get(code, '')}".strip() for code, _n in items]
    chart.add(_("Leads"), [n for _code, n in items])
    return Chart("sectors", title, _render(chart))


def origin_chart(figures: dict[str, Any]) -> Chart:
    """Cost against the value of deals, for the events and missions with the most value."""
    import pygal

    title = _("Cost and value of deals, per event and mission (million JPY)")
    rows = [o for o in figures["by_origin"] if o["kind"] in ("event", "mission")][:MAX_ORIGINS]
    rows.reverse()  # a horizontal bar chart draws its first label at the bottom
    chart = pygal.HorizontalBar(
        **_options(
            title,
            legend_at_bottom=True,
            width=760,
            height=max(360, 90 + 50 * len(rows)),
            print_values=False,
            value_formatter=lambda v: f"{v:,.1f}",
            y_labels_major_count=5,
            show_minor_y_labels=False,
        )
    )
    chart.x_labels = [o["title"] for o in rows]
    chart.add(_("Cost"), [round(o["cost"] / 1e6, 1) for o in rows])
    chart.add(_("Value of deals"), [round(o["deals_value"] / 1e6, 1) for o in rows])
    return Chart("origins", title, _render(chart))


CACHE_SECONDS = 24 * 3600


def kpi_charts(figures: dict[str, Any], sector_names: dict[str, str]) -> dict[str, Chart]:
    """The three charts of ``figures``. Drawing them costs more than computing the figures,
    and they are a pure function of the figures and the language, so they are kept in the
    cache under a digest of both: the figures are computed on every request, the drawing is
    done once per distinct set of figures."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    digest = hashlib.sha256(
        json.dumps([figures, sector_names, get_language()], sort_keys=True, default=str).encode()
    ).hexdigest()
    key = f"results-kpi-charts-{digest}"
    cached = cache.get(key)
    if cached is not None:
        return {chart.key: chart for chart in (Chart(*fields) for fields in cached)}
    charts = [stage_chart(figures), sector_chart(figures, sector_names), origin_chart(figures)]
    cache.set(key, [(c.key, c.title, c.svg) for c in charts], CACHE_SECONDS)
    return {chart.key: chart for chart in charts}
