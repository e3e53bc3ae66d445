"""Event exports in the spirit of ACLED/GDELT event tables: JSON Lines, CSV and GeoJSON points."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, Literal, TextIO

from marsad.models import Article
from marsad.store.store import Filters, Store
from marsad.store.timeline import attribution_of, referred_time

ExportFormat = Literal["jsonl", "csv", "geojson"]
COLUMNS = (
    "date", "time_value", "date_basis", "type", "plover", "actor1", "actor2", "place", "place_inferred",
    "lat", "lon", "figure", "unit", "modality", "negated", "source", "source_kind", "outlet", "article_id",
    "cluster_id", "url", "sentence",
)  # fmt: skip
PAGE = 500


def event_record(article: Article, cluster: str, index: int) -> dict[str, Any]:
    """One event as a flat row: first actor, first target, place with its KB coordinates, first figure."""
    event = article.events[index]
    entities = {e.id: e for e in article.entities}

    def role(name: str) -> tuple[Any, Any, bool | None]:
        found = next((r for r in event.roles if r.role == name), None)
        if found is None:
            return None, None, None
        entity = entities.get(found.entity_id or "")
        return (entity.name_en or entity.name_ar if entity else found.text), entity, found.inferred

    actor1, _, _ = role("actor")
    actor2, _, _ = role("target")
    place, place_entity, place_inferred = role("place")
    figure = article.quantities[event.quantities[0]] if event.quantities else None
    time = referred_time(article, event, event.sentence)
    attribution = attribution_of(article, event, event.sentence) or {}
    return {
        "date": (time["value"] or "").split("T")[0] or None,  # the calendar day of 2024-03-12TMO
        "time_value": time["value"] or None,
        "date_basis": time["basis"],
        "type": event.type,
        "plover": event.plover,
        "actor1": actor1,
        "actor2": actor2,
        "place": place,
        "place_inferred": place_inferred,
        "lat": place_entity.lat if place_entity else None,
        "lon": place_entity.lon if place_entity else None,
        "figure": figure.value if figure else None,
        "unit": figure.unit if figure else None,
        "modality": event.modality.value,
        "negated": event.negated,
        "source": attribution.get("text"),
        "source_kind": attribution.get("kind"),
        "outlet": article.outlet,
        "article_id": article.id,
        "cluster_id": cluster,
        "url": article.url,
        "sentence": article.sentences[event.sentence].text
        if event.sentence < len(article.sentences)
        else event.text,
    }


def event_records(store: Store, filters: Filters) -> Iterator[dict]:
    """Every event row matching ``filters`` (newest articles first)."""
    _, keys = store.event_keys(filters, None, 0)
    return records_for(store, keys)


def records_for(store: Store, keys: list[tuple[str, int]]) -> Iterator[dict]:
    """Event rows for (article id, event index) keys, reading a page of articles at a time."""
    for start in range(0, len(keys), PAGE):
        chunk = keys[start : start + PAGE]
        documents = store.documents(article_id for article_id, _ in chunk)
        for article_id, index in chunk:
            article, cluster = documents[article_id]
            yield event_record(article, cluster, index)


def write_export(records: Iterator[dict], fmt: ExportFormat, out: TextIO) -> int:
    """Write ``records`` to ``out``; returns how many were written (GeoJSON: events with coordinates)."""
    written = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow(record)
            written += 1
    elif fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    else:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for record in records:
            if record["lat"] is None or record["lon"] is None:
                continue
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
                "properties": {k: v for k, v in record.items() if k not in ("lat", "lon")},
            }
            out.write((",\n" if written else "") + json.dumps(feature, ensure_ascii=False))
            written += 1
        out.write("\n]}\n")
    return written
