"""Properties of the pipeline as a whole, beyond what each stage's tests check."""

from __future__ import annotations

import gc
import random

import pytest
from pydantic import ValidationError

from bench.corpus import generated_article
from marsad.models import Article, RawDocument
from marsad.pipeline import process


def test_an_article_leaves_no_reference_cycle_behind() -> None:
    """Everything made for one article is freed by reference counting as soon as the caller drops it.
    A cycle (a cached view holding the analysis that caches it, say) would keep the whole per-article
    graph for the garbage collector to find: most of a batch's collection time."""
    documents = [RawDocument(source=f"a{i}.txt", text=generated_article(random.Random(i))) for i in range(4)]
    assert isinstance(process(documents[0]), Article)  # warm-up: the knowledge base and module caches
    gc.collect()
    gc.disable()
    try:
        for document in documents:
            result = process(document)
            assert isinstance(result, Article) and result.events
            del result
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_a_change_to_one_articles_entity_cannot_reach_another_article() -> None:
    """Knowledge-base entities are shared by every article that names them: they are immutable, so a
    user editing one article's entity cannot change what the next article reports."""
    text = "قالت وزارة الدفاع الروسية إن روسيا ستواصل عملياتها في سوريا."
    first = process(RawDocument(source="a.txt", text=text))
    syria = next(e for e in first.entities if e.id == "gpe:syria")
    with pytest.raises(ValidationError):
        syria.name_en = "Elsewhere"
    with pytest.raises(AttributeError):
        syria.aliases.append("مكان آخر")  # type: ignore[attr-defined]
    second = process(RawDocument(source="b.txt", text=text))
    assert next(e for e in second.entities if e.id == "gpe:syria").name_en == "Syria"
