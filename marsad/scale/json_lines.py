"""Articles as the JSON ``marsad extract`` writes, made where the article is (a Dask worker): UTF-8
bytes cross between processes for a fraction of what an Article costs to pickle and unpickle, and are
written as they come (a ``str`` would be decoded when unpickled and encoded again when written: for
Arabic text, more of the caller's CPU than receiving the bytes)."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import TypeAdapter

from marsad.models import Article

# ``Article.model_dump_json`` is this serializer's output decoded to a str.
_ARTICLE = TypeAdapter(Article)


class ArticleJson(NamedTuple):
    """An Article as UTF-8 JSON, with what the batch report counts."""

    source: str
    json: bytes
    warnings: list[str]


def article_json(article: Article, indent: int | None = None) -> ArticleJson:
    """``article`` as JSON (fields without a value left out); an ``encode`` for :func:`marsad.scale.run`."""
    return ArticleJson(
        article.source, _ARTICLE.dump_json(article, indent=indent, exclude_none=True), article.warnings
    )
