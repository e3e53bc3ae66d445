"""Is this Arabic?  The share of Arabic letters among all letters."""

from __future__ import annotations

import re

# Runs, not single characters: the regex engine counts a word at a time instead of making one string
# per letter.
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTER = re.compile(r"[^\W\d_]+")


def arabic_ratio(text: str) -> float:
    letters = sum(map(len, _LETTER.findall(text)))
    return sum(map(len, _ARABIC.findall(text))) / letters if letters else 0.0
