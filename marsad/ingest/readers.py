"""Walk paths (files, folders, ``-`` for stdin) and read each into RawDocument or Rejection, streaming.

A file is recognised by its content, not its name: WARC (plain or gzipped), TREC-like ``<DOC>``
collections (the ANT corpus), JSON Lines, HTML or plain text.  A container holding several pages
yields them one by one; a broken record becomes a Rejection naming where it is, and reading goes on.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.ingest.decode import SNIFF_BYTES, decode_bytes, document_from_bytes, sniff_content_type
from marsad.models import RawDocument, Rejection
from marsad.text.normalize import normalize_key, normalize_page

Result = RawDocument | Rejection

_TREC_OPEN_TAG = re.compile(r"<([A-Z]+)>")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Tolerated key names of a JSON Lines record, first found wins.
TEXT_KEYS = ("text", "content", "body", "html", "article", "maintext")
URL_KEYS = ("url", "link", "uri")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "published_at", "publish_date", "time", "datetime", "date_publish")
OUTLET_KEYS = ("outlet", "source", "site", "sitename", "publisher")
SECTION_KEYS = ("section", "category", "cat")
# An abstract whose first characters (spaces aside) are found in the body repeats the body.
ABSTRACT_PROBE_CHARS = 60
# Where an abstract repeats the body it mostly starts it: the probe is first looked for in the body's
# start, these many characters (the spaces and marks among them go, enough letters stay), and only
# then in the whole body.  The probe is taken from as many of the abstract's first characters.
START_CHARS = 2 * ABSTRACT_PROBE_CHARS
_SPACE = re.compile(r"\s")


def iter_documents(paths: Iterable[str]) -> Iterator[Result]:
    for name in paths:
        if name == "-":
            yield from _read_bytes(sys.stdin.buffer.read(), "<stdin>")
            continue
        path = Path(name)
        if path.is_file():  # asked first: most paths name files, and each test is a stat call
            yield from _read_file(str(path))
        elif path.is_dir():
            for child in walk_files(path):
                yield from _read_file(str(child))
        else:
            yield Rejection(source=name, reason="missing", detail="no such file or folder")


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many files the paths name (for a progress bar); None when reading a stream."""
    total = 0
    for name in paths:
        if name == "-":
            return None
        path = Path(name)
        total += sum(1 for _ in walk_files(path)) if path.is_dir() else 1
    return total


def walk_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, depth first in name order, hidden files and folders skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name, reverse=True)
    except OSError:
        return
    while entries:
        entry = entries.pop()  # let go of each entry once used: it keeps the stat a symlink's test made
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from walk_files(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _read_file(source: str) -> Iterator[Result]:
    """A file's pages; the file is read unbuffered (its bytes are taken whole, or streamed by the WARC
    reader, which buffers them itself)."""
    try:
        with open(source, "rb", buffering=0) as stream:
            head = stream.read(SNIFF_BYTES)
            if _is_warc(head) or (not head.strip() and source.endswith(_WARC_SUFFIXES)):
                stream.seek(0)
                yield from _read_warc(stream, source)
                return
            data = head + stream.readall()
    except OSError as exc:
        yield Rejection(source=source, reason="unreadable", detail=exc.strerror or str(exc))
        return
    yield from _read_bytes(data, source, jsonl=source.endswith(_JSONL_SUFFIXES))


def _read_bytes(data: bytes, source: str, *, jsonl: bool = False) -> Iterator[Result]:
    if _is_warc(data[:SNIFF_BYTES]):
        yield from _read_warc(io.BytesIO(data), source)
        return
    decoded = decode_bytes(data, source)
    if isinstance(decoded, Rejection):
        yield decoded
        return
    text, encoding = decoded
    if text.lstrip().startswith("<DOC>"):
        yield from _read_trec(text, source, encoding)
    elif _looks_like_jsonl(text, jsonl):
        yield from _read_jsonl(text, source, encoding)
    else:
        yield RawDocument(source=source, text=text, content_type=sniff_content_type(text), encoding=encoding)


def _is_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(head)).read(8)
        except (OSError, EOFError):
            return False
    return head.startswith(b"WARC/")


# --------------------------------------------------------------------------- WARC


def _read_warc(stream: BinaryIO, source: str) -> Iterator[Result]:
    """Response records holding pages; other responses are rejected as not pages."""
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            where = f"{source}#{record_id.strip('<>')}"
            content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            if not content_type.lower().startswith(_PAGE_TYPES):
                yield Rejection(
                    source=where, reason="not_a_page", detail=f"content type {content_type or '?'}"
                )
                continue
            charset = _CHARSET_PARAM.search(content_type)
            yield document_from_bytes(
                record.content_stream().read(),
                where,
                charset.group(1) if charset else None,
                url=record.rec_headers.get_header("WARC-Target-URI"),
                published_hint=record.rec_headers.get_header("WARC-Date"),
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Rejection(source=source, reason="bad_warc", detail=str(exc).splitlines()[0] if str(exc) else "")


# --------------------------------------------------------------------------- TREC <DOC>


def _read_trec(text: str, source: str, encoding: str) -> Iterator[Result]:
    """``<DOC>`` records as in the ANT corpus; the title, abstract and body make up the text.  A file
    of one record is named by its path, a record among several by ``path#DOCNO``."""
    records = _trec_records(text)
    first, second = next(records, None), next(records, None)
    if first is None:
        yield Rejection(source=source, reason="bad_doc", detail="no complete <DOC>…</DOC> record")
        return
    several = second is not None
    for number, record in enumerate(chain((first,), (second,) if second else (), records), start=1):
        fields = {key: html.unescape(value).strip() for key, value in _trec_fields(record)}
        where = f"{source}#{fields.get('DOCNO') or number}" if several else source
        body = fields.get("TEXT", "")
        abstract = fields.get("ABSTRACT", "")
        if not body and not abstract:
            yield Rejection(source=where, reason="no_text", detail="the <DOC> has no TEXT")
            continue
        title = fields.get("TITLE") or None
        yield RawDocument(
            source=where,
            text=_trec_text(title, abstract, body),
            encoding=encoding,
            url=fields.get("URL") or None,
            outlet=fields.get("SRC") or None,
            published_hint=fields.get("TIME") or None,
            title_hint=title,
            section_hint=fields.get("CAT") or None,
        )


def _trec_records(text: str) -> Iterator[str]:
    """The inside of each complete ``<DOC>…</DOC>``, by plain string search (a lazy ``.*?`` regex
    walks the record character by character)."""
    at = text.find("<DOC>")
    while at >= 0:
        end = text.find("</DOC>", at + len("<DOC>"))
        if end < 0:
            return
        yield text[at + len("<DOC>") : end]
        at = text.find("<DOC>", end + len("</DOC>"))


def _trec_fields(record: str) -> Iterator[tuple[str, str]]:
    """``<NAME>value</NAME>`` pairs in order; a tag that is never closed is not a field."""
    at = 0
    while (tag := _TREC_OPEN_TAG.search(record, at)) is not None:
        name = tag.group(1)
        end = record.find(f"</{name}>", tag.end())
        if end < 0:
            at = tag.start() + 1
            continue
        yield name, record[tag.end() : end]
        at = end + len(name) + len("</>")


def _trec_text(title: str | None, abstract: str, body: str) -> str:
    """The title, the abstract unless it repeats the body, and the body, a blank line apart."""
    with_abstract = "\n\n".join(part for part in (title, abstract, body) if part)
    if _repeats(abstract, body, with_abstract):
        return "\n\n".join(part for part in (title, body) if part)
    return with_abstract


def _repeats(abstract: str, body: str, page: str) -> bool:
    """An abstract that is the start of the body (ANT abstracts often are) adds nothing.  ``page`` is
    the page's text with the abstract, which ends with the body."""
    if body.startswith(abstract):  # over half of ANT's: squeezing, character by character, would agree
        return True
    start = _squeezed_start(abstract, START_CHARS)
    probe = (start if len(start) >= ABSTRACT_PROBE_CHARS else _squeezed(abstract))[:ABSTRACT_PROBE_CHARS]
    return not probe or probe in _squeezed_start(body, START_CHARS) or probe in _squeezed_end(page, body)


def _squeezed(text: str) -> str:
    """What an abstract and a body are compared on: the normalised text without spaces."""
    return normalize_key(text).replace(" ", "")


def _squeezed_end(page: str, body: str) -> str:
    """``_squeezed(body)`` for the body that ends ``page``, read from the page's normalisation: the
    whole body is looked for only where the abstract is no repeat (nearly always), so the page keeps
    the abstract, and its normalisation, which ``normalize_page`` keeps, is the one clean and text
    analysis then read; normalising the body alone would do that work twice.  Normalisation does not
    reach across the blank line before the body, so its slice of the page is the body normalised."""
    norm = normalize_page(page)
    return norm.text[norm.to_normalized(len(page) - len(body)) :].replace(" ", "")


def _squeezed_start(text: str, chars: int) -> str:
    """A start of ``_squeezed(text)``: the text up to the first whitespace after ``chars`` characters,
    normalised alone (normalisation does not reach across a whitespace, so the whole text's starts
    the same), or all of it when the text is not longer."""
    cut = _SPACE.search(text, chars)
    return _squeezed(text if cut is None else text[: cut.start()])


# --------------------------------------------------------------------------- JSON Lines


def _looks_like_jsonl(text: str, by_name: bool) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    if by_name:
        return True
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _read_jsonl(text: str, source: str, encoding: str) -> Iterator[Result]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Rejection(source=where, reason="bad_json", detail=f"line {number}: {exc}")
            continue
        if not isinstance(record, dict):
            yield Rejection(source=where, reason="bad_json", detail=f"line {number}: not a JSON object")
            continue
        if "\\u" in line:  # only an escape can make a lone surrogate
            record = {key: _without_lone_surrogates(value) for key, value in record.items()}
        yield _jsonl_document(record, where, encoding)


def _without_lone_surrogates(value: object) -> object:
    """JSON may escape half a UTF-16 pair (``"\\ud800"``); such a character cannot be written as UTF-8
    (store, exports), so it becomes U+FFFD, as an undecodable byte does.  Whole pairs are one character
    once parsed and are kept."""
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _jsonl_document(record: dict, where: str, encoding: str) -> Result:
    body = _first(record, TEXT_KEYS)
    if not body:
        return Rejection(
            source=where, reason="no_text", detail=f"no text under any of {', '.join(TEXT_KEYS)}"
        )
    content_type = sniff_content_type(body)
    title = _first(record, TITLE_KEYS)
    if content_type == "text" and title and title not in body:
        body = f"{title}\n\n{body}"  # so the title has offsets in the article text
    return RawDocument(
        source=where,
        text=body,
        content_type=content_type,
        encoding=encoding,
        url=_first(record, URL_KEYS),
        outlet=_first(record, OUTLET_KEYS),
        published_hint=_first(record, DATE_KEYS),
        title_hint=title,
        section_hint=_first(record, SECTION_KEYS),
    )


def _first(record: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None
