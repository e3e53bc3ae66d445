"""The batch report: how many documents became articles, how many were rejected and why, what was warned.

Shared by ``marsad extract`` and ``marsad ingest``: wrap the result stream in :meth:`BatchReport.watch`,
then print :meth:`BatchReport.lines` at the end, so nothing a batch drops goes unreported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from marsad.models import Rejection


class Processed(Protocol):
    """A document that became an article, in whatever form the runner yields it (an Article, its JSON,
    the rows the store writes)."""

    @property
    def warnings(self) -> list[str]: ...


ResultT = TypeVar("ResultT", bound="Processed | Rejection")


@dataclass
class BatchReport:
    processed: int = 0
    rejected: Counter[str] = field(default_factory=Counter)  # by reason
    warnings: Counter[str] = field(default_factory=Counter)  # by warning text

    def add(self, result: Processed | Rejection) -> None:
        if isinstance(result, Rejection):
            self.rejected[result.reason] += 1
        else:
            self.processed += 1
            self.warnings.update(result.warnings)

    def watch(self, results: Iterable[ResultT]) -> Iterator[ResultT]:
        """Yield ``results`` unchanged, counting each one as it passes."""
        for result in results:
            self.add(result)
            yield result

    @property
    def total(self) -> int:
        return self.processed + self.rejected.total()

    @property
    def nothing_processed(self) -> bool:
        """True when the batch produced no article at all: the one outcome that fails a batch command."""
        return self.processed == 0

    def lines(self) -> list[str]:
        """A short human summary, one fact per line, most frequent reasons first."""
        noun = "document" if self.total == 1 else "documents"
        lines = [f"{self.total} {noun}: {self.processed} processed, {self.rejected.total()} rejected"]
        lines += [f"  rejected {reason}: {n}" for reason, n in self.rejected.most_common()]
        lines += [f"  warning {warning}: {n}" for warning, n in self.warnings.most_common()]
        return lines
