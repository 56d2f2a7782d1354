"""One rule for every time a person reads: the venue's time with its zone, then the reader's.

"10:00 IST (13:30 JST)": the venue's wall-clock time and abbreviation first; the reader's own
time in parentheses only when it reads differently (another UTC offset or abbreviation at that
instant — not merely another name: ``Asia/Calcutta`` is ``Asia/Kolkata``). Clocks are 24-hour
in English, Japanese and Hindi alike, dates are ISO (2026-05-12), and the abbreviation is the
same in every language: the tz database's own letters (JST, IST, BST, PDT) when it has them,
else the offset ("UTC+4", "UTC+5:30"). Pages, emails, deadlines in server messages and agenda
rows all go through this module; docs/events.md states the rule.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

# The cookie static/js/timezone.js sets from Intl.DateTimeFormat for readers who are not signed in.
READER_ZONE_COOKIE = "setu_tz"

# Old names browsers and systems still report. Anything else that is a link in the tz database
# is matched to its canonical zone by content (see _links_by_content).
ALIASES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Dacca": "Asia/Dhaka",
    "Japan": "Asia/Tokyo",
    "US/Pacific": "America/Los_Angeles",
    "US/Mountain": "America/Denver",
    "US/Central": "America/Chicago",
    "US/Eastern": "America/New_York",
    "GB": "Europe/London",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC",
    "UCT": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
}


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


@lru_cache(maxsize=1)
def canonical_zones() -> dict[str, str]:
    """Canonical zone name → ISO country code, from the tz database's zone.tab (plus UTC)."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones = {"UTC": ""}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, name, *_ = line.split("\t")
            zones[name] = country
    return zones


def _zone_bytes(name: str) -> bytes | None:
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_bytes()
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def _links_by_content() -> dict[str, str]:
    """Every other zone name → the canonical zone whose rules are byte-for-byte the same."""
    by_digest: dict[str, str] = {}
    for name in canonical_zones():
        data = _zone_bytes(name)
        if data is not None:
            by_digest.setdefault(hashlib.sha256(data).hexdigest(), name)
    links = {}
    for name in available_timezones() - canonical_zones().keys():
        data = _zone_bytes(name)
        if data is not None and (target := by_digest.get(hashlib.sha256(data).hexdigest())):
            links[name] = target
    return links


def canonical_zone(name: str | None) -> str | None:
    """``"Asia/Calcutta"`` → ``"Asia/Kolkata"``; None for an empty or unknown name."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        return None
    name = ALIASES.get(name, name)
    if name in canonical_zones():
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return _links_by_content().get(name, name)


def offset_label(offset: timedelta | None) -> str:
    """``+5:30`` → ``"UTC+5:30"``, ``+9`` → ``"UTC+9"``, ``0`` → ``"UTC"``."""
    minutes = int((offset or timedelta()).total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}:{rest:02d}" if rest else f"UTC{sign}{hours}"


def abbreviation(local: datetime) -> str:
    """The zone's letters at that instant (JST, IST, BST), else its offset ("UTC+4")."""
    name = local.tzname() or ""
    return name if name.isalpha() else offset_label(local.utcoffset())


def reads_the_same(moment: datetime, first: str, second: str) -> bool:
    """True when the two zones show the same clock and abbreviation at ``moment``."""
    a, b = moment.astimezone(zone(first)), moment.astimezone(zone(second))
    return a.utcoffset() == b.utcoffset() and abbreviation(a) == abbreviation(b)


def _clock(local: datetime, *, date: bool) -> str:
    return local.strftime("%Y-%m-%d %H:%M" if date else "%H:%M")


def dual_time(
    moment: datetime, venue_zone: str | None, reader_zone: str | None, *, with_date: bool = False
) -> str:
    """Format an aware ``moment`` in the venue zone, adding the reader's zone when it differs.

    ``dual_time(10:00 IST, "Asia/Kolkata", "Asia/Tokyo")`` gives ``"10:00 IST (13:30 JST)"``.
    The reader's part carries a date only when the reader's day is not the venue's.
    """
    venue = moment.astimezone(zone(venue_zone))
    text = f"{_clock(venue, date=with_date)} {abbreviation(venue)}"
    reader = reader_part(moment, venue_zone, reader_zone, with_date=with_date)
    return f"{text} ({reader})" if reader else text


def reader_part(
    moment: datetime, venue_zone: str | None, reader_zone: str | None, *, with_date: bool = False
) -> str:
    """The reader's "13:30 JST" of :func:`dual_time`, or "" when it would repeat the venue's."""
    if not reader_zone or reads_the_same(moment, zone(venue_zone).key, reader_zone):
        return ""
    venue = moment.astimezone(zone(venue_zone))
    reader = moment.astimezone(zone(reader_zone))
    if reader.date() == venue.date():
        return f"{_clock(reader, date=False)} {abbreviation(reader)}"
    day = "%Y-%m-%d" if with_date else "%m-%d"
    return f"{reader.strftime(day)} {_clock(reader, date=False)} {abbreviation(reader)}"


def _range_in(start: datetime, end: datetime, name: str, *, with_date: bool) -> str:
    first, last = start.astimezone(zone(name)), end.astimezone(zone(name))
    text = _clock(first, date=with_date)
    if first.date() != last.date():
        return f"{text} {abbreviation(first)} – {_clock(last, date=True)} {abbreviation(last)}"
    if abbreviation(first) != abbreviation(last):  # a clock change inside the range
        return f"{text} {abbreviation(first)}–{_clock(last, date=False)} {abbreviation(last)}"
    return f"{text}–{_clock(last, date=False)} {abbreviation(last)}"


def time_range(
    start: datetime,
    end: datetime,
    venue_zone: str | None,
    reader_zone: str | None,
    *,
    with_date: bool = False,
) -> str:
    """``"10:00–12:00 IST (13:30–15:30 JST)"``: the zone closes the range, in both parts."""
    text = _range_in(start, end, zone(venue_zone).key, with_date=with_date)
    reader = range_reader_part(start, end, venue_zone, reader_zone, with_date=with_date)
    return f"{text} ({reader})" if reader else text


def range_reader_part(
    start: datetime,
    end: datetime,
    venue_zone: str | None,
    reader_zone: str | None,
    *,
    with_date: bool = False,
) -> str:
    """The reader's part of :func:`time_range`, or "" when it would repeat the venue's."""
    if not reader_zone or reads_the_same(start, zone(venue_zone).key, reader_zone):
        return ""
    venue_day = start.astimezone(zone(venue_zone)).date()
    other_day = start.astimezone(zone(reader_zone)).date() != venue_day
    return _range_in(start, end, zone(reader_zone).key, with_date=other_day)


def current_reader_zone() -> str | None:
    """The zone activated for this reader, or None when it is not known.

    ``UserPreferencesMiddleware`` activates a signed-in user's zone, or the browser's zone from
    the ``setu_tz`` cookie for anyone else; emails and tasks wrap their rendering in
    ``timezone.override(recipient's zone)``. With nothing activated the reader is unknown and
    only the venue's time is shown — never a guessed UTC.
    """
    # Django keeps the activated zone in this thread/task-local; it has no public "is any
    # zone active" test, and the default zone (UTC) must not pass for the reader's.
    active = getattr(timezone._active, "value", None)  # type: ignore[attr-defined]  # see above
    if active is None:
        return None
    return canonical_zone(getattr(active, "key", None) or str(active))


def reader_time(moment: datetime, *, with_date: bool = True) -> str:
    """A moment with no venue (a publication, an upload), in the reader's zone when known."""
    return dual_time(moment, current_reader_zone() or "UTC", None, with_date=with_date)
