"""The gold comparison itself: matching by meaning, counting misses and false alarms."""

import json
from pathlib import Path

import pytest

from eval.seed_check import (
    check,
    check_entities,
    check_quantities,
    check_times,
    event_agrees,
    gold_path_for,
    read_article,
    same_surface,
    same_time_value,
)
from marsad.models import (
    Article,
    Entity,
    EntityType,
    Event,
    Mention,
    Quantity,
    Role,
    Span,
    TimeExpression,
    TimeType,
)

TEXT = 'أعلنت الولايات المتحدة لـ"إرم نيوز" خطة لتقليص قواتها من حوالي 2000 جندي يوم أمس الثلاثاء'


def _span(surface: str) -> dict:
    start = TEXT.index(surface)
    return {"start": start, "end": start + len(surface), "text": surface}


def test_surfaces_match_across_clitics_and_normalisation() -> None:
    assert same_surface("إرم نيوز", "ارم نيوز")
    assert same_surface("الروسية", "روسية")
    assert not same_surface("سوريا", "شمال شرقي سوريا")


def test_interval_ends_accept_one_day_either_way() -> None:
    assert same_time_value("2025-05-07/2025-05-28", "2025-05-08/2025-05-28")
    assert not same_time_value("2025-05-07/2025-05-28", "2025-05-04/2025-05-28")
    assert not same_time_value("2025-04", "2025-05")


def test_entity_precision_counts_extra_referents() -> None:
    us = Entity(id="us", name_ar="الولايات المتحدة", name_en="United States", type=EntityType.GPE)
    erem = Entity(id="erem", name_ar="إرم نيوز", name_en="Erem News", type=EntityType.GPE)  # wrong type
    article = Article(
        id="x",
        source="t",
        text=TEXT,
        entities=[us, erem],
        mentions=[
            Mention(**_span("الولايات المتحدة"), entity_id="us", type=EntityType.GPE),
            Mention(**_span("إرم نيوز"), entity_id="erem", type=EntityType.GPE),
        ],
    )
    gold = {
        "entities": [
            {"name_en": "United States", "type": "GPE", "surfaces": ["الولايات المتحدة"]},
            {"name_en": "Erem News", "type": "ORG", "surfaces": ["إرم نيوز"]},
        ]
    }
    entities, surfaces = check_entities(gold, article)
    assert (entities.tp, entities.gold, entities.precision) == (1, 2, 0.5)
    assert surfaces.recall == 0.5


def test_quantity_flags_and_time_values_must_agree() -> None:
    article = Article(
        id="x",
        source="t",
        text=TEXT,
        quantities=[Quantity(**_span("حوالي 2000 جندي"), value=2000, unit="soldier", approximate=False)],
        times=[TimeExpression(**_span("يوم أمس الثلاثاء"), type=TimeType.DATE, value="2025-05-27")],
    )
    gold = {
        "quantities": [{"surface": "حوالي 2000 جندي", "value": 2000, "unit": "soldier", "approximate": True}],
        "times": [{"surface": "يوم أمس الثلاثاء", "value": "2025-05-27"}],
    }
    assert check_quantities(gold, article).recall == 0.0
    assert check_times(gold, article).recall == 1.0


def test_a_place_within_the_gold_place_matches_it() -> None:
    text = "في شمال شرقي سوريا"
    region = Role(role="place", entity_id="loc:ne_syria", start=3, end=len(text), text=text[3:])
    trigger = Span(start=0, end=2, text="في")
    event = Event(
        start=0, end=len(text), text=text, type="attack", trigger=trigger, sentence=0, roles=[region]
    )
    article = Article(id="x", source="t", text=text)
    assert event_agrees({"type": "attack", "place": "Syria"}, event, article) == []
    assert event_agrees({"type": "attack", "place": "Iraq"}, event, article) == ["place"]


SEED = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "erem-2025-05-28-coalition-syria.txt"
)
# The gold file counts 12 body paragraphs; the page has 11 between its dateline and footer (the gold's own
# body_first and body_last bound them), so that one layout check is expected to fail.
KNOWN_GOLD_SLIPS = {"body_paragraphs"}


def test_the_seed_reading_reaches_the_gold() -> None:
    if not SEED.exists():
        pytest.skip("../shared/corpus/seed is not here")
    gold = json.loads(gold_path_for(SEED).read_text(encoding="utf-8"))
    categories = {cat.name: cat for cat in check(gold, read_article(SEED, None))}
    layout = categories.pop("layout")
    assert [m.split(":")[0] for m in layout.misses if m.split(":")[0] not in KNOWN_GOLD_SLIPS] == []
    assert {name: cat.misses for name, cat in categories.items() if cat.recall < 1.0} == {}
    assert categories["entities"].precision >= 0.9
