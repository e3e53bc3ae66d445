"""Entities (placeholder until the entity extractor lands)."""

from marsad.kb.loader import KnowledgeBase
from marsad.models import Entity, Mention
from marsad.text.analysis import Analysis


def extract_entities(analysis: Analysis, kb: KnowledgeBase) -> tuple[list[Mention], list[Entity]]:
    return [], []
