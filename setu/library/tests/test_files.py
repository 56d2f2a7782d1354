"""Uploads are checked by content: disguised, empty and oversized files are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from setu.library.files import check_upload, content_disposition, safe_filename
from setu.library.tests.factories import (
    docx_bytes,
    exe_bytes,
    macro_docx_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    upload,
    xlsx_bytes,
)

OOXML = "application/vnd.openxmlformats-officedocument"


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("brief.pdf", pdf_bytes("部品"), "pdf", "application/pdf"),
        ("memo.docx", docx_bytes("hello"), "docx", f"{OOXML}.wordprocessingml.document"),
        ("figures.xlsx", xlsx_bytes([["GW", 19.2]]), "xlsx", f"{OOXML}.spreadsheetml.sheet"),
        ("deck.PPTX", pptx_bytes(("T", "B")), "pptx", f"{OOXML}.presentationml.presentation"),
        ("logo.png", png_bytes(), "image", "image/png"),
        ("notes.txt", "नवीकरणीय ऊर्जा".encode(), "text", "text/plain"),
        ("sjis.csv", "部品,価格\n".encode("cp932"), "text", "text/csv"),
        ("notepad.txt", "部品".encode("utf-16"), "text", "text/plain"),
    ],
)  # fmt: skip
def test_accepted_files(name: str, data: bytes, kind: str, content_type: str) -> None:
    checked = check_upload(upload(name, data))
    assert checked.kind == kind
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", exe_bytes(), "a program (executable)"),
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "an HTML page"),
        ("report.pdf", b"<html><body>%PDF-1.4</body></html>", "an HTML page"),
        ("memo.docx", pdf_bytes("x"), "application/pdf"),
        ("memo.docx", b"PK\x03\x04not really a zip", "damaged"),
        ("deck.pptx", docx_bytes("a word file"), "named .pptx"),
        ("photo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "named .png"),
        ("notes.txt", exe_bytes(), "a program (executable)"),
        ("notes.txt", "Café crème".encode("latin-1"), "UTF-8 or Shift_JIS"),
        ("macro.docx", macro_docx_bytes(), "macros"),
        ("script.html", b"<html></html>", "Choose a PDF"),
        ("archive.zip", b"PK\x03\x04", "Choose a PDF"),
        ("noextension", b"hello", "Choose a PDF"),
    ],
)
def test_refused_files_say_why(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data))
    assert message in " ".join(error.value.messages)


def test_empty_file() -> None:
    with pytest.raises(ValidationError, match="The file is empty"):
        check_upload(upload("empty.pdf", b""))


def test_size_limit_comes_from_the_setting(settings) -> None:
    settings.SETU_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=r"too large \(0.0 MB\). The limit is 0 MB"):
        check_upload(upload("big.txt", b"a" * 2000))
    assert check_upload(upload("small.txt", b"a" * 1000)).size == 1000


def test_safe_filenames() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\報告書.pdf") == "報告書.pdf"
    assert safe_filename('a<b>:"c|d?*.pdf') == "a_b___c_d__.pdf"
    assert safe_filename("\u202eexe.pdf") == "exe.pdf"  # no right-to-left override
    assert safe_filename("...") == "document"
    assert len(safe_filename("x" * 400 + ".pdf")) == 150


def test_content_disposition_is_an_attachment_with_an_rfc5987_name() -> None:
    header = content_disposition("静岡 報告書.pdf", ".pdf")
    assert header.startswith('attachment; filename="document.pdf"; ')
    assert "filename*=UTF-8''%E9%9D%99%E5%B2%A1%20%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf" in header
    # the stored, checked extension wins over whatever the name claimed
    assert content_disposition("page.html", ".txt") == (
        "attachment; filename=\"page.txt\"; filename*=UTF-8''page.txt"
    )
    assert 'filename="Urja niti.pdf"' in content_disposition("Ūrjā nīti.pdf", ".pdf")
    hindi = content_disposition("ऊर्जा.pdf", ".pdf")
    assert 'filename="document.pdf"' in hindi and "%E0%A4%8A" in hindi
