"""Articles as the JSON ``marsad extract`` writes, made where the article is (a Dask worker): a string
crosses between processes for a fraction of what an Article costs to pickle and unpickle."""

from __future__ import annotations

from typing import NamedTuple

from marsad.models import Article


class ArticleJson(NamedTuple):
    """An Article as JSON, with what the batch report counts."""

    source: str
    json: str
    warnings: list[str]


def article_json(article: Article, indent: int | None = None) -> ArticleJson:
    """``article`` as JSON (fields without a value left out); an ``encode`` for :func:`marsad.scale.run`."""
    return ArticleJson(
        article.source, article.model_dump_json(indent=indent, exclude_none=True), article.warnings
    )
