"""Is this Arabic?  The share of Arabic letters among all letters."""

from __future__ import annotations

import re

# Runs, not single characters: the regex engine counts a word at a time instead of making one string
# per letter.
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTER = re.compile(r"[^\W\d_]+")


def arabic_ratio(text: str) -> float:
    arabic, letters = _counts(text)
    return arabic / letters if letters else 0.0


def is_arabic(text: str, min_ratio: float) -> bool:
    """``arabic_ratio(text) >= min_ratio``, mostly read on the first half of the text: when its Arabic
    letters make ``min_ratio`` of its letters even if every character after it were a letter of another
    script, the second half cannot change the answer."""
    half = len(text) // 2
    arabic, letters = _counts(text[:half])
    unread = len(text) - half
    if letters and arabic / (letters + unread) >= min_ratio:
        return True
    more_arabic, more_letters = _counts(text[half:])
    arabic, letters = arabic + more_arabic, letters + more_letters
    return (arabic / letters if letters else 0.0) >= min_ratio


def _counts(text: str) -> tuple[int, int]:
    """(Arabic letters, letters) in ``text``: both count characters, so a text's parts add up."""
    return sum(map(len, _ARABIC.findall(text))), sum(map(len, _LETTER.findall(text)))
