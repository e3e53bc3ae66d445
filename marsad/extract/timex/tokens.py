"""The token stream the time grammar reads: words of the analysed text with their dictionary readings.

Each word carries every time-related reading the shared lexicon found for it (a month, a unit, a
cue …), keyed by category; multi-word forms (كانون الأول، أول أمس) become one token.  Digits become
numbers, and number words are combined (خمسة وتسعين → 95, ثلاثة آلاف → 3000).

Most of a news article holds no time expression, so only *stretches* of it are tokenised: around
the words and numbers that may start an expression (the *anchors*).  A stretch is a run of exactly
the tokens its region would have, cut at a space inside no multi-word form, and it holds all that a
rule reads: a rule looks one token back from where it starts (two past a و), reads on only through
time words, numbers, punctuation and و, and what it looks at past the first other word decides
nothing.  A *leading* word or number (a cue, a number word …) starts something only before a token
some rule reads on into (``Starts``): before any other it is no anchor."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Mapping
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
# Digits are ASCII after normalize.  A colon joins digits only as a clock (4:48); a verse or score
# (124:48, 2015:30) is two numbers and a colon.
_NUMBER = r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?![0-9])|[0-9]+"
_TOKEN = re.compile(rf"(?P<digits>{_NUMBER})|(?P<word>[^\W\d_]+)|[^\w\s]")
_NUMBER_AT = re.compile(_NUMBER)
_DIGIT_CHARS = "0123456789"
_DIGITS = frozenset(_DIGIT_CHARS)
_CONJUNCTION = "و"
_TENS = range(20, 100, 10)


# The readings of a word the lexicon has nothing for: one shared, read-only mapping (most words).
_NO_READINGS: Mapping[str, Any] = MappingProxyType({})


class Token:
    """A word in normalised coordinates ``[start, end)``: without its proclitics, with its article.

    Made for time words and numbers; the other words are ``Word`` tuples, which read the same.
    ``kinds``: the token as the rules' starts name it (``reading_kind``, ``number_kinds``)."""

    __slots__ = ("start", "end", "text", "readings", "clitic", "number", "digits", "clock", "kinds")

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
        kinds: tuple[str, ...] = (),
    ) -> None:
        self.start, self.end, self.text, self.readings = start, end, text, readings
        self.clitic, self.number, self.digits, self.clock = clitic, number, digits, clock
        self.kinds = kinds

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

    @property
    def kinds(self) -> tuple[str, ...]:
        """A punctuation mark or و by its text, which a rule may read after its first token."""
        text = self[2]
        return (text,) if text == _CONJUNCTION or not text.isalnum() else ()


AnyToken = Token | Word

# Past a stretch's end (and, by wrap-round, before the first): no text, no reading, adjacent to nothing.
END = Token(-1, -1, "\0")
# Between two stretches: as many end markers as a rule reads back from where it starts.
_GAP = (END, END)


def reading_kind(category: str, payload: Any) -> str:
    """A reading as the rules' starts name it: its category, or the cue for a cue (``time_cue:ago``)."""
    return f"{category}:{payload['cue']}" if category == CUE_CATEGORY else category


def number_kinds(text: str) -> tuple[str, ...]:
    """A number as ``_NUMBER`` reads it, as the rules' starts name it: a clock time (4:48: the only
    number with a colon), or digits, which may be a year."""
    if ":" in text:
        return ("clock",)
    return ("digits", "year") if len(text) == 4 else ("digits",)


# A rule that may read its first token alone, whatever follows it (see ``Starts``).
ANYTHING = "*"


class Starts:
    """What may start a time expression (or what one rule may start on), as the grammar's rules declare
    it: for each kind of first token (``Token.kinds``), the kinds of the token after it with which a
    rule reads anything (a punctuation mark or و by its text), or ``ANYTHING``.  A kind that may start
    an expression whatever follows is *free*; the others are *leading*."""

    def __init__(self, after: Mapping[str, frozenset[str]]) -> None:
        self.after = after
        self.free = frozenset(kind for kind, following in after.items() if ANYTHING in following)
        # What a reading's word is to the tokeniser, by category and, for a cue, by cue: an anchor
        # (True), a leading word (False), or neither (absent).  Once, not once per reading.
        self.category_roles = {kind: kind in self.free for kind in after}
        cue_kind = f"{CUE_CATEGORY}:"
        self.cue_roles = {
            kind.removeprefix(cue_kind): role
            for kind, role in self.category_roles.items()
            if kind.startswith(cue_kind)
        }

    def before(self, kinds: Collection[str], following: Collection[str]) -> bool:
        """Whether some rule may read a token of ``kinds`` followed by a token of ``following``."""
        for kind in kinds:
            readable = self.after.get(kind)
            if readable is not None and (ANYTHING in readable or not readable.isdisjoint(following)):
                return True
        return False


def tokenize(analysis: Analysis, kb: KnowledgeBase, starts: Starts) -> list[AnyToken]:
    """The tokens of each stretch of the title and paragraphs that may hold a time expression, in text
    order, with end markers between stretches (so no expression crosses them, nor regions)."""
    reader = _Reader(analysis, starts)
    for start, end in analysis.regions:
        reader.read_region(analysis.norm.to_normalized(start), analysis.norm.to_normalized(end))
    tokens = reader.tokens
    _read_glued_words(tokens, reader.numbers, kb.derived(_glued_forms))
    _combine_numbers(tokens, reader.number_words)
    return tokens


class _Reader:
    """Tokenises the stretches of an article (see the module docstring), region by region."""

    def __init__(self, analysis: Analysis, starts: Starts) -> None:
        norm = self.norm = analysis.norm.text
        self.starts = starts
        at_word: dict[int, list[LexMatch]] = {}
        self.multiword: list[tuple[int, int]] = []  # readings over a space: they cover the words after
        multiword = self.multiword
        anchors: set[int] = set()
        leads: set[int] = set()
        category_roles, cue_roles = starts.category_roles, starts.cue_roles
        for category in CATEGORIES:
            role = category_roles.get(category)  # the same for every reading but a cue's
            cue = category == CUE_CATEGORY
            for match in analysis.found(category):
                start, end, entry, prefix, _ = match
                word = start - len(prefix)
                known = at_word.get(word)
                if known is None:
                    at_word[word] = [match]
                else:
                    known.append(match)
                if norm.find(" ", word, end) >= 0:
                    multiword.append((word, end))
                if cue:
                    role = cue_roles.get(entry.payload["cue"])
                if role is not None:
                    (anchors if role else leads).add(word)
        self.at_word = at_word
        # The anchors: the words and numbers that may start an expression (a leading one only before
        # a token some rule reads on into, after the longest reading at its place).
        for word in leads - anchors:
            kinds, end = _longest_kinds(at_word[word])
            if self.starts_before(kinds, end):
                anchors.add(word)
        for s, e in _numbers(norm):
            glued_before = s > 0 and norm[s - 1].isalpha()  # a month the lexicon could not see: مارس2016
            kinds = number_kinds(norm[s:e])
            reads_alone = not starts.free.isdisjoint(kinds)  # a year
            if glued_before or reads_alone or self.starts_before(kinds, e):
                anchors.add(s)
        self.anchors = sorted(anchors)
        self.tokens: list[AnyToken] = []
        self.numbers: list[int] = []  # the indices of digit tokens
        self.number_words: list[int] = []  # the indices of tokens read as number words

    def starts_before(self, kinds: Collection[str], end: int) -> bool:
        """Whether a token of ``kinds`` ending at ``end`` may start an expression before the token
        that follows it.  A word joined to a number may be a month or an era the lexicon could not
        see (مارس2016، 2002م): it may follow anything."""
        norm = self.norm
        after = _TOKEN.search(norm, end)
        if after is None:
            return False
        text = after.group()
        following: Collection[str] = (text,)  # a punctuation mark or و
        if after.lastgroup == "digits":
            following = number_kinds(text)
        elif after.lastgroup == "word":
            s, e = after.span()
            if norm[s - 1] in _DIGITS or norm[e : e + 1] in _DIGITS:
                return True
            matches = self.at_word.get(s)
            if matches is not None:
                following = _longest_kinds(matches)[0]
            elif text != _CONJUNCTION:
                return False  # a plain word, which no rule reads after its first token
        return self.starts.before(kinds, following)

    def read_region(self, start: int, end: int) -> None:
        """Append the stretches of ``norm[start:end]``.

        A stretch begins a chunk (of text between spaces) before an anchor's chunk and runs on while
        its tokens may link an expression: time words, numbers, punctuation, و, a word glued to a
        number (مارس2016).  It ends with the first other word, unless the next anchor's stretch would
        begin by then."""
        norm, at_word, tokens, anchors = self.norm, self.at_word, self.tokens, self.anchors
        numbers, number_words = self.numbers, self.number_words
        k, last = bisect_left(anchors, start), bisect_left(anchors, end)
        if k == last:
            return
        next_anchor = anchors[k]
        cut = self.cut_before(start, next_anchor)
        while k < last:
            covered = 0  # the end of the last multi-word token: the words before it are inside it
            in_run = False  # every token since the last anchor may link an expression
            next_cut = None
            for m in _TOKEN.finditer(norm, cut, end):
                s, e = m.span()
                reached = next_anchor < e
                if reached:
                    in_run, next_cut = True, None
                    k = bisect_left(anchors, e, k, last)
                    next_anchor = anchors[k] if k < last else end  # past every token of the region
                if s >= covered:
                    matches = at_word.get(s)
                    if matches is not None:
                        token = _lexical_token(norm, matches)
                        covered = token.end
                        if "number" in token.readings:
                            number_words.append(len(tokens))
                        tokens.append(token)
                    elif m.lastgroup == "digits":
                        numbers.append(len(tokens))
                        tokens.append(_number_token(norm[s:e], s, e))
                        in_run = True
                    else:
                        text = norm[s:e]
                        tokens.append(Word((s, e, text)))
                        if text != _CONJUNCTION and m.lastgroup == "word":
                            if (s > start and norm[s - 1] in _DIGITS) or (e < end and norm[e] in _DIGITS):
                                in_run = True  # glued to a number: it may be read as a month or an era
                            elif not reached:
                                in_run = False  # a word that links nothing ends the run
                if in_run or covered > e:
                    continue
                if k == last:
                    break
                if next_cut is None:
                    # The next anchor in this word's chunk or the next one: its stretch begins by here.
                    few_chunks = norm.count(" ", e, next_anchor) <= 1
                    next_cut = e if few_chunks else self.cut_before(start, next_anchor)
                if next_cut > e:
                    cut = next_cut
                    break
            else:
                k = last  # the region's end
            tokens += _GAP

    def cut_before(self, start: int, anchor: int) -> int:
        """Where the stretch for an anchor may begin: at the chunk before the anchor's (one further if
        that is a lone و, as a rule may look back past a و), whose first token no multi-word form
        covers; else at the region's start."""
        norm = self.norm
        cut = norm.rfind(" ", start, anchor) + 1 or start
        while cut > start:
            chunk_end, cut = cut, norm.rfind(" ", start, cut - 1) + 1 or start
            chunk = norm[cut : chunk_end - 1]  # up to the space before the chunk that follows
            if (
                chunk != _CONJUNCTION
                and (chunk.isalpha() or _TOKEN.search(chunk))  # the usual chunk: one word
                and not (self.multiword and any(word < cut < end for word, end in self.multiword))
            ):
                return cut
        return start


def _longest_kinds(matches: list[LexMatch]) -> tuple[Collection[str], int]:
    """The kinds of the token the readings at a word make (its longest ones), and where it ends."""
    if len(matches) == 1:  # the usual case
        _, end, entry, _, _ = matches[0]
        return (reading_kind(entry.category, entry.payload),), end
    longest = max(match.end for match in matches)
    kinds = {reading_kind(m.entry.category, m.entry.payload) for m in matches if m.end == longest}
    return kinds, longest


def _numbers(norm: str) -> list[tuple[int, int]]:
    """The spans of the numbers at the starts of the runs of digits in ``norm`` (a clock, 4:48, is one
    number), in text order.  Found by ``str.find`` of each digit, which scans Arabic text several times
    faster than a regular expression does."""
    firsts = []
    for digit in _DIGIT_CHARS:
        at = norm.find(digit)
        while at >= 0:
            if at == 0 or norm[at - 1] not in _DIGITS:
                firsts.append(at)
            at = norm.find(digit, at + 1)
    firsts.sort()
    return [number.span() for first in firsts if (number := _NUMBER_AT.match(norm, first))]


def _number_token(text: str, start: int, end: int) -> Token:
    """A number as ``_NUMBER`` reads it: digits, or a clock time (4:48)."""
    hour, colon, minute = text.partition(":")
    if colon:
        return Token(start, end, text, digits=True, clock=(int(hour), int(minute)), kinds=("clock",))
    return Token(start, end, text, number=int(text), digits=True, kinds=number_kinds(text))


def _glued_forms(kb: KnowledgeBase) -> dict[str, tuple[str, dict]]:
    """Forms that may be written joined to a number, which the lexicon cannot see because it only
    matches whole words: an era after a year (2002م، 1445هـ), a month by its day or year (12أيار،
    مارس2016).  Keyed by normalised form: (category, value).  Once per knowledge base (``kb.derived``)."""
    forms: dict[str, tuple[str, dict]] = {}
    for category in (MONTH_CATEGORY, CUE_CATEGORY):
        lexicon = kb.lexicons.get(category)
        for entry in lexicon.entries if lexicon else ():
            if category == MONTH_CATEGORY or entry.value.get("attached"):
                forms.update((normalize_key(form), (category, entry.value)) for form in entry.forms)
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
                kinds = (reading_kind(category, value),)
                tokens[k] = Token(token.start, token.end, token.text, {category: value}, kinds=kinds)


def _lexical_token(norm: str, matches: list[LexMatch]) -> Token:
    """The longest reading(s) at a word start; proclitics are left out, the article kept (of لل, the
    lām that is the article's)."""
    if len(matches) == 1:  # the usual case
        start, longest, entry, prefix, _ = matches[0]
        readings = {entry.category: entry.payload}
        kinds: tuple[str, ...] = (reading_kind(entry.category, entry.payload),)
    else:
        longest = max(m.end for m in matches)
        chosen = [m for m in matches if m.end == longest]
        start, prefix = chosen[0].start, chosen[0].prefix
        readings = {}
        for match in chosen:
            readings.setdefault(match.entry.category, match.entry.payload)
        kinds = tuple(reading_kind(category, payload) for category, payload in readings.items())
    if not prefix:  # the usual case
        return Token(start, longest, norm[start:longest], readings, kinds=kinds)
    article = 2 if prefix.endswith("ال") else 1 if prefix.endswith("لل") else 0
    start -= article
    clitic = prefix[: len(prefix) - article]
    return Token(start, longest, norm[start:longest], readings, clitic, kinds=kinds)


def _combine_numbers(tokens: list[AnyToken], number_words: list[int]) -> None:
    """Give the number words (at ``number_words``) their value and join compounds: units + و + tens,
    units + عشر, N + scale.  In place: a joined pair becomes one token."""
    joined: set[int] = set()  # the number words joined into the one after them
    for i in number_words:
        token = tokens[i]
        word = token.readings["number"]
        scale = word.get("scale")
        value = word.get("value", scale)
        prev = tokens[i - 1] if i else None
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
                joined.add(i - 1)
                text = f"{prev.text} {token.text}"
                readings, kinds = dict(token.readings), token.kinds
                token = tokens[i] = Token(prev.start, token.end, text, readings, prev.clitic, kinds=kinds)
        token.number = value
    if joined:
        tokens[:] = [token for k, token in enumerate(tokens) if k not in joined]
