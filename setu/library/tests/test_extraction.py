"""Text extraction: pdftotext (pypdf when it is missing), Office files, text; failures shown."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from setu.conftest import World
from setu.library.extraction import ExtractionError, clean, extract_text, pdftotext_path
from setu.library.models import ExtractionStatus
from setu.library.tests.factories import (
    docx_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    upload,
    xlsx_bytes,
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.skipif(pdftotext_path() is None, reason="poppler-utils is not installed")
def test_pdf_with_pdftotext_reads_japanese_and_hindi(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.pdf", pdf_bytes("静岡県の自動車部品", "नवीकरणीय ऊर्जा", "⽣産 plan"))
    text = extract_text(path, "pdf")
    assert "静岡県の自動車部品" in text
    assert "नवीकरणीय ऊर्जा" in text
    assert "生産" in text  # the Kangxi radical from the PDF, NFKC-normalised


def test_pdf_falls_back_to_pypdf(tmp_path: Path, no_pdftotext: None) -> None:
    path = _write(tmp_path, "a.pdf", pdf_bytes("部品の輸出", "Solar parks"))
    text = extract_text(path, "pdf")
    assert "部品の輸出" in text and "Solar parks" in text


def test_pdftotext_failure_and_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "broken.pdf", b"%PDF-1.4\nnot a pdf at all")
    if pdftotext_path() is not None:
        with pytest.raises(ExtractionError, match="pdftotext failed"):
            extract_text(path, "pdf")

    def slow(*args: Any, **kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired(cmd="pdftotext", timeout=60)

    monkeypatch.setattr("setu.library.extraction.pdftotext_path", lambda: "/usr/bin/pdftotext")
    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(ExtractionError, match="longer than 60 seconds"):
        extract_text(path, "pdf")


def test_office_files_and_text(tmp_path: Path) -> None:
    docx = _write(tmp_path, "a.docx", docx_bytes("覚書 Memorandum", "第二条"))
    assert "覚書 Memorandum" in extract_text(docx, "docx")
    xlsx = _write(tmp_path, "a.xlsx", xlsx_bytes([["州", "GW"], ["グジャラート", 19.2]]))
    sheet = extract_text(xlsx, "xlsx")
    assert "Figures" in sheet and "グジャラート\t19.2" in sheet
    pptx = _write(tmp_path, "a.pptx", pptx_bytes(("水素セミナー", "Hydrogen in Gujarat")))
    assert "水素セミナー" in extract_text(pptx, "pptx")
    sjis = _write(tmp_path, "a.txt", "ｶﾀｶﾅと部品".encode("cp932"))
    assert extract_text(sjis, "text") == "カタカナと部品"
    assert extract_text(_write(tmp_path, "a.png", png_bytes()), "image") == ""


def test_clean_drops_control_characters_and_normalises() -> None:
    assert clean("a\x00b\tc\nＡ\x1b") == "ab\tc\nA"


@pytest.mark.django_db
def test_upload_extracts_on_commit_and_indexes(world: World, share: Any) -> None:
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("seminar.pptx", pptx_bytes(("静岡セミナー", "部品の調達"))),
    )
    version = document.current_version
    assert version.extraction_status == ExtractionStatus.DONE
    assert "部品の調達" in version.extracted_text
    from setu.library.models import SearchEntry

    assert "部品" in SearchEntry.objects.get(key=f"library.document:{document.pk}").tokens.split()


@pytest.mark.django_db
def test_failed_extraction_is_shown_and_never_breaks_the_upload(world: World, share: Any) -> None:
    # a PDF header with nothing readable behind it passes the upload check, then fails to read
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("scan.pdf", b"%PDF-1.7\n%garbage\n"),
        title_en="Scanned brochure",
        visibility="partners",
    )
    version = document.current_version
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_message
    page = world.client_for("officer_own").get(document.get_absolute_url()).content.decode()
    assert "could not be read" in page
    assert "Read again" in page
    # still findable by its title
    from setu.library.search.backends import get_backend

    hits = get_backend().search("scanned", world.user("partner")).hits
    assert [hit.title for hit in hits] == ["Scanned brochure"]
