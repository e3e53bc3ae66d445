"""Page layout for plain text: paragraphs are runs of non-empty lines.  (Minimal first version.)"""

from __future__ import annotations

import hashlib
import re

from marsad.kb.loader import KnowledgeBase
from marsad.models import Article, RawDocument, Span

_PARAGRAPH = re.compile(r"[^\n]+")


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clean(raw: RawDocument, kb: KnowledgeBase) -> Article:
    text = raw.text
    paragraphs = [Span(start=m.start(), end=m.end(), text=m.group()) for m in _PARAGRAPH.finditer(text)]
    return Article(
        id=article_id(text),
        source=raw.source,
        url=raw.url,
        outlet=raw.outlet,
        text=text,
        paragraphs=[p for p in paragraphs if p.text.strip()],
    )
