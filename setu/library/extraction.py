"""Reading the text out of uploaded files, for search. Runs in the worker, never in a request.

PDF: poppler's ``pdftotext -layout -enc UTF-8`` (correct for Hindi, where pypdf garbles
conjuncts), pypdf only when pdftotext is missing. DOCX, XLSX, PPTX: their libraries. Text:
UTF-8 or Shift_JIS. Everything ends NFKC-normalised (PDFs often carry Kangxi radicals such
as ⽣ for 生).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db.models.fields.files import FieldFile

from setu.library.files import decode_text
from setu.library.models import FileKind

PDF_TIMEOUT_SECONDS = 60
PDF_MAX_PAGES = 1000
PDFTOTEXT_ARGS = ["-layout", "-enc", "UTF-8", "-q", "-l", str(PDF_MAX_PAGES)]
MAX_EXTRACTED_CHARS = 2_000_000
MAX_SPREADSHEET_CELLS = 500_000


class ExtractionError(Exception):
    """The file could not be read; the message is shown on the document."""


def pdftotext_path() -> str | None:
    return shutil.which(getattr(settings, "SETU_PDFTOTEXT", "pdftotext"))


def _pdf(path: Path) -> str:
    executable = pdftotext_path()
    if executable is None:
        return _pdf_with_pypdf(path)
    try:
        result = subprocess.run(  # noqa: S603  # fixed arguments, our own stored file, no shell
            [executable, *PDFTOTEXT_ARGS, str(path), "-"],
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(
            f"pdftotext took longer than {PDF_TIMEOUT_SECONDS} seconds"
        ) from error
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[:300]
        raise ExtractionError(f"pdftotext failed (exit {result.returncode}) {detail}".strip())
    return result.stdout.decode("utf-8", "replace")


def _pdf_with_pypdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = reader.pages[:PDF_MAX_PAGES]
        return "\n\n".join(page.extract_text() or "" for page in pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"the PDF could not be read ({error})") from error


def _docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        lines.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(lines)


def _xlsx(path: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(str(path), read_only=True, data_only=True)
    lines: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                values = ["" if value is None else str(value) for value in row]
                cells += len(values)
                if any(values):
                    lines.append("\t".join(values).rstrip())
                if cells > MAX_SPREADSHEET_CELLS:
                    return "\n".join(lines)
    finally:
        workbook.close()
    return "\n".join(lines)


def _pptx(path: Path) -> str:
    from pptx import Presentation

    presentation = Presentation(str(path))
    lines: list[str] = []
    for slide in presentation.slides:
        lines.append("")  # a blank line between slides
        for shape in slide.shapes:
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                lines.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("\t".join(cell.text for cell in row.cells))
        if slide.has_notes_slide:
            lines.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(lines)


def _text(path: Path) -> str:
    try:
        return decode_text(path.read_bytes())
    except ValueError as error:
        raise ExtractionError("the text is neither UTF-8 nor Shift_JIS") from error


READERS = {
    FileKind.PDF: _pdf,
    FileKind.DOCX: _docx,
    FileKind.XLSX: _xlsx,
    FileKind.PPTX: _pptx,
    FileKind.TEXT: _text,
}


def clean(text: str) -> str:
    """NFKC, no NUL or other control characters except line breaks and tabs, capped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
    )
    return text[:MAX_EXTRACTED_CHARS]


def extract_text(path: Path, kind: str) -> str:
    """The text of the file at ``path``; "" for images. Raises ExtractionError."""
    reader = READERS.get(kind)  # type: ignore[call-overload]
    if reader is None:
        return ""
    try:
        return clean(reader(path))
    except ExtractionError:
        raise
    except Exception as error:  # a broken file makes each library fail its own way
        raise ExtractionError(f"{error.__class__.__name__}: {error}"[:300]) from error


@contextmanager
def local_path(stored: FieldFile) -> Iterator[Path]:
    """A path on disk for a stored file: its own on the file system, else a temporary copy."""
    try:
        own: Path | None = Path(stored.path)
    except (NotImplementedError, AttributeError, ValueError):
        own = None  # remote storage (S3): no local path
    if own is not None:
        yield own
        return
    with tempfile.NamedTemporaryFile(suffix=Path(stored.name or "").suffix) as copy:
        with stored.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)
