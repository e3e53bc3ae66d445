"""Run the pipeline over a corpus: one process for a few documents, a Dask cluster for more.

The calling process only lists the input files; the Dask workers read, decode and process them.  On a
machine of a few cores the caller shares the CPU with the workers, so whatever it does per document is
taken from them: it sends file names, and gets back results (``encode`` lets a worker make them cheaper
to move, e.g. the JSON ``marsad extract`` writes).  What a worker cannot read is read here and sent as
documents: stdin, a file larger than a partition (a container of many pages, streamed here so no one
holds it whole), and every file when the workers do not see this file system (a remote cluster).

Work goes out in partitions of at most ``partition_size`` files or documents and ``PARTITION_BYTES``,
at most ``max_in_flight`` partitions at a time (back-pressure); results come back one partition at a
time and are yielded in input order.  Memory therefore stays flat however large the corpus is: nobody
holds more than a few partitions.  Each worker process builds the knowledge base once (``load_kb`` is
cached per process).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from marsad.ingest import iter_documents
from marsad.ingest.readers import walk_files  # the reader's own file order
from marsad.kb.loader import load_kb
from marsad.limits import Limits
from marsad.models import Article, RawDocument, Rejection

if TYPE_CHECKING:
    from distributed import Client, Future

# Each task costs Dask a few ms of CPU in this process and in the worker, whatever its size: at 100
# documents that is ~1 % of the work, and the last partition, which one worker finishes while the
# other may wait, is a fraction of a second.
DEFAULT_PARTITION_SIZE = 100
# A partition's files (or documents) stop growing at this many bytes, so that a partition of large
# pages stays as small in memory as one of news articles; a larger file is read here and streamed.
PARTITION_BYTES = 4 * 2**20
# Below this many documents (or files), and this many bytes, a cluster costs more to start (seconds)
# than the work takes.
MIN_PARALLEL_DOCUMENTS = 200
MIN_PARALLEL_BYTES = 2**20
SCHEDULER_TIMEOUT_SECONDS = 10

Encoded = TypeVar("Encoded")
Result = Article | Rejection


class SchedulerError(RuntimeError):
    """The Dask scheduler could not be reached, or the local cluster could not start."""


class InputFile(NamedTuple):
    """A file for a worker to read; its size bounds the partition."""

    path: str
    size: int


# One item of work: a file to read, or a document read here (or the Rejection reading it gave).
Work = InputFile | RawDocument | Rejection


def keep_article(article: Article) -> Article:
    """The default ``encode``: results are the Articles themselves."""
    return article


def run(
    paths: Iterable[str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    encode: Callable[[Article], Encoded] = keep_article,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    min_parallel: int = MIN_PARALLEL_DOCUMENTS,
    processes: bool = True,
) -> Iterator[Encoded | Rejection]:
    """Process every document under ``paths``; yield exactly one result per document, in input order
    (ingest rejections included), as results arrive: ``encode(article)`` for each Article (made where
    the article is, so a cheaper result crosses between processes), a Rejection for the rest.

    ``scheduler`` is the address of a running Dask scheduler (``tcp://host:8786``; its workers must have
    Marsad installed, and read the input files by the same paths when they see them: checked on the
    first file; when they do not, this process reads the files and sends the documents); without it, a
    ``LocalCluster`` of ``workers`` processes (default: every core) is started unless the input is
    small (under ``min_parallel`` files and documents and ``MIN_PARALLEL_BYTES``), and one process is
    used otherwise (or when ``workers == 1``).  ``encode`` must be picklable (a module-level function
    or a ``functools.partial`` of one).  ``limits`` defaults to the environment's
    (:meth:`Limits.from_env`) and is sent to the workers.  Argument errors raise ``ValueError`` at once;
    a scheduler that cannot be reached raises :class:`SchedulerError` on the first ``next()``, and a
    knowledge base that does not load raises its ``KnowledgeBaseError`` there too (each worker builds
    it before the first document is sent, so a caller need not build one to check it).  This is the
    runner ``marsad ingest`` and ``marsad extract`` share; wrap it in
    :meth:`marsad.scale.BatchReport.watch` for a report.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1, not {workers}")
    if workers is not None and scheduler is not None:
        raise ValueError("--workers sizes the local cluster; it cannot be used with --scheduler")
    if partition_size < 1:
        raise ValueError(f"partition size must be at least 1, not {partition_size}")
    limits = limits or Limits.from_env()
    return _stream(paths, scheduler, workers, limits, encode, partition_size, min_parallel, processes)


def process_documents(
    documents: Iterable[RawDocument | Rejection],
    limits: Limits,
    encode: Callable[[Article], Encoded] = keep_article,
) -> Iterator[Encoded | Rejection]:
    """The single-process path, and what each Dask task runs on its partition."""
    # Imported here, where documents are processed: a client of Dask workers never needs the stages.
    from marsad.pipeline import process

    kb = load_kb()
    for document in documents:
        result = document if isinstance(document, Rejection) else process(document, kb, limits)
        yield result if isinstance(result, Rejection) else encode(result)


class PartitionResults(NamedTuple):
    """A partition's results as one object.  Dask serializes a task's list element by element (a header
    and a pickle per result: ~0.1 ms more per article in the process that receives them); anything else,
    this included, goes in one pickle."""

    results: list[Any]


class PickledPartition(NamedTuple):
    """What a task returns: its :class:`PartitionResults` pickled as soon as they are made.  A finished
    partition waits in its worker until this process collects it, in input order, and waits there as
    bytes (~2.5 MB for 100 articles) instead of the objects they hold (~7 MB); Dask sends bytes as they
    are, and unpickling gives the receiving process the :class:`PartitionResults` themselves."""

    pickled: bytes

    def __reduce__(self) -> tuple[Callable[[bytes], PartitionResults], tuple[bytes]]:
        return pickle.loads, (self.pickled,)

    @property
    def results(self) -> list[Any]:
        """The results, where the partition was not sent between processes (a cluster of threads)."""
        return cast(PartitionResults, pickle.loads(self.pickled)).results


def _process_partition(
    partition: list[Work], limits: Limits, encode: Callable[[Article], Encoded]
) -> PickledPartition:
    results = PartitionResults(list(process_documents(_documents(partition), limits, encode)))
    return PickledPartition(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))


def _documents(work: Iterable[Work]) -> Iterator[RawDocument | Rejection]:
    """The documents of ``work``, reading its files (in a worker, or here)."""
    for item in work:
        if isinstance(item, InputFile):
            yield from iter_documents([item.path])
        else:
            yield item


def _work(paths: Iterable[str]) -> Iterator[Work]:
    """What ``iter_documents(paths)`` reads, in its order, with each file up to ``PARTITION_BYTES`` as
    an :class:`InputFile` for a worker to read, and the rest read here (stdin, larger files, a name
    that is neither file nor folder)."""
    for name in paths:
        path = Path(name)
        if name == "-" or not (path.is_dir() or path.is_file()):
            yield from iter_documents([name])
            continue
        for file in walk_files(path) if path.is_dir() else (path,):
            try:
                size = file.stat().st_size
            except OSError:
                size = PARTITION_BYTES + 1  # read here, where the error becomes the file's Rejection
            if size <= PARTITION_BYTES:
                yield InputFile(str(file), size)
            else:
                yield from iter_documents([str(file)])


def _weight(item: Work) -> int:
    """Bytes an item adds to a partition (characters for a document: close enough)."""
    if isinstance(item, InputFile):
        return item.size
    return len(item.text) if isinstance(item, RawDocument) else 0


def _partitions(work: Iterable[Work], partition_size: int) -> Iterator[list[Work]]:
    partition: list[Work] = []
    weight = 0
    for item in work:
        partition.append(item)
        weight += _weight(item)
        if len(partition) >= partition_size or weight >= PARTITION_BYTES:
            yield partition
            partition, weight = [], 0
    if partition:
        yield partition


def _is_small(head: list[Work], min_parallel: int) -> bool:
    return len(head) < min_parallel and sum(map(_weight, head)) < MIN_PARALLEL_BYTES


def _stream(
    paths: Iterable[str],
    scheduler: str | None,
    workers: int | None,
    limits: Limits,
    encode: Callable[[Article], Encoded],
    partition_size: int,
    min_parallel: int,
    processes: bool,
) -> Iterator[Encoded | Rejection]:
    work = _work(paths)
    head = list(islice(work, min_parallel))
    work = chain(head, work)
    if scheduler is None and (workers == 1 or _is_small(head, min_parallel)):
        yield from process_documents(_documents(work), limits, encode)
        return
    with _client(scheduler, workers, processes) as client:
        max_in_flight = 2 * max(1, len(client.scheduler_info(n_workers=-1)["workers"])) + 1
        partitions = _partitions(_readable_by_workers(client, work), partition_size)
        yield from _run_on(client, partitions, limits, encode, max_in_flight)


def _readable_by_workers(client: Client, work: Iterable[Work]) -> Iterator[Work]:
    """``work`` as it is when the workers see the first file as this process does (same path, same
    size: they share its file system); otherwise with every file read here and sent as documents."""
    shared: bool | None = None
    for item in work:
        if isinstance(item, InputFile):
            if shared is None:
                shared = all(size == item.size for size in client.run(_file_size, item.path).values())
            if not shared:
                yield from iter_documents([item.path])
                continue
        yield item


def _file_size(path: str) -> int | None:
    """Run on each worker: the size of ``path`` as the worker sees it (None: it cannot see it)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _run_on(
    client: Client,
    partitions: Iterable[list[Work]],
    limits: Limits,
    encode: Callable[[Article], Encoded],
    max_in_flight: int,
) -> Iterator[Encoded | Rejection]:
    """Submit partitions, never more than ``max_in_flight`` unfinished; yield results in input order."""
    in_flight: deque[tuple[list[Work], Future]] = deque()
    for partition in partitions:
        future = client.submit(_process_partition, partition, limits, encode, pure=False)
        in_flight.append((partition, future))
        if len(in_flight) >= max_in_flight:
            yield from _collect(*in_flight.popleft())
    while in_flight:
        yield from _collect(*in_flight.popleft())


def _collect(partition: list[Work], future: Future) -> list[Any]:
    """A partition's results; if its task failed (a worker died), one Rejection per document in it (its
    files are read again here to name them)."""
    try:
        return future.result().results
    except Exception as exc:  # noqa: BLE001 - a lost partition is reported document by document
        detail = f"Dask task failed: {type(exc).__name__}: {exc}"
        return [
            doc
            if isinstance(doc, Rejection)
            else Rejection(source=doc.source, reason="worker_failed", detail=detail)
            for doc in _documents(partition)
        ]


# Dask's housekeeping, set for a cluster whose cores are all busy with the work (a local cluster shares
# them with this process), so that its periodic callbacks take a few ms of CPU per second instead of
# about a tenth of a core: no statistical profiler sampling every worker's stack every 10 ms (a
# dashboard feature; there is no dashboard); event-loop responsiveness ticks every second instead of
# every 20 ms (a loop blocked for 3 s is still reported); system and memory monitors every few seconds;
# no work stealing (the tasks are alike, and the scheduler hands them out as workers free up).
# Dask also keeps the last ``low-level-log-length`` (default 1000) messages of every scheduler↔worker
# stream for debugging, and a compute message carries its whole partition: memory growing with every
# partition of documents sent over the first 1000 per worker.
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.low-level-log-length": 16,
}


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
                # Results come straight from the worker that has them, not relayed by the scheduler:
                # on one machine the workers are always reachable, and a relay costs this process a
                # read and a write of every result on top of its own read.
                client = Client(cluster, direct_to_workers=True)
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
