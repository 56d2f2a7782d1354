"""Tokenising Japanese, English and Hindi for the search index, and marking hits in snippets.

Pure Python (SudachiPy is the only dependency): plain text in, plain tokens out. Documents and
queries go through the same steps, so both meet in the same units:

1. ``normalise``: NFKC (full-width Latin, half-width kana, Kangxi radicals from PDFs), drop
   format characters (zero-width joiners, soft hyphens, BOMs), casefold, and strip the
   combining diacritics of Latin letters (é → e): Devanagari vowel signs, viramas and nuktas
   are combining marks too, in their own block, and stay.
2. Words are runs of letters, decimal and letter digits and combining marks (Unicode
   categories L*, Nd, Nl, Mn, Mc); anything else separates. Python's ``\\w`` would split
   Hindi at its vowel signs (नवीकरणीय → नव, करण, य). A word never starts with a mark.
3. Runs of Japanese script go through SudachiPy with the core dictionary: each mode-C unit
   by its normalised form (すし → 寿司, 附属 → 付属), plus its mode-A sub-units, so that
   中小企業 is found by 企業. Particles and auxiliary verbs (の, は, です) are left out.
4. Other words stay whole (ऊर्जा, energy, 2030).

The output, joined by spaces, is what the SQLite FTS5 table (``unicode61`` with categories
``L* N* Co Mn Mc``) and PostgreSQL's ``to_tsvector('simple', …)`` both split back into exactly
these tokens: that is why the two backends return the same results (docs/library.md).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from setu.algorithms.graphemes import is_boundary

WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "Mn", "Mc"})
MARK_CATEGORIES = frozenset({"Mn", "Mc"})
# Longer "words" are noise (base64, hashes); PostgreSQL refuses lexemes over 2 KB anyway.
MAX_TOKEN_CHARS = 60
MAX_QUERY_TERMS = 16
MAX_SETTLE_ROUNDS = 8
# SudachiPy refuses inputs over 49,149 bytes; Japanese runs are cut well below that.
SUDACHI_CHUNK_CHARS = 4000
# Parts of speech that carry no meaning of their own in a search (の, は, です, 、).
SKIPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "空白"})

_JAPANESE_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x303B, 0x303B),  # 〻
    (0x3041, 0x309F),  # hiragana and the combining voiced marks
    (0x30A1, 0x30FA),  # katakana
    (0x30FC, 0x30FF),  # ー ヽ ヾ ヿ
    (0x31F0, 0x31FF),  # small katakana for Ainu
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)
# The combining diacritics of Latin letters (shared with Greek and Cyrillic): é, ü, ñ, ā.
# Devanagari vowel signs, viramas and nuktas and the kana voicing marks live in other blocks.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


@cache
def _word_ranges() -> tuple[tuple[int, int], ...]:
    """Code point ranges whose category makes them part of a word (computed once)."""
    ranges: list[tuple[int, int]] = []
    start = -1
    for code in range(0x110000):
        inside = unicodedata.category(chr(code)) in WORD_CATEGORIES
        if inside and start < 0:
            start = code
        elif not inside and start >= 0:
            ranges.append((start, code - 1))
            start = -1
    if start >= 0:
        ranges.append((start, 0x10FFFF))
    return tuple(ranges)


@cache
def _format_characters() -> re.Pattern[str]:
    """Zero-width joiners, soft hyphens, BOMs, direction marks: category Cf."""
    codes = [code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"]
    return re.compile(f"[{_class([(code, code) for code in codes])}]")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    word = _class(_word_ranges())
    japanese = _class(_JAPANESE_RANGES)
    return (
        re.compile(f"[{word}]+"),
        re.compile(f"[{japanese}]+|[^{japanese}]+"),
        re.compile(f"[{japanese}]"),
    )


def _in(ranges: Sequence[tuple[int, int]], char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in ranges)


def is_japanese(char: str) -> bool:
    return _in(_JAPANESE_RANGES, char)


def is_word_char(char: str) -> bool:
    return unicodedata.category(char) in WORD_CATEGORIES


def normalise(text: str) -> str:
    """NFKC, no format characters, casefolded, no Latin diacritics (see the module doc)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    text = _format_characters().sub("", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    decomposed = unicodedata.normalize("NFD", text)
    if _DIACRITICS.search(decomposed):
        return unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))
    return text  # NFKC text is NFC already


def words(text: str) -> list[str]:
    """The word runs of already normalised text, none starting with a combining mark."""
    word_re, _runs, _ja = _patterns()
    found: list[str] = []
    for match in word_re.finditer(text):
        word = match.group()
        first = 0
        while first < len(word) and unicodedata.category(word[first]) in MARK_CATEGORIES:
            first += 1
        word = word[first:]
        if word and len(word) <= MAX_TOKEN_CHARS:
            found.append(word)
    return found


@dataclass(frozen=True, slots=True)
class Term:
    """One unit of meaning as found in context: its normalised surface, form and sub-forms.

    ``parts`` are the mode-A pieces of a Japanese compound (中小企業 → 中小, 企業).
    """

    surface: str
    form: str
    parts: tuple[str, ...] = ()
    japanese: bool = False

    def tokens(self) -> list[str]:
        return [self.form, *self.parts]


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """A word of a query: a record matches if it holds every one of ``tokens``.

    A Japanese compound stands for its mode-A parts, so 中小企業 also finds 中小の企業 (a record
    holding the compound holds its parts too). Latin and Hindi words of three or more
    characters match as a prefix (component → components).
    """

    surface: str
    tokens: tuple[str, ...]
    japanese: bool = False
    # Set when a prefix would end inside a letter of some indexed word: the term then matches
    # its token whole, or any of these prefixes (``prefix_continuations``).
    continuations: tuple[str, ...] | None = None

    @property
    def prefix(self) -> bool:
        return not self.japanese and len(self.surface) >= 3


_local = threading.local()


@cache
def _dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def _tokenizer() -> Any:
    """One SudachiPy tokenizer per thread (they are not thread-safe), one shared dictionary."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
        _local.tokenizer = tokenizer
    return tokenizer


def _japanese_terms(run: str) -> Iterator[Term]:
    from sudachipy import SplitMode

    tokenizer = _tokenizer()
    for start in range(0, len(run), SUDACHI_CHUNK_CHARS):
        for morpheme in tokenizer.tokenize(run[start : start + SUDACHI_CHUNK_CHARS]):
            if morpheme.part_of_speech()[0] in SKIPPED_POS:
                continue
            surface = morpheme.surface()
            forms = words(normalise(morpheme.normalized_form()))
            parts: list[str] = []
            for sub in morpheme.split(SplitMode.A, add_single=False):
                if sub.part_of_speech()[0] not in SKIPPED_POS:
                    parts.extend(words(normalise(sub.normalized_form())))
            if len(forms) == 1:
                own = tuple(dict.fromkeys(p for p in parts if p != forms[0]))
                yield Term(surface, forms[0], own if len(own) > 1 else (), japanese=True)
            else:  # a form that normalises into several words (Tシャツ): each is a term
                for form in forms:
                    yield Term(surface, form, (), japanese=True)


def analyse(text: str) -> list[Term]:
    """Every term of ``text`` in order and in context (with repeats)."""
    _word_re, runs_re, japanese_re = _patterns()
    terms: list[Term] = []
    for word in words(normalise(text)):
        if not japanese_re.search(word):
            terms.append(Term(word, word))
            continue
        for run in runs_re.findall(word):
            if japanese_re.match(run):
                terms.extend(_japanese_terms(run))
            else:
                terms.extend(Term(w, w) for w in words(run))
    return terms


@lru_cache(maxsize=100_000)
def _alone(token: str) -> tuple[str, ...]:
    """The tokens of ``token`` analysed on its own."""
    if not _patterns()[2].search(token):
        return (token,)
    return tuple(dict.fromkeys(t for term in analyse(token) for t in term.tokens()))


def settle(tokens: Iterable[str]) -> list[str]:
    """Re-analyse Japanese tokens on their own until the set no longer changes.

    Sudachi's units depend on context: a unit cut from a sentence may read differently on its
    own (ほ alone normalises to ほっ). Indexing only tokens that are stable on their own makes
    tokenising idempotent on its own output, and documents and queries (short, with little
    context) meet in the same units. Real text settles in one round; random kana in two.
    """
    current = list(dict.fromkeys(tokens))
    for _round in range(MAX_SETTLE_ROUNDS):
        following = list(dict.fromkeys(t for token in current for t in _alone(token)))
        if set(following) == set(current):
            break
        current = following
    return current


def tokenize(text: str) -> list[str]:
    """The distinct tokens to index for ``text``, in order of first appearance."""
    return settle(token for term in analyse(text) for token in term.tokens())


def index_text(text: str) -> str:
    """``tokenize`` joined by spaces: the column both full-text engines read."""
    return " ".join(tokenize(text))


def query_terms(text: str, limit: int = MAX_QUERY_TERMS) -> list[QueryTerm]:
    """The distinct words of a query, at most ``limit`` of them, in the order typed."""
    found: dict[tuple[str, ...], QueryTerm] = {}
    for term in analyse(text):
        tokens = tuple(settle(term.parts or [term.form])) if term.japanese else (term.form,)
        if tokens:
            found.setdefault(tokens, QueryTerm(term.surface, tokens, term.japanese))
    return list(found.values())[:limit]


# --- snippets -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Needle:
    text: str
    whole_word: bool  # Latin/Hindi: must start at a word start; Japanese: anywhere
    extend: bool  # prefix terms mark up to the end of the word


@dataclass
class _Mapped:
    text: str
    origin: list[int] = field(default_factory=list)  # normalised index → original index


def needles(terms: Sequence[QueryTerm]) -> list[Needle]:
    """What to look for in a snippet: each query word as typed and the tokens it stands for."""
    found: dict[str, Needle] = {}
    for term in terms:
        for text in (normalise(term.surface), *term.tokens):
            if text and text not in found:
                found[text] = Needle(text, not term.japanese, term.prefix)
    # Longest first, so 中小企業 is marked as one hit rather than 中小 + 企業.
    return sorted(found.values(), key=lambda needle: -len(needle.text))


@lru_cache(maxsize=20_000)
def _normalise_char(char: str) -> str:
    return normalise(char)


def _normalise_mapped(text: str) -> _Mapped:
    """``normalise`` with, for each output character, the index of the one it came from.

    When normalising keeps the length (nearly always) the positions are taken as they are;
    otherwise (ß → ss, ㈱ → (株)) character by character.
    """
    whole = normalise(text)
    if len(whole) == len(text):
        return _Mapped(whole, list(range(len(text))))
    mapped = _Mapped("")
    chars: list[str] = []
    for index, char in enumerate(text):
        for out in _normalise_char(char):
            chars.append(out)
            mapped.origin.append(index)
    mapped.text = "".join(chars)
    return mapped


def find_hits(text: str, terms: Sequence[QueryTerm]) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of ``text`` (original offsets) where a query term occurs."""
    if not terms or not text:
        return []
    mapped = _normalise_mapped(text)
    norm = mapped.text
    taken = [False] * len(norm)
    spans: list[tuple[int, int]] = []
    for needle in needles(terms):
        start = norm.find(needle.text)
        while start >= 0:
            end = start + len(needle.text)
            ok = not any(taken[start:end])
            if ok and needle.whole_word:
                ok = start == 0 or not is_word_char(norm[start - 1])
                if ok and needle.extend:  # a prefix ends where a letter does (ऊर्ज ≠ ऊर्जा)
                    ok = is_boundary(norm[start : end + 1], end - start)
                if ok and needle.extend:
                    while end < len(norm) and is_word_char(norm[end]):
                        end += 1
                elif ok:
                    ok = end == len(norm) or not is_word_char(norm[end])
            if ok:
                taken[start:end] = [True] * (end - start)
                spans.append((mapped.origin[start], mapped.origin[end - 1] + 1))
            start = norm.find(needle.text, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # one original character may yield several (¼ → 1⁄4)
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Sequence[QueryTerm], width: int = 220) -> list[tuple[str, bool]]:
    """A window of ``text`` around the first hit, as ``(piece, is_hit)`` pairs.

    Without a hit, the start of the text. Cut ends are marked with "…".
    """
    text = " ".join(text.split())  # collapse the layout whitespace of extracted text
    if not text:
        return []
    hits = find_hits(text, terms)
    if hits:
        first = hits[0][0]
        start = max(0, first - width // 3)
        if start > 0:  # begin at a word if one starts near the cut
            space = text.find(" ", start, min(first, start + 20))
            start = space + 1 if space >= 0 else start
    else:
        start = 0
    end = min(len(text), start + width)
    if end < len(text):  # end at a word if one ends near the cut
        space = text.rfind(" ", max(start, end - 20), end)
        end = space if space > start else end
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("… ", False))
    position = start
    for hit_start, hit_end in hits:
        if hit_end <= start or hit_start >= end:
            continue
        hit_start, hit_end = max(hit_start, start), min(hit_end, end)
        if hit_start > position:
            pieces.append((text[position:hit_start], False))
        pieces.append((text[hit_start:hit_end], True))
        position = hit_end
    if position < end:
        pieces.append((text[position:end], False))
    if end < len(text):
        pieces.append((" …", False))
    return pieces


# --- prefixes and grapheme clusters ---------------------------------------------------------


def prefix_ends_cluster(prefix: str, word: str) -> bool:
    """Whether ``prefix`` starts ``word`` and ends where one of its grapheme clusters ends.

    ऊर्जा starts ऊर्जावान (ऊ|र्जा|वा|न), but ऊर्ज does not start ऊर्जा: it cuts र्जा in two.
    """
    return word.startswith(prefix) and is_boundary(word, len(prefix))


def in_prefix_vocabulary(token: str) -> bool:
    """Whether a prefix query must look ``token`` up to tell where its letters end.

    An ASCII token splits into letters at every character, and Japanese is not matched by
    prefix; every other token (Hindi, and any other text with combining marks) may hold a
    cluster that a prefix cuts in two.
    """
    return not token.isascii() and not _patterns()[2].search(token)


ASCII_WORD_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"


def prefix_continuations(prefix: str, next_chars: Iterable[str]) -> tuple[str, ...] | None:
    """How to match ``prefix`` as a prefix only where a grapheme cluster ends.

    ``next_chars`` are the characters that follow ``prefix`` in the indexed words of the
    prefix vocabulary (``in_prefix_vocabulary``). None: no such word goes on inside a cluster,
    and the plain prefix is exact. Otherwise the prefixes to match instead (besides the
    whole word ``prefix`` itself): ``prefix`` plus each character that starts a new cluster
    after it. For an ASCII prefix, ASCII letters and digits may follow too (ASCII words are not
    in the vocabulary).
    """
    if not prefix:
        return None
    chars = set(next_chars)
    ends = {c for c in chars if not is_boundary(prefix + c, len(prefix))}
    if not ends:
        return None
    good = chars - ends
    if prefix.isascii():
        good |= set(ASCII_WORD_CHARS)
    return tuple(prefix + c for c in sorted(good))
