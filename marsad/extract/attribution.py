"""attribution (placeholder until its extractor lands)."""

from marsad.kb.loader import KnowledgeBase
from marsad.models import Attribution
from marsad.text.analysis import Analysis


def extract_attributions(analysis: Analysis, kb: KnowledgeBase) -> list[Attribution]:
    return []
