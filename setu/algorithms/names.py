"""Organisation names reduced to a comparable key, for duplicate detection.

"TATA MOTORS LIMITED", "Tata Motors Ltd." and "ＴＡＴＡ　Ｍｏｔｏｒｓ" share the key "tata motors".
Pure Python; no Django.
"""

from __future__ import annotations

import unicodedata

# Legal-form words that say nothing about which organisation it is.
LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "kk",
        "pvt",
        "private",
        "plc",
        "llp",
        "llc",
        "gk",
        "yk",
        "the",
    }
)
JAPANESE_LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "㈱")
# Romanisation variants of Japanese long vowels: Tōkyō, Toukyou, Tookyoo → tokyo.
LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
# Letters, digits and combining marks make words. Python's \w would cut Devanagari words at
# vowel signs and viramas (categories Mn, Mc), so words are split by category instead.
_WORD_CATEGORIES = ("L", "N", "Mn", "Mc")


def _words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith(_WORD_CATEGORIES):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _fold_latin_accents(text: str) -> str:
    """Drop combining marks that sit on a Latin letter (ō → o); keep kana voicing and Devanagari."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def normalise_name(name: str) -> str:
    """NFKC, case-folded, Latin accents and legal forms removed, long vowels folded."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for form in JAPANESE_LEGAL_FORMS:
        text = text.replace(form, " ")
    text = _fold_latin_accents(text).replace(".", "").replace("&", " and ")
    words = [w for w in _words(text) if w not in LEGAL_FORMS]
    folded = []
    for word in words:
        if word.isascii():
            for long, short in LONG_VOWELS:
                word = word.replace(long, short)
        folded.append(word)
    return " ".join(folded)


def name_tokens(name: str) -> list[str]:
    """The distinct words of the normalised name (each at least two characters)."""
    return sorted({word for word in normalise_name(name).split() if len(word) >= 2})
