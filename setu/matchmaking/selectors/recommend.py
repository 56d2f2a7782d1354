"""Recommendations from the profiles' meaning (``setu.algorithms.recommend``), explained with
the sentences of both profiles; the word-overlap score of ``market.recommendations`` while the
reader's own profile has no vectors yet.

Reads stored vectors only (``embeddings.stored_vectors``): a page never runs the model. Six
queries, whatever the number of participants (five while the reader's profile has no vectors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from setu.algorithms import recommend as ranking
from setu.algorithms.embedding import ProfileVectors, text_language
from setu.matchmaking.embeddings import stored_vectors, with_sentences
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant
from setu.matchmaking.selectors import market

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

EXPLAINED = 30  # recommendations shown with their sentences (the whole recommendations page)
ANSWERS = (ranking.ANSWERS_YOUR_NEED, ranking.ANSWERS_THEIR_NEED)


@dataclass
class Recommended:
    """The recommendations and how they were made.

    ``by_meaning``: ranked from the profiles' vectors; False while the reader's own profile has
    none yet (then by ``matching_score``). ``waiting``: other participants whose profiles have
    no current vectors yet (they get no points for their texts meanwhile).
    """

    items: list[market.Recommendation] = field(default_factory=list)
    by_meaning: bool = True
    waiting: int = 0


def _candidate(participant: Participant, vectors: ProfileVectors | None) -> ranking.Candidate:
    return ranking.Candidate(
        id=participant.pk,
        vectors=vectors,
        sectors=frozenset(sector.code for sector in participant.sectors.all()),
        languages=frozenset(participant.language_codes),
        side=participant.side,
        region=participant.organisation.region_id,
    )


def quote(reason: ranking.Reason) -> market.Quote:
    """An "answers a need" reason in words: the labels translated, the sentences as written."""
    need, offer = reason.items
    if reason.kind == ranking.ANSWERS_YOUR_NEED:
        label, need_label, offer_label = (
            _("Their offer answers your need"),
            _("You need"),
            _("They offer"),
        )
    else:
        label, need_label, offer_label = (
            _("Your offer answers their need"),
            _("They need"),
            _("You offer"),
        )
    return market.Quote(
        label=label,
        need_label=need_label,
        need=need,
        need_language=text_language(need),
        offer_label=offer_label,
        offer=offer,
        offer_language=text_language(offer),
    )


def recommendations(
    *,
    matchmaking: Matchmaking,
    me: Participant,
    user: User | AnonymousUser,
    limit: int | None = None,
    requested: dict[int, MeetingRequest] | None = None,
) -> Recommended:
    """Participants ``me`` may meet, best first, each with the sentences that match (the first
    ``EXPLAINED``) and the other reasons in words, and the open request with each, if any."""
    participants = market.active_participants(matchmaking)
    by_id = {participant.pk: participant for participant in participants}
    me = by_id.get(me.pk, me)
    vectors = stored_vectors(participants)
    if me.pk not in vectors:
        by_words = market.recommendations(
            matchmaking=matchmaking,
            me=me,
            user=user,
            limit=limit,
            requested=requested,
            participants=participants,
        )
        return Recommended(items=by_words, by_meaning=False)
    partnered = market.partnered_regions(user=user)
    matches = ranking.rank(
        _candidate(me, vectors[me.pk]),
        [_candidate(p, vectors.get(p.pk)) for p in participants],
        rule=matchmaking.pair_rule,
        partnered=partnered,
        limit=limit,
        explain_top=0,
        min_points=ranking.LISTED_MIN,
    )
    shown = [int(match.other_id) for match in matches[:EXPLAINED]]
    full = with_sentences(vectors, [me.pk, *shown])
    reader = _candidate(me, full[me.pk])
    sectors = market.sector_index(participants)
    if requested is None:
        requested = market.open_requests_with(me)
    items: list[market.Recommendation] = []
    for position, match in enumerate(matches):
        other = by_id[int(match.other_id)]
        reasons = (
            ranking.explain(reader, _candidate(other, full.get(other.pk)), partnered)
            if position < EXPLAINED
            else ()
        )
        if position < EXPLAINED and all(r.kind == ranking.LANGUAGE for r in reasons):
            continue  # nothing to say for them but a language: not a recommendation
        items.append(
            market.Recommendation(
                participant=other,
                points=None,
                quotes=[quote(r) for r in reasons if r.kind in ANSWERS],
                reasons=[
                    market.describe(r, me=me, other=other, sectors=sectors)
                    for r in reasons
                    if r.kind not in ANSWERS and (r.kind != ranking.LANGUAGE or len(reasons) > 1)
                ],
                request=requested.get(other.pk),
            )
        )
    waiting = sum(1 for p in participants if p.pk != me.pk and p.pk not in vectors)
    return Recommended(items=items, waiting=waiting)


def pair_reasons(
    *, me: Participant, other: Participant, user: User | AnonymousUser
) -> tuple[list[market.Quote], list[str]]:
    """Why ``other`` fits ``me`` (the participant page): the matching sentences and the other
    reasons in words; the word score's reasons while either has no current vectors. Both
    participants with their sectors and regions loaded."""
    vectors = stored_vectors([me, other])
    if me.pk not in vectors or other.pk not in vectors:
        return [], market.match_reasons(me=me, other=other, user=user)
    full = with_sentences(vectors, [me.pk, other.pk])
    reasons = ranking.explain(
        _candidate(me, full[me.pk]),
        _candidate(other, full[other.pk]),
        market.partnered_regions(user=user),
    )
    sectors = market.sector_index([me, other])
    return [quote(r) for r in reasons if r.kind in ANSWERS], [
        market.describe(r, me=me, other=other, sectors=sectors)
        for r in reasons
        if r.kind not in ANSWERS and (r.kind != ranking.LANGUAGE or len(reasons) > 1)
    ]
