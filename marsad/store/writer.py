"""Writing one Article: its JSON, its relational rows, its search terms and its near-duplicate cluster,
all in one transaction, so an article is either fully stored or not at all."""

from __future__ import annotations

import json
from bisect import bisect_right
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from marsad.models import Article, Entity
from marsad.store import dedup, schema
from marsad.store.search import index_terms
from marsad.text.normalize import normalize_key


class Outcome(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"  # the same content is already stored
    REPLACED = "replaced"  # a new version of a stored URL
    STALE = "stale"  # an older version of a stored URL (by publication time): kept the newer one


def write_article(conn: Connection, article: Article) -> Outcome:
    """Store ``article`` in the open transaction ``conn``."""
    articles = schema.articles
    if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
        return Outcome.UNCHANGED
    outcome = Outcome.ADDED
    if article.url:
        previous = conn.execute(
            select(articles.c.id, articles.c.published).where(articles.c.url == article.url)
        ).all()
        if any(_newer(stored, article.published) for _, stored in previous):
            return Outcome.STALE
        for old_id, _ in previous:
            delete_article(conn, old_id)
            outcome = Outcome.REPLACED
    _insert_article(conn, article)
    return outcome


def _newer(stored: str | None, incoming: str | None) -> bool:
    return stored is not None and incoming is not None and stored > incoming


def delete_article(conn: Connection, article_id: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(
            text("DELETE FROM article_search WHERE rowid = (SELECT rowid FROM articles WHERE id = :id)"),
            {"id": article_id},
        )
    for table in schema.ARTICLE_CHILDREN:
        conn.execute(delete(table).where(table.c.article_id == article_id))
    conn.execute(delete(schema.articles).where(schema.articles.c.id == article_id))


def _insert_article(conn: Connection, article: Article) -> None:
    searchable = "\n".join([article.title.text if article.title else "", article.body or article.text])
    minhash = dedup.signature(article.body or article.text)
    buckets = dedup.band_buckets(minhash)
    conn.execute(
        insert(schema.articles).values(
            id=article.id,
            url=article.url,
            outlet=article.outlet,
            source=article.source,
            language=article.language,
            title=article.title.text if article.title else None,
            published=article.published,
            text=article.text,
            document=article.model_dump_json(exclude_none=True),
            search_terms=index_terms(searchable),
            cluster_id=_cluster_of(conn, minhash, buckets) or article.id,
            minhash=dedup.to_bytes(minhash),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "INSERT INTO article_search (rowid, terms)"
                " SELECT rowid, search_terms FROM articles WHERE id = :id"
            ),
            {"id": article.id},
        )
    conn.execute(
        insert(schema.minhash_bands),
        [{"article_id": article.id, "band": band, "bucket": bucket} for band, bucket in enumerate(buckets)],
    )
    _upsert_entities(conn, article.entities)
    for table, rows in _child_rows(article):
        if rows:
            conn.execute(insert(table), rows)


def _cluster_of(conn: Connection, minhash: dedup.MinHash, buckets: list[str]) -> str | None:
    """The cluster of the most similar stored article above the threshold, if any."""
    bands = schema.minhash_bands
    candidates = select(bands.c.article_id).where(bands.c.bucket.in_(buckets)).distinct()
    rows = conn.execute(
        select(schema.articles.c.cluster_id, schema.articles.c.minhash).where(
            schema.articles.c.id.in_(candidates)
        )
    ).all()
    scored = [(dedup.similarity(minhash, stored), cluster) for cluster, stored in rows]
    best = max(scored, default=None)
    return best[1] if best and best[0] >= dedup.THRESHOLD else None


def _upsert_entities(conn: Connection, entities: list[Entity]) -> None:
    """Insert entities not yet known (concurrent writers may race: conflicts are ignored)."""
    if not entities:
        return
    insert_fn = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    rows = [
        {
            "id": e.id,
            "name_ar": e.name_ar,
            "name_en": e.name_en,
            "type": e.type.value,
            "subtype": e.subtype,
            "lat": e.lat,
            "lon": e.lon,
            "country": e.country,
            "kb": e.kb,
            "aliases": json.dumps(e.aliases, ensure_ascii=False),
        }
        for e in entities
    ]
    conn.execute(insert_fn(schema.entities).on_conflict_do_nothing(), rows)
    names = {
        (e.id, key)
        for e in entities
        for name in (e.name_ar, e.name_en, *e.aliases)
        if name and (key := normalize_key(name))
    }
    conn.execute(
        insert_fn(schema.entity_names).on_conflict_do_nothing(),
        [{"entity_id": entity_id, "name_key": key} for entity_id, key in sorted(names)],
    )


def sentence_index(article: Article, offset: int) -> int | None:
    """Index of the sentence of ``article`` that contains the original ``offset`` (None outside)."""
    k = bisect_right([s.start for s in article.sentences], offset) - 1
    return k if k >= 0 and offset < article.sentences[k].end else None


def _span(item: Any) -> dict[str, Any]:
    return {"start": item.start, "end": item.end, "text": item.text}


def _child_rows(article: Article) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Rows of every child table, each keyed by (article id, index in the Article's list)."""
    aid = article.id

    def sentence_of(offset: int) -> int | None:
        return sentence_index(article, offset)

    return [
        (
            schema.sentences,
            [
                {"article_id": aid, "idx": i, **_span(s), "paragraph": s.paragraph}
                for i, s in enumerate(article.sentences)
            ],
        ),
        (
            schema.mentions,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(m),
                    "entity_id": m.entity_id,
                    "type": m.type.value,
                    "how": m.how,
                    "sentence": sentence_of(m.start),
                }
                for i, m in enumerate(article.mentions)
            ],
        ),
        (
            schema.times,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(t),
                    "type": t.type.value,
                    "value": t.value,
                    "anchored": t.anchored,
                    "sentence": sentence_of(t.start),
                }
                for i, t in enumerate(article.times)
            ],
        ),
        (
            schema.quantities,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(q),
                    "value": q.value,
                    "unit": q.unit,
                    "approximate": q.approximate,
                    "bound": q.bound,
                    "sentence": sentence_of(q.start),
                }
                for i, q in enumerate(article.quantities)
            ],
        ),
        (
            schema.attributions,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(a),
                    "kind": a.kind.value,
                    "entity_id": a.entity_id,
                    "sentence": a.sentence if a.sentence is not None else sentence_of(a.start),
                }
                for i, a in enumerate(article.attributions)
            ],
        ),
        (
            schema.events,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(e),
                    "type": e.type,
                    "plover": e.plover,
                    "trigger": e.trigger.text,
                    "sentence": e.sentence,
                    "time_idx": e.time,
                    "modality": e.modality.value,
                    "attribution_idx": e.attribution,
                    "negated": e.negated,
                }
                for i, e in enumerate(article.events)
            ],
        ),
        (
            schema.event_roles,
            [
                {
                    "article_id": aid,
                    "event_idx": i,
                    "idx": j,
                    **_span(r),
                    "role": r.role,
                    "entity_id": r.entity_id,
                    "inferred": r.inferred,
                }
                for i, e in enumerate(article.events)
                for j, r in enumerate(e.roles)
            ],
        ),
        (
            schema.event_quantities,
            [
                {"article_id": aid, "event_idx": i, "quantity_idx": q}
                for i, e in enumerate(article.events)
                for q in dict.fromkeys(e.quantities)
            ],
        ),
        (
            schema.captions,
            [
                {"article_id": aid, "idx": i, **_span(c), "credit": c.credit.text if c.credit else None}
                for i, c in enumerate(article.captions)
            ],
        ),
        (
            schema.related_links,
            [
                {
                    "article_id": aid,
                    "idx": i,
                    **_span(r),
                    "image_caption": r.image_caption.text if r.image_caption else None,
                    "url": r.url,
                }
                for i, r in enumerate(article.related)
            ],
        ),
    ]
