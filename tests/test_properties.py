"""Property-based fuzzing of the whole pipeline: any text or bytes → an Article or an explained Rejection.

Every stage runs inside ``process``, which turns a crash into ``Rejection(reason="internal_error")``, so
"no stage crashes" is asserted as "no internal_error".  Every Span-typed field anywhere in the Article
must point inside the text and carry exactly the text found there; every index must point at an item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bench.corpus import SENTENCES, TITLES
from marsad.ingest import decode_bytes
from marsad.ingest.decode import document_from_bytes
from marsad.models import Article, RawDocument, Rejection, Span
from marsad.pipeline import process
from marsad.text.normalize import normalize

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKUP = (
    "<p>", "</p>", "<div class='comment'>", "</div>", "<br/>", "<!--", "-->", "&nbsp;", "&amp;",
    "<script>var a = '<p>';</script>", "<style>p{color:red}</style>", "&#1575;&#1604;", "</a>",
    '<a href="/ar/news?id=1">', "<h1>", "</h1>", "<![CDATA[", "]]>", "<title>", "</title>",
    "<DOC>", "<TEXT>", "</TEXT>", "</DOC>",
)  # fmt: skip
SPECIALS = (
    "\u200f\u200e\u202b\u202c\u2067\u2069\u061c"  # RTL/LTR marks, embeddings, isolates, Arabic letter mark
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"  # diacritics, dagger alef, tatweel
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳٫٬،؛؟"  # Arabic-Indic and Persian digits, Arabic punctuation
    "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\r\t\n\u2028\u2029\ufeff\ufffd\u00ad"  # control and odd white space
    "أإآاىيةهـوبلفك \"'«»().-%$/"
)
PIECES = st.one_of(
    st.sampled_from(SENTENCES + TITLES),
    st.sampled_from(MARKUP),
    st.text(alphabet=st.sampled_from(SPECIALS), max_size=12),
    st.text(max_size=8),  # anything Unicode
)
SEPARATORS = st.sampled_from(["", " ", "\n", "\n\n", "\r\n", "\t"])
TEXTS = st.lists(st.tuples(PIECES, SEPARATORS), max_size=14).map(
    lambda parts: "".join(a + b for a, b in parts)
)
BYTES = st.one_of(
    st.binary(max_size=400),
    st.tuples(
        TEXTS, st.sampled_from(["utf-8", "utf-8-sig", "cp1256", "iso8859_6", "utf-16", "utf-16-le"])
    ).map(lambda pair: pair[0].encode(pair[1], errors="replace")),
)
_REASON = re.compile(r"[a-z][a-z_]*")


def iter_spans(value: object, path: str = "article") -> Iterator[tuple[str, Span]]:
    """Every Span (of any subclass) reachable from ``value``, with where it was found."""
    if isinstance(value, Span):
        yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_spans(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_spans(item, f"{path}[{i}]")


def assert_valid_result(result: Article | Rejection) -> None:
    """The contract every pipeline result meets (shared with the robustness tests)."""
    assert isinstance(result, Article | Rejection)
    if isinstance(result, Rejection):
        assert _REASON.fullmatch(result.reason) and result.detail, result
        assert result.reason != "internal_error", f"a stage crashed: {result.detail}"
        return
    text = result.text
    for path, span in iter_spans(result):
        assert 0 <= span.start <= span.end <= len(text), f"{path} [{span.start}, {span.end}) outside the text"
        assert text[span.start : span.end] == span.text, (
            f"{path}: {span.text!r} is not the text at its offsets"
        )
    _assert_indexes_point_at_items(result)


def _assert_indexes_point_at_items(article: Article) -> None:
    def inside(index: int | None, items: list) -> bool:
        return index is None or 0 <= index < len(items)

    assert all(inside(s.paragraph, article.paragraphs) for s in article.sentences)
    assert all(inside(a.sentence, article.sentences) for a in article.attributions)
    assert all(inside(q.part_of, article.quantities) and inside(q.change_to, article.quantities)
               for q in article.quantities)  # fmt: skip
    for event in article.events:
        assert inside(event.sentence, article.sentences) and inside(event.time, article.times)
        assert inside(event.attribution, article.attributions)
        assert all(inside(q, article.quantities) for q in event.quantities)
    entity_ids = {e.id for e in article.entities}
    assert all(m.entity_id in entity_ids for m in article.mentions)


@FUZZ
@given(text=TEXTS, content_type=st.sampled_from(["text", "html"]))
def test_any_text_becomes_an_article_or_an_explained_rejection(text: str, content_type: str) -> None:
    assert_valid_result(process(RawDocument(source="fuzz", text=text, content_type=content_type)))


@FUZZ
@given(data=BYTES)
def test_any_bytes_become_an_article_or_an_explained_rejection(data: bytes) -> None:
    document = document_from_bytes(data, "fuzz.html")
    assert_valid_result(document if isinstance(document, Rejection) else process(document))


@FUZZ
@given(data=BYTES)
def test_decoding_either_gives_text_or_says_why_not(data: bytes) -> None:
    decoded = decode_bytes(data, "fuzz")
    if isinstance(decoded, Rejection):
        assert decoded.reason in {"empty", "binary"} and decoded.detail
    else:
        text, encoding = decoded
        assert isinstance(text, str) and encoding


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_every_normalised_span_maps_back_inside_the_original(text: str) -> None:
    norm = normalize(text)
    for i in range(len(norm.text) + 1):
        start, end = norm.span_to_original(min(i, len(norm.text)), len(norm.text))
        assert 0 <= start <= end <= len(text)
