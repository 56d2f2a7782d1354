"""Tests for setu.algorithms.recommend and setu.algorithms.embedding.

The model is loaded once per process and only a handful of short texts are embedded. Runs
without Django::

    .venv/bin/python -m pytest -p no:django --noconftest setu/algorithms/tests/test_recommend.py
"""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.algorithms import embedding, recommend
from setu.algorithms.embedding import FieldVectors, ProfileVectors
from setu.algorithms.recommend import Candidate

ROOT = Path(__file__).resolve().parents[3]

# A Japanese SME and four Indian partners: two answer its need (in English and in Hindi), two
# do not; the unrelated Japanese-speaking one shares the reader's language.
SME = (
    "燃料電池システムを製造しています。",
    "インドでグリーン水素を製造している事業者を探しています。共同で実証したいです。",
)
HYDROGEN_EN = (
    "We are building a green hydrogen plant with electrolysers in Gujarat.",
    "We need fuel cell systems.",
)
HYDROGEN_HI = (
    "हम ओडिशा में ग्रीन हाइड्रोजन का उत्पादन करने वाला संयंत्र बना रहे हैं।",
    "ईंधन सेल तकनीक चाहिए।",
)
MANGO_HI = ("हम अल्फांसो आम और आम का गूदा बेचते हैं।", "पैकेजिंग मशीनें चाहिए।")
TEA_JA = ("アッサム紅茶の茶葉を販売しています。", "日本の紅茶の輸入業者を探しています。")


@cache
def _vectors() -> dict[str, ProfileVectors]:
    texts = {"sme": SME, "h_en": HYDROGEN_EN, "h_hi": HYDROGEN_HI, "m_hi": MANGO_HI, "t_ja": TEA_JA}
    made = embedding.embed_profiles(list(texts.values()))
    return dict(zip(texts, made, strict=True))


def _candidate(key: str, languages: str, **extra: object) -> Candidate:
    return Candidate(id=key, vectors=_vectors()[key], languages=frozenset({languages}), **extra)  # type: ignore[arg-type]


def test_sentences_are_cut_in_each_script() -> None:
    assert embedding.split_sentences("水素を作る。燃料電池も！\n次の行") == [
        "水素を作る。",
        "燃料電池も！",
        "次の行",
    ]
    assert embedding.split_sentences("हम चाय बेचते हैं। मशीनें चाहिए।") == [
        "हम चाय बेचते हैं।",
        "मशीनें चाहिए।",
    ]
    assert embedding.split_sentences("We sell e.g. 5.5 kW pumps. We need dealers.") == [
        "We sell e.g. 5.5 kW pumps.",
        "We need dealers.",
    ]
    assert embedding.split_sentences("  ") == []


def test_each_new_sentence_is_embedded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = embedding.embed_raw
    calls: list[list[str]] = []

    def spy(sentences: list[str]) -> embedding.Vectors:
        calls.append(list(sentences))
        return real(sentences)

    monkeypatch.setattr(embedding, "embed_raw", spy)
    # The same need twice in one batch: embedded once.
    first, second = embedding.embed_profiles([HYDROGEN_EN, ("", HYDROGEN_EN[1])])
    assert calls == [list(HYDROGEN_EN)]
    assert np.allclose(second.needs.rows, first.needs.rows)
    # An edit: the rows stored before are reused, only the new sentence goes to the model.
    known = dict(zip(first.offers.sentences, first.offers.rows, strict=True))
    edited = embedding.embed_profiles([(HYDROGEN_EN[0], HYDROGEN_HI[1])], known=known)[0]
    assert calls[1:] == [[HYDROGEN_HI[1]]]
    assert np.allclose(edited.offers.mean, first.offers.mean)
    assert np.allclose(edited.needs.mean, _vectors()["h_hi"].needs.mean, atol=1e-5)


def test_the_language_of_a_text_is_read_from_its_script() -> None:
    assert embedding.text_language("燃料電池") == "ja"
    assert embedding.text_language("ईंधन सेल") == "hi"
    assert embedding.text_language("fuel cells") == "en"


def test_partners_who_answer_the_need_come_first_whatever_their_language() -> None:
    ranked = recommend.rank(
        _candidate("sme", "ja"),
        [
            _candidate("t_ja", "ja"),
            _candidate("m_hi", "hi"),
            _candidate("h_hi", "hi"),
            _candidate("h_en", "en"),
        ],
    )
    assert {m.other_id for m in ranked[:2]} == {"h_en", "h_hi"}
    assert ranked[0].points > ranked[2].points


def test_a_common_language_never_lifts_an_unrelated_candidate() -> None:
    reader = _candidate("sme", "ja")
    related = _candidate("h_hi", "hi")
    unrelated = _candidate("t_ja", "ja")  # speaks the reader's language
    ranked = recommend.rank(reader, [unrelated, related])
    assert [m.other_id for m in ranked] == ["h_hi", "t_ja"]


def _unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(embedding.DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _synthetic(key: int, offers: np.ndarray, language: str) -> Candidate:
    field = FieldVectors(("x",), offers.reshape(1, -1), offers)
    return Candidate(id=key, vectors=ProfileVectors(field, field), languages=frozenset({language}))


@settings(max_examples=60, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 10_000), min_size=2, max_size=8, unique=True),
    languages=st.lists(st.sampled_from(["en", "ja", "hi"]), min_size=8, max_size=8),
    twins=st.booleans(),
)
def test_language_only_orders_equal_scores(
    seeds: list[int], languages: list[str], twins: bool
) -> None:
    vectors = [_unit(seed) for seed in seeds]
    if twins:  # two candidates with the same texts: the one who speaks Japanese goes first
        vectors[1] = vectors[0]
        languages = ["en", "ja", *languages[2:]]
    reader = _synthetic(-1, _unit(99_999), "ja")
    others = [_synthetic(i, v, languages[i]) for i, v in enumerate(vectors)]
    ranked = recommend.rank(reader, others)
    points = [m.points for m in ranked]
    assert points == sorted(points, reverse=True)
    for a, b in itertools.pairwise(ranked):
        if a.points == b.points and "ja" in others[int(b.other_id)].languages:
            assert "ja" in others[int(a.other_id)].languages
    if twins:
        order = [m.other_id for m in ranked]
        assert order.index(1) < order.index(0)


def test_shared_sectors_and_an_agreement_add_a_little() -> None:
    reader = _candidate("sme", "ja", sectors=frozenset({"Energy"}), side="JP", region="JP-16")
    plain = recommend.rank(reader, [_candidate("h_en", "en", side="IN", region="IN-GJ")])
    helped = recommend.rank(
        reader,
        [_candidate("h_en", "en", sectors=frozenset({" energy "}), side="IN", region="IN-GJ")],
        partnered={frozenset({"JP-16", "IN-GJ"}): ["mou"]},
    )
    added = recommend.SECTOR_POINTS + recommend.PARTNERSHIP_POINTS
    assert helped[0].points == pytest.approx(plain[0].points + added, abs=0.002)
    kinds = [r.kind for r in helped[0].reasons]
    assert recommend.SECTORS in kinds and recommend.PARTNERSHIP in kinds


def test_the_explanation_quotes_the_sentences_that_match() -> None:
    (match,) = recommend.rank(_candidate("sme", "ja"), [_candidate("h_en", "en")])
    quotes = {r.kind: r.items for r in match.reasons}
    need, offer = quotes[recommend.ANSWERS_YOUR_NEED]
    assert need == "インドでグリーン水素を製造している事業者を探しています。"
    assert offer == HYDROGEN_EN[0]
    need, offer = quotes[recommend.ANSWERS_THEIR_NEED]
    assert (need, offer) == (HYDROGEN_EN[1], SME[0])


def test_unrelated_candidates_are_left_out_with_a_floor_and_explained_only_at_the_top() -> None:
    reader = _candidate("sme", "ja")
    others = [_candidate("t_ja", "ja"), _candidate("h_en", "en"), _candidate("m_hi", "hi")]
    everyone = recommend.rank(reader, others, explain_top=1)
    assert len(everyone) == 3 and everyone[0].reasons and not everyone[2].reasons
    listed = recommend.rank(reader, others, min_points=0.5)
    assert [m.other_id for m in listed] == ["h_en"]


def test_a_candidate_without_vectors_is_ranked_on_the_other_signals() -> None:
    reader = _candidate("sme", "ja", sectors=frozenset({"energy"}))
    waiting = Candidate(id="new", sectors=frozenset({"energy"}))
    (match,) = recommend.rank(reader, [waiting])
    assert match.text_missing and match.points == recommend.SECTOR_POINTS
    with pytest.raises(ValueError):
        recommend.rank(waiting, [reader])


def test_the_cross_rule_keeps_same_side_pairs_apart() -> None:
    reader = _candidate("sme", "ja", side="JP")
    others = [_candidate("h_en", "en", side="IN"), _candidate("t_ja", "ja", side="JP")]
    assert [m.other_id for m in recommend.rank(reader, others, rule="cross")] == ["h_en"]


# --- command line ---------------------------------------------------------------------------


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def _profile(id_: str, language: str, texts: tuple[str, str], **extra: object) -> dict[str, object]:
    return {"id": id_, "language": language, "name": id_, "offers": texts[0], "needs": texts[1]}


def _run(argv: list[str], stdin: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = recommend.main(argv, stdin=io.StringIO(stdin))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_writes_one_tab_separated_line_per_rank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    among = _jsonl(
        tmp_path / "c.jsonl",
        [
            _profile("m", "hi", MANGO_HI),
            {**_profile("h", "en", HYDROGEN_EN), "sectors": ["energy"]},
            _profile("g", "hi", HYDROGEN_HI),
        ],
    )
    queries = json.dumps(_profile("q1", "ja", SME), ensure_ascii=False) + "\n"
    code, out, err = _run(["--among", str(among), "--top", "2"], queries, capsys)
    assert code == 0 and err == ""
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[0] for line in lines] == ["q1", "q1"] and [line[2] for line in lines] == ["1", "2"]
    assert {line[1] for line in lines} == {"h", "g"}


@pytest.mark.parametrize(
    ("stdin", "argv_extra", "message"),
    [
        ("{not json\n", [], "stdin line 1: invalid JSON"),
        ('{"id": "q", "language": "fr", "offers": "", "needs": ""}\n', [], "'language'"),
        ('{"language": "en"}\n', [], "'id'"),
        ('{"id": 1, "language": "en", "sectors": "energy"}\n', [], "'sectors'"),
        ('{"id": 1, "language": "en"}\n{"id": 1, "language": "en"}\n', [], "line 2: id 1"),
        ("", ["--top", "0"], "--top"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    stdin: str,
    argv_extra: list[str],
    message: str,
) -> None:
    among = _jsonl(tmp_path / "c.jsonl", [_profile("h", "en", HYDROGEN_EN)])
    code, out, err = _run(["--among", str(among), *argv_extra], stdin, capsys)
    assert code == 2 and out == "" and message in err


def test_cli_names_a_missing_candidates_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["--among", str(tmp_path / "nope.jsonl")], "", capsys)
    assert code == 2 and "nope.jsonl" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "language": "en"}\n[1]\n')
    code, _, err = _run(["--among", str(bad)], "", capsys)
    assert code == 2 and "bad.jsonl line 2" in err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    among = _jsonl(tmp_path / "c.jsonl", [_profile("h", "en", HYDROGEN_EN)])
    result = subprocess.run(
        [sys.executable, "-m", "setu.algorithms.recommend", "--among", str(among), "--top", "10"],
        input=json.dumps(_profile("q", "en", ("Fuel cells.", "Hydrogen producers."))) + "\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "q\th\t1\n"
    missing = subprocess.run(
        [sys.executable, "-m", "setu.algorithms.recommend"],
        input="",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "--among" in missing.stderr
