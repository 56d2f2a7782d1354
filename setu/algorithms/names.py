"""Organisation names reduced to a comparable key and to index tokens, for duplicate detection.

"TATA MOTORS LIMITED", "Tata Motors Ltd." and "ＴＡＴＡ　Ｍｏｔｏｒｓ" share the key "tata motors";
"Tōkyō Shōji", "Toukyou Shouji" and "Tokyo Syozi" share "tokyo syozi"; "株式会社甲府水素システム"
and "甲府水素システム(株)" share "甲府水素システム".

The key is for comparing, not for showing: romanised Japanese is folded onto a compact
Kunrei-like spelling (shi → si, chi → ti, tsu → tu, fu → hu, ji → zi, long vowels single), and
the same folding applies to every Latin word, English included, so both sides of a comparison
always change alike.

Pure Python (rapidfuzz for the score); no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

# NameToken.token holds at most this many characters.
MAX_TOKEN_LENGTH = 100

# Japanese entity forms, removed wherever they stand (prefix 株式会社甲府 or suffix 甲府株式会社).
# Matched after NFKC (㈱ and （株） both become "(株)") and after hiragana → katakana.
JAPANESE_LEGAL_FORMS = (
    "特定非営利活動法人",
    "地方独立行政法人",
    "独立行政法人",
    "国立大学法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "学校法人",
    "医療法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "カブシキガイシャ",
    "カブシキカイシャ",
    "ユウゲンガイシャ",
    "ゴウドウガイシャ",
    "(株)",
    "(有)",
    "(同)",
    "(合)",
    "(資)",
    "(名)",
    "(社)",
    "(財)",
    "(学)",
    "(医)",
    "(独)",
)
# Legal-form and filler words in Latin script and Devanagari, as written; the module folds them
# the way it folds names (below), so "kaisha" is listed once and matches "kaisya" too.
_LEGAL_WORDS_AS_WRITTEN = (
    # English and international
    "ltd", "limited", "co", "company", "corp", "corporation", "inc", "incorporated", "plc",
    "llp", "llc", "pvt", "private", "p", "pte", "gmbh", "the", "and",
    # Japanese, romanised
    "kk", "gk", "yk", "kabushiki", "kabushikikaisha", "kabushikigaisha", "kaisha", "gaisha",
    # Hindi: प्राइवेट लिमिटेड, प्रा. लि., कंपनी, "and"
    "प्राइवेट", "प्राईवेट", "लिमिटेड", "लिमिटिड", "प्रा", "लि", "कंपनी", "कम्पनी", "और", "एंड",
)  # fmt: skip
# Words that are a legal form only before kaisha/gaisha: Yūgen Kaisha, Gōdō Kaisha, ...
_LEGAL_PREFIXES_AS_WRITTEN = ("yugen", "yuugen", "godo", "goudou", "gomei", "goshi")

# Latin letters that do not decompose under NFD.
_LATIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Characters removed inside a word (O'Brien, Shin'ei) rather than splitting it.
_JOINERS = str.maketrans({"'": None, "’": None, "ʼ": None, "`": None})

# Hepburn and long-vowel spellings folded onto one form. Applied in order to ASCII words.
_ROMAJI_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shi", "si"),
        (r"sh(?=[aueo])", "sy"),
        (r"chi", "ti"),
        (r"ch(?=[aueo])", "ty"),
        (r"tsu", "tu"),
        (r"ji", "zi"),
        (r"j(?=[aueo])", "zy"),
        (r"fu", "hu"),
        (r"m(?=[bp])", "n"),  # Shimbashi / Shinbashi, Namba / Nanba
        (r"oh(?![aiueo])", "o"),  # Ohno, Itoh (passport spellings of long o)
        (r"ou", "o"),
        (r"([aiueo])\1+", r"\1"),  # oo, uu, aa, ii, ee
    )
)


def _is_cjk(ch: str) -> bool:
    """Han, kana and the marks that live with them: written without spaces between words."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana (the middle dot is punctuation, below)
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or 0x3005 <= code <= 0x3007  # 々 〆 〇
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions B and later
    )


@lru_cache(maxsize=8192)
def _char_class(ch: str) -> str:
    """ "w" for letters, digits and marks of spaced scripts, "c" for CJK, "m" for a combining
    mark (it stays with whatever it follows), else " ".

    Python's ``\\w`` would cut Devanagari words at vowel signs and viramas (categories Mn, Mc),
    so words are found by Unicode category instead.
    """
    if not unicodedata.category(ch).startswith(("L", "N", "M")):
        return " "
    if unicodedata.combining(ch):
        return "m"
    return "c" if _is_cjk(ch) else "w"


def _runs(text: str) -> list[str]:
    """Maximal runs of one class: words of spaced scripts and runs of CJK characters."""
    runs: list[str] = []
    current: list[str] = []
    current_class = " "
    for ch in text:
        char_class = _char_class(ch)
        if char_class == "m":
            char_class = current_class if current else ("c" if _is_cjk(ch) else "w")
        if char_class != current_class and current:
            runs.append("".join(current))
            current = []
        if char_class != " ":
            current.append(ch)
        current_class = char_class
    if current:
        runs.append("".join(current))
    return runs


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in [*range(0x3041, 0x3097), 0x309D, 0x309E]}
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _fold_latin_accents(text: str) -> str:
    """Drop combining marks on Latin letters (ō → o, é → e); keep kana voicing and Devanagari."""
    if text.isascii():
        return text
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LATIN_LETTERS)


@lru_cache(maxsize=65536)
def romanisation_key(word: str) -> str:
    """One spelling for Hepburn, Kunrei and long-vowel variants of a lower-case ASCII word."""
    for pattern, replacement in _ROMAJI_RULES:
        word = pattern.sub(replacement, word)
    return word


def _merge_initials(words: list[str]) -> list[str]:
    """Runs of single Latin letters are one word: "K. K." → "kk", "T V S" → "tvs"."""
    merged: list[str] = []
    initials: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isascii() and word.isalpha():
            initials.append(word)
            continue
        if initials:
            merged.append("".join(initials))
            initials = []
        if word:
            merged.append(word)
    return merged


LEGAL_WORDS = frozenset(romanisation_key(word) for word in _LEGAL_WORDS_AS_WRITTEN)
_LEGAL_PREFIXES = frozenset(romanisation_key(word) for word in _LEGAL_PREFIXES_AS_WRITTEN)
_KAISHA = frozenset({romanisation_key("kaisha"), romanisation_key("gaisha")})


def _drop_legal_words(words: list[str]) -> list[str]:
    kept: list[str] = []
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in _LEGAL_PREFIXES and following in _KAISHA:
            skip_next = True
            continue
        if word not in LEGAL_WORDS:
            kept.append(word)
    return kept


def _words(text: str) -> list[str]:
    text = _fold_latin_accents(text).translate(_JOINERS)
    # Lower-case ASCII (most English names) needs no look at Unicode categories.
    words = _merge_initials(_ASCII_WORD.findall(text) if text.isascii() else _runs(text))
    return [romanisation_key(word) if word.isascii() else word for word in words]


def _normalise_once(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    without_forms = text
    if not text.isascii():
        text = without_forms = text.translate(_HIRAGANA_TO_KATAKANA)
        for form in JAPANESE_LEGAL_FORMS:
            without_forms = without_forms.replace(form, " ")
    # A name that is nothing but legal forms and fillers ("The Company", "株式会社") keeps them.
    words = _drop_legal_words(_words(without_forms)) or _words(without_forms) or _words(text)
    # CJK runs side by side are one run: "甲府 水素システム" = "甲府水素システム".
    key = ""
    for word in words:
        if key and not (_is_cjk(key[-1]) and _is_cjk(word[0])):
            key += " "
        key += word
    return key


def normalise_name(name: str) -> str:
    """The comparable key of an organisation's name.

    NFKC (full-width → half-width, ㈱ → (株)), case-folded, Latin accents folded, hiragana as
    katakana, legal forms and "and" dropped (English, Japanese, Hindi), romanisation variants
    folded; words separated by one space, CJK runs kept whole. Idempotent.
    """
    key = _normalise_once(name)
    # Folding can expose a new legal word ("Coo" → "co"); a few rounds reach the fixed point.
    for _ in range(4):
        again = _normalise_once(key)
        if again == key:
            break
        key = again
    return key


def _bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def key_tokens(key: str) -> list[str]:
    """Index tokens of a normalised key (see ``name_tokens``)."""
    tokens: set[str] = set()
    for word in key.split():
        if _is_cjk(word[0]):
            tokens.update(_bigrams(word))
        elif len(word) >= 2:
            tokens.add(word)
    compact = compact_key(key)
    if len(compact) >= 2:
        tokens.add(compact)
    return sorted(token[:MAX_TOKEN_LENGTH] for token in tokens)


_LONG_VOWELS_ACROSS_WORDS = ((re.compile(r"ou"), "o"), (re.compile(r"([aiueo])\1+"), r"\1"))


def compact_key(key: str) -> str:
    """The key without spaces, long vowels that the join brings together folded again
    ("lata agro" and "lataagro" → "latagro"). Only ever drops characters."""
    compact = key.replace(" ", "")
    if compact.isascii():
        for pattern, replacement in _LONG_VOWELS_ACROSS_WORDS:
            compact = pattern.sub(replacement, compact)
    return compact


def name_tokens(name: str) -> list[str]:
    """The distinct tokens under which a name is indexed for the candidate search.

    Words of two or more characters for spaced scripts (Latin, Devanagari); character bigrams
    for CJK runs, which have no spaces (甲府水素 → 甲府, 府水, 水素; a lone character stands for
    itself); and the whole key without spaces, so "Tata Motors" meets "TataMotors".
    """
    return key_tokens(normalise_name(name))


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One condition on an organisation's name tokens: a token equal to ``token``, or (when
    ``prefix``) one that begins with it."""

    token: str
    prefix: bool


def search_terms(query: str) -> list[SearchTerm]:
    """What a name search asks of the tokens of ``name_tokens``: each term must match one.

    The query is normalised like a name, so case, width, accents, legal forms and romanisation
    variants fold alike ("seimitsu" finds "Seimitu"). A word of a spaced script (Latin,
    Devanagari) is a token prefix: "prec" finds "Precision", "tatamo" finds "Tata Motors". A
    CJK run is indexed by its bigrams, so it asks for each of them (水素シ: 水素 and 素シ),
    which finds it anywhere in a name; a lone CJK character is a prefix. Unlike a substring
    search, the middle of a spaced word ("cision") finds nothing. Empty for a query with no
    letters or digits.
    """
    terms: dict[str, SearchTerm] = {}
    for word in normalise_name(query).split():
        if len(word) >= 2 and _is_cjk(word[0]):
            for bigram in _bigrams(word):
                terms.setdefault(bigram, SearchTerm(bigram, prefix=False))
        else:
            token = word[:MAX_TOKEN_LENGTH]
            terms.setdefault(token, SearchTerm(token, prefix=True))
    return list(terms.values())


def _similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    return max(
        fuzz.token_sort_ratio(a, b, score_cutoff=cutoff),
        fuzz.ratio(compact_key(a), compact_key(b), score_cutoff=cutoff),
    )


def _distinctive_parts(key_a: str, key_b: str) -> tuple[str, str]:
    """What is left of each key once what both share is set aside: shared words for spaced
    scripts; a shared beginning and ending for one CJK run (甲府水素システム, 甲斐水素システム →
    府, 斐)."""
    words_a, words_b = key_a.split(), key_b.split()
    if len(words_a) == len(words_b) == 1 and _is_cjk(key_a[0]) and _is_cjk(key_b[0]):
        start = 0
        while start < min(len(key_a), len(key_b)) and key_a[start] == key_b[start]:
            start += 1
        end = 0
        while (
            end < min(len(key_a), len(key_b)) - start
            and key_a[len(key_a) - 1 - end] == key_b[len(key_b) - 1 - end]
        ):
            end += 1
        return key_a[start : len(key_a) - end], key_b[start : len(key_b) - end]
    shared = set(words_a) & set(words_b)
    if not shared:
        return "", ""
    return (
        " ".join(word for word in words_a if word not in shared),
        " ".join(word for word in words_b if word not in shared),
    )


def name_similarity(key_a: str, key_b: str, cutoff: float = 0.0) -> float:
    """0–100: how alike two normalised keys are, word order ignored, spacing forgiven.

    What the two names share says little when each also has a part the other lacks: "Hatoshi
    Hydrogen Systems" and "Haroshiion Hydrogen Systems" look 88 % alike, yet their distinctive
    words do not; nor do 甲府水素システム and 甲斐水素システム. The score is then pulled halfway
    towards how alike those distinctive parts are.

    A score below ``cutoff`` may come back as 0 (rapidfuzz stops early).
    """
    if not key_a or not key_b:
        return 0.0
    score = _similarity(key_a, key_b, cutoff)
    if score:
        rest_a, rest_b = _distinctive_parts(key_a, key_b)
        if rest_a and rest_b:
            score = min(score, (score + _similarity(rest_a, rest_b)) / 2)
    return score if score >= cutoff else 0.0


def key_script(key: str) -> str:
    """ "latin", "cjk" or "other" (Devanagari and the rest): names are compared within one."""
    if key[0].isascii():
        return "latin"
    return "cjk" if _is_cjk(key[0]) else "other"


def best_similarity(keys_a: Iterable[str], keys_b: Iterable[str], cutoff: float = 0.0) -> float:
    """The best score between any name of one record and any name of the other.

    Names in different scripts are not compared: they never look alike letter by letter (the
    Japanese names of two records meet each other, whatever their English names say).
    """
    ours = [(key, key_script(key)) for key in keys_a if key]
    others = [(key, key_script(key)) for key in keys_b if key]
    return max(
        (
            name_similarity(a, b, cutoff)
            for a, script_a in ours
            for b, script_b in others
            if script_a == script_b
        ),
        default=0.0,
    )
