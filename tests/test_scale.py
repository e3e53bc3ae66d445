"""The Dask runner gives the single-process output, article for article, in order, and loses nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import ant_files, write_generated_corpus
from marsad.models import Article, Rejection
from marsad.pipeline import Limits
from marsad.scale import ArticleJson, BatchReport, article_json, run
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


def test_workers_get_file_names_and_this_process_reads_only_what_they_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stdin, a file larger than a partition and a missing name are read here; every other file is sent
    by name; once read, the documents are those of ``iter_documents``, in its order."""
    import marsad.scale.runner as runner
    from marsad.ingest import iter_documents
    from marsad.scale.runner import InputFile, _documents, _work

    folder = tmp_path / "pages"
    small = write_generated_corpus(folder, 3)
    big = folder / "big.jsonl"
    lines = (json.dumps({"text": f"خبر رقم {i} " * 400}, ensure_ascii=False) for i in range(3))
    big.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(runner, "PARTITION_BYTES", 15_000)
    paths = ["-", str(folder), str(tmp_path / "missing.txt")]

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("خبر من المدخل".encode())))
    work = list(_work(paths))
    assert [item.path for item in work if isinstance(item, InputFile)] == [str(p) for p in small]
    read_here = [item.source for item in work if not isinstance(item, InputFile)]
    assert read_here == ["<stdin>", f"{big}#1", f"{big}#2", f"{big}#3", paths[2]]

    documents = [doc.source for doc in _documents(work)]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("خبر من المدخل".encode())))
    assert documents == [doc.source for doc in iter_documents(paths)]


def test_stdin_and_files_on_the_cluster_equal_one_process(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = Path(corpus[0]).read_bytes()
    inputs = [*corpus[:5], "-", *corpus[5:9]]

    def stdin() -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(page))

    monkeypatch.setattr("sys.stdin", stdin())
    serial = list(run(inputs, workers=1, encode=article_json))
    monkeypatch.setattr("sys.stdin", stdin())
    parallel = list(run(inputs, workers=2, partition_size=3, min_parallel=1, encode=article_json))
    assert parallel == serial
    assert [r.source for r in parallel] == [*corpus[:5], "<stdin>", *corpus[5:9]]
    assert all(isinstance(r, ArticleJson) for r in parallel)


def test_a_failed_partition_of_file_names_is_read_here_to_name_its_documents(tmp_path: Path) -> None:
    from marsad.scale.runner import InputFile, _collect

    class DeadWorker:
        def result(self) -> None:
            raise RuntimeError("worker killed")

    records = tmp_path / "two.jsonl"
    records.write_text('{"text": "خبر أول"}\n{"text": "خبر ثان"}\n', encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    partition = [InputFile(str(records), records.stat().st_size), InputFile(str(empty), 0)]

    results = _collect(partition, DeadWorker())

    assert [(r.source, r.reason) for r in results] == [
        (f"{records}#1", "worker_failed"),
        (f"{records}#2", "worker_failed"),
        (str(empty), "empty"),
    ]


def test_files_the_workers_cannot_see_are_sent_as_documents(corpus: list[str]) -> None:
    from marsad.scale.runner import InputFile, _readable_by_workers, _work

    class RemoteCluster:
        """Workers on another machine: they see no file of ours."""

        def run(self, function: object, path: str) -> dict[str, int | None]:
            return {"tcp://10.0.0.2:4242": None, "tcp://10.0.0.3:4242": None}

    work = list(_readable_by_workers(RemoteCluster(), _work(corpus[:4])))  # type: ignore[arg-type]
    assert not any(isinstance(item, InputFile) for item in work)
    assert [item.source for item in work] == corpus[:4]


def test_partitions_stop_at_their_size_or_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.scale.runner as runner
    from marsad.scale.runner import InputFile, _partitions

    monkeypatch.setattr(runner, "PARTITION_BYTES", 100)
    files = [InputFile(f"{n}.txt", size) for n, size in enumerate([10, 10, 10, 90, 10, 10, 10, 10, 10])]
    sizes = [[item.size for item in partition] for partition in _partitions(files, 4)]
    assert sizes == [[10, 10, 10, 90], [10, 10, 10, 10], [10]]
    sizes = [[item.size for item in partition] for partition in _partitions(files[:5], 2)]
    assert sizes == [[10, 10], [10, 90], [10]]


def test_a_running_cluster_reads_the_files_it_sees(corpus: list[str]) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        results = list(run(corpus[:12], scheduler=cluster.scheduler_address, partition_size=5))
    assert _dumps(results) == _dumps(list(run(corpus[:12], workers=1)))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_broken_knowledge_base_fails_on_the_first_result(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The workers build the knowledge base before any document is sent; the caller sees its error."""
    import marsad.scale.runner as runner
    from marsad.kb.loader import KnowledgeBaseError

    def broken_kb() -> None:
        raise KnowledgeBaseError("entities.yaml: duplicate entity id Q1")

    monkeypatch.setattr(runner, "load_kb", broken_kb)
    results = run(corpus[:4], workers=workers, min_parallel=1, processes=False)
    with pytest.raises(KnowledgeBaseError, match="duplicate entity id"):
        next(results)


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_the_commands_report_a_broken_knowledge_base_in_one_line(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    from typer.testing import CliRunner

    import marsad.scale.runner as runner
    from marsad.cli import app
    from marsad.kb.loader import KnowledgeBaseError

    def broken_kb() -> None:
        raise KnowledgeBaseError("entities.yaml: duplicate entity id Q1")

    monkeypatch.setattr(runner, "load_kb", broken_kb)
    options = ["--db", str(tmp_path / "m.db")] if command == "ingest" else []
    result = CliRunner().invoke(app, [command, *corpus[:2], *options])
    assert result.exit_code == 1
    assert "knowledge base: entities.yaml: duplicate entity id Q1" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_broken_knowledge_base_stops_the_commands_before_they_open_their_output(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    """The client checks the data files (it does not build the knowledge base): an existing output
    file is left as it was, and no database is created."""
    import shutil

    from typer.testing import CliRunner

    import marsad.kb.loader as loader
    from marsad.cli import app

    data = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, data)
    entity_file = next((data / "entities").glob("*.yaml"))
    entity_file.write_text(entity_file.read_text(encoding="utf-8") + "\n  - {id: 12}\n", encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", data)
    output = tmp_path / "out.jsonl"
    output.write_text("earlier results\n", encoding="utf-8")
    options = ["--db", str(tmp_path / "m.db")] if command == "ingest" else ["-o", str(output)]
    result = CliRunner().invoke(app, [command, *corpus[:2], *options])
    assert result.exit_code == 1
    assert f"knowledge base: {entity_file.name}" in result.output
    assert "Traceback" not in result.output
    assert output.read_text(encoding="utf-8") == "earlier results\n"
    assert not (tmp_path / "m.db").exists()


def test_ctrl_c_ends_extract_with_whole_lines_and_says_how_many(
    corpus: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C during ``marsad extract``: one line saying what was written, exit 130, and an output of
    whole JSON lines (not click's bare "Aborted!")."""
    import signal

    from typer.testing import CliRunner

    import marsad.cli.extract as extract_command
    from marsad.cli import app

    real_run = extract_command.run

    def interrupted_run(*args: object, **kwargs: object) -> Iterator[object]:
        for i, result in enumerate(real_run(*args, **kwargs)):
            if i == 2:
                signal.raise_signal(signal.SIGINT)  # while the third result is on its way
            yield result

    monkeypatch.setattr(extract_command, "run", interrupted_run)
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", *corpus[:5], "--workers", "1", "-o", str(output)])
    assert result.exit_code == 130
    assert f"interrupted: 2 articles were written to {output}" in " ".join(result.output.split())
    assert "Aborted" not in result.output and "Traceback" not in result.output
    lines = output.read_bytes().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["source"] for line in lines)
