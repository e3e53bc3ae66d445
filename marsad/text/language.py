"""Is this Arabic?  The share of Arabic letters among all letters."""

from __future__ import annotations

import re

# Runs, not single characters: the regex engine counts a word at a time instead of making one string
# per letter.
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTER = re.compile(r"[^\W\d_]+")


def arabic_ratio(text: str) -> float:
    letters = _letters(text)
    return _arabic(text, 0, len(text)) / letters if letters else 0.0


def is_arabic(text: str, min_ratio: float) -> bool:
    """``arabic_ratio(text) >= min_ratio``, mostly decided by the Arabic letters of the first half of
    the text alone: when they make ``min_ratio`` of the text's length, they make it of its letters (a
    text has no more letters than characters), and the slower count of every letter is not needed."""
    half = len(text) // 2
    arabic = _arabic(text, 0, half)
    if arabic and arabic / len(text) >= min_ratio:
        return True
    arabic += _arabic(text, half, len(text))
    letters = _letters(text)
    return (arabic / letters if letters else 0.0) >= min_ratio


def _arabic(text: str, start: int, end: int) -> int:
    """Arabic letters in ``text[start:end]`` (characters are counted, so the parts of a text add up)."""
    return sum(map(len, _ARABIC.findall(text, start, end)))


def _letters(text: str) -> int:
    return sum(map(len, _LETTER.findall(text)))
