"""Words, clauses and nearby names of a sentence, in normalised coordinates — shared by the
attribution and event extractors so both read a sentence the same way.

A sentence is cut into clauses at the ``role_marker`` words of role break / continuation /
comparison / relative (``، حيث``, ``، مع``, ``مقارنة مع``, ``، التي``); each clause remembers the
role of the marker that opened it, because a continuation or comparison clause goes on with the
actor of the clause before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from marsad.models import EntityType, Mention
from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch

ROLE_MARKER = "role_marker"
CLAUSE_ROLES = ("break", "continuation", "comparison", "relative")
AGENT_TYPES = (EntityType.ORG, EntityType.GPE, EntityType.PERSON)
PLACE_TYPES = (EntityType.GPE, EntityType.LOC)
_WORD = re.compile(r"\w+")
WORDS_WINDOW = 40  # characters before a position its last words are first looked for in
_START = itemgetter(0)
COMMA = "،"
_NO_MARKERS: tuple[list[int], list[LexMatch]] = ([], [])  # of a role the article has none of (never changed)


def word_start(match: LexMatch) -> int:
    """Where the word of a lexicon hit begins, proclitics and article included."""
    return match.start - len(match.prefix)


@dataclass(slots=True)
class Clause:
    """A clause of a sentence.  Its words are the ``\\w+`` runs of its range (cut at its ends): each
    question about them reads the few words it is about where it is asked, rather than listing the
    clause's words (a clause holds dozens, and an event asks of three or four)."""

    sentence: int
    start: int  # normalised
    end: int
    opened_by: str | None = None  # the clause role of the marker that opened it
    text: str = field(default="", repr=False)  # the normalised article text

    def words_span(self) -> tuple[int, int]:
        """Where the clause's first word begins and its last word ends (a clause has a word, and
        little but a space or a comma before or after it)."""
        start, end = self.start, self.end
        while not self._word_char(start):
            start += 1
        while not self._word_char(end - 1):
            end -= 1
        return start, end

    def word_start_at(self, pos: int) -> int | None:
        """Where the word holding ``pos`` begins (None when ``pos`` is in no word)."""
        if pos >= self.end or not self._word_char(pos):
            return None
        start = pos
        while start > self.start and self._word_char(start - 1):
            start -= 1
        return start

    def word_starts_before(self, pos: int, n: int) -> list[int]:
        """Where the last ``n`` words that end by ``pos`` begin (fewer near the clause's start), read
        in a short window before ``pos`` (widened to the clause's start when it holds too few)."""
        low = max(self.start, pos - WORDS_WINDOW)
        while True:
            starts = [m.start() for m in _WORD.finditer(self.text, low, pos)]
            if starts and pos < self.end and self._word_char(pos - 1) and self._word_char(pos):
                starts.pop()  # the start of the word that goes on past ``pos``
            if low == self.start or len(starts) > n:  # the window's first word may be cut: not read
                return starts[-n:]
            low = self.start

    def words_from(self, pos: int, n: int) -> list[tuple[int, int]]:
        """The spans of the first ``n`` words beginning at or after ``pos``."""
        low = max(pos, self.start)
        spans = []
        for m in _WORD.finditer(self.text, low, self.end):
            if m.start() == low and low > self.start and self._word_char(low - 1):
                continue  # the end of a word that began before ``pos``
            spans.append(m.span())
            if len(spans) == n:
                break
        return spans

    def words_between(self, start: int, end: int) -> int:
        """How many words lie wholly in ``[start, end)``: those found there, but for a word cut at
        either end of the range (a word cut at both is the only one found)."""
        low, high = max(start, self.start), min(end, self.end)
        if low >= high:
            return 0
        found = len(_WORD.findall(self.text, low, high))
        cut_before = low > self.start and self._word_char(low - 1) and self._word_char(low)
        cut_after = high < self.end and self._word_char(high - 1) and self._word_char(high)
        return max(0, found - cut_before - cut_after)

    def _word_char(self, pos: int) -> bool:
        """Whether the character at ``pos`` is one ``\\w`` matches (for a ``str`` pattern: what
        ``str.isalnum`` holds of, and the underscore), without a regex call for one character."""
        char = self.text[pos]
        return char.isalnum() or char == "_"


@dataclass(slots=True)
class NamedMention:
    """An entity mention in normalised coordinates."""

    index: int
    start: int
    end: int
    mention: Mention


def sentence_reader(analysis: Analysis) -> SentenceReader:
    """The article's reader, built once for the attribution and event extractors (rebuilt if the
    sentences, mentions or times it indexes are replaced)."""
    article = analysis.article
    inputs = (article.sentences, article.mentions, article.times)
    return analysis.cached("sentence_reader", inputs, lambda: SentenceReader(analysis))


class SentenceReader:
    """The per-article view both extractors share: clauses, mentions and lexicon hits by position.

    It keeps no reference to the analysis: the analysis caches it (``Analysis.cached``), and a cycle
    between the two would keep each article's whole object graph alive until the garbage collector
    finds it (~0.4 ms of collection per ~500-word article, instead of freeing it by reference count)."""

    def __init__(self, analysis: Analysis) -> None:
        norm = analysis.norm
        self.text = norm.text
        self._to_normalized = norm.to_normalized
        self.mentions = [
            NamedMention(i, norm.to_normalized(m.start), norm.to_normalized(m.end), m)
            for i, m in enumerate(analysis.article.mentions)
        ]
        self._sentences = analysis.article.sentences
        # Converted when first asked for: only sentences with a speech verb or a trigger are read.
        self._sentence_ranges: list[tuple[int, int] | None] = [None] * len(self._sentences)
        self.times = [  # normalised spans of the time expressions
            (norm.to_normalized(t.start), norm.to_normalized(t.end)) for t in analysis.article.times
        ]
        # Markers by role, in text order (the lexicon scan gives them sorted), with their word starts
        # for bisection.  Dozens per article (every في, من, على): one pass sorts them into roles.
        by_role: dict[str, list[LexMatch]] = {}
        for m in analysis.found(ROLE_MARKER):
            value = m.payload
            if value.get("after_comma") and not self._after_comma(m):
                continue
            by_role.setdefault(value["role"], []).append(m)
        self._by_role = {role: ([word_start(m) for m in found], found) for role, found in by_role.items()}
        self.marker_starts = set().union(*(starts for starts, _ in self._by_role.values()))
        # Where clauses may be cut, in text order.
        cuts = [(m.start, role) for role in CLAUSE_ROLES for m in by_role.get(role, [])]
        self._clause_cuts = sorted(cuts, key=_START)
        self._cut_starts = [start for start, _ in self._clause_cuts]
        self._mentions_by_start = sorted(self.mentions, key=attrgetter("start"))
        self._mention_starts = [n.start for n in self._mentions_by_start]
        self._clauses: dict[int, list[Clause]] = {}  # by sentence, cut when first asked for
        self._mention_before: dict[int, NamedMention] | None = None  # by where the word after it starts
        self._starts_of: dict[tuple[str, ...], list[int]] = {}  # marker starts of a set of roles

    def _after_comma(self, marker: LexMatch) -> bool:
        """Whether a comma stands before the marker (one that must follow a comma: "، مع")."""
        pos = word_start(marker) - 1
        while pos >= 0 and self.text[pos] == " ":
            pos -= 1
        return pos >= 0 and self.text[pos] in (COMMA, ",")

    def sentence_range(self, index: int) -> tuple[int, int]:
        """The normalised range of sentence ``index``."""
        known = self._sentence_ranges[index]
        if known is None:
            sentence = self._sentences[index]
            known = self._sentence_ranges[index] = (
                self._to_normalized(sentence.start),
                self._to_normalized(sentence.end),
            )
        return known

    def clauses(self, index: int) -> list[Clause]:
        """The clauses of a sentence, cut once (their words are found once too)."""
        known = self._clauses.get(index)
        if known is None:
            known = self._clauses[index] = self._cut_clauses(index)
        return known

    def _cut_clauses(self, index: int) -> list[Clause]:
        start, end = self.sentence_range(index)
        cuts = self._clause_cuts[bisect_right(self._cut_starts, start) : bisect_left(self._cut_starts, end)]
        bounds = [(start, None), *cuts, (end, None)]
        clauses = []
        for (c_start, opened_by), (c_end, _) in zip(bounds, bounds[1:], strict=False):
            if _WORD.search(self.text, c_start, c_end):
                clauses.append(Clause(index, c_start, c_end, opened_by, self.text))
        return clauses

    def markers_in(self, start: int, end: int, role: str) -> list[LexMatch]:
        """Markers of ``role`` whose word starts in ``[start, end)``."""
        starts, matches = self._by_role.get(role, _NO_MARKERS)
        return matches[bisect_left(starts, start) : bisect_left(starts, end)]

    def has_marker(self, start: int, end: int, roles: tuple[str, ...]) -> bool:
        """Whether a marker of any of ``roles`` has its word start in ``[start, end)``: one bisection
        in their starts, merged when that set of roles is first asked for."""
        starts = self._starts_of.get(roles)
        if starts is None:
            merged = [start for role in roles for start in self._by_role.get(role, _NO_MARKERS)[0]]
            starts = self._starts_of[roles] = sorted(merged)
        k = bisect_left(starts, start)
        return k < len(starts) and starts[k] < end

    def mentions_in(
        self, start: int, end: int, types: tuple[EntityType, ...] = AGENT_TYPES
    ) -> list[NamedMention]:
        """The mentions of ``types`` starting in ``[start, end)``, in text order."""
        starts = self._mention_starts
        window = self._mentions_by_start[bisect_left(starts, start) : bisect_left(starts, end)]
        return [m for m in window if m.mention.type in types]

    def first_mention_in(
        self, start: int, end: int, types: tuple[EntityType, ...] = AGENT_TYPES
    ) -> NamedMention | None:
        """The first mention of ``types`` starting in ``[start, end)``: :meth:`mentions_in` without
        listing the others (the attribution reader asks this of a word or two at a time)."""
        starts = self._mention_starts
        for k in range(bisect_left(starts, start), bisect_left(starts, end)):
            named = self._mentions_by_start[k]
            if named.mention.type in types:
                return named
        return None

    def mention_right_before(self, pos: int) -> NamedMention | None:
        """The mention whose next word starts at ``pos``: a verb's subject, for both extractors (indexed
        when first asked for)."""
        if self._mention_before is None:
            self._mention_before = {n.end + 1: n for n in self.mentions}
        return self._mention_before.get(pos)

    def next_word_start(self, pos: int, end: int) -> int | None:
        m = _WORD.search(self.text, pos, end)
        return m.start() if m else None

    def skip_fillers(self, pos: int, end: int) -> int:
        """Move past filler words (إليه, من جهته, أيضا) and time expressions starting at ``pos``."""
        while True:
            nxt = self.next_word_start(pos, end)
            if nxt is None:
                return pos
            fillers = self.markers_in(nxt, nxt + 1, "filler")
            if fillers:
                pos = fillers[0].end
                continue
            covering = next(((s, e) for s, e in self.times if s <= nxt < e), None)
            if covering is None:
                return nxt
            pos = covering[1]
