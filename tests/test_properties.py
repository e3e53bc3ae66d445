"""Property-based fuzzing of the whole pipeline: any text or bytes → an Article or an explained Rejection.

Every stage runs inside ``process``, which turns a crash into ``Rejection(reason="internal_error")``, so
"no stage crashes" is asserted as "no internal_error".  Every Span-typed field anywhere in the Article
must point inside the text and carry exactly the text found there; every index must point at an item.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import SENTENCES, TITLES
from marsad.ingest import decode_bytes
from marsad.ingest.decode import document_from_bytes
from marsad.models import RawDocument, Rejection
from marsad.pipeline import process
from marsad.text.normalize import normalize
from tests.invariants import assert_valid_result

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
