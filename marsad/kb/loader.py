"""Load the shipped knowledge base once per process and build the single matching automaton."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, cast

import yaml

from marsad.kb.schema import (
    EntityFile,
    EntityRecord,
    EventTypeRecord,
    LayoutFile,
    LexiconFile,
    OntologyFile,
    RoleRules,
)
from marsad.text.lexicon import Lexicon

DATA_DIR = Path(__file__).parent / "data"
YOUNG_COLLECTION_THRESHOLD = 10_000  # net new container objects between two young collections
ONTOLOGY_FILE = "ontology.yaml"
LAYOUT_FILE = "layout.yaml"
ENTITY_CATEGORY = "entity"
DEMONYM_CATEGORY = "demonym"
# Inflections of a masculine adjective stem (أمريكي → أمريكية/أمريكيا/أمريكيون …), after normalisation.
DEMONYM_SUFFIXES = ("ه", "ا", "ين", "ون", "ان", "ات", "تين", "تان")

T = TypeVar("T")
# libyaml's parser when PyYAML was built with it: the same data ~7x faster (0.06 s instead of 0.4 s of
# CPU for the shipped files), paid by every process that builds or checks the knowledge base.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeBaseError(ValueError):
    """A data file is missing or does not follow its schema."""


@dataclass
class KnowledgeBase:
    entities: dict[str, EntityRecord]
    lexicons: dict[str, LexiconFile]
    lexicon: Lexicon = field(repr=False)
    event_types: dict[str, EventTypeRecord] = field(default_factory=dict)
    layout: LayoutFile = field(default_factory=LayoutFile)
    role_rules: RoleRules = field(default_factory=RoleRules)
    _derived: dict[Callable[..., object], object] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def entity(self, entity_id: str) -> EntityRecord:
        return self.entities[entity_id]

    def derived(self, build: Callable[[KnowledgeBase], T]) -> T:
        """``build(self)``, made on first use and kept with this knowledge base: the lookup tables the
        extractors make from it (the alias index, the unit symbols …) are built once, not per article."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return cast(T, self._derived[build])


def _read_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path}: {exc}") from exc


def _validate(model, path: Path):
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValueError as exc:
        raise KnowledgeBaseError(f"{path.name}: {exc}") from exc


def load_kb_from(data_dir: Path) -> KnowledgeBase:
    entities, lexicons = _read_records(data_dir)
    return KnowledgeBase(
        entities,
        lexicons,
        _build_lexicon(entities, lexicons),
        load_event_types(data_dir),
        load_layout(data_dir),
        load_role_rules(data_dir),
    )


def check_kb(data_dir: Path | None = None) -> None:
    """Raise :class:`KnowledgeBaseError` if the knowledge base would not load, without building it: a
    client whose workers build their own (``marsad ingest``/``extract`` on Dask) fails before it opens
    any output, at a fraction of the memory and time of :func:`load_kb` (the shipped one by default)."""
    data_dir = data_dir or DATA_DIR
    _read_records(data_dir)
    load_event_types(data_dir)
    load_layout(data_dir)
    load_role_rules(data_dir)


def _read_records(data_dir: Path) -> tuple[dict[str, EntityRecord], dict[str, LexiconFile]]:
    """The entity and lexicon files, validated against their schemas and checked for repeated ids."""
    entities: dict[str, EntityRecord] = {}
    for path in sorted((data_dir / "entities").glob("*.yaml")):
        for record in _validate(EntityFile, path).entities:
            if record.id in entities:
                raise KnowledgeBaseError(f"{path}: duplicate entity id {record.id}")
            entities[record.id] = record
    for record in entities.values():
        if record.seat_of is not None and record.seat_of not in entities:
            raise KnowledgeBaseError(f"{record.id}: seat_of names no entity ({record.seat_of})")
    lexicons: dict[str, LexiconFile] = {}
    for path in sorted((data_dir / "lexicon").glob("*.yaml")):
        lex = _validate(LexiconFile, path)
        if lex.category in lexicons:
            raise KnowledgeBaseError(f"{path}: category {lex.category} defined twice")
        lexicons[lex.category] = lex
    return entities, lexicons


def load_layout(data_dir: Path) -> LayoutFile:
    """Page-layout markers for clean (none when the data folder has no layout file)."""
    path = data_dir / LAYOUT_FILE
    return _validate(LayoutFile, path) if path.exists() else LayoutFile()


def load_role_rules(data_dir: Path) -> RoleRules:
    """Who may fill an event's roles (no rules when the data folder has no ontology)."""
    path = data_dir / ONTOLOGY_FILE
    return _validate(OntologyFile, path).roles if path.exists() else RoleRules()


def load_event_types(data_dir: Path) -> dict[str, EventTypeRecord]:
    """The event ontology by type id (empty when the data folder has none)."""
    path = data_dir / ONTOLOGY_FILE
    if not path.exists():
        return {}
    event_types: dict[str, EventTypeRecord] = {}
    for record in _validate(OntologyFile, path).event_types:
        if record.id in event_types:
            raise KnowledgeBaseError(f"{path}: duplicate event type {record.id}")
        event_types[record.id] = record
    return event_types


def _build_lexicon(entities: dict[str, EntityRecord], lexicons: dict[str, LexiconFile]) -> Lexicon:
    lexicon = Lexicon()
    for record in entities.values():
        # dict.fromkeys, not a set: drops repeats in a fixed order, so two surfaces with one normalised
        # form give their readings in the same order in every process.
        for surface in dict.fromkeys((record.name_ar, *record.aliases)):
            lexicon.add(ENTITY_CATEGORY, surface, record.id)
        for surface in dict.fromkeys((record.name_en, *record.aliases_en)):
            lexicon.add(ENTITY_CATEGORY, surface, record.id, proclitics=False)
        for stem in record.demonyms:
            lexicon.add(DEMONYM_CATEGORY, stem, record.id, article=True, suffixes=DEMONYM_SUFFIXES)
    for lex in lexicons.values():
        for entry in lex.entries:
            for form in entry.forms:
                lexicon.add(
                    lex.category,
                    form,
                    entry.value,
                    article=lex.article if entry.article is None else entry.article,
                    suffixes=lex.suffixes if entry.suffixes is None else entry.suffixes,
                    proclitics=lex.proclitics if entry.proclitics is None else entry.proclitics,
                )
    lexicon.freeze()
    return lexicon


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The shipped knowledge base (cached: built once per process).

    It lives as long as the process, so its objects are moved out of the garbage collector's reach
    (``gc.freeze``): otherwise every full collection during a batch walks all of them again (~10 % of
    the CPU time of an ingest).  And the youngest generation is collected every 10,000 net new objects
    instead of 700: an article's objects are freed by reference counting (processing one leaves no
    reference cycle, ``tests/test_pipeline.py``), so at the default a collection ran several times
    per article only to find its live objects (~2 % of the pipeline's time)."""
    kb = load_kb_from(DATA_DIR)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    return kb
