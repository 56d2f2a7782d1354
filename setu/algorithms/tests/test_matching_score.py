"""The matchmaking score: its parts, its reasons, symmetry, and the pair rule.

Plain data in and out: no database, and the module imports nothing of Django (last test).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.algorithms.matching_score import (
    LANGUAGE,
    MAX_POINTS,
    PARTNERSHIP,
    SECTORS,
    THEY_NEED,
    YOU_NEED,
    Profile,
    pair_allowed,
    recommend,
    score_pair,
    text_terms,
)

SISTER = {frozenset({"JP-22", "IN-GJ"}): ("sister_state",)}


def _kinds(match: object) -> list[str]:
    return [reason.kind for reason in match.reasons]  # type: ignore[attr-defined]


def test_shared_sectors_score_three_each_up_to_two() -> None:
    me = Profile(1, "JP", sectors=frozenset({"29", "28", "27"}))
    one = Profile(2, "IN", sectors=frozenset({"29"}))
    three = Profile(3, "IN", sectors=frozenset({"29", "28", "27"}))
    assert score_pair(me, one).points == 3
    match = score_pair(me, three)
    assert match.points == 6
    assert match.reasons[0].kind == SECTORS and match.reasons[0].items == ("27", "28", "29")


def test_an_offer_matching_the_other_sides_need_is_a_reason_with_the_words() -> None:
    me = Profile(1, "JP", offers="Brake components and die casting moulds.")
    other = Profile(2, "IN", needs="Die casting moulds; a paint shop.")
    match = score_pair(me, other)
    assert _kinds(match) == [THEY_NEED]
    reason = match.reasons[0]
    # 3 of the need's 5 terms (die, casting, mould, paint, shop) are offered.
    assert reason.points == pytest.approx(4 * 3 / 5)
    assert reason.items == ("die casting moulds",)
    # Seen from the other side, the same words are what *they* need.
    back = score_pair(other, me)
    assert _kinds(back) == [YOU_NEED] and back.reasons[0].items == reason.items


def test_plural_and_case_do_not_matter() -> None:
    assert text_terms("Electrolysers, BATTERIES") == text_terms("electrolyser battery")


def test_japanese_needs_match_by_character_bigrams() -> None:
    me = Profile(1, "JP", offers="燃料電池スタックと水素タンクを製造しています。")
    other = Profile(2, "IN", needs="燃料電池の調達先を探しています")
    match = score_pair(me, other)
    assert _kinds(match) == [THEY_NEED]
    assert "燃料電池" in match.reasons[0].items


def test_filler_words_alone_do_not_match() -> None:
    me = Profile(1, "JP", offers="We are looking for partners in India and the company offers")
    other = Profile(2, "IN", needs="Indian partners for the company")
    assert score_pair(me, other).reasons == ()


def test_partnership_counts_between_the_two_sides_only() -> None:
    shizuoka = Profile(1, "JP", region="JP-22")
    gujarat = Profile(2, "IN", region="IN-GJ")
    match = score_pair(shizuoka, gujarat, SISTER)
    assert _kinds(match) == [PARTNERSHIP] and match.points == 2
    assert match.reasons[0].items == ("sister_state",)
    assert score_pair(shizuoka, Profile(3, "IN", region="IN-KA"), SISTER).reasons == ()
    # Two participants of the same side and region share no agreement with each other.
    assert score_pair(shizuoka, Profile(4, "JP", region="JP-22"), SISTER).reasons == ()


def test_a_common_language_is_a_point_but_no_recommendation_on_its_own() -> None:
    me = Profile(1, "JP", languages=frozenset({"ja", "en"}))
    speaker = Profile(2, "IN", languages=frozenset({"en", "hi"}))
    assert _kinds(score_pair(me, speaker)) == [LANGUAGE]
    assert recommend(me, [speaker]) == []
    fit = Profile(3, "IN", sectors=frozenset({"29"}), languages=frozenset({"en"}))
    me_with_sector = Profile(1, "JP", sectors=frozenset({"29"}), languages=frozenset({"en"}))
    assert [m.points for m in recommend(me_with_sector, [speaker, fit])] == [4]


def test_pair_rule_cross_allows_only_japanese_indian_pairs() -> None:
    assert pair_allowed("any", "JP", "JP")
    assert pair_allowed("cross", "JP", "IN") and pair_allowed("cross", "IN", "JP")
    assert not pair_allowed("cross", "JP", "JP")
    assert not pair_allowed("cross", "IN", "XX")


def test_recommend_ranks_best_first_and_leaves_out_forbidden_pairs_and_oneself() -> None:
    me = Profile(1, "JP", sectors=frozenset({"29", "28"}), offers="brake components")
    strong = Profile(2, "IN", sectors=frozenset({"29", "28"}), needs="brake components")
    weak = Profile(3, "IN", sectors=frozenset({"29"}))
    same_side = Profile(4, "JP", sectors=frozenset({"29", "28"}), needs="brake components")
    ranked = recommend(me, [me, weak, same_side, strong], rule="cross")
    assert [m.other_id for m in ranked] == [2, 3]
    assert [m.other_id for m in recommend(me, [weak, same_side, strong], rule="any")] == [2, 4, 3]
    assert [m.other_id for m in recommend(me, [weak, strong], limit=1)] == [2]


# --- properties -----------------------------------------------------------------------------

WORDS = ["brake", "casting", "hydrogen", "solar", "software", "tea", "燃料電池", "水素", "モーター"]
texts = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
sides = st.sampled_from(["JP", "IN", "XX"])
regions = st.sampled_from([None, "JP-22", "IN-GJ", "IN-KA"])
codes = st.frozensets(st.sampled_from(["10", "28", "29", "35", "62"]), max_size=4)
languages = st.frozensets(st.sampled_from(["en", "ja", "hi"]), max_size=3)


@st.composite
def profiles(draw: st.DrawFn, id: int) -> Profile:
    return Profile(
        id=id,
        side=draw(sides),
        region=draw(regions),
        sectors=draw(codes),
        offers=draw(texts),
        needs=draw(texts),
        languages=draw(languages),
    )


SWAPPED = {THEY_NEED: YOU_NEED, YOU_NEED: THEY_NEED}


@given(profiles(1), profiles(2))
def test_score_is_symmetric_with_the_need_parts_swapped(a: Profile, b: Profile) -> None:
    ab, ba = score_pair(a, b, SISTER), score_pair(b, a, SISTER)
    assert ab.points == ba.points
    parts_ab = {SWAPPED.get(r.kind, r.kind): (r.points, r.items) for r in ab.reasons}
    parts_ba = {r.kind: (r.points, r.items) for r in ba.reasons}
    assert parts_ab == parts_ba


@given(profiles(1), profiles(2))
def test_reasons_add_up_to_the_score(a: Profile, b: Profile) -> None:
    match = score_pair(a, b, SISTER)
    assert 0 <= match.points <= MAX_POINTS
    assert match.points == pytest.approx(sum(r.points for r in match.reasons), abs=0.011)
    assert all(r.points > 0 for r in match.reasons)
    assert (match.points > 0) == bool(match.reasons)
    kinds = [r.kind for r in match.reasons]
    assert len(kinds) == len(set(kinds))
    for reason in match.reasons:
        if reason.kind in (THEY_NEED, YOU_NEED):
            assert reason.items, "a text match names the words"


@given(profiles(1), st.lists(profiles(2), max_size=6), st.sampled_from(["any", "cross"]))
def test_recommendations_respect_the_pair_rule_and_are_sorted(
    me: Profile, others: list[Profile], rule: str
) -> None:
    others = [Profile(i + 2, o.side, o.region, o.sectors, o.offers, o.needs, o.languages)
              for i, o in enumerate(others)]  # fmt: skip
    ranked = recommend(me, others, rule=rule, partnered=SISTER)
    by_id = {o.id: o for o in others}
    assert all(pair_allowed(rule, me.side, by_id[m.other_id].side) for m in ranked)
    assert [m.points for m in ranked] == sorted((m.points for m in ranked), reverse=True)
    assert all(any(r.kind != LANGUAGE for r in m.reasons) for m in ranked)


def test_module_does_not_import_django() -> None:
    code = (
        "import sys; import setu.algorithms.matching_score; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
