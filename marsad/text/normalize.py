"""Arabic normalisation for matching, keeping the way back to the original offsets.

Normalisation follows CAMeL Tools' "normalise for matching" conventions: alef/hamza forms to bare
alef, alef maqsura to ya, ta marbuta to ha, Persian letters to Arabic, Arabic-Indic digits to ASCII,
diacritics, tatweel and direction marks removed, every whitespace run folded to one space, Latin
lower-cased.  Replacements are one character for one character; the only other change is deletion,
so the map back to the original is a short list of segments (one per deletion run), searched by
bisection.  One pass per article, done once and shared by every extractor.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_REPLACE = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ة": "ه",
    "ک": "ك",
    "ڪ": "ك",
    "گ": "ك",
    "ٶ": "ؤ",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "„": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "٫": ".",
    "٬": ",",
    "\u2013": "-",
    "\u2014": "-",
}
_REPLACE.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠..٩
_REPLACE.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰..۹ (Persian/Urdu)
_TABLE = str.maketrans(_REPLACE)

# Diacritics (harakat, tanween, shadda, sukun, dagger alef, Quranic marks), tatweel, bidi/zero-width marks.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_DELETE = re.compile(f"[{DIACRITICS}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]+")
_DIACRITIC = re.compile(f"[{DIACRITICS}]")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus segment map: normalised index ``seg_norm[k]`` ↔ original ``seg_orig[k]``."""

    original: str
    text: str
    seg_norm: tuple[int, ...]
    seg_orig: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """Original index of the normalised character at ``i`` (``len(text)`` maps to the end)."""
        if i >= len(self.text):
            return len(self.original)
        k = bisect_right(self.seg_norm, i) - 1
        return self.seg_orig[k] + (i - self.seg_norm[k])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of a normalised span; the end takes in the last letter's diacritics."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        o_start = self.to_original(start)
        o_end = self.to_original(end - 1) + 1
        while o_end < len(self.original) and _DIACRITIC.match(self.original, o_end):
            o_end += 1
        return o_start, o_end

    def to_normalized(self, o: int) -> int:
        """Normalised index of original index ``o`` (a deleted character maps to the next kept one)."""
        k = bisect_right(self.seg_orig, o) - 1
        if k < 0:
            return 0
        i = self.seg_norm[k] + (o - self.seg_orig[k])
        next_norm = self.seg_norm[k + 1] if k + 1 < len(self.seg_norm) else len(self.text)
        return min(i, next_norm)


def normalize(original: str) -> NormalizedText:
    """Normalise ``original`` for matching (see the module docstring)."""
    mapped = _mapped(original)
    seg_norm = [0]
    seg_orig = [0]
    pieces: list[str] = []
    kept = 0
    last = 0
    for m in _CHANGED.finditer(mapped):
        start, end = m.span()
        replacement = "" if m.lastgroup == "drop" else " "
        pieces.append(mapped[last:start])
        pieces.append(replacement)
        kept += start - last + len(replacement)
        last = end
        seg_norm.append(kept)
        seg_orig.append(end)
    pieces.append(mapped[last:])
    return NormalizedText(original, "".join(pieces), tuple(seg_norm), tuple(seg_orig))


def _mapped(original: str) -> str:
    """Letters folded and lower-cased, one character for one."""
    mapped = original.translate(_TABLE).lower()
    if len(mapped) != len(original):  # .lower() can expand a few non-Arabic letters (e.g. "İ")
        mapped = "".join(c.lower() if len(c.lower()) == 1 else c for c in original.translate(_TABLE))
    return mapped


# What normalisation changes besides one-for-one letters: a whitespace run other than a single space
# (folded to one space; a lone space is left as it is, so it costs no segment), or a run of marks to drop.
_CHANGED = re.compile(f"(?P<space> \\s+|[^\\S ]\\s*)|(?P<drop>{_DELETE.pattern})")


def normalize_key(text: str) -> str:
    """Normalised form of a dictionary entry (same rules, no offsets kept).  Short texts are cached:
    extractors key their tables by it, and the same dictionary forms come back for every article."""
    return _cached_key(text) if len(text) <= CACHED_KEY_CHARS else _key(text)


def _key(text: str) -> str:
    return _CHANGED.sub(_replacement, _mapped(text)).strip()


# Bounded both ways, so a long run never fills the cache with page lines (about 5 MB at most).
CACHED_KEY_CHARS = 64
_cached_key = lru_cache(maxsize=16384)(_key)


def _replacement(m: re.Match[str]) -> str:
    return "" if m.lastgroup == "drop" else " "
