"""How well two matchmaking participants fit: a transparent score with its reasons.

Pure Python, no Django: plain profiles in, a score and the reasons for it out. The caller
turns the reasons into words in the reader's language.

The score is the sum of five parts; every part that adds points is one reason:

=====================  ============================================================  ======
part                   points                                                        at most
=====================  ============================================================  ======
shared sectors         ``SECTOR_POINTS`` (3) per sector both name, for at most 2      6
they need your offer   ``NEED_POINTS`` (4) × the share of the other's *needs* terms   4
                       that appear in your *offers*
you need their offer   the same, the other way round                                 4
partnership            ``PARTNERSHIP_POINTS`` (2) when the two regions (a prefecture  2
                       and a state) have an agreement in force
common language        ``LANGUAGE_POINTS`` (1) when they share a spoken language      1
=====================  ============================================================  ======

so a pair scores between 0 and 17. The score is symmetric: ``score_pair(a, b)`` and
``score_pair(b, a)`` give the same points, with the two need parts swapped.

Texts are compared as sets of *terms* (``text_terms``): Latin and Devanagari words of three or
more letters, lower-cased and NFKC-normalised (``setu.algorithms.text.normalise``), without a
plural "s" and without common English filler words; runs of kanji as overlapping character
bigrams (Japanese has no spaces: 燃料電池 → 燃料, 料電, 電池); katakana words whole. No
dictionary is needed, so 300 profiles score in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from setu.algorithms.text import is_japanese, normalise, words

SECTOR_POINTS = 3.0
SECTOR_CAP = 2
NEED_POINTS = 4.0
PARTNERSHIP_POINTS = 2.0
LANGUAGE_POINTS = 1.0
MAX_POINTS = SECTOR_POINTS * SECTOR_CAP + 2 * NEED_POINTS + PARTNERSHIP_POINTS + LANGUAGE_POINTS

# Reason kinds, in the order they are listed.
SECTORS = "sectors"
THEY_NEED = "they_need"  # the other participant needs what I offer
YOU_NEED = "you_need"  # I need what the other participant offers
PARTNERSHIP = "partnership"
LANGUAGE = "language"

# Pair rules (the values of ``setu.matchmaking.models.PairRule``).
ANY = "any"
CROSS = "cross"
CROSS_SIDES = frozenset({"JP", "IN"})

MIN_WORD = 3
_CLAUSE = re.compile(r"[,.;:!?/()\[\]、。・\n]+")
MAX_MATCHED_SHOWN = 5
# Filler words, and words every profile here uses, that say nothing about a fit.
STOPWORDS = frozenset(
    [
        "and", "are", "but", "can", "for", "from", "has", "have", "into", "its", "not", "our",
        "out", "per", "than", "that", "the", "their", "them", "they", "this", "those", "via",
        "was", "were", "what", "when", "which", "who", "will", "with", "within", "without",
        "you", "your", "also", "any", "all", "such", "other", "more", "most", "some", "very",
        "new", "etc", "ltd", "pvt", "inc", "india", "indian", "japan", "japanese", "company",
        "companies", "business", "looking", "seeking", "need", "needs", "want", "offer",
        "offers", "provide", "partner", "partners",
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Profile:
    """What the score reads about one participant."""

    id: int
    side: str = ""  # "JP", "IN" or "XX"
    region: str | None = None  # e.g. "JP-19", "IN-KA"
    sectors: frozenset[str] = frozenset()
    offers: str = ""
    needs: str = ""
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reason:
    """One part of a score: its kind, its points and what it is about.

    ``items`` are sector keys (SECTORS), the matched words as written in the needs
    (THEY_NEED, YOU_NEED), the agreement kinds (PARTNERSHIP) or language codes (LANGUAGE).
    """

    kind: str
    points: float
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """How well ``other_id`` fits the participant the score was computed for."""

    other_id: int
    points: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def pair_allowed(rule: str, side_a: str, side_b: str) -> bool:
    """Whether the pair rule lets two sides meet: "any", or "cross" (JP ↔ IN only)."""
    if rule == CROSS:
        return {side_a, side_b} == CROSS_SIDES
    return True


# --- terms ----------------------------------------------------------------------------------


def _is_katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff"


def _is_kanji(char: str) -> bool:
    return is_japanese(char) and not _is_katakana(char) and not ("\u3041" <= char <= "\u309f")


def _stem(word: str) -> str:
    """A light English stem: components → component, batteries → battery."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of text as written (``shown``) and the terms it stands for."""

    shown: str
    terms: tuple[str, ...]
    kanji: bool = False
    position: int = 0  # the word's place in the text: neighbours make a phrase


def _script_runs(word: str) -> list[tuple[str, str]]:
    """Split a word into runs of one script: ("kanji", ...), ("kana", ...), ("other", ...)."""
    runs: list[tuple[str, str]] = []
    for char in word:
        if _is_katakana(char):
            kind = "katakana"
        elif _is_kanji(char):
            kind = "kanji"
        elif is_japanese(char):
            kind = "hiragana"
        else:
            kind = "other"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _placed_words(text: str) -> list[tuple[int, str]]:
    """The words of the normalised text with their places; punctuation leaves a gap, so words
    across a comma are not neighbours."""
    placed: list[tuple[int, str]] = []
    position = 0
    for clause in _CLAUSE.split(normalise(text)):
        for word in words(clause):
            placed.append((position, word))
            position += 1
        position += 1
    return placed


@lru_cache(maxsize=4096)
def _units(text: str) -> tuple[_Unit, ...]:
    units: list[_Unit] = []
    for position, word in _placed_words(text):
        for kind, run in _script_runs(word):
            if kind == "kanji":
                if len(run) >= 2:
                    bigrams = tuple(run[i : i + 2] for i in range(len(run) - 1))
                    units.append(_Unit(run, bigrams, kanji=True, position=position))
            elif kind == "katakana":
                if len(run) >= 2:
                    units.append(_Unit(run, (run,), position=position))
            elif (
                kind == "other"
                and len(run) >= MIN_WORD
                and run[0].isalpha()
                and run not in STOPWORDS
            ):
                units.append(_Unit(run, (_stem(run),), position=position))
    return tuple(units)


def text_terms(text: str) -> frozenset[str]:
    """The terms a text is compared by (see the module docstring)."""
    return frozenset(term for unit in _units(text) for term in unit.terms)


def _matched(needs: str, offer_terms: frozenset[str]) -> tuple[float, tuple[str, ...]]:
    """The share of the needs' terms found in the offer, and the matched words as written.

    Neighbouring matched words are shown as one phrase ("fuel cell stacks"); for kanji runs,
    the longest stretches whose every bigram matched.
    """
    units = _units(needs)
    need_terms = {term for unit in units for term in unit.terms}
    if not need_terms or not offer_terms:
        return 0.0, ()
    hit = need_terms & offer_terms
    if not hit:
        return 0.0, ()
    shown: dict[str, None] = {}
    phrase: list[_Unit] = []

    def flush() -> None:
        if phrase:
            shown.setdefault(" ".join(unit.shown for unit in phrase))
            phrase.clear()

    for unit in units:
        if unit.kanji:
            flush()
            start = None
            for i, bigram in enumerate(unit.terms):
                if bigram in hit:
                    start = i if start is None else start
                    continue
                if start is not None:
                    shown.setdefault(unit.shown[start : i + 1])
                    start = None
            if start is not None:
                shown.setdefault(unit.shown[start:])
        elif unit.terms[0] in hit:
            if not phrase or unit.position != phrase[-1].position + 1:
                flush()
            phrase.append(unit)
        else:
            flush()
    flush()
    return len(hit) / len(need_terms), tuple(shown)[:MAX_MATCHED_SHOWN]


# --- the score ------------------------------------------------------------------------------


PartnerPairs = Mapping[frozenset[str], Sequence[str]]


def _round(points: float) -> float:
    return round(points, 2)


def score_pair(me: Profile, other: Profile, partnered: PartnerPairs | None = None) -> Match:
    """How well ``other`` fits ``me``; reasons in a fixed order, each with positive points.

    ``partnered`` maps a pair of region codes ({"JP-22", "IN-GJ"}) to the kinds of agreement
    in force between them. It counts only when the two participants are on different sides.
    """
    reasons: list[Reason] = []
    shared = sorted(me.sectors & other.sectors)
    if shared:
        points = SECTOR_POINTS * min(len(shared), SECTOR_CAP)
        reasons.append(Reason(SECTORS, points, tuple(shared)))
    they_share, they_words = _matched(other.needs, text_terms(me.offers))
    if they_share > 0:
        reasons.append(Reason(THEY_NEED, _round(NEED_POINTS * they_share), they_words))
    you_share, you_words = _matched(me.needs, text_terms(other.offers))
    if you_share > 0:
        reasons.append(Reason(YOU_NEED, _round(NEED_POINTS * you_share), you_words))
    if (
        partnered
        and me.region
        and other.region
        and me.region != other.region
        and me.side != other.side
    ):
        kinds = partnered.get(frozenset({me.region, other.region}))
        if kinds:
            reasons.append(Reason(PARTNERSHIP, PARTNERSHIP_POINTS, tuple(sorted(set(kinds)))))
    common = sorted(me.languages & other.languages)
    if common:
        reasons.append(Reason(LANGUAGE, LANGUAGE_POINTS, tuple(common)))
    return Match(other.id, _round(sum(r.points for r in reasons)), tuple(reasons))


def recommend(
    me: Profile,
    others: Iterable[Profile],
    *,
    rule: str = ANY,
    partnered: PartnerPairs | None = None,
    limit: int | None = None,
) -> list[Match]:
    """The others ``me`` may meet under ``rule``, best first (ties: lower id first).

    A common language alone recommends nobody: a match needs at least one other reason.
    ``me`` is never in the list.
    """
    matches = [
        score_pair(me, other, partnered)
        for other in others
        if other.id != me.id and pair_allowed(rule, me.side, other.side)
    ]
    ranked = sorted(
        (m for m in matches if any(r.kind != LANGUAGE for r in m.reasons)),
        key=lambda m: (-m.points, m.other_id),
    )
    return ranked if limit is None else ranked[:limit]
