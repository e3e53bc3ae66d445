"""quantities (placeholder until its extractor lands)."""

from marsad.kb.loader import KnowledgeBase
from marsad.models import Quantity
from marsad.text.analysis import Analysis


def extract_quantities(analysis: Analysis, kb: KnowledgeBase) -> list[Quantity]:
    return []
