"""Time expressions: a token stream over the shared lexicon, read by a small TIMEX3 grammar."""

from __future__ import annotations

from datetime import date

from marsad.extract.timex.grammar import Grammar
from marsad.extract.timex.tokens import tokenize
from marsad.kb.loader import KnowledgeBase
from marsad.models import TimeExpression
from marsad.text.analysis import Analysis


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
    times: list[TimeExpression] = []
    for tokens in tokenize(analysis, kb):
        for reading in Grammar(tokens, anchor).readings():
            span = analysis.span(tokens[reading.first].start, tokens[reading.stop - 1].end)
            times.append(
                TimeExpression(
                    **span.model_dump(),
                    type=reading.type,
                    value=reading.value,
                    anchored=reading.anchored,
                    weekday_consistent=reading.weekday_consistent,
                )
            )
    return times
