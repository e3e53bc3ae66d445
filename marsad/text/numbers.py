"""Read Arabic numbers in an article's normalised text: digits, number words, compounds, duals.

Digits come ASCII out of normalisation (Arabic-Indic too); ``1,400`` is a thousands separator when
three digits follow the comma, otherwise the comma is a decimal point (``2,5``).  A digit run glued
to other digits by ``: / -`` is a clock time, date or code, not a number.  Number words come from the
``number`` lexicon category (``numbers.yaml``, payload :class:`NumberWord`) and are combined the way
Arabic composes them: ``خمسة وعشرين`` (units before tens, joined by و), ``ثلاثة عشر`` (teens),
``ثلاثة آلاف`` / ``مئتي ألف`` / ``15 ألف`` / ``1.5 مليون`` (multipliers), ``ألف وخمسمئة``,
``مليون ونصف`` / ``نصف مليون`` (fractions).  Vague counts (``عشرات``, ``آلاف`` alone, ``بضعة``)
are kept with ``vague=True`` and a value that is only an exclusive lower bound ("tens" → more than
10, "tens of thousands" → more than 10 000); nothing more precise is invented.  A dual noun
(``قاعدتين``, ``عامين``) listed with ``count: 2`` in a caller-chosen lexicon category is a reading
of 2 carried by that noun (``counted``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch

NUMBER_CATEGORY = "number"
# A thousands-grouped or plain digit run, an optional decimal part; not glued to letters or to
# other digits by ":", "/" or "-" (times, dates, codes).  The pattern opens with the first digit and
# tests what stands before it from there (``(?<!…\d)``, the same test as a look-behind in front):
# opening with a character class lets the engine skip non-digits in C instead of entering the pattern
# at every character (twice as fast as a leading (?=\d), itself 3× faster than a leading look-behind).
# That class is ``\d`` widened to ranges the engine tests without a Unicode lookup per character (the
# scan of an Arabic text takes a third less time): the ASCII and Arabic-Indic digits, and all from U+07C0
# (NKo digits) up, where every other Unicode digit lies and Arabic text seldom goes; ``(?<=\d)`` then
# keeps the digits only.
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9\u07c0-\U0010ffff](?<=\\d)"
_DIGITS = re.compile(
    rf"(?P<int>{_DIGIT}(?<![0-9a-z.,:/\-]\d)(?:\d{{0,2}}(?:,\d{{3}})+|\d*))(?:[.,](?P<frac>\d+))?"
    r"(?![0-9a-z]|[.,:/\-]\d)"
)
_ARTICLE_PREFIXES = ("ال", "لل")
_START = itemgetter(0)


class NumberWord(BaseModel):
    """What a ``number`` lexicon entry means (see the description in ``numbers.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | None = None
    scale: float | None = None
    plural: bool = False
    dual: bool = False
    vague: float | None = None
    teen: bool = False
    teen_only: bool = False
    fraction: float | None = None


class NumberReading(NamedTuple):
    """A number found in normalised coordinates ``[start, end)``; a named tuple, the cheapest immutable
    record to make (an article has dozens of readings and their pieces).

    ``is_words``: written in words (not starting with digits).  ``vague``: a vague count whose
    ``value`` is only an exclusive lower bound.  ``definite``: the number word carries the article
    (``الثلاثة``), i.e. it follows its noun as an adjective.  ``counted``: the dual noun carrying the
    number 2 (``قاعدتين``), whose match also tells what is counted.
    """

    start: int
    end: int
    value: float
    is_words: bool
    vague: bool = False
    definite: bool = False
    counted: LexMatch | None = None


class _Atom(NamedTuple):
    start: int
    end: int
    prefix: str
    word: NumberWord | None  # None: a digit run, whose value is ``digits``
    digits: float = 0.0


def read_numbers(analysis: Analysis, dual_categories: Iterable[str] = ()) -> list[NumberReading]:
    """Every cardinal number in the title and body, in text order.

    ``dual_categories``: lexicon categories whose dual forms carry ``count: 2`` in a mapping payload
    (``unit``, ``time_unit``); each such match outside a number is a reading of 2.
    """
    text = analysis.norm.text
    atoms = list(_digit_atoms(analysis))
    words = analysis.found(NUMBER_CATEGORY)
    atoms += [_Atom(m.start, m.end, m.prefix, m.entry.meaning(NumberWord)) for m in words]
    atoms.sort(key=_START)
    readings = [r for group in _groups(atoms, text) if (r := _evaluate(group)) is not None]
    covered = [(r.start, r.end) for r in readings]
    for category in dual_categories:
        for m in analysis.found(category):
            if isinstance(m.payload, dict) and m.payload.get("count") == 2 and not _overlaps(m, covered):
                readings.append(NumberReading(m.start, m.end, 2, is_words=True, counted=m))
    readings.sort(key=_START)
    return readings


def _digit_atoms(analysis: Analysis) -> Iterable[_Atom]:
    for m in _DIGITS.finditer(analysis.norm.text):
        if not analysis.in_normalized_regions(m.start()):
            continue
        value = float(m["int"].replace(",", ""))
        if m["frac"]:
            value += float("0." + m["frac"])
        yield _Atom(m.start(), m.end(), "", None, value)


def _overlaps(m: LexMatch, spans: list[tuple[int, int]]) -> bool:
    return any(s < m.end and m.start < e for s, e in spans)


def _groups(atoms: list[_Atom], text: str) -> Iterable[list[_Atom]]:
    """Split atoms into runs that form one number each."""
    group: list[_Atom] = []
    for atom in atoms:
        if group and _joins(group, atom, text):
            group.append(atom)
            continue
        if group:
            yield group
        group = [atom]
    if group:
        yield group


def _joins(group: list[_Atom], atom: _Atom, text: str) -> bool:
    """Whether ``atom`` continues the number in ``group`` (Arabic compounding)."""
    last = group[-1]
    word = atom.word
    if word is None:  # digits continue a number only after a multiplier: 17 مليون و500 ألف
        scale = last.word.scale if last.word is not None and not last.word.dual else None
        return text[last.end : atom.start] == " و" and scale is not None and 0 < atom.digits < scale
    if text[last.end : atom.start] != " " + atom.prefix:
        return False  # words follow with one space and their proclitics
    if last.word is not None and last.word.teen_only or atom.prefix == "":
        if word.teen:
            return atom.prefix == "" and _is_unit(last)  # ثلاثة عشر, أحد عشر
        if word.fraction is not None and word.plural:  # ثلاثة أرباع
            return atom.prefix == "" and _is_unit(last)
        if word.scale is not None and not word.dual:  # ثلاثة آلاف, 15 ألف, مئتي ألف
            return 0 < _accumulate(group).current < word.scale
        return False
    if word.scale is not None and not word.dual and atom.prefix == "ال":  # عشرات الآلاف
        return all(a.word is not None and a.word.vague is not None for a in group)
    if atom.prefix != "و":
        return False
    if word.fraction is not None:  # مليون ونصف
        return last.word is not None and last.word.scale is not None
    if word.value is not None and 20 <= word.value <= 90 and _is_unit(last):  # خمسة وعشرين
        return True
    added = 2 * word.scale if word.dual and word.scale else word.value
    last_piece = _last_piece(last)
    return added is not None and last_piece >= 100 and added < last_piece  # ألف وخمسمئة


def _is_unit(atom: _Atom) -> bool:
    return atom.word is not None and atom.word.value is not None and 1 <= atom.word.value <= 9


def _last_piece(atom: _Atom) -> float:
    """The size of the last piece written (ألف in ألف وخمسمئة; 300 in ألف وثلاثمئة)."""
    if atom.word is None:
        return atom.digits
    return atom.word.scale or atom.word.value or 0


@dataclass
class _Sum:
    """Running sum of a number being read: flushed thousands-and-up part, and the current part."""

    total: float = 0.0
    current: float = 0.0
    last_scale: float = 1.0
    vague: bool = False
    complete: bool = True


def _accumulate(group: list[_Atom]) -> _Sum:
    acc = _Sum()
    for atom in group:
        word = atom.word
        if word is None:
            acc.current += atom.digits
        elif word.vague is not None:
            acc.current += word.vague
            acc.vague = True
        elif word.fraction is not None:
            if word.plural:  # ثلاثة أرباع; أرباع alone is no number
                acc.current *= word.fraction
                acc.complete = len(group) > 1
            elif atom is group[0]:
                acc.current += word.fraction  # نصف مليون
                acc.complete = len(group) > 1
            else:
                acc.total += word.fraction * acc.last_scale  # مليون ونصف
        elif word.scale is not None:
            if word.dual:
                acc.current += 2 * word.scale
            else:
                acc.vague |= acc.current == 0 and word.plural  # آلاف alone: "thousands"
                acc.current = (acc.current or 1) * word.scale
            if word.scale >= 1000:
                acc.total += acc.current
                acc.current = 0.0
            acc.last_scale = word.scale
        else:
            acc.current += word.value or 0
            acc.complete = not (word.teen_only and len(group) == 1)
    return acc


def _evaluate(group: list[_Atom]) -> NumberReading | None:
    """The reading of a run of atoms, or None when it is no number on its own (أحد, نصف)."""
    acc = _accumulate(group)
    if not acc.complete:
        return None
    first = group[0]
    return NumberReading(
        start=first.start,
        end=group[-1].end,
        value=acc.total + acc.current,
        is_words=first.word is not None,
        vague=acc.vague,
        definite=first.prefix.endswith(_ARTICLE_PREFIXES),
    )
