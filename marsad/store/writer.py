"""Writing Articles: each one's JSON, relational rows, search terms and near-duplicate cluster.

A batch of articles goes in one transaction, so each article is either fully stored or not at all.
What an article's outcome depends on in the database (is its content stored, which versions of its URL,
which stored articles share an LSH bucket) is read once per batch; then each article is decided in
order exactly as if it were written alone, with the batch's earlier articles seen in memory, and the
rows of the whole batch go in one executemany per table.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, bindparam, delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from marsad.models import Article
from marsad.store import dedup, schema
from marsad.store.search import index_terms, words
from marsad.text.normalize import normalize_key


class Outcome(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"  # the same content is already stored
    REPLACED = "replaced"  # a new version of a stored URL
    STALE = "stale"  # an older version of a stored URL (by publication time): kept the newer one


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """What storing an article needs that depends on the article alone: computed before the write
    transaction (so a retried transaction does not redo it, and the write lock is held for less)."""

    article: Article
    document: str
    search_terms: str
    minhash: dedup.MinHash
    buckets: list[str]


def prepare(article: Article) -> PreparedArticle:
    """The article's JSON, full-text terms (title and body) and MinHash signature (body), with the body
    normalised and split into words once for both."""
    body_words = words(article.body or article.text)
    title_words = words(article.title.text) if article.title else []
    minhash = dedup.signature(body_words)
    return PreparedArticle(
        article,
        article.model_dump_json(exclude_none=True),
        index_terms(title_words + body_words),
        minhash,
        dedup.band_buckets(minhash),
    )


def write_articles(conn: Connection, batch: Sequence[PreparedArticle]) -> list[Outcome]:
    """Store ``batch`` (at most a few hundred articles: its ids, URLs and LSH buckets are looked up
    with ``IN``) in the open transaction ``conn``; the outcome of each article, in order."""
    writer = _BatchWriter(conn, batch)
    outcomes = [writer.write(prepared) for prepared in batch]
    writer.flush()
    return outcomes


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


_articles, _bands = schema.articles, schema.minhash_bands
# What a batch reads up front (the lists are bound at execution: no statement built per batch).
_STORED = select(_articles.c.id).where(_articles.c.id.in_(bindparam("ids", expanding=True)))
_VERSIONS = select(_articles.c.url, _articles.c.id, _articles.c.published).where(
    _articles.c.url.in_(bindparam("urls", expanding=True))
)
_SHARING = select(_bands.c.bucket, _bands.c.article_id).where(
    _bands.c.bucket.in_(bindparam("buckets", expanding=True))
)
_SIGNATURES = select(_articles.c.id, _articles.c.minhash, _articles.c.cluster_id).where(
    _articles.c.id.in_(bindparam("ids", expanding=True))
)


class _BatchWriter:
    """The database as seen by each article of a batch in turn: what was stored before the batch (read
    up front) plus the batch's own writes so far (kept in memory, inserted by :meth:`flush`)."""

    def __init__(self, conn: Connection, batch: Sequence[PreparedArticle]) -> None:
        self.conn = conn
        ids = sorted({p.article.id for p in batch})
        urls = sorted({p.article.url for p in batch if p.article.url})
        buckets = sorted({bucket for p in batch for bucket in p.buckets})
        self.stored: set[str] = set(conn.execute(_STORED, {"ids": ids}).scalars())
        self.versions: dict[str, dict[str, str | None]] = {}  # url -> {article id: published}
        if urls:
            for row in conn.execute(_VERSIONS, {"urls": urls}):
                self.versions.setdefault(row.url, {})[row.id] = row.published
        self.bucket_members: dict[str, set[str]] = {}
        for row in conn.execute(_SHARING, {"buckets": buckets}):
            self.bucket_members.setdefault(row.bucket, set()).add(row.article_id)
        candidates = sorted(set().union(*self.bucket_members.values()))
        self.signatures: dict[str, tuple[bytes, str]] = {}  # article id -> (minhash, cluster)
        if candidates:
            for row in conn.execute(_SIGNATURES, {"ids": candidates}):
                self.signatures[row.id] = (row.minhash, row.cluster_id)
        self.pending: dict[Table, list[dict[str, Any]]] = {}
        self.search_rows: list[tuple[str, str]] = []  # SQLite full-text rows: (terms, article id)
        self.entities: dict[str, dict[str, Any]] = {}
        self.entity_names: dict[tuple[str, str], None] = {}

    def write(self, prepared: PreparedArticle) -> Outcome:
        article = prepared.article
        if article.id in self.stored:
            return Outcome.UNCHANGED
        outcome = Outcome.ADDED
        if article.url:
            previous = self.versions.setdefault(article.url, {})
            if any(_newer(stored, article.published) for stored in previous.values()):
                return Outcome.STALE
            for old_id in list(previous):
                self._delete(old_id)
                del previous[old_id]
                outcome = Outcome.REPLACED
            previous[article.id] = article.published
        self._insert(prepared)
        return outcome

    def _delete(self, article_id: str) -> None:
        """Delete a stored article (rare: a new version of its URL), after writing what is pending so
        that rows keep the order, and so the ids, of one article at a time."""
        self.flush()
        delete_article(self.conn, article_id)
        self.stored.discard(article_id)
        self.signatures.pop(article_id, None)

    def _insert(self, prepared: PreparedArticle) -> None:
        article = prepared.article
        cluster = self._cluster_of(prepared) or article.id
        signature = dedup.to_bytes(prepared.minhash)
        self._add_rows(
            schema.articles,
            [
                {
                    "id": article.id,
                    "url": article.url,
                    "outlet": article.outlet,
                    "source": article.source,
                    "language": article.language,
                    "title": article.title.text if article.title else None,
                    "published": article.published,
                    "text": article.text,
                    "document": prepared.document,
                    "search_terms": prepared.search_terms,
                    "cluster_id": cluster,
                    "minhash": signature,
                    "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            ],
        )
        self.search_rows.append((prepared.search_terms, article.id))
        bands = enumerate(prepared.buckets)
        self._add_rows(
            schema.minhash_bands, [{"article_id": article.id, "band": b, "bucket": k} for b, k in bands]
        )
        self._add_entities(article)
        for table, rows in _child_rows(article):
            self._add_rows(table, rows)
        self.stored.add(article.id)
        self.signatures[article.id] = (signature, cluster)
        for bucket in prepared.buckets:
            self.bucket_members.setdefault(bucket, set()).add(article.id)

    def _cluster_of(self, prepared: PreparedArticle) -> str | None:
        """The cluster of the most similar article stored so far above the threshold, if any."""
        candidates = set().union(*(self.bucket_members.get(bucket, ()) for bucket in prepared.buckets))
        scored = [
            (dedup.similarity(prepared.minhash, stored), cluster)
            for stored, cluster in map(self.signatures.get, candidates & self.signatures.keys())
        ]
        best = max(scored, default=None)
        return best[1] if best and best[0] >= dedup.THRESHOLD else None

    def _add_rows(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.pending.setdefault(table, []).extend(rows)

    def _add_entities(self, article: Article) -> None:
        """Entities not yet known, first description first (as if each article upserted its own)."""
        for e in article.entities:
            self.entities.setdefault(
                e.id,
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
                },
            )
        names = {
            (e.id, key)
            for e in article.entities
            for name in (e.name_ar, e.name_en, *e.aliases)
            if name and (key := normalize_key(name))
        }
        self.entity_names.update(dict.fromkeys(sorted(names)))

    def flush(self) -> None:
        """Insert the pending rows: articles first (children refer to them), then one executemany per
        table; entities and their names are inserted unless another writer already did."""
        conn = self.conn
        articles = self.pending.pop(schema.articles, [])
        if articles:
            _insert_many(conn, schema.articles, articles)
        if self.search_rows and conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "INSERT INTO article_search (rowid, terms) SELECT rowid, ? FROM articles WHERE id = ?",
                self.search_rows,
            )
        if self.entities:
            _insert_many(conn, schema.entities, list(self.entities.values()), skip_conflicts=True)
            names = [{"entity_id": entity_id, "name_key": key} for entity_id, key in self.entity_names]
            _insert_many(conn, schema.entity_names, names, skip_conflicts=True)
        for table, rows in self.pending.items():
            _insert_many(conn, table, rows)
        self.pending.clear()
        self.search_rows.clear()
        self.entities.clear()
        self.entity_names.clear()


def _insert_many(
    conn: Connection, table: Table, rows: list[dict[str, Any]], skip_conflicts: bool = False
) -> None:
    """``conn.execute(insert(table), rows)`` without SQLAlchemy's per-row parameter processing (most of
    the cost of writing a row): the statement is compiled once per dialect and the rows go to the
    driver's ``executemany`` as they are.  They hold only str, int, float, bool, bytes and None, which
    both drivers store as SQLAlchemy's own processing would."""
    sql, positions = _insert_sql(table, tuple(rows[0]), conn.dialect, skip_conflicts)
    conn.exec_driver_sql(sql, rows if positions is None else list(map(itemgetter(*positions), rows)))


@lru_cache(maxsize=256)
def _insert_sql(
    table: Table, columns: tuple[str, ...], dialect: Dialect, skip_conflicts: bool
) -> tuple[str, Sequence[str] | None]:
    """The INSERT for ``columns`` of ``table`` in the dialect's parameter style, with the order of the
    parameters when that style is positional."""
    statement = insert(table)
    if skip_conflicts:
        statement = (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)
        statement = statement.on_conflict_do_nothing()
    compiled = statement.compile(dialect=dialect, column_keys=list(columns))
    return str(compiled), compiled.positiontup


def sentence_index(article: Article, offset: int) -> int | None:
    """Index of the sentence of ``article`` that contains the original ``offset`` (None outside)."""
    k = bisect_right([s.start for s in article.sentences], offset) - 1
    return k if k >= 0 and offset < article.sentences[k].end else None


def _span(item: Any) -> dict[str, Any]:
    return {"start": item.start, "end": item.end, "text": item.text}


def _child_rows(article: Article) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Rows of every child table, each keyed by (article id, index in the Article's list)."""
    aid = article.id
    starts = [s.start for s in article.sentences]

    def sentence_of(offset: int) -> int | None:
        """As :func:`sentence_index`, with the sentence starts listed once per article."""
        k = bisect_right(starts, offset) - 1
        return k if k >= 0 and offset < article.sentences[k].end else None

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
