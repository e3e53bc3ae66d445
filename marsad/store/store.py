"""The corpus store: what the CLI, API and exports call.  Writes go a batch of articles per transaction."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from marsad.models import Article, Rejection
from marsad.store import schema
from marsad.store.db import StoreError, create_db_engine, migrate, with_retries
from marsad.store.search import fts5_query, query_groups, tsquery
from marsad.store.writer import Outcome, PreparedArticle, prepare, write_articles
from marsad.text.normalize import normalize_key

MAX_LIMIT = 200
BATCH_SIZE = 64  # results per write transaction in ingest()
BATCH_SECONDS = 1.0  # longest a result waits in ingest() for its batch to fill

Result = Article | PreparedArticle | Rejection  # what ingest() stores (or passes through)


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by listing, search, events and exports (all optional)."""

    since: date | None = None
    until: date | None = None
    entity: str | None = None  # id, or Arabic/English name or alias
    event_type: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Page:
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


class Store:
    """A Marsad database (SQLite or PostgreSQL), migrated to the newest schema on open."""

    def __init__(self, db: str | None = None) -> None:
        self.engine = create_db_engine(db)
        try:
            migrate(self.engine)
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the database: {_first_line(exc.orig)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ writing

    def add(self, article: Article) -> Outcome:
        """Store one article in its own transaction (idempotent; replaces older versions of its URL)."""
        return self._write([prepare(article)])[0]

    def ingest(
        self, results: Iterable[Result], batch_size: int = BATCH_SIZE
    ) -> Iterator[tuple[Result, Outcome | None]]:
        """Store the articles of a stream of pipeline results (Articles, or articles already prepared,
        e.g. by Dask workers), a batch per transaction; each result is yielded with its outcome once its
        batch is committed (Rejections pass through, in order, with None).  A batch is written when it
        has ``batch_size`` results or its first one has waited ``BATCH_SECONDS``, so a slow stream
        still commits as it goes."""
        pending: list[Result] = []
        started = 0.0
        for result in results:
            if not pending:
                started = time.monotonic()
            pending.append(result)
            if len(pending) >= batch_size or time.monotonic() - started >= BATCH_SECONDS:
                yield from self._commit(pending)
                pending = []
        yield from self._commit(pending)

    def _commit(self, results: list[Result]) -> Iterator[tuple[Result, Outcome | None]]:
        batch = [
            r if isinstance(r, PreparedArticle) else prepare(r)
            for r in results
            if not isinstance(r, Rejection)
        ]
        outcomes = iter(self._write(batch))
        for result in results:
            yield result, None if isinstance(result, Rejection) else next(outcomes)

    def _write(self, batch: list[PreparedArticle]) -> list[Outcome]:
        """One transaction for the batch; should another writer store one of its articles meanwhile
        (PostgreSQL's constraint says so at insert), each article again in a transaction of its own."""
        if not batch:
            return []
        try:
            return with_retries(self.engine, lambda conn: write_articles(conn, batch))
        except IntegrityError:  # another writer stored the same content between our check and insert
            if len(batch) == 1:
                return [Outcome.UNCHANGED]
            return [outcome for prepared in batch for outcome in self._write([prepared])]

    # ------------------------------------------------------------------ reading

    def counts(self) -> dict[str, int]:
        """Rows per table, plus ``clusters``: distinct reports once near-duplicates are merged."""
        tables = [schema.articles, schema.entities, schema.mentions, schema.times, schema.quantities]
        tables += [schema.attributions, schema.events, schema.captions, schema.related_links]
        with self.engine.connect() as conn:
            result = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}
            result["clusters"] = conn.execute(
                select(func.count(schema.articles.c.cluster_id.distinct()))
            ).scalar_one()
        return result

    def resolve_entity(self, name: str) -> list[str]:
        """Entity ids named by ``name``: an id, or a normalised Arabic/English name or alias."""
        names = schema.entity_names
        with self.engine.connect() as conn:
            by_id = (
                conn.execute(select(schema.entities.c.id).where(schema.entities.c.id == name)).scalars().all()
            )
            by_name = conn.execute(
                select(names.c.entity_id).where(names.c.name_key == normalize_key(name)).distinct()
            ).scalars()
            return sorted({*by_id, *by_name})

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The full stored Article (JSON, with every span) plus its near-duplicate cluster."""
        a = schema.articles
        with self.engine.connect() as conn:
            row = conn.execute(select(a.c.document, a.c.cluster_id).where(a.c.id == article_id)).first()
        if row is None:
            return None
        return {**json.loads(row.document), "cluster_id": row.cluster_id}

    def articles(self, filters: Filters, limit: int, offset: int) -> Page:
        return self._article_page(self._articles_where(filters), limit, offset)

    def search(self, query: str, filters: Filters, limit: int, offset: int) -> Page:
        """Articles whose title/body contain every word of ``query`` (across clitics and spelling)."""
        groups = query_groups(query)
        if not groups:
            raise StoreError("the search query has no word to look for")
        a = schema.articles
        statement = self._articles_where(filters)
        if self.dialect == "sqlite":
            matching = "articles.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH :q)"
            statement = statement.where(text(matching).bindparams(q=fts5_query(groups)))
        else:
            statement = statement.where(
                func.to_tsvector(text("'simple'"), a.c.search_terms).op("@@")(
                    func.to_tsquery(text("'simple'"), tsquery(groups))
                )
            )
        return self._article_page(statement, limit, offset)

    def entities(self, query: str | None, limit: int, offset: int) -> Page:
        """Entities with how many articles and distinct reports (near-duplicate clusters) mention them."""
        e, m, a = schema.entities, schema.mentions, schema.articles
        statement = select(e)
        if query:
            statement = statement.where(e.c.id.in_(self.resolve_entity(query)))
        mentioned = (
            select(
                m.c.entity_id,
                func.count(m.c.article_id.distinct()).label("articles"),
                func.count(a.c.cluster_id.distinct()).label("reports"),
            )
            .join(a, a.c.id == m.c.article_id)
            .group_by(m.c.entity_id)
            .subquery()
        )
        listed = (
            statement.add_columns(
                func.coalesce(mentioned.c.articles, 0).label("articles"),
                func.coalesce(mentioned.c.reports, 0).label("reports"),
            )
            .outerjoin(mentioned, mentioned.c.entity_id == e.c.id)
            .order_by(func.coalesce(mentioned.c.articles, 0).desc(), e.c.id)
        )
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
            rows = conn.execute(listed.limit(limit).offset(offset)).mappings().all()
        return Page(total, limit, offset, [_entity_dict(row) for row in rows])

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        e = schema.entities
        with self.engine.connect() as conn:
            row = conn.execute(select(e).where(e.c.id == entity_id)).mappings().first()
        if row is None:
            return None
        listed = self.entities(entity_id, 1, 0).items
        return listed[0] if listed else _entity_dict({**row, "articles": 0, "reports": 0})

    def documents(self, article_ids: Iterable[str]) -> dict[str, tuple[Article, str]]:
        """Parsed Articles with their cluster ids, by id."""
        ids = list(dict.fromkeys(article_ids))
        a = schema.articles
        found: dict[str, tuple[Article, str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    select(a.c.id, a.c.document, a.c.cluster_id).where(a.c.id.in_(ids[start : start + 500]))
                )
                for row in rows:
                    found[row.id] = (Article.model_validate_json(row.document), row.cluster_id)
        return found

    def event_keys(
        self, filters: Filters, limit: int | None, offset: int
    ) -> tuple[int, list[tuple[str, int]]]:
        """(total, [(article id, event index)]) of events matching ``filters``, newest articles first."""
        ev, a = schema.events, schema.articles
        statement = self._articles_where(
            filters, select(ev.c.article_id, ev.c.idx).join(a, a.c.id == ev.c.article_id)
        )
        if filters.event_type:
            statement = statement.where(ev.c.type == filters.event_type)
        ordered = statement.order_by(a.c.published.desc(), ev.c.article_id, ev.c.idx).offset(offset)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
            rows = conn.execute(ordered if limit is None else ordered.limit(limit)).all()
        return total, [(row.article_id, row.idx) for row in rows]

    # ------------------------------------------------------------------ helpers

    def _articles_where(self, filters: Filters, statement: Select | None = None) -> Select:
        a = schema.articles
        statement = statement if statement is not None else select(a)
        published_day = func.substr(a.c.published, 1, 10)
        if filters.since:
            statement = statement.where(published_day >= filters.since.isoformat())
        if filters.until:
            statement = statement.where(published_day <= filters.until.isoformat())
        if filters.outlet:
            statement = statement.where(a.c.outlet == filters.outlet)
        if filters.entity:
            m = schema.mentions
            ids = self.resolve_entity(filters.entity)
            statement = statement.where(exists().where(m.c.article_id == a.c.id, m.c.entity_id.in_(ids)))
        if filters.event_type:
            ev = schema.events
            statement = statement.where(
                exists().where(ev.c.article_id == a.c.id, ev.c.type == filters.event_type)
            )
        return statement

    def _article_page(self, statement: Select, limit: int, offset: int) -> Page:
        a = schema.articles
        summary = statement.with_only_columns(
            a.c.id, a.c.url, a.c.outlet, a.c.title, a.c.published, a.c.language, a.c.cluster_id
        ).order_by(a.c.published.desc(), a.c.id)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
            rows = conn.execute(summary.limit(limit).offset(offset)).mappings().all()
        return Page(total, limit, offset, [dict(row) for row in rows])


def _entity_dict(row: Any) -> dict[str, Any]:
    entity = dict(row)
    entity["aliases"] = json.loads(entity["aliases"])
    return entity


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
