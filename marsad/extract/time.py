"""time (placeholder until its extractor lands)."""

from marsad.kb.loader import KnowledgeBase
from marsad.models import TimeExpression
from marsad.text.analysis import Analysis


def extract_times(analysis: Analysis, kb: KnowledgeBase) -> list[TimeExpression]:
    return []
