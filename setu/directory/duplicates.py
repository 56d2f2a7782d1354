"""Likely duplicates of an organisation across members.

Candidates come from the database through the name-token index (never a scan of every row in
Python); rapidfuzz then scores the few candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from setu.algorithms.names import name_tokens, normalise_name
from setu.directory.models import NameToken, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

MATCH_THRESHOLD = 85.0
MAX_TOKEN_FREQUENCY = 2000  # tokens on more organisations than this say little ("japan")


@dataclass(frozen=True)
class Candidate:
    organisation: Organisation
    score: float


def find_candidates(
    *,
    names: Sequence[str],
    user: User | AnonymousUser,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Visible organisations whose names probably denote the same organisation as ``names``."""
    keys = [normalise_name(name) for name in names if name.strip()]
    tokens = sorted({token for name in names for token in name_tokens(name)})
    if not keys or not tokens:
        return []
    candidate_ids = list(
        NameToken.objects.filter(token__in=tokens)
        .values_list("organisation_id", flat=True)
        .distinct()[:MAX_TOKEN_FREQUENCY]
    )
    queryset = Organisation.objects.visible_to(user).filter(pk__in=candidate_ids)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    scored = []
    for organisation in queryset:
        their_keys = [
            normalise_name(name)
            for name in (organisation.name_en, organisation.name_ja, organisation.name_hi)
            if name
        ]
        score = max(fuzz.token_sort_ratio(a, b) for a in keys for b in their_keys)
        if score >= MATCH_THRESHOLD:
            scored.append(Candidate(organisation, score))
    scored.sort(key=lambda candidate: (-candidate.score, candidate.organisation.pk))
    return scored[:limit]
