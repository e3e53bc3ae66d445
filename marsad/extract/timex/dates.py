"""Calendar arithmetic for time values: periods with a grain, shifts, ISO/TimeML formatting, Hijri months."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Hijri

# TimeML duration designators: calendar units go after "P", clock units after "PT".
_CLOCK_UNITS = {"H": "H", "MIN": "M"}


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period, inclusive at both ends, and the grain its value is written at."""

    start: date
    end: date
    grain: str  # D | W | M | Y

    @property
    def value(self) -> str:
        if self.grain == "Y":
            return f"{self.start.year:04d}"
        if self.grain == "M":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.grain == "W":
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return self.start.isoformat()


def day(d: date) -> Period:
    return Period(d, d, "D")


def month(year: int, month_number: int) -> Period:
    last = calendar.monthrange(year, month_number)[1]
    return Period(date(year, month_number, 1), date(year, month_number, last), "M")


def year(year_number: int) -> Period:
    return Period(date(year_number, 1, 1), date(year_number, 12, 31), "Y")


def week(d: date) -> Period:
    monday = d - timedelta(days=d.weekday())
    return Period(monday, monday + timedelta(days=6), "W")


def shift(d: date, unit: str, n: int) -> date | None:
    """``d`` moved by ``n`` units (D W M Y); a month-end day is clamped (31 March − 1 month = 28/29 Feb).

    None when the result falls outside the calendar ISO dates can write (منذ 2500 سنة, before year 1):
    such an expression keeps its span and gets no value."""
    if unit not in ("D", "W", "M", "Y"):
        raise ValueError(f"cannot shift a date by unit {unit}")
    try:
        if unit == "D":
            return d + timedelta(days=n)
        if unit == "W":
            return d + timedelta(weeks=n)
        months = n * 12 if unit == "Y" else n
        y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
        return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
    except (OverflowError, ValueError):
        return None


def period_of(d: date, unit: str) -> Period:
    """The calendar period of the given unit that contains ``d``."""
    if unit == "Y":
        return year(d.year)
    if unit == "M":
        return month(d.year, d.month)
    if unit == "W":
        return week(d)
    return day(d)


def interval(start: date, end: date) -> str:
    return f"{start.isoformat()}/{end.isoformat()}"


# A fraction of a unit is written in the next smaller unit when that makes it whole (ربع قرن → P25Y).
_SMALLER = {
    "CE": (100, "Y"),
    "DE": (10, "Y"),
    "Y": (12, "M"),
    "W": (7, "D"),
    "D": (24, "H"),
    "H": (60, "MIN"),
}


def duration(n: float | None, unit: str) -> str:
    """TimeML duration value: P3D, P2Y, PT4H, P1CE, P25Y for a quarter century (P0.5M where no smaller
    unit makes the count whole); an unknown count is written X (PXD)."""
    if n is not None and n != int(n) and unit in _SMALLER:
        factor, smaller = _SMALLER[unit]
        if n * factor == int(n * factor):
            n, unit = n * factor, smaller
    count = "X" if n is None else f"{n:g}"
    if unit in _CLOCK_UNITS:
        return f"PT{count}{_CLOCK_UNITS[unit]}"
    return f"P{count}{unit}"


def hijri_month(hijri_year: int, hijri_month_number: int) -> Period | None:
    """The Gregorian month a Hijri month falls in, when that is certain: Umm al-Qura dates can differ
    from local moon sighting by a day, so the month counts only if it lies in one Gregorian month
    with a day to spare at both ends."""
    try:
        first = Hijri(hijri_year, hijri_month_number, 1)
        start = first.to_gregorian()
        end = start + timedelta(days=first.month_length() - 1)
    except (ValueError, OverflowError):
        return None
    before, after = start - timedelta(days=1), end + timedelta(days=1)
    if (before.year, before.month) != (after.year, after.month):
        return None
    return month(before.year, before.month)
