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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from marsad.text.normalize import normalize_key

_WORD = re.compile(r"[0-9a-z\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")
# Proclitic strings allowed before a bare word / before a word that carries the article.
_PROCLITICS_BARE = {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "س", "وس", "فس"}
_PROCLITICS_ARTICLE = {p + "ال" for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")} | {
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
            automaton.add_word(key, (key, tuple(entries)))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, norm: str) -> dict[str, list[LexMatch]]:
        """All valid matches by category, each category resolved leftmost-longest without overlaps."""
        if self._automaton is None:
            self.freeze()
        found: dict[str, list[LexMatch]] = defaultdict(list)
        if not self._entries:
            return found
        for last, (key, entries) in self._automaton.iter(norm):
            start = last - len(key) + 1
            end = last + 1
            prefix = _prefix_before(norm, start)
            if prefix is None:
                continue
            for entry in entries:
                match = _accept(norm, start, end, prefix, entry)
                if match is not None:
                    found[entry.category].append(match)
        return defaultdict(list, {cat: _leftmost_longest(ms) for cat, ms in found.items()})


def _prefix_before(norm: str, start: int) -> str | None:
    """The clitic string between the previous word boundary and ``start`` (None when too long)."""
    i = start
    while i > 0 and _WORD.match(norm, i - 1):
        i -= 1
        if start - i > _MAX_PREFIX:
            return None
    return norm[i:start]


def _prefix_allowed(prefix: str, entry: Entry) -> bool:
    if entry.had_article:
        return prefix in _PROCLITICS_ARTICLE
    if entry.article and prefix in _PROCLITICS_ARTICLE:
        return entry.proclitics or prefix == "ال"
    return prefix == "" or (entry.proclitics and prefix in _PROCLITICS_BARE)


def _accept(norm: str, start: int, end: int, prefix: str, entry: Entry) -> LexMatch | None:
    if not _prefix_allowed(prefix, entry):
        return None
    if end == len(norm) or not _WORD.match(norm, end):
        return LexMatch(start, end, entry, prefix, "")
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
