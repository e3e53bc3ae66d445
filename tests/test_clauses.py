"""The sentence reader the attribution and event extractors share: its quick lookups agree with the
plain ones they stand for, on real sentences whose normalisation deletes characters (diacritics)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from marsad.extract import clauses
from marsad.extract.clauses import AGENT_TYPES, PLACE_TYPES, Clause, SentenceReader, sentence_reader
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


def _clauses_to_ask(analysis: Analysis, reader: SentenceReader) -> list[Clause]:
    """The sentences' clauses, and short ranges cut anywhere (mid-word, at punctuation, proclitics)."""
    text = reader.text
    cut = [Clause(0, s, e, None, text) for s in range(0, len(text), 3) for e in range(s + 1, s + 24, 2)]
    whole = [c for i in range(len(analysis.article.sentences)) for c in reader.clauses(i)]
    return whole + [c for c in cut if c.end <= len(text) and re.search(r"\w", text[c.start : c.end])]


@pytest.mark.parametrize("window", [clauses.WORDS_WINDOW, 3])
def test_a_clause_reads_the_words_its_word_list_would_give(
    analysis: Analysis, reader: SentenceReader, window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each question about a clause's words, read where it is asked, answers as its list of words would
    (the ``\\w+`` runs of its range); a small window makes the words before a position be widened for."""
    monkeypatch.setattr(clauses, "WORDS_WINDOW", window)
    for clause in _clauses_to_ask(analysis, reader):
        words = [m.span() for m in re.compile(r"\w+").finditer(clause.text, clause.start, clause.end)]
        assert clause.words_span() == (words[0][0], words[-1][1])
        for pos in range(clause.start - 2, clause.end + 3):
            assert clause.words_from(pos, 2) == [w for w in words if w[0] >= pos][:2]
            for end in range(pos, clause.end + 3):
                inside = [w for w in words if w[0] >= pos and w[1] <= end]
                assert clause.words_between(pos, end) == len(inside)
        for pos in range(clause.start, clause.end + 1):
            for n in (1, 2, 3):
                assert clause.word_starts_before(pos, n) == [s for s, e in words if e <= pos][-n:]
            holding = next((s for s, e in words if s <= pos < e), None)
            assert clause.word_start_at(pos) == (holding if pos < clause.end else None)


def test_a_word_character_is_one_the_word_pattern_matches() -> None:
    """The clause's character test stands for ``\\w`` (letters and digits of any script, the underscore)."""
    sample = BODY + "_ـ٣3aZ é\u064b\u200c-،.«»"
    clause = Clause(0, 0, len(sample), None, sample)
    for pos, char in enumerate(sample):
        assert clause._word_char(pos) == bool(re.match(r"\w", char)), char
