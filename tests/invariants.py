"""The contract every pipeline result meets: an Article whose every span is the text at its offsets
and whose every index points at an item, or a Rejection with a reason (shared by the fuzz and
robustness tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from marsad.models import Article, Rejection, Span

_REASON = re.compile(r"[a-z][a-z_]*")


def iter_spans(value: object, path: str = "article") -> Iterator[tuple[str, Span]]:
    """Every Span (of any subclass) reachable from ``value``, with where it was found."""
    if isinstance(value, Span):
        yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_spans(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_spans(item, f"{path}[{i}]")


def assert_valid_result(result: Article | Rejection) -> None:
    """The contract every pipeline result meets (shared with the robustness tests)."""
    assert isinstance(result, Article | Rejection)
    if isinstance(result, Rejection):
        assert _REASON.fullmatch(result.reason) and result.detail, result
        assert result.reason != "internal_error", f"a stage crashed: {result.detail}"
        return
    text = result.text
    for path, span in iter_spans(result):
        assert 0 <= span.start <= span.end <= len(text), f"{path} [{span.start}, {span.end}) outside the text"
        assert text[span.start : span.end] == span.text, (
            f"{path}: {span.text!r} is not the text at its offsets"
        )
    _assert_indexes_point_at_items(result)


def _assert_indexes_point_at_items(article: Article) -> None:
    def inside(index: int | None, items: list) -> bool:
        return index is None or 0 <= index < len(items)

    assert all(inside(s.paragraph, article.paragraphs) for s in article.sentences)
    assert all(inside(a.sentence, article.sentences) for a in article.attributions)
    assert all(inside(q.part_of, article.quantities) and inside(q.change_to, article.quantities)
               for q in article.quantities)  # fmt: skip
    for event in article.events:
        assert inside(event.sentence, article.sentences) and inside(event.time, article.times)
        assert inside(event.attribution, article.attributions)
        assert all(inside(q, article.quantities) for q in event.quantities)
    entity_ids = {e.id for e in article.entities}
    assert all(m.entity_id in entity_ids for m in article.mentions)
