"""Grapheme clusters: Devanagari aksharas, the Indic conjunct rule, and ICU as the reference."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.algorithms.graphemes import boundaries, clusters, is_boundary
from setu.algorithms.text import (
    QueryTerm,
    find_hits,
    in_prefix_vocabulary,
    prefix_continuations,
    prefix_ends_cluster,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ऊर्जा", ["ऊ", "र्जा"]),
        ("ऊर्जावान", ["ऊ", "र्जा", "वा", "न"]),
        ("नवीकरणीय", ["न", "वी", "क", "र", "णी", "य"]),
        ("क्षत्रिय", ["क्ष", "त्रि", "य"]),  # GB9c: consonant, virama, consonant
        ("क्\u200dष", ["क्\u200dष"]),  # a ZWJ inside the conjunct keeps it
        ("क़्ष", ["क़्ष"]),  # so does a nukta
        ("ক্ষমতা", ["ক্ষ", "ম", "তা"]),  # Bengali has the rule too
        ("ಕ್ಷ", ["ಕ್", "ಷ"]),  # Kannada is not among its scripts
        ("e\u0301te", ["e\u0301", "t", "e"]),
        ("\r\n\n", ["\r\n", "\n"]),
        ("각ᆨ가", ["각ᆨ", "가"]),
        ("🇯🇵🇮🇳", ["🇯🇵", "🇮🇳"]),
        ("👨\u200d👩\u200d👧!", ["👨\u200d👩\u200d👧", "!"]),
        ("\u0600१", ["\u0600१"]),  # a prepended mark holds on to what follows
        ("", []),
    ],
)
def test_clusters(text: str, expected: list[str]) -> None:
    assert clusters(text) == expected


@pytest.mark.parametrize(
    ("prefix", "word", "expected"),
    [
        ("ऊर्ज", "ऊर्जा", False),  # ends inside र्जा
        ("ऊर्जा", "ऊर्जावान", True),
        ("ऊर्जाव", "ऊर्जावान", False),  # ends inside वा
        ("नवीक", "नवीकरणीय", True),
        ("क्ष", "क्षत्रिय", True),
        ("क्", "क्षत्रिय", False),  # the virama joins क and ष
        ("ऊर्जा", "ऊर्जा", True),
        ("sol", "solar", True),
        ("sola", "solar", True),
        ("solar", "sol", False),
        ("abc", "xabc", False),
    ],
)
def test_prefix_ends_cluster(prefix: str, word: str, expected: bool) -> None:
    assert prefix_ends_cluster(prefix, word) is expected


def test_prefix_continuations() -> None:
    # ऊर्जा and ऊर्जवान follow ऊर्ज: only the second starts a new letter after it
    assert prefix_continuations("ऊर्ज", ["ा", "व"]) == ("ऊर्जव",)
    assert prefix_continuations("ऊर्ज", ["ा"]) == ()
    assert prefix_continuations("ऊर्जा", ["व", "न"]) is None  # every follower starts a letter
    assert prefix_continuations("ऊर्जा", []) is None
    # an ASCII prefix followed by a combining mark: ASCII words are not in the vocabulary
    ascii_options = prefix_continuations("sol", ["\u0951", "क"])
    assert ascii_options is not None
    assert "solक" in ascii_options and "sola" in ascii_options and "sol\u0951" not in ascii_options


def test_prefix_vocabulary_holds_what_a_prefix_could_cut() -> None:
    assert in_prefix_vocabulary("ऊर्जा") and in_prefix_vocabulary("café\u0951")
    assert not in_prefix_vocabulary("solar")
    assert not in_prefix_vocabulary("部品")


def test_snippet_marks_a_prefix_only_where_a_letter_ends() -> None:
    term = QueryTerm("ऊर्ज", ("ऊर्ज",))
    assert find_hits("सौर ऊर्जा", [term]) == []
    whole = QueryTerm("ऊर्जा", ("ऊर्जा",))
    assert find_hits("ऊर्जावान युवा", [whole]) == [(0, 8)]


# -- ICU as the reference ------------------------------------------------------------------------

# Characters whose cluster rules agree between the UCD this Python has and the newer one of ICU:
# Latin, Devanagari and Bengali letters, vowel signs, viramas and nuktas, joiners, line ends,
# Hangul jamo and syllables, regional indicators, emoji with a modifier, a prepended mark.
ALPHABET = (
    "ab1 \r\n"
    "कषरजऊअनवय\u093e\u093f\u0940\u0941\u0902\u0901\u0903\u094d\u093c"
    "কষম\u09cd\u09be"
    "\u200d\u200c\u0301"
    "각가각"
    "\U0001f1ef\U0001f1f5\U0001f468\U0001f469\U0001f3fb"
    "\u0600"
)
SEGMENTER = """
const readline = require("readline");
const seg = new Intl.Segmenter("en", {granularity: "grapheme"});
const rl = readline.createInterface({input: process.stdin});
rl.on("line", (line) => {
  const text = JSON.parse(line);
  const cuts = [];
  for (const part of seg.segment(text)) cuts.push(part.index);
  cuts.push(text.length);
  console.log(JSON.stringify(cuts));
});
"""


@pytest.fixture(scope="module")
def icu() -> Iterator[Any]:
    """ICU's boundaries, through Node's ``Intl.Segmenter`` (Debian's nodejs, ICU 78)."""
    node = shutil.which("node")
    assert node, "these tests read ICU's grapheme boundaries through Node.js (apt nodejs)"
    process = subprocess.Popen(
        [node, "-e", SEGMENTER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdin and process.stdout

    def boundaries_of(text: str) -> list[int]:
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps(text) + "\n")
        process.stdin.flush()
        utf16 = json.loads(process.stdout.readline())
        offsets, position = {0: 0}, 0
        for index, char in enumerate(text):  # UTF-16 offsets → code point offsets
            position += 2 if ord(char) > 0xFFFF else 1
            offsets[position] = index + 1
        return [offsets[cut] for cut in utf16]

    yield boundaries_of
    process.stdin.close()
    process.wait(timeout=10)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_boundaries_agree_with_icu(icu: Any, text: str) -> None:
    expected = icu(text) if text else [0]
    assert boundaries(text) == expected
    for index in range(len(text) + 1):
        assert is_boundary(text, index) == (index in expected)
