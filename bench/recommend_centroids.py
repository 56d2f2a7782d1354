"""Remake ``setu/algorithms/recommend_centroids.json``: each language's mean sentence vector.

Run from the repository root after a change of model or engine (then bump ``MODEL_VERSION``)::

    .venv/bin/python bench/recommend_centroids.py

The mean is over the distinct sentences of the development queries and of all candidates in
``bench/data/`` (the held-out queries stay out), embedded raw (``passage:``, not centred), each
counted under the language of its script (``text_language``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from setu.algorithms.embedding import (
    CENTROIDS_FILE,
    LANGUAGES,
    MODEL_VERSION,
    embed_raw,
    split_sentences,
    text_language,
)

DATA = Path(__file__).resolve().parent / "data"


def main() -> int:
    profiles = []
    for name in ("recommend_queries.jsonl", "recommend_candidates.jsonl"):
        with open(DATA / name, encoding="utf-8") as lines:
            profiles += [json.loads(line) for line in lines if line.strip()]
    profiles = [p for p in profiles if p.get("split", "dev") == "dev"]
    sentences = list(
        dict.fromkeys(
            s for p in profiles for f in ("offers", "needs") for s in split_sentences(p[f])
        )
    )
    rows = embed_raw(sentences)
    languages = np.array([text_language(s) for s in sentences])
    table = {
        "model": MODEL_VERSION.rsplit("/", 1)[0],
        "made_from": "bench/recommend_centroids.py over bench/data/recommend_*.jsonl: distinct "
        "sentences of the dev queries and all candidates (passage: prefix)",
        "centroids": {
            lang: [round(float(v), 5) for v in rows[languages == lang].mean(axis=0)]
            for lang in LANGUAGES
        },
    }
    CENTROIDS_FILE.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n")
    counts = {lang: int((languages == lang).sum()) for lang in LANGUAGES}
    print(f"{CENTROIDS_FILE.name}: {len(sentences)} sentences {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
