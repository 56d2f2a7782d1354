"""Uploads: the type is checked by content, never trusted from the name; names are made safe.

A file is accepted when its extension is one we read AND its bytes are that kind of file:
``filetype``'s magic numbers, a look inside the zip for Office files (and no macros), Pillow
for images, and a decode for text. An .exe renamed .pdf or an HTML page saved as .pdf is
refused with a message that says what the content really is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from setu.library.models import FileKind

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# Office files are zips: refuse ones that would expand into something enormous.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 100

EXTENSIONS: dict[str, str] = {
    ".pdf": FileKind.PDF,
    ".docx": FileKind.DOCX,
    ".xlsx": FileKind.XLSX,
    ".pptx": FileKind.PPTX,
    ".png": FileKind.IMAGE,
    ".jpg": FileKind.IMAGE,
    ".jpeg": FileKind.IMAGE,
    ".gif": FileKind.IMAGE,
    ".webp": FileKind.IMAGE,
    ".txt": FileKind.TEXT,
    ".csv": FileKind.TEXT,
    ".md": FileKind.TEXT,
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".md": "text/markdown",
}
OOXML_MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
EXECUTABLE_MIMES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-elf",
    "application/vnd.microsoft.portable-executable",
    "application/x-sharedlib",
    "application/x-dosexec",
    "application/vnd.android.dex",
}
TEXT_ENCODINGS = ("utf-8-sig", "cp932")
ACCEPTED = _(
    "Choose a PDF, a Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file, an image (PNG, "
    "JPEG, GIF, WebP) or a text file (.txt, .csv, .md)."
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "SETU_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the server will store about it."""

    upload: UploadedFile
    original_name: str
    extension: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _looks_like_html(head: bytes) -> bool:
    sample = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return sample.startswith(
        (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<?xml")
    )


def describe_content(data: bytes) -> str:
    """What the bytes look like, for a message: "a Windows program", "an HTML page", …"""
    guess = filetype.guess(data[:8192])
    if guess is not None:
        if guess.mime in EXECUTABLE_MIMES:
            return str(_("a program (executable)"))
        return guess.mime
    if _looks_like_html(data):
        return str(_("an HTML page"))
    if data[:2] == b"MZ":
        return str(_("a program (executable)"))
    if b"\x00" in data[:8192]:
        return str(_("binary data"))
    return str(_("plain text"))


def _mismatch(extension: str, data: bytes) -> ValidationError:
    return ValidationError(
        _("This file is named %(ext)s but its content is %(what)s. Upload the real file."),
        code="mismatch",
        params={"ext": extension, "what": describe_content(data)},
    )


def _check_pdf(data: bytes, extension: str) -> None:
    # The PDF header may follow a little junk (the spec allows 1 KB of it); HTML may not.
    if b"%PDF-" not in data[:1024] or _looks_like_html(data):
        raise _mismatch(extension, data)


def _check_ooxml(upload: UploadedFile, data: bytes, extension: str) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise _mismatch(extension, data)
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            expanded = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("This %(ext)s file is damaged and cannot be opened."),
            code="damaged",
            params={"ext": extension},
        ) from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or OOXML_MAIN_PART[extension] not in names:
        raise _mismatch(extension, data)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("This file contains macros. Save it without macros (as %(ext)s) and upload again."),
            code="macros",
            params={"ext": extension},
        )
    if len(entries) > MAX_ZIP_ENTRIES or expanded > max(len(data), 1) * MAX_ZIP_RATIO:
        raise ValidationError(_("This file expands to an unreasonable size."), code="zipbomb")


def _check_image(upload: UploadedFile, data: bytes, extension: str) -> None:
    guess = filetype.guess(data[:8192])
    expected = IMAGE_FORMATS[extension]
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _mismatch(extension, data) from error
    finally:
        upload.seek(0)
    if found != expected or guess is None or not guess.mime.startswith("image/"):
        raise _mismatch(extension, data)


def _plausible(text: str) -> bool:
    """No private-use or control characters beyond line breaks and tabs: real text."""
    return not any(
        unicodedata.category(char) in ("Co", "Cc") and char not in "\t\n\r\f" for char in text
    )


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Shift_JIS (cp932).

    ValueError when none gives plausible text (cp932 decodes almost anything, into
    private-use characters).
    """
    encodings = list(TEXT_ENCODINGS)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings.insert(0, "utf-16")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    raise ValueError("neither UTF-8 nor cp932")


def _check_text(data: bytes, extension: str) -> None:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    binary = b"\x00" in data and not utf16
    if filetype.guess(data[:8192]) is not None or binary or data[:2] == b"MZ":
        raise _mismatch(extension, data)
    try:
        decode_text(data)
    except ValueError as error:
        raise ValidationError(
            _("We read text files in UTF-8 or Shift_JIS. Save the file as UTF-8 and try again."),
            code="encoding",
        ) from error


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Every check, in the order a user can fix them; raises ValidationError with a message."""
    name = safe_filename(upload.name or "")
    extension = file_extension(name)
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            code="too_large",
            params={"size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"},
        )
    if extension not in EXTENSIONS:
        raise ValidationError(ACCEPTED, code="extension")
    data = _read_all(upload)
    guess = filetype.guess(data[:8192])
    if (guess is not None and guess.mime in EXECUTABLE_MIMES) or data[:2] == b"MZ":
        raise _mismatch(extension, data)
    kind = EXTENSIONS[extension]
    if kind == FileKind.PDF:
        _check_pdf(data, extension)
    elif kind in (FileKind.DOCX, FileKind.XLSX, FileKind.PPTX):
        _check_ooxml(upload, data, extension)
    elif kind == FileKind.IMAGE:
        _check_image(upload, data, extension)
    else:
        _check_text(data, extension)
    return CheckedFile(
        upload=upload,
        original_name=name,
        extension=extension,
        kind=kind,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --- names -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def file_extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def safe_filename(name: str, fallback: str = "document") -> str:
    """The last path component, without control or reserved characters, at most 150 chars."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf"))
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    if len(name) > 150:
        extension = file_extension(name)[:10]
        name = name[: 150 - len(extension)].rstrip(" .") + extension
    stem = name[: -len(file_extension(name))] if file_extension(name) else name
    return name if stem.strip(" ._") else f"{fallback}{file_extension(name)}"


def content_disposition(name: str, extension: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987).

    The extension is the one checked against the content, whatever the uploaded name said.
    """
    name = safe_filename(name)
    stem = name[: -len(file_extension(name))] if file_extension(name) else name
    full = f"{stem}{extension}"
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_stem).strip(" ._") or "document"
    if not re.search(r"[A-Za-z0-9]", ascii_stem):
        ascii_stem = "document"
    fallback = f"{ascii_stem}{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(full, safe='')}"
