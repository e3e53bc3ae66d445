"""Opening a database: URL resolution, engine settings per backend, migrations on open, write retries."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

DEFAULT_DB = "sqlite:///marsad.db"
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 30_000
# WAL pages before a commit checkpoints them into the database.  A write batch changes ~10 MB of pages
# on a new database (~27 MB at 20,000 articles), so SQLite's default (1,000 pages, 4 MB) checkpoints
# after every batch, each time with an fsync; ~40 MB of WAL copies a page changed by several batches
# once, not once per batch, and syncs a third as often.  A crash of the process loses no commit either
# way; a power cut can lose the commits since the last checkpoint (synchronous=NORMAL), now up to
# ~40 MB of WAL instead of ~4 MB: re-ingesting the input restores them (ingest is idempotent).
WAL_CHECKPOINT_PAGES = 10_000
WRITE_ATTEMPTS = 8
T = TypeVar("T")


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message is one line for the user."""


def resolve_url(db: str | None) -> str:
    """``--db`` value → SQLAlchemy URL: default ``$MARSAD_DB`` or ``./marsad.db``; a bare path is SQLite;
    ``postgresql://`` is mapped to the psycopg 3 driver."""
    url = db or os.environ.get("MARSAD_DB") or DEFAULT_DB
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_db_engine(db: str | None) -> Engine:
    url = resolve_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    """SQLite in WAL mode with a busy timeout, so a server and a CLI ingest can write at once.

    pysqlite's own transaction handling is switched off so that write transactions can start with
    ``BEGIN IMMEDIATE`` (taking the write lock up front, waiting on the busy timeout, instead of
    failing when a read lock cannot be upgraded)."""
    if database and database != ":memory:" and not Path(database).parent.exists():
        raise StoreError(f"folder of the database does not exist: {Path(database).parent}")
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any exception (incl. Ctrl-C)."""
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


def with_retries(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in a write transaction, retrying when another writer holds the database."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with write_connection(engine) as conn:
                return work(conn)
        except OperationalError as exc:
            if not _is_busy(exc) or attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _is_busy(exc: OperationalError) -> bool:
    message = str(exc.orig).lower()
    return "locked" in message or "busy" in message or "deadlock" in message


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there).  Alembic is imported
    here: of the processes that import the store, only those that open a database need it (not the Dask
    workers that prepare articles)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is not None and current not in {script.revision for script in scripts.walk_revisions()}:
        engine.dispose()
        raise StoreError(
            f"the database's schema (revision {current}) is newer than this version of Marsad knows "
            f"(up to {head}): open it with the Marsad that wrote it, or a newer one"
        )
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":  # one migrator at a time across processes
            conn.execute(text("SELECT pg_advisory_xact_lock(7261726)"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
