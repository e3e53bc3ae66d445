"""The per-article analysis every extractor reads: normalised text, sentences, dictionary matches."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from marsad.kb.loader import KnowledgeBase
from marsad.models import Article, Span
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import NormalizedText, normalize
from marsad.text.sentences import split_sentences


@dataclass
class Analysis:
    article: Article
    norm: NormalizedText
    matches: dict[str, list[LexMatch]]
    regions: list[tuple[int, int]]  # original ranges that are analysed: title and body paragraphs

    def found(self, category: str) -> list[LexMatch]:
        """Matches of a category that fall inside the analysed regions (title + body)."""
        return [m for m in self.matches.get(category, []) if self.in_regions(self.norm.to_original(m.start))]

    def span(self, norm_start: int, norm_end: int) -> Span:
        """Evidence span in original offsets for a normalised range."""
        start, end = self.norm.span_to_original(norm_start, norm_end)
        return Span(start=start, end=end, text=self.article.text[start:end])

    def original_span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, text=self.article.text[start:end])

    def in_regions(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.regions)

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing original ``offset`` (None outside the body)."""
        sentences = self.article.sentences
        k = bisect_right([s.start for s in sentences], offset) - 1
        if k >= 0 and offset < sentences[k].end:
            return k
        return None


def analyse(article: Article, kb: KnowledgeBase) -> Analysis:
    """Sentence-split the body (into ``article.sentences``), normalise once, scan the lexicon once."""
    article.sentences = split_sentences(article.text, article.paragraphs)
    norm = normalize(article.text)
    regions = [(p.start, p.end) for p in article.paragraphs]
    if article.title is not None:
        regions.insert(0, (article.title.start, article.title.end))
    return Analysis(article, norm, kb.lexicon.scan(norm.text), regions)
