"""Timelines: every dated figure (and, in the generic form, every event) about an entity, sorted by
the time it refers to, each with its article, sentence and attribution; figures that disagree
across independent reports are put side by side.

A figure is about the entity when it sits in an event whose actor is the entity, or in a sentence
that mentions it.  The time of an entry is its event's time, else a date in its sentence, else (and
flagged as such) the publication date.  Near-duplicate copies of one report count once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select, union

from marsad.kb.loader import KnowledgeBase
from marsad.models import Article, Event, TimeType
from marsad.store import schema
from marsad.store.db import StoreError
from marsad.store.store import Store
from marsad.store.writer import sentence_index
from marsad.text.normalize import normalize_key

# English measure words people type, to the canonical unit nouns of the quantities extractor.
MEASURE_SYNONYMS = {"troop": "soldier", "troops": "soldier", "forces": "soldier", "personnel": "soldier"}
DATED = (TimeType.DATE, TimeType.TIME)
UNIT_LEXICON = "unit"  # the quantities extractor's counted nouns: forms → {unit: canonical unit}


def measure_units(measure: str, kb: KnowledgeBase | None) -> set[str]:
    """Units a measure names: the unit itself, an English plural or synonym, or an Arabic unit noun
    of the knowledge base's unit lexicon (``جنود`` → soldier)."""
    word = measure.strip().lower()
    units = {word, word.removesuffix("s"), MEASURE_SYNONYMS.get(word, word)}
    key = normalize_key(measure)
    lexicon = kb.lexicons.get(UNIT_LEXICON) if kb else None
    for entry in lexicon.entries if lexicon else []:
        unit = entry.value.get("unit") if isinstance(entry.value, dict) else entry.value
        if unit and any(normalize_key(form) == key for form in entry.forms):
            units.add(str(unit))
    return units


def timeline(store: Store, entity: str, measure: str | None = None, kb: KnowledgeBase | None = None) -> dict:
    ids = store.resolve_entity(entity)
    if not ids:
        raise StoreError(f"no entity named {entity!r} in the database")
    units = measure_units(measure, kb) if measure else None
    m, r = schema.mentions, schema.event_roles
    about = union(
        select(m.c.article_id).where(m.c.entity_id.in_(ids)),
        select(r.c.article_id).where(r.c.entity_id.in_(ids), r.c.role == "actor"),
    ).subquery()
    statement = select(about.c.article_id)
    if units is not None:
        q = schema.quantities
        statement = statement.where(
            about.c.article_id.in_(select(q.c.article_id).where(q.c.unit.in_(sorted(units))))
        )
    with store.engine.connect() as conn:
        article_ids = conn.execute(statement).scalars().all()
    entries: list[dict[str, Any]] = []
    for article, cluster in store.documents(article_ids).values():
        entries += _entries(article, cluster, set(ids), units)
    entries = _count_copies_once(entries)
    entries.sort(
        key=lambda e: (
            e["time"]["value"].split("/")[0],
            e["article"]["published"] or "",
            (e.get("figure") or {}).get("start", 0),  # in the order the report gives them (2000 → 1400)
        )
    )
    return {
        "entity": {"query": entity, "ids": ids},
        "measure": measure,
        "units": sorted(units) if units is not None else None,
        "entries": entries,
        "conflicts": _conflicts(entries),
    }


def _entries(article: Article, cluster: str, ids: set[str], units: set[str] | None) -> list[dict[str, Any]]:
    mentioned = {sentence_index(article, m.start) for m in article.mentions if m.entity_id in ids} - {None}
    acting = [e for e in article.events if any(r.role == "actor" and r.entity_id in ids for r in e.roles)]
    entries = []
    for index, quantity in enumerate(article.quantities):
        if units is not None and quantity.unit not in units:
            continue
        events = [e for e in article.events if index in e.quantities]
        event = next((e for e in events if e in acting), events[0] if events else None)
        sentence = sentence_index(article, quantity.start)
        if (event is None or event not in acting) and sentence not in mentioned:
            continue
        entry = _entry(article, cluster, event, sentence)
        entry.update(
            kind="figure",
            value=quantity.value,
            unit=quantity.unit,
            figure={"text": quantity.text, "start": quantity.start, "end": quantity.end},
            approximate=quantity.approximate,
            bound=quantity.bound,
        )
        entries.append(entry)
    if units is None:
        with_figures = {id(e) for e in article.events if e.quantities}
        for event in article.events:
            if id(event) not in with_figures and (event in acting or event.sentence in mentioned):
                entry = _entry(article, cluster, event, event.sentence)
                entries.append(entry | {"kind": "event", "value": None, "unit": None, "figure": None})
    return entries


def _entry(article: Article, cluster: str, event: Event | None, sentence: int | None) -> dict:
    return {
        "time": referred_time(article, event, sentence),
        "event": None
        if event is None
        else {
            "type": event.type,
            "plover": event.plover,
            "modality": event.modality.value,
            "trigger": event.trigger.text,
        },
        "sentence": article.sentences[sentence].text if sentence is not None else None,
        "attribution": attribution_of(article, event, sentence),
        "article": {
            "id": article.id,
            "url": article.url,
            "outlet": article.outlet,
            "published": article.published,
            "cluster_id": cluster,
        },
        "copies": 1,
        "conflict": False,
    }


def referred_time(article: Article, event: Event | None, sentence: int | None) -> dict[str, Any]:
    """The time an entry refers to, and where that came from (event, sentence or publication)."""
    if event is not None and event.time is not None:
        found = article.times[event.time]
        if found.value and found.type in DATED:
            return {"value": found.value, "text": found.text, "basis": "event"}
    for found in article.times:
        if (
            found.value
            and found.type in DATED
            and sentence is not None
            and sentence_index(article, found.start) == sentence
        ):
            return {"value": found.value, "text": found.text, "basis": "sentence"}
    return {"value": (article.published or "")[:10], "text": None, "basis": "published"}


def attribution_of(article: Article, event: Event | None, sentence: int | None) -> dict[str, Any] | None:
    """Who says so: the event's attribution, else one in the same sentence, else the outlet itself."""
    chosen = (
        article.attributions[event.attribution]
        if event is not None and event.attribution is not None
        else None
    )
    chosen = chosen or next(
        (a for a in article.attributions if sentence is not None and a.sentence == sentence), None
    )
    if chosen is not None:
        return {"text": chosen.text, "kind": chosen.kind.value, "entity_id": chosen.entity_id}
    return {"text": article.outlet, "kind": "outlet", "entity_id": None} if article.outlet else None


def _count_copies_once(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep a figure/event once per near-duplicate cluster: later copies only raise ``copies``."""
    first: dict[tuple, dict[str, Any]] = {}
    kept = []
    for entry in sorted(entries, key=lambda e: (e["article"]["published"] or "", e["article"]["id"])):
        event_type = (entry["event"] or {}).get("type")
        key = (
            entry["article"]["cluster_id"],
            entry["kind"],
            entry["value"],
            entry["unit"],
            entry["time"]["value"],
            event_type,
        )
        seen = first.setdefault(key, entry)
        if seen["article"]["id"] == entry["article"]["id"]:
            kept.append(entry)
        else:
            seen["copies"] += 1
    return kept


def _conflicts(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Figures for the same time and unit on which independent reports disagree, side by side.

    Reports disagree when their sets of values differ; a figure every report gives is not in conflict,
    and the values of one report (a change "from 2000 to 1400") never conflict with each other."""
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        if entry["kind"] == "figure":
            groups[(entry["time"]["value"], entry["unit"])].append(entry)
    conflicts = []
    for (time, unit), group in groups.items():
        by_report: dict[str, set[float]] = defaultdict(set)
        for e in group:
            by_report[e["article"]["cluster_id"]].add(e["value"])
        if len(by_report) < 2 or len({frozenset(v) for v in by_report.values()}) < 2:
            continue
        shared = set.intersection(*by_report.values())
        for entry in group:
            entry["conflict"] = entry["value"] not in shared
        conflicts.append({"time": time, "unit": unit, "figures": group})
    return conflicts
