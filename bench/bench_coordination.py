"""Benchmark clash detection along the app's path: mission rows in the database → activities →
clashes, against a naive pairwise scan of the same activities.

Run from the repository root::

    .venv/bin/python bench/bench_coordination.py [--n 10000] [--margin-days 3] [--seed 20260401]

Builds a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set),
fills it with ``--n`` planned mission destinations of nine member prefectures over two years
(the Indian cities of the reference data, weighted towards New Delhi, Mumbai, Bengaluru,
Chennai and Ahmedabad; 1-10 day stays; 0-3 targets out of 2,000 Indian organisations with a
Zipf-like skew; one in seven missions joint), then times:

* ``planned_activities()`` (the queries and the conversion to activities), best of 3;
* ``find_plan_clashes`` (``find_clashes`` with the cyclic GC paused), best of 3 — the two
  together are the app path, target < 1 s;
* the naive pairwise scan of bench/bench_clashes.py on the same activities, one run;
* ``clash_recompute_all()`` (load, find and store every notice) and
  ``clash_recompute_for_mission`` (the check made when one mission is saved).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SETU_VAR_DIR", tempfile.mkdtemp(prefix="setu-bench-coordination-"))

import django  # noqa: E402

django.setup()

from _support import Reporter  # noqa: E402
from bench_clashes import naive_clashes  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MEMBERS = [
    ("JP-23", 14), ("JP-22", 13), ("JP-34", 12), ("JP-28", 12), ("JP-40", 11),
    ("JP-14", 11), ("JP-16", 10), ("JP-19", 9), ("JP-31", 8),
]  # fmt: skip
CITY_WEIGHTS = {
    "in-new-delhi": 18.0, "in-mumbai": 15.0, "in-bengaluru": 13.0, "in-chennai": 11.0,
    "in-ahmedabad": 9.0, "in-hyderabad": 5.0, "in-pune": 4.0, "in-kolkata": 3.0,
    "in-gurugram": 3.0, "in-noida": 2.0,
}  # fmt: skip
OTHER_CITY_WEIGHT = 0.8
N_TARGETS = 2_000
TARGET_SECONDS = 1.0  # the app path: load the planned activities and find their clashes
PLAN_DAYS = 2 * 365


def build(n: int, seed: int) -> dict[str, int]:
    """Insert the plan rows in bulk; return counts."""
    from setu.coordination.models import Mission, MissionDestination, MissionParticipant
    from setu.directory.models import City, Organisation, OrganisationKind, Region
    from setu.directory.reference import load_reference_data

    if not Region.objects.exists():
        load_reference_data()
    rnd = random.Random(seed)
    members = []
    for code, _weight in MEMBERS:
        region = Region.objects.get(code=code)
        members.append(
            Organisation.objects.create(
                kind=OrganisationKind.MEMBER_PREFECTURE,
                name_en=region.name_en,
                country="JP",
                region=region,
                visibility="public",
            )
        )
    member_cum = list(itertools.accumulate(weight for _, weight in MEMBERS))
    targets = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.COMPANY, name_en=f"Indian company {i}", country="IN")
        for i in range(N_TARGETS)
    )
    target_cum = list(itertools.accumulate(1 / rank for rank in range(1, N_TARGETS + 1)))
    cities = list(City.objects.filter(country="IN").order_by("key"))
    city_cum = list(
        itertools.accumulate(CITY_WEIGHTS.get(city.key, OTHER_CITY_WEIGHT) for city in cities)
    )
    start = date.today()
    missions, stays, joined, aimed = [], [], [], []
    for index in range(n):
        owner = rnd.choices(members, cum_weights=member_cum)[0]
        first = start + timedelta(days=rnd.randrange(PLAN_DAYS))
        days = rnd.choices(range(1, 11), weights=[20, 18, 15, 12, 10, 8, 6, 5, 4, 2])[0]
        last = first + timedelta(days=days - 1)
        missions.append(
            Mission(
                owner=owner,
                title_en=f"Mission {index}",
                starts_on=first,
                ends_on=last,
                visibility="consortium",
            )
        )
        placeless = rnd.random() < 0.05
        stays.append(None if placeless else rnd.choices(cities, cum_weights=city_cum)[0])
        count = rnd.choices(range(4), weights=[30, 40, 20, 10])[0]
        aimed.append(
            set(rnd.choices(targets, cum_weights=target_cum, k=max(count, int(placeless))))
        )
        joined.append(
            rnd.sample([m for m in members if m != owner], rnd.choice([1, 1, 2]))
            if rnd.random() < 0.15
            else []
        )
    missions = Mission.objects.bulk_create(missions, batch_size=2000)
    MissionDestination.objects.bulk_create(
        (
            MissionDestination(
                mission=mission, city=stay, starts_on=mission.starts_on, ends_on=mission.ends_on
            )
            for mission, stay in zip(missions, stays, strict=True)
            if stay is not None
        ),
        batch_size=2000,
    )
    MissionParticipant.objects.bulk_create(
        (
            MissionParticipant(mission=mission, organisation=org)
            for mission, orgs in zip(missions, joined, strict=True)
            for org in orgs
        ),
        batch_size=2000,
    )
    through = Mission.targets.through
    through.objects.bulk_create(
        (
            through(mission_id=mission.pk, organisation_id=org.pk)
            for mission, orgs in zip(missions, aimed, strict=True)
            for org in orgs
        ),
        batch_size=5000,
    )
    return {
        "missions": len(missions),
        "cities": len(cities),
        "joint": sum(bool(j) for j in joined),
        "targets": through.objects.count(),
    }


def best_of(repeats: int, run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall-clock seconds over ``repeats`` runs, the CPU seconds of that run, the result."""
    best = best_cpu = float("inf")
    result = None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best:
            best, best_cpu = wall, cpu
    return best, best_cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--margin-days", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()

    from django.conf import settings

    from setu.coordination.models import Mission
    from setu.coordination.plans import find_plan_clashes, planned_activities
    from setu.coordination.services.clashes import (
        clash_recompute_all,
        clash_recompute_for_mission,
    )

    report = Reporter("coordination")
    setup_test_environment()
    settings.SETU_CLASH_MARGIN_DAYS = args.margin_days
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        counts = build(args.n, args.seed)
        print(
            f"database: {connection.vendor}; built {counts['missions']:,} missions "
            f"({counts['joint']:,} joint, {counts['targets']:,} targets, "
            f"{counts['cities']} Indian cities) in {time.perf_counter() - started:.1f} s"
        )
        margin = timedelta(days=args.margin_days)
        load_s, load_cpu, activities = best_of(3, planned_activities)
        find_s, find_cpu, clashes = best_of(3, lambda: find_plan_clashes(activities, margin))
        app_s, app_cpu = load_s + find_s, load_cpu + find_cpu
        print(f"activities: {len(activities):,}  margin: {args.margin_days:g} days")
        print(f"load  planned_activities()   {load_s:7.3f} s (CPU {load_cpu:.3f} s, best of 3)")
        print(
            f"find  find_plan_clashes()    {find_s:7.3f} s (CPU {find_cpu:.3f} s, best of 3): "
            f"{len(clashes):,} clashes"
        )
        print(f"app path (load + find)       {app_s:7.3f} s (CPU {app_cpu:.3f} s)")
        naive_s = None
        if not args.skip_naive:
            naive_s, naive_cpu, naive = best_of(1, lambda: naive_clashes(activities, margin=margin))
            print(
                f"naive pairwise scan          {naive_s:7.3f} s (CPU {naive_cpu:.3f} s, 1 run): "
                f"same result: {naive == clashes}"
            )
            print(
                f"ratio (load + naive) / app path: {(load_s + naive_s) / app_s:,.1f}x wall, "
                f"{(load_cpu + naive_cpu) / app_cpu:,.1f}x CPU"
            )
        report.check(
            f"app path (load + find), {args.n:,} missions, {connection.vendor}",
            app_s,
            unit="s",
            target=TARGET_SECONDS,
            baseline=None if naive_s is None else load_s + naive_s,
            baseline_name="load + naive pairwise",
        )
        if not args.skip_naive and naive != clashes:
            print("MISMATCH between find_plan_clashes and the naive pairwise scan")
            return 1
        store_s, store_cpu, stored = best_of(1, clash_recompute_all)
        print(
            f"clash_recompute_all()        {store_s:7.3f} s (CPU {store_cpu:.3f} s, 1 run): "
            f"{stored:,} notices stored"
        )
        busiest = (
            Mission.objects.filter(destinations__city__key="in-new-delhi")
            .order_by("starts_on")
            .first()
        )
        if busiest is not None:
            one_s, one_cpu, notices = best_of(
                3, lambda: clash_recompute_for_mission(mission=busiest)
            )
            print(
                f"one mission saved            {one_s:7.3f} s (CPU {one_cpu:.3f} s, best of 3): "
                f"{len(notices)} notices (clashes_with)"
            )
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
