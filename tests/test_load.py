"""The API under load, with a CI budget of ``bench/load.py``: a real ``marsad serve`` on 127.0.0.1 answers
1,500 requests at concurrency 32 (reads, Arabic search, dashboard aggregates, token-authorised ingests)
with no 5xx while a ``marsad ingest`` process writes to the same database, and no ingest is lost.
On SQLite and, with MARSAD_TEST_PG_URL, PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bench.load import MIX, run_load
from marsad.store import Store
from marsad.web.queries import Dashboard

CLI_PAGES = 100


def test_api_under_load_answers_every_request_and_loses_no_ingest(db_url: str, tmp_path: Path) -> None:
    report = run_load(db_url, tmp_path, requests=1500, concurrency=32, cli_pages=CLI_PAGES)
    print(report.summary())
    assert {call.kind for call in report.calls} == set(MIX) and len(report.calls) == 1500
    # Every planned request is valid, so anything but 200/201 is a failure: no 5xx, no dropped
    # connection, no 404 for an article read after its ingest was acknowledged.
    assert set(report.statuses) <= {200, 201}, (report.statuses, report.errors)
    assert report.server_errors == 0 and report.server_tracebacks == 0
    ingests = sum(call.kind == "ingest" for call in report.calls)
    assert len(set(report.api_ingested)) == ingests > 100
    assert report.lost_api == [] and report.lost_cli == []
    # The CLI committed pages while the server was writing, then stored all of them and said so.
    assert report.cli_during_load > 0
    assert report.cli_returncode == 0 and f"database: {CLI_PAGES} added;" in report.cli_stderr


def test_sentence_mention_lookups_seek_the_entity_sentence_index(tmp_path: Path) -> None:
    """Found under load: the dashboard's "does this sentence mention entity X" lookups scanned every mention
    of a common entity for each event or figure (7 s per timeline at 1,000 articles, client timeouts under
    load); they now seek an index on (entity, article, sentence)."""
    with Store(f"sqlite:///{tmp_path / 'plan.db'}") as store:
        dashboard = Dashboard(store)
        for part in (
            dashboard._timeline_events(["gpe:usa"], None, None),
            dashboard._timeline_figures(["gpe:usa"], None),
        ):
            sql = str(part.compile(store.engine, compile_kwargs={"literal_binds": True}))
            with store.engine.connect() as conn:
                plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "ix_mentions_entity_sentence (entity_id=? AND article_id=? AND sentence=?)" in plan, plan
