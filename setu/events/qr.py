"""Ticket QR codes, drawn by the platform (the ``qrcode`` library): SVG for pages, PNG for mail."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(code: str) -> bytes:
    """An SVG QR code holding ``code``; scales to any size on screen and in print."""
    image = qrcode.make(code, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_png(code: str) -> bytes:
    """A PNG QR code holding ``code``, for email attachments (mail clients rarely show SVG)."""
    image = qrcode.make(code, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
