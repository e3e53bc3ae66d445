"""One Aho-Corasick automaton for every dictionary Marsad matches, clitic-aware.

Every list in the knowledge base (entity aliases, demonyms, titles, month names, number words, unit
nouns, event triggers, attribution cues, time words …) is added here under a *category*.  An
article's normalised text is scanned once; each extractor then asks for the matches of its own
categories.  Arabic attaches clitics to words, so a dictionary form matches:

* after proclitics ``و ف`` then ``ب ل ك`` (``وبسوريا``, ``لإسرائيل``), and ``لـ`` with tatweel/quotes;
* for forms written with the article ``ال``: after ``ال``/``لل`` + proclitics (``للتحالف``, ``وبالولايات``);
  for forms with ``article=True`` (adjectives, common nouns) the article may be added (``الروسية``);
* before the suffixes the entry allows (``ة``, ``ين`` … for adjectives and plurals).

The word boundary and the proclitics are part of the automaton's keys (see :meth:`Lexicon.freeze`), so
the scan meets only valid readings and does no per-hit word search.

A caller that asks of a category only whether one of its words begins at a place (the words that end a
name: a third of all matches) names it among the scan's *word-start categories*: for those the scan records
where each matched word begins, proclitics included, and makes no matches (see :meth:`Lexicon.scan_article`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, TypeVar, cast

import ahocorasick
from pydantic import BaseModel

from marsad.text.normalize import normalize_key

_WORD_CHARS = "0-9a-z\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
# Every character that ends a word, but the space, which already does (so it is not replaced for nothing).
_NON_WORD = re.compile(f"[^ {_WORD_CHARS}]")
# Proclitic strings allowed before a bare word / before a word that carries the article.
_PROCLITICS_BARE = frozenset(
    {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "س", "وس", "فس"}
)
Meaning = TypeVar("Meaning", bound=BaseModel)
_PROCLITICS_ARTICLE = frozenset({p + "ال" for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")}) | {
    "لل",
    "ولل",
    "فلل",
}


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
    _meanings: dict[type[BaseModel], BaseModel] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        allowed = _allowed_prefixes(self.had_article, self.article, self.proclitics)
        object.__setattr__(self, "prefixes", allowed)  # frozen: set once, here

    def meaning(self, model: type[Meaning]) -> Meaning:
        """The payload read as ``model``, validated once per entry (not once per match)."""
        known = self._meanings.get(model)
        if known is None:
            known = self._meanings[model] = model.model_validate(self.payload)
        return cast(Meaning, known)


class LexMatch(NamedTuple):
    """A dictionary hit in normalised coordinates: ``[start, end)`` covers the word without its
    proclitics and with its suffix; ``prefix`` is the clitic string that preceded it.  A named tuple:
    an article has a few hundred, and a tuple is the cheapest immutable record to make."""

    start: int
    end: int
    entry: Entry
    prefix: str
    suffix: str

    # What the entry means; read hundreds of times per article, so a C getter, not a Python function.
    payload = property(attrgetter("entry.payload"))


class Scan(NamedTuple):
    """What one scan found: the matches by category, and for each word-start category the places where
    its words begin (proclitics included)."""

    matches: dict[str, list[LexMatch]]
    word_starts: dict[str, set[int]]


# Each group's entries beside their category's index, but those of the word-start categories; and beside
# each group, the word-start categories (by position in the scan's tuple) it held entries of.
_SplitGroups = tuple[list[tuple[tuple[int, Entry], ...]], list[tuple[int, ...]]]


# How an automaton key reads: (proclitics, length of the dictionary form, 1 when the key ends with the
# boundary space else 0, index of the group of entries that may follow these proclitics, None) - or, when
# the text must be compared with the form, (…, -1, the group of each form).  Forms that differ only in
# characters the scan marks as spaces (``$ % € £``) share key and span, so one reading compares the text
# once for all of them.  Plain tuples and dicts of strings and numbers, which the garbage collector stops
# tracking: the ~50,000 keys then cost a full collection nothing.
_Reading = tuple[str, int, int, int, dict[str, int] | None]


@dataclass
class Lexicon:
    """Build with :meth:`add`, then :meth:`freeze`; :meth:`scan` a normalised text once per article."""

    _entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    _automaton: Any = None
    _categories: list[str] = field(default_factory=list)
    # Each group's entries beside their category's index: a hit appends to a list picked by position.
    _groups: list[tuple[tuple[int, Entry], ...]] = field(default_factory=list)
    # The readings of forms made only of characters the scan marks as spaces (``% $ ؛``), by proclitic
    # string: as automaton keys they would be spaces, hit at every punctuation mark (a quarter of all
    # hits), so the scan looks for the forms' first characters instead.
    _symbol_readings: dict[str, tuple[_Reading, ...]] = field(default_factory=dict)
    # Their first characters: a few ``in`` tests tell whether a text holds one (most do not), several
    # times faster than a search for the class, which is kept to find where.
    _symbol_firsts: str = ""
    _symbol_start: re.Pattern[str] | None = None
    # The groups split for each tuple of word-start categories a scan was asked for (made once each).
    _split_groups: dict[tuple[str, ...], _SplitGroups] = field(default_factory=dict)

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
        if any(" " in _NON_WORD.sub(" ", suffix) for suffix in suffixes):
            raise ValueError(f"{category}: a suffix of {surface!r} holds a character that ends a word")
        # The article is a plain alef-lam: آلاف, ألفين, إلغاء begin with a hamza-alef, not with "ال".
        hamza_initial = surface.lstrip().startswith(("أ", "إ", "آ"))
        had_article = key.startswith("ال") and len(key) > 3 and not hamza_initial
        bare = key[2:] if had_article else key
        entry = Entry(category, payload, surface, had_article, article, tuple(suffixes), proclitics)
        entries = self._entries[bare]
        if not any(_same_reading(entry, known) for known in entries):
            entries.append(entry)
            self._automaton = None

    def freeze(self) -> None:
        """The automaton scans the text with every non-word character turned into a space and a space
        at both ends, and each key carries its word boundary: a space, the proclitics, the form, then a
        space unless the form may take a suffix.  So every hit is a form at a word start behind allowed
        proclitics; only forms that hold a character other than a letter, a digit or a space
        (multi-word names, ``u.s.``, ``%``) need the text compared.  One key per form and proclitic
        string: about 50,000 keys, ~12 MB.  Forms with no letter or digit (``%``) are kept out of the
        automaton: see ``_symbol_readings``."""
        readings: dict[str, dict[tuple[str, int], _Reading]] = defaultdict(dict)  # by key, by span
        symbol_readings: dict[str, dict[tuple[str, int], _Reading]] = defaultdict(dict)  # the same, apart
        self._categories = sorted({entry.category for entries in self._entries.values() for entry in entries})
        category_index = {category: i for i, category in enumerate(self._categories)}
        self._groups = []
        self._split_groups = {}
        for key, entries in self._entries.items():
            closed = 0 if any(entry.suffixes for entry in entries) else 1  # may go on into a suffix
            marked = _NON_WORD.sub(" ", key)
            groups: dict[tuple[int, ...], int] = {}  # the entries (by position) that share proclitics
            for prefix in sorted(frozenset().union(*(entry.prefixes for entry in entries))):
                allowed = tuple(i for i, entry in enumerate(entries) if prefix in entry.prefixes)
                if allowed not in groups:
                    groups[allowed] = len(self._groups)
                    self._groups.append(
                        tuple((category_index[entries[i].category], entries[i]) for i in allowed)
                    )
                automaton_key = f" {prefix}{marked}{' ' * closed}"
                key_readings = (symbol_readings if marked.isspace() else readings)[automaton_key]
                if " " not in marked:
                    key_readings[prefix, len(key)] = (prefix, len(key), closed, groups[allowed], None)
                else:
                    compared = key_readings.setdefault((prefix, len(key)), (prefix, len(key), closed, -1, {}))
                    cast(dict[str, int], compared[4])[key] = groups[allowed]
        automaton = ahocorasick.Automaton()
        for automaton_key, key_readings in readings.items():
            automaton.add_word(automaton_key, tuple(key_readings.values()))
        automaton.make_automaton()
        self._automaton = automaton
        by_prefix: dict[str, list[_Reading]] = defaultdict(list)
        for key_readings in symbol_readings.values():
            for reading in key_readings.values():
                by_prefix[reading[0]].append(reading)
        self._symbol_readings = {prefix: tuple(readings) for prefix, readings in by_prefix.items()}
        first = sorted({form[0] for readings in by_prefix.values() for r in readings for form in r[4] or ()})
        self._symbol_firsts = "".join(first)
        self._symbol_start = re.compile(f"[{re.escape(self._symbol_firsts)}]") if first else None

    def scan(self, norm: str) -> dict[str, list[LexMatch]]:
        """All valid matches by category, each category resolved leftmost-longest without overlaps."""
        return self.scan_article(norm, ()).matches

    def scan_article(self, norm: str, word_start_categories: tuple[str, ...]) -> Scan:
        """:meth:`scan`, but for each of ``word_start_categories`` only where its matched words begin,
        proclitics included: no match is made, sorted or resolved.  Their forms are single words
        without suffixes, so two of their matches that overlap are readings of one word, which begins
        at one place whichever of them leftmost-longest would keep."""
        if self._automaton is None:
            self.freeze()
        word_starts: list[set[int]] = [set() for _ in word_start_categories]
        if not self._entries:
            return Scan(defaultdict(list), dict(zip(word_start_categories, word_starts, strict=True)))
        marked = f" {_NON_WORD.sub(' ', norm)} "  # marked[i + 1] is norm[i]
        by_category: list[list[LexMatch]] = [[] for _ in self._categories]
        groups, word_groups = self._split(word_start_categories)
        hits = self._automaton.iter(marked) if len(self._automaton) else iter(())  # none: only symbols
        if any(first in norm for first in self._symbol_firsts):
            hits = chain(hits, self._symbol_hits(norm, marked))
        for last, readings in hits:
            for prefix, length, closed, group, forms in readings:
                end = last - closed
                start = end - length
                if forms is not None:
                    group = forms.get(norm[start:end], -1)
                    if group < 0:
                        continue
                if closed or marked[end + 1] == " ":
                    for category, entry in groups[group]:
                        by_category[category].append(_new_match(LexMatch, (start, end, entry, prefix, "")))
                    for category in word_groups[group]:
                        word_starts[category].add(start - len(prefix))
                    continue
                # The word goes on past the form: a match only when the rest of the word is one of the
                # entry's suffixes (made of word characters, see add: none can end before the word does).
                word_end = marked.index(" ", end + 1) - 1
                suffix = norm[end:word_end]
                for category, entry in groups[group]:
                    if suffix in entry.suffixes:
                        by_category[category].append(
                            _new_match(LexMatch, (start, word_end, entry, prefix, suffix))
                        )
        found: dict[str, list[LexMatch]] = defaultdict(list)
        for category, matches in zip(self._categories, by_category, strict=True):
            if matches:
                _leftmost_longest(matches)
                found[category] = matches
        return Scan(found, dict(zip(word_start_categories, word_starts, strict=True)))

    def _split(self, word_start_categories: tuple[str, ...]) -> _SplitGroups:
        """The groups without the entries of ``word_start_categories``, and beside each group those of
        them it held entries of; checked and made on the first scan that names these categories."""
        split = self._split_groups.get(word_start_categories)
        if split is not None:
            return split
        for key, entries in self._entries.items():
            for entry in entries:
                if entry.category in word_start_categories and (
                    entry.suffixes or " " in _NON_WORD.sub(" ", key)
                ):
                    raise ValueError(f"{entry.category}: {entry.surface!r} is not one word without suffixes")
        position = {
            self._categories.index(c): k for k, c in enumerate(word_start_categories) if c in self._categories
        }
        # Only the groups that hold such entries are copied: made after the knowledge base is moved out
        # of the garbage collector's reach, these are the objects it tracks again.
        groups = list(self._groups)
        word_groups: list[tuple[int, ...]] = [()] * len(groups)
        for index, group in enumerate(self._groups):
            held = tuple(dict.fromkeys(position[c] for c, _ in group if c in position))
            if held:
                groups[index] = tuple(pair for pair in group if pair[0] not in position)
                word_groups[index] = held
        split = self._split_groups[word_start_categories] = (groups, word_groups)
        return split

    def _symbol_hits(self, norm: str, marked: str) -> Iterator[tuple[int, tuple[_Reading]]]:
        """The automaton's hits for the forms kept out of it: where such a form may begin, each reading
        whose key is there (a space, the proclitics, the marked form, then a space when closed), as
        ``(index of the key's last character in marked, (reading,))``."""
        assert self._symbol_start is not None
        for at in self._symbol_start.finditer(norm):
            start = at.start()  # marked[start + 1] is norm[start]
            for prefix, readings in self._symbol_readings.items():
                word_start = start - len(prefix)
                if (
                    word_start < 0
                    or marked[word_start] != " "
                    or not marked.startswith(prefix, word_start + 1)
                ):
                    continue
                for reading in readings:
                    _, length, closed, _, _ = reading
                    if not closed or marked[start + length + 1] == " ":
                        yield start + length + closed, (reading,)


def _same_reading(entry: Entry, known: Entry) -> bool:
    """Whether ``entry`` reads the text as ``known`` does: the same category, meaning and inflection,
    its form spelt another way that normalises alike (إدلب / ادلب, Al-Qaeda / al-Qaeda).  One entry
    serves both: a second would double every match of the form."""
    return (
        entry.category == known.category
        and entry.payload == known.payload
        and (entry.had_article, entry.article, entry.suffixes, entry.proclitics)
        == (known.had_article, known.article, known.suffixes, known.proclitics)
    )


# ``LexMatch(*fields)`` without the generated ``__new__`` in between (a few hundred per article).
_new_match = tuple.__new__
_START = itemgetter(0)


@cache
def _allowed_prefixes(had_article: bool, article: bool, proclitics: bool) -> frozenset[str]:
    """Every clitic string an entry of this kind may follow (one shared set per kind)."""
    if had_article:
        return _PROCLITICS_ARTICLE
    bare = _PROCLITICS_BARE if proclitics else {""}
    if article:
        return frozenset(bare | (_PROCLITICS_ARTICLE if proclitics else {"ال"}))
    return frozenset(bare)


def _leftmost_longest(matches: list[LexMatch]) -> None:
    """Keep the longest match at each place; a longer earlier match hides those inside it.  In place,
    sorted by start, then in the order found.  One sort, by start: at each place only the longest
    readings stay (several when they share a span), so one found after shorter ones replaces them."""
    matches.sort(key=_START)  # stable: the readings at one place keep the order found
    kept = 0
    reach = -1  # where the matches kept so far end
    for m in matches:
        start, end = m[0], m[1]
        if start >= reach:
            reach = end
        elif start != matches[kept - 1][0] or end < reach:
            continue  # inside a kept match, or shorter than those kept at its place
        elif end > reach:  # longer than those kept at its place: it replaces them
            while kept and matches[kept - 1][0] == start:
                kept -= 1
            reach = end
        matches[kept] = m
        kept += 1
    del matches[kept:]
