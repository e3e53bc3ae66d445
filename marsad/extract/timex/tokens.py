"""The token stream the time grammar reads: words of the analysed text with their dictionary readings.

Each word carries every time-related reading the shared lexicon found for it (a month, a unit, a
cue …), keyed by category; multi-word forms (كانون الأول، أول أمس) become one token.  Digits become
numbers, and number words are combined (خمسة وتسعين → 95, ثلاثة آلاف → 3000)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from marsad.kb.loader import KnowledgeBase
from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import normalize_key

CUE_CATEGORY = "time_cue"
MONTH_CATEGORY = "month"

CATEGORIES = (
    MONTH_CATEGORY,
    "weekday",
    "number",
    "time_unit",
    "time_relative",
    "time_deictic",
    "time_part",
    "time_daypart",
    CUE_CATEGORY,
    "time_ordinal",
    "time_period",
)
_TOKEN = re.compile(
    r"(?P<digits>[0-9]+(?::[0-9][0-9])?)|[^\W\d_]+|[^\w\s]"
)  # digits are ASCII after normalize
_DIGITS = frozenset("0123456789")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_CONJUNCTION = "و"
_TENS = range(20, 100, 10)


# The readings of a word the lexicon has nothing for: one shared, read-only mapping (most words).
_NO_READINGS: Mapping[str, Any] = MappingProxyType({})


class Token:
    """A word in normalised coordinates ``[start, end)``: without its proclitics, with its article.

    Made for time words and numbers; the other words are ``Word`` tuples, which read the same."""

    __slots__ = ("start", "end", "text", "readings", "clitic", "number", "digits", "clock")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        readings: Mapping[str, Any] = _NO_READINGS,
        clitic: str = "",
        number: int | None = None,
        digits: bool = False,
        clock: tuple[int, int] | None = None,
    ) -> None:
        self.start, self.end, self.text, self.readings = start, end, text, readings
        self.clitic, self.number, self.digits, self.clock = clitic, number, digits, clock

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r}, {dict(self.readings)!r})"

    @property
    def definite(self) -> bool:
        return self.text.startswith("ال")


class Word(tuple):
    """A word with no reading and no number, most of the text: a bare ``(start, end, text)`` tuple
    that reads like a ``Token``, as a tuple is made far faster than an object with an ``__init__``."""

    __slots__ = ()
    start = property(itemgetter(0))
    end = property(itemgetter(1))
    text = property(itemgetter(2))
    readings: Mapping[str, Any] = _NO_READINGS
    clitic = ""
    number = None
    digits = False
    clock = None

    @property
    def definite(self) -> bool:
        return self.text.startswith("ال")


AnyToken = Token | Word


def tokenize(analysis: Analysis, kb: KnowledgeBase) -> list[list[AnyToken]]:
    """One token list per analysed region (title, paragraphs), so no expression crosses them."""
    norm = analysis.norm.text
    at_word: dict[int, list[LexMatch]] = defaultdict(list)
    for category in CATEGORIES:
        for match in analysis.found(category):
            at_word[match.start - len(match.prefix)].append(match)
    regions = []
    glued = _glued_forms(kb)
    for start, end in analysis.regions:
        n_start, n_end = analysis.norm.to_normalized(start), analysis.norm.to_normalized(end)
        tokens, numbers, number_word = _region_tokens(norm, n_start, n_end, at_word)
        _read_glued_words(tokens, numbers, glued)
        regions.append(_combine_numbers(tokens) if number_word else tokens)
    return regions


# Built once per knowledge base: the entry holds the KB's lexicon files, so their id stays theirs.
_GLUED: dict[int, tuple[object, dict[str, tuple[str, dict]]]] = {}


def _glued_forms(kb: KnowledgeBase) -> dict[str, tuple[str, dict]]:
    """Forms that may be written joined to a number, which the lexicon cannot see because it only
    matches whole words: an era after a year (2002م، 1445هـ), a month by its day or year (12أيار،
    مارس2016).  Keyed by normalised form: (category, value)."""
    cached = _GLUED.get(id(kb.lexicons))
    if cached is not None:
        return cached[1]
    if len(_GLUED) > 8:
        _GLUED.clear()
    forms: dict[str, tuple[str, dict]] = {}
    for category in (MONTH_CATEGORY, CUE_CATEGORY):
        lexicon = kb.lexicons.get(category)
        for entry in lexicon.entries if lexicon else ():
            if category == MONTH_CATEGORY or entry.value.get("attached"):
                forms.update((normalize_key(form), (category, entry.value)) for form in entry.forms)
    _GLUED[id(kb.lexicons)] = (kb.lexicons, forms)
    return forms


def _read_glued_words(tokens: list[AnyToken], numbers: list[int], forms: dict[str, tuple[str, dict]]) -> None:
    """Read a glued form next to a number (``numbers``: the indices of digit tokens)."""
    for d in numbers:
        for k in (d - 1, d + 1):
            token = tokens[k] if 0 <= k < len(tokens) else None
            if token is None or token.readings or token.digits or token.text not in forms:
                continue
            category, value = forms[token.text]
            before = k > 0 and tokens[k - 1].digits and tokens[k - 1].end == token.start
            after = k + 1 < len(tokens) and tokens[k + 1].digits and tokens[k + 1].start == token.end
            if before or (after and category == MONTH_CATEGORY):
                tokens[k] = Token(token.start, token.end, token.text, {category: value})


def _region_tokens(
    norm: str, start: int, end: int, at_word: dict[int, list[LexMatch]]
) -> tuple[list[AnyToken], list[int], bool]:
    """The region's tokens, the indices of its digit tokens, and whether it has a number word.

    Every word is first made a plain token in one comprehension (most words are plain); only the few
    at a lexicon match or a number are then built one by one."""
    spans = [m.span() for m in _TOKEN.finditer(norm, start, end)]
    plain = [Word((s, e, norm[s:e])) for s, e in spans]
    special = [k for k, (s, _) in enumerate(spans) if s in at_word or norm[s] in _DIGITS]
    tokens: list[AnyToken] = []
    numbers: list[int] = []
    number_word = False
    done = 0  # words before this index are in ``tokens`` or inside a multi-word token
    for k in special:
        if k < done:
            continue
        tokens += plain[done:k]
        w_start, w_end = spans[k]
        matches = at_word.get(w_start)
        done = k + 1
        if matches:
            token = _lexical_token(norm, matches)
            number_word = number_word or "number" in token.readings
            while done < len(spans) and spans[done][0] < token.end:
                done += 1
        else:
            numbers.append(len(tokens))
            text = norm[w_start:w_end]
            clock = _CLOCK.fullmatch(text)
            if clock:
                token = Token(w_start, w_end, text, digits=True, clock=(int(clock[1]), int(clock[2])))
            else:
                token = Token(w_start, w_end, text, number=int(text), digits=True)
        tokens.append(token)
    tokens += plain[done:]
    return tokens, numbers, number_word


def _lexical_token(norm: str, matches: list[LexMatch]) -> Token:
    """The longest reading(s) at a word start; proclitics are left out, the article kept (of لل, the
    lām that is the article's)."""
    if len(matches) == 1:  # the usual case
        chosen, longest = matches, matches[0].end
    else:
        longest = max(m.end for m in matches)
        chosen = [m for m in matches if m.end == longest]
    first = chosen[0]
    prefix = first.prefix
    article = 2 if prefix.endswith("ال") else 1 if prefix.endswith("لل") else 0
    start = first.start - article
    readings: dict[str, Any] = {}
    for match in chosen:
        readings.setdefault(match.entry.category, match.payload)
    return Token(start, longest, norm[start:longest], readings, prefix[: len(prefix) - article])


def _combine_numbers(tokens: list[AnyToken]) -> list[AnyToken]:
    """Give number words their value and join compounds: units + و + tens, units + عشر, N + scale."""
    out: list[AnyToken] = []
    for token in tokens:
        word = token.readings.get("number")
        if word is None:
            out.append(token)
            continue
        scale = word.get("scale")
        value = word.get("value", scale)
        prev = out[-1] if out else None
        if prev is not None and prev.number is not None and not prev.digits and prev.readings.get("number"):
            units_then_tens = value in _TENS and token.clitic == _CONJUNCTION
            teen = value == 10 and not token.clitic
            if (units_then_tens or teen) and prev.number < 10:
                value += prev.number
            elif scale is not None and not token.clitic:
                value = prev.number * scale
            else:
                prev = None
            if prev is not None:
                out.pop()
                text = f"{prev.text} {token.text}"
                token = Token(prev.start, token.end, text, dict(token.readings), prev.clitic)
        token.number = value
        out.append(token)
    return out
