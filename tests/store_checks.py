"""Checks of a store's consistency that several test files make."""

from __future__ import annotations

from marsad.store import Store


def check_search_index(store: Store) -> None:
    """Raise unless SQLite's full-text index holds exactly the terms of the stored articles (FTS5's
    integrity check of an external-content index reads every row back through its rowid).  PostgreSQL
    searches the column itself: nothing to check there."""
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql(
                "INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)"
            )
