"""Likely duplicates of an organisation across members.

Candidates come from the database through the name-token index (``NameToken``), ranked by a
GROUP BY over the tokens they share with the new name, rare tokens weighing more; rapidfuzz then
scores the few best (``CANDIDATE_POOL``) on their normalised names. No query loads every
organisation, and nothing scans every name in Python.

The secretariat's list of likely duplicate pairs (``likely_duplicate_pairs``) blocks on the same
index: only organisations that share a rare token are compared (identical names share their
whole-name token), so the work grows with the size of the blocks, not with the square of the
directory. The result is cached (see ``likely_duplicate_pairs``).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from setu.algorithms.names import (
    best_similarity,
    key_script,
    key_tokens,
    name_similarity,
    normalise_name,
)
from setu.core.models import AuditEntry
from setu.core.principal import principal_for
from setu.core.visibility import visibility_q
from setu.directory.models import (
    MergeRecord,
    NameToken,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

MATCH_THRESHOLD = 85.0
# Tokens on more organisations than this say little ("industries", "tokyo", "india").
MAX_TOKEN_FREQUENCY = 1000
# The ranking reads at most about this many index rows (the rarest tokens first).
ROW_BUDGET = 2000
# How many organisations, best ranked by shared tokens, rapidfuzz scores.
CANDIDATE_POOL = 50
# How many the ranking returns before visibility is applied (see _candidate_pool).
RANK_WIDTH = 2 * CANDIDATE_POOL
# The pair list compares organisations within blocks of at most this many sharing one token.
PAIR_BLOCK_SIZE = 25
PAIR_CACHE_SECONDS = 24 * 3600
PAIR_MAX_STALENESS = 10 * 60
PAIR_STALENESS_PER_SECOND = 20  # seconds a cached list is trusted per second it took
DISMISSED_ACTION = "directory.duplicate.dismissed"
NAME_FIELDS = ("name_en", "name_ja", "name_hi")


@dataclass(frozen=True)
class Candidate:
    organisation: Organisation
    score: float
    matched_name: str = ""  # the candidate's name that came closest
    can_manage: bool = False  # an officer may take this unmanaged company into their prefecture


@dataclass(frozen=True, slots=True)
class Pair:
    """Two organisations that probably are one; ``first_id < second_id``."""

    first_id: int
    second_id: int
    score: float


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return normalise_name(name)


def _keys(names: Iterable[str]) -> list[str]:
    return [key for key in (_key(name) for name in names if name and name.strip()) if key]


def _prefixed(q: Q, prefix: str) -> Q:
    """``q`` with each lookup moved onto a relation: ``visibility`` → ``x__visibility``."""
    clone = Q()
    clone.connector = q.connector
    clone.negated = q.negated
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = child  # type: ignore[misc]  # Q children are (lookup, value) pairs
            children.append((f"{prefix}{lookup}", value))
    clone.children = children
    return clone


def _visible_token_q(user: User | AnonymousUser) -> Q:
    """``Organisation.objects.visible_to(user)`` as a filter on NameToken rows.

    The merged_into test is left out: a merge deletes the merged record's tokens, and without
    the test SQLite's planner starts from the token index instead of walking every organisation
    through the (all-null) merged_into index.
    """
    visible = visibility_q(user, owner_field="id", managed_by_field="managed_by")
    return _prefixed(visible, "organisation__")


def _token_weight(frequency: int) -> float:
    """Rare tokens count more: 1 for a token on one organisation, about 0.13 at 1000."""
    return 1.0 / (1.0 + math.log(max(frequency, 1)))


def _select_tokens(frequencies: dict[str, int]) -> dict[str, int]:
    """The rarest tokens, as many as ``ROW_BUDGET`` index rows allow (at least two).

    Tokens on more than ``MAX_TOKEN_FREQUENCY`` organisations are left out, unless every token
    is that common: then the two least common still rank the candidates.
    """
    chosen: dict[str, int] = {}
    rows = 0
    for token in sorted(frequencies, key=lambda token: (frequencies[token], token)):
        n = frequencies[token]
        if len(chosen) >= 2 and (n > MAX_TOKEN_FREQUENCY or rows + n > ROW_BUDGET):
            break
        if n > MAX_TOKEN_FREQUENCY and any(m <= MAX_TOKEN_FREQUENCY for m in chosen.values()):
            break
        chosen[token] = n
        rows += n
    return chosen


def _ranking(
    rare: dict[str, int],
    *,
    exclude_pk: int | None,
    limit: int,
    visible_to: User | AnonymousUser | None = None,
) -> list[int]:
    """Organisation ids by the summed weight of the rare tokens they carry, best first.

    Without ``visible_to`` the query reads the token index alone; with it, each row is checked
    against its organisation's visibility, which costs a lookup per row.
    """
    weight = Sum(
        Case(
            *(When(token=token, then=Value(_token_weight(n))) for token, n in rare.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    rows = NameToken.objects.filter(token__in=list(rare))
    if visible_to is not None:
        rows = rows.filter(_visible_token_q(visible_to))
    if exclude_pk is not None:
        rows = rows.exclude(organisation_id=exclude_pk)
    ranked = (
        rows.values("organisation_id")
        .annotate(weight=weight)
        .order_by("-weight", "organisation_id")
        .values_list("organisation_id", flat=True)[:limit]
    )
    return list(ranked)


def _visible_names(
    ids: Sequence[int], user: User | AnonymousUser, exclude_pk: int | None
) -> dict[int, list[tuple[str, str]]]:
    """``{pk: [(name, key), ...]}`` for the organisations of ``ids`` that ``user`` may see.

    The stored ``name_key`` is the key of the first name, so only the others are normalised.
    """
    pool = Organisation.objects.visible_to(user).filter(pk__in=ids)
    if exclude_pk is not None:
        pool = pool.exclude(pk=exclude_pk)
    found = {}
    for pk, stored, *names in pool.values_list("pk", "name_key", *NAME_FIELDS):
        named = [name for name in names if name and name.strip()]
        found[pk] = [
            (name, stored if index == 0 and stored else _key(name))
            for index, name in enumerate(named)
        ]
    return found


def _candidate_pool(
    keys: Sequence[str], user: User | AnonymousUser, exclude_pk: int | None
) -> dict[int, list[tuple[str, str]]]:
    """The names of at most ``CANDIDATE_POOL`` visible organisations ranked best by the tokens
    they share with ``keys`` (plus any with the same key when common tokens were left out)."""
    tokens = sorted({token for key in keys for token in key_tokens(key)})
    frequencies = dict(
        NameToken.objects.filter(token__in=tokens)
        .values("token")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan on PostgreSQL
        .values_list("token", "n")
    )
    rare = _select_tokens(frequencies)
    ranked = _ranking(rare, exclude_pk=exclude_pk, limit=RANK_WIDTH) if rare else []
    exact: list[int] = []
    if len(rare) < len(frequencies) or not rare:
        # A name made of common words is still found when its key is the same. Visibility is
        # applied with the pool: here it would lead SQLite off the name_key index.
        exact_rows = Organisation.objects.filter(name_key__in=keys).values_list("pk", flat=True)
        exact = [pk for pk in exact_rows[:CANDIDATE_POOL] if pk not in ranked]
    if not ranked and not exact:
        return {}
    names = _visible_names([*ranked, *exact], user, exclude_pk)
    visible_ranked = [pk for pk in ranked if pk in names]
    if len(visible_ranked) < CANDIDATE_POOL and len(ranked) == RANK_WIDTH:
        # Most of the best ranked are records this user may not see: rank the visible only.
        ranked = _ranking(rare, exclude_pk=exclude_pk, limit=CANDIDATE_POOL, visible_to=user)
        names = _visible_names([*ranked, *exact], user, exclude_pk)
        visible_ranked = [pk for pk in ranked if pk in names]
    keep = set(visible_ranked[:CANDIDATE_POOL]) | {pk for pk in exact if pk in names}
    return {pk: names[pk] for pk in keep}


def find_candidates(
    *,
    names: Sequence[str],
    user: User | AnonymousUser,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Visible organisations whose names probably denote the same organisation as ``names``.

    Four queries: token frequencies, the ranking, the names of the best ranked that ``user``
    may see, the winners (plus one for exact keys when common tokens were left out, and two
    when most of the best ranked are hidden from ``user``). Merged records and what ``user``
    may not see never come back.
    """
    keys = _keys(names)
    if not keys:
        return []
    scores: dict[int, tuple[float, str]] = {}
    for pk, named in _candidate_pool(keys, user, exclude_pk).items():
        per_name = [best_similarity(keys, [key], MATCH_THRESHOLD) for _name, key in named]
        if per_name and max(per_name) >= MATCH_THRESHOLD:
            best = max(range(len(named)), key=per_name.__getitem__)
            scores[pk] = (per_name[best], named[best][0])
    if not scores:
        return []
    winners = sorted(scores, key=lambda pk: (-scores[pk][0], pk))[:limit]
    shown = Organisation.objects.filter(pk__in=winners).select_related("managed_by")
    is_officer = principal_for(user).is_officer
    candidates = [
        Candidate(
            organisation=organisation,
            score=scores[organisation.pk][0],
            matched_name=scores[organisation.pk][1],
            can_manage=is_officer
            and organisation.kind == OrganisationKind.COMPANY
            and organisation.managed_by_id is None,
        )
        for organisation in shown
    ]
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.organisation.pk))
    return candidates


# --------------------------------------------------------------------------- pairs


def dismissed_pairs() -> set[tuple[int, int]]:
    """Pairs the secretariat said are different organisations (kept in the audit log)."""
    pairs: set[tuple[int, int]] = set()
    for changes in (
        AuditEntry.objects.filter(action=DISMISSED_ACTION)
        .order_by()
        .values_list("changes", flat=True)
    ):
        first, second = (changes or {}).get("pair", [None, None])[1] or (None, None)
        if isinstance(first, int) and isinstance(second, int):
            pairs.add((min(first, second), max(first, second)))
    return pairs


def _blocks(user: User | AnonymousUser) -> Iterator[list[int]]:
    """Groups of visible organisations that share a token found on few organisations.

    One pass over the token index in token order (a plain index scan on any database, whatever
    its planner thinks of the visibility filter); identical keys share their whole-name token.
    """
    visible = set(Organisation.objects.visible_to(user).values_list("pk", flat=True))
    rows = (
        NameToken.objects.order_by("token")
        .values_list("token", "organisation_id")
        .iterator(chunk_size=20_000)
    )
    for _token, group in groupby(rows, key=itemgetter(0)):
        ids = [pk for _, pk in group if pk in visible]
        if 2 <= len(ids) <= PAIR_BLOCK_SIZE:
            yield ids


def _keys_by_script(involved: set[int]) -> dict[int, dict[str, list[str]]]:
    """The normalised names of ``involved`` organisations, grouped by script.

    The stored ``name_key`` is the key of the first name, so only the others are normalised.
    Streams the table rather than sending a list of 100,000 ids as query parameters.
    """
    keys: dict[int, dict[str, list[str]]] = {}
    rows = Organisation.objects.values_list("pk", "name_key", *NAME_FIELDS)
    for pk, stored, *names in rows.iterator(chunk_size=10_000):
        if pk not in involved:
            continue
        named = [name for name in names if name and name.strip()]
        if not named:
            continue
        by_script: dict[str, list[str]] = {}
        for index, name in enumerate(named):
            key = stored if index == 0 and stored else _key(name)
            if key:
                by_script.setdefault(key_script(key), []).append(key)
        keys[pk] = by_script
    return keys


def _compute_pairs(user: User | AnonymousUser) -> list[Pair]:
    candidates: set[tuple[int, int]] = set()
    for block in _blocks(user):
        candidates.update(combinations(sorted(set(block)), 2))
    if not candidates:
        return []
    keys = _keys_by_script({pk for pair in candidates for pk in pair})
    pairs = []
    for first, second in candidates:
        ours, theirs = keys.get(first, {}), keys.get(second, {})
        score = max(
            (
                name_similarity(a, b, MATCH_THRESHOLD)
                for script in ours.keys() & theirs.keys()
                for a in ours[script]
                for b in theirs[script]
            ),
            default=0.0,
        )
        if score >= MATCH_THRESHOLD:
            pairs.append(Pair(first, second, score))
    pairs.sort(key=lambda pair: (-pair.score, pair.first_id, pair.second_id))
    return pairs


def _fingerprint() -> str:
    """Changes whenever an organisation, its tokens, a merge or a dismissal changes."""
    organisations = Organisation.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    parts: list[Any] = [
        organisations["n"],
        organisations["changed"],
        NameToken.objects.aggregate(last=Max("id"))["last"],
        MergeRecord.objects.aggregate(last=Max("id"))["last"],
        AuditEntry.objects.filter(action=DISMISSED_ACTION).aggregate(last=Max("id"))["last"],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def likely_duplicate_pairs(*, user: User | AnonymousUser) -> list[Pair]:
    """Every likely duplicate pair among the organisations ``user`` may see, best first.

    Computed once and cached. A cached list is trusted for a while without looking at the
    directory: twenty times as long as it took to compute, at most ``PAIR_MAX_STALENESS``
    seconds (a small directory is checked on every page, one of 100,000 records about every ten
    minutes); then a cheap fingerprint of the directory says whether to compute it again.
    Dismissed pairs are left out at once; merged records drop out when the page loads its
    organisations (``pair_organisations``).
    """
    principal = principal_for(user)
    audience = repr((sorted(principal.org_ids), sorted(principal.roles))).encode()
    cache_key = "directory:duplicate-pairs:" + hashlib.sha256(audience).hexdigest()[:24]
    entry: dict[str, Any] | None = cache.get(cache_key)
    now = time.time()
    trusted = entry is not None and now - entry["checked"] < min(
        PAIR_MAX_STALENESS, entry["cost"] * PAIR_STALENESS_PER_SECOND
    )
    if entry is None or not trusted:
        fingerprint = _fingerprint()
        if entry is None or entry["fingerprint"] != fingerprint:
            pairs = [(p.first_id, p.second_id, p.score) for p in _compute_pairs(user)]
            entry = {"pairs": pairs, "cost": time.time() - now}
        entry.update(fingerprint=fingerprint, checked=time.time())
        cache.set(cache_key, entry, PAIR_CACHE_SECONDS)
    dismissed = dismissed_pairs()
    return [
        Pair(first, second, score)
        for first, second, score in entry["pairs"]
        if (first, second) not in dismissed
    ]


def _count(model: Any, field: str) -> Coalesce:
    """How many ``model`` rows point at the outer organisation through ``field``."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def pair_organisations(
    pairs: Sequence[Pair], *, user: User | AnonymousUser
) -> dict[int, Organisation]:
    """The organisations of ``pairs`` that ``user`` may still see (not merged since), with what
    the side-by-side comparison shows; one query."""
    from setu.accounts.models import Membership

    ids = {pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
    queryset = (
        Organisation.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("managed_by", "region", "city")
        .annotate(
            people_count=_count(Person, "organisation"),
            member_count=_count(Membership, "organisation"),
            partnership_count=_count(Partnership.parties.through, "organisation"),
            managed_count=_count(Organisation, "managed_by"),
        )
    )
    return {organisation.pk: organisation for organisation in queryset}
