"""Evaluation harness interface: every task module in ``eval/tasks/`` exposes
``run(shared_eval: Path) -> list[Score]`` and finds its datasets by folder under ``shared_eval``
(``../shared/eval`` by default), so new gold data drops in without code.  ``python -m eval`` runs
them all and writes ``eval/results.md`` and ``eval/results.json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Score:
    """One row of results: a task on a dataset in one matching mode (strict, relaxed, value, ...)."""

    task: str
    dataset: str
    mode: str
    tp: int
    fp: int
    fn: int
    extra: dict[str, float | int | str] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)  # most frequent misses / false alarms

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return asdict(self) | {"precision": self.precision, "recall": self.recall, "f1": self.f1}
