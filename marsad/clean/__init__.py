"""Clean: page layout → title, section, labels, dateline, body, captions, related links, boilerplate."""

from marsad.clean.layout import article_id, clean

__all__ = ["article_id", "clean"]
