"""The relational schema, one for SQLite and PostgreSQL.

Each article keeps its full ``Article`` JSON (``document``) for an exact round trip to the API and
web, plus normalised rows for queries.  Every child row is keyed by ``(article_id, idx)`` where
``idx`` is the item's index in its list in the Article, so rows point back at the JSON exactly.
The Alembic migrations under ``migrations/`` create this schema; keep both in step.  They also make
SQLite's full-text index, which SQLAlchemy does not describe: ``article_search``, an FTS5 table over
``articles.search_terms`` (external content, rowid = the article's rowid) that the writer keeps in step.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()


def _article_fk() -> Column:
    return Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


def _span_columns() -> list[Column]:
    return [
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("text", Text),
    ]


articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True, comment="sha256 of the original text (content hash)"),
    Column("url", Text, index=True),
    Column("outlet", Text, index=True),
    Column("source", Text, nullable=False),
    Column("language", String(16)),
    Column("title", Text),
    Column("published", String(40), index=True, comment="ISO 8601, as in the Article"),
    Column("text", Text, nullable=False),
    Column("document", Text, nullable=False, comment="the full Article as JSON"),
    Column("search_terms", Text, nullable=False, comment="normalised words with proclitics split off"),
    Column("cluster_id", String(64), nullable=False, index=True, comment="near-duplicate cluster"),
    Column("minhash", LargeBinary, nullable=False),
    Column("ingested_at", String(40), nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    _article_fk(),
    Column("band", Integer, primary_key=True),
    Column("bucket", String(40), nullable=False),
    Index("ix_minhash_bands_bucket", "bucket"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name_ar", Text, nullable=False),
    Column("name_en", Text),
    Column("type", String(16), nullable=False),
    Column("subtype", String(64)),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(200)),
    Column("kb", Boolean, nullable=False),
    Column("aliases", Text, nullable=False, comment="JSON list"),
)

entity_names = Table(
    "entity_names",
    metadata,
    Column("entity_id", String(200), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("name_key", Text, primary_key=True, comment="normalised name, alias or English name"),
    Index("ix_entity_names_key", "name_key"),
)

sentences = Table(
    "sentences",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("paragraph", Integer, nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("entity_id", String(200), nullable=False),
    Column("type", String(16), nullable=False),
    Column("how", String(16), nullable=False),
    Column("sentence", Integer),
    # Leads with entity_id, so it also serves lookups by entity alone (no index on entity_id by itself).
    Index("ix_mentions_entity_sentence", "entity_id", "article_id", "sentence"),
)

times = Table(
    "times",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("type", String(16), nullable=False),
    Column("value", String(64)),
    Column("anchored", Boolean, nullable=False),
    Column("sentence", Integer),
)

quantities = Table(
    "quantities",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("value", Float, nullable=False),
    Column("unit", String(64), index=True),
    Column("approximate", Boolean, nullable=False),
    Column("bound", String(16)),
    Column("sentence", Integer),
)

attributions = Table(
    "attributions",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(200)),
    Column("sentence", Integer),
)

events = Table(
    "events",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("type", String(64), nullable=False, index=True),
    Column("plover", String(32)),
    Column("trigger", Text, nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("time_idx", Integer),
    Column("modality", String(16), nullable=False),
    Column("attribution_idx", Integer),
    Column("negated", Boolean, nullable=False),
)

event_roles = Table(
    "event_roles",
    metadata,
    _article_fk(),
    Column("event_idx", Integer, primary_key=True),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("role", String(16), nullable=False),
    Column("entity_id", String(200), index=True),
    Column("inferred", Boolean, nullable=False, server_default=false()),
)

event_quantities = Table(
    "event_quantities",
    metadata,
    _article_fk(),
    Column("event_idx", Integer, primary_key=True),
    Column("quantity_idx", Integer, primary_key=True),
)

captions = Table(
    "captions",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("credit", Text),
)

related_links = Table(
    "related_links",
    metadata,
    _article_fk(),
    Column("idx", Integer, primary_key=True),
    *_span_columns(),
    Column("image_caption", Text),
    Column("url", Text),
)

# Rows that belong to one article, children first (deleted in this order when a version is replaced).
ARTICLE_CHILDREN = (
    minhash_bands,
    sentences,
    mentions,
    times,
    quantities,
    attributions,
    event_roles,
    event_quantities,
    events,
    captions,
    related_links,
)
