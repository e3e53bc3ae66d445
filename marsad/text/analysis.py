"""The per-article analysis every extractor reads: normalised text, sentences, dictionary matches."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from marsad.kb.loader import KnowledgeBase
from marsad.models import Article, Sentence
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import NormalizedText, normalize_page
from marsad.text.sentences import split_sentences

T = TypeVar("T")
# Categories the extractors ask only whether one of their words begins at a place: the words that end a
# name (entities' stop words), a third of all the lexicon's matches.  The scan gives where their words begin
# (``Analysis.word_starts``) instead of making, sorting and resolving a match for each.
NAME_STOP = "name_stop"
WORD_START_CATEGORIES = (NAME_STOP,)


@dataclass
class Analysis:
    article: Article
    norm: NormalizedText
    matches: dict[str, list[LexMatch]]
    regions: list[tuple[int, int]]  # original ranges that are analysed: title and body paragraphs (fixed)
    # Where the words of each word-start category begin, proclitics included, in the whole text.
    word_starts: dict[str, set[int]]
    _region_starts: list[int] = field(init=False, repr=False)
    _region_ends: list[int] = field(init=False, repr=False)
    _norm_bounds: list[int] = field(init=False, repr=False)
    _keeps_every_match: bool = field(init=False, repr=False)
    _found: dict[str, list[LexMatch]] = field(default_factory=dict, init=False, repr=False)
    _sentence_starts: tuple[list[Sentence], list[int]] | None = field(default=None, init=False, repr=False)
    _derived: dict[str, tuple[tuple[object, ...], object]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        """The regions merged and sorted, for bisection, in original and in normalised offsets."""
        self._region_starts, self._region_ends = [], []
        for start, end in sorted(r for r in self.regions if r[0] < r[1]):
            if self._region_ends and start <= self._region_ends[-1]:
                self._region_ends[-1] = max(self._region_ends[-1], end)
            else:
                self._region_starts.append(start)
                self._region_ends.append(end)
        # Normalised index i is in a region iff its original index is: ``to_normalized`` of a region's
        # bounds is the first normalised index that maps at or after them.  Flat [start, end, start, …]:
        # an odd insertion point means inside.
        to_normalized = self.norm.to_normalized
        self._norm_bounds = [
            to_normalized(o)
            for pair in zip(self._region_starts, self._region_ends, strict=True)
            for o in pair
        ]
        # A match never starts on a space, so gaps between the regions that hold only spaces (the
        # paragraph breaks) drop nothing: with no other gap, found() keeps every match (most articles).
        text = self.norm.text
        gaps = zip([0, *self._norm_bounds[1::2]], [*self._norm_bounds[0::2], len(text)], strict=True)
        self._keeps_every_match = all(not text[start:end].strip() for start, end in gaps)

    def found(self, category: str) -> list[LexMatch]:
        """Matches of a category that fall inside the analysed regions (title + body).  Filtered once
        per category; each caller gets its own list."""
        kept = self._found.get(category)
        if kept is None:
            kept = self.matches.get(category, [])
            if not self._keeps_every_match:
                bounds = self._norm_bounds  # in_normalized_regions, inlined: hundreds of matches per article
                kept = [m for m in kept if bisect_right(bounds, m.start) & 1]
            self._found[category] = kept
        return list(kept)

    def cached(self, key: str, inputs: tuple[object, ...], build: Callable[[], T]) -> T:
        """``build()``, once per article for as long as ``inputs`` (the KB and the article fields it
        reads) are the same objects: several extractors share one derived view (the sentence reader,
        the located sources) instead of each rebuilding it.  Stages assign new lists to the article,
        so identity tells when a view is stale."""
        hit = self._derived.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], inputs, strict=True)):
            return cast(T, hit[1])
        value = build()
        self._derived[key] = (inputs, value)
        return value

    def evidence(self, norm_start: int, norm_end: int) -> dict[str, object]:
        """A normalised range's evidence in the original text: the fields of a :class:`Span`
        (``start``, ``end``, ``text``) as a dict, for the extractors, which validate their records in
        one call per article rather than build a model per span."""
        start, end = self.norm.span_to_original(norm_start, norm_end)
        return {"start": start, "end": end, "text": self.article.text[start:end]}

    def original_text(self, norm_start: int, norm_end: int) -> str:
        """The original text of a normalised range."""
        start, end = self.norm.span_to_original(norm_start, norm_end)
        return self.article.text[start:end]

    def in_regions(self, offset: int) -> bool:
        k = bisect_right(self._region_starts, offset) - 1
        return k >= 0 and offset < self._region_ends[k]

    def in_normalized_regions(self, norm_offset: int) -> bool:
        """:meth:`in_regions` for a normalised offset, without converting it back."""
        return bool(bisect_right(self._norm_bounds, norm_offset) & 1)

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing original ``offset`` (None outside the body)."""
        sentences = self.article.sentences
        cached = self._sentence_starts
        if cached is None or cached[0] is not sentences or len(cached[1]) != len(sentences):
            cached = self._sentence_starts = (sentences, [s.start for s in sentences])  # once per list
        starts = cached[1]
        k = bisect_right(starts, offset) - 1
        if k >= 0 and offset < sentences[k].end:
            return k
        return None


def analyse(article: Article, kb: KnowledgeBase) -> Analysis:
    """Sentence-split the body (into ``article.sentences``), normalise once, scan the lexicon once."""
    article.sentences = split_sentences(article.text, article.paragraphs)
    norm = normalize_page(article.text)
    regions = [(p.start, p.end) for p in article.paragraphs]
    if article.title is not None:
        regions.insert(0, (article.title.start, article.title.end))
    scan = kb.lexicon.scan_article(norm.text, WORD_START_CATEGORIES)
    return Analysis(article, norm, scan.matches, regions, scan.word_starts)
