"""Arabic full-text search that matches across normalisation and clitics, on SQLite and PostgreSQL.

Both sides go through :func:`marsad.text.normalize.normalize` (hamza forms, ta marbuta, alef maqsura,
diacritics).  The index holds, for every word, the word itself and the word with each proclitic
string it may start with split off (``وبسوريا`` → ``وبسوريا بسوريا سوريا``).  A query word matches
itself or its own split forms, so ``سوريا`` finds ``بسوريا`` and ``بسوريا`` finds ``سوريا``; words of
a query must all occur (AND).  The same term list feeds SQLite FTS5 and PostgreSQL's 'simple'
text-search configuration, so both engines answer alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from marsad.text.normalize import normalize

_WORD = re.compile(r"[0-9a-z\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+")
# Proclitic strings (conjunction, preposition, article), in normalised spelling.
PROCLITICS = frozenset(
    {"وبال", "فبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال"}
    | {"وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك"}
)
MIN_STEM = 2
MAX_QUERY_WORDS = 16
MAX_PROCLITIC = max(map(len, PROCLITICS))


def word_forms(word: str) -> tuple[str, ...]:
    """The word and its forms with a leading proclitic string split off (stems of at least two letters)."""
    stems = (
        word[n:] for n in range(1, min(MAX_PROCLITIC, len(word) - MIN_STEM) + 1) if word[:n] in PROCLITICS
    )
    return (word, *stems)


# Every indexed word passes through here, in every process that prepares articles.  Bounded well below
# a corpus's vocabulary (a sixth of ANT: 93k distinct words): frequent words make most of any text, so
# 32k recent words find ~90 % of an article's words in ~5 MB (64k entries, with word_forms cached too,
# held 24 MB a process for 3 % more).
@lru_cache(maxsize=1 << 15)
def _word_terms(word: str) -> str:
    return " ".join(word_forms(word))


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text).text)


def index_terms(text_words: Iterable[str]) -> str:
    """What the full-text index stores for a text's :func:`words`: every word followed by its split forms."""
    return " ".join(map(_word_terms, text_words))


def query_groups(query: str) -> list[tuple[str, ...]]:
    """A query as AND-ed groups of OR-ed forms; empty when the query has no searchable word."""
    return [word_forms(word) for word in dict.fromkeys(words(query))][:MAX_QUERY_WORDS]


def fts5_query(groups: list[tuple[str, ...]]) -> str:
    """SQLite FTS5 MATCH expression (terms are quoted; they hold letters and digits only)."""
    return " AND ".join("(" + " OR ".join(f'"{form}"' for form in group) + ")" for group in groups)


def tsquery(groups: list[tuple[str, ...]]) -> str:
    """PostgreSQL ``to_tsquery('simple', …)`` expression."""
    return " & ".join("(" + " | ".join(group) + ")" for group in groups)
