"""Run the pipeline over a corpus: one process for a few documents, a Dask cluster for more.

Documents are read once, in order, by :func:`marsad.ingest.iter_documents` in the calling process, cut
into partitions of ``partition_size`` documents and sent to Dask workers, at most ``max_in_flight``
partitions at a time (back-pressure); results come back one partition at a time and are yielded in
input order.  Memory therefore stays flat however large the corpus is: nobody holds more than a few
partitions.  Each worker process builds the knowledge base once (``load_kb`` is cached per process).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING

from marsad.ingest import iter_documents
from marsad.kb.loader import load_kb
from marsad.models import Article, RawDocument, Rejection
from marsad.pipeline import Limits, process

if TYPE_CHECKING:
    from distributed import Client

DEFAULT_PARTITION_SIZE = 50
# Below this many documents a cluster costs more to start (seconds) than the work takes.
MIN_PARALLEL_DOCUMENTS = 200
SCHEDULER_TIMEOUT_SECONDS = 10

Result = Article | Rejection


class SchedulerError(RuntimeError):
    """The Dask scheduler could not be reached, or the local cluster could not start."""


def run(
    paths: Iterable[str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    min_parallel: int = MIN_PARALLEL_DOCUMENTS,
    processes: bool = True,
) -> Iterator[Result]:
    """Process every document under ``paths``; yield exactly one ``Article | Rejection`` per document,
    in input order (ingest rejections included), as results arrive.

    ``scheduler`` is the address of a running Dask scheduler (``tcp://host:8786``; its workers must have
    Marsad installed); without it, a ``LocalCluster`` of ``workers`` processes (default: every core) is
    started when there are at least ``min_parallel`` documents, and one process is used otherwise (or
    when ``workers == 1``).  ``limits`` defaults to the environment's (:meth:`Limits.from_env`) and is
    sent to the workers.  Argument errors raise ``ValueError`` at once; a scheduler that cannot be reached
    raises :class:`SchedulerError` on the first ``next()``.  This is the runner ``marsad ingest`` and
    ``marsad extract`` share; wrap it in :meth:`marsad.scale.BatchReport.watch` for a report.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1, not {workers}")
    if workers is not None and scheduler is not None:
        raise ValueError("--workers sizes the local cluster; it cannot be used with --scheduler")
    if partition_size < 1:
        raise ValueError(f"partition size must be at least 1, not {partition_size}")
    return _stream(
        paths, scheduler, workers, limits or Limits.from_env(), partition_size, min_parallel, processes
    )


def process_documents(documents: Iterable[RawDocument | Rejection], limits: Limits) -> Iterator[Result]:
    """The single-process path, and what each Dask task runs on its partition."""
    kb = load_kb()
    for document in documents:
        yield document if isinstance(document, Rejection) else process(document, kb, limits)


def _process_partition(documents: list[RawDocument | Rejection], limits: Limits) -> list[Result]:
    return list(process_documents(documents, limits))


def _stream(
    paths: Iterable[str],
    scheduler: str | None,
    workers: int | None,
    limits: Limits,
    partition_size: int,
    min_parallel: int,
    processes: bool,
) -> Iterator[Result]:
    documents = iter_documents(paths)
    head = list(islice(documents, min_parallel))
    documents = chain(head, documents)
    if scheduler is None and (workers == 1 or len(head) < min_parallel):
        yield from process_documents(documents, limits)
        return
    with _client(scheduler, workers, processes) as client:
        max_in_flight = 2 * max(1, len(client.scheduler_info(n_workers=-1)["workers"])) + 1
        yield from _run_on(client, documents, limits, partition_size, max_in_flight)


def _run_on(
    client: Client,
    documents: Iterator[RawDocument | Rejection],
    limits: Limits,
    partition_size: int,
    max_in_flight: int,
) -> Iterator[Result]:
    """Submit partitions, never more than ``max_in_flight`` unfinished; yield results in input order."""
    in_flight: deque = deque()
    while partition := list(islice(documents, partition_size)):
        in_flight.append((partition, client.submit(_process_partition, partition, limits, pure=False)))
        if len(in_flight) >= max_in_flight:
            yield from _collect(*in_flight.popleft())
    while in_flight:
        yield from _collect(*in_flight.popleft())


def _collect(partition: list[RawDocument | Rejection], future) -> list[Result]:
    """A partition's results; if its task failed (a worker died), one Rejection per document in it."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost partition is reported document by document
        detail = f"Dask task failed: {type(exc).__name__}: {exc}"
        return [
            doc
            if isinstance(doc, Rejection)
            else Rejection(source=doc.source, reason="worker_failed", detail=detail)
            for doc in partition
        ]


# Dask keeps the last ``low-level-log-length`` (default 1000) messages of every scheduler↔worker stream
# for debugging, and a compute message carries its whole partition: 1000 partitions of documents per
# worker, i.e. memory growing with every partition sent over the first 50,000 documents per worker.
DASK_CONFIG = {"distributed.admin.low-level-log-length": 16}


@contextmanager
def _client(scheduler: str | None, workers: int | None, processes: bool) -> Iterator[Client]:
    """A client of the given scheduler, or of a local cluster started (and closed) here; every worker
    has built the knowledge base before the first partition is sent."""
    import dask
    from distributed import Client, LocalCluster  # imported late: a few files should not pay for it

    with dask.config.set(DASK_CONFIG):
        try:
            if scheduler is not None:
                client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_SECONDS)
                cluster = None
            else:
                cluster = LocalCluster(
                    n_workers=workers or _available_cores(),
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,  # no dashboard: its web server doubles the start-up time
                    silence_logs=logging.ERROR,
                )
                client = Client(cluster)
        except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise SchedulerError(f"cannot connect to {where}: {exc}") from None
        try:
            client.run(_warm_up)
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _warm_up() -> None:
    """Build the worker's knowledge base now (returns nothing: the KB is not sent back)."""
    load_kb()


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
