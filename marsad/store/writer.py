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


Row = tuple[Any, ...]  # a table's row: its columns' values in the table's column order


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """What storing an article needs that depends on the article alone, as plain values: computed
    before the write transaction (so a retried transaction does not redo it, and the write lock is held
    for less), and cheap to pickle, so Dask workers can make it (``run(..., encode=prepare)``) and the
    process that writes receives neither the Article nor any per-article Python work."""

    id: str
    url: str | None
    published: str | None
    source: str
    warnings: list[str]
    article_row: Row  # the articles row up to search_terms; the cluster and the rest are set at write
    signature: bytes  # the body's MinHash (dedup.signature)
    buckets: list[str]
    entities: list[Row]  # the article's entities, in order (the first description of each is kept)
    entity_names: list[Row]  # (entity id, name key), sorted
    children: list[tuple[str, list[Row]]]  # (table name, rows) for each child table with rows


def prepare(article: Article) -> PreparedArticle:
    """The article's rows, JSON, full-text terms (title and body) and MinHash signature (body), with the
    body normalised and split into words once for both."""
    body_words = words(article.body or article.text)
    title_words = words(article.title.text) if article.title else []
    signature = dedup.signature(body_words)
    buckets = dedup.band_buckets(signature)
    article_row = (
        article.id,
        article.url,
        article.outlet,
        article.source,
        article.language,
        article.title.text if article.title else None,
        article.published,
        article.text,
        article.model_dump_json(exclude_none=True),
        index_terms(title_words + body_words),
    )
    entities = [
        (e.id, e.name_ar, e.name_en, e.type.value, e.subtype, e.lat, e.lon, e.country, e.kb)
        + (json.dumps(e.aliases, ensure_ascii=False),)
        for e in article.entities
    ]
    names = {
        (e.id, key)
        for e in article.entities
        for name in (e.name_ar, e.name_en, *e.aliases)
        if name and (key := normalize_key(name))
    }
    return PreparedArticle(
        article.id,
        article.url,
        article.published,
        article.source,
        article.warnings,
        article_row,
        signature,
        buckets,
        entities,
        sorted(names),
        [
            (schema.minhash_bands.name, [(article.id, band, bucket) for band, bucket in enumerate(buckets)]),
            *((table.name, rows) for table, rows in _child_rows(article) if rows),
        ],
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
    if conn.dialect.name == "sqlite":  # first: the full-text index reads the terms to unindex from the row
        conn.execute(
            text("DELETE FROM article_search WHERE rowid = (SELECT rowid FROM articles WHERE id = :id)"),
            {"id": article_id},
        )
    for table in schema.ARTICLE_CHILDREN:
        conn.execute(delete(table).where(table.c.article_id == article_id))
    conn.execute(delete(schema.articles).where(schema.articles.c.id == article_id))


_articles, _bands = schema.articles, schema.minhash_bands
_SEARCH_TERMS = _articles.columns.keys().index("search_terms")  # its place in an articles row
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
        ids = sorted({p.id for p in batch})
        urls = sorted({p.url for p in batch if p.url})
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
        self.pending: dict[Table, list[Row]] = {}
        self.search_rows: list[tuple[str, str]] = []  # SQLite full-text rows: (terms, article id)
        self.entities: dict[str, Row] = {}  # the first description of each entity in the batch
        self.entity_names: dict[Row, None] = {}

    def write(self, prepared: PreparedArticle) -> Outcome:
        if prepared.id in self.stored:
            return Outcome.UNCHANGED
        outcome = Outcome.ADDED
        if prepared.url:
            previous = self.versions.setdefault(prepared.url, {})
            if any(_newer(stored, prepared.published) for stored in previous.values()):
                return Outcome.STALE
            for old_id in list(previous):
                self._delete(old_id)
                del previous[old_id]
                outcome = Outcome.REPLACED
            previous[prepared.id] = prepared.published
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
        article_id = prepared.id
        cluster = self._cluster_of(prepared) or article_id
        signature = prepared.signature
        ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.pending.setdefault(schema.articles, []).append(
            (*prepared.article_row, cluster, signature, ingested_at)
        )
        self.search_rows.append((prepared.article_row[_SEARCH_TERMS], article_id))
        for entity in prepared.entities:
            self.entities.setdefault(entity[0], entity)
        self.entity_names.update(dict.fromkeys(prepared.entity_names))
        for table_name, rows in prepared.children:
            self.pending.setdefault(schema.metadata.tables[table_name], []).extend(rows)
        self.stored.add(article_id)
        self.signatures[article_id] = (signature, cluster)
        for bucket in prepared.buckets:
            self.bucket_members.setdefault(bucket, set()).add(article_id)

    def _cluster_of(self, prepared: PreparedArticle) -> str | None:
        """The cluster of the most similar article stored so far above the threshold, if any."""
        candidates = set().union(*(self.bucket_members.get(bucket, ()) for bucket in prepared.buckets))
        scored = [
            (dedup.similarity(prepared.signature, stored), cluster)
            for stored, cluster in map(self.signatures.get, candidates & self.signatures.keys())
        ]
        best = max(scored, default=None)
        return best[1] if best and best[0] >= dedup.THRESHOLD else None

    def flush(self) -> None:
        """Insert the pending rows: articles first (children refer to them), then one executemany per
        table; entities and their names are inserted unless another writer already did."""
        conn = self.conn
        articles = self.pending.pop(schema.articles, [])
        if articles:
            _insert_many(conn, schema.articles, articles)
        if self.search_rows and conn.dialect.name == "sqlite":
            # The terms are passed again, so that indexing them does not read them back from the row.
            conn.exec_driver_sql(
                "INSERT INTO article_search (rowid, search_terms) SELECT rowid, ? FROM articles WHERE id = ?",
                self.search_rows,
            )
        if self.entities:
            _insert_many(conn, schema.entities, list(self.entities.values()), skip_conflicts=True)
            _insert_many(conn, schema.entity_names, list(self.entity_names), skip_conflicts=True)
        for table, rows in self.pending.items():
            _insert_many(conn, table, rows)
        self.pending.clear()
        self.search_rows.clear()
        self.entities.clear()
        self.entity_names.clear()


def _insert_many(conn: Connection, table: Table, rows: list[Row], skip_conflicts: bool = False) -> None:
    """``conn.execute(insert(table), rows)`` without SQLAlchemy's per-row parameter processing (most of
    the cost of writing a row): the statement is compiled once per dialect and the rows go to the
    driver's ``executemany`` as they are (as dicts for a driver with named parameters).  They hold only
    str, int, float, bool, bytes and None, which both drivers store as SQLAlchemy's own processing would."""
    sql, positions = _insert_sql(table, conn.dialect, skip_conflicts)
    if positions is None:
        names = table.columns.keys()
        conn.exec_driver_sql(sql, [dict(zip(names, row, strict=True)) for row in rows])
    elif positions == tuple(range(len(table.columns))):
        conn.exec_driver_sql(sql, rows)
    else:
        conn.exec_driver_sql(sql, list(map(itemgetter(*positions), rows)))


@lru_cache(maxsize=64)
def _insert_sql(table: Table, dialect: Dialect, skip_conflicts: bool) -> tuple[str, tuple[int, ...] | None]:
    """The INSERT of a whole row of ``table`` in the dialect's parameter style, with, when that style
    is positional, the index in the row of each parameter."""
    statement = insert(table)
    if skip_conflicts:
        statement = (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)
        statement = statement.on_conflict_do_nothing()
    names = table.columns.keys()
    compiled = statement.compile(dialect=dialect, column_keys=names)
    if compiled.positiontup is None:
        return str(compiled), None
    return str(compiled), tuple(names.index(name) for name in compiled.positiontup)


def sentence_index(article: Article, offset: int) -> int | None:
    """Index of the sentence of ``article`` that contains the original ``offset`` (None outside)."""
    k = bisect_right([s.start for s in article.sentences], offset) - 1
    return k if k >= 0 and offset < article.sentences[k].end else None


def _child_rows(article: Article) -> list[tuple[Table, list[Row]]]:
    """Rows of every child table but the LSH bands, each keyed by (article id, index in the Article's
    list)."""
    aid = article.id
    starts = [s.start for s in article.sentences]

    def sentence_of(offset: int) -> int | None:
        """As :func:`sentence_index`, with the sentence starts listed once per article."""
        k = bisect_right(starts, offset) - 1
        return k if k >= 0 and offset < article.sentences[k].end else None

    return [
        (
            schema.sentences,
            [(aid, i, s.start, s.end, s.text, s.paragraph) for i, s in enumerate(article.sentences)],
        ),
        (
            schema.mentions,
            [
                (aid, i, m.start, m.end, m.text, m.entity_id, m.type.value, m.how, sentence_of(m.start))
                for i, m in enumerate(article.mentions)
            ],
        ),
        (
            schema.times,
            [
                (aid, i, t.start, t.end, t.text, t.type.value, t.value, t.anchored, sentence_of(t.start))
                for i, t in enumerate(article.times)
            ],
        ),
        (
            schema.quantities,
            [
                (
                    aid,
                    i,
                    q.start,
                    q.end,
                    q.text,
                    q.value,
                    q.unit,
                    q.approximate,
                    q.bound,
                    sentence_of(q.start),
                )
                for i, q in enumerate(article.quantities)
            ],
        ),
        (
            schema.attributions,
            [
                (aid, i, a.start, a.end, a.text, a.kind.value, a.entity_id)
                + (a.sentence if a.sentence is not None else sentence_of(a.start),)
                for i, a in enumerate(article.attributions)
            ],
        ),
        (
            schema.events,
            [
                (aid, i, e.start, e.end, e.text, e.type, e.plover, e.trigger.text, e.sentence, e.time)
                + (e.modality.value, e.attribution, e.negated)
                for i, e in enumerate(article.events)
            ],
        ),
        (
            schema.event_roles,
            [
                (aid, i, j, r.start, r.end, r.text, r.role, r.entity_id, r.inferred)
                for i, e in enumerate(article.events)
                for j, r in enumerate(e.roles)
            ],
        ),
        (
            schema.event_quantities,
            [(aid, i, q) for i, e in enumerate(article.events) for q in dict.fromkeys(e.quantities)],
        ),
        (
            schema.captions,
            [
                (aid, i, c.start, c.end, c.text, c.credit.text if c.credit else None)
                for i, c in enumerate(article.captions)
            ],
        ),
        (
            schema.related_links,
            [
                (aid, i, r.start, r.end, r.text, r.image_caption.text if r.image_caption else None, r.url)
                for i, r in enumerate(article.related)
            ],
        ),
    ]
