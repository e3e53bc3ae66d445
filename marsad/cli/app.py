"""The Typer app and the helpers every command shares (one-line errors, progress on stderr)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
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


def with_progress(items: Iterable[T], count: Callable[[], int | None], label: str) -> Iterator[T]:
    """Yield ``items`` under a Rich progress bar when stderr is a terminal and ``count()`` (how many
    there will be; None: unknown) is more than one.  It is called only then: counting a corpus walks
    every folder of it before the first item."""
    if not sys.stderr.isatty() or ((total := count()) is not None and total <= 1):
        yield from items
        return
    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


def interrupted_between(items: Iterable[T]) -> Iterator[T]:
    """``items``, with Ctrl-C (SIGINT) raising ``KeyboardInterrupt`` only between two of them, where the
    caller can say what was done.  Raised anywhere, it may surface as another error: inside pydantic's
    serializer (which the store calls on every article) it becomes a ``PydanticSerializationError``.
    The item being made when Ctrl-C comes is dropped; a second Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers are the main thread's
        yield from items
        return
    pressed = False

    def note(signum: int, frame: object) -> None:
        nonlocal pressed
        pressed = True
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, note)
    try:
        for item in items:
            if pressed:
                break
            yield item
            if pressed:
                break
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
