"""Publication time: read an Arabic dateline line, or a date supplied by the page's container.

A dateline is read on the normalised line (Arabic-Indic digits are ASCII there, hamza and tatweel
folded), with month names from the ``month`` lexicon category in every regional form (مايو/أيار,
أفريل …), weekday names from ``weekday``, and cue words, clock markers (ص/م) and Hijri marks from
``layout.yaml``.  A Gregorian date wins over a Hijri one on the same line; a Hijri-only date is
converted with the Umm al-Qura calendar (``hijridate``), which Gulf and Saudi outlets print.  The
value carries a UTC offset only when the line (or the container) states one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal

from hijridate import Hijri

from marsad.kb.loader import KnowledgeBase
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import normalize, normalize_key

MONTH_CATEGORY = "month"
WEEKDAY_CATEGORY = "weekday"

_DAY_BEFORE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:من\s+)?$")
_YEAR_AFTER = re.compile(r"^\s*[,،\-]?\s*(\d{4})(?!\d)")
_NUMERIC_DAY_FIRST = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
_NUMERIC_YEAR_FIRST = re.compile(r"(?<![\d/.-])(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_UTC_OFFSET = re.compile(r"^\s*([+-])(\d{1,2})(?::?(\d{2}))?")
_WORD = re.compile(r"[^\W_]+")
# Four digits written as one digit then three: a pattern that starts with a character class is
# searched by a quick scan for that class, one that starts with a repeat ("\d{4}") is tried at every
# character of the line.
_YEAR = re.compile(r"\d\d{3}")
_DAY_OR_MONTH = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Cue = Literal["published", "updated"]


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date found on a line: its ISO value (None when it cannot be computed exactly), where it is
    in the line (original offsets), the cue before it, and how many other words the line has."""

    value: str | None
    start: int
    end: int
    cue: Cue | None
    other_words: int


@dataclass(frozen=True, slots=True)
class _Part:
    """A piece of the date expression in normalised offsets."""

    start: int
    end: int


def read_dateline(line: str, kb: KnowledgeBase) -> DateReading | None:
    """The publication date and time stated on ``line``, or None when it names no full date."""
    norm = normalize(line)
    text = norm.text
    if not may_name_a_date(text):
        return None
    found = kb.lexicon.scan(text)
    day_parts = _named_month_date(text, found.get(MONTH_CATEGORY, []), kb) or _numeric_date(text, kb)
    if day_parts is None:
        return None
    day, parts = day_parts
    clock = _clock(text, kb)
    value = None
    if day is not None:
        value = day.isoformat()
        if clock is not None:
            value += "T" + clock[0]
            parts.extend(clock[1])
    for weekday in found.get(WEEKDAY_CATEGORY, []):
        parts.append(_Part(weekday.start - len(weekday.prefix), weekday.end))
    cue, cue_parts = _cue(text, kb)
    parts.extend(cue_parts)
    start, end = norm.span_to_original(min(p.start for p in parts), max(p.end for p in parts))
    return DateReading(value, start, end, cue, _other_words(text, parts))


def may_name_a_date(text: str) -> bool:
    """Every date read here has a four-digit year and a day of one or two digits (28 مايو 2025,
    28/05/2025, 2025-05-28): a normalised line without both (most lines of an article, and most of
    those that name a year: "منذ عام 2014") needs neither the lexicon scan nor the date rules."""
    return _YEAR.search(text) is not None and _DAY_OR_MONTH.search(text) is not None


def parse_container_date(value: str) -> str | None:
    """ISO 8601 for a container's date (RFC 2822 as in RSS/ANT, or ISO 8601 as in WARC/JSON)."""
    value = value.strip()
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        try:
            stamp = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    else:
        if _ISO_DAY.fullmatch(value):  # a day alone (only ISO 8601 writes one) stays a day
            return stamp.date().isoformat()
    return stamp.isoformat(timespec="seconds" if stamp.second else "minutes")


def _named_month_date(
    text: str, months: list[LexMatch], kb: KnowledgeBase
) -> tuple[date | None, list[_Part]] | None:
    """``28 مايو 2025`` / ``28 مايو/أيار 2025``: the first Gregorian one, else the first Hijri one
    (the parts of every date on the line are returned, so a Hijri date beside it is not "other words")."""
    readings: list[tuple[bool, date | None, list[_Part]]] = []
    for index, month in enumerate(months):
        month_start = month.start - len(month.prefix)
        day = _DAY_BEFORE.search(text, 0, month_start)
        if day is None:
            continue
        month_end = month.end
        following = months[index + 1] if index + 1 < len(months) else None
        if following is not None and re.fullmatch(r"\s*[/(]\s*", text[month_end : following.start]):
            month_end = following.end + (1 if text.startswith(")", following.end) else 0)
        year = _YEAR_AFTER.search(text[month_end:])
        if year is None:
            continue
        year_end = month_end + year.end()
        hijri_end = _hijri_mark_end(text, year_end, kb)
        calendar = month.payload["calendar"]
        numbers = (int(year.group(1)), month.payload["month"], int(day.group(1)))
        parts = [_Part(day.start(), hijri_end or year_end)]
        readings.append((calendar == "gregorian", _to_date(*numbers, calendar=calendar), parts))
    if not readings:
        return None
    readings.sort(key=lambda reading: not reading[0])
    return readings[0][1], [part for reading in readings for part in reading[2]]


def _numeric_date(text: str, kb: KnowledgeBase) -> tuple[date | None, list[_Part]] | None:
    """``28/05/2025`` (day first, as Arabic pages write it) or ``2025-05-28``."""
    for pattern, order in ((_NUMERIC_YEAR_FIRST, (1, 3, 4)), (_NUMERIC_DAY_FIRST, (4, 3, 1))):
        m = pattern.search(text)
        if m is None:
            continue
        year, month, day = (int(m.group(g)) for g in order)
        hijri_end = _hijri_mark_end(text, m.end(), kb)
        calendar = "hijri" if hijri_end else "gregorian"
        return _to_date(year, month, day, calendar=calendar), [_Part(m.start(), hijri_end or m.end())]
    return None


def _to_date(year: int, month: int, day: int, *, calendar: str) -> date | None:
    try:
        if calendar == "hijri":
            return Hijri(year, month, day).to_gregorian()
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _hijri_mark_end(text: str, at: int, kb: KnowledgeBase) -> int | None:
    """End of a Hijri mark (هـ) right after ``at``, if there is one."""
    return _marker_after(text, at, kb.layout.hijri_markers)


def _marker_after(text: str, at: int, markers: list[str]) -> int | None:
    """End of the longest of ``markers`` standing as a word right after ``at`` (spaces allowed)."""
    rest = text[at:]
    stripped = rest.lstrip()
    offset = at + len(rest) - len(stripped)
    for marker in _longest_first(tuple(markers)):
        end = offset + len(marker)
        if stripped.startswith(marker) and (end == len(text) or not _WORD.match(text[end])):
            return end
    return None


def _clock(text: str, kb: KnowledgeBase) -> tuple[str, list[_Part]] | None:
    """``4:48 م`` → 16:48, ``12:05 ص`` → 00:05, ``16:48 GMT`` → 16:48+00:00."""
    m = _CLOCK.search(text)
    if m is None:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    end = m.end()
    pm_end = _marker_after(text, end, kb.layout.pm_markers)
    am_end = _marker_after(text, end, kb.layout.am_markers)
    if pm_end is not None and hour < 12:
        hour += 12
    elif am_end is not None and hour == 12:
        hour = 0
    end = pm_end or am_end or end
    if hour > 23 or minute > 59:
        return None
    value = f"{hour:02d}:{minute:02d}" + (f":{m.group(3)}" if m.group(3) else "")
    utc_end = _marker_after(text, end, kb.layout.utc_markers)
    if utc_end is not None:
        end = utc_end
        offset = _UTC_OFFSET.match(text[end:])
        if offset is None:
            value += "+00:00"
        else:
            value += f"{offset.group(1)}{int(offset.group(2)):02d}:{offset.group(3) or '00'}"
            end += offset.end()
    return value, [_Part(m.start(), end)]


def _cue(text: str, kb: KnowledgeBase) -> tuple[Cue | None, list[_Part]]:
    """Whether the line says published or updated, and where it says so."""
    for cue, pattern in _cue_patterns(tuple(kb.layout.updated_cues), tuple(kb.layout.published_cues)):
        m = pattern.search(text)
        if m is not None:
            return cue, [_Part(m.start(), m.end())]
    return None, []


@lru_cache(maxsize=64)
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Layout phrases normalised, longest first (once per list, not once per line)."""
    return tuple(sorted((normalize_key(p).lower() for p in phrases), key=len, reverse=True))


@lru_cache(maxsize=16)
def _cue_patterns(updated: tuple[str, ...], published: tuple[str, ...]) -> list[tuple[Cue, re.Pattern[str]]]:
    """One compiled pattern per cue phrase, "updated" first, each list longest first."""
    return [
        (cue, re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)"))
        for cue, phrases in (("updated", updated), ("published", published))
        for phrase in _longest_first(phrases)
    ]


def _other_words(text: str, parts: list[_Part]) -> int:
    """Words of ``text`` outside the date expression (a dateline has few: a city, an author)."""
    covered = [False] * len(text)
    for part in parts:
        covered[part.start : part.end] = [True] * (part.end - part.start)
    return sum(1 for m in _WORD.finditer(text) if not any(covered[m.start() : m.end()]))
