"""Extended grapheme clusters (Unicode UAX #29), in pure Python.

A grapheme cluster is what a reader takes for one character: in Devanagari an akshara such as
र्जा (र, virama, ज, the vowel sign ा). Search uses the boundaries to tell whether a typed word
ends where a letter of the indexed word ends (``text.prefix_ends_cluster``): ऊर्ज is not a
prefix of ऊर्जा, whose last cluster र्जा it cuts in two.

Python's ``unicodedata`` has no Grapheme_Cluster_Break property, so it is derived here from the
general categories as UAX #29 defines it, plus the short lists the UCD gives by hand
(Prepend, Other_Grapheme_Extend, the SpacingMark exceptions, Hangul, Extended_Pictographic).
The rules are GB3–GB13, with the Indic conjunct rule GB9c of Unicode 15.1: a consonant, a
virama (InCB=Linker) and another consonant stay one cluster (क्ष). Its InCB=Extend set is
derived as Unicode 16 does (every Extend character except ZWNJ, plus ZWJ); Unicode 15.1
left out the marks of combining class 0, which only matters in malformed text (क्ुष).
The tests compare the boundaries with ICU's (``Intl.Segmenter``) on generated text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from itertools import pairwise

Ranges = tuple[tuple[int, int], ...]


class Gcb(IntEnum):
    OTHER = 0
    CR = 1
    LF = 2
    CONTROL = 3
    EXTEND = 4
    ZWJ = 5
    REGIONAL_INDICATOR = 6
    PREPEND = 7
    SPACING_MARK = 8
    L = 9
    V = 10
    T = 11
    LV = 12
    LVT = 13


class InCB(IntEnum):
    NONE = 0
    LINKER = 1
    CONSONANT = 2
    EXTEND = 3


ZWNJ, ZWJ = 0x200C, 0x200D

# Prepended_Concatenation_Mark and the preceding-repha / prefixed consonants.
PREPEND: Ranges = (
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x0D4E, 0x0D4E), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x111C2, 0x111C3),
    (0x1193F, 0x1193F), (0x11941, 0x11941), (0x11A3A, 0x11A3A), (0x11A84, 0x11A89),
    (0x11D46, 0x11D46), (0x11F02, 0x11F02),
)  # fmt: skip
# Other_Grapheme_Extend: spacing marks and others that extend like Mn (plus the emoji modifiers).
OTHER_EXTEND: Ranges = (
    (0x09BE, 0x09BE), (0x09D7, 0x09D7), (0x0B3E, 0x0B3E), (0x0B57, 0x0B57), (0x0BBE, 0x0BBE),
    (0x0BD7, 0x0BD7), (0x0CC2, 0x0CC2), (0x0CD5, 0x0CD6), (0x0D3E, 0x0D3E), (0x0D57, 0x0D57),
    (0x0DCF, 0x0DCF), (0x0DDF, 0x0DDF), (0x1B35, 0x1B35), (0x200C, 0x200C), (0x302E, 0x302F),
    (0xFF9E, 0xFF9F), (0x1133E, 0x1133E), (0x11357, 0x11357), (0x114B0, 0x114B0),
    (0x114BD, 0x114BD), (0x115AF, 0x115AF), (0x1D165, 0x1D165), (0x1D16E, 0x1D172),
    (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F),
)  # fmt: skip
# Spacing marks (Mc) that do not hold a cluster together, and two letters that do.
NOT_SPACING: Ranges = (
    (0x102B, 0x102C), (0x1038, 0x1038), (0x1062, 0x1064), (0x1067, 0x106D), (0x1083, 0x1083),
    (0x1087, 0x108C), (0x108F, 0x108F), (0x109A, 0x109C), (0x1A61, 0x1A61), (0x1A63, 0x1A64),
    (0xAA7B, 0xAA7B), (0xAA7D, 0xAA7D), (0x11720, 0x11721),
)  # fmt: skip
EXTRA_SPACING: Ranges = ((0x0E33, 0x0E33), (0x0EB3, 0x0EB3))
HANGUL_L: Ranges = ((0x1100, 0x115F), (0xA960, 0xA97C))
HANGUL_V: Ranges = ((0x1160, 0x11A7), (0xD7B0, 0xD7C6))
HANGUL_T: Ranges = ((0x11A8, 0x11FF), (0xD7CB, 0xD7FB))
HANGUL_SYLLABLES = (0xAC00, 0xD7A3)
REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)
# Unassigned code points that are Default_Ignorable (they count as Control).
IGNORABLE_UNASSIGNED: Ranges = (
    (0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0000), (0xE0002, 0xE001F),
    (0xE0080, 0xE00FF), (0xE01F0, 0xE0FFF),
)  # fmt: skip
# The viramas (InCB=Linker) and consonants (InCB=Consonant) of the scripts GB9c covers:
# Devanagari, Bengali, Gujarati, Oriya, Telugu and Malayalam.
LINKERS = frozenset({0x094D, 0x09CD, 0x0ACD, 0x0B4D, 0x0C4D, 0x0D4D})
CONSONANTS: Ranges = (
    (0x0915, 0x0939), (0x0958, 0x095F), (0x0978, 0x097F),
    (0x0995, 0x09A8), (0x09AA, 0x09B0), (0x09B2, 0x09B2), (0x09B6, 0x09B9), (0x09DC, 0x09DD),
    (0x09DF, 0x09DF), (0x09F0, 0x09F1),
    (0x0A95, 0x0AA8), (0x0AAA, 0x0AB0), (0x0AB2, 0x0AB3), (0x0AB5, 0x0AB9), (0x0AF9, 0x0AF9),
    (0x0B15, 0x0B28), (0x0B2A, 0x0B30), (0x0B32, 0x0B33), (0x0B35, 0x0B39), (0x0B5C, 0x0B5D),
    (0x0B5F, 0x0B5F), (0x0B71, 0x0B71),
    (0x0C15, 0x0C28), (0x0C2A, 0x0C39), (0x0C58, 0x0C5A),
    (0x0D15, 0x0D3A),
)  # fmt: skip
EXTENDED_PICTOGRAPHIC: Ranges = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
    (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328),
    (0x2388, 0x2388), (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2),
    (0x25AA, 0x25AB), (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712), (0x2714, 0x2714),
    (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734),
    (0x2744, 0x2744), (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
    (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA), (0x1F400, 0x1F53D), (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F), (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F), (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
)  # fmt: skip


def _inside(ranges: Ranges, code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


# General category → Grapheme_Cluster_Break before the hand-made lists are laid over it.
_BY_CATEGORY = {
    "Mn": Gcb.EXTEND,
    "Me": Gcb.EXTEND,
    "Mc": Gcb.SPACING_MARK,
    "Cc": Gcb.CONTROL,
    "Zl": Gcb.CONTROL,
    "Zp": Gcb.CONTROL,
    "Cf": Gcb.CONTROL,
}
# Beyond these, everything is unassigned or private use (Other), bar the lists below.
_ASSIGNED = ((0, 0x323AF), (0xE0000, 0xE0FFF))


@cache
def _table() -> bytearray:
    """Grapheme_Cluster_Break of every code point (UAX #29, table 2), one byte each.

    From the general category, then the UCD's hand-made lists laid over it, lowest precedence
    first. Built once per process, in a fraction of a second.
    """
    table = bytearray(0x110000)
    category = unicodedata.category
    for lo, hi in _ASSIGNED:
        table[lo : hi + 1] = bytes(
            _BY_CATEGORY.get(category(chr(code)), Gcb.OTHER) for code in range(lo, hi + 1)
        )
    syllables = range(HANGUL_SYLLABLES[0], HANGUL_SYLLABLES[1] + 1)
    layers: list[tuple[Ranges, Gcb]] = [
        (HANGUL_L, Gcb.L),
        (HANGUL_V, Gcb.V),
        (HANGUL_T, Gcb.T),
        (NOT_SPACING, Gcb.OTHER),
        (EXTRA_SPACING, Gcb.SPACING_MARK),
        ((REGIONAL_INDICATORS,), Gcb.REGIONAL_INDICATOR),
        (IGNORABLE_UNASSIGNED, Gcb.CONTROL),
        (OTHER_EXTEND, Gcb.EXTEND),
        (PREPEND, Gcb.PREPEND),
        (((ZWJ, ZWJ),), Gcb.ZWJ),
        (((0x0D, 0x0D),), Gcb.CR),
        (((0x0A, 0x0A),), Gcb.LF),
    ]
    table[syllables.start : syllables.stop] = bytes(
        Gcb.LV if (code - syllables.start) % 28 == 0 else Gcb.LVT for code in syllables
    )
    for ranges, value in layers:
        for lo, hi in ranges:
            table[lo : hi + 1] = bytes([value]) * (hi - lo + 1)
    return table


def gcb(char: str) -> Gcb:
    return Gcb(_table()[ord(char)])


def incb(char: str) -> InCB:
    code = ord(char)
    if code in LINKERS:
        return InCB.LINKER
    if _inside(CONSONANTS, code):
        return InCB.CONSONANT
    if code == ZWJ or (code != ZWNJ and gcb(char) == Gcb.EXTEND):
        return InCB.EXTEND
    return InCB.NONE


def is_pictographic(char: str) -> bool:
    return _inside(EXTENDED_PICTOGRAPHIC, ord(char))


@dataclass(frozen=True, slots=True)
class State:
    """What the rules need to know of the text so far to decide the next boundary."""

    last: Gcb
    regional_odd: bool = False  # an odd run of regional indicators ends here (GB12, GB13)
    emoji_zwj: bool = False  # ExtPict Extend* ZWJ ends here (GB11)
    emoji: bool = False  # ExtPict Extend* ends here
    conjunct: bool = False  # Consonant [Extend Linker]* Linker [Extend Linker]* ends here
    consonant: bool = False  # Consonant [Extend Linker]* ends here


def _joins(state: State, char: str) -> bool:
    """No boundary between text in ``state`` and ``char`` (rules GB3–GB13)."""
    last, cls = state.last, gcb(char)
    if last == Gcb.CR and cls == Gcb.LF:
        return True  # GB3
    if last in (Gcb.CONTROL, Gcb.CR, Gcb.LF) or cls in (Gcb.CONTROL, Gcb.CR, Gcb.LF):
        return False  # GB4, GB5
    if last == Gcb.L and cls in (Gcb.L, Gcb.V, Gcb.LV, Gcb.LVT):
        return True  # GB6
    if last in (Gcb.LV, Gcb.V) and cls in (Gcb.V, Gcb.T):
        return True  # GB7
    if last in (Gcb.LVT, Gcb.T) and cls == Gcb.T:
        return True  # GB8
    if cls in (Gcb.EXTEND, Gcb.ZWJ, Gcb.SPACING_MARK) or last == Gcb.PREPEND:
        return True  # GB9, GB9a, GB9b
    if state.conjunct and incb(char) == InCB.CONSONANT:
        return True  # GB9c
    if state.emoji_zwj and is_pictographic(char):
        return True  # GB11
    return state.regional_odd and cls == Gcb.REGIONAL_INDICATOR  # GB12, GB13


def _advance(state: State | None, char: str, joined: bool) -> State:
    cls = gcb(char)
    kind = incb(char)
    if state is None:
        state = State(Gcb.CONTROL)
    regional_odd = cls == Gcb.REGIONAL_INDICATOR and not (joined and state.regional_odd)
    picture = is_pictographic(char)
    emoji = picture or (state.emoji and cls == Gcb.EXTEND)
    emoji_zwj = state.emoji and cls == Gcb.ZWJ
    if kind == InCB.CONSONANT:
        consonant, conjunct = True, False
    elif kind == InCB.LINKER:
        consonant = state.consonant
        conjunct = state.consonant
    elif kind == InCB.EXTEND:
        consonant, conjunct = state.consonant, state.conjunct
    else:
        consonant = conjunct = False
    return State(cls, regional_odd, emoji_zwj, emoji, conjunct, consonant)


def boundaries(text: str) -> list[int]:
    """Offsets where a cluster starts or the text ends: ``[0, ..., len(text)]`` ([0] if empty)."""
    found = [0]
    state: State | None = None
    for index, char in enumerate(text):
        joined = state is not None and _joins(state, char)
        if index and not joined:
            found.append(index)
        state = _advance(state, char, joined)
    if text:
        found.append(len(text))
    return found


def clusters(text: str) -> list[str]:
    """The extended grapheme clusters of ``text``, in order."""
    cuts = boundaries(text)
    return [text[a:b] for a, b in pairwise(cuts)]


def state_after(text: str) -> State | None:
    """The rules' state at the end of ``text`` (None for empty text)."""
    state: State | None = None
    for char in text:
        joined = state is not None and _joins(state, char)
        state = _advance(state, char, joined)
    return state


def is_boundary(text: str, index: int) -> bool:
    """Whether a cluster starts (or the text ends) at ``index``; both ends always are."""
    if index <= 0 or index >= len(text):
        return True
    state = state_after(text[:index])
    return state is None or not _joins(state, text[index])
