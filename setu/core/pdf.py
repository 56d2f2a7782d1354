"""PDF documents from HTML templates, with WeasyPrint (docs/decisions/0010-pdf-with-weasyprint.md).

Every printable document of Setu (certificates, annual reports, visa letters) is a Django
template extending ``pdf/base.html`` and rendered here. WeasyPrint lays text out with Pango and
HarfBuzz, so Japanese and Devanagari come out shaped, with the fonts the machine has
(fonts-noto-cjk, fonts-lohit-deva). A document fetches nothing: only ``data:`` URLs load
(an inline SVG chart, an embedded logo); anything else in a template is ignored, so a
user-typed URL can never make the server read a file or call the network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

ALLOWED_PROTOCOLS = frozenset({"data"})


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML string; only ``data:`` resources are loaded."""
    import weasyprint  # imported here: it is heavy and only documents need it

    fetcher = weasyprint.URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, timeout=1)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render ``template_name`` in ``language`` and return the PDF's bytes."""
    with translation.override(language):
        html = render_to_string(template_name, {**context, "pdf_language": language})
    return html_to_pdf(html)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as ``pdftotext -layout`` reads it (for tests and checks)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from django.conf import settings

    executable = shutil.which(getattr(settings, "SETU_PDFTOTEXT", "pdftotext"))
    if executable is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603  # our own file, a fixed executable
            [executable, "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
    return result.stdout
