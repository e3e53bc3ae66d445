"""The corpus store on SQLite and (with MARSAD_TEST_PG_URL) PostgreSQL: round trip, idempotence, URL
versions, near-duplicate clusters, Arabic search, a 1,000-article corpus, batched ingests that store
exactly what one transaction per article stores, and interrupted ingests."""

from __future__ import annotations

import pickle
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from marsad.cli.app import interrupted_between
from marsad.kb.loader import load_kb
from marsad.models import Article, RawDocument, Rejection
from marsad.pipeline import process
from marsad.store import Filters, Outcome, Store
from marsad.store import schema as tables
from marsad.store import store as store_module
from marsad.store.dedup import BANDS
from marsad.store.writer import PreparedArticle, prepare
from tests.arabic_sentences import SENTENCES, make_article
from tests.store_checks import check_search_index


def varied_corpus(count: int, seed: int = 3) -> list[Article]:
    """``count`` distinct articles, each five real sentences in a random order and choice."""
    rng = random.Random(seed)
    articles: dict[str, Article] = {}
    while len(articles) < count:
        n = len(articles)
        article = make_article(
            rng.sample(SENTENCES, 5),
            url=f"https://example.test/{n}",
            outlet=rng.choice(["BBC", "CNN", "France24"]),
            published=f"2018-0{1 + n % 9}-1{n % 10}T10:00",
        )
        articles.setdefault(article.id, article)
    return list(articles.values())


def test_article_round_trips_exactly_and_reingest_changes_nothing(store: Store) -> None:
    article = make_article(SENTENCES[:4], url="https://example.test/a", outlet="BBC", published="2018-03-01")
    assert store.add(article) is Outcome.ADDED
    before = store.counts()
    assert store.add(article) is Outcome.UNCHANGED
    assert store.counts() == before == before | {"articles": 1, "clusters": 1}
    stored = store.article(article.id)
    assert stored is not None
    assert Article.model_validate({k: v for k, v in stored.items() if k != "cluster_id"}) == article
    assert all(stored["text"][p["start"] : p["end"]] == p["text"] for p in stored["paragraphs"])


def test_new_version_of_a_url_replaces_the_old_one(store: Store) -> None:
    url = "https://example.test/story"
    first = make_article(SENTENCES[:3], url=url, published="2018-03-01T10:00")
    second = make_article(SENTENCES[:3] + [SENTENCES[10]], url=url, published="2018-03-01T12:00")
    assert store.add(first) is Outcome.ADDED
    assert store.add(second) is Outcome.REPLACED
    assert store.article(first.id) is None
    assert store.article(second.id) is not None
    assert store.counts()["articles"] == 1
    with store.engine.connect() as conn:
        bands = conn.execute(select(func.count()).select_from(tables.minhash_bands)).scalar_one()
        sentences = conn.execute(select(func.count()).select_from(tables.sentences)).scalar_one()
    assert (bands, sentences) == (BANDS, 4)
    # The replaced version is gone from the search index too (SQLite: the index agrees with the terms).
    assert [a["id"] for a in store.search("دمشق", Filters(), 10, 0).items] == [second.id]
    check_search_index(store)
    # The older version arriving late does not overwrite the newer one.
    assert store.add(first) is Outcome.STALE
    assert store.article(second.id) is not None and store.article(first.id) is None


def test_near_duplicates_share_a_cluster_across_restarts(db_url: str) -> None:
    original = make_article(SENTENCES[:6], url="https://wire.test/1", outlet="BBC")
    # Syndicated copy: same report, one sentence dropped and a line of the outlet's own added.
    copy = make_article(SENTENCES[:5] + ["تابعونا على مواقع التواصل الاجتماعي"], url="https://copy.test/1")
    unrelated = make_article(SENTENCES[20:26], url="https://other.test/1")
    with Store(db_url) as store:
        store.add(original)
        store.add(copy)
        store.add(unrelated)
        counts = store.counts()
    assert (counts["articles"], counts["clusters"]) == (3, 2)
    republished = make_article(SENTENCES[1:6], url="https://late.test/1")
    with Store(db_url) as reopened:  # LSH bands live in the database: a restart keeps finding copies
        reopened.add(republished)
        clusters = {a["id"]: a["cluster_id"] for a in reopened.articles(Filters(), 10, 0).items}
    assert clusters[copy.id] == clusters[original.id] == clusters[republished.id] == original.id
    assert clusters[unrelated.id] == unrelated.id


def test_arabic_search_folds_clitics_and_spelling(store: Store) -> None:
    syria = make_article(
        ["جندي أمريكي يصافح طفلا في القامشلي بسوريا", "وقالت إسرائيل إنها تعارض الانسحاب"],
        outlet="إرم نيوز",
        published="2025-05-28T16:48",
    )
    other = make_article(SENTENCES[:2], outlet="BBC", published="2018-02-01T10:00")
    store.add(syria)
    store.add(other)

    def found(query: str, **filters: object) -> set[str]:
        return {a["id"] for a in store.search(query, Filters(**filters), 50, 0).items}  # type: ignore[arg-type]

    assert found("سوريا") == {syria.id}  # clitic ب split off in the index
    assert found("اسرائيل") == {syria.id}  # hamza folded
    assert found("بإسرائيل") == {syria.id}  # a clitic on the query word
    assert found("سوريا الانسحاب") == {syria.id}
    assert found("سوريا بريطانيا") == set()  # every word must occur
    assert found("سوريا", outlet="BBC") == set()
    assert found("سوريا", since=date(2025, 5, 28), until=date(2025, 5, 28)) == {syria.id}
    assert found("سوريا", until=date(2025, 5, 27)) == set()


def test_vacuum_leaves_every_search_finding_the_same_articles(tmp_path: Path) -> None:
    """SQLite's full-text index finds an article by its rowid, and ``articles`` (keyed by a text id) has
    no INTEGER PRIMARY KEY, whose rowids SQLite allows VACUUM to renumber.  SQLite keeps them when it
    copies a table whole, as VACUUM does; this fails if a version stops doing so."""
    path = tmp_path / "vacuum.db"
    articles = varied_corpus(60)
    words = {word for article in articles[:20] for word in article.body.split()[:3]}

    def searches(store: Store) -> dict[str, set[str]]:
        return {word: {a["id"] for a in store.search(word, Filters(), 100, 0).items} for word in words}

    def rowids(store: Store) -> list[tuple[int, str]]:
        with store.engine.connect() as conn:
            return list(map(tuple, conn.exec_driver_sql("SELECT rowid, id FROM articles ORDER BY rowid")))

    with Store(f"sqlite:///{path}") as store:
        assert {outcome for _, outcome in store.ingest(articles)} == {Outcome.ADDED}
        for k in range(20):  # new versions of a third of the URLs leave gaps in the rowids
            newer = make_article(SENTENCES[k : k + 2], url=f"https://example.test/{3 * k}", published="2019")
            assert store.add(newer) is Outcome.REPLACED
        found, before = searches(store), rowids(store)
    assert all(found.values()) and before[-1][0] > len(before) == 60
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
    with Store(f"sqlite:///{path}") as store:
        assert rowids(store) == before
        assert searches(store) == found
        check_search_index(store)


def test_thousand_articles_then_reingest_leaves_identical_counts(db_url: str) -> None:
    corpus = varied_corpus(1000)
    with Store(db_url) as store:
        started = time.perf_counter()
        outcomes = [store.add(article) for article in corpus]
        elapsed = time.perf_counter() - started
        first = store.counts()
        assert [store.add(article) for article in corpus] == [Outcome.UNCHANGED] * 1000
        assert store.counts() == first
    assert outcomes.count(Outcome.ADDED) == 1000
    assert first["articles"] == 1000 and 0 < first["clusters"] <= 1000
    print(f"stored 1000 articles in {elapsed:.1f}s on {make_url(db_url).get_backend_name()}")


def _page(sentences: list[str], url: str, published: str) -> Article:
    """A page through the whole pipeline, so it has entities, mentions, times, figures and events."""
    text = "\n\n".join(sentences)
    result = process(RawDocument(source=url, text=text, url=url, published_hint=published), load_kb())
    assert isinstance(result, Article), result
    return result


def _versions_and_copies() -> list[Article | Rejection]:
    """Exact duplicates, near-duplicates and URL versions (newer, older), next to each other so that
    batches of three hold both sides of some and split others, plus a rejection in the stream."""
    first = _page(SENTENCES[:6], "https://wire.test/1", "2018-03-01T10:00")
    copy = _page(SENTENCES[:5] + ["تابعونا على مواقع التواصل الاجتماعي"], "https://copy.test/1", "2018-03-01")
    newer = _page(SENTENCES[:6] + [SENTENCES[10]], "https://wire.test/1", "2018-03-01T12:00")
    older = _page(SENTENCES[:3], "https://wire.test/1", "2018-03-01T08:00")
    late_copy = _page(SENTENCES[:6] + [SENTENCES[10], SENTENCES[40]], "https://late.test/1", "2018-03-02")
    other = _page(SENTENCES[20:26], "https://other.test/1", "2018-03-03")
    other_update = _page(SENTENCES[20:27], "https://other.test/1", "2018-03-04")
    unrelated = _page(SENTENCES[30:34], "https://else.test/1", "2018-03-05")
    skipped = Rejection(source="empty.txt", reason="empty")
    return [first, copy, first, newer, older, late_copy, other, other_update, skipped, unrelated, copy]


def _rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (but the ingest time), in a comparable order on either engine."""
    rows = {}
    with store.engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "ingested_at"]
            found = conn.execute(select(*columns)).all()
            rows[table.name] = sorted(
                (tuple(int(v) if isinstance(v, bool) else v for v in row) for row in found), key=repr
            )
    return rows


def test_batched_ingest_stores_exactly_what_one_transaction_per_article_stores(
    db_url: str, tmp_path: Path
) -> None:
    stream = _versions_and_copies()
    with Store(f"sqlite:///{tmp_path / 'one_by_one.db'}") as reference:
        expected = [None if isinstance(r, Rejection) else reference.add(r) for r in stream]
        expected_rows = _rows(reference)
        expected_search = reference.search("سوريا", Filters(), 50, 0).items
    assert expected == [
        *(Outcome.ADDED, Outcome.ADDED, Outcome.UNCHANGED, Outcome.REPLACED, Outcome.STALE, Outcome.ADDED),
        *(Outcome.ADDED, Outcome.REPLACED, None, Outcome.ADDED, Outcome.UNCHANGED),
    ]
    with Store(db_url) as store:
        ingested = list(store.ingest(stream, batch_size=3))
        assert [result for result, _ in ingested] == stream
        assert [outcome for _, outcome in ingested] == expected
        assert _rows(store) == expected_rows
        assert store.search("سوريا", Filters(), 50, 0).items == expected_search
        clusters = {a["id"]: a["cluster_id"] for a in store.articles(Filters(), 50, 0).items}
    first, copy, newer, late_copy = stream[0], stream[1], stream[3], stream[5]
    assert first.id not in clusters  # replaced by its newer version in the next batch
    assert clusters[copy.id] == first.id  # linked within its batch, and kept when the first was replaced
    assert clusters[late_copy.id] == clusters[newer.id] == newer.id  # linked to its batch's earlier article


def test_articles_prepared_elsewhere_store_exactly_what_articles_store(db_url: str, tmp_path: Path) -> None:
    """``marsad ingest`` on Dask gets articles prepared (and pickled) by the workers: the same rows,
    outcomes, and what the batch report reads (source, warnings) as from the Articles themselves."""
    stream = _versions_and_copies()
    prepared = [r if isinstance(r, Rejection) else pickle.loads(pickle.dumps(prepare(r))) for r in stream]
    with Store(f"sqlite:///{tmp_path / 'articles.db'}") as reference:
        expected = [outcome for _, outcome in reference.ingest(stream, batch_size=3)]
        expected_rows = _rows(reference)
    with Store(db_url) as store:
        ingested = list(store.ingest(prepared, batch_size=3))
        assert [outcome for _, outcome in ingested] == expected
        assert _rows(store) == expected_rows

    def reported(result: Article | PreparedArticle | Rejection) -> tuple[str, list[str] | None]:
        return result.source, None if isinstance(result, Rejection) else result.warnings

    assert [reported(result) for result, _ in ingested] == [reported(result) for result in stream]


def test_a_slow_stream_is_committed_as_it_comes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch waits at most BATCH_SECONDS for more results: a slow source (a feed, a busy cluster) does
    not hold finished articles back from the database until a whole batch is there."""
    monkeypatch.setattr(store_module, "BATCH_SECONDS", 0.0)
    corpus = varied_corpus(3)

    def slow_source():
        for index, article in enumerate(corpus):
            assert store.counts()["articles"] == index
            yield article

    assert [outcome for _, outcome in store.ingest(slow_source())] == [Outcome.ADDED] * 3


def _write_pages(folder: Path, count: int) -> None:
    for index, article in enumerate(varied_corpus(count, seed=11)):
        title = f"خبر رقم {index}"
        (folder / f"{index:04d}.txt").write_text(title + "\n\n" + article.text + "\n", encoding="utf-8")


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _start_ingest(pages: Path, db: Path) -> subprocess.Popen[str]:
    marsad = Path(sys.executable).parent / "marsad"
    command = [str(marsad), "ingest", str(pages), "--db", str(db), "--workers", "1"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _interrupt_after(process: subprocess.Popen[str], db: Path, stored: int, sig: signal.Signals) -> str:
    """Send ``sig`` once ``stored`` articles are committed; the process's stderr."""
    deadline = time.monotonic() + 120
    while _stored(db) < stored and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be interrupted"
    process.send_signal(sig)
    return process.communicate(timeout=30)[1]


def test_ctrl_c_takes_effect_between_two_results() -> None:
    """Raised inside the work (pydantic's serializer, say) Ctrl-C could surface as another error and
    end the ingest with a traceback instead of "interrupted": it is held until the item is made, which
    is then dropped, and the handler is put back."""
    made: list[int] = []

    def results() -> Iterator[int]:
        for i in range(5):
            if i == 2:
                signal.raise_signal(signal.SIGINT)  # while the third result is being made
            made.append(i)
            yield i

    received: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        for result in interrupted_between(results()):
            received.append(result)
    assert made == [0, 1, 2]
    assert received == [0, 1]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


PAGES = 300  # enough that a fast machine cannot finish a run before the test interrupts it


def test_interrupted_ingest_keeps_what_was_committed_and_finishes_on_rerun(tmp_path: Path) -> None:
    pages, db = tmp_path / "pages", tmp_path / "marsad.db"
    pages.mkdir()
    _write_pages(pages, PAGES)

    first = _start_ingest(pages, db)
    stderr = _interrupt_after(first, db, 5, signal.SIGINT)
    assert first.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    after_sigint = _stored(db)

    second = _start_ingest(pages, db)
    _interrupt_after(second, db, after_sigint + 5, signal.SIGKILL)
    after_kill = _stored(db)
    assert after_sigint < after_kill < PAGES

    final = _start_ingest(pages, db)
    _, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr
    with Store(str(db)) as store:
        counts = store.counts()
        with store.engine.connect() as conn:
            bands = conn.execute(
                select(tables.minhash_bands.c.article_id, func.count()).group_by(
                    tables.minhash_bands.c.article_id
                )
            ).all()
    assert counts["articles"] == PAGES
    # No half-written article: every stored article has all of its LSH bands.
    assert len(bands) == PAGES and {n for _, n in bands} == {BANDS}
