"""One Aho-Corasick automaton for every dictionary Marsad matches, clitic-aware.

Every list in the knowledge base (entity aliases, demonyms, titles, month names, number words, unit
nouns, event triggers, attribution cues, time words …) is added here under a *category*.  An
article's normalised text is scanned once; each extractor then asks for the matches of its own
categories.  Arabic attaches clitics to words, so a dictionary form matches:

* after proclitics ``و ف`` then ``ب ل ك`` (``وبسوريا``, ``لإسرائيل``), and ``لـ`` with tatweel/quotes;
* for forms written with the article ``ال``: after ``ال``/``لل`` + proclitics (``للتحالف``, ``وبالولايات``);
  for forms with ``article=True`` (adjectives, common nouns) the article may be added (``الروسية``);
* before the suffixes the entry allows (``ة``, ``ين`` … for adjectives and plurals).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick

from marsad.text.normalize import normalize_key

_WORD = re.compile(r"[0-9a-z\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_WORD_RUN = re.compile(_WORD.pattern + "+")
# Proclitic strings allowed before a bare word / before a word that carries the article.
_PROCLITICS_BARE = frozenset(
    {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "س", "وس", "فس"}
)
_PROCLITICS_ARTICLE = frozenset({p + "ال" for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")}) | {
    "لل",
    "ولل",
    "فلل",
}
_MAX_PREFIX = 4


@dataclass(frozen=True, slots=True)
class Entry:
    """A dictionary form under a category, with what it means (``payload``) and how it may inflect."""

    category: str
    payload: Any
    surface: str
    had_article: bool = False
    article: bool = False
    suffixes: tuple[str, ...] = ()
    proclitics: bool = True
    prefixes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        allowed = _allowed_prefixes(self.had_article, self.article, self.proclitics)
        object.__setattr__(self, "prefixes", allowed)  # frozen: set once, here


@dataclass(frozen=True, slots=True)
class LexMatch:
    """A dictionary hit in normalised coordinates: ``[start, end)`` covers the word without its
    proclitics and with its suffix; ``prefix`` is the clitic string that preceded it."""

    start: int
    end: int
    entry: Entry
    prefix: str
    suffix: str

    @property
    def payload(self) -> Any:
        return self.entry.payload


@dataclass
class Lexicon:
    """Build with :meth:`add`, then :meth:`freeze`; :meth:`scan` a normalised text once per article."""

    _entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    _automaton: Any = None

    def add(
        self,
        category: str,
        surface: str,
        payload: Any,
        *,
        article: bool = False,
        suffixes: tuple[str, ...] | list[str] = (),
        proclitics: bool = True,
    ) -> None:
        key = normalize_key(surface)
        if not key:
            return
        # The article is a plain alef-lam: آلاف, ألفين, إلغاء begin with a hamza-alef, not with "ال".
        hamza_initial = surface.lstrip().startswith(("أ", "إ", "آ"))
        had_article = key.startswith("ال") and len(key) > 3 and not hamza_initial
        bare = key[2:] if had_article else key
        entry = Entry(category, payload, surface, had_article, article, tuple(suffixes), proclitics)
        self._entries[bare].append(entry)
        self._automaton = None

    def freeze(self) -> None:
        automaton = ahocorasick.Automaton()
        for key, entries in self._entries.items():
            suffixed = any(entry.suffixes for entry in entries)  # may match inside a longer word
            automaton.add_word(key, (len(key), tuple(entries), suffixed))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, norm: str) -> dict[str, list[LexMatch]]:
        """All valid matches by category, each category resolved leftmost-longest without overlaps."""
        if self._automaton is None:
            self.freeze()
        found: dict[str, list[LexMatch]] = defaultdict(list)
        if not self._entries:
            return found
        words = _Words(norm)
        size = len(norm)
        for last, (length, entries, suffixed) in self._automaton.iter(norm):
            end = last + 1
            bounded = end == size or not _WORD.match(norm, end)
            if not (bounded or suffixed):  # half the hits: a form inside a longer word
                continue
            start = end - length
            prefix = words.prefix_before(start)
            if prefix is None:
                continue
            for entry in entries:
                if prefix not in entry.prefixes:
                    continue
                match = (
                    LexMatch(start, end, entry, prefix, "")
                    if bounded
                    else _suffixed(norm, start, end, prefix, entry)
                )
                if match is not None:
                    found[entry.category].append(match)
        return defaultdict(list, {cat: _leftmost_longest(ms) for cat, ms in found.items()})


class _Words:
    """Where the words of a text begin and end (one regex pass), to find a hit's proclitics by
    bisection instead of walking back character by character."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _WORD_RUN.finditer(norm):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def prefix_before(self, start: int) -> str | None:
        """The clitic string between the previous word boundary and ``start`` (None when too long)."""
        k = bisect_right(self.starts, start - 1) - 1
        if k < 0 or self.ends[k] < start:  # the character before ``start`` is no word character
            return ""
        if start - self.starts[k] > _MAX_PREFIX:
            return None
        return self.norm[self.starts[k] : start]


@cache
def _allowed_prefixes(had_article: bool, article: bool, proclitics: bool) -> frozenset[str]:
    """Every clitic string an entry of this kind may follow (one shared set per kind)."""
    if had_article:
        return _PROCLITICS_ARTICLE
    bare = _PROCLITICS_BARE if proclitics else {""}
    if article:
        return frozenset(bare | (_PROCLITICS_ARTICLE if proclitics else {"ال"}))
    return frozenset(bare)


def _suffixed(norm: str, start: int, end: int, prefix: str, entry: Entry) -> LexMatch | None:
    """The match when the word goes on past ``end``: only with one of the entry's suffixes."""
    for suffix in entry.suffixes:
        stop = end + len(suffix)
        if norm.startswith(suffix, end) and (stop == len(norm) or not _WORD.match(norm, stop)):
            return LexMatch(start, stop, entry, prefix, suffix)
    return None


def _leftmost_longest(matches: list[LexMatch]) -> list[LexMatch]:
    """Keep the longest match at each place; a longer earlier match hides those inside it."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[LexMatch] = []
    reach = -1
    for m in matches:
        if m.start >= reach:
            kept.append(m)
            reach = m.end
        elif kept and m.start == kept[-1].start and m.end == kept[-1].end:
            kept.append(m)  # same span, another reading (ambiguous surface): keep both
    return kept
