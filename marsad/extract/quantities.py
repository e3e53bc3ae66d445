"""Quantities: a number, what it counts, and how it is meant (about, at least, part of, changing to).

A number becomes a quantity when it counts something named (``130 هجمة``, ``ثلاث قواعد``,
``قاعدة واحدة``, ``25 في المئة``, a dual noun ``قاعدتين``), when a cue qualifies it (``حوالي``,
``أكثر من``), or when it is tied to such a quantity (``من 2000 جندي إلى ما يقارب 1400``,
``ثلاث قواعد من أصل ثماني``, ``مقتل 12 شخصا وإصابة 30 آخرين``), from which it then takes its unit.
Numbers that are time (next to a calendar unit or a month name, inside an extracted time
expression) and bare numbers (years, resolution numbers, codes) are not quantities.

Vague counts (``عشرات القتلى``, ``آلاف النازحين``) are kept as ``approximate`` with
``bound="more_than"`` and the lower bound the words give (tens → 10): never a made-up figure.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from marsad.extract.clauses import word_start
from marsad.kb.loader import DEMONYM_CATEGORY, KnowledgeBase
from marsad.models import Quantity
from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch
from marsad.text.numbers import NumberReading, read_numbers

UNIT_CATEGORY = "unit"
CUE_CATEGORY = "quantity_cue"
TIME_UNIT_CATEGORY = "time_unit"
MONTH_CATEGORY = "month"
_BOUNDS = ("at_least", "at_most", "more_than", "less_than")
_RELATIONS = ("part_of", "change_from", "change_to")
_YEARS = range(1900, 2101)
# A nisba adjective after a number is a noun for people: 60 فلسطينيا, 200 ألف سوري.
DEMONYM_UNIT = "person"


class UnitWord(BaseModel):
    """Payload of a ``unit`` lexicon entry."""

    model_config = ConfigDict(extra="forbid")
    unit: str
    count: int | None = None
    of: str | None = None  # a status (killed, wounded) is counted of this kind of thing (person)


class QuantityCue(BaseModel):
    """Payload of a ``quantity_cue`` lexicon entry."""

    model_config = ConfigDict(extra="forbid")
    meaning: Literal[
        "approximate",
        "at_least",
        "at_most",
        "more_than",
        "less_than",
        "part_of",
        "change_from",
        "change_to",
        "others",
    ]
    position: Literal["before", "after", "either"]


@dataclass(slots=True)
class _Candidate:
    reading: NumberReading
    start: int
    end: int
    unit: str | None = None
    unit_of: str | None = None
    unit_range: tuple[int, int] | None = None
    meanings: list[str] = field(default_factory=list)
    relation: str | None = None
    relation_start: int = 0
    others: bool = False
    part_of: _Candidate | None = None
    change_to: _Candidate | None = None

    @property
    def qualified(self) -> bool:
        return self.unit is not None or bool(self.meanings) or self.reading.vague


@dataclass
class _Context:
    """The article's dictionary matches, indexed by where their word (with proclitics) starts/ends."""

    analysis: Analysis
    units_at: dict[int, LexMatch]
    units_ending: dict[int, LexMatch]
    cues_at: dict[int, list[LexMatch]]
    cues_ending: dict[int, list[LexMatch]]
    time_words: set[int]  # start and end positions of calendar units and month names
    symbols: dict[str, str]  # unit symbol (%, $) → canonical unit

    @classmethod
    def of(cls, analysis: Analysis, kb: KnowledgeBase) -> _Context:
        units = analysis.found(DEMONYM_CATEGORY) + analysis.found(UNIT_CATEGORY)  # units win a tie
        cues_at: dict[int, list[LexMatch]] = {}
        cues_ending: dict[int, list[LexMatch]] = {}
        for cue in analysis.found(CUE_CATEGORY):
            cues_at.setdefault(word_start(cue), []).append(cue)
            cues_ending.setdefault(cue.end, []).append(cue)
        time_words = {
            pos
            for category in (TIME_UNIT_CATEGORY, MONTH_CATEGORY)
            for m in analysis.found(category)
            for pos in (word_start(m), m.end)
        }
        return cls(
            analysis,
            {word_start(u): u for u in units},
            {u.end: u for u in units},
            cues_at,
            cues_ending,
            time_words,
            kb.derived(_unit_symbols),
        )


def extract_quantities(analysis: Analysis, kb: KnowledgeBase) -> list[Quantity]:
    context = _Context.of(analysis, kb)
    time_spans = _TimeSpans([(t.start, t.end) for t in analysis.article.times])
    candidates = [
        c
        for r in read_numbers(analysis, (UNIT_CATEGORY, TIME_UNIT_CATEGORY))
        if not _is_time(r, context, time_spans) and (c := _candidate(r, context)) is not None
    ]
    _link(candidates, analysis)
    kept = [c for c in candidates if _worth_keeping(c)]
    index = {id(c): i for i, c in enumerate(kept)}
    return _QUANTITY_LIST.validate_python([_quantity_fields(c, analysis, index) for c in kept])


def _unit_symbols(kb: KnowledgeBase) -> dict[str, str]:
    """Unit forms that are a single non-letter character (% ٪ $ €), written glued to the digits;
    read once per knowledge base (``kb.derived(_unit_symbols)``), not once per article."""
    lexicon = kb.lexicons.get(UNIT_CATEGORY)
    return {
        form: UnitWord.model_validate(entry.value).unit
        for entry in (lexicon.entries if lexicon is not None else [])
        for form in entry.forms
        if len(form) == 1 and not form.isalnum()
    }


class _TimeSpans:
    """The article's time expressions (original offsets), sorted, with the furthest end reached so far:
    whether a span overlaps one of them is a bisection, not a test against each (a dozen numbers meet
    a dozen times in an article)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach = list(accumulate((end for _, end in spans), max))

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlap(self, start: int, end: int) -> bool:
        """Some time expression overlaps ``[start, end)``: of those starting before ``end``, one ends
        after ``start``."""
        before_end = bisect_left(self.starts, end)
        return before_end > 0 and self.reach[before_end - 1] > start


def _is_time(reading: NumberReading, context: _Context, time_spans: _TimeSpans) -> bool:
    """A number inside a time expression, next to a calendar unit or a month, or a dual time unit."""
    if reading.counted is not None:
        return reading.counted.entry.category == TIME_UNIT_CATEGORY
    text = context.analysis.norm.text
    if reading.end + 1 in context.time_words or _previous_word_end(text, reading.start) in context.time_words:
        return True
    if not time_spans:
        return False
    return time_spans.overlap(*context.analysis.norm.span_to_original(reading.start, reading.end))


def _previous_word_end(text: str, start: int) -> int:
    """Where the word before the one holding ``start`` ends (-1 at the start of the text)."""
    return text.rfind(" ", 0, start)


def _candidate(reading: NumberReading, context: _Context) -> _Candidate | None:
    text = context.analysis.norm.text
    candidate = _Candidate(reading, reading.start, reading.end)
    if reading.counted is not None:
        _set_unit(candidate, reading.counted)
    elif (unit := _unit_after(reading, context)) is not None:
        _set_unit(candidate, unit)
        candidate.end = unit.end
    elif (symbol := _symbol_next_to(reading, context)) is not None:
        candidate.unit, candidate.unit_range = symbol
        candidate.start = min(candidate.start, symbol[1][0])
        candidate.end = max(candidate.end, symbol[1][1])
    elif (noun := _unit_before(reading, context)) is not None:
        _set_unit(candidate, noun)
        candidate.start = noun.start
    _cues_before(candidate, _previous_word_end(text, candidate.start) + 1, context)
    _cues_after(candidate, context)
    return candidate


def _set_unit(candidate: _Candidate, match: LexMatch) -> None:
    if match.entry.category == DEMONYM_CATEGORY:
        candidate.unit = DEMONYM_UNIT
    else:
        word = match.entry.meaning(UnitWord)
        candidate.unit, candidate.unit_of = word.unit, word.of
    article = 2 if match.prefix.endswith("ال") else 0
    candidate.unit_range = (match.start - article, match.end)


def _unit_after(reading: NumberReading, context: _Context) -> LexMatch | None:
    """The counted noun right after the number (``2000 جندي``), or partitive (``2700 من الموظفين``);
    a vague count takes the article (``عشرات القتلى``)."""
    unit = context.units_at.get(reading.end + 1)
    if unit is not None and (unit.prefix == "" or (reading.vague and unit.prefix == "ال")):
        return unit
    if context.analysis.norm.text.startswith(" من ", reading.end):
        unit = context.units_at.get(reading.end + 4)
        if unit is not None and unit.prefix == "ال":
            return unit
    return None


def _symbol_next_to(reading: NumberReading, context: _Context) -> tuple[str, tuple[int, int]] | None:
    """A unit symbol glued to the digits: ``25%``, ``%25``, ``$5``."""
    text = context.analysis.norm.text
    if reading.is_words:
        return None
    for pos in (reading.end, reading.start - 1):
        if 0 <= pos < len(text) and text[pos] in context.symbols:
            return context.symbols[text[pos]], (pos, pos + 1)
    return None


def _unit_before(reading: NumberReading, context: _Context) -> LexMatch | None:
    """واحد/اثنان follow the noun they count (``قاعدة واحدة``, ``جنديان اثنان``)."""
    if not reading.is_words or reading.definite or reading.value not in (1, 2):
        return None
    noun = context.units_ending.get(reading.start - 1)
    if noun is None or noun.prefix.endswith(("ال", "لل")):
        return None
    return noun


def _cues_before(candidate: _Candidate, position: int, context: _Context) -> None:
    """Walk back over the cues in front of the number (whose word starts at ``position``): ``من حوالي
    2000``, ``إلى ما يقارب 1400``."""
    while (cues := context.cues_ending.get(position - 1)) is not None:
        cue = _cue_reading(cues, ("before", "either"))
        if cue is None:
            return
        meaning = cue[0].meaning
        if meaning in _RELATIONS:
            candidate.relation = meaning
            candidate.relation_start = word_start(cue[1])
            return
        candidate.meanings.append(meaning)
        candidate.start = cue[1].start
        position = word_start(cue[1])


def _cues_after(candidate: _Candidate, context: _Context) -> None:
    """Cues after the number and its noun: ``قاعدة واحدة على الأقل``, ``30 آخرين``."""
    cue = _cue_reading(context.cues_at.get(candidate.end + 1, []), ("after", "either"))
    if cue is None:
        return
    if cue[0].meaning == "others":
        candidate.others = candidate.unit is None
    elif cue[0].meaning not in _RELATIONS:
        candidate.meanings.append(cue[0].meaning)
    else:
        return
    candidate.end = cue[1].end


def _cue_reading(cues: list[LexMatch], positions: tuple[str, ...]) -> tuple[QuantityCue, LexMatch] | None:
    for match in cues:
        cue = match.entry.meaning(QuantityCue)
        if cue.position in positions:
            return cue, match
    return None


def _link(candidates: list[_Candidate], analysis: Analysis) -> None:
    """Tie neighbours: change (من A إلى B), part of a whole (A من أصل B), others (B آخرين)."""
    for before, after in zip(candidates, candidates[1:], strict=False):
        if after.relation_start != before.end + 1 or not (before.qualified or after.qualified):
            continue
        if before.relation == "change_from" and after.relation == "change_to":
            before.change_to = after
        elif after.relation == "part_of":
            before.part_of = after
        else:
            continue
        before.unit, after.unit = before.unit or after.unit, after.unit or before.unit
    for i, candidate in enumerate(candidates):
        if candidate.others:
            sentence = analysis.sentence_at(analysis.norm.to_original(candidate.start))
            earlier = [
                c
                for c in candidates[:i]
                if c.unit and analysis.sentence_at(analysis.norm.to_original(c.start)) == sentence
            ]
            if earlier:  # مقتل 12 شخصا وإصابة 30 آخرين: persons; مقتل 5 وإصابة 30 آخرين: persons too
                candidate.unit = earlier[-1].unit_of or earlier[-1].unit


def _worth_keeping(candidate: _Candidate) -> bool:
    """Counted, qualified or tied to a counted quantity — and not a bare year."""
    reading = candidate.reading
    if candidate.unit is not None or candidate.others:
        return True
    linked = candidate.part_of or candidate.change_to
    if candidate.meanings or reading.vague or linked is not None:
        return reading.is_words or reading.value not in _YEARS or linked is not None
    return False


_QUANTITY_LIST = TypeAdapter(list[Quantity])


def _quantity_fields(candidate: _Candidate, analysis: Analysis, index: dict[int, int]) -> dict[str, object]:
    """A quantity's fields, for the article's quantities to be validated in one call."""
    bound = next((m for m in candidate.meanings if m in _BOUNDS), None)
    if bound is None and candidate.reading.vague:
        bound = "more_than"
    return {
        **analysis.evidence(candidate.start, candidate.end),
        "value": candidate.reading.value,
        "unit": candidate.unit,
        "unit_span": _unit_span(candidate, analysis),
        "approximate": "approximate" in candidate.meanings or candidate.reading.vague,
        "bound": bound,
        "part_of": index.get(id(candidate.part_of)) if candidate.part_of else None,
        "change_to": index.get(id(candidate.change_to)) if candidate.change_to else None,
    }


def _unit_span(candidate: _Candidate, analysis: Analysis) -> dict[str, object] | None:
    """The unit's evidence fields, if it has a unit word."""
    return analysis.evidence(*candidate.unit_range) if candidate.unit_range else None
