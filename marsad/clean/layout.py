"""Page layout: a scraped news page, line by line → title, section, labels, dateline, body, captions,
related links and the stripped boilerplate.

Scraped Arabic news pages share a shape: a header (logo, section, labels, the title — often twice —,
a photo caption with its credit, the dateline), the body (sentence-like paragraphs, interrupted by
"related news" boxes of image captions and headlines), then a tail of share prompts and the
copyright line.  Each line is first classified on its own with the markers of ``layout.yaml``
(chrome, footer, related, labels, caption credits) and the dateline reader; the body then starts
at the first sentence-like line and ends at the last one, and what lies around it is header/tail.
Every span points into ``Article.text``: the raw text for plain text, the text rendition for HTML
(see :mod:`marsad.clean.html`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from marsad.clean.dateline import DateReading, may_name_a_date, parse_container_date, read_dateline
from marsad.clean.html import PageText, render_html
from marsad.kb.loader import ENTITY_CATEGORY, KnowledgeBase
from marsad.models import Article, Block, BlockKind, Caption, RawDocument, RelatedLink, Span
from marsad.text.normalize import normalize, normalize_key, normalize_page

# Punctuation that does not change what a marker line says ("اقرأ أيضاً:" is "اقرأ أيضا").
_EDGE_PUNCTUATION = " \t:：-–—|•·.،,؛;!?؟»«\"'()[]{}<>…*#_/\\"
_SENTENCE_END = re.compile(r"[.!?؟…:][\"'»”)\]]*$")
_HEADLINE_CUES = re.compile(r"\.\.|[؟?:«»\"“”|]")
_CREDIT_LEAD = re.compile(r"(?:^|[-–|/(])\s*$")
_BREADCRUMB = re.compile(r"\s+[>»/|›]\s+")
_LETTER = re.compile(r"[^\W\d_]")
# What breaks a page into lines.  Nearly every page breaks them with "\n" alone, which ``str.split``
# finds several times faster than a regex; the others are looked for first.
_RARE_LINE_BREAKS = ("\r", "\u2028", "\u2029")
_LINE_BREAK = re.compile(f"[\n{''.join(_RARE_LINE_BREAKS)}]")
# A paragraph with this many words is body text even without a final full stop.
LONG_PARAGRAPH_WORDS = 15
# A line with a final full stop and at least this many words is a body sentence, not a headline.
SENTENCE_MIN_WORDS = 4
# Header lines this short (and not the title) name the section.
SECTION_MAX_WORDS = 4
# Marker-led lines are chrome only when this short ("شارك على فيسبوك", not a sentence starting "شارك").
CHROME_MAX_WORDS = 4
FOOTER_MAX_WORDS = 20
CAPTION_MAX_WORDS = 25
CREDIT_MAX_WORDS = 5
DATELINE_MAX_WORDS = 20
DATELINE_OTHER_WORDS = 4
RELATED_MAX_ITEMS = 8
_S = TypeVar("_S", bound=Span)


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clean(raw: RawDocument, kb: KnowledgeBase) -> Article:
    """Lay out one page; plain text keeps the raw text as ``Article.text``, HTML its text rendition."""
    page = render_html(raw) if raw.content_type == "html" else PageText.of_plain(raw)
    return _Page(page, kb).article(raw)


class _Line(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # normalised, lower case, without edge punctuation: what markers are compared with
    words: int


class _Kind(Enum):
    TEXT = "text"
    CHROME = "chrome"
    FOOTER = "footer"
    RELATED = "related"
    CAPTION = "caption"
    DATELINE = "dateline"


@dataclass(frozen=True)
class _Markers:
    """The layout markers, normalised once per knowledge base (``kb.derived(_Markers.of)``)."""

    chrome: frozenset[str]
    chrome_leads: tuple[str, ...]  # each chrome marker followed by a space: a line it starts
    footer: re.Pattern[str]  # any footer marker, anywhere in a line
    related: tuple[str, ...]
    labels: frozenset[str]
    credit_prefixes: tuple[str, ...]
    credit_cores: re.Pattern[str]  # any credit prefix without its edge punctuation
    agencies: tuple[str, ...]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> _Markers:
        layout = kb.layout
        chrome = frozenset(map(_key, layout.chrome))
        credit_prefixes = tuple(
            sorted((normalize_key(p) for p in layout.credit_prefixes), key=len, reverse=True)
        )
        cores = (prefix.strip(_EDGE_PUNCTUATION) for prefix in credit_prefixes)
        return cls(
            chrome=chrome,
            chrome_leads=tuple(marker + " " for marker in chrome),
            footer=_any_of(_innermost(map(_key, layout.footer))),
            related=tuple(sorted(map(_key, layout.related), key=len, reverse=True)),
            labels=frozenset(map(_key, layout.labels)),
            credit_prefixes=credit_prefixes,
            credit_cores=_any_of(_innermost(cores)),
            agencies=tuple(sorted(map(_key, layout.agencies), key=len, reverse=True)),
        )

    def may_credit(self, key: str) -> bool:
        """Whether a line with this key can hold a photo credit (see ``_Page._credit``), tested on the
        key the line has anyway instead of normalising it again: a credit prefix found in the line
        with a credit after it lies inside the key (which only lacks edge punctuation), and an
        agency that ends the line ends the key."""
        return key.endswith(self.agencies) or self.credit_cores.search(key) is not None


def _innermost(phrases: Iterable[str]) -> list[str]:
    """The phrases that hold none of the others ("الحقوق محفوظة", not "جميع الحقوق محفوظة"): a line
    holds one of ``phrases`` exactly when it holds one of these, and fewer alternatives starting with
    a common letter (the "ا" of "ال") mean fewer places where the regex engine tries them."""
    unique = list(dict.fromkeys(phrases))
    return [phrase for phrase in unique if not any(other in phrase for other in unique if other != phrase)]


def _any_of(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern finding any of ``phrases`` (one search, not one per phrase); none: it finds nothing."""
    escaped = [re.escape(phrase) for phrase in phrases]
    return re.compile("|".join(escaped) if escaped else "(?!)")


@dataclass(frozen=True)
class _Media:
    """The knowledge base's media outlets: each of their names (normalised) → display name, and each of
    their domains → (the outlet's place in the knowledge base, display name).  Built once per knowledge
    base (``kb.derived(_Media.of)``)."""

    names: dict[str, str]
    domains: dict[str, tuple[int, str]]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> _Media:
        records = [record for record in kb.entities.values() if record.subtype == "media"]
        names: dict[str, str] = {}
        domains: dict[str, tuple[int, str]] = {}
        for place, record in enumerate(records):  # the first outlet with a name or a domain keeps it
            for name in (
                record.name_ar,
                record.name_en,
                *record.aliases,
                *record.aliases_en,
                *record.domains,
            ):
                names.setdefault(_key(name), record.name_ar)
            for domain in record.domains:
                domains.setdefault(domain, (place, record.name_ar))
        return cls(names, domains)

    def by_host(self, host: str) -> str | None:
        """The first outlet whose domain is the host or a domain above it (news.example.com → example.com)."""
        labels = host.split(".")
        found = [self.domains[d] for i in range(len(labels)) if (d := ".".join(labels[i:])) in self.domains]
        return min(found)[1] if found else None


def _key(text: str) -> str:
    return _marker_form(normalize_key(text))


def _marker_form(normalized: str) -> str:
    """A normalised text (lower case already) as markers are compared with it: no edge punctuation."""
    return normalized.strip(_EDGE_PUNCTUATION)


def _lines(text: str) -> list[_Line]:
    """The page's non-blank lines (each from its first non-blank character to its last), keyed from
    one normalisation of the whole page (the one text analysis makes too) instead of one per line:
    normalisation does not reach across the whitespace around a line, so the line's slice of it is
    the line normalised alone.  That slice is lower case already, and its only whitespace is spaces,
    which the marker form strips like ``normalize_key`` does; its spaces count the line's words (each
    whitespace run in a line is one space there).  The whitespace between two lines is one space
    there too, so a line's slice starts one after the end of the slice before it: one offset mapped
    per line instead of two."""
    norm = normalize_page(text)
    to_normalized = norm.to_normalized
    lines = []
    key_start = None
    piece_start = 0
    for piece in _between_line_breaks(text):
        line_text = piece.strip()
        if line_text:
            start = piece_start + len(piece) - len(piece.lstrip())
            end = start + len(line_text)
            if key_start is None:
                key_start = to_normalized(start)
            key_end = to_normalized(end)
            normalized = norm.text[key_start:key_end]
            lines.append(
                _Line(start, end, line_text, normalized.strip(_EDGE_PUNCTUATION), normalized.count(" ") + 1)
            )
            key_start = key_end + 1
        piece_start += len(piece) + 1  # each line break is one character
    return lines


def _between_line_breaks(text: str) -> list[str]:
    """The text before, between and after the page's line breaks (one character each)."""
    if any(line_break in text for line_break in _RARE_LINE_BREAKS):
        return _LINE_BREAK.split(text)
    return text.split("\n")


def _sentence_like(line: _Line) -> bool:
    """Body text: a sentence with a final full stop (or a colon before a quote), or a long run of words."""
    ends = _SENTENCE_END.search(line.text) is not None and not line.text.endswith(("؟", "?"))
    return (ends and line.words >= SENTENCE_MIN_WORDS) or line.words >= LONG_PARAGRAPH_WORDS


@dataclass
class _Page:
    page: PageText
    kb: KnowledgeBase
    lines: list[_Line] = field(init=False)
    markers: _Markers = field(init=False)
    blocks: list[Block] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    datelines: list[tuple[_Line, DateReading]] = field(default_factory=list)
    caption_keys: frozenset[str] = field(init=False)
    related_urls: dict[str, str | None] = field(init=False)
    title_key: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.lines = _lines(self.page.text)
        self.markers = self.kb.derived(_Markers.of)
        self.caption_keys = frozenset(map(_key, self.page.captions))
        self.related_urls = {_key(headline): url for headline, url in self.page.related}
        self.title_key = self._title_key()

    def _title_key(self) -> str | None:
        """The key of the container's title.  The title is usually the page's first line, whose key
        (its slice of the page normalised once, see ``_lines``) is the one the title alone has: it is
        not normalised a second time then."""
        title = self.page.title
        if not title:
            return None
        if self.lines and self.lines[0].text == title:
            return self.lines[0].key
        return _key(title)

    # ------------------------------------------------------------------ the whole page

    def article(self, raw: RawDocument) -> Article:
        text = self.page.text
        kinds = [self._classify(line) for line in self.lines]
        title_index = self._title_index(kinds)
        body_start = self._body_start(kinds, title_index)
        title_key = self.lines[title_index].key if title_index is not None else None
        section, labels = self._header(kinds, title_index, body_start)
        paragraphs = self._body(kinds, body_start, title_key, title_index)
        dateline, published = self._published(raw)
        for index, kind in enumerate(kinds):
            if kind is _Kind.DATELINE:
                self._strip(self.lines[index], BlockKind.DATELINE)
        self.blocks.sort(key=lambda block: block.start)
        return Article(
            id=article_id(text),
            source=raw.source,
            url=raw.url,
            outlet=self._outlet(raw, kinds),
            text=text,
            title=self._span(self.lines[title_index]) if title_index is not None else None,
            section=section,
            labels=labels,
            published=published,
            dateline=dateline,
            paragraphs=paragraphs,
            captions=self.captions,
            related=self.related,
            boilerplate=self.blocks,
        )

    def _classify(self, line: _Line) -> _Kind:
        """What a line is on its own, before its place on the page is considered."""
        if not _LETTER.search(line.text):
            return _Kind.CHROME  # stray punctuation, bullets, separators
        if line.key in self.markers.chrome or (
            line.words <= CHROME_MAX_WORDS
            and line.key.startswith(self.markers.chrome_leads)
            and not _BREADCRUMB.search(line.text)
        ):
            return _Kind.CHROME
        if line.words <= FOOTER_MAX_WORDS and self.markers.footer.search(line.key):
            return _Kind.FOOTER
        if self._related_marker(line) is not None:
            return _Kind.RELATED
        # The date test on the key the line has (its digits are the normalised line's) spares most
        # lines a second normalisation.
        if line.words <= DATELINE_MAX_WORDS and may_name_a_date(line.key):
            reading = read_dateline(line.text, self.kb)
            if reading is not None and reading.other_words <= DATELINE_OTHER_WORDS:
                self.datelines.append((line, reading))
                return _Kind.DATELINE
        if line.key != self.title_key and (line.key in self.caption_keys or self._credit(line) is not None):
            return _Kind.CAPTION
        return _Kind.TEXT

    # ------------------------------------------------------------------ header

    def _title_index(self, kinds: list[_Kind]) -> int | None:
        """The title line: the container's title, else a line given twice, else the longest header line."""
        texts = [i for i, kind in enumerate(kinds) if kind is _Kind.TEXT]
        if self.title_key:
            for i in texts:
                if self.lines[i].key == self.title_key:
                    return i
        for a, b in zip(texts, texts[1:], strict=False):
            if self.lines[a].key == self.lines[b].key and not _sentence_like(self.lines[a]):
                return a
        header = [i for i in texts if not _sentence_like(self.lines[i])]
        first_body = next((i for i in texts if _sentence_like(self.lines[i])), len(self.lines))
        header = [i for i in header if i < first_body and self.lines[i].key not in self.markers.labels]
        candidates = [
            i
            for i in header
            if self.lines[i].words > SECTION_MAX_WORDS and not _BREADCRUMB.search(self.lines[i].text)
        ]
        return max(candidates, key=lambda i: self.lines[i].words, default=None)

    def _body_start(self, kinds: list[_Kind], title_index: int | None) -> int:
        after = title_index + 1 if title_index is not None else 0
        for i in range(after, len(self.lines)):
            if kinds[i] is _Kind.TEXT and _sentence_like(self.lines[i]):
                return i
        # No sentence-like line (a short page, a list): everything after the title that is text.
        return next((i for i in range(after, len(self.lines)) if kinds[i] is _Kind.TEXT), len(self.lines))

    def _header(
        self, kinds: list[_Kind], title_index: int | None, body_start: int
    ) -> tuple[Span | None, list[Span]]:
        """Section and labels from the lines before the body; the rest of the header is boilerplate."""
        section: Span | None = None
        labels: list[Span] = []
        wanted_section = _key(self.page.section) if self.page.section else None
        for i in range(body_start):
            line, kind = self.lines[i], kinds[i]
            if i == title_index:
                self._strip(line, BlockKind.TITLE)
            elif kind is not _Kind.TEXT:
                self._strip_marked(line, kind)
            elif line.key in self.markers.labels:
                labels.append(self._span(line))
                self._strip(line, BlockKind.LABEL)
            elif title_index is not None and line.key == self.lines[title_index].key:
                self._strip(line, BlockKind.DUPLICATE)
            elif section is None and (
                line.key == wanted_section
                or (
                    wanted_section is None
                    and len(self._section_span(line).text.split()) <= SECTION_MAX_WORDS
                    and i < (title_index or 0)
                )
            ):
                section = self._section_span(line)
                self._strip(line, BlockKind.SECTION)
            else:
                self._strip(line, BlockKind.OTHER)
        return section, labels

    def _section_span(self, line: _Line) -> Span:
        """A breadcrumb (الرئيسية > أخبار > العالم العربي) names its section last."""
        crumbs = list(_BREADCRUMB.finditer(line.text))
        start = line.start + crumbs[-1].end() if crumbs else line.start
        return self._span_of(start, line.end)

    # ------------------------------------------------------------------ body

    def _body(
        self, kinds: list[_Kind], body_start: int, title_key: str | None, title_index: int | None
    ) -> list[Span]:
        candidates: list[_Line] = []
        i = body_start
        while i < len(self.lines):
            line, kind = self.lines[i], kinds[i]
            if i == title_index:
                self._strip(line, BlockKind.TITLE)
            elif kind is _Kind.RELATED:
                i = self._related_block(kinds, i)
                continue
            elif kind is not _Kind.TEXT:
                self._strip_marked(line, kind)
            elif line.key == title_key:
                self._strip(line, BlockKind.DUPLICATE)
            elif line.key in self.related_urls:
                self._add_related([line])
            else:
                candidates.append(line)
            i += 1
        return [self._span(line) for line in self._without_tail(candidates, kinds)]

    def _without_tail(self, candidates: list[_Line], kinds: list[_Kind]) -> list[_Line]:
        """Short lines after the last body sentence are page tail ("most read" lists, tags) when page
        chrome follows them; without chrome after them they end the article (a poem, a list)."""
        from_the_end = (k for k in range(len(candidates) - 1, -1, -1) if _sentence_like(candidates[k]))
        last = next(from_the_end, len(candidates) - 1)
        if last + 1 < len(candidates):
            after = self.lines.index(candidates[last]) + 1 if last >= 0 else 0
            if any(kind in (_Kind.CHROME, _Kind.FOOTER) for kind in kinds[after:]):
                for line in candidates[last + 1 :]:
                    self._strip(line, BlockKind.CHROME)
                return candidates[: last + 1]
        return candidates

    def _related_block(self, kinds: list[_Kind], marker_index: int) -> int:
        """Strip a related-news block (marker, then headline-like lines); return where the body resumes."""
        marker = self.lines[marker_index]
        self._strip(marker, BlockKind.RELATED)
        inline = self._related_marker(marker)
        if inline:  # "اقرأ أيضا: headline" on one line
            self.related.append(self._span_of(marker.end - len(inline), marker.end, RelatedLink))
            return marker_index + 1
        items: list[_Line] = []
        i = marker_index + 1
        while i < len(self.lines) and len(items) < RELATED_MAX_ITEMS:
            line = self.lines[i]
            if kinds[i] is not _Kind.TEXT or _sentence_like(line) or line.text.endswith((":", "،", ",")):
                break
            items.append(line)
            i += 1
        self._add_related(items)
        return i

    def _add_related(self, items: list[_Line]) -> None:
        """Cards give an image caption then a headline; a plain list gives headlines only."""
        firsts = items[0::2]
        paired = len(items) % 2 == 0 and not any(_HEADLINE_CUES.search(line.text) for line in firsts)
        if paired:
            for image, headline in zip(items[0::2], items[1::2], strict=True):
                self._link(headline, self._span(image))
                self._strip(image, BlockKind.RELATED)
        else:
            for headline in items:
                self._link(headline, None)

    def _link(self, headline: _Line, image_caption: Span | None) -> None:
        url = self.related_urls.get(headline.key)
        self.related.append(self._span(headline, RelatedLink, image_caption=image_caption, url=url))
        self._strip(headline, BlockKind.RELATED)

    def _related_marker(self, line: _Line) -> str | None:
        """None when the line does not open a related block; "" for a bare marker; the headline
        text for "marker: headline" on one line."""
        if not line.key.startswith(self.markers.related):
            return None
        for marker in self.markers.related:
            if line.key == marker:
                return ""
            if line.key.startswith(marker) and ":" in line.text[: len(marker) + 3]:
                return line.text[line.text.index(":") + 1 :].strip()
        return None

    # ------------------------------------------------------------------ captions

    def _credit(self, line: _Line) -> tuple[int, int, int] | None:
        """(caption end, credit start, credit end) in original offsets when the line is a captioned
        photo: "text المصدر: رويترز" (even glued: "سورياالمصدر:"), or "text (رويترز)"."""
        if line.words > CAPTION_MAX_WORDS or not self.markers.may_credit(line.key):
            return None
        norm = normalize(line.text)
        lowered = norm.text.lower()
        for prefix in self.markers.credit_prefixes:
            at = lowered.find(prefix)
            if at < 0 or (not prefix.endswith(":") and not _CREDIT_LEAD.search(lowered[:at])):
                continue  # a bare "تصوير" credits only at the start or after a separator
            credit = lowered[at + len(prefix) :].strip(_EDGE_PUNCTUATION)
            if credit and len(credit.split()) <= CREDIT_MAX_WORDS:
                caption_end = norm.to_original(at)
                credit_start, credit_end = self._trimmed(
                    line.text, norm.to_original(at + len(prefix)), len(line.text)
                )
                return line.start + caption_end, line.start + credit_start, line.start + credit_end
        tail = lowered.rstrip(_EDGE_PUNCTUATION)
        for agency in self.markers.agencies:
            if tail.endswith(agency) and re.search(r"[(\[/\-–]\s*$", tail[: -len(agency)]):
                at = len(tail) - len(agency)
                caption_end = norm.to_original(re.search(r"\s*[(\[/\-–]\s*$", tail[:at]).start())
                credit_start, credit_end = norm.span_to_original(at, len(tail))
                return line.start + caption_end, line.start + credit_start, line.start + credit_end
        return None

    def _caption(self, line: _Line) -> None:
        credit = self._credit(line)
        if credit is None:
            caption = self._span(line, Caption)
        else:
            caption_end, credit_start, credit_end = credit
            start, end = self._trimmed(self.page.text, line.start, caption_end)
            caption = self._span_of(start, end, Caption, credit=self._span_of(credit_start, credit_end))
        self.captions.append(caption)
        self._strip(line, BlockKind.CAPTION)

    @staticmethod
    def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
        while start < end and text[start] in _EDGE_PUNCTUATION:
            start += 1
        while end > start and text[end - 1] in _EDGE_PUNCTUATION:
            end -= 1
        return start, end

    # ------------------------------------------------------------------ publication time and outlet

    def _published(self, raw: RawDocument) -> tuple[Span | None, str | None]:
        """The dateline that says "published" (else the first plain one, else an update); else the
        page's metadata date; else the container's."""
        rank = {"published": 0, None: 1, "updated": 2}
        dated = [(line, reading) for line, reading in self.datelines if reading.value is not None]
        if dated:
            line, reading = min(dated, key=lambda item: rank[item[1].cue])
            return self._span(line), reading.value
        for hint in (self.page.published, raw.published_hint):
            value = parse_container_date(hint) if hint else None
            if value is not None:
                return None, value
        return None, None

    def _outlet(self, raw: RawDocument, kinds: list[_Kind]) -> str | None:
        """The outlet's KB display name: by the URL's host, the name the container or the page gives
        (a name unknown to the KB is kept as given), or the copyright line."""
        media = self.kb.derived(_Media.of)
        host = (urlsplit(raw.url).hostname or "").removeprefix("www.") if raw.url else ""
        by_host = media.by_host(host) if host else None
        if by_host is not None:
            return by_host
        for given in (raw.outlet, *self.page.site_names):
            wanted = _key(given) if given else None
            if wanted and wanted in media.names:
                return media.names[wanted]
        if raw.outlet:
            return raw.outlet
        for line, kind in zip(self.lines, kinds, strict=True):
            if kind is _Kind.FOOTER:
                for match in self.kb.lexicon.scan(normalize(line.text).text).get(ENTITY_CATEGORY, []):
                    record = self.kb.entities.get(match.payload)
                    if record is not None and record.subtype == "media":
                        return record.name_ar
        return None

    # ------------------------------------------------------------------ spans and blocks

    def _strip_marked(self, line: _Line, kind: _Kind) -> None:
        if kind is _Kind.CAPTION:
            self._caption(line)
        elif kind is _Kind.RELATED:
            self._strip(line, BlockKind.RELATED)
        elif kind is not _Kind.DATELINE:  # datelines are stripped once their reading is chosen
            self._strip(line, BlockKind.FOOTER if kind is _Kind.FOOTER else BlockKind.CHROME)

    def _strip(self, line: _Line, kind: BlockKind) -> None:
        self.blocks.append(self._span(line, Block, kind=kind))

    @staticmethod
    def _span(line: _Line, model: type[_S] = Span, **fields: Any) -> _S:
        """A line as ``model``: its text is the page's text at its offsets already."""
        return model(start=line.start, end=line.end, text=line.text, **fields)

    def _span_of(self, start: int, end: int, model: type[_S] = Span, **fields: Any) -> _S:
        """A span of the page text as ``model`` (Span, or a Block, Caption … with ``fields``)."""
        return model(start=start, end=end, text=self.page.text[start:end], **fields)
