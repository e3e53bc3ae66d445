"""``marsad extract``: pages → one JSON object per article (JSON Lines)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from marsad.cli.app import app, err, fail, with_progress
from marsad.ingest import iter_documents
from marsad.ingest.readers import count_inputs
from marsad.kb.loader import KnowledgeBaseError, load_kb
from marsad.models import Article, Rejection
from marsad.pipeline import process


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files or folders; '-' reads stdin")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write JSON Lines here")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="indented JSON for reading")] = False,
) -> None:
    """Extract structured articles from raw news pages."""
    try:
        kb = load_kb()
    except KnowledgeBaseError as exc:
        raise fail(f"knowledge base: {exc}") from None
    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror}") from None
    processed = rejected = 0
    try:
        docs = with_progress(iter_documents(paths), count_inputs(paths), "extracting")
        for doc in docs:
            result = doc if isinstance(doc, Rejection) else process(doc, kb)
            if isinstance(result, Rejection):
                rejected += 1
                err.print(
                    f"[yellow]skipped[/] {result.source}: {result.reason} ({result.detail})", highlight=False
                )
                continue
            processed += 1
            for warning in result.warnings:
                err.print(f"[yellow]warning[/] {result.source}: {warning}", highlight=False)
            out.write(_dump(result, pretty) + "\n")
    finally:
        if output:
            out.close()
    if processed == 0:
        raise fail(f"nothing could be processed ({rejected} rejected)")


def _dump(article: Article, pretty: bool) -> str:
    return article.model_dump_json(indent=2 if pretty else None, exclude_none=True)
