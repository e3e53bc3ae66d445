"""The sentence reader the attribution and event extractors share: its quick lookups agree with the
plain ones they stand for, on real sentences whose normalisation deletes characters (diacritics)."""

from __future__ import annotations

from itertools import combinations

import pytest

from marsad.extract.clauses import AGENT_TYPES, PLACE_TYPES, SentenceReader, sentence_reader
from marsad.extract.entities import extract_entities
from marsad.extract.time import extract_times
from marsad.kb.loader import load_kb
from marsad.models import Article, Span
from marsad.text.analysis import Analysis, analyse

BODY = (
    "وقالَ الرئيسُ التركيُّ رجب طيب أردوغان، يوم الثلاثاء، إن قوات بلاده ستنسحب من قاعدتين في شمال سوريا.\n\n"
    "وأضاف أن الولايات المتحدة أعلنت عن خطة لتقليص قواتها في العراق، مع إغلاق قاعدة عين الأسد."
)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    kb = load_kb()
    paragraphs, start = [], 0
    for text in BODY.split("\n\n"):
        paragraphs.append(Span(start=start, end=start + len(text), text=text))
        start += len(text) + 2
    analysis = analyse(Article(id="test", source="test", text=BODY, paragraphs=paragraphs), kb)
    analysis.article.mentions, analysis.article.entities = extract_entities(analysis, kb)
    analysis.article.times = extract_times(analysis, kb)
    assert analysis.article.mentions and len(analysis.norm.text) < len(BODY)
    return analysis


@pytest.fixture(scope="module")
def reader(analysis: Analysis) -> SentenceReader:
    return sentence_reader(analysis)


def _windows(reader: SentenceReader) -> list[tuple[int, int]]:
    bounds = sorted(
        {0, len(reader.text)} | {n.start for n in reader.mentions} | {n.end for n in reader.mentions}
    )
    return [(a, b) for a, b in combinations(bounds, 2)] + [(a, a + 1) for a in bounds]


def test_first_mention_in_is_the_first_of_mentions_in(reader: SentenceReader) -> None:
    for types in (AGENT_TYPES, PLACE_TYPES):
        for start, end in _windows(reader):
            listed = reader.mentions_in(start, end, types)
            assert reader.first_mention_in(start, end, types) == (listed[0] if listed else None)


def test_has_marker_says_whether_markers_in_lists_one(reader: SentenceReader) -> None:
    for role in ("preposition", "complementizer", "place", "filler"):
        for start, end in _windows(reader):
            assert reader.has_marker(start, end, (role,)) == bool(reader.markers_in(start, end, role))


def test_sentence_ranges_are_converted_when_asked_for(analysis: Analysis) -> None:
    """Asked in any order (the last sentence first), each normalised range maps back to its sentence."""
    reader = SentenceReader(analysis)
    sentences = analysis.article.sentences
    assert len(sentences) >= 2
    for index in reversed(range(len(sentences))):
        start, end = reader.sentence_range(index)
        assert analysis.original_text(start, end) == sentences[index].text
