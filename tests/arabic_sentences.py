"""Helpers for tests on real Arabic sentences: articles built from them, single-sentence analyses."""

import hashlib
from pathlib import Path

from marsad.kb.loader import DATA_DIR, KnowledgeBase, load_kb_from
from marsad.models import Article, Sentence, Span
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


DATA = Path(__file__).parent / "data"
SENTENCES = [
    line.strip()
    for line in (DATA / "sentences_ar.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def make_article(
    paragraphs: list[str], *, url: str | None = None, outlet: str | None = None, published: str | None = None
) -> Article:
    """An Article whose paragraphs (one sentence each) are the given real sentences, offsets exact."""
    text = "\n\n".join(paragraphs)
    spans, sentences, start = [], [], 0
    for index, paragraph in enumerate(paragraphs):
        end = start + len(paragraph)
        spans.append(Span(start=start, end=end, text=paragraph))
        sentences.append(Sentence(start=start, end=end, text=paragraph, paragraph=index))
        start = end + 2
    return Article(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=url or "test",
        url=url,
        outlet=outlet,
        language="ar",
        text=text,
        published=published,
        paragraphs=spans,
        sentences=sentences,
    )
