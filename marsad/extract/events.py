"""events (placeholder until its extractor lands)."""

from marsad.kb.loader import KnowledgeBase
from marsad.models import Event
from marsad.text.analysis import Analysis


def extract_events(analysis: Analysis, kb: KnowledgeBase) -> list[Event]:
    return []
