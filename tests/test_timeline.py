"""Timelines: figures about an entity sorted by the time they refer to, with sources, near-duplicate
copies counted once and conflicting figures side by side; and the seed article through the pipeline."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.ingest import iter_documents
from marsad.kb.loader import load_kb
from marsad.models import (
    Article,
    Attribution,
    AttributionKind,
    Entity,
    EntityType,
    Event,
    Mention,
    Quantity,
    Role,
    Sentence,
    Span,
    TimeExpression,
    TimeType,
)
from marsad.pipeline import process
from marsad.store import Store
from marsad.store.timeline import timeline

SHARED = Path(__file__).parents[2] / "shared"
SEED = SHARED / "corpus" / "seed" / "erem-2025-05-28-coalition-syria.txt"
USA = Entity(id="gpe:usa", name_ar="الولايات المتحدة", name_en="United States", type=EntityType.GPE)
REDUCTION = (
    "يشار إلى أن الولايات المتحدة أعلنت خلال شهر أبريل/نيسان الماضي عن خطة لتقليص قواتها "
    "من حوالي 2000 جندي إلى ما يقارب 1400، مع إغلاق ثلاث قواعد."
)
ATTACKS = "وتظهر تقديرات غير رسمية ارتفاع عدد الهجمات التي نفذها التنظيم إلى 130 هجمة."


def _span(text: str, surface: str) -> dict[str, object]:
    start = text.index(surface)
    return {"start": start, "end": start + len(surface), "text": surface}


def annotated(
    sentences: list[str],
    *,
    outlet: str,
    published: str,
    figures: list[tuple[str, float, str]],
    **found: list[str],
) -> Article:
    """An Article over real sentences with the readings an extractor gives, at their exact offsets:
    ``figures`` (surface, value, unit); ``found`` keys mentions/times (surface|value)/attributions/event."""
    text = "\n\n".join(sentences)
    starts = [sum(len(s) + 2 for s in sentences[:i]) for i in range(len(sentences))]
    article = Article(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=outlet,
        outlet=outlet,
        text=text,
        published=published,
        paragraphs=[Span(start=s, end=s + len(t), text=t) for s, t in zip(starts, sentences, strict=True)],
        sentences=[
            Sentence(start=s, end=s + len(t), text=t, paragraph=i)
            for i, (s, t) in enumerate(zip(starts, sentences, strict=True))
        ],
        entities=[USA],
        mentions=[
            Mention(**_span(text, m), entity_id=USA.id, type=EntityType.GPE)
            for m in found.get("mentions", [])
        ],
        times=[
            TimeExpression(**_span(text, t.split("|")[0]), type=TimeType.DATE, value=t.split("|")[1])
            for t in found.get("times", [])
        ],
        quantities=[Quantity(**_span(text, surface), value=v, unit=u) for surface, v, u in figures],
        attributions=[
            Attribution(**_span(text, a), kind=AttributionKind.NAMED_ORGANISATION, sentence=0)
            for a in found.get("attributions", [])
        ],
    )
    for trigger in found.get("event", []):
        article.events.append(
            Event(
                **_span(text, sentences[0]),
                type="troop_reduction",
                plover="RETREAT",
                trigger=Span(**_span(text, trigger)),
                sentence=0,
                roles=[Role(**_span(text, found["mentions"][0]), role="actor", entity_id=USA.id)],
                time=0,
                quantities=[0, 1],
            )
        )
    return article


def _corpus() -> list[Article]:
    figures = [
        ("حوالي 2000 جندي", 2000, "soldier"),
        ("ما يقارب 1400", 1400, "soldier"),
        ("130 هجمة", 130, "attack"),
    ]
    erem = annotated(
        [REDUCTION, ATTACKS],
        outlet="إرم نيوز",
        published="2025-05-28T16:48",
        figures=figures,
        mentions=["الولايات المتحدة"],
        times=["شهر أبريل/نيسان الماضي|2025-04"],
        event=["لتقليص"],
    )
    # The same report republished by another site, with its own closing line: one report, not two.
    copy = annotated(
        [REDUCTION, ATTACKS, "تابعونا على مواقع التواصل"],
        outlet="موقع ناقل",
        published="2025-05-29T09:00",
        figures=figures,
        mentions=["الولايات المتحدة"],
        times=["شهر أبريل/نيسان الماضي|2025-04"],
        event=["لتقليص"],
    )
    ministry = (
        "قالت وزارة الدفاع الأمريكية إن عدد الجنود الأمريكيين في سوريا بلغ 2500 جندي في أبريل/نيسان 2025."
    )
    other = annotated(
        [ministry],
        outlet="BBC",
        published="2025-06-02T08:00",
        figures=[("2500 جندي", 2500, "soldier")],
        mentions=["الأمريكية"],
        times=["أبريل/نيسان 2025|2025-04"],
        attributions=["وزارة الدفاع الأمريكية"],
    )
    earlier = "وكانت الولايات المتحدة قد نشرت 900 جندي في سوريا في ديسمبر/كانون الأول 2024."
    later_report = annotated(
        [earlier],
        outlet="CNN",
        published="2025-06-10T08:00",
        figures=[("900 جندي", 900, "soldier")],
        mentions=["الولايات المتحدة"],
        times=["ديسمبر/كانون الأول 2024|2024-12"],
    )
    return [erem, copy, other, later_report]


def test_troop_figures_by_referred_time_with_sources_copies_and_conflicts(db_url: str) -> None:
    erem, copy, other, later_report = _corpus()
    with Store(db_url) as store:
        for article in (erem, copy, other, later_report):
            store.add(article)
        result = timeline(store, "United States", "troops", load_kb())
        assert timeline(store, "الولايات المتحدة", "جنود", load_kb())["entries"] == result["entries"]
        generic = timeline(store, "gpe:usa")
    figures = [(e["value"], e["time"]["value"]) for e in result["entries"]]
    # Sorted by the time the figure refers to, not by publication (the 900 was published last); within
    # one report, in the report's own order (from 2000 to 1400).
    assert figures == [(900, "2024-12"), (2000, "2025-04"), (1400, "2025-04"), (2500, "2025-04")]
    by_value = {e["value"]: e for e in result["entries"]}
    assert by_value[2000]["copies"] == 2 and by_value[2000]["article"]["id"] == erem.id
    assert by_value[2000]["time"]["basis"] == "event" and by_value[2000]["event"]["type"] == "troop_reduction"
    assert by_value[2000]["attribution"] == {"text": "إرم نيوز", "kind": "outlet", "entity_id": None}
    assert by_value[2000]["sentence"] == REDUCTION
    assert by_value[2500]["attribution"]["text"] == "وزارة الدفاع الأمريكية"
    assert by_value[2500]["time"]["basis"] == "sentence"
    [conflict] = result["conflicts"]
    assert (conflict["time"], conflict["unit"]) == ("2025-04", "soldier")
    assert sorted(f["value"] for f in conflict["figures"]) == [1400, 2000, 2500]
    assert not by_value[900]["conflict"]
    # Without a measure, every figure about the entity; the attack count is not about it.
    assert sorted(e["value"] for e in generic["entries"]) == [900, 1400, 2000, 2500]


def test_a_change_within_one_report_is_not_a_conflict(db_url: str) -> None:
    erem, copy, _, _ = _corpus()
    with Store(db_url) as store:
        store.add(erem)
        store.add(copy)
        result = timeline(store, "United States", "troops", load_kb())
    assert [e["value"] for e in result["entries"]] == [2000, 1400]
    assert result["conflicts"] == [] and not any(e["conflict"] for e in result["entries"])


def test_cli_timeline_table_and_json(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    with Store(db) as store:
        for article in _corpus():
            store.add(article)
    runner = CliRunner()
    as_json = runner.invoke(
        app, ["timeline", "--entity", "United States", "--measure", "troops", "--db", db, "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    assert [e["value"] for e in json.loads(as_json.stdout)["entries"]] == [900, 2000, 1400, 2500]
    table = runner.invoke(app, ["timeline", "--entity", "United States", "--measure", "troops", "--db", db])
    assert table.exit_code == 0 and "conflicting figures" in table.stdout and "2500" in table.stdout
    unknown = runner.invoke(app, ["timeline", "--entity", "Atlantis", "--db", db])
    assert unknown.exit_code == 1 and "no entity named 'Atlantis'" in unknown.stderr


def _coalition_pages(limit: int) -> list[Path]:
    """A few real ANT articles that mention the international coalition."""
    pages = []
    for path in sorted((SHARED / "corpus" / "ant-multisource" / "CNN" / "middleEast").glob("*.txt")):
        if "التحالف الدولي" in path.read_text(encoding="utf-8", errors="replace"):
            pages.append(path)
        if len(pages) == limit:
            break
    return pages


def test_seed_timeline_through_the_pipeline(tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED}")
    kb = load_kb()
    with Store(str(tmp_path / "seed.db")) as store:
        for document in iter_documents([str(SEED), *map(str, _coalition_pages(5))]):
            result = document if not hasattr(document, "text") else process(document, kb)
            if isinstance(result, Article):
                store.add(result)
        if not store.resolve_entity("United States"):
            pytest.xfail("the entity extractor yields no mention of the United States yet")
        entries = timeline(store, "United States", "troops", kb)["entries"]
    seed = {e["value"]: e for e in entries if e["article"]["outlet"] and "إرم" in e["article"]["outlet"]}
    assert {2000, 1400} <= set(seed)
    for value in (2000, 1400):
        assert seed[value]["time"]["value"] == "2025-04"
        assert seed[value]["attribution"] is not None and seed[value]["attribution"]["text"]
