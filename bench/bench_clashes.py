"""Benchmark clash detection on a realistic seeded year-plan of the consortium.

Run from the repository root::

    .venv/bin/python bench/bench_clashes.py [--n 10000] [--naive-n 10000] [--margin-days 0 3]

Generates ``--n`` planned activities (9 member prefectures; 25 Indian cities in 12 states
plus 4 Japanese cities, weighted towards New Delhi, Mumbai, Bengaluru, Chennai and
Ahmedabad; 1-10 day durations over two years; 0-3 targets out of 2,000 Indian
organisations with a Zipf-like popularity skew), then for each margin times
``find_clashes`` (best of 3) and a naive pairwise scan. By default the naive scan runs on
all activities (about 15 s per margin here); with a smaller ``--naive-n`` it runs on the
first ``--naive-n`` activities only and its time is extrapolated quadratically (as n^2) to
``--n``. Results of both are compared on the activities both saw.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import Reporter

from setu.algorithms.clashes import Activity, Clash, find_clashes

TARGET_SECONDS = 1.0  # find_clashes over 10,000 activities

IST = timezone(timedelta(hours=5, minutes=30), "IST")
JST = timezone(timedelta(hours=9), "JST")
PLAN_START = datetime(2026, 4, 1, tzinfo=UTC)
PLAN_DAYS = 2 * 365

MEMBERS = [
    ("pref-aichi", 14),
    ("pref-shizuoka", 13),
    ("pref-hiroshima", 12),
    ("pref-hyogo", 12),
    ("pref-fukuoka", 11),
    ("pref-kanagawa", 11),
    ("pref-toyama", 10),
    ("pref-yamanashi", 9),
    ("pref-tottori", 8),
]

# (city key, ISO 3166-2 region, relative weight)
CITIES = [
    ("IN-DL/new-delhi", "IN-DL", 18.0),
    ("IN-MH/mumbai", "IN-MH", 15.0),
    ("IN-KA/bengaluru", "IN-KA", 13.0),
    ("IN-TN/chennai", "IN-TN", 11.0),
    ("IN-GJ/ahmedabad", "IN-GJ", 9.0),
    ("IN-TG/hyderabad", "IN-TG", 5.0),
    ("IN-MH/pune", "IN-MH", 4.0),
    ("IN-WB/kolkata", "IN-WB", 3.0),
    ("IN-HR/gurugram", "IN-HR", 3.0),
    ("IN-UP/noida", "IN-UP", 2.0),
    ("IN-GJ/gandhinagar", "IN-GJ", 1.5),
    ("IN-GJ/surat", "IN-GJ", 1.5),
    ("IN-RJ/jaipur", "IN-RJ", 1.5),
    ("IN-TN/sriperumbudur", "IN-TN", 1.2),
    ("IN-AP/sri-city", "IN-AP", 1.0),
    ("IN-RJ/neemrana", "IN-RJ", 1.0),
    ("IN-UP/lucknow", "IN-UP", 1.0),
    ("IN-TN/coimbatore", "IN-TN", 1.0),
    ("IN-KA/mysuru", "IN-KA", 1.0),
    ("IN-KL/kochi", "IN-KL", 1.0),
    ("IN-AP/visakhapatnam", "IN-AP", 1.0),
    ("IN-GJ/vadodara", "IN-GJ", 0.8),
    ("IN-MH/nagpur", "IN-MH", 0.6),
    ("IN-KA/mangaluru", "IN-KA", 0.5),
    ("IN-KL/thiruvananthapuram", "IN-KL", 0.5),
    ("JP-13/tokyo", "JP-13", 3.0),
    ("JP-27/osaka", "JP-27", 2.0),
    ("JP-23/nagoya", "JP-23", 1.0),
    ("JP-40/fukuoka", "JP-40", 1.0),
]

N_ORGANISATIONS = 2_000
ZIPF_EXPONENT = 1.0
TARGET_COUNT_WEIGHTS = [30, 40, 20, 10]  # 0, 1, 2, 3 targets
DURATION_WEIGHTS = [20, 18, 15, 12, 10, 8, 6, 5, 4, 2]  # 1..10 days


def generate(n: int, seed: int) -> list[Activity]:
    rnd = random.Random(seed)
    owners = [name for name, _ in MEMBERS]
    owner_cum = list(itertools.accumulate(weight for _, weight in MEMBERS))
    city_cum = list(itertools.accumulate(weight for _, _, weight in CITIES))
    orgs = [f"org-in-{rank:04d}" for rank in range(1, N_ORGANISATIONS + 1)]
    org_cum = list(
        itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, N_ORGANISATIONS + 1))
    )
    indian_regions = sorted({region for _, region, _ in CITIES if region.startswith("IN-")})

    activities: list[Activity] = []
    for index in range(n):
        owner = rnd.choices(owners, cum_weights=owner_cum)[0]
        city_key, region, _ = rnd.choices(CITIES, cum_weights=city_cum)[0]
        city: str | None = city_key
        region_or_none: str | None = region
        kind = rnd.random()
        if kind < 0.05:  # state-level programme: a region, no single city
            city, region = None, rnd.choice(indian_regions)
            region_or_none = region
        elif kind < 0.10:  # online or roadshow: no place, only targets
            city = region_or_none = None
        zone = JST if region.startswith("JP-") else IST
        day = rnd.randrange(PLAN_DAYS)
        local_start = datetime.combine(
            (PLAN_START + timedelta(days=day)).date(),
            datetime.min.time(),
            tzinfo=zone,
        ) + timedelta(hours=rnd.choice([8, 9, 9, 10, 13]))
        days = rnd.choices(range(1, 11), weights=DURATION_WEIGHTS)[0]
        end = local_start + timedelta(days=days) - timedelta(hours=rnd.choice([6, 8, 10]))
        n_targets = rnd.choices(range(4), weights=TARGET_COUNT_WEIGHTS)[0]
        if city is None and region_or_none is None:
            n_targets = max(1, n_targets)
        targets = frozenset(rnd.choices(orgs, cum_weights=org_cum, k=n_targets))
        participants: frozenset[str] = frozenset()
        if rnd.random() < 0.15:  # joint mission with one or two other members
            others = [other for other in owners if other != owner]
            participants = frozenset(rnd.sample(others, rnd.choice([1, 1, 2])))
        activities.append(
            Activity(
                id=f"act-{index:05d}",
                owner=owner,
                start=local_start,
                end=end,
                city=city,
                region=region_or_none,
                targets=targets,
                participants=participants,
            )
        )
    return activities


def naive_clashes(activities: Sequence[Activity], *, margin: timedelta) -> list[Clash]:
    """Pairwise scan over all n(n-1)/2 pairs, straight from the rules."""
    result: list[Clash] = []
    for a, b in itertools.combinations(activities, 2):
        if b.id < a.id:
            a, b = b, a
        if a.owner == b.owner or a.owner in b.participants or b.owner in a.participants:
            continue
        if not (a.start - margin < b.end and b.start < a.end + margin):
            continue
        reasons = set()
        if a.city is not None and a.city == b.city:
            reasons.add("same_city")
        if a.region is not None and a.region == b.region:
            reasons.add("same_region")
        shared = a.targets & b.targets
        if shared:
            reasons.add("same_target")
        if not reasons:
            continue
        latest_start = max(a.start, b.start)
        earliest_end = min(a.end, b.end)
        result.append(
            Clash(
                first=a.id,
                second=b.id,
                reasons=frozenset(reasons),
                shared_targets=shared,
                overlap=max(timedelta(0), earliest_end - latest_start),
                gap=max(timedelta(0), latest_start - earliest_end),
            )
        )
    result.sort(key=lambda clash: (clash.first, clash.second))
    return result


def best_of(repeats: int, run: Callable[[], list[Clash]]) -> tuple[float, float, list[Clash]]:
    """Best wall-clock seconds over ``repeats`` runs, CPU seconds of that run, and the result."""
    best_wall = best_cpu = float("inf")
    result: list[Clash] = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best_wall:
            best_wall, best_cpu = wall, cpu
    return best_wall, best_cpu, result


def describe(activities: Sequence[Activity]) -> None:
    cities = Counter(a.city for a in activities)
    print(
        f"activities: {len(activities):,}  members: {len({a.owner for a in activities})}  "
        f"cities: {len(cities) - (None in cities)}  "
        f"regions: {len({a.region for a in activities} - {None})}  "
        f"distinct targets: {len({t for a in activities for t in a.targets}):,}  "
        f"joint plans: {sum(bool(a.participants) for a in activities):,}"
    )
    top = ", ".join(f"{city} {count}" for city, count in cities.most_common(6) if city)
    print(f"busiest cities: {top}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--naive-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--margin-days", type=float, nargs="+", default=[0.0, 3.0])
    args = parser.parse_args()

    activities = generate(args.n, args.seed)
    describe(activities)
    naive_n = min(args.naive_n, args.n)
    subset = activities[:naive_n]
    extrapolate = naive_n < args.n
    report = Reporter("clashes")
    ok = True
    for margin_days in args.margin_days:
        margin = timedelta(days=margin_days)
        print(f"\n--- margin {margin_days:g} days ---")
        fast_s, fast_cpu, fast = best_of(3, partial(find_clashes, activities, margin=margin))
        reasons = Counter(reason for clash in fast for reason in clash.reasons)
        print(
            f"find_clashes   n={args.n:,}: {len(fast):,} clashes in {fast_s:.3f} s "
            f"(best of 3; CPU {fast_cpu:.3f} s)  "
        )
        print(f"  reasons: {dict(sorted(reasons.items()))}")
        naive_s, naive_cpu, naive = best_of(1, partial(naive_clashes, subset, margin=margin))
        print(
            f"naive pairwise n={naive_n:,}: {len(naive):,} clashes in {naive_s:.3f} s "
            f"(1 run; CPU {naive_cpu:.3f} s)"
        )
        if extrapolate:
            _, _, fast_sub = best_of(1, partial(find_clashes, subset, margin=margin))
            same = naive == fast_sub
            scale = (args.n / naive_n) ** 2
            naive_s *= scale
            print(
                f"naive pairwise n={args.n:,}: ~{naive_s:.1f} s "
                f"(extrapolated as n^2, x{scale:g} from n={naive_n:,}; not run)"
            )
        else:
            same = naive == fast
        ok = ok and same
        print(f"results identical on the {naive_n:,} activities both saw: {same}")
        report.check(
            f"find_clashes, {args.n:,} activities, margin {margin_days:g} days (best of 3)",
            fast_s,
            unit="s",
            target=TARGET_SECONDS,
            baseline=naive_s,
            baseline_name="naive pairwise" + (" (extrapolated)" if extrapolate else ""),
        )
        print(
            f"ratio naive / find_clashes at n={args.n:,}: {naive_s / fast_s:,.1f}x"
            f"{' (naive extrapolated)' if extrapolate else ''}"
        )
    if not ok:
        print("\nMISMATCH between find_clashes and the naive pairwise scan")
        return 1
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
