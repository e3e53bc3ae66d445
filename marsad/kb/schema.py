"""Schemas of the knowledge-base data files (validated on load, so a bad edit fails loudly)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from marsad.models import EntityType, Modality


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityRecord(Strict):
    """One canonical referent of ``entities/*.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9_.:-]+$")
    name_ar: str
    name_en: str
    type: EntityType
    subtype: str | None = Field(
        default=None, description="state, armed_group, coalition, government, media, ..."
    )
    aliases: list[str] = Field(default_factory=list, description="Arabic surface forms besides name_ar")
    aliases_en: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(
        default_factory=list, description="masculine adjective stems (أمريكي); inflections are derived"
    )
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: str | None = Field(default=None, description="id of the state a place or body belongs to")
    seat_of: str | None = Field(
        default=None,
        description="id of the state or body governed from this city, whose name stands for it (ترفض طهران)",
    )
    domains: list[str] = Field(default_factory=list, description="web domains of a media outlet")

    @model_validator(mode="after")
    def _places_have_both_coordinates(self) -> EntityRecord:
        if (self.lat is None) != (self.lon is None):
            raise ValueError(f"{self.id}: lat and lon go together")
        return self


class EntityFile(Strict):
    source: str = Field(default="", description="where the facts come from")
    entities: list[EntityRecord]


class LexiconEntry(Strict):
    """Forms that mean one thing (``value``) for the extractor that owns the category."""

    forms: list[str] = Field(min_length=1)
    value: Any = None
    article: bool | None = None
    suffixes: list[str] | None = None
    proclitics: bool | None = None


class LexiconFile(Strict):
    """``lexicon/*.yaml``: one category of dictionary forms, with defaults for how they inflect."""

    category: str = Field(pattern=r"^[a-z_]+$")
    description: str = ""
    article: bool = False
    suffixes: list[str] = Field(default_factory=list)
    proclitics: bool = True
    entries: list[LexiconEntry]


class EventTypeRecord(Strict):
    """One of Marsad's event types in ``ontology.yaml``, mapped to PLOVER where one fits."""

    id: str = Field(pattern=r"^[a-z_]+$")
    plover: str | None = Field(default=None, description="PLOVER event category, None for no equivalent")
    description: str
    takes_content: bool = Field(
        default=False, description="its object is another action (opposes/warns of/expects X): X is no event"
    )
    modality: Modality | None = Field(default=None, description="the modality the type itself implies")
    roles: list[str] = Field(
        default=["actor", "target", "place", "facility"],
        description="the roles the type takes: a withdrawal or a negotiation has no target",
    )
    sources_act: bool = Field(
        default=False, description="a reporting body (outlet, think tank, monitor) can be its actor"
    )
    discourse_place: bool = Field(
        default=True,
        description="without a place in its clause it takes the discourse's (an attack, a protest); "
        "not an act of saying, agreeing or sanctioning, which happens where its actors are",
    )


class RoleRules(Strict):
    """Which entities may fill an event's actor: data, because it is knowledge of the news world."""

    outlet_subtypes: list[str] = Field(default_factory=list, description="entity subtypes that are media")
    source_subtypes: list[str] = Field(
        default_factory=list, description="bodies that report or assess: a source, never an attacker"
    )
    place_subtypes: list[str] = Field(
        default_factory=list, description="GPE/LOC subtypes that are places, not actors"
    )
    place_specificity: list[str] = Field(
        default_factory=list, description="place subtypes, most specific first (city before state)"
    )


class OntologyFile(Strict):
    """``ontology.yaml``: the event types extractors may emit, and who may fill their roles."""

    source: str = ""
    roles: RoleRules = Field(default_factory=RoleRules)
    event_types: list[EventTypeRecord]


class LayoutFile(Strict):
    """``layout.yaml``: line-level markers of page chrome, for telling an article's body from its page."""

    description: str = ""
    chrome: list[str] = Field(default_factory=list, description="lines that are logos, menus, share prompts")
    footer: list[str] = Field(default_factory=list, description="a line containing one is a footer")
    related: list[str] = Field(default_factory=list, description="lines that open a related-news block")
    labels: list[str] = Field(default_factory=list, description="short header lines that tag the article")
    credit_prefixes: list[str] = Field(default_factory=list, description="a caption's credit follows these")
    agencies: list[str] = Field(default_factory=list, description="credits that end a caption line")
    published_cues: list[str] = Field(default_factory=list)
    updated_cues: list[str] = Field(default_factory=list)
    am_markers: list[str] = Field(default_factory=list)
    pm_markers: list[str] = Field(default_factory=list)
    utc_markers: list[str] = Field(default_factory=list)
    hijri_markers: list[str] = Field(default_factory=list)
