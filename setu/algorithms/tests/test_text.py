"""The trilingual tokeniser: examples, then properties checked with hypothesis."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.algorithms.text import (
    MAX_TOKEN_CHARS,
    find_hits,
    index_text,
    is_word_char,
    normalise,
    query_terms,
    snippet,
    tokenize,
    words,
)

# --- examples ------------------------------------------------------------------------------


def test_two_character_japanese_words_are_tokens() -> None:
    tokens = tokenize("静岡県の自動車部品メーカーが輸出を拡大")
    assert "部品" in tokens
    assert "自動車" in tokens
    assert "輸出" in tokens


def test_compounds_carry_their_parts() -> None:
    tokens = tokenize("中小企業の支援")
    assert {"中小企業", "中小", "企業"} <= set(tokens)
    assert query_terms("中小企業")[0].tokens == ("中小", "企業")


def test_particles_and_punctuation_are_left_out() -> None:
    assert tokenize("部品の、輸出。") == ["部品", "輸出"]
    assert tokenize("「」、。！？") == []
    assert query_terms("の は です") == []


def test_normalised_forms_unify_spelling_variants() -> None:
    assert tokenize("すし") == tokenize("寿司")
    assert tokenize("附属") == tokenize("付属")
    assert tokenize("ｶﾞｽ") == tokenize("ガス")  # half-width katakana


def test_hindi_words_stay_whole() -> None:
    assert tokenize("नवीकरणीय ऊर्जा नीति, गुजरात।") == ["नवीकरणीय", "ऊर्जा", "नीति", "गुजरात"]
    # the zero-width joiner only steers rendering; the word stays one token
    assert tokenize("क्\u200dष") == ["क्ष"]


def test_latin_words_are_casefolded_without_accents() -> None:
    assert tokenize("Énergie RENOUVELABLE, Straße") == ["energie", "renouvelable", "strasse"]
    assert tokenize("ＡＢＣ１２３") == ["abc123"]


def test_mixed_scripts_split_at_the_japanese_boundary() -> None:
    assert tokenize("iPhone用の部品") == ["iphone", "用", "部品"]
    assert tokenize("2030年度") == ["2030", "年度"]


def test_kangxi_radicals_from_pdfs_become_kanji() -> None:
    assert tokenize("⽣産") == tokenize("生産")


def test_index_text_is_the_tokens_joined_by_spaces() -> None:
    assert index_text("Solar 部品") == "solar 部品"


def test_words_never_start_with_a_mark_and_long_runs_are_dropped() -> None:
    assert words("\u094dक") == ["क"]
    assert words("a" * (MAX_TOKEN_CHARS + 1)) == []


def test_query_terms_prefix_only_latin_and_hindi_words_of_three_or_more() -> None:
    terms = {term.surface: term for term in query_terms("energy 部品 ab ऊर्जा")}
    assert terms["energy"].prefix
    assert not terms["部品"].prefix
    assert not terms["ab"].prefix
    assert terms["ऊर्जा"].prefix


def test_snippets_mark_hits_in_the_original_text() -> None:
    text = "Introduction. " * 30 + "Kofu's ENERGY plan: 自動車部品 and Énergie."
    pieces = snippet(text, query_terms("energ 部品"))
    hits = [piece for piece, hit in pieces if hit]
    assert hits == ["ENERGY", "部品", "Énergie"]
    assert pieces[0] == ("… ", False)


def test_hits_respect_word_starts_for_latin() -> None:
    text = "a plan for planning"
    assert find_hits(text, query_terms("plan")) == [(2, 6), (11, 19)]  # prefix extends
    assert find_hits(text, query_terms("an")) == []  # "an" only inside words


# --- properties ----------------------------------------------------------------------------

JAPANESE_WORDS = [
    "部品", "自動車", "中小企業", "静岡県", "山梨県", "半導体", "再生可能エネルギー", "水素",
    "輸出", "協力", "覚書", "会議", "議事録", "太陽光発電", "食品加工", "スマートシティ",
    "インド", "グジャラート州", "の", "は", "と", "を", "です", "、", "。",
]  # fmt: skip
LATIN_WORDS = ["Solar", "energy", "Gujarat", "MoU", "café", "Ökonomie", "2030", "IT", "e-mail"]
HINDI_WORDS = ["नवीकरणीय", "ऊर्जा", "नीति", "गुजरात", "क़ानून", "विद्युत्", "सौर", "।"]

realistic_text = st.lists(
    st.sampled_from(JAPANESE_WORDS + LATIN_WORDS + HINDI_WORDS), max_size=30
).map(lambda parts: "".join(p + (" " if p.isascii() else "") for p in parts))

DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
KANA_AND_KANJI = st.sampled_from(
    [chr(c) for c in range(0x3041, 0x3097)]
    + [chr(c) for c in range(0x30A1, 0x30FB)]
    + list("自動車部品中小企業静岡県半導体再生可能電力会議日本印度東京都庁々ー")
)
any_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        DEVANAGARI,
        KANA_AND_KANJI,
        st.sampled_from(list(" ,.-\u200d\u00ad\t\n")),
    ),
    max_size=80,
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
def test_tokenising_is_idempotent_on_its_own_output(text: str) -> None:
    tokens = tokenize(text)
    assert set(tokenize(" ".join(tokens))) == set(tokens)


@FAST
@given(realistic_text)
def test_tokenising_realistic_text_is_idempotent(text: str) -> None:
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens


@FAST
@given(any_text)
def test_tokens_are_never_empty_and_only_word_characters(text: str) -> None:
    for token in tokenize(text):
        assert token
        assert len(token) <= MAX_TOKEN_CHARS
        assert all(is_word_char(char) for char in token)
        assert not unicodedata.category(token[0]).startswith("M")


DEVANAGARI_WORD = st.text(
    alphabet=st.characters(
        min_codepoint=0x0900, max_codepoint=0x097F, categories=("Lo", "Mn", "Mc")
    ),
    min_size=1,
    max_size=12,
).filter(lambda word: unicodedata.category(word[0]) == "Lo")


@FAST
@given(st.lists(DEVANAGARI_WORD, min_size=1, max_size=8))
def test_devanagari_words_stay_whole(hindi_words: list[str]) -> None:
    """Vowel signs, viramas and nuktas never split a word (Python's \\w would)."""
    expected = list(dict.fromkeys(normalise(word) for word in hindi_words))
    assert tokenize(" ".join(hindi_words)) == expected


@FAST
@given(any_text)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(any_text, any_text)
def test_snippet_pieces_come_from_the_text(text: str, query: str) -> None:
    pieces = snippet(text, query_terms(query))
    collapsed = " ".join(text.split())
    for piece, hit in pieces:
        if hit:
            assert piece in collapsed
    inner = "".join(piece for piece, _hit in pieces if piece not in ("… ", " …"))
    assert inner in collapsed


@pytest.mark.parametrize(
    ("query", "document", "found"),
    [
        ("部品", "自動車部品の輸出", True),
        ("中小企業", "中小の企業", True),
        ("solar", "Solar parks", True),
        ("compon", "automotive components", True),
        ("ऊर्जा", "नवीकरणीय ऊर्जा नीति", True),
        ("ऊर्", "नवीकरणीय ऊर्जा", True),
        ("部品", "部分品", False),
        ("energy", "synergy", False),
    ],
)
def test_query_meets_document_tokens(query: str, document: str, found: bool) -> None:
    """What the SQL backends do, in Python: every token of every term, prefix for Latin."""
    tokens = set(tokenize(document))
    matched = all(
        any(t.startswith(q) for t in tokens) if term.prefix else q in tokens
        for term in query_terms(query)
        for q in term.tokens
    )
    assert matched is found
