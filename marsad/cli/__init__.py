"""``marsad`` command line: one Typer app; each command group lives in its own module."""

from marsad.cli import extract as _extract  # noqa: F401  (registers commands)
from marsad.cli import store as _store  # noqa: F401  (registers commands)
from marsad.cli import summary as _summary  # noqa: F401  (registers commands)
from marsad.cli.app import app

__all__ = ["app"]
