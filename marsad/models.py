"""Marsad's data model: every stage reads and writes these types, nothing else.

Every extracted item carries ``start``/``end`` character offsets into ``Article.text`` (the decoded
original text of the page; for HTML, the text rendition of the page, with the markup kept in
``RawDocument.text``, see ``marsad.clean.html``), and ``text`` equal to ``Article.text[start:end]``,
so the evidence can always be shown.  A field we cannot determine is ``None``/empty, never guessed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Model):
    """A piece of evidence: a character range into ``Article.text`` and the text found there."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


# --------------------------------------------------------------------------- ingest

ContentType = Literal["text", "html"]


class RawDocument(Model):
    """One page as it came in, decoded to ``str``; the only output of ``marsad.ingest``."""

    source: str = Field(description="where it came from: path, path#line for JSONL, WARC record id")
    text: str = Field(description="the page text (plain text, or HTML markup when content_type=html)")
    content_type: ContentType = "text"
    encoding: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_hint: str | None = Field(default=None, description="a date supplied by the container")
    title_hint: str | None = None
    section_hint: str | None = None


class Rejection(Model):
    """An input that could not become an Article, and why (no exception escapes the pipeline)."""

    source: str
    reason: str
    detail: str = ""


# --------------------------------------------------------------------------- clean


class BlockKind(StrEnum):
    """What a stripped (non-body) block of the page was."""

    CHROME = "chrome"  # logo, share/follow prompts, menus
    FOOTER = "footer"  # copyright lines
    RELATED = "related"  # "أخبار ذات علاقة" marker and its items
    CAPTION = "caption"
    TITLE = "title"
    SECTION = "section"
    LABEL = "label"
    DATELINE = "dateline"
    DUPLICATE = "duplicate"  # e.g. the title repeated
    OTHER = "other"


class Block(Span):
    kind: BlockKind


class Caption(Span):
    """A photo caption; ``credit`` is the agency/photographer named after "المصدر:" and the like."""

    credit: Span | None = None


class RelatedLink(Span):
    """A "related news" item: its headline (this span) and the caption of its image when given."""

    image_caption: Span | None = None
    url: str | None = None


# --------------------------------------------------------------------------- text


class Sentence(Span):
    paragraph: int = Field(description="index into Article.paragraphs")


# --------------------------------------------------------------------------- entities


class EntityType(StrEnum):
    PERSON = "PERSON"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"
    FACILITY = "FACILITY"


class Entity(Model):
    """A canonical referent: from the knowledge base, or minted for an unknown name (``kb=False``).
    Immutable: one knowledge-base entity is shared by every article that names it, so a change made
    through one article would show in all the others."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name_ar: str
    name_en: str | None = None
    type: EntityType
    subtype: str | None = None
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    kb: bool = True


class Mention(Span):
    entity_id: str
    type: EntityType
    how: Literal["kb", "demonym", "title_rule", "anaphora", "pattern"] = "kb"
    title: str | None = Field(default=None, description="a title before a person's name, e.g. الجنرال")


# --------------------------------------------------------------------------- time


class TimeType(StrEnum):
    """TIMEX3 types, so evaluation against TimeML gold is direct."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class TimeExpression(Span):
    type: TimeType
    value: str | None = Field(
        default=None,
        description="ISO 8601: 2025-05-27, 2025-04, 2024, 2025-01-01/2025-04-30 (interval), P1Y, P1Y/P2Y",
    )
    anchored: bool = Field(default=False, description="value computed relative to the publication date")
    weekday_consistent: bool | None = Field(
        default=None, description="a named weekday agrees with the computed date (None: nothing to check)"
    )


# --------------------------------------------------------------------------- quantities


class Quantity(Span):
    value: float
    unit: str | None = Field(default=None, description="canonical unit noun: soldier, attack, base, ...")
    unit_span: Span | None = None
    approximate: bool = False
    bound: Literal["at_least", "at_most", "more_than", "less_than"] | None = None
    part_of: int | None = Field(default=None, description="index of the Quantity this is a part of (من أصل)")
    change_to: int | None = Field(
        default=None, description="index of the Quantity this changes into (من … إلى)"
    )


# --------------------------------------------------------------------------- attribution and events


class AttributionKind(StrEnum):
    NAMED = "named"  # a named person
    NAMED_ORGANISATION = "named_organisation"
    ANONYMOUS = "anonymous"  # مصادر دبلوماسية غربية
    REPORT = "report"  # تقرير معهد واشنطن
    ESTIMATE = "estimate"  # تقديرات غير رسمية
    OUTLET = "outlet"  # لـ"إرم نيوز" / the outlet itself


class Attribution(Span):
    """Who says so: a source named in the text (this span) and the kind of source it is."""

    kind: AttributionKind
    entity_id: str | None = None
    sentence: int | None = Field(default=None, description="index into Article.sentences")


class Modality(StrEnum):
    REPORTED = "reported"
    ANNOUNCED = "announced"
    PLANNED = "planned"
    EXPECTED = "expected"
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"


class Role(Span):
    """A participant or circumstance of an event; the span is its evidence in the text."""

    role: Literal["actor", "target", "place", "facility", "source"]
    entity_id: str | None = None
    inferred: bool = Field(
        default=False,
        description="taken from the discourse, not the event's clause: the span is the antecedent mention",
    )


class Event(Span):
    """A sentence-level event; the span is its sentence (or clause), ``trigger`` the word that types it."""

    type: str
    plover: str | None = None
    trigger: Span
    sentence: int
    roles: list[Role] = Field(default_factory=list)
    time: int | None = Field(default=None, description="index into Article.times")
    quantities: list[int] = Field(default_factory=list, description="indexes into Article.quantities")
    modality: Modality = Modality.REPORTED
    attribution: int | None = Field(default=None, description="index into Article.attributions")
    negated: bool = False


# --------------------------------------------------------------------------- the article


class Article(Model):
    id: str = Field(description="sha256 of the original text: same content, same id")
    source: str
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    text: str = Field(description="the original text every offset points into")
    title: Span | None = None
    section: Span | None = None
    labels: list[Span] = Field(default_factory=list)
    published: str | None = Field(default=None, description="ISO 8601 publication time, local to the outlet")
    dateline: Span | None = None
    paragraphs: list[Span] = Field(default_factory=list, description="the body, paragraph by paragraph")
    captions: list[Caption] = Field(default_factory=list)
    related: list[RelatedLink] = Field(default_factory=list)
    boilerplate: list[Block] = Field(default_factory=list, description="what was stripped, kept for display")
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)
