"""Arabic normalisation for matching, keeping the way back to the original offsets.

Normalisation follows CAMeL Tools' "normalise for matching" conventions: alef/hamza forms to bare
alef, alef maqsura to ya, ta marbuta to ha, Persian letters to Arabic, Arabic-Indic digits to ASCII,
diacritics, tatweel and direction marks removed, every whitespace run folded to one space, Latin
lower-cased.  Replacements are one character for one character (every whitespace character becomes a
space); the only other change is deletion (marks, and the spaces after the first of a run), so the map
back to the original is a short list of segments (one per deletion run), searched by bisection.  Done
once per article and shared by every extractor.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

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
    # Greek final sigma, as casefold() does: str.lower() writes Σ as ς or σ by its place in the whole
    # text, so without this a word would normalise differently alone and inside a page.
    "ς": "σ",
}
_REPLACE.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠..٩
_REPLACE.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰..۹ (Persian/Urdu)
# Every whitespace character that is not a space (all below U+3001): the whitespace of ``\s``.
_SPACES = [c for c in map(chr, range(0x3001)) if c.isspace() and c != " "]
# One ``str.replace`` per character the text holds: several times faster than ``str.translate``,
# which looks every character of the text up in its table.
_REPLACEMENTS = tuple(_REPLACE.items()) + tuple((c, " ") for c in _SPACES)

# Diacritics (harakat, tanween, shadda, sukun, dagger alef, Quranic marks), tatweel, bidi/zero-width marks.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_DELETED = f"[{DIACRITICS}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]"
# ``[…][…]*``, not ``[…]+``: a pattern that begins with a plain class lets the regex engine skip to the
# class's characters in one fast scan; a repeat at the start makes it try a match at every position
# (2.5 times slower over a page, where marks are few).
_DELETE = re.compile(f"{_DELETED}{_DELETED}*")
_DIACRITICS = re.compile(f"[{DIACRITICS}]*")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus segment map: normalised index ``seg_norm[k]`` ↔ original ``seg_orig[k]``."""

    original: str
    text: str
    seg_norm: tuple[int, ...]
    seg_orig: tuple[int, ...]
    # Read hundreds of times per article by the offset conversions, so worked out once here: how many
    # characters were deleted before each segment (its original start minus its normalised start),
    seg_shift: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # where each segment's kept run ends in the normalised text (the next segment's start, or the end),
    seg_kept_end: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # and the original offsets where a deleted run begins: only there can a diacritic follow a letter.
    deletion_starts: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shift = tuple(o - i for i, o in zip(self.seg_norm, self.seg_orig, strict=True))
        # Segment k > 0 begins where the k-th deleted run ends; that run deleted shift[k] - shift[k - 1].
        runs = zip(self.seg_orig[1:], pairwise(shift), strict=True)
        deleted_starts = frozenset(run_end - (after - before) for run_end, (before, after) in runs)
        object.__setattr__(self, "seg_shift", shift)  # frozen: each set once, here
        object.__setattr__(self, "seg_kept_end", (*self.seg_norm[1:], len(self.text)))
        object.__setattr__(self, "deletion_starts", deleted_starts)

    def to_original(self, i: int) -> int:
        """Original index of the normalised character at ``i`` (``len(text)`` maps to the end)."""
        if i >= len(self.text):
            return len(self.original)
        return i + self.seg_shift[bisect_right(self.seg_norm, i) - 1]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of a normalised span; the end takes in the last letter's diacritics."""
        o_start = self.to_original(start)
        if end <= start:
            return o_start, o_start
        o_end = self.to_original(end - 1) + 1
        if o_end in self.deletion_starts:  # diacritics are deleted: only there may one follow the letter
            o_end = _DIACRITICS.match(self.original, o_end).end()  # a ``*`` pattern: it always matches
        return o_start, o_end

    def to_normalized(self, o: int) -> int:
        """Normalised index of original index ``o`` (a deleted character maps to the next kept one)."""
        k = bisect_right(self.seg_orig, o) - 1
        if k < 0:
            return 0
        i = o - self.seg_shift[k]
        kept_end = self.seg_kept_end[k]
        return i if i < kept_end else kept_end


def normalize(original: str) -> NormalizedText:
    """Normalise ``original`` for matching (see the module docstring)."""
    mapped = _mapped(original)
    deletions = _deletions(mapped)
    seg_norm = [0]
    seg_orig = [0]
    deleted = 0
    for start, end in deletions:
        deleted += end - start
        seg_norm.append(end - deleted)
        seg_orig.append(end)
    return NormalizedText(original, _without(mapped, deletions), tuple(seg_norm), tuple(seg_orig))


@lru_cache(maxsize=2)
def normalize_page(text: str) -> NormalizedText:
    """:func:`normalize` of a whole page's text, kept for the next caller: the page layout (clean) and
    text analysis both read the page's normalisation, so it is made once per article.  Two entries, so a
    batch holds at most two pages here; ``NormalizedText`` is immutable, so sharing it is safe."""
    return normalize(text)


def _mapped(original: str) -> str:
    """Letters folded, whitespace made spaces and lower-cased, one character for one."""
    mapped = original.lower()
    if len(mapped) != len(original):  # .lower() can expand a few non-Arabic letters (e.g. "İ")
        mapped = "".join(c.lower() if len(c.lower()) == 1 else c for c in original)
    for source, target in _REPLACEMENTS:
        if source in mapped:
            mapped = mapped.replace(source, target)
    return mapped


_SPACE_RUN = re.compile("  +")


def _deletions(mapped: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` runs normalisation deletes, in order: marks, and every space of a run but
    its first (a run of whitespace folds to the space it began with).  Two searches with a fast
    first-character scan each, cheaper than one pattern with both alternatives."""
    deletions = [m.span() for m in _DELETE.finditer(mapped)]
    if "  " in mapped:
        deletions += [(m.start() + 1, m.end()) for m in _SPACE_RUN.finditer(mapped)]
        deletions.sort()
    return deletions


def normalize_key(text: str) -> str:
    """Normalised form of a dictionary entry (same rules, no offsets kept).  Short texts are cached:
    extractors key their tables by it, and the same dictionary forms come back for every article."""
    return _cached_key(text) if len(text) <= CACHED_KEY_CHARS else _key(text)


def _key(text: str) -> str:
    mapped = _mapped(text)
    return _without(mapped, _deletions(mapped)).strip()


def _without(mapped: str, deletions: list[tuple[int, int]]) -> str:
    """``mapped`` with the deletions cut out: the text between one deletion's end and the next start."""
    if not deletions:
        return mapped
    bounded = [(0, 0), *deletions, (len(mapped), len(mapped))]
    return "".join(mapped[end:start] for (_, end), (start, _) in pairwise(bounded))


# Bounded both ways, so a long run never fills the cache with page lines (about 5 MB at most).
CACHED_KEY_CHARS = 64
_cached_key = lru_cache(maxsize=16384)(_key)
