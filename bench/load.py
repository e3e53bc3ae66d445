"""``python -m bench.load``: the REST API under load, on loopback only.

Starts ``marsad serve`` (a real uvicorn process) on 127.0.0.1 over a database pre-filled with articles,
fires a bounded mix of reads and token-authorised ingests from an async httpx client while a
``marsad ingest`` process writes other articles to the same database, then checks that nothing was lost:
every ingest answered 2xx and every CLI-ingested page is stored.  Writes ``bench/load_results.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from marsad.clean.layout import article_id
from marsad.kb.loader import load_kb
from marsad.models import RawDocument
from marsad.pipeline import Limits, process
from marsad.store import Filters, Store
from marsad.store.store import MAX_LIMIT

REPO = Path(__file__).resolve().parents[1]
SENTENCES_FILE = REPO / "tests" / "data" / "sentences_ar.txt"
RESULTS = Path(__file__).parent / "load_results.md"
HOST = "127.0.0.1"
TOKEN = "load-test-token"
OUTLETS = ("BBC", "CNN", "France24", "Sky News Arabia", "Alarabiya")
SEARCHES = ("سوريا", "الرئيس", "دمشق", "الحكومة", "اسرائيل", "الأمم المتحدة", "لبنان", "الانتخابات")
# Percent of each kind of request: mostly lists, details and search; ingests are token-authorised POSTs
# of new articles; the heavier dashboard aggregates are a page load's few requests.
MIX = {
    "ingest": 10,
    "articles": 16,
    "article": 20,
    "search": 16,
    "entities": 5,
    "entity": 5,
    "events": 10,
    "timeline": 3,
    "dashboard overview": 4,
    "dashboard timeline": 4,
    "dashboard places": 3,
    "dashboard claims": 2,
    "dashboard entity": 2,
}
PREFILLED = 60  # articles in the database before the load
SERVER_START_SECONDS = 90.0
REQUEST_TIMEOUT_SECONDS = 120.0
CLI_TIMEOUT_SECONDS = 300.0


def real_sentences() -> list[str]:
    """Real Arabic news sentences (ANT corpus), one per line of ``tests/data/sentences_ar.txt``."""
    lines = SENTENCES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def distinct_pages(count: int, seed: int) -> list[str]:
    """``count`` plain-text pages with distinct texts: a title line, then five real sentences."""
    sentences, rng = real_sentences(), random.Random(seed)
    pages: dict[str, str] = {}
    while len(pages) < count:
        body = rng.sample(sentences, 5)
        title = " ".join(body[0].split()[:6])
        page = title + "\n\n" + "\n\n".join(body) + "\n"
        pages.setdefault(article_id(page), page)
    return list(pages.values())


@dataclass
class Call:
    """One request: its kind (a key of MIX), status (0: no answer, then ``error`` says why) and latency
    in seconds."""

    kind: str
    status: int
    seconds: float
    error: str = ""


@dataclass
class LoadReport:
    """What a run measured and what it found in the database afterwards."""

    backend: str
    requests: int
    concurrency: int
    seconds: float
    calls: list[Call]
    api_ingested: list[str]  # ids the API answered 2xx for
    cli_pages: int
    cli_returncode: int | None
    cli_stderr: str
    cli_during_load: int  # CLI pages already stored when the load ended: written while the server wrote
    cli_seconds: float  # from the start of the load to the CLI's exit
    lost_api: list[str]  # acknowledged ingests not in the database afterwards
    lost_cli: list[str]
    server_tracebacks: int

    @property
    def statuses(self) -> Counter[int]:
        return Counter(call.status for call in self.calls)

    @property
    def server_errors(self) -> int:
        """5xx answers plus requests that got no answer at all."""
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)

    @property
    def errors(self) -> Counter[str]:
        """Why the requests that got no answer got none (the client's exception and message)."""
        return Counter(call.error for call in self.calls if call.error)

    @property
    def per_second(self) -> float:
        return len(self.calls) / self.seconds

    def latency_ms(self, percent: int, kind: str | None = None) -> float:
        seconds = [c.seconds for c in self.calls if kind is None or c.kind == kind]
        if len(seconds) < 2:
            return 1000 * seconds[0] if seconds else 0.0
        return 1000 * statistics.quantiles(seconds, n=100, method="inclusive")[percent - 1]

    def summary(self) -> str:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        return (
            f"{len(self.calls)} requests at concurrency {self.concurrency} on {self.backend} in "
            f"{self.seconds:.1f} s: {self.per_second:.0f} req/s, latency p50 {self.latency_ms(50):.0f} ms, "
            f"p95 {self.latency_ms(95):.0f} ms, p99 {self.latency_ms(99):.0f} ms; statuses {statuses}; "
            f"5xx/failed {self.server_errors}; lost ingests {len(self.lost_api) + len(self.lost_cli)} "
            f"(API {len(self.api_ingested)} stored, CLI {self.cli_pages} pages, exit {self.cli_returncode})"
            + "".join(f"; no answer ×{n}: {error}" for error, n in self.errors.items())
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _marsad() -> str:
    return str(Path(sys.executable).parent / "marsad")


def prefill(db: str, count: int, seed: int) -> None:
    """Store ``count`` processed articles in ``db`` with the store's own ingest."""
    kb, limits = load_kb(), Limits.from_env()
    pages = distinct_pages(count, seed)
    raws = (
        RawDocument(source=f"prefill/{i}", text=page, outlet=OUTLETS[i % 5]) for i, page in enumerate(pages)
    )
    with Store(db) as store:
        for _ in store.ingest(process(raw, kb, limits) for raw in raws):
            pass


@contextmanager
def serving(db: str, log: Path) -> Iterator[str]:
    """``marsad serve`` on a free loopback port (its output in ``log``); yields the base URL once it
    answers, and always stops the process."""
    port = free_port()
    env = os.environ | {"MARSAD_INGEST_TOKEN": TOKEN}
    command = [_marsad(), "serve", "--db", db, "--host", HOST, "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://{HOST}:{port}"
        _wait_until_up(server, base, log)
        yield base
    finally:
        _stop(server)


def _wait_until_up(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"marsad serve exited ({server.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/articles?limit=1", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"marsad serve did not answer within {SERVER_START_SECONDS:.0f} s")


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@dataclass
class Plan:
    """The requests to fire, in order, and what they need: pages to ingest, ids to read."""

    kinds: list[str]
    pages: list[str]
    article_ids: list[str]
    entity_ids: list[str]
    rng: random.Random

    def request(self, kind: str, index: int) -> tuple[str, str, dict[str, Any]]:
        """(method, path, httpx keyword arguments) for request number ``index`` of ``kind``."""
        rng = self.rng
        entity = rng.choice(self.entity_ids)
        if kind == "ingest":
            page = {
                "text": self.pages.pop(),
                "url": f"https://load.test/{index}",
                "outlet": rng.choice(OUTLETS),
            }
            return "POST", "/api/ingest", {"json": page, "headers": {"Authorization": f"Bearer {TOKEN}"}}
        paths: dict[str, tuple[str, dict[str, Any]]] = {
            "articles": ("/api/articles", {"limit": rng.choice([10, 50]), "offset": rng.randrange(40)}),
            "article": (f"/api/articles/{rng.choice(self.article_ids)}", {}),
            "search": ("/api/search", {"q": rng.choice(SEARCHES), "limit": 20}),
            "entities": ("/api/entities", {"limit": 50, "offset": rng.randrange(20)}),
            "entity": (f"/api/entities/{entity}", {}),
            "events": ("/api/events", {"limit": 50, "offset": rng.randrange(20)}),
            "timeline": ("/api/timeline", {"entity": entity}),
            "dashboard overview": ("/api/dashboard/overview", {}),
            "dashboard timeline": ("/api/dashboard/timeline", {"entity": rng.choice([entity, None])}),
            "dashboard places": ("/api/dashboard/places", {}),
            "dashboard claims": ("/api/dashboard/claims", {}),
            "dashboard entity": (f"/api/dashboard/entities/{entity}", {}),
        }
        path, params = paths[kind]
        return "GET", path, {"params": {k: v for k, v in params.items() if v is not None}}


async def fire(base: str, plan: Plan, concurrency: int, ingested: list[str]) -> list[Call]:
    """Send every planned request, ``concurrency`` at a time; ids the API stored go to ``ingested``
    (and become readable by later article requests)."""
    calls: list[Call] = []
    queue = iter(enumerate(plan.kinds))
    # A pooled connection is dropped after 2 s idle, before the server's keep-alive (uvicorn: 5 s) runs
    # out: with equal timeouts (httpx's default is also 5 s), a request sent on a connection the server
    # is closing that moment gets no answer, which this run would count as a server failure.
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0
    )

    async def worker(client: httpx.AsyncClient) -> None:
        for index, kind in queue:
            method, path, options = plan.request(kind, index)
            started, error = time.perf_counter(), ""
            try:
                response = await client.request(method, path, **options)
                status = response.status_code
            except httpx.HTTPError as exc:
                status, error = 0, f"{type(exc).__name__}: {exc}"
            calls.append(Call(kind, status, time.perf_counter() - started, error))
            if kind == "ingest" and 200 <= status < 300:
                ingested.append(response.json()["id"])
                plan.article_ids.append(ingested[-1])

    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return calls


def run_load(
    db: str, workdir: Path, requests: int, concurrency: int, *, cli_pages: int = 200, seed: int = 1
) -> LoadReport:
    """Pre-fill ``db``, then load a ``marsad serve`` over it while ``marsad ingest`` writes ``cli_pages``
    other pages to it; check afterwards that no ingest was lost."""
    rng = random.Random(seed)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=requests)
    pages = distinct_pages(kinds.count("ingest") + cli_pages, seed)
    api_pages, cli_texts = pages[:-cli_pages], pages[-cli_pages:]
    prefill(db, PREFILLED, seed=seed + 1000)
    with Store(db) as store:
        article_ids = [item["id"] for item in store.articles(Filters(), MAX_LIMIT, 0).items]
        entity_ids = [item["id"] for item in store.entities(None, 30, 0).items]
    plan = Plan(kinds, api_pages, article_ids, entity_ids, rng)
    folder = workdir / "cli-pages"
    folder.mkdir()
    for index, text in enumerate(cli_texts):
        (folder / f"{index:04d}.txt").write_text(text, encoding="utf-8")

    ingested: list[str] = []
    cli_ids = [article_id(text) for text in cli_texts]
    with serving(db, workdir / "server.log") as base:
        cli_log = workdir / "cli.log"
        with cli_log.open("wb") as output:
            cli = subprocess.Popen(
                [_marsad(), "ingest", str(folder), "--db", db, "--workers", "1"],
                stdout=subprocess.DEVNULL,
                stderr=output,
            )
        try:
            started = time.perf_counter()
            calls = asyncio.run(fire(base, plan, concurrency, ingested))
            seconds = time.perf_counter() - started
            with Store(db) as store:
                cli_during_load = len(store.documents(cli_ids))
            cli.wait(timeout=CLI_TIMEOUT_SECONDS)
            cli_seconds = time.perf_counter() - started
        finally:
            _stop(cli)
    with Store(db) as store:
        stored = store.documents([*ingested, *cli_ids])
        backend = store.dialect
    return LoadReport(
        backend=backend,
        requests=requests,
        concurrency=concurrency,
        seconds=seconds,
        calls=calls,
        api_ingested=ingested,
        cli_pages=cli_pages,
        cli_returncode=cli.returncode,
        cli_stderr=cli_log.read_text(encoding="utf-8"),
        cli_during_load=cli_during_load,
        cli_seconds=cli_seconds,
        lost_api=[i for i in ingested if i not in stored],
        lost_cli=[i for i in cli_ids if i not in stored],
        server_tracebacks=(workdir / "server.log").read_text(encoding="utf-8").count("Traceback"),
    )


def markdown(report: LoadReport) -> str:
    """The results page: the headline numbers, then statuses and latencies per kind of request."""
    lost = len(report.lost_api) + len(report.lost_cli)
    lines = [
        "# Marsad API under load",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `python -m bench.load --requests {report.requests} "
        f"--concurrency {report.concurrency}`.  Machine: {os.cpu_count()} cores; Python "
        f"{platform.python_version()} on {platform.system()} {platform.release()}.  Client, server and CLI "
        f"share the machine (load average at the end: {os.getloadavg()[0]:.1f}).",
        "",
        f"`marsad serve` (one uvicorn process) on 127.0.0.1 over {report.backend} pre-filled with "
        f"{PREFILLED} articles; an httpx AsyncClient sends the requests below (reads, Arabic search, "
        "dashboard aggregates and token-authorised ingests of distinct real Arabic articles) while a "
        f"`marsad ingest` process writes {report.cli_pages} other articles to the same database.",
        "",
        "| requests | concurrency | req/s | p50 ms | p95 ms | p99 ms | 5xx or no answer | lost ingests |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(report.calls):,} | {report.concurrency} | {report.per_second:,.0f} | "
        f"{report.latency_ms(50):.0f} | {report.latency_ms(95):.0f} | {report.latency_ms(99):.0f} | "
        f"{report.server_errors} | {lost} |",
        "",
        f"Ingests: {len(report.api_ingested)} through the API (2xx, all found in the database afterwards: "
        f"{not report.lost_api}); {report.cli_pages} by the CLI (exit code {report.cli_returncode}; "
        f"{report.cli_during_load} stored while the load ran, all {report.cli_seconds:.0f} s after it "
        f"began; all found afterwards: {not report.lost_cli}).  Tracebacks in the server log: "
        f"{report.server_tracebacks}.",
        "",
        f"Status 0 is no answer: a connection error or no response within {REQUEST_TIMEOUT_SECONDS:.0f} s"
        + "".join(f"; ×{n} {error}" for error, n in report.errors.items())
        + ".",
        "",
        "| request | count | statuses | p50 ms | p95 ms |",
        "|---|---:|---|---:|---:|",
    ]
    for kind in MIX:
        statuses = Counter(c.status for c in report.calls if c.kind == kind)
        listed = ", ".join(f"{status}×{n}" for status, n in sorted(statuses.items()))
        lines.append(
            f"| {kind} | {statuses.total()} | {listed} | {report.latency_ms(50, kind):.0f} | "
            f"{report.latency_ms(95, kind):.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="requests to send in all")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight at once")
    parser.add_argument("--cli-pages", type=int, default=300, help="pages the concurrent CLI ingest writes")
    parser.add_argument(
        "--db", help="database to load (its data stays; default: a new SQLite file in a temporary folder)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="results page to write")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= args.requests <= 1_000_000:
        parser.error("need 1 <= concurrency <= requests <= 1,000,000")
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
        workdir = Path(tmp)
        db = args.db or f"sqlite:///{workdir / 'load.db'}"
        report = run_load(db, workdir, args.requests, args.concurrency, cli_pages=args.cli_pages)
    print(report.summary())
    args.output.write_text(markdown(report), encoding="utf-8")
    print(f"wrote {args.output}")
    if report.server_errors or report.lost_api or report.lost_cli or report.cli_returncode:
        sys.exit(1)


if __name__ == "__main__":
    main()
