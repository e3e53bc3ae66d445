"""Walk paths (files, folders, ``-`` for stdin) and read each into RawDocument or Rejection."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.ingest.decode import document_from_bytes
from marsad.models import RawDocument, Rejection


def iter_documents(paths: Iterable[str]) -> Iterator[RawDocument | Rejection]:
    for name in paths:
        if name == "-":
            yield document_from_bytes(sys.stdin.buffer.read(), "<stdin>")
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield from _read_file(child)
        elif path.is_file():
            yield from _read_file(path)
        else:
            yield Rejection(source=name, reason="missing", detail="no such file or folder")


def _read_file(path: Path) -> Iterator[RawDocument | Rejection]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejection(source=str(path), reason="unreadable", detail=exc.strerror or str(exc))
        return
    yield document_from_bytes(data, str(path))


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many files the paths name (for a progress bar); None when reading a stream."""
    total = 0
    for name in paths:
        if name == "-":
            return None
        path = Path(name)
        total += sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
    return total
