"""``marsad extract``: pages → one JSON object per article (JSON Lines), in parallel for a corpus."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from marsad.cli.app import app, err, fail, interrupted_between, with_progress
from marsad.ingest.readers import count_inputs
from marsad.kb.loader import KnowledgeBaseError, check_kb
from marsad.limits import Limits
from marsad.models import Rejection
from marsad.scale import BatchReport, SchedulerError, article_json, run


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files or folders; '-' reads stdin")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write JSON Lines here")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="indented JSON for reading")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="use a running Dask cluster, e.g. tcp://host:8786 (its workers read the files when they "
            "see them at the same paths; otherwise this process sends them)",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="local worker processes (default: every core; 1: no Dask)")
    ] = None,
) -> None:
    """Extract structured articles from raw news pages.

    A corpus is processed in parallel on a local Dask cluster (or --scheduler); a few pages in this
    process.  Rejected pages are listed on stderr, and a report ends the run; the exit code is non-zero
    only when no page could be processed.
    """
    try:
        limits = Limits.from_env()
        check_kb()  # before the output is opened; the workers build the knowledge base itself
        # The workers write the JSON: this process only copies it out.
        encode = partial(article_json, indent=2 if pretty else None)
        results = run(paths, scheduler=scheduler, workers=workers, limits=limits, encode=encode)
    except ValueError as exc:
        prefix = "knowledge base: " if isinstance(exc, KnowledgeBaseError) else ""
        raise fail(f"{prefix}{exc}") from None
    report = BatchReport()
    try:
        with _open_output(output) as out:
            progress = with_progress(interrupted_between(results), partial(count_inputs, paths), "extracting")
            for result in report.watch(progress):
                if isinstance(result, Rejection):
                    err.print(
                        f"[yellow]skipped[/] {result.source}: {result.reason} ({result.detail})",
                        highlight=False,
                    )
                else:
                    out.write(result.json + b"\n")
    except SchedulerError as exc:
        raise fail(str(exc)) from None
    except KnowledgeBaseError as exc:  # the workers build the knowledge base before the first document
        raise fail(f"knowledge base: {exc}") from None
    except OSError as exc:
        raise fail(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:  # held until a result is written whole: the output ends on a full line
        written = f"{report.processed} articles were written to {output or 'stdout'}"
        raise fail(f"interrupted: {written}", 130) from None
    for line in report.lines():
        err.print(line, highlight=False)
    if report.nothing_processed:
        raise fail(f"nothing could be processed ({report.rejected.total()} rejected)")


def _open_output(output: Path | None) -> AbstractContextManager[BinaryIO]:
    """The output file (closed by the caller's ``with``), or stdout (left open), for the workers' UTF-8."""
    return output.open("wb") if output else nullcontext(sys.stdout.buffer)
