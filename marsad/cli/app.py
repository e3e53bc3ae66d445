"""The Typer app and the helpers every command shares (one-line errors, progress on stderr)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): Arabic news pages → source-attributed events, figures and timelines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


@app.callback()
def main() -> None:
    """Marsad (مرصد): Arabic news pages → source-attributed events, figures and timelines."""


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr; raise the returned Exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def with_progress(items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
    """Yield ``items`` under a Rich progress bar when stderr is a terminal and there is more than one."""
    if not sys.stderr.isatty() or (total is not None and total <= 1):
        yield from items
        return
    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)
