"""Tests for setu.algorithms.names: every variant the duplicate check must see through.

Runs without Django (setu/conftest.py loads models and needs pytest-django, hence
``--noconftest``; test_pure.py runs this very command)::

    .venv/bin/python -m pytest -p no:django --noconftest setu/algorithms/tests/test_names.py
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from setu.algorithms.names import (
    LEGAL_WORDS,
    MAX_TOKEN_LENGTH,
    best_similarity,
    compact_key,
    key_tokens,
    name_similarity,
    name_tokens,
    normalise_name,
    romanisation_key,
    search_terms,
)

# --------------------------------------------------------------------------- examples

SAME_ORGANISATION = [
    # legal forms in English, any case, with or without dots
    ("Tata Motors Ltd", "TATA MOTORS LIMITED"),
    ("Tata Motors Ltd.", "Tata Motors Private Limited"),
    ("Tata Motors Pvt. Ltd.", "tata motors"),
    ("Tata Motors (P) Ltd", "Tata Motors"),
    ("Infosys Inc.", "Infosys Incorporated"),
    ("Kofu Precision Co., Ltd.", "Kofu Precision Corporation"),
    ("Kofu Precision K.K.", "Kofu Precision Kabushiki Kaisha"),
    ("Kofu Precision K. K.", "Kofu Precision Kabushiki-gaisha"),
    ("Kofu Precision KK", "Kofu Precision Co."),
    ("Daisen Foods Yugen Kaisha", "Daisen Foods Y.K."),
    ("Sendai Cloudworks Godo Kaisha", "Sendai Cloudworks G.K."),
    ("The Japan Steel Works", "Japan Steel Works Ltd"),
    ("Kofu Hydrogen Systems Company Limited", "Kofu Hydrogen Systems"),
    # "and" / "&"
    ("Tata & Sons", "Tata and Sons"),
    ("Larsen & Toubro Limited", "LARSEN AND TOUBRO LTD"),
    # full-width and half-width
    ("ＴＡＴＡ　ＭＯＴＯＲＳ", "Tata Motors"),
    ("ＮＥＣ株式会社", "NEC"),
    ("ｺｳﾌｽｲｿ", "コウフスイソ"),
    ("甲府水素システム（株）", "甲府水素システム(株)"),
    # Latin accents and long vowels
    ("Tōkyō Shōji", "Tokyo Shoji"),
    ("Tôkyô Shôji", "Toukyou Shouji"),
    ("Tookyoo Shooji", "Tokyo Shoji"),
    ("Kyūshū Denki", "Kyuushuu Denki"),
    ("Ōsaka Gas", "Ohsaka Gas"),
    ("Itoh Ham", "Ito Ham"),
    ("Café Müller", "Cafe Muller"),
    # Hepburn and Kunrei-shiki
    ("Shizuoka Tea", "Sizuoka Tea"),
    ("Chiba Machinery", "Tiba Matinery"),
    ("Tsuruga Shipping", "Turuga Shipping"),
    ("Fujikawa Precision Dies", "Huzikawa Precision Dies"),
    ("Shōji Jūkōgyō", "Syozi Zyukogyo"),
    ("Chūbu Electric", "Tyubu Electric"),
    ("Shimbashi Works", "Shinbashi Works"),
    ("Matcha Farm", "Mattya Farm"),
    # initials
    ("T.V.S. Motor Company", "TVS Motor"),
    ("T V S Motor", "TVS Motor"),
    # apostrophes
    ("Shin'ei Kogyo", "Shinei Kogyo"),
    # Japanese legal forms before, after, as symbols, in kana
    ("株式会社甲府水素システム", "甲府水素システム株式会社"),
    ("㈱甲府水素システム", "甲府水素システム株式会社"),
    ("（株）甲府水素システム", "甲府水素システム"),
    ("有限会社大山フーズ", "大山フーズ(有)"),
    ("合同会社仙台クラウドワークス", "仙台クラウドワークス"),
    ("一般社団法人日印経済協会", "日印経済協会"),
    ("カブシキガイシャコウフスイソ", "こうふすいそ"),
    ("甲府 水素システム", "甲府水素システム"),
    # Hindi legal forms
    ("टाटा मोटर्स प्राइवेट लिमिटेड", "टाटा मोटर्स"),
    ("टाटा मोटर्स प्रा. लि.", "टाटा मोटर्स लिमिटेड"),
    ("टाटा एंड संस", "टाटा और संस"),
]


@pytest.mark.parametrize(("a", "b"), SAME_ORGANISATION)
def test_variants_share_one_key(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)
    assert name_similarity(normalise_name(a), normalise_name(b)) == 100


DIFFERENT_ORGANISATIONS = [
    ("Tata Motors", "Tata Steel"),
    ("Tata Motors", "Mahindra & Mahindra"),
    ("Kofu Hydrogen Systems", "Enshu Auto Parts"),
    ("甲府水素システム", "遠州オートパーツ"),
    ("Daisen Foods", "Sendai Cloudworks"),
    ("टाटा मोटर्स", "महिंद्रा एंड महिंद्रा"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_ORGANISATIONS)
def test_different_names_score_low(a: str, b: str) -> None:
    assert name_similarity(normalise_name(a), normalise_name(b)) < 75


def test_key_examples() -> None:
    assert normalise_name("TATA MOTORS LIMITED") == "tata motors"
    assert normalise_name("Tōkyō Shōji K.K.") == "tokyo syozi"
    assert normalise_name("株式会社甲府水素システム") == "甲府水素システム"
    assert normalise_name("टाटा मोटर्स प्रा. लि.") == "टाटा मोटर्स"
    assert normalise_name("ABC甲府") == "abc 甲府"
    assert normalise_name("") == ""
    assert normalise_name("  ·  ") == ""


def test_kana_voicing_marks_survive() -> None:
    # が and か are different sounds; folding Latin accents must not touch kana.
    assert normalise_name("がぎぐげご") == "ガギグゲゴ"
    assert normalise_name("ガス") != normalise_name("カス")
    assert normalise_name("ﾊﾟﾝ") == "パン"  # half-width with a separate handakuten


def test_devanagari_vowel_signs_and_viramas_survive() -> None:
    assert normalise_name("मोटर्स") == "मोटर्स"  # virama kept
    assert normalise_name("किसान") == "किसान"  # vowel sign kept
    assert normalise_name("कि") != normalise_name("क")
    assert name_tokens("महिंद्रा") == ["महिंद्रा"]  # one word, not cut at the signs


def test_hiragana_and_katakana_are_one() -> None:
    assert normalise_name("こうふ") == normalise_name("コウフ")


def test_a_name_made_only_of_legal_words_keeps_them() -> None:
    assert normalise_name("The Company Limited") != ""
    assert normalise_name("株式会社") == "株式会社"
    assert normalise_name("Coo") == "co"


def test_romanisation_key() -> None:
    assert romanisation_key("shinjuku") == romanisation_key("sinzyuku")
    assert romanisation_key("tsuchiura") == romanisation_key("tutiura")
    assert romanisation_key("kyoutou") == romanisation_key("kyoto")
    assert romanisation_key("ohno") == "ono"
    assert romanisation_key("ohashi") == "ohasi"  # o-hashi: the h begins a syllable


def test_latin_words_are_tokens() -> None:
    assert name_tokens("Tata Motors Ltd") == ["motors", "tata", "tatamotors"]
    assert name_tokens("TataMotors") == ["tatamotors"]
    assert name_tokens("A") == []


def test_cjk_runs_become_bigrams_plus_the_run() -> None:
    assert name_tokens("甲府水素システム") == sorted(
        ["甲府", "府水", "水素", "素シ", "シス", "ステ", "テム", "甲府水素システム"]
    )
    assert name_tokens("株式会社甲") == ["甲"]


def test_devanagari_words_are_tokens() -> None:
    assert name_tokens("टाटा मोटर्स प्राइवेट लिमिटेड") == ["टाटा", "टाटामोटर्स", "मोटर्स"]


def test_mixed_scripts_split_at_the_boundary() -> None:
    assert name_tokens("ＡＢＣ工業") == sorted(["abc", "工業", "abc工業"])


def test_the_whole_name_token_forgives_spacing() -> None:
    assert set(name_tokens("Lata Agro Industries LLP")) & set(name_tokens("LataAgro Industries"))
    assert compact_key("lata agro") == compact_key("lataagro") == "latagro"
    assert compact_key("甲府 水素") == "甲府水素"


def test_tokens_are_cut_to_the_column_length() -> None:
    tokens = name_tokens("a" * 150 + " b" * 3)
    assert all(len(token) <= MAX_TOKEN_LENGTH for token in tokens)


def test_best_similarity_across_languages() -> None:
    ours = [normalise_name("Kofu H2 Systems"), normalise_name("甲府水素システム株式会社")]
    theirs = [normalise_name("Kofu Hydrogen Systems K.K."), normalise_name("甲府水素システム")]
    assert best_similarity(ours, theirs) == 100
    assert best_similarity(["", ""], theirs) == 0
    assert best_similarity([], []) == 0


def test_shared_trade_words_do_not_make_different_companies_alike() -> None:
    def score(a: str, b: str) -> float:
        return name_similarity(normalise_name(a), normalise_name(b))

    assert score("Hatoshi Hydrogen Systems K.K.", "Haroshiion Hydrogen Systems") < 85
    assert score("Yava Agro Industries", "Yanivex Agro Industries") < 85
    assert score("Toyota Tsusho", "Toyata Tsusho") >= 85  # a typo in the distinctive word
    assert score("Tata Motors", "Tata Motor") >= 85
    assert score("甲府水素システム", "甲斐水素システム") < 85  # Kofu and Kai
    assert score("甲府水素システム", "甲府水素システムズ") >= 85


def test_a_cutoff_only_hides_scores_below_it() -> None:
    a, b = normalise_name("Tata Motors"), normalise_name("Tata Motor")
    assert name_similarity(a, b, cutoff=85) == name_similarity(a, b)
    assert name_similarity(a, normalise_name("Tata Steel"), cutoff=85) == 0
    assert best_similarity([a], [b], cutoff=99) == 0


def test_names_in_different_scripts_are_not_compared() -> None:
    assert best_similarity(["tata"], ["टाटा", "タタ"]) == 0
    assert best_similarity(["टाटा मोटर्स"], ["タタ", "टाटा मोटर्स"]) == 100


def test_spacing_is_forgiven_by_the_score() -> None:
    assert name_similarity(normalise_name("TataMotors"), normalise_name("Tata Motors")) == 100


# --------------------------------------------------------------------------- properties

# Names of the three scripts with spaces, punctuation, full-width forms and legal suffixes.
NAME_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCXYZ0123 .,&'-()ōūéÖ")
    + list("ＡＢＣａｂｃ０１　（）㈱")
    + list("株式会社有限甲府水素システムがぎこうふｶﾞｰ・々")
    + list("टाटामोटर्सप्राइवेटलिमिटेडकिंँ़।")
)
names = st.text(NAME_ALPHABET, max_size=40) | st.text(max_size=30)
ascii_names = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz  ")), max_size=30)


@settings(max_examples=400)
@given(names)
@example("Coo")
@example("ouu")
@example("a & b")
@example("\u309b")
def test_normalisation_is_idempotent(name: str) -> None:
    key = normalise_name(name)
    assert normalise_name(key) == key


@settings(max_examples=300)
@given(names)
def test_key_has_single_spaces_and_no_upper_case(name: str) -> None:
    key = normalise_name(name)
    assert key == key.strip()
    assert "  " not in key
    assert key == key.casefold() or not key.isascii()
    assert unicodedata.normalize("NFKC", key) == key


@settings(max_examples=300)
@given(names)
def test_tokens_use_only_characters_of_the_key(name: str) -> None:
    key = normalise_name(name)
    for token in name_tokens(name):
        assert token
        assert set(token) <= set(key.replace(" ", ""))
        assert len(token) <= MAX_TOKEN_LENGTH
    assert name_tokens(name) == key_tokens(key)


@settings(max_examples=200)
@given(names)
def test_a_non_empty_key_has_tokens_unless_it_is_one_character(name: str) -> None:
    key = normalise_name(name)
    if len(key.replace(" ", "")) >= 2:
        assert name_tokens(name)


@settings(max_examples=200)
@given(ascii_names)
def test_full_width_and_upper_case_change_nothing(name: str) -> None:
    full_width = "".join(
        chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch)
        for ch in name
    )
    assert normalise_name(full_width) == normalise_name(name)
    assert normalise_name(name.upper()) == normalise_name(name)


@settings(max_examples=200)
@given(ascii_names, st.sampled_from([" Ltd", " Limited", " Pvt. Ltd.", " Co., Ltd.", " Inc."]))
def test_english_legal_suffixes_change_nothing(name: str, suffix: str) -> None:
    # A name made only of legal words keeps them (test above), so a suffix would show.
    assume(any(word not in LEGAL_WORDS for word in normalise_name(name).split()))
    assert normalise_name(name + suffix) == normalise_name(name)


@settings(max_examples=200)
@given(st.text(st.sampled_from(list("甲府水素システム大山フーズ仙台")), min_size=1, max_size=12))
def test_japanese_legal_forms_change_nothing(name: str) -> None:
    key = normalise_name(name)
    assert normalise_name("株式会社" + name) == key
    assert normalise_name(name + "株式会社") == key
    assert normalise_name("㈱" + name) == key
    assert normalise_name(name + "（株）") == key


@settings(max_examples=200)
@given(names, names)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    key_a, key_b = normalise_name(a), normalise_name(b)
    score = name_similarity(key_a, key_b)
    assert 0 <= score <= 100
    assert score == pytest.approx(name_similarity(key_b, key_a))
    if key_a:
        assert name_similarity(key_a, key_a) == 100


# --------------------------------------------------------------------------- search terms


def _matches(query: str, name: str) -> bool:
    """What the directory's name search does with the database's NameToken rows."""
    tokens = name_tokens(name)
    return all(
        any(token.startswith(t.token) if t.prefix else token == t.token for token in tokens)
        for t in search_terms(query)
    ) and bool(search_terms(query))


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("seimitsu", "Kofu Seimitu Kogyo"),  # Hepburn finds Kunrei
        ("Seimitu", "Kofu Seimitsu Kogyo K.K."),  # and back
        ("shizu", "Shizuoka Precision"),  # the beginning of a word, folded alike
        ("tokyo shoji", "Toukyou Shouji Ltd"),
        ("tatamo", "Tata Motors"),  # the name without spaces
        ("ＴＡＴＡ", "Tata Motors"),  # full width
        ("टाटा", "टाटा मोटर्स लिमिटेड"),  # Hindi
        ("मोट", "टाटा मोटर्स लिमिटेड"),
        ("水素", "甲府水素システム株式会社"),  # inside a Japanese name
        ("こうふ", "コウフ精機"),  # hiragana finds katakana
        ("甲", "甲府水素システム"),
    ],
)
def test_search_terms_find_variants_and_prefixes(query: str, name: str) -> None:
    assert _matches(query, name)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("cision", "Kofu Precision"),  # not the middle of a word
        ("kofu tata", "Kofu Precision"),  # every word must match
        ("水素甲府", "甲府水素システム"),  # 素甲 is not in the name
        ("!!!", "Kofu Precision"),  # nothing to look for
    ],
)
def test_search_terms_do_not_find(query: str, name: str) -> None:
    assert not _matches(query, name)


def test_search_terms_drop_legal_forms_and_repeats() -> None:
    assert [t.token for t in search_terms("Tata Motors Pvt. Ltd. tata")] == ["tata", "motors"]
    assert [(t.token, t.prefix) for t in search_terms("株式会社甲府")] == [("甲府", False)]


@settings(max_examples=200)
@given(names)
def test_a_name_finds_itself(name: str) -> None:
    words = normalise_name(name).split()
    assume(words and all(len(word) >= 2 for word in words))  # a lone "x" or "1" is no token
    assert _matches(name, name)


def test_module_does_not_import_django() -> None:
    code = (
        "import sys; import setu.algorithms.names; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
