"""Benchmark the public destination page and the arrival-figures import.

Run from the repository root::

    .venv/bin/python bench/bench_tourism.py [--quick] [--backend sqlite|postgres]

Without ``--backend`` it runs once per backend, each in its own process (PostgreSQL is
skipped, with the reason, when the local server does not answer). Each run creates a
throwaway database (``setu_bench_tourism`` on PostgreSQL), migrates it and publishes nine
destination pages of realistic size (12 places, 3 itineraries of 5 days, 10 festivals and 8
photos each). Then it measures:

- ``/visit/<region>/`` read anonymously, with Django's test Client in-process (server time per
  request): p95 ≤ 30 ms against a bare Django view through the same middleware, and the
  number of queries per request (≤ 2: the page reads one row, the published snapshot);
- ``import_arrivals`` of 100,000 rows (``--quick``: 20,000) from a CSV file: < 10 s, against
  the same rows written one by one with ``update_or_create`` (timed on 1,000 rows and scaled
  to the file's size); then the same file again (every row replaces its figure): < 10 s.

The machine has 2 cores shared with other work: figures are noisy; the load average is
printed at the end. The database is removed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import (  # noqa: E402
    Reporter,
    configure_django,
    migrate,
    percentile,
    run_per_backend,
    throwaway_database,
)

PAGE_TARGET_MS = 30.0
QUERY_TARGET = 2
IMPORT_TARGET_S = 10.0
NAIVE_ROWS = 1000
COUNTRIES = ("IN", "CN", "KR", "TW", "US", "TH", "SG", "AU", "GB", "FR")


def _bare_urlconf() -> str:
    import types

    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import path

    from config import urls as project_urls

    template = engines["django"].from_string("<!DOCTYPE html><p>{{ greeting }}</p>")

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render({"greeting": "hello"}, request))

    module = types.ModuleType("bench_tourism_urls")
    module.urlpatterns = [path("bench/bare/", bare), *project_urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


def _build_pages() -> list[str]:
    """Nine published pages; their region codes."""
    from setu.directory.models import Organisation, OrganisationKind, Region
    from setu.tourism import services
    from setu.tourism.demo import sample_image
    from setu.tourism.tests.factories import jpeg

    codes = ["JP-19", "JP-22", "JP-16", "JP-31", "JP-04", "JP-03", "JP-30", "JP-28", "JP-38"]
    text = "A paragraph a travel agent reads before choosing a package. " * 6
    image = sample_image(1)
    for code in codes:
        region = Region.objects.get(code=code)
        owner = Organisation.objects.create(
            kind=OrganisationKind.MEMBER_PREFECTURE, name_en=region.name_en, country="JP",
            region=region, visibility="public",
        )  # fmt: skip
        page = services.destination_start(owner=owner, actor=None)
        data = {f"{field}_{lang}": text for field in ("summary", "highlights", "getting_there",
                "food", "guides") for lang in ("en", "ja", "hi")}  # fmt: skip
        services.destination_update(
            destination=page,
            data={"title_en": f"Visit {region.name_en}", **data},
            actor=None,  # type: ignore[arg-type]
        )
        places = [
            services.place_add(
                destination=page,
                data={
                    "name_en": f"Place {n}",
                    "name_ja": f"名所{n}",
                    "description_en": text,
                    "food_en": "Vegetarian and Jain meals.",
                    "vegetarian": True,
                },
                actor=None,  # type: ignore[arg-type]
            )
            for n in range(12)
        ]
        for n in range(3):
            services.itinerary_add(
                destination=page, titles={"title_en": f"Five days, {n}"},
                days=[places[d * 2 : d * 2 + 2] for d in range(5)], actor=None,  # type: ignore[arg-type]
            )  # fmt: skip
        for n in range(10):
            services.festival_add(
                destination=page, data={"name_en": f"Festival {n}", "description_en": text,
                                        "starts_on": date(2027, 1 + n, 1)},
                actor=None,  # type: ignore[arg-type]
            )  # fmt: skip
        for n in range(8):
            upload = jpeg(name=f"{code}-{n}.jpg")
            upload.file = io.BytesIO(image)
            upload.size = len(image)
            services.photo_add(
                destination=page, upload=upload, content_type="image/jpeg", width=960,
                height=600, data={"alt_en": f"View {n}", "credit": "Bench drawing"},
                actor=None,  # type: ignore[arg-type]
            )  # fmt: skip
        services.destination_publish(destination=page, actor=None)  # type: ignore[arg-type]
    return codes


def _time(client: Any, url: str, rounds: int) -> float:
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - began) * 1000)
    p95 = percentile(samples, 95)
    print(f"  {url}: p50 {percentile(samples, 50):.1f} ms, p95 {p95:.1f} ms", flush=True)
    return p95


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _csv(rows: int, codes: list[str]) -> str:
    lines = ["region,year,month,country,visitors"]
    n = 0
    year = 2000
    while n < rows:
        for code in codes:
            for month in range(1, 13):
                for country in COUNTRIES:
                    if n >= rows:
                        break
                    lines.append(f"{code},{year},{month},{country},{(n * 37) % 9000}")
                    n += 1
        year += 1
    return "\n".join(lines) + "\n"


def _naive_seconds_per_row(codes: list[str]) -> float:
    """The honest alternative: each row written on its own (update_or_create)."""
    from django.db import transaction

    from setu.tourism.models import ArrivalFigure

    lines = _csv(NAIVE_ROWS, codes).splitlines()[1:]
    began = time.perf_counter()
    with transaction.atomic():
        for line in lines:
            region, year, month, country, visitors = line.split(",")
            ArrivalFigure.objects.update_or_create(
                region_id=region, year=int(year) + 500, month=int(month), country=country,
                defaults={"visitors": int(visitors)},
            )  # fmt: skip
    return (time.perf_counter() - began) / NAIVE_ROWS


def run(backend: str, quick: bool) -> int:
    rows, rounds = (20_000, 40) if quick else (100_000, 100)
    report = Reporter("tourism")
    with throwaway_database(backend, "setu_bench_tourism") as url:
        configure_django(url)
        migrate()
        from django.core.management import call_command
        from django.test import Client, override_settings

        media = tempfile.mkdtemp(prefix="setu-bench-tourism-")
        with override_settings(MEDIA_ROOT=media):
            codes = _build_pages()
        print(f"{backend}: {len(codes)} published pages", flush=True)
        with override_settings(ROOT_URLCONF=_bare_urlconf(), ALLOWED_HOSTS=["*"]):
            client = Client(HTTP_ACCEPT_LANGUAGE="hi")
            bare = _time(client, "/bench/bare/", rounds)
            page = _time(client, "/visit/JP-22/", rounds)
            queries = _queries(client, "/visit/JP-22/")
        report.check(
            f"/visit/<region>/ anonymous p95 ({backend})", page, unit="ms",
            target=PAGE_TARGET_MS, baseline=bare, baseline_name="bare view",
        )  # fmt: skip
        report.check(
            f"/visit/<region>/ queries per request ({backend})", queries, unit="queries",
            target=QUERY_TARGET,
        )  # fmt: skip

        naive = _naive_seconds_per_row(codes) * rows
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
            handle.write(_csv(rows, codes))
        try:
            for label in ("first import", "same file again"):
                began = time.perf_counter()
                call_command("import_arrivals", handle.name, stdout=io.StringIO())
                seconds = time.perf_counter() - began
                print(f"  import_arrivals {rows:,} rows, {label}: {seconds:.1f} s", flush=True)
                report.check(
                    f"import_arrivals {rows:,} rows, {label} ({backend})", seconds, unit="s",
                    target=IMPORT_TARGET_S, baseline=naive,
                    baseline_name="row by row (scaled)",
                )  # fmt: skip
        finally:
            os.unlink(handle.name)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    return report.finish()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgres"))
    args = parser.parse_args(argv)
    if args.backend:
        return run(args.backend, args.quick)
    return run_per_backend(Path(__file__).resolve(), ["--quick"] if args.quick else [])


if __name__ == "__main__":
    sys.exit(main())
