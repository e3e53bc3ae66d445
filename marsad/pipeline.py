"""The one composition of Marsad's stages: raw page → Article.  CLI, API and Dask jobs all call this."""

from __future__ import annotations

import logging

from marsad.clean import clean
from marsad.extract.attribution import extract_attributions
from marsad.extract.entities import extract_entities
from marsad.extract.events import extract_events
from marsad.extract.quantities import extract_quantities
from marsad.extract.time import extract_times
from marsad.kb.loader import KnowledgeBase, load_kb
from marsad.models import Article, RawDocument, Rejection
from marsad.text.analysis import analyse
from marsad.text.language import arabic_ratio

log = logging.getLogger(__name__)
MIN_ARABIC_RATIO = 0.3
NON_ARABIC_WARNING = "not Arabic text: Arabic analysis skipped"


def process(raw: RawDocument, kb: KnowledgeBase | None = None) -> Article | Rejection:
    """Run every stage on one document.  Never raises: a failure becomes a ``Rejection``."""
    try:
        return _process(raw, kb or load_kb())
    except Exception as exc:  # noqa: BLE001 - the pipeline's contract is to never let one page stop a batch
        log.debug("processing %s failed", raw.source, exc_info=True)
        return Rejection(source=raw.source, reason="internal_error", detail=f"{type(exc).__name__}: {exc}")


def _process(raw: RawDocument, kb: KnowledgeBase) -> Article | Rejection:
    if not raw.text.strip():
        return Rejection(source=raw.source, reason="empty", detail="no text in the document")
    article = clean(raw, kb)
    if not article.paragraphs:
        return Rejection(source=raw.source, reason="no_body", detail="no article body found")
    if arabic_ratio(article.body) < MIN_ARABIC_RATIO:
        article.language = "other"
        article.warnings.append(NON_ARABIC_WARNING)
        return article
    article.language = "ar"
    analysis = analyse(article, kb)
    article.mentions, article.entities = extract_entities(analysis, kb)
    article.times = extract_times(analysis, kb)
    article.quantities = extract_quantities(analysis, kb)
    article.attributions = extract_attributions(analysis, kb)
    article.events = extract_events(analysis, kb)
    return article
