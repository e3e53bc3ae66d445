"""Bytes → text with the encoding detected (UTF-8/16 with BOM, then UTF-8, then detection)."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from marsad.models import RawDocument, Rejection

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes, source: str) -> tuple[str, str] | Rejection:
    """Decode ``data``; a Rejection when it is empty or binary rather than text."""
    if not data.strip():
        return Rejection(source=source, reason="empty", detail="the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in data[:4096]:
        return Rejection(source=source, reason="binary", detail="binary data, not a text or HTML page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["cp1256", "iso8859_6", "utf_8", "cp1252"]).best()
    if best is None:
        return Rejection(source=source, reason="binary", detail="could not detect a text encoding")
    return str(best), best.encoding


def document_from_bytes(data: bytes, source: str, **hints: str | None) -> RawDocument | Rejection:
    decoded = decode_bytes(data, source)
    if isinstance(decoded, Rejection):
        return decoded
    text, encoding = decoded
    return RawDocument(source=source, text=text, encoding=encoding, **hints)
