"""Per-article limits, apart from the pipeline so that a process that only hands documents to workers
(``marsad ingest``/``extract`` on Dask) can read them without importing every stage."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_MAX_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-article guards, so one huge or pathological page becomes a Rejection instead of stalling a batch.

    Set from the environment with ``MARSAD_MAX_BYTES`` and ``MARSAD_MAX_SECONDS`` (see :meth:`from_env`).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by the environment; a ValueError names the variable that is wrong."""
        return cls(
            max_bytes=int(_positive_env("MARSAD_MAX_BYTES", DEFAULT_MAX_BYTES)),
            max_seconds=_positive_env("MARSAD_MAX_SECONDS", DEFAULT_MAX_SECONDS),
        )

    def oversize(self, text: str) -> int | None:
        """The UTF-8 size of ``text`` when it is over ``max_bytes`` (None when it fits)."""
        if len(text) * 4 <= self.max_bytes:  # no character takes more than 4 bytes: skip encoding
            return None
        size = len(text.encode("utf-8", "surrogatepass"))
        return size if size > self.max_bytes else None


def _positive_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"{name}={raw!r} must be greater than 0")
    return value
