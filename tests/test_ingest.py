"""Ingest: every input format and encoding becomes RawDocument(s), or a Rejection that says why."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.ingest import decode_bytes, iter_documents
from marsad.ingest.decode import sniff_content_type
from marsad.ingest.readers import ABSTRACT_PROBE_CHARS, _repeats, _squeezed
from marsad.models import Article, RawDocument, Rejection
from marsad.pipeline import process

ANT = Path(__file__).parents[2] / "shared" / "corpus" / "ant-multisource"
SENTENCE = "أعلنت وزارة الصحة في غزة، الأحد، ارتفاع عدد الضحايا إلى 120 شخصا منذ بداية الأسبوع."
PAGE = (
    '<!DOCTYPE html><html lang="ar"><head><meta charset="{charset}"><title>خبر</title></head>'
    "<body><h1>عنوان الخبر</h1><p>{text}</p></body></html>"
)


def read_all(tmp_path: Path, name: str, data: bytes) -> list[RawDocument | Rejection]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(iter_documents([str(path)]))


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SENTENCE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be"),
        ((SENTENCE + "\n" + SENTENCE).encode("cp1256"), "cp1256"),
        ((SENTENCE + "\n" + SENTENCE).encode("iso8859-6"), "iso8859-6"),
    ],
)
def test_each_encoding_is_detected_and_decoded_exactly(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "page")
    assert not isinstance(decoded, Rejection)
    text, found = decoded
    assert found == encoding
    assert text.startswith(SENTENCE)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_utf8_cut_inside_its_last_character_stays_utf8(cut: int) -> None:
    # `head -c N` of an Arabic page ends mid-letter: that is a truncated UTF-8 text, not a binary file.
    data = (SENTENCE + " 😀").encode("utf-8")[:-cut]
    decoded = decode_bytes(data, "<stdin>")
    assert decoded == (SENTENCE + " \ufffd", "utf-8")


def test_declared_html_charset_is_honoured_for_single_byte_arabic(tmp_path: Path) -> None:
    page = PAGE.format(charset="windows-1256", text=SENTENCE).encode("cp1256")
    [doc] = read_all(tmp_path, "page.htm", page)
    assert isinstance(doc, RawDocument)
    assert doc.encoding == "cp1256" and doc.content_type == "html" and SENTENCE in doc.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary"),
        (b"PK\x03\x04" + b"\x00" * 40, "binary"),
        (gzip.compress(SENTENCE.encode()), "binary"),
        (b"text with a NUL\x00 byte in it", "binary"),
    ],
)
def test_empty_and_binary_files_are_rejected_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    [result] = read_all(tmp_path, "input.txt", data)
    assert isinstance(result, Rejection) and result.reason == reason and result.detail


def test_missing_path_is_a_rejection_not_an_error() -> None:
    [result] = list(iter_documents(["/no/such/file.txt"]))
    assert isinstance(result, Rejection) and result.reason == "missing"


def test_a_file_is_named_in_pathlib_form_however_its_path_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "page.txt").write_text(SENTENCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for written in (
        "folder/page.txt",
        "./folder/page.txt",
        "folder//page.txt",
        "folder/./page.txt",
        "folder/page.txt/",
        Path("folder/page.txt"),
        "folder",
        "./folder/",
        Path("folder"),
    ):
        [doc] = list(iter_documents([written]))  # type: ignore[list-item]
        assert isinstance(doc, RawDocument) and doc.source == "folder/page.txt", written


# --------------------------------------------------------------------------- formats


def test_html_is_recognised_by_content_not_by_name() -> None:
    assert sniff_content_type(PAGE.format(charset="utf-8", text=SENTENCE)) == "html"
    fragment = "<div class='story'><p>" + "</p><p>".join([SENTENCE] * 5) + "</p></div>"
    assert sniff_content_type(fragment) == "html"
    assert sniff_content_type(SENTENCE + "\nقال إن 3 < 5 وإن الفارق <كبير>.") == "text"


def test_json_lines_tolerate_key_names_and_survive_a_bad_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"title": "عنوان أول", "content": SENTENCE, "link": "https://example.com/1", "site": "موقع"}
        ),
        '{"text": "سطر مقطوع',
        json.dumps({"body": "<html><body><p>" + SENTENCE + "</p></body></html>", "published": "2025-05-28"}),
        json.dumps({"url": "https://example.com/3"}),
    ]
    results = read_all(tmp_path, "feed.jsonl", "\n".join(lines).encode())
    first, bad, second, empty = results
    assert isinstance(first, RawDocument) and first.text.startswith("عنوان أول") and SENTENCE in first.text
    assert (first.url, first.outlet, first.title_hint) == ("https://example.com/1", "موقع", "عنوان أول")
    assert isinstance(bad, Rejection) and bad.reason == "bad_json" and bad.source.endswith("#2")
    assert "line 2" in bad.detail
    assert isinstance(second, RawDocument) and second.content_type == "html"
    assert second.published_hint == "2025-05-28"
    assert isinstance(empty, Rejection) and empty.reason == "no_text"


def test_json_lines_with_half_a_utf16_pair_become_articles_that_can_be_written(tmp_path: Path) -> None:
    # "\ud800" alone is valid JSON but no character: it must not reach the store or an export.
    text = SENTENCE + r" \ud83d\ude00 \udfff"
    line = r'{"title": "عنوان \ud800", "text": "' + text + '"}'
    (document,) = read_all(tmp_path, "feed.jsonl", line.encode())
    assert isinstance(document, RawDocument)
    assert document.title_hint == "عنوان \ufffd"
    assert document.text.endswith(SENTENCE + " \U0001f600 \ufffd")
    article = process(document)
    assert isinstance(article, Article)
    article.model_dump_json()  # raised PydanticSerializationError before


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for uri, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(payload),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2025-05-28T13:48:00Z"},
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_responses_become_html_documents_with_url_and_date(tmp_path: Path) -> None:
    page = PAGE.format(charset="windows-1256", text=SENTENCE).encode("cp1256")
    data = _warc(
        [
            ("https://www.eremnews.com/news/1", "text/html; charset=windows-1256", page),
            ("https://www.eremnews.com/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ]
    )
    page_doc, image = read_all(tmp_path, "crawl.warc.gz", data)
    assert isinstance(page_doc, RawDocument) and page_doc.content_type == "html"
    assert page_doc.url == "https://www.eremnews.com/news/1"
    assert page_doc.published_hint == "2025-05-28T13:48:00Z"
    assert page_doc.encoding == "cp1256" and SENTENCE in page_doc.text
    assert isinstance(image, Rejection) and image.reason == "not_a_page" and "image/png" in image.detail


TREC = """<DOC>
<DOCNO>SK-middleEast-1-20180223</DOCNO>
<URL>https://www.skynewsarabia.com/middle-east/1</URL>
<SRC>SkyNews</SRC>
<CAT>middleEast</CAT>
<TITLE>الأمم المتحدة تدعو إلى هدنة في الغوطة</TITLE>
<TIME>Fri, 23 Feb 2018 10:37:34 GMT</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
دعت الأمم المتحدة إلى هدنة إنسانية في الغوطة الشرقية
</ABSTRACT>
<TEXT>
دعت الأمم المتحدة إلى هدنة إنسانية في الغوطة الشرقية لمدة 30 يوما.
وقال المتحدث إن الوضع الإنساني كارثي &amp; يزداد سوءا.
</TEXT>
</DOC>
<DOC>
<DOCNO>BB-world-2-20180224</DOCNO>
<TITLE>عنوان ثان</TITLE>
<TIME>Sat, 24 Feb 2018 08:00:00 GMT</TIME>
<ABSTRACT>ملخص مختلف عن النص كتبه المحرر.</ABSTRACT>
<TEXT>نص الخبر الثاني.</TEXT>
</DOC>
"""


def test_trec_doc_files_yield_one_document_per_doc_with_hints(tmp_path: Path) -> None:
    first, second = read_all(tmp_path, "collection.txt", TREC.encode())
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.source.endswith("#SK-middleEast-1-20180223")
    assert first.title_hint == "الأمم المتحدة تدعو إلى هدنة في الغوطة"
    assert first.text.startswith(first.title_hint + "\n\n")
    assert first.text.count("دعت الأمم المتحدة") == 1  # the abstract repeats the body: left out
    assert "كارثي & يزداد" in first.text
    assert (first.url, first.outlet, first.section_hint) == (
        "https://www.skynewsarabia.com/middle-east/1",
        "SkyNews",
        "middleEast",
    )
    assert first.published_hint == "Fri, 23 Feb 2018 10:37:34 GMT"
    assert second.text == "عنوان ثان\n\nملخص مختلف عن النص كتبه المحرر.\n\nنص الخبر الثاني."


def test_an_abstract_repeating_the_body_is_left_out_however_it_is_written(tmp_path: Path) -> None:
    body = "دعت الأمم المتحدة إلى هدنة إنسانية في الغوطة الشرقية لمدة 30 يوما."
    abstracts = (
        "دعت الأمم المتحدة إلى هدنة إنسا",  # the body's start, cut inside a word
        "دَعَت  الامم المتحدة الى هدنة",  # the same words, with marks, other hamzas and spaces
        "لمدة ٣٠ يوما",  # a later part of the body, in other digits
    )
    for abstract in abstracts:
        record = f"<DOC><TITLE>هدنة</TITLE><ABSTRACT>{abstract}</ABSTRACT><TEXT>{body}</TEXT></DOC>"
        [document] = read_all(tmp_path, "one.txt", record.encode())
        assert document.text == f"هدنة\n\n{body}"


# Words, marks, hamzas, digits, whitespace, and letters lower-cased by their place (Σ, İ).
ABSTRACT_PIECES = ["دعت", "الأمم", "الامم", "دَعَت", "ٱ", "ً", "ـ", "٣٠", "30", "Σ", "İ", "x"]
ABSTRACT_PIECES += [" ", "  ", "\n", "\xa0"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(ABSTRACT_PIECES), max_size=40),
    st.lists(st.sampled_from(ABSTRACT_PIECES), max_size=80),
    st.sampled_from(["", "هدنة", "ΝΕΟΣ İ"]),
)
def test_an_abstract_repeats_the_body_when_its_squeezed_start_is_in_the_squeezed_body(
    abstract_pieces: list[str], body_pieces: list[str], title: str
) -> None:
    """The abstract's probe is looked for in the body's squeezed start, then in the body read from the
    page's normalisation: it must find what squeezing the whole body alone finds."""
    abstract, body = "".join(abstract_pieces).strip(), "".join(body_pieces).strip()
    page = "\n\n".join(part for part in (title, abstract, body) if part)
    probe = _squeezed(abstract)[:ABSTRACT_PROBE_CHARS]
    assert _repeats(abstract, body, page) == (not probe or probe in _squeezed(body))


def test_folders_are_read_recursively_in_order_skipping_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b" / "2.txt").write_text("الثاني", encoding="utf-8")
    (tmp_path / "a.txt").write_text("الأول", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (tmp_path / ".cache" / "x.txt").write_text("مخفي", encoding="utf-8")
    texts = [doc.text for doc in iter_documents([str(tmp_path)]) if isinstance(doc, RawDocument)]
    assert texts == ["الأول", "الثاني"]


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SENTENCE.encode("cp1256"))))
    [doc] = list(iter_documents(["-"]))
    assert isinstance(doc, RawDocument) and doc.source == "<stdin>" and doc.text == SENTENCE


def test_an_ant_corpus_file_reads_as_its_article() -> None:
    files = sorted((ANT / "BBC").rglob("*.txt"))[:1] if ANT.is_dir() else []
    if not files:
        pytest.skip("ANT corpus not available")
    raw = files[0].read_text(encoding="utf-8")
    [doc] = list(iter_documents([str(files[0])]))
    assert isinstance(doc, RawDocument) and doc.title_hint and doc.published_hint
    assert f"<TITLE>{doc.title_hint}</TITLE>" in raw
    assert doc.text.startswith(doc.title_hint) and "<TEXT>" not in doc.text
    assert doc.source == str(files[0])  # a file of one record is named by its path


def test_a_truncated_doc_file_is_rejected(tmp_path: Path) -> None:
    [result] = read_all(tmp_path, "cut.txt", TREC.split("</DOC>")[0].encode())
    assert isinstance(result, Rejection) and result.reason == "bad_doc"
