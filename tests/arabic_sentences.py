"""Helpers for tests that run extractors on single Arabic sentences."""

from pathlib import Path

from marsad.kb.loader import DATA_DIR, KnowledgeBase, load_kb_from
from marsad.models import Article, Span
from marsad.text.analysis import Analysis, analyse


def lexicon_only_kb(root: Path) -> KnowledgeBase:
    """The shipped lexicons without the entity files (numbers and quantities do not need them)."""
    (root / "entities").mkdir()
    (root / "lexicon").symlink_to(DATA_DIR / "lexicon")
    return load_kb_from(root)


def analyse_text(text: str, kb: KnowledgeBase) -> Analysis:
    """An analysis of ``text`` as a one-paragraph article body."""
    body = Span(start=0, end=len(text), text=text)
    return analyse(Article(id="test", source="test", text=text, paragraphs=[body]), kb)
