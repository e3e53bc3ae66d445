"""The Alembic migrations: they build exactly the schema that ``marsad.store.schema`` describes, and
bring a database written under an older schema to the newest one with its data still found."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from typer.testing import CliRunner

from marsad.cli.app import app
from marsad.store import Filters, Store, StoreError, schema
from marsad.store.db import MIGRATIONS, write_connection
from tests.arabic_sentences import SENTENCES, make_article
from tests.store_checks import check_search_index


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with write_connection(engine) as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _outside_the_full_text_index(_object: object, name: str | None, type_: str, *_: object) -> bool:
    """False for the full-text index, which the migrations make outside the SQLAlchemy schema (SQLite's
    FTS5 tables, PostgreSQL's GIN index)."""
    in_index = (
        type_ == "table" and (name or "").startswith("article_search")
    ) or name == "ix_articles_search"
    return not in_index


def test_the_migrations_build_the_schema_the_store_describes(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _outside_the_full_text_index})
        assert compare_metadata(context, schema.metadata) == []


def _search(store: Store, query: str) -> list[str]:
    return [a["id"] for a in store.search(query, Filters(), 50, 0).items]


def test_a_database_from_before_the_external_content_index_is_searched_alike_after_upgrade(
    db_url: str,
) -> None:
    """Down to 0003 and up again (0004 drops an index; on SQLite, 0005 rebuilds the full-text index from
    the stored terms): every query finds what it found before, and replacing an article afterwards
    unindexes it."""
    articles = [
        make_article(SENTENCES[i : i + 3], url=f"https://example.test/{i}", published=f"2018-03-0{i + 1}")
        for i in range(5)
    ]
    queries = ["دمشق", "السوري", "الاثنين", "بإيداع", "الفلسطيني عباس", "سلمان دمشق"]
    with Store(db_url) as store:
        for article in articles:
            store.add(article)
        found_at_head = {query: _search(store, query) for query in queries}
        _migrate(store.engine, "0003", down=True)
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(article_search)")]
            assert columns == ["terms"]  # the index as 0001 made it, holding its own copy of the terms
        assert {query: _search(store, query) for query in queries} == found_at_head
    with Store(db_url) as store:  # opening it upgrades it
        assert {query: _search(store, query) for query in queries} == found_at_head
        check_search_index(store)
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
            assert "article_search_content" not in tables and "ix_mentions_entity_id" not in tables
        newer = make_article(SENTENCES[20:22], url="https://example.test/0", published="2018-04-01")
        store.add(newer)
        assert _search(store, "دمشق") == [a for a in found_at_head["دمشق"] if a != articles[0].id]
        check_search_index(store)


def test_a_database_from_a_newer_marsad_is_refused_in_one_line_and_left_as_it_is(db_url: str) -> None:
    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    with pytest.raises(StoreError, match=r"revision 9001\) is newer than this version of Marsad"):
        Store(db_url)
    result = CliRunner().invoke(app, ["search", "دمشق", "--db", db_url])
    assert result.exit_code != 0 and "is newer than this version of Marsad" in result.output
    assert "Traceback" not in result.output
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9001"
    engine.dispose()
