"""Bytes → text, with the encoding found and named.

Order of evidence: a byte-order mark (UTF-8, UTF-16 LE/BE); strict UTF-8 (bytes of a single-byte
Arabic page almost never form valid UTF-8, so success is conclusive); the charset the page declares
(HTTP header or ``<meta charset>``); then the Arabic single-byte encodings Windows-1256 and
ISO-8859-6, judged by how plausible the decoded text is (detectors confuse the two, since both put
Arabic letters in the upper half, at different places); charset-normalizer for anything else.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from marsad.models import ContentType, RawDocument, Rejection

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures of formats that are not pages (gzip is checked for WARC before it gets here).
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"RIFF",
    b"\x7fELF",
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",
    b"\xd0\xcf\x11\xe0",
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE
)
_ARABIC_SINGLE_BYTE = ("cp1256", "iso8859-6")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_PLAUSIBLE = re.compile(r"[\u0621-\u064a\u060c\u061b\u061f\u0640\u064b-\u0652\u0660-\u0669\x20-\x7e\s]")
# Share of plausible characters (Arabic letters, ASCII, Arabic punctuation) for an Arabic decoding.
MIN_PLAUSIBLE = 0.9
SNIFF_BYTES = 4096
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_HTML_TAG = re.compile(
    r"<(?:p|div|span|a|br|li|ul|h[1-6]|article|section|img|figure|table|meta)\b[^>]*>", re.I
)
# A text with this many markup tags near its start is an HTML fragment even without <html>.
HTML_MIN_TAGS = 5


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> tuple[str, str] | Rejection:
    """Decode ``data`` (``declared``: a charset the container states); a Rejection when it is empty
    or binary rather than text."""
    if not data.strip():
        return Rejection(source=source, reason="empty", detail="the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:SNIFF_BYTES]:
        return Rejection(source=source, reason="binary", detail="binary data, not a text or HTML page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # all valid but a last character cut short (a stream
            return data[: exc.start].decode("utf-8") + "\ufffd", "utf-8"  # or file cut mid-character)
    for charset in (declared, declared_charset(data)):
        decoded = _strict(data, charset)
        if decoded is not None:
            return decoded
    arabic = [d for d in (_strict(data, name) for name in _ARABIC_SINGLE_BYTE) if d is not None]
    if arabic:
        text, encoding = max(arabic, key=lambda d: _plausibility(d[0]))
        if _plausibility(text) >= MIN_PLAUSIBLE and _ARABIC_LETTER.search(text):
            return text, encoding
    best = from_bytes(data).best()
    if best is None:
        return Rejection(source=source, reason="binary", detail="could not detect a text encoding")
    return str(best), codecs.lookup(best.encoding).name


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its ``<meta>`` (None when it declares none)."""
    m = _DECLARED_CHARSET.search(data[:SNIFF_BYTES])
    return m.group(1).decode("ascii") if m else None


def _strict(data: bytes, charset: str | None) -> tuple[str, str] | None:
    if not charset:
        return None
    try:
        encoding = codecs.lookup(charset).name
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):
        return None


def _plausibility(text: str) -> float:
    return len(_PLAUSIBLE.findall(text)) / len(text) if text else 0.0


def document_from_bytes(
    data: bytes, source: str, declared: str | None = None, **hints: str | None
) -> RawDocument | Rejection:
    """One page from its bytes: decoded, and typed as HTML or plain text by sniffing its content."""
    decoded = decode_bytes(data, source, declared)
    if isinstance(decoded, Rejection):
        return decoded
    text, encoding = decoded
    return RawDocument(
        source=source, text=text, content_type=sniff_content_type(text), encoding=encoding, **hints
    )


def sniff_content_type(text: str) -> ContentType:
    """HTML when the text starts like a page (doctype, <html>, <body>) or is dense with tags."""
    head = text[:SNIFF_BYTES]
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head)) >= HTML_MIN_TAGS:
        return "html"
    return "text"
