"""Rules that read a token stream into time expressions (HeidelTime-style patterns, words from the KB).

Each rule tries to read an expression starting at a token and returns a ``Reading`` (how far it
reaches, TIMEX3 type and value); at each place the longest reading wins.  Values that depend on
the publication date (the *anchor*) are left ``None`` when there is none.

Conventions for news (documented, and the same as HeidelTime's news setting):
* a weekday alone (الثلاثاء) is the latest such day on or before the anchor; with الماضي strictly
  before, with المقبل/القادم strictly after;
* a month alone or with a day (11 سبتمبر) is the coming one when it falls up to three months after
  the anchor's month, otherwise the latest one behind: news mostly reports what has happened, and
  plans it announces are near, so in January "ديسمبر" is last December, in September "يناير" last
  January, and in May "يونيو" the coming June; with الجاري it is in the
  anchor's year, with الماضي the latest such month before the anchor's month, with المقبل the next
  one after it; after an event noun (ثورة يناير، هجمات 11 سبتمبر) it has no value;
* a time counted from the story's own time (اليوم التالي، السنوات اللاحقة، اليوم الأول) has no value;
* "the last N units" (الأسابيع الثلاثة الأخيرة) is the interval of N units ending at the anchor.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from marsad.extract.timex import dates
from marsad.extract.timex.dates import Period
from marsad.extract.timex.tokens import ANYTHING, END, AnyToken, Starts
from marsad.models import TimeType
from marsad.text.normalize import normalize_key

_SEPARATORS = {"،", ","}
_PAIR = {"/", "-", "–"}
_DASHES = {"-", "–"}
_LIST = {"و", "،", ",", "-", "–"}  # and the range cues (إلى، حتى)
_NUMERIC_DATE = {"/", "-", "."}
_NEAREST_AHEAD = 3  # a bare month up to this many months after the anchor's month is the coming one
_ARTICLE = re.compile(r"^[وف]?[بك]?ال|^[وف]?لل")
_PRONOUN_ENDINGS = ("ها", "هم", "هما", "هن", "نا", "كم", "ته", "تها")
_YEAR_RANGE = {"gregorian": (1800, 2100), "hijri": (1300, 1600)}
_CALENDAR_UNITS = {"D", "W", "M", "Y"}
_LOOKAHEAD = 16  # end markers after a region: more than any rule reads past a token it has matched


class Reading(NamedTuple):
    """An expression over tokens ``[first, stop)``.  A named tuple: the rules make a dozen per article
    (the ones they build on too), and a tuple is the cheapest immutable record to make."""

    first: int
    stop: int
    type: TimeType
    value: str | None = None
    anchored: bool = False
    weekday_consistent: bool | None = None
    period: Period | None = None  # the calendar period, when the expression names one


class Grammar:
    """Reads an article's tokens (stretches between end markers); ``tokens`` is padded with end markers,
    so a rule may look a few tokens past either end (index -1 wraps round to a marker) without bounds
    checks."""

    def __init__(self, tokens: list[AnyToken], anchor: date | None):
        self.size = len(tokens)
        self.tokens = [*tokens, *[END] * _LOOKAHEAD]
        self.anchor = anchor

    # ------------------------------------------------------------------ driver

    def readings(self) -> list[Reading]:
        """The longest reading at each place, left to right; only time words and numbers start one."""
        found: list[Reading] = []
        tokens = self.tokens
        reached = 0
        for i in [k for k in range(self.size) if tokens[k].readings or tokens[k].digits]:
            if i < reached:
                continue
            best: Reading | None = None
            for rule in _starting_rules(tokens[i], tokens[i + 1]):
                reading = rule(self, i)
                if reading is not None and (best is None or reading.stop > best.stop):
                    best = reading
            if best is not None:
                found.append(best)
                reached = best.stop
        return found

    def best_at(self, i: int, rules: tuple[Callable[[int], Reading | None], ...]) -> Reading | None:
        best: Reading | None = None
        for rule in rules:
            reading = rule(i)
            if reading is not None and (best is None or reading.stop > best.stop):
                best = reading
        return best

    # ------------------------------------------------------------------ token tests

    def tok(self, i: int) -> AnyToken:
        return self.tokens[i]

    def get(self, i: int, category: str) -> Any:
        return self.tokens[i].readings.get(category)

    def cue(self, i: int, *names: str) -> bool:
        cue = self.tokens[i].readings.get("time_cue")
        return cue is not None and cue["cue"] in names

    def punct(self, i: int, marks: set[str] | str) -> bool:
        return self.tokens[i].text in marks

    def unit(self, i: int, *, count: Any = "any", definite: bool | None = None) -> dict | None:
        t = self.tokens[i]
        unit = t.readings.get("time_unit")
        if unit is None:
            return None
        if count != "any" and unit["count"] != count:
            return None
        if definite is not None and t.definite != definite:
            return None
        return unit

    def number(self, i: int) -> int | None:
        return self.tokens[i].number

    def year_number(self, i: int, calendar: str = "gregorian") -> int | None:
        """A four-digit number in the range of years news writes about (Gregorian or Hijri)."""
        t = self.tokens[i]
        if not t.digits or t.number is None or len(t.text) != 4:
            return None
        lowest, highest = _YEAR_RANGE[calendar]
        return t.number if lowest <= t.number <= highest else None

    def blocked_by_next(self, i: int, payload: dict) -> bool:
        """The form at ``i`` is a plain word before one of its ``not_before`` words."""
        return self.tokens[i + 1].text in _normalized(tuple(payload.get("not_before", ())))

    # ------------------------------------------------------------------ anchored helpers

    def anchored(self, first: int, stop: int, type_: TimeType, period: Period | None, **kw) -> Reading:
        value = period.value if period else None
        return Reading(first, stop, type_, value, period is not None, period=period, **kw)

    def day_from_anchor(self, days: int) -> Period | None:
        return None if self.anchor is None else dates.day(self.anchor + timedelta(days=days))

    def weekday_date(self, iso_weekday: int, relative: dict | None) -> Period | None:
        shift = relative["shift"] if relative else None
        if self.anchor is None or narrative(relative):
            return None
        back = (self.anchor.isoweekday() - iso_weekday) % 7
        if shift == 1:
            ahead = (iso_weekday - self.anchor.isoweekday()) % 7 or 7
            return dates.day(self.anchor + timedelta(days=ahead))
        if shift == -1 and back == 0:
            back = 7
        return dates.day(self.anchor - timedelta(days=back))

    # ------------------------------------------------------------------ rules

    def deictic(self, i: int) -> Reading | None:
        """اليوم، أمس، غدا، بعد غد (after an optional يوم, before an optional weekday); الآن، مؤخرا."""
        j = i + 1 if self.unit(i, count=1, definite=False) else i
        word = self.get(j, "time_deictic")
        if word is None or self.blocked_by_next(j, word):
            return None
        if "ref" in word:
            return None if j != i else Reading(i, i + 1, TimeType.DATE, word["ref"])
        period = self.day_from_anchor(word["days"])
        weekday = self.get(j + 1, "weekday")
        stop = j + 2 if weekday else j + 1
        consistent = None
        if weekday and period is not None:
            consistent = period.start.isoweekday() == weekday
        reading = self.anchored(i, stop, TimeType.DATE, period, weekday_consistent=consistent)
        return self.with_daypart_after(reading)

    def weekday(self, i: int) -> Reading | None:
        """(يوم) الثلاثاء (الماضي/المقبل)."""
        j = i + 1 if self.unit(i, count=1, definite=False) else i
        weekday = self.get(j, "weekday")
        if weekday is None:
            return None
        relative = self.get(j + 1, "time_relative")
        stop = j + 2 if relative else j + 1
        reading = self.anchored(i, stop, TimeType.DATE, self.weekday_date(weekday, relative))
        return self.with_daypart_after(reading)

    def with_daypart_after(self, reading: Reading) -> Reading:
        """أمس مساء، الأحد صباحا: a day followed by a part of the day is a TIME."""
        part = self.get(reading.stop, "time_daypart")
        if part is None or part.get("abbreviation"):
            return reading
        return self.daypart_time(reading.first, reading.stop + 1, part, reading)

    def daypart_time(self, first: int, stop: int, part: dict, day: Reading) -> Reading:
        on_a_day = day.value and day.period and day.period.grain == "D"
        value = f"{day.value}T{part['part']}" if on_a_day else None
        return Reading(first, stop, TimeType.TIME, value, day.anchored, day.weekday_consistent)

    def daypart(self, i: int) -> Reading | None:
        """صباح اليوم، مساء الأحد، ظهر أمس."""
        part = self.get(i, "time_daypart")
        if part is None or part.get("abbreviation"):
            return None
        day = self.best_at(i + 1, (self.deictic, self.weekday, self.calendar_date))
        if day is None or day.type != TimeType.DATE or (day.period and day.period.grain != "D"):
            return None
        return self.daypart_time(i, day.stop, part, day)

    def clock(self, i: int) -> Reading | None:
        """الساعة 4:48 مساء، الساعة العاشرة صباحا، 10:30 ص."""
        j = i + 1 if self.cue(i, "clock") else i
        t = self.tok(j)
        ordinal = self.get(j, "time_ordinal")
        if t.clock is not None:
            hour, minute = t.clock
        elif j > i and t.digits and t.number is not None and t.number <= 24:
            hour, minute = t.number, 0
        elif j > i and ordinal is not None and ordinal["n"] <= 12:
            hour, minute = ordinal["n"], 0
        else:
            return None
        part = self.get(j + 1, "time_daypart")
        if j == i and part is None:
            return None
        if hour > 24 or minute > 59:
            return None
        if part is not None and part["pm"] and hour < 12:
            hour += 12
        stop = j + 2 if part else j + 1
        value = None if self.anchor is None else f"{self.anchor.isoformat()}T{hour:02d}:{minute:02d}"
        return Reading(i, stop, TimeType.TIME, value, value is not None)

    def months_at(self, i: int) -> tuple[dict, int, bool] | None:
        """A month name, or the same month in two calendars' names: مارس/آذار، ديسمبر - كانون الأول،
        نوفمبر (تشرين الثاني)، مايو أيار; returns it, the next index, and whether it was paired."""
        month = self.get(i, "month")
        if month is None:
            return None
        j = i + 1
        while True:
            if self.punct(j, _PAIR) and self.same_month(j + 1, month):
                j += 2
            elif self.punct(j, "(") and self.same_month(j + 1, month) and self.punct(j + 2, ")"):
                j += 3
            elif self.same_month(j, month):
                j += 1
            else:
                return month, j, j > i + 1

    def same_month(self, i: int, month: dict) -> bool:
        other = self.get(i, "month")
        return (
            other is not None and other["month"] == month["month"] and other["calendar"] == month["calendar"]
        )

    def year_at(self, i: int) -> tuple[int, str, int] | None:
        """An explicit year (عام/العام/سنة before it optional, an era after it optional)."""
        j = i + 1 if self.unit(i, count=1) and self.get(i, "time_unit")["unit"] == "Y" else i
        era = self.get(j + 1, "time_cue")
        calendar = era["calendar"] if era and era["cue"] == "era" else "gregorian"
        y = self.year_number(j, calendar)
        if y is None:
            return None
        return y, calendar, j + 2 if era and era["cue"] == "era" else j + 1

    def day_number(self, j: int) -> tuple[int, int] | None:
        """A day of the month before its month: 28 (مايو), 25 من (مارس), الأول من (يوليو),
        الثامن والعشرين من (يونيو); returns the day and the index of the month."""
        t = self.tok(j)
        if t.digits and t.number is not None and 1 <= t.number <= 31 and len(t.text) <= 2:
            return t.number, j + 2 if self.cue(j + 1, "of") else j + 1
        ordinal = self.get(j, "time_ordinal")
        counted = self.get(j - 1, "time_unit") or self.get(j - 1, "time_period")
        if ordinal is None or (counted and self.tok(j - 1).text != "يوم"):
            return None  # الأسبوع الأول من مايو counts weeks, not days (يوم السادس من مايو is a day)
        n, k = ordinal["n"], j + 1
        tens = self.get(k, "time_ordinal")
        if tens is not None and n < 10 and tens["n"] in (20, 30) and self.tok(k).clitic == "و":
            n, k = n + tens["n"], k + 1
        return (n, k + 1) if n <= 31 and self.cue(k, "of") else None

    def calendar_date(self, i: int) -> Reading | None:
        """(الثلاثاء،) 28 مايو (،) 2025 / (شهر) مارس/آذار (عام) 2024 / أبريل الماضي / 11 ابريل الجاري /
        الأول من يوليو / ديسمبر من العام الماضي / يوم 30 يونيو."""
        j = i + 1 if self.unit(i, count=1, definite=False) and self.get(i, "time_unit")["unit"] == "D" else i
        weekday = self.get(j, "weekday")
        if weekday:
            j += 2 if self.punct(j + 1, _SEPARATORS) else 1
        day = self.day_number(j)
        day_number = None
        if day is not None:
            day_number, j = day
        elif weekday is not None or j > i:
            return None
        named_month = self.unit(j, count=1) and self.get(j, "time_unit")["unit"] == "M"
        if named_month:
            j += 1
        months = self.months_at(j)
        if months is None:
            return None
        month, j, paired = months
        k = j + 1 if self.punct(j, _SEPARATORS) else j
        explicit = self.year_at(k)
        of_year = None
        if explicit is None and self.cue(j, "of"):
            explicit = self.year_at(j + 1)
            of_year = None if explicit else self.relative_unit(j + 1)
            of_unit = self.unit(j + 1 + self.cue(j + 1, "this"), count=1)
            if of_year is not None and (of_unit is None or of_unit["unit"] != "Y"):
                of_year = None  # مايو من العام الماضي, not مايو من الأعوام الماضية
        relative = None if explicit or of_year else self.get(j, "time_relative")
        context = day_number is not None or named_month or paired or explicit or relative or of_year
        if month.get("ambiguous") and not context:
            return None
        if of_year is not None:
            j = of_year.stop
        stop = explicit[2] if explicit else j + (1 if relative else 0)
        period = self.month_period(month, explicit, relative, of_year)
        if not explicit and self.cue(i - 1, "event"):
            period = None  # ثورة يناير: the month of a past event, whose year is not the anchor's
        if period is not None and day_number is not None:
            if day_number > (period.end - period.start).days + 1:
                period = None
            else:
                period = dates.day(period.start.replace(day=day_number))
        elif day_number is not None and month["calendar"] != "gregorian":
            period = None  # a Hijri day depends on the moon sighting: not certain
        consistent = None
        if weekday is not None and period is not None:
            consistent = period.start.isoweekday() == weekday
        return Reading(
            i,
            stop,
            TimeType.DATE,
            period.value if period else None,
            not explicit and period is not None,
            consistent,
            period,
        )

    def month_period(
        self, month: dict, explicit: tuple | None, relative: dict | None, of_year: Reading | None = None
    ) -> Period | None:
        number = month["month"]
        if month["calendar"] == "hijri":
            return dates.hijri_month(explicit[0], number) if explicit and explicit[1] == "hijri" else None
        if explicit:
            return dates.month(explicit[0], number) if explicit[1] == "gregorian" else None
        if of_year is not None:
            return dates.month(of_year.period.start.year, number) if of_year.period else None
        if self.anchor is None or narrative(relative):
            return None
        y = self.anchor.year
        if relative is None:  # the nearest such month (see the module docstring)
            ahead = (number - self.anchor.month) % 12
            if ahead <= _NEAREST_AHEAD:
                return dates.month(y + (number < self.anchor.month), number)
            return dates.month(y - (number > self.anchor.month), number)
        if relative["shift"] < 0 and number >= self.anchor.month:
            y -= 1
        elif relative["shift"] > 0 and number <= self.anchor.month:
            y += 1
        return dates.month(y, number)

    def day_list(self, i: int) -> Reading | None:
        """The first days of a list or range that names its month once: (يومي) 10 و11 أبريل،
        من 12 إلى 15 مايو; each day is its own expression, in the month and year of the last."""
        t = self.tok(i)
        if not t.digits or t.number is None or not 1 <= t.number <= 31 or len(t.text) > 2:
            return None
        k = i
        while (self.punct(k + 1, _LIST) or self.cue(k + 1, "range")) and self.day_number(k + 2):
            k += 2
        last = self.calendar_date(k) if k > i else None
        if last is None or (last.period and last.period.grain != "D"):
            return None
        period = None
        if last.period is not None:
            try:
                period = dates.day(last.period.start.replace(day=t.number))
            except ValueError:  # 31 و1 مايو: no such day in the last day's month
                period = None
        return Reading(
            i, i + 1, TimeType.DATE, period.value if period else None, last.anchored, period=period
        )

    def numeric_date(self, i: int) -> Reading | None:
        """A date written in digits: 24/12/2015، 24-12-2015، 2015-12-24 (one separator, no spaces)."""
        first, sep, middle, sep2, last = parts = self.tokens[i : i + 5]
        if sep.text not in _NUMERIC_DATE or sep2.text != sep.text or not (first.digits and middle.digits):
            return None
        if not all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False)):
            return None
        year_first = self.year_number(i)
        d, m = (last.number, middle.number) if year_first else (first.number, middle.number)
        y = year_first or self.year_number(i + 4)
        if y is None or d is None or m is None or not last.digits:
            return None
        try:
            period = dates.day(date(y, m, d))
        except ValueError:
            return None
        return Reading(i, i + 5, TimeType.DATE, period.value, period=period)

    def day_noun(self, i: int) -> Reading | None:
        """يوم before what names the day (يوم الامتحان، يوم نرى فيه، في يوم من الأيام): a day with no
        calendar value.  يوم واحد is a duration, and يوما بعد يوم a repetition, read elsewhere."""
        t = self.tok(i)
        unit = self.unit(i, count=1, definite=False)
        if unit is None or unit["unit"] != "D" or t.text != "يوم" or self.tokens[i + 1] is END:
            return None
        if self.number(i + 1) is not None or self.cue(i + 1, "range", "within", "after"):
            return None
        if self.cue(i - 1, "ago", "after"):
            return Reading(i, i + 1, TimeType.DURATION, dates.duration(1, "D"))  # بعد يوم من الهجوم
        return Reading(i, i + 1, TimeType.DATE)

    def year(self, i: int) -> Reading | None:
        """العام 2024، عام 2003، 2002م، and a bare year after a preposition (في 2003، منذ 1949)."""
        found = self.year_at(i)
        if found is None:
            return None
        y, era, stop = found
        has_marker = stop - i > 1
        before = self.tok(i - 1)
        after_year_list = before.text == "و" and self.year_number(i - 2)
        lead = self.cue(i - 1, "within", "after", "since", "range", "of", "ago") or self.get(
            i - 1, "time_part"
        )
        dual = self.unit(i - 1, count=2) is not None and self.get(i - 1, "time_unit")["unit"] == "Y"
        bracketed = self.punct(i - 1, "(") and self.punct(stop, ")")
        dashed = self.punct(i - 1, _DASHES) or (self.punct(stop, _DASHES) and self.year_number(stop + 1))
        if not (has_marker or lead or after_year_list or bracketed or dual or dashed):
            return None
        if era == "hijri":
            return Reading(i, stop, TimeType.DATE, None)
        period = dates.year(y)
        return Reading(i, stop, TimeType.DATE, period.value, False, period=period)

    def relative_unit(self, i: int) -> Reading | None:
        """العام الماضي، الشهر الجاري، الأسبوع المقبل، هذا العام، ذلك اليوم، القرن الماضي، القرن 19."""
        if self.cue(i, "that"):  # ذلك اليوم، تلك السنة: the story's day or year, not the publication's
            return Reading(i, i + 2, TimeType.DATE) if self.unit(i + 1, count=1, definite=True) else None
        this = self.cue(i, "this")
        j = i + 1 if this else i
        unit = self.unit(j, count=1, definite=True)
        if unit is None:
            return None
        relative = self.get(j + 1, "time_relative")
        ordinal = self.get(j + 1, "time_ordinal")
        if ordinal and not this:
            return self.ordinal_unit(i, unit["unit"], ordinal["n"])
        if relative is None and not this:
            return None
        shift = relative["shift"] if relative else 0
        stop = j + 2 if relative else j + 1
        if self.anchor is None or narrative(relative) or (unit["unit"] == "D" and shift and not this):
            return Reading(i, stop, TimeType.DATE)  # اليوم التالي/السابق: a day of the story
        if unit["unit"] in ("CE", "DE"):
            size = 100 if unit["unit"] == "CE" else 10
            return Reading(i, stop, TimeType.DATE, str(self.anchor.year // size + shift), True)
        if unit["unit"] not in _CALENDAR_UNITS or (unit["unit"] == "D" and not this):
            return None
        moved = dates.shift(self.anchor, unit["unit"], shift)
        period = dates.period_of(moved, unit["unit"]) if moved else None
        return self.anchored(i, stop, TimeType.DATE, period)

    def ordinal_unit(self, i: int, unit: str, n: int) -> Reading | None:
        """القرن التاسع عشر; العقد الأول (من القرن الماضي) → 190; اليوم الأول (of an event, no value);
        other units only as a part of a named period (الأسبوع الأول من مايو)."""
        if unit == "CE":
            return Reading(i, i + 2, TimeType.DATE, f"{n - 1:02d}")
        whole = (
            self.best_at(i + 3, (self.calendar_date, self.year, self.relative_unit))
            if self.cue(i + 2, "of")
            else None
        )
        if unit == "DE" and n <= 10:
            century = (
                whole.value
                if whole and whole.value and whole.value.isdigit() and len(whole.value) == 2
                else None
            )
            value = f"{century}{n - 1}" if century else None
            return Reading(
                i, whole.stop if whole else i + 2, TimeType.DATE, value, bool(whole and whole.anchored)
            )
        if whole is not None:
            return Reading(i, whole.stop, TimeType.DATE)
        return Reading(i, i + 2, TimeType.DATE) if unit == "D" else None

    def window(self, i: int) -> Reading | None:
        """الأسابيع الثلاثة الأخيرة، السنوات الخمس الماضية، الأيام المقبلة; الأشهر الأربعة الأولى من العام."""
        unit = self.unit(i, definite=True)
        if unit is None or unit["count"] == 1:
            return None
        j = i + 1
        n = unit["count"]
        if n is None and self.number(j) is not None and self.tok(j).readings.get("number"):
            n, j = self.number(j), j + 1
        ordinal = self.get(j, "time_ordinal")
        relative = self.get(j, "time_relative")
        if (ordinal and ordinal["n"] == 1) or (relative and relative.get("last")):
            part = self.first_or_last(i, j, unit["unit"], n, bool(ordinal))
            if part is not None:
                return part
        if relative is None or not relative.get("window"):
            return None
        future = relative["shift"] > 0
        if n is None:
            value = None if narrative(relative) else "FUTURE_REF" if future else "PAST_REF"
            return Reading(i, j + 1, TimeType.DATE, value)
        if self.anchor is None or unit["unit"] not in _CALENDAR_UNITS or narrative(relative):
            value = dates.duration(n, unit["unit"]) if self.anchor is None or narrative(relative) else None
            return Reading(i, j + 1, TimeType.DURATION, value)
        other = dates.shift(self.anchor, unit["unit"], n if future else -n)
        if other is None:
            return Reading(i, j + 1, TimeType.DURATION, dates.duration(n, unit["unit"]))
        value = dates.interval(*sorted((self.anchor, other)))
        return Reading(i, j + 1, TimeType.DURATION, value, True)

    def first_or_last(self, i: int, j: int, unit: str, n: int | None, first: bool) -> Reading | None:
        """الأشهر الأربعة الأولى من العام الجاري → 2025-01-01/2025-04-30."""
        if not self.cue(j + 1, "of"):
            return None
        whole = self.best_at(j + 2, (self.calendar_date, self.year, self.relative_unit))
        if whole is None:
            return None
        value = None
        if whole.period is not None and n is not None and unit in _CALENDAR_UNITS:
            p = whole.period
            if first:
                end = dates.shift(p.start, unit, n)
                value = dates.interval(p.start, end - timedelta(days=1)) if end else None
            else:
                start = dates.shift(p.end + timedelta(days=1), unit, -n)
                value = dates.interval(start, p.end) if start else None
        return Reading(i, whole.stop, TimeType.DATE, value, whole.anchored)

    def amount(self, i: int) -> tuple[float | None, str | None, int] | None:
        """A counted amount of time: 26 عاما، ثلاثة أيام، عامين، بضعة أيام، يوم واحد، ربع قرن, or a bare
        count before a range (ثلاثة إلى خمسة أيام); returns (count, unit or None, next index)."""
        unit = self.unit(i)
        if unit is not None:
            if unit.get("construct") or (unit.get("ambiguous") and not self.time_context(i)):
                return None
            if (
                unit["count"] == 1
                and self.number(i + 1) == 1
                and not (self.tok(i).definite or self.tok(i + 1).definite)
            ):
                return 1, unit["unit"], i + 2
            return unit["count"], unit["unit"], i + 1
        if self.cue(i, "some"):
            unit = self.unit(i + 1, count=None, definite=False)
            return (None, unit["unit"], i + 2) if unit else None
        word = self.get(i, "number")
        if word and word.get("fraction") and not word.get("plural"):
            unit = self.unit(i + 1, count=1, definite=False)
            return (word["fraction"], unit["unit"], i + 2) if unit else None
        n = self.number(i)
        if n is None:
            return None
        unit = self.unit(i + 1, definite=False)
        if unit is not None and unit["count"] != 2 and not unit.get("construct"):
            return n, unit["unit"], i + 2
        return n, None, i + 1

    def time_context(self, i: int) -> bool:
        """A time preposition before a unit noun, or من after it (منذ عقود، عقود من الحرب)."""
        return self.cue(i - 1, "ago", "since", "within", "after", "every", "range", "bound") or self.cue(
            i + 1, "of"
        )

    def measured(self, i: int) -> tuple[Reading, float | None, str | None, bool] | None:
        """A duration, after a bound if there is one (أكثر من قرن، نحو عامين); returns it, its count and
        unit, and whether it was bounded (then its count is no exact count)."""
        bounded = self.cue(i, "bound")
        j = i + 1 if bounded else i
        span = self.durations(j, bare=bounded)
        if span is None:
            return None
        amount = self.amount(j)
        return span._replace(first=i), amount[0], amount[1], bounded

    def durations(self, i: int, bare: bool = False) -> Reading | None:
        """ثلاثة أيام، 26 عاما، عامين، أسبوعين، ساعات، عام إلى عامين، 3 إلى 5 سنوات; ``bare``: a unit
        noun alone counts too (after أكثر من)."""
        if self.cue(i, "bound") and not bare:
            measured = self.measured(i)
            return None if measured is None else measured[0]
        left = self.amount(i)
        if left is None:
            return None
        n, unit, j = left
        if self.cue(j, "range"):
            right = self.amount(j + 1)
            if right is not None and right[1] is not None and right[0] is not None:
                n_right, unit_right, stop = right
                unit = unit or unit_right
                if unit == unit_right and n is not None:
                    value = f"{dates.duration(n, unit)}/{dates.duration(n_right, unit)}"
                    return Reading(i, stop, TimeType.DURATION, value)
        if unit is None:
            return None
        t = self.tok(i)
        bare_unit = j == i + 1 and self.unit(i) is not None
        if bare_unit and n == 1 and not (self.accusative(i) or (bare and not t.definite)):
            return None  # a unit noun alone (يوم، العام) is not a duration; the adverbial يوما، عاما is
        if bare_unit and n is None and (t.definite or self.definite_next(j)):
            return None  # أيام العيد، الأيام: construct state or definite plural
        return Reading(i, j, TimeType.DURATION, dates.duration(n, unit))

    def accusative(self, i: int) -> bool:
        """An indefinite unit with the tanween alef (بقي يوما، عاما) measures time adverbially."""
        t = self.tok(i)
        return not t.definite and t.text.endswith("ا") and not t.clitic

    def definite_next(self, j: int) -> bool:
        t = self.tok(j)
        return t.definite

    def ago(self, i: int) -> Reading | None:
        """قبل ثلاثة أيام، منذ عامين → the date that far before the anchor."""
        if not self.cue(i, "ago", "since"):
            return None
        measured = self.measured(i + 1)
        if measured is None or "/" in (measured[0].value or ""):
            return None
        span, n, unit, bounded = measured
        if n is None or bounded or n != int(n) or unit not in _CALENDAR_UNITS or self.anchor is None:
            return Reading(i, span.stop, TimeType.DATE)
        n = int(n)
        grain = "D" if unit == "W" else unit
        moved = dates.shift(self.anchor, unit, -n)
        period = dates.period_of(moved, grain) if moved else None
        return self.anchored(i, span.stop, TimeType.DATE, period)

    def every(self, i: int) -> Reading | None:
        """كل يوم، كل عامين، يوميا."""
        named = self.get(i, "time_period")
        if named and "set" in named:
            if self.number(i + 1) is not None or self.get(i + 1, "weekday") or self.get(i + 1, "month"):
                return None  # يومي 10 و11، يومي الخميس والجمعة: the dual "the two days of", not "daily"
            if not self.tok(i).text.endswith("ا") and not self.agrees(i):
                return None  # داخل الأسبوعية: the noun "the weekly (paper)", not an adjective
            return Reading(i, i + 1, TimeType.SET, named["set"])
        if not self.cue(i, "every"):
            return None
        amount = self.amount(i + 1)
        if amount is None or amount[1] is None or amount[0] is None:
            return None
        return Reading(i, amount[2], TimeType.SET, dates.duration(amount[0], amount[1]))

    def agrees(self, i: int) -> bool:
        """An adjective follows a word and agrees with it in definiteness (المعاناة اليومية، انتقاداته
        اليومية، بشكل يومي); after a preposition or a punctuation mark it is a noun."""
        before, t = self.tok(i - 1), self.tok(i)
        if not before.text.isalpha() or before.readings.get("time_cue"):
            return False
        definite = bool(_ARTICLE.match(before.text)) or before.text.endswith(_PRONOUN_ENDINGS)
        return definite == t.definite

    def part_of(self, i: int) -> Reading | None:
        """مطلع/منتصف/أواخر + a period: the period's value (TimeML keeps the part in mod)."""
        if self.get(i, "time_part") is None:
            return None
        whole = self.best_at(i + 1, (self.calendar_date, self.year, self.relative_unit, self.named_period))
        if whole is None or whole.type != TimeType.DATE:
            return None
        return whole._replace(first=i)

    def named_period(self, i: int) -> Reading | None:
        """Seasons (الصيف الماضي), halves and quarters (النصف الثاني من العام), decades (التسعينيات)."""
        named = self.get(i, "time_period")
        if named is None or self.blocked_by_next(i, named):
            return None
        if "decade" in named:
            if self.anchor is None:
                return Reading(i, i + 1, TimeType.DATE)
            century = self.anchor.year // 100 - (named["decade"] * 10 > self.anchor.year % 100)
            return Reading(i, i + 1, TimeType.DATE, f"{century}{named['decade']}", True)
        if "season" in named:
            relative = self.get(i + 1, "time_relative")
            explicit = self.year_at(i + 1)
            stop = explicit[2] if explicit else i + 1 + bool(relative)
            if explicit:
                return Reading(i, stop, TimeType.DATE, f"{explicit[0]}-{named['season']}")
            if self.anchor is None:
                return Reading(i, stop, TimeType.DATE)
            if narrative(relative):
                return Reading(i, stop, TimeType.DATE)
            y = self.anchor.year + (relative["shift"] if relative else 0)
            return Reading(i, stop, TimeType.DATE, f"{y}-{named['season']}", True)
        if "fraction" in named:
            ordinal = self.get(i + 1, "time_ordinal")
            if ordinal is None or ordinal["n"] > (2 if named["fraction"] == "H" else 4):
                return None
            whole = self.best_at(i + 3, (self.year, self.relative_unit)) if self.cue(i + 2, "of") else None
            stop = whole.stop if whole else i + 2
            base = whole.period if whole and whole.period and whole.period.grain == "Y" else None
            if base is None and (whole is not None or self.anchor is None):
                return Reading(i, stop, TimeType.DATE)
            y = base.start.year if base else self.anchor.year
            return Reading(i, stop, TimeType.DATE, f"{y}-{named['fraction']}{ordinal['n']}", base is None)
        return None


def narrative(relative: dict | None) -> bool:
    """The relative word counts from the story's time (التالي، اللاحق), not from the publication."""
    return bool(relative and relative.get("narrative"))


# ------------------------------------------------------------------ dispatch

# Where each rule may begin, in the order the rules are tried (on equal length the earlier rule wins):
# the kind of its first token (a lexicon category, "time_cue:" and the cue, "digits", "year" or
# "clock"), and what the rule needs right after it to read anything: the kinds of the next token, or
# a punctuation mark or و it reads there; "*" (ANYTHING): it may read the first token alone.
_AMOUNT = "time_unit time_cue:some number digits"  # what ``amount`` reads: ثلاثة أيام، بضعة أيام، عامين
_DAY = "time_unit time_deictic weekday digits time_ordinal month"  # what starts a day, after صباح
_PERIOD = "time_unit weekday digits time_ordinal month year time_cue:that time_cue:this time_period"
_RULE_STARTS: tuple[tuple[Callable[[Grammar, int], Reading | None], dict[str, str]], ...] = (
    (Grammar.clock, {"time_cue:clock": "clock digits time_ordinal", "clock": "time_daypart"}),
    (Grammar.numeric_date, {"digits": "/ - ."}),
    (Grammar.day_list, {"digits": "و ، , - – time_cue:range"}),
    (Grammar.day_noun, {"time_unit": ANYTHING}),
    (Grammar.daypart, {"time_daypart": _DAY}),
    (Grammar.deictic, {"time_unit": "time_deictic", "time_deictic": ANYTHING}),
    (Grammar.weekday, {"time_unit": "weekday", "weekday": ANYTHING}),
    (
        Grammar.calendar_date,
        {
            "time_unit": "weekday digits time_ordinal month",
            "weekday": "، , digits time_ordinal",
            "digits": "time_cue:of time_unit month",
            "time_ordinal": "time_ordinal time_cue:of",
            "month": ANYTHING,
        },
    ),
    (Grammar.year, {"time_unit": "year", "year": ANYTHING}),
    (
        Grammar.relative_unit,
        {
            "time_cue:that": "time_unit",
            "time_cue:this": "time_unit",
            "time_unit": "time_relative time_ordinal",
        },
    ),
    (Grammar.window, {"time_unit": "number time_ordinal time_relative"}),
    (
        Grammar.durations,
        {
            "time_cue:bound": _AMOUNT,
            "time_cue:some": "time_unit",
            "time_unit": ANYTHING,
            "number": "time_unit time_cue:range",
            "digits": "time_unit time_cue:range",
        },
    ),
    (
        Grammar.ago,
        {"time_cue:ago": f"time_cue:bound {_AMOUNT}", "time_cue:since": f"time_cue:bound {_AMOUNT}"},
    ),
    (Grammar.every, {"time_period": ANYTHING, "time_cue:every": _AMOUNT}),
    (Grammar.part_of, {"time_part": _PERIOD}),
    (Grammar.named_period, {"time_period": ANYTHING}),
)
_STARTS_BY_RULE = tuple(
    (rule, Starts({kind: frozenset(following.split()) for kind, following in starts.items()}))
    for rule, starts in _RULE_STARTS
)
# For the tokeniser: what may start an expression, before what (the union over the rules).
STARTS = Starts(
    {
        kind: frozenset().union(
            *(starts.after[kind] for _, starts in _STARTS_BY_RULE if kind in starts.after)
        )
        for kind in {kind for _, starts in _STARTS_BY_RULE for kind in starts.after}
    }
)
_BY_KINDS: dict[tuple, tuple[Callable[[Grammar, int], Reading | None], ...]] = {}


def _starting_rules(t: AnyToken, after: AnyToken) -> tuple[Callable[[Grammar, int], Reading | None], ...]:
    """The rules that can read something at ``t`` followed by ``after``, looked up by their kinds
    (few combinations occur)."""
    key = (t.kinds, after.kinds)
    rules = _BY_KINDS.get(key)
    if rules is None:
        rules = _BY_KINDS[key] = tuple(rule for rule, starts in _STARTS_BY_RULE if starts.before(*key))
    return rules


@lru_cache(maxsize=256)
def _normalized(words: tuple[str, ...]) -> frozenset[str]:
    """A ``not_before`` list, normalised once: keyed by the words themselves (a knowledge base has a
    handful of such lists), so no payload's identity has to outlive it."""
    return frozenset(normalize_key(word) for word in words)
