"""CoNLL-style BIO reader for NER gold: "token TAG" lines, or multi-column files (Wojood) where the
first column is the token and the second the flat tag.  Sentences are separated by blank lines; a
file without blank lines (ANERCorp) is split after sentence-final punctuation tokens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SENTENCE_END = {".", "!", "?", "؟"}


@dataclass(frozen=True)
class EntitySpan:
    """Tokens ``[start, end)`` of one sentence tagged as ``type``."""

    start: int
    end: int
    type: str


Sentence = list[tuple[str, str]]


class ConllError(ValueError):
    """A line that is not "token TAG"."""


def parse_conll(text: str, name: str = "") -> list[Sentence]:
    sentences: list[Sentence] = []
    current: Sentence = []
    for number, line in enumerate(text.splitlines(), 1):
        columns = line.split()
        if not columns:
            if current:
                sentences.append(current)
                current = []
            continue
        if len(columns) == 1 and _is_tag(columns[0]) and line[:1].isspace():
            columns = ["", columns[0]]  # a whitespace-only token (ANERCorp has a few): keep its tag
        if len(columns) < 2:
            raise ConllError(f"{name}:{number}: expected 'token TAG', got {line.strip()!r}")
        token, tag = columns[0], columns[1]
        current.append((token, tag))
        if token in SENTENCE_END and tag == "O" and "\n\n" not in text:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _is_tag(text: str) -> bool:
    return text == "O" or text[:2] in ("B-", "I-")


def read_conll(path: Path) -> list[Sentence]:
    return parse_conll(path.read_text(encoding="utf-8-sig"), str(path))


def bio_spans(tags: list[str]) -> list[EntitySpan]:
    """Entity spans of a BIO (or IOB1) tag sequence; an I- tag without a matching B- starts a span."""
    spans: list[EntitySpan] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if start is not None and not continues:
            spans.append(EntitySpan(start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and not continues:
            start, kind = i, label
    return spans
