"""Every Markdown document the code and the docs point a reader to is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = re.compile(r"(?<![\w/.-])([\w./-]*[A-Za-z0-9_-]+\.md)\b")


def _readable_files() -> list[Path]:
    patterns = ["setu/**/*.py", "setu/**/*.html", "config/*.py", "templates/**/*.html"]
    found = [path for pattern in patterns for path in ROOT.glob(pattern)]
    return [*found, *ROOT.glob("docs/**/*.md"), ROOT / "README.md"]


def test_every_referenced_document_exists() -> None:
    missing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _readable_files()
        for name in REFERENCE.findall(path.read_text(encoding="utf-8"))
        if not any(
            candidate.exists()
            for candidate in (ROOT / name, ROOT / "docs" / name, path.parent / name)
        )
    ]
    assert not missing, missing
