"""The Dask runner gives the single-process output, article for article, in order, and loses nothing."""

from __future__ import annotations

import pytest

from bench.corpus import ant_files, write_generated_corpus
from marsad.models import Article, Rejection
from marsad.pipeline import Limits
from marsad.scale import BatchReport, run
from marsad.scale.runner import _collect


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Generated articles, an empty file (an ingest rejection), and real ANT articles when available."""
    folder = tmp_path_factory.mktemp("corpus")
    paths = [str(p) for p in write_generated_corpus(folder, 40)]
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    paths.insert(17, str(empty))
    return paths + [str(p) for p in ant_files()[::1500]]


def _dumps(results: list[Article | Rejection]) -> list[str]:
    return [r.model_dump_json() for r in results]


def test_dask_cluster_output_equals_single_process_output(corpus: list[str]) -> None:
    serial = list(run(corpus, workers=1))
    parallel = list(run(corpus, workers=2, partition_size=7, min_parallel=1))
    assert len(serial) == len(corpus)
    assert _dumps(parallel) == _dumps(serial)
    assert [r.source for r in parallel] == corpus
    assert isinstance(parallel[17], Rejection) and parallel[17].reason == "empty"
    articles = [r for r in parallel if isinstance(r, Article)]
    assert len(articles) == len(corpus) - 1 and all(a.language == "ar" for a in articles)


def test_few_documents_stay_in_this_process(corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.scale.runner as runner

    def no_cluster(*args: object) -> None:
        raise AssertionError("a cluster was started for three documents")

    monkeypatch.setattr(runner, "_client", no_cluster)
    assert len(list(run(corpus[:3]))) == 3


def test_limits_reach_the_workers(corpus: list[str]) -> None:
    results = list(run(corpus[:6], workers=2, min_parallel=1, partition_size=2, limits=Limits(max_bytes=50)))
    assert {r.reason for r in results if isinstance(r, Rejection)} == {"too_large"}
    assert len(results) == 6


def test_a_failed_partition_becomes_one_rejection_per_document(corpus: list[str]) -> None:
    class DeadWorker:
        def result(self) -> None:
            raise RuntimeError("worker killed")

    from marsad.ingest import iter_documents

    partition = list(iter_documents(corpus[15:19]))
    results = _collect(partition, DeadWorker())
    assert [r.source for r in results] == corpus[15:19]
    assert [r.reason for r in results] == ["worker_failed", "worker_failed", "empty", "worker_failed"]
    assert "worker killed" in results[0].detail


def test_the_cluster_does_not_keep_sent_partitions() -> None:
    """Dask's debug log of recent messages would hold every partition sent (memory growing per document)."""
    from marsad.scale.runner import DASK_CONFIG, _client

    with _client(None, 2, True) as client:
        streams = list(client.cluster.scheduler.stream_comms.values())
        kept = DASK_CONFIG["distributed.admin.low-level-log-length"]
        assert len(streams) == 2 and all(s.recent_message_log.maxlen == kept for s in streams)


def test_bad_arguments_fail_at_once() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        run(["x"], workers=0)
    with pytest.raises(ValueError, match="scheduler"):
        run(["x"], workers=2, scheduler="tcp://127.0.0.1:8786")


def test_batch_report_counts_and_summarises(corpus: list[str]) -> None:
    report = BatchReport()
    results = list(report.watch(run(corpus[15:19] + ["/no/such/file.txt"], workers=1)))
    assert report.processed == 3 and report.rejected == {"empty": 1, "missing": 1}
    assert report.total == len(results) == 5 and not report.nothing_processed
    assert report.lines()[0] == "5 documents: 3 processed, 2 rejected"
