"""HTML pages → the text an Article's offsets point into, plus what the markup says for sure.

``Article.text`` for an HTML page is a text rendition built here, one block per line: the section,
the title, the visible publication time, the photo captions, the main text found by trafilatura
(comments excluded), then the related-news headlines.  The plain-text layout rules then run on
that rendition, with the markup's certainties (``<figcaption>``, "related" boxes, title, section,
publication time from ``<meta>``/``<time>``) passed as hints, so HTML and scraped text pages are
read by the same rules.  The markup itself stays in ``RawDocument.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from marsad.models import RawDocument

_RELATED_BOX = re.compile(r"related|read-?more|more-?news|also-?read|see-?also", re.IGNORECASE)
_PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="date"]',
)
_SECTION_META = ('meta[property="article:section"]', 'meta[name="article:section"]')
_RELATED_MIN_WORDS = 3
# Dates from the page's markup only: htmldate's extensive search would take a copyright year for one.
_DATE_FROM_MARKUP_ONLY = {"extensive_search": False, "original_date": True}
_TITLE_SUFFIX = re.compile(r"\s[-|–—:]\s([^-|–—:]+)$")


@dataclass(frozen=True)
class PageText:
    """A page as text, with what its container or markup states: title, section, publication time,
    photo captions and related headlines (with their links)."""

    text: str
    title: str | None = None
    section: str | None = None
    published: str | None = None
    captions: tuple[str, ...] = ()
    related: tuple[tuple[str, str | None], ...] = ()
    site_names: tuple[str, ...] = ()  # names the page gives itself (og:site_name, the <title> suffix)

    @classmethod
    def of_plain(cls, raw: RawDocument) -> PageText:
        return cls(raw.text, raw.title_hint, raw.section_hint)


def render_html(raw: RawDocument) -> PageText:
    tree = HTMLParser(raw.text)
    extracted = trafilatura.bare_extraction(
        raw.text,
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_FROM_MARKUP_ONLY,
    )
    main = (getattr(extracted, "text", None) or "").strip() or _paragraph_text(tree)
    title = raw.title_hint or getattr(extracted, "title", None) or _text(tree.css_first("h1"))
    categories = getattr(extracted, "categories", None) or []
    section = raw.section_hint or _meta(tree, _SECTION_META) or (categories[0] if categories else None)
    published = _meta(tree, _PUBLISHED_META) or _attribute(tree.css_first("time[datetime]"), "datetime")
    captions = tuple(dict.fromkeys(t for t in map(_text, tree.css("figcaption")) if t))
    related = tuple(_related_links(tree))
    main_lines = set(main.splitlines())
    lines = [
        section,
        title,
        _text(tree.css_first("time")),
        *(caption for caption in captions if caption not in main_lines),
        main,
        *(headline for headline, _ in related if headline not in main_lines),
    ]
    return PageText(
        text="\n\n".join(line for line in lines if line),
        title=title,
        section=section,
        published=published or getattr(extracted, "date", None),
        captions=captions,
        related=related,
        site_names=tuple(
            name for name in (getattr(extracted, "sitename", None), _title_suffix(tree)) if name
        ),
    )


def _title_suffix(tree: HTMLParser) -> str | None:
    """The site's name as pages append it to their <title>: "headline - سكاي نيوز عربية"."""
    title = _text(tree.css_first("title"))
    m = _TITLE_SUFFIX.search(title) if title else None
    return m.group(1).strip() if m else None


def _related_links(tree: HTMLParser) -> list[tuple[str, str | None]]:
    """Headlines (and links) of the boxes whose class or id says "related"."""
    links: dict[str, str | None] = {}
    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if not _RELATED_BOX.search(marks):
            continue
        for anchor in node.css("a"):
            headline = _text(anchor)
            if headline and len(headline.split()) >= _RELATED_MIN_WORDS:
                links.setdefault(headline, anchor.attributes.get("href"))
    return list(links.items())


def _paragraph_text(tree: HTMLParser) -> str:
    """The page's paragraphs, for pages too small for trafilatura to call them an article."""
    return "\n".join(t for t in map(_text, tree.css("body p")) if t)


def _meta(tree: HTMLParser, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        content = _attribute(tree.css_first(selector), "content")
        if content:
            return content
    return None


def _attribute(node: Node | None, name: str) -> str | None:
    value = node.attributes.get(name) if node is not None else None
    return value.strip() if value else None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    text = re.sub(r"\s+", " ", node.text(separator=" ")).strip()
    return text or None
