"""``marsad ingest | search | timeline | export | serve``: the corpus store from the command line."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.app import app, err, fail, interrupted_between, with_progress
from marsad.ingest.readers import count_inputs
from marsad.kb.loader import KnowledgeBaseError, check_kb, load_kb
from marsad.limits import Limits
from marsad.models import Rejection
from marsad.scale import BatchReport, SchedulerError, run
from marsad.store import Filters, Outcome, Store, StoreError
from marsad.store.export import ExportFormat, event_records, write_export
from marsad.store.store import Result
from marsad.store.timeline import timeline as build_timeline
from marsad.store.writer import prepare

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="database URL or SQLite path (default: $MARSAD_DB or ./marsad.db)"),
]
out = Console(soft_wrap=True)


@contextmanager
def _open_store(db: str | None) -> Iterator[Store]:
    try:
        store = Store(db)
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        yield store
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


def _date(value: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise fail(f"{option} must be a date like 2025-05-28, not {value!r}") from None


def store_results(store: Store, results: Iterable[Result], outcomes: Counter[str]) -> None:
    """Store the articles of a result stream as they arrive (a batch per transaction), counting outcomes
    in ``outcomes`` once committed (so an interrupted run can still say what it committed); report
    rejections."""
    for result, outcome in store.ingest(results):
        if outcome is None:
            assert isinstance(result, Rejection)
            err.print(
                f"[yellow]skipped[/] {result.source}: {result.reason} ({result.detail})", highlight=False
            )
            continue
        outcomes[outcome] += 1
        if outcome is Outcome.STALE:
            err.print(f"[yellow]kept newer[/] {result.source}: a newer version of its URL is stored")


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="files or folders (text, HTML, JSONL, WARC); '-' reads stdin")
    ],
    db: DbOption = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="a running Dask cluster")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="local worker processes (1: no Dask)")
    ] = None,
) -> None:
    """Process news pages into the database.

    Articles are committed in small batches, each article whole or not at all: re-running is safe
    (stored content is skipped, a new version of a URL replaces the old one), and an interrupted run
    keeps everything it reported as committed."""
    try:
        check_kb()  # before the database is opened
        # On a cluster the workers build the knowledge base and prepare the rows; this process writes.
        results = run(paths, scheduler=scheduler, workers=workers, limits=Limits.from_env(), encode=prepare)
    except ValueError as exc:
        prefix = "knowledge base: " if isinstance(exc, KnowledgeBaseError) else ""
        raise fail(f"{prefix}{exc}") from None
    report = BatchReport()
    outcomes: Counter[str] = Counter()
    with _open_store(db) as store:
        try:
            progress = with_progress(interrupted_between(results), partial(count_inputs, paths), "ingesting")
            store_results(store, report.watch(progress), outcomes)
        except SchedulerError as exc:
            raise fail(str(exc)) from None
        except KnowledgeBaseError as exc:  # the workers build the knowledge base before the first document
            raise fail(f"knowledge base: {exc}") from None
        except KeyboardInterrupt:
            committed = outcomes.total()
            raise fail(
                f"interrupted: {committed} articles were committed; run again to finish", 130
            ) from None
        for line in report.lines():
            err.print(line, highlight=False)
        stored = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        err.print(f"database: {stored or 'nothing stored'}; {_totals(store)}", highlight=False)
    if report.nothing_processed:
        raise fail(f"nothing could be processed ({report.rejected.total()} rejected)")


def _totals(store: Store) -> str:
    counts = store.counts()
    return f"{counts['articles']} articles in {counts['clusters']} reports, {counts['events']} events"


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help="Arabic words; all must occur (clitics and spelling are folded)")
    ],
    db: DbOption = None,
    since: Annotated[str | None, typer.Option("--since", help="published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="published on or before (YYYY-MM-DD)")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="mentions this entity (id or name)")] = None,
    event_type: Annotated[str | None, typer.Option("--event-type", help="has an event of this type")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """Full-text search of stored articles."""
    filters = Filters(_date(since, "--since"), _date(until, "--until"), entity, event_type, outlet)
    with _open_store(db) as store:
        page = store.search(query, filters, limit, 0)
    if as_json:
        print(json.dumps(page.as_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{page.total} articles", show_lines=False)
    for column in ("published", "outlet", "title", "id"):
        table.add_column(column)
    for item in page.items:
        table.add_row(item["published"] or "", item["outlet"] or "", item["title"] or "", item["id"][:12])
    out.print(table)


@app.command()
def timeline(
    entity: Annotated[str, typer.Option("--entity", help="entity id, or Arabic/English name or alias")],
    measure: Annotated[
        str | None,
        typer.Option("--measure", help="a unit, e.g. troops/soldier (default: every figure and event)"),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables")] = False,
) -> None:
    """Dated figures and events about an entity, by the time they refer to; conflicts side by side."""
    try:
        kb = load_kb()
    except KnowledgeBaseError as exc:
        raise fail(f"knowledge base: {exc}") from None
    with _open_store(db) as store:
        result = build_timeline(store, entity, measure, kb)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"{entity}: {len(result['entries'])} entries" + (f" ({measure})" if measure else ""),
        expand=True,
    )
    for column in ("time", "figure", "event", "source", "outlet"):
        table.add_column(column, no_wrap=True)
    table.add_column("sentence", overflow="fold", ratio=1, min_width=30)
    for entry in result["entries"]:
        time = entry["time"]["value"] + ("" if entry["time"]["basis"] != "published" else " (published)")
        figure = "" if entry["value"] is None else f"{entry['value']:g} {entry['unit'] or ''}".strip()
        figure += " ⚠" if entry["conflict"] else ""
        event = entry["event"]["type"] if entry["event"] else ""
        source = (entry["attribution"] or {}).get("text") or ""
        copies = f" (+{entry['copies'] - 1} copies)" if entry["copies"] > 1 else ""
        table.add_row(
            time, figure, event, source, (entry["article"]["outlet"] or "") + copies, entry["sentence"] or ""
        )
    out.print(table)
    for conflict in result["conflicts"]:
        side = Table(title=f"conflicting figures: {conflict['time']} ({conflict['unit']})")
        for figure in conflict["figures"]:
            side.add_column((figure["attribution"] or {}).get("text") or figure["article"]["outlet"] or "?")
        side.add_row(*(f"{figure['value']:g}" for figure in conflict["figures"]))
        out.print(side)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl, csv or geojson")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")
    ] = None,
    db: DbOption = None,
    since: Annotated[str | None, typer.Option("--since")] = None,
    until: Annotated[str | None, typer.Option("--until")] = None,
    entity: Annotated[str | None, typer.Option("--entity")] = None,
    event_type: Annotated[str | None, typer.Option("--event-type")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
) -> None:
    """Export events as an event table (ACLED/GDELT-like CSV, JSON Lines, or GeoJSON points)."""
    filters = Filters(_date(since, "--since"), _date(until, "--until"), entity, event_type, outlet)
    with _open_store(db) as store:
        try:
            with (
                output.open("w", encoding="utf-8", newline="")
                if output
                else nullcontext(sys.stdout) as stream
            ):
                written = write_export(event_records(store, filters), fmt, stream)
        except OSError as exc:
            raise fail(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
    err.print(f"exported {written} events ({fmt})", highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    ingest_token: Annotated[
        str | None,
        typer.Option("--ingest-token", help="enables POST /api/ingest (default: $MARSAD_INGEST_TOKEN)"),
    ] = None,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the dashboard; read-only unless a token is set."""
    import uvicorn

    from marsad.api import create_app

    try:
        application = create_app(db, ingest_token or os.environ.get("MARSAD_INGEST_TOKEN"))
    except StoreError as exc:
        raise fail(str(exc)) from None
    uvicorn.run(application, host=host, port=port)
