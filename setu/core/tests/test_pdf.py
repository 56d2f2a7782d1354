"""PDFs come out readable in all three scripts and never fetch anything."""

from __future__ import annotations

from pathlib import Path

from setu.core.pdf import html_to_pdf, pdf_text


def test_english_japanese_and_hindi_read_back_from_the_pdf() -> None:
    html = (
        "<html><body><p>Certificate of completion</p>"
        "<p lang='ja'>修了証書 静岡県</p><p lang='hi'>प्रमाण पत्र</p></body></html>"
    )
    text = pdf_text(html_to_pdf(html))
    assert "Certificate of completion" in text
    assert "修了証書" in text and "静岡県" in text
    assert "प्रमाण" in text


def test_a_document_reads_no_file_and_no_network(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg xmlns='http://www.w3.org/2000/svg'><text>LEAKED</text></svg>")
    html = f"<img src='file://{secret}'><img src='http://127.0.0.1:9/x.png'><p>ok</p>"
    text = pdf_text(html_to_pdf(html))
    assert "ok" in text
    assert "LEAKED" not in text
