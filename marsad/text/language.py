"""Is this Arabic?  The share of Arabic letters among all letters."""

from __future__ import annotations

import re

# Runs, not single characters: the regex engine counts a word at a time instead of making one string
# per letter.
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTER = re.compile(r"[^\W\d_]+")
# The commonest Arabic letters (alef, lam, ya, mim, waw, nun, ra, ta): over 40 % of the characters of
# 99 % of ANT's article bodies, spaces and punctuation included.
COMMON_ARABIC_LETTERS = "اليمونرت"


def arabic_ratio(text: str) -> float:
    arabic, letters = _counts(text)
    return arabic / letters if letters else 0.0


def is_arabic(text: str, min_ratio: float) -> bool:
    """``arabic_ratio(text) >= min_ratio``, mostly decided by counting the commonest Arabic letters
    (one C-level count each): when they alone make ``min_ratio`` of the text's length, the Arabic
    letters make it of all letters (a text has no more letters than characters), and the slower
    regex counts are not needed.  Counted commonest first, stopping once they make it: in Arabic
    prose the first three or four do."""
    if text:
        common = 0
        for letter in COMMON_ARABIC_LETTERS:
            common += text.count(letter)
            if common / len(text) >= min_ratio:
                return True
    return arabic_ratio(text) >= min_ratio


def _counts(text: str) -> tuple[int, int]:
    """(Arabic letters, letters) in ``text``: both count characters, not runs."""
    return sum(map(len, _ARABIC.findall(text))), sum(map(len, _LETTER.findall(text)))
