"""Time expressions: a token stream over the shared lexicon, read by a small TIMEX3 grammar."""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from operator import itemgetter

from pydantic import TypeAdapter

from marsad.extract.timex.grammar import STARTS, Grammar
from marsad.extract.timex.tokens import tokenize
from marsad.kb.loader import ENTITY_CATEGORY, KnowledgeBase
from marsad.models import TimeExpression
from marsad.text.analysis import Analysis

# Marks written after a word's last letter (tatweel, harakat: 1445هـ، عاماً) belong to the word.
_TRAILING_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]+")
_START = itemgetter(0)
_TIME_LIST = TypeAdapter(list[TimeExpression])


def anchor_date(published: str | None) -> date | None:
    """The calendar day of an ISO publication time (None when absent or unreadable: never guessed)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def extract_times(analysis: Analysis, kb: KnowledgeBase) -> list[TimeExpression]:
    """Every time expression in the title and body, with TIMEX3 type and value, in text order."""
    anchor = anchor_date(analysis.article.published)
    # The lexicon keeps the leftmost-longest names, in text order and not overlapping, so their ends
    # rise with their starts: a span overlaps a name iff the last name starting before its end ends
    # after its start.
    names = analysis.found(ENTITY_CATEGORY)
    text = analysis.article.text
    times: list[dict[str, object]] = []
    tokens = tokenize(analysis, kb, STARTS)
    for reading in Grammar(tokens, anchor).readings():
        n_start, n_end = tokens[reading.first].start, tokens[reading.stop - 1].end
        before_end = bisect_left(names, n_end, key=_START)
        if before_end and names[before_end - 1].end > n_start:
            continue  # part of a known name (روسيا اليوم), not a time
        start, end = analysis.norm.span_to_original(n_start, n_end)
        marks = _TRAILING_MARKS.match(text, end)
        end = marks.end() if marks else end
        times.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "type": reading.type,
                "value": reading.value,
                "anchored": reading.anchored,
                "weekday_consistent": reading.weekday_consistent,
            }
        )
    return _TIME_LIST.validate_python(times)  # one validation per article, not one model per expression
