"""A tiny PDF writer for text in any script: demo documents and tests, no font files needed.

Each line is drawn with a Type0 font (``HeiseiKakuGo-W5``, one of the Japanese fonts every PDF
reader knows by name, not embedded) in Identity-H encoding: every distinct character gets its
own two-byte glyph id, and a ToUnicode map tells text extractors (pdftotext, pypdf) which
character each id stands for. Viewers may draw boxes for scripts the named font lacks; the
text layer is exact, which is what search needs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

FONT_NAME = "HeiseiKakuGo-W5"
PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 40
LINES_PER_PAGE = 50


def _width(char: str) -> int:
    """Glyph width in 1/1000 em: full width for CJK, half for everything else."""
    return 1000 if unicodedata.east_asian_width(char) in ("W", "F") else 500


def _wrap(line: str, font_size: int) -> Iterator[str]:
    """Split ``line`` so that it fits the page (at a space when there is one)."""
    limit = (PAGE_WIDTH - 2 * MARGIN) * 1000 / font_size
    while line:
        used, cut = 0, len(line)
        for index, char in enumerate(line):
            used += _width(char)
            if used > limit:
                cut = index
                break
        if cut < len(line):
            space = line.rfind(" ", 0, cut)
            cut = space + 1 if space > cut // 2 else cut
        yield line[:cut].rstrip()
        line = line[cut:]


def _utf16_hex(char: str) -> str:
    return char.encode("utf-16-be").hex().upper()


def _to_unicode(glyphs: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    pairs = sorted(glyphs.items(), key=lambda item: item[1])
    for start in range(0, len(pairs), 100):  # at most 100 entries per block
        block = pairs[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{gid:04X}> <{_utf16_hex(char)}>" for char, gid in block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def text_pdf(lines: Sequence[str], *, font_size: int = 12) -> bytes:
    """A PDF with ``lines`` of text (wrapped to the page), as many A4 pages as needed."""
    lines = [part for line in lines for part in (list(_wrap(line, font_size)) or [""])]
    glyphs: dict[str, int] = {}
    for line in lines:
        for char in line:
            glyphs.setdefault(char, len(glyphs) + 1)
    if len(glyphs) > 0xFFFE:
        raise ValueError("too many distinct characters for one font")
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, max(len(lines), 1), LINES_PER_PAGE)]
    # objects: 1 catalog, 2 pages, 3 Type0 font, 4 CID font, 5 descriptor, 6 ToUnicode,
    # then per page: page, contents
    objects: dict[int, bytes] = {}
    first_page = 7
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    widths = " ".join(f"{gid} [{_width(char)}]" for char, gid in glyphs.items())
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    objects[3] = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{FONT_NAME} /Encoding /Identity-H "
        f"/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
    ).encode()
    objects[4] = (
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{FONT_NAME} "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor 5 0 R /DW 1000 /W [{widths}] >>"
    ).encode()
    objects[5] = (
        f"<< /Type /FontDescriptor /FontName /{FONT_NAME} /Flags 4 "
        f"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        f"/CapHeight 700 /StemV 80 >>"
    ).encode()
    objects[6] = _stream(_to_unicode(glyphs))
    leading = font_size + 4
    for index, page_lines in enumerate(pages):
        page_id, contents_id = first_page + 2 * index, first_page + 2 * index + 1
        commands = [f"BT /F1 {font_size} Tf {leading} TL {MARGIN} {PAGE_HEIGHT - 50} Td"]
        for line in page_lines:
            codes = "".join(f"{glyphs[char]:04X}" for char in line)
            commands.append(f"<{codes}> Tj T*")
        commands.append("ET")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {contents_id} 0 R >>"
        ).encode()
        objects[contents_id] = _stream("\n".join(commands).encode("ascii"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
