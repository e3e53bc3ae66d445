"""Entities: knowledge-base names, demonyms, and rules for names the KB does not know.

One pass over the article's lexicon matches.  Candidates come from

* KB names (``entity``) and nationality adjectives (``demonym``);
* a facility head (قاعدة، قاعدتي، مطار …) followed by a quoted name, a known facility, or a coordinated
  list of them — this is also how an ambiguous name (الفرات: river or base) gets its facility reading;
* an organisation head (معهد، صحيفة، جامعة …) followed by a quoted name or a known place;
* a person title (الجنرال، وزير الخارجية …), optionally a nationality adjective, then a 1–3 word name.

Overlapping candidates are resolved longest first (قوات سوريا الديمقراطية beats سوريا; شمال شرقي سوريا
beats سوريا).  A KB surface with several readings is linked only when the article supports one of
them; otherwise it is left out.  Finally a definite description (التنظيم، الحكومة …) is linked to the
most recent compatible entity named before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter

from pydantic import TypeAdapter

from marsad.extract.clauses import word_start
from marsad.kb.loader import DEMONYM_CATEGORY, ENTITY_CATEGORY, KnowledgeBase
from marsad.kb.schema import EntityRecord
from marsad.models import Entity, EntityType, Mention
from marsad.text.analysis import NAME_STOP, Analysis
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import normalize_key

PERSON_TITLE = "person_title"
TITLE_MODIFIER = "title_modifier"
ORG_HEAD = "org_head"
FACILITY_HEAD = "facility_head"
ANAPHOR = "anaphor"
GIVEN_NAME = "given_name"
CONTEXT_NAME = "context_name"
SPEECH_VERB = "speech_verb"

_NAME_WORD = re.compile(r"[\u0621-\u064a]{2,}")
# Quoted names: straight quotes after normalisation (« » “ ” all become '"').
_QUOTED = re.compile(r'"([^"\n]{2,60})"')
_LIST_JOINER = re.compile(r" ?(?:،|,)? ?(و)?")
_NAME_CONNECTORS = {"بن", "بنت", "ابن", "ال", "ابو", "ابي", "عبد", "دي", "فان", "ولد"}
_MAX_NAME_WORDS = 3
# A kunya before a given name (أبو كريم, وأم محمد) and عبد + a divine name (عبد الحميد, عبدالرزاق).
_KUNYA = re.compile(r"(?<![\u0621-\u064a])[وف]?(ابو|ام) ")
_KUNYA_ENDS = ("ابو ", "ام ")  # how a match of _KUNYA ends
# Searched from its first letters (fast) and kept when it starts a word, after و/ف/ب/ل at most.
_DIVINE_COMPOUND = re.compile(r"عبد ?ال[\u0621-\u064a]{3,}")
_DIVINE_PROCLITICS = ("و", "ف", "ب", "ل")
_MAX_PERSON_WORDS = 4  # given name, father's, grandfather's, family name
_MAX_QUOTED_WORDS = 5
_NAMED_AFTER_PLACES = {"city", "province"}  # مطار دمشق، جامعة القاهرة (not جامعة الدول)
_VERB_PREFIXES = ("ي", "ت")
_CLITIC_ARTICLE = ("بال", "لل", "وال", "فال", "كال")
_PRONOUN_SUFFIXES = ("ها", "هم", "هما", "كم")
_MAX_CLITICS = 4  # وبال / فلل: the longest proclitics the lexicon lets before a word (tested)
_START = itemgetter(0)  # of a LexMatch
_BY_START, _BY_END = attrgetter("start"), attrgetter("end")  # of a _Candidate
# How strongly a candidate claims its span when lengths tie: rules read context, KB names do not.
_RULE, _KB, _DEMONYM = 0, 1, 2


@dataclass(slots=True)
class _Candidate:
    start: int  # normalised offsets
    end: int
    entity: Entity
    how: str
    rank: int
    title: tuple[int, int] | None = None


@dataclass(frozen=True)
class _KbTables:
    """What the rules read of a knowledge base, built once per knowledge base rather than per mention:
    each entity as an ``Entity`` (validated once and shared by every article that names it, as the
    ``EntityRecord`` it comes from is), the normalised-name index, and the first words anaphora
    compare.  The people and the countries by id let the per-article pass over the KB matches read
    ids only, not the entities behind them."""

    entities: dict[str, Entity]
    alias_index: dict[str, list[str]]
    first_words: dict[str, set[str]]
    person_ids: frozenset[str]
    countries: dict[str, str]  # an entity's id -> its state's, for the entities in a state


def _tables(kb: KnowledgeBase) -> _KbTables:
    """Built once per knowledge base (``kb.derived(_tables)``)."""
    entities = {record.id: _kb_entity(record) for record in kb.entities.values()}
    index: dict[str, list[str]] = defaultdict(list)
    for record in kb.entities.values():
        for name in {record.name_ar, *record.aliases}:
            index[normalize_key(name)].append(record.id)
    first_words = {i: _first_words(entity) for i, entity in entities.items()}
    person_ids = frozenset(i for i, entity in entities.items() if entity.type == EntityType.PERSON)
    countries = {i: entity.country for i, entity in entities.items() if entity.country}
    return _KbTables(entities, dict(index), first_words, person_ids, countries)


class _Occupied:
    """The normalised characters taken by chosen mentions, one byte each, so an overlap test is one
    scan of the candidate's own range instead of a comparison with every mention.  Candidates are
    never empty, so covering characters is the same as overlapping spans."""

    __slots__ = ("_chars",)

    def __init__(self, length: int) -> None:
        self._chars = bytearray(length)

    def overlaps(self, start: int, end: int) -> bool:
        return self._chars.find(1, start, end) >= 0

    def take(self, start: int, end: int) -> None:
        self._chars[start:end] = b"\x01" * (end - start)


class _StopWords:
    """Where the words that end a name (``name_stop``) begin.  The scan gives those places as a set
    (a word-start category of the analysis: no match is made for them); the rules ask about a few dozen
    places, so the regions are tested only there."""

    __slots__ = ("_analysis", "_starts")

    def __init__(self, analysis: Analysis) -> None:
        self._analysis = analysis
        self._starts = analysis.word_starts[NAME_STOP]

    def __contains__(self, position: int) -> bool:
        """A stop word in the analysed regions begins at ``position``, proclitics included."""
        return position in self._starts and self._analysis.in_normalized_regions(position)


@dataclass(slots=True)
class _Context:
    """Per-article lookups over the lexicon matches, by normalised start offset."""

    analysis: Analysis
    tables: _KbTables
    entities: dict[str, Entity]  # ``tables.entities``
    norm: str
    kb_names: list[LexMatch]  # sorted by start; readings of one span side by side
    kb_spans: dict[tuple[int, int], list[str]]  # the readings (entity ids) of each KB name's span
    not_person_at: set[int]  # a KB name of a place or a body
    demonyms: list[LexMatch]
    titles: list[LexMatch]
    given_names: list[LexMatch]
    demonym_at: dict[int, LexMatch]
    modifier_at: dict[int, LexMatch]
    stop_at: _StopWords
    given_at: set[int]  # given names and عبد + a divine name
    divine_compounds: list[int]
    not_name_at: set[int]  # a title, demonym or modifier (or a stop word: ``stop_at``)


def extract_entities(analysis: Analysis, kb: KnowledgeBase) -> tuple[list[Mention], list[Entity]]:
    ctx = _context(analysis, kb.derived(_tables))
    candidates: list[_Candidate] = []
    titles: dict[int, tuple[int, int]] = {}
    for head in analysis.found(FACILITY_HEAD):
        candidates.extend(_facility_names(ctx, head))
    for head in analysis.found(ORG_HEAD):
        candidates.extend(_org_names(ctx, head))
    for title in ctx.titles:
        name_start, person = _titled_person(ctx, title)
        if name_start is not None:
            titles[name_start] = (_surface_start(title), title.end)
        if person is not None:
            candidates.append(person)
    candidates.extend(_named_persons(ctx))
    candidates.extend(_kb_candidates(ctx))
    for m in ctx.demonyms:
        candidates.append(_Candidate(_surface_start(m), m.end, ctx.entities[m.payload], "demonym", _DEMONYM))
    occupied = _Occupied(len(ctx.norm))
    chosen = _without_overlaps(candidates, occupied)
    for c in chosen:
        if c.entity.type == EntityType.PERSON and c.title is None:
            c.title = titles.get(c.start)
    context_names = _context_names(ctx, chosen, occupied)
    for c in context_names:
        occupied.take(c.start, c.end)
    chosen.extend(context_names)
    chosen.extend(_surname_repeats(ctx, chosen, occupied))
    chosen.sort(key=_BY_START)  # chosen spans do not overlap: each start is another mention's
    links = _anaphora(ctx, chosen, occupied)
    if links:
        chosen.extend(links)
        chosen.sort(key=_BY_START)
    return _mentions(analysis, chosen)


def _context(analysis: Analysis, tables: _KbTables) -> _Context:
    """Lookups are keyed by where the word begins, proclitics included, so a rule reading the text
    word by word finds them.  Each category's matches are asked for once."""
    norm = analysis.norm.text
    person_ids = tables.person_ids
    kb_names = analysis.found(ENTITY_CATEGORY)
    kb_spans: dict[tuple[int, int], list[str]] = defaultdict(list)
    not_person_at: set[int] = set()
    for m in kb_names:
        start, end, _, prefix, _ = m
        entity_id = m.payload
        if entity_id not in person_ids:
            not_person_at.add(word_start(m))
        readings = kb_spans[start - 2 if prefix.endswith("ال") else start, end]  # _surface_start(m)
        if entity_id not in readings:
            readings.append(entity_id)
    demonyms = analysis.found(DEMONYM_CATEGORY)
    titles = analysis.found(PERSON_TITLE)
    given_names = analysis.found(GIVEN_NAME)
    demonym_at = {word_start(m): m for m in demonyms}
    modifier_at = {word_start(m): m for m in analysis.found(TITLE_MODIFIER)}
    title_at = {word_start(m) for m in titles}
    stop_at = _StopWords(analysis)
    divine_compounds = _divine_compounds(norm)
    given_at = {word_start(m) for m in given_names}.union(divine_compounds)
    return _Context(
        analysis=analysis,
        tables=tables,
        entities=tables.entities,
        norm=norm,
        kb_names=kb_names,
        kb_spans=kb_spans,
        not_person_at=not_person_at,
        demonyms=demonyms,
        titles=titles,
        given_names=given_names,
        demonym_at=demonym_at,
        modifier_at=modifier_at,
        stop_at=stop_at,
        given_at=given_at,
        divine_compounds=divine_compounds,
        not_name_at=title_at | demonym_at.keys() | modifier_at.keys(),
    )


def _divine_compounds(norm: str) -> list[int]:
    """Where عبد + a divine name begins (عبد الحميد, وعبدالرزاق: at عبد), as the word-initial pattern
    ``(?<!L)[وفبل]?(عبد ?الL{3,})`` would find it, without trying its lookbehind at every character."""
    starts = []
    for m in _DIVINE_COMPOUND.finditer(norm):
        start = m.start()
        if not _is_letter(norm, start - 1) or (
            norm[start - 1] in _DIVINE_PROCLITICS and not _is_letter(norm, start - 2)
        ):
            starts.append(start)
    return starts


def _surface_start(m: LexMatch) -> int:
    """Start of the evidence: the word with its article (التحالف, الروسية) but without و/ب/ل."""
    return m.start - 2 if m.prefix.endswith("ال") else m.start


# --------------------------------------------------------------------------- KB names


def _kb_entity(record: EntityRecord) -> Entity:
    return Entity(
        id=record.id,
        name_ar=record.name_ar,
        name_en=record.name_en,
        type=record.type,
        subtype=record.subtype,
        aliases=record.aliases,
        lat=record.lat,
        lon=record.lon,
        country=record.country,
    )


def _kb_candidates(ctx: _Context) -> Iterable[_Candidate]:
    """One candidate per KB span: the entity of its one reading, or for a span with several (عمان:
    Amman or Oman) the one the article supports, if any.  Few articles have such a span (three in a
    hundred), so what the article settles is gathered only for them."""
    ambiguous: list[tuple[int, int, list[str]]] = []
    for (start, end), readings in ctx.kb_spans.items():
        if len(readings) == 1:
            yield _Candidate(start, end, ctx.entities[readings[0]], "kb", _KB)
        else:
            ambiguous.append((start, end, readings))
    if not ambiguous:
        return
    settled = _settled(ctx)
    for start, end, readings in ambiguous:
        entity = _disambiguate([ctx.entities[i] for i in readings], settled)
        if entity is not None:
            yield _Candidate(start, end, entity, "kb", _KB)


def _settled(ctx: _Context) -> set[str]:
    """The entities and states the article names without doubt: its KB spans of one reading, their
    states, and the states of its demonyms ("طرابلس الليبية")."""
    settled = {readings[0] for readings in ctx.kb_spans.values() if len(readings) == 1}
    settled |= {country for i in settled if (country := ctx.tables.countries.get(i))}
    settled |= {m.payload for m in ctx.demonym_at.values()}
    return settled


def _disambiguate(records: list[Entity], settled: set[str]) -> Entity | None:
    """The reading of an ambiguous span: the one left when the facility readings are set aside, else
    the only one whose entity or state the article settles."""
    if len(records) > 1:  # a bare facility name is a facility only after a facility head
        records = [r for r in records if r.type != EntityType.FACILITY] or records
    if len(records) == 1:
        return records[0]
    supported = [r for r in records if r.id in settled or r.country in settled]
    return supported[0] if len(supported) == 1 else None


# --------------------------------------------------------------------------- facility and org heads


def _quoted_at(ctx: _Context, pos: int) -> tuple[int, int] | None:
    """Span of the words inside a quoted name starting at ``pos`` (a short name, not a clause)."""
    m = _QUOTED.match(ctx.norm, pos)
    if m is None:
        return None
    start, end = m.start(1), m.end(1)
    while start < end and ctx.norm[start] == " ":
        start += 1
    while end > start and ctx.norm[end - 1] == " ":
        end -= 1
    words = ctx.norm[start:end].split()
    if not words or len(words) > _MAX_QUOTED_WORDS or start in ctx.stop_at:
        return None
    if len(words) == 1 and words[0].endswith("يه") and not words[0].startswith("ال"):
        return None  # منظمة "إرهابية": a quoted label, not a name
    return start, end


def _quoted_entity(ctx: _Context, head: LexMatch, start: int, end: int, entity_type: EntityType) -> Entity:
    """The KB entity a quoted name refers to — by itself (قاعدتي "قرية الخضراء") or with its head
    (قناة "الجزيرة" is قناة الجزيرة) — or a new one."""
    entity = _known(ctx, start, end, {entity_type})
    if entity is None:
        with_head = normalize_key(f"{head.entry.surface} {ctx.norm[start:end]}")
        readings = [ctx.entities[i] for i in ctx.tables.alias_index.get(with_head, ())]
        entity = next((r for r in readings if r.type == entity_type), None)
    if entity is not None:
        return entity
    return _minted(ctx, entity_type.value.lower(), start, end, entity_type)


def _known(ctx: _Context, start: int, end: int, types: set[EntityType]) -> Entity | None:
    """A KB reading of exactly ``[start, end)`` of one of ``types``."""
    for m in _kb_match_at(ctx, start):
        entity = ctx.entities[m.payload]
        if m.end == end and entity.type in types:
            return entity
    return None


def _kb_match_at(ctx: _Context, pos: int) -> list[LexMatch]:
    """KB matches of the word at ``pos`` that carry no proclitic but the article (مطار دمشق, not
    مطار بدمشق "an airport in Damascus"): they start at ``pos`` or two letters after.  The rules ask
    this at a few places per article, so the matches are bisected, not indexed by word."""
    names = ctx.kb_names
    found = []
    i = bisect_left(names, pos, key=_START)
    while i < len(names) and names[i].start <= pos + 2:
        m = names[i]
        if m.prefix in ("", "ال") and word_start(m) == pos:
            found.append(m)
        i += 1
    return found


def _in_kb_name(ctx: _Context, pos: int) -> bool:
    """``pos`` is in the word of a KB name, its proclitics included.  The words of the names do not
    overlap (the lexicon keeps the longest), so only the last name to start by ``pos`` may hold it,
    or the next one, by its proclitics."""
    names = ctx.kb_names
    i = bisect_right(names, pos, key=_START)
    return (i > 0 and pos < names[i - 1].end) or (i < len(names) and word_start(names[i]) <= pos)


def _minted(ctx: _Context, kind: str, start: int, end: int, entity_type: EntityType) -> Entity:
    """An entity the KB does not know, named ``[start, end)`` as written, with an id stable across
    articles: its normalised name.  The article's normalised text there is that already (normalisation
    works letter for letter, or deletes marks and repeated spaces, and a name begins and ends with a
    character it keeps), so the name is not normalised again."""
    name = ctx.analysis.original_text(start, end)
    key = ctx.norm[start:end]
    return _unknown_entity(f"{kind}:{key.replace(' ', '_')}", name, entity_type)


@lru_cache(maxsize=4096)
def _unknown_entity(entity_id: str, name: str, entity_type: EntityType) -> Entity:
    """One validated ``Entity`` per name, shared (it is frozen, as the KB's are): the rules mint a name
    again where two of them read it, and the news names the same people article after article."""
    return Entity(id=entity_id, name_ar=name, type=entity_type, kb=False)


def _facility_names(ctx: _Context, head: LexMatch) -> Iterable[_Candidate]:
    """Names after a facility head: quoted names or known facilities, in a coordinated list; or a
    known city right after the head (مطار دمشق → the airport, head included)."""
    pos = head.end + 1
    first = True
    while pos < len(ctx.norm):
        quoted = _quoted_at(ctx, pos)
        if quoted is not None:
            start, end = quoted
            yield _Candidate(
                start, end, _quoted_entity(ctx, head, start, end, EntityType.FACILITY), "pattern", _RULE
            )
            stop = end + 1  # past the closing quote
        else:
            found = _facility_word(ctx, pos, head, first)
            if found is None:
                return
            yield found
            stop = found.end
        first = False
        joiner = _LIST_JOINER.match(ctx.norm, stop)
        if joiner is None or joiner.end() == stop:
            return
        pos = joiner.end()


def _facility_word(ctx: _Context, pos: int, head: LexMatch, first: bool) -> _Candidate | None:
    for m in _kb_match_at(ctx, pos):
        entity = ctx.entities[m.payload]
        if entity.type == EntityType.FACILITY:
            return _Candidate(_surface_start(m), m.end, entity, "pattern", _RULE)
    if not first:
        return None
    for m in _kb_match_at(ctx, pos):
        if ctx.entities[m.payload].subtype in _NAMED_AFTER_PLACES:
            facility = _minted(ctx, "facility", head.start, m.end, EntityType.FACILITY)
            return _Candidate(head.start, m.end, facility, "pattern", _RULE)
    return None


def _org_names(ctx: _Context, head: LexMatch) -> Iterable[_Candidate]:
    """معهد/صحيفة/جامعة … + a quoted name (the name is what is quoted); for heads that are part of the
    name, + a known city (جامعة القاهرة), or for heads that name bodies by their field, + one to three
    definite words (وزارة الخارجية الأمريكية، حزب البعث العربي الاشتراكي)."""
    pos = head.end + 1
    quoted = _quoted_at(ctx, pos)
    if quoted is not None:
        start, end = quoted
        yield _Candidate(start, end, _quoted_entity(ctx, head, start, end, EntityType.ORG), "pattern", _RULE)
        return
    if not (head.payload or {}).get("include_head"):
        return
    for m in _kb_match_at(ctx, pos):
        if ctx.entities[m.payload].subtype in _NAMED_AFTER_PLACES:
            org = _minted(ctx, "org", head.start, m.end, EntityType.ORG)
            yield _Candidate(head.start, m.end, org, "pattern", _RULE)
            return
    if head.payload.get("definite_names") and head.prefix in ("", "و", "ف", "ب", "ل", "وب", "ول"):
        end = _definite_words_end(ctx, pos)
        if end is not None:
            org = _minted(ctx, "org", head.start, end, EntityType.ORG)
            yield _Candidate(head.start, end, org, "pattern", _RULE)


def _definite_words_end(ctx: _Context, pos: int) -> int | None:
    """End of one to three words with the article at ``pos`` (الخارجية الأمريكية), on one line."""
    end = None
    for _ in range(_MAX_NAME_WORDS):
        m = _NAME_WORD.match(ctx.norm, pos)
        if m is None or not m.group().startswith("ال") or len(m.group()) < 4 or pos in ctx.stop_at:
            break
        end = m.end()
        if ctx.norm[end : end + 1] != " " or _line_break_after(ctx, end):
            break
        pos = end + 1
    return end


# --------------------------------------------------------------------------- titled persons


def _titled_person(ctx: _Context, title: LexMatch) -> tuple[int | None, _Candidate | None]:
    """Where the name after a title starts, and a person candidate when the KB does not know it."""
    pos = title.end + 1
    while True:  # الرئيس [الأمريكي] [السابق] <name>
        skip = ctx.demonym_at.get(pos) or ctx.modifier_at.get(pos)
        if skip is None or ctx.norm[skip.end : skip.end + 1] != " ":
            break
        pos = skip.end + 1
    for m in _kb_match_at(ctx, pos):
        if ctx.entities[m.payload].type == EntityType.PERSON:
            return _surface_start(m), None
    end = _name_end(ctx, pos)
    if end is None:
        return None, None
    person = _minted(ctx, "person", pos, end, EntityType.PERSON)
    title_span = (_surface_start(title), title.end)
    return pos, _Candidate(pos, end, person, "title_rule", _RULE, title=title_span)


def _named_persons(ctx: _Context) -> Iterable[_Candidate]:
    """A full name without a title, opened by a given name that is no ordinary word (محمد البرادعي)
    or by عبد + a divine name (عبد الحميد ميعاري, عبدالرزاق الشرقاوي); or a kunya, أبو/أم + a given
    name (أبو عمار, أم محمد).  Not inside or at a known name (أبو مازن، محمد بن سلمان)."""
    for start, name_from in _name_openers(ctx):
        # At a word that ends names, which _name_end would refuse: asked first, as most openings are
        # one (على normalises to the given name علي); or inside a known name.
        if name_from in ctx.stop_at or _in_kb_name(ctx, start):
            continue
        end = _name_end(ctx, name_from)
        if end is not None and " " in ctx.norm[start:end]:
            person = _minted(ctx, "person", start, end, EntityType.PERSON)
            yield _Candidate(start, end, person, "pattern", _RULE)


def _name_openers(ctx: _Context) -> Iterable[tuple[int, int]]:
    """(where the name starts, where its given name starts) of every opening of a personal name."""
    for m in ctx.given_names:
        pos = word_start(m)
        if (m.payload or {}).get("opens_name"):
            yield pos, pos
        if not ctx.norm.endswith(_KUNYA_ENDS, 0, pos):
            continue  # no kunya can end here: the search below is spared
        kunya = _KUNYA.search(ctx.norm, max(0, pos - 5), pos)
        if kunya is not None and kunya.end() == pos:
            yield kunya.start(1), pos
    for start in ctx.divine_compounds:
        yield start, start


def _context_names(ctx: _Context, chosen: list[_Candidate], occupied: _Occupied) -> list[_Candidate]:
    """Names that are also ordinary words or common given names (القاعدة, الجزيرة, عباس), linked
    when a related entity — or a state the entities named belong to — is named too, or when the
    word right before licenses the reading (مراسل الجزيرة, قالت الجزيرة, الرئيس عباس).  A person's
    name is linked only where a name may end ("عباس كامل" is another man)."""
    matches = ctx.analysis.found(CONTEXT_NAME)
    if not matches:  # most articles: nothing to gather the named entities and speech verbs for
        return []
    named = {c.entity.id for c in chosen} | {c.entity.country for c in chosen if c.entity.country}
    speech_ends = {m.end for m in ctx.analysis.found(SPEECH_VERB)}
    found: list[_Candidate] = []
    for m in matches:
        start = _surface_start(m)
        if ctx.norm.startswith(" ال", m.end) or occupied.overlaps(start, m.end):
            continue
        value = m.payload
        entity = ctx.entities[value["entity"]]
        if entity.type == EntityType.PERSON and not _boundary_after(ctx, m.end):
            continue
        if named & set(value.get("context", ())) or _licensed(ctx, word_start(m), value, speech_ends):
            found.append(_Candidate(start, m.end, entity, "kb", _KB))
    return found


def _licensed(ctx: _Context, position: int, value: dict, speech_ends: set[int]) -> bool:
    """The word before the one at ``position`` is one of ``value.after`` (و/ف allowed), or a speech
    verb when ``value.after_speech_verb``."""
    if position < 2 or ctx.norm[position - 1] != " ":
        return False
    if value.get("after_speech_verb") and position - 1 in speech_ends:
        return True
    previous = ctx.norm[ctx.norm.rfind(" ", 0, position - 1) + 1 : position - 1]
    after = _normalised_words(tuple(value.get("after", ())))
    return previous in after or (previous[:1] in ("و", "ف") and previous[1:] in after)


@lru_cache(maxsize=64)
def _normalised_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_key(w) for w in words)


def _surname_repeats(ctx: _Context, chosen: list[_Candidate], occupied: _Occupied) -> list[_Candidate]:
    """Later (or headline) mentions of a person by family name alone: after "سفيان الزعق", "الزعق".
    A family name is looked for once: a second person with it finds only spans the first took."""
    repeats: list[_Candidate] = []
    looked_for: set[str] = set()
    for c in chosen:
        if c.entity.type != EntityType.PERSON or " " not in ctx.norm[c.start : c.end]:
            continue
        surname_start = ctx.norm.rfind(" ", c.start, c.end) + 1
        surname = ctx.norm[surname_start : c.end]
        k = ctx.norm.rfind(" ", c.start, surname_start - 1)
        before = ctx.norm[k + 1 if k >= 0 else c.start : surname_start - 1]
        if len(surname) < 3 or surname in _NAME_CONNECTORS or surname_start in ctx.given_at:
            continue  # "محمد حسين": حسين is a given name, and "حسين" alone another person
        if before in _NAME_CONNECTORS:
            continue  # "عبد السلام", "أبو العز": the word after عبد/أبو is no family name alone
        if surname in looked_for:
            continue
        looked_for.add(surname)
        for start, end in _surname_spans(ctx.norm, surname):
            if occupied.overlaps(start, end):
                continue
            if not ctx.analysis.in_normalized_regions(start):
                continue
            repeats.append(_Candidate(start, end, c.entity, "pattern", _RULE))
            occupied.take(start, end)
    return repeats


def _surname_spans(text: str, surname: str) -> Iterable[tuple[int, int]]:
    """Where the family name stands alone as a whole word after the clitics it may take (والزعق،
    للزعق، وكوريلا): from its article (or the name), to its end.  Tried only a few letters before
    each occurrence of the bare name, in the order a regex would, with no regex to compile per name."""
    definite = surname.startswith("ال")
    name = surname[2:] if definite else surname
    pos = 0  # where the next match may start: matches do not overlap
    at = text.find(name)
    while at >= 0:
        for start in range(max(pos, at - _MAX_CLITICS), at + 1):
            if _is_letter(text, start - 1):
                continue  # inside a word: no match starts here
            span = _surname_at(text, start, name, definite)
            if span is not None:
                yield span
                pos = span[1]
                break
        at = text.find(name, max(at + 1, pos))


def _surname_at(text: str, start: int, name: str, definite: bool) -> tuple[int, int] | None:
    """The match of ``(?<!L)(?:[وف]?[بك]?(ال)|[وف]?لل)name(?!L)`` (a definite name) or
    ``(?<!L)[وف]?[بلك]?name(?!L)`` at ``start`` (a word start), each optional clitic tried taken first."""
    conjunctions = (1, 0) if text.startswith(("و", "ف"), start) else (0,)
    if not definite:
        for c in conjunctions:
            for p in (1, 0) if text.startswith(("ب", "ل", "ك"), start + c) else (0,):
                if _name_at(text, start + c + p, name):
                    return start + c + p, start + c + p + len(name)
        return None
    for c in conjunctions:
        for p in (1, 0) if text.startswith(("ب", "ك"), start + c) else (0,):
            article = start + c + p
            if text.startswith("ال", article) and _name_at(text, article + 2, name):
                return article, article + 2 + len(name)
    for c in conjunctions:  # لل: the article after ل, no article group: the span starts at the name
        if text.startswith("لل", start + c) and _name_at(text, start + c + 2, name):
            return start + c + 2, start + c + 2 + len(name)
    return None


def _name_at(text: str, pos: int, name: str) -> bool:
    """``name`` is written at ``pos`` as a whole word's end (no letter follows)."""
    return text.startswith(name, pos) and not _is_letter(text, pos + len(name))


def _is_letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and "\u0621" <= text[i] <= "\u064a"


def _name_end(ctx: _Context, pos: int) -> int | None:
    """End of a personal name of 1–4 words at ``pos``; None when what follows is not a name.

    A name opens with a known given name, or is two or three words followed by a boundary
    (punctuation, a function word, a conjunction).  After two words, another is taken only when it
    is plainly part of a name (a family name with ال, بن/أبو/عبد or the word after one, a given name,
    or any name word after a given name: the nasab chain "زياد إبراهيم درويش ياسين"); a fourth only
    in a name with a given name or a connector — so "يوسف جبارين عضو لجنة" stops before عضو and
    "بعدم نقض الاتفاق النووي" is no name.  A name does not run across a line break."""
    first_start = pos
    words = 0
    end = None
    previous_connector = previous_given = chain = False
    while words < _MAX_PERSON_WORDS:
        m = _NAME_WORD.match(ctx.norm, pos)
        if m is None:
            break
        if previous_given and _nisba_surname(ctx, m):
            words, end = words + 1, m.end()  # محمود المصري: a nisba family name ends the name
            break
        if not _may_be_name_word(ctx, m, first=end is None):
            break
        word = m.group()
        given = pos in ctx.given_at
        connector = word in _NAME_CONNECTORS
        if words >= 2 and not (
            word.startswith("ال") or connector or given or previous_connector or previous_given
        ):
            break
        if words == _MAX_PERSON_WORDS - 1 and not chain:
            break  # a fourth word only in a chain of given names or after بن/عبد/أبو
        chain = chain or given or connector
        previous_given = given
        previous_connector = connector
        words += not connector
        end = m.end()
        if ctx.norm[end : end + 1] != " " or _line_break_after(ctx, end):
            break
        pos = end + 1
    if end is None or previous_connector:
        return None
    if first_start in ctx.given_at or (words >= 2 and _boundary_after(ctx, end)):
        return end
    return None


def _line_break_after(ctx: _Context, end: int) -> bool:
    """The space after a normalised word ending at ``end`` was written with a line break."""
    to_original = ctx.analysis.norm.to_original
    return ctx.analysis.article.text.find("\n", to_original(end - 1) + 1, to_original(end + 1)) >= 0


def _boundary_after(ctx: _Context, end: int) -> bool:
    """Whether a name may end at ``end``: text end, punctuation, or a word that cannot continue it."""
    if end >= len(ctx.norm) or ctx.norm[end] != " ":
        return True
    nxt = end + 1
    if nxt >= len(ctx.norm) or not _NAME_WORD.match(ctx.norm, nxt):
        return True
    return nxt in ctx.not_name_at or ctx.norm.startswith("و", nxt) or nxt in ctx.stop_at


def _nisba_surname(ctx: _Context, m: re.Match[str]) -> bool:
    """A masculine nisba with the article right after a given name, at a name's end, is a family
    name (محمود المصري, محمد سعيد الهندي), not the person's nationality."""
    word = m.group()
    return (
        m.start() in ctx.demonym_at
        and word.startswith("ال")
        and word.endswith("ي")
        and _boundary_after(ctx, m.end())
    )


def _may_be_name_word(ctx: _Context, m: re.Match[str], first: bool) -> bool:
    start, word = m.start(), m.group()
    if start in ctx.not_name_at:
        return False
    if m.end() < len(ctx.norm) and ctx.norm[m.end()].isalnum():
        return False  # a name word is a whole word
    if start in ctx.not_person_at:
        return False  # a place or an organisation, not part of a name
    if start in ctx.stop_at:  # asked last of the words that end a name: the slowest lookup
        return False
    if start in ctx.given_at or word in _NAME_CONNECTORS:
        return True
    if word.startswith(_CLITIC_ARTICLE) or word.endswith(_PRONOUN_SUFFIXES) or word.startswith("و"):
        return False  # بالعمل، ارتباطاتها، وتم: a common noun or a verb, not a name
    if len(word) > 3 and word[-1] == "ه" and not _ends_in_ta_marbuta(ctx, m.end()):
        return False  # إقامته، خطابه: a noun with a possessive pronoun (ة would be a name's ending)
    if first and word.startswith("ال"):
        return False
    # ي/ت begin an imperfect verb, but no verb ends in ة (تنيرة, يعقوبة are names)
    return not word.startswith(_VERB_PREFIXES) or (word[-1] == "ه" and _ends_in_ta_marbuta(ctx, m.end()))


def _ends_in_ta_marbuta(ctx: _Context, end: int) -> bool:
    """The normalised ه ending at ``end`` was written ة (normalisation folds ة into ه, keeps ه)."""
    return ctx.analysis.article.text[ctx.analysis.norm.to_original(end - 1)] == "ة"


# --------------------------------------------------------------------------- overlaps and anaphora


def _without_overlaps(candidates: list[_Candidate], occupied: _Occupied) -> list[_Candidate]:
    """Longest first; on equal length the rule reading, then the KB name, then the demonym.  The
    spans taken are marked in ``occupied``."""
    taken: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        if not occupied.overlaps(c.start, c.end):
            taken.append(c)
            occupied.take(c.start, c.end)
    return taken


def _first_words(entity: Entity) -> set[str]:
    """Normalised first words of an entity's names, without the article (تحالف of التحالف الدولي)."""
    words = set()
    for name in (entity.name_ar, *entity.aliases):
        key = normalize_key(name)
        first = key.split(" ", 1)[0] if key else ""
        words.add(first[2:] if first.startswith("ال") and len(first) > 3 else first)
    return words


def _anaphora(ctx: _Context, named: list[_Candidate], occupied: _Occupied) -> list[_Candidate]:
    """Each anaphor to the most recent compatible entity named before it; البلاد to the state the
    sentence or the article is about (see ``_state_referred_to``).  ``named`` is sorted by start;
    ``occupied`` marks it."""
    anaphors = ctx.analysis.found(ANAPHOR)
    if not anaphors:
        return []
    demonyms = {c.start: c.entity.id for c in named if c.how == "demonym"}
    links: list[_Candidate] = []
    for m in anaphors:
        if occupied.overlaps(_surface_start(m), m.end):
            continue
        described_by = demonyms.get(m.end + 1)
        if ctx.norm.startswith(" ال", m.end) and m.end + 1 not in ctx.stop_at and described_by is None:
            continue  # الحكومة البريطانية: a description of another referent (إلى/الذي are not)
        if m.payload.get("antecedent") == "state":
            entity = _state_referred_to(ctx, named, m.start)
        else:
            entity = _recent_compatible(ctx, m.payload, named, m.start)
        if entity is not None and (described_by is None or _agrees(entity, described_by)):
            links.append(_Candidate(_surface_start(m), m.end, entity, "anaphora", _KB))
    return links


def _recent_compatible(ctx: _Context, payload: dict, named: list[_Candidate], pos: int) -> Entity | None:
    """The most recent entity named before ``pos`` (no demonym) whose subtype the anaphor names or
    whose name begins with one of its heads.  The names do not overlap, so they end in the order
    they start: those ending by ``pos`` are found by bisection, not by passing the later ones."""
    heads = _normalised_words(tuple(payload.get("heads", ())))
    subtypes = set(payload.get("subtypes", ()))
    for c in reversed(named[: bisect_right(named, pos, key=_BY_END)]):
        if c.how == "demonym":
            continue
        entity = c.entity
        if entity.subtype in subtypes:
            return entity
        first_words = ctx.tables.first_words[entity.id] if entity.kb else _first_words(entity)
        if not heads.isdisjoint(first_words):
            return entity
    return None


def _agrees(entity: Entity, state_id: str) -> bool:
    """A demonym right after an anaphor describes its referent ("تلك المناطق السورية"): it must be
    that state or the state the referent lies in."""
    return state_id in (entity.id, entity.country)


def _state_referred_to(ctx: _Context, named: list[_Candidate], pos: int) -> Entity | None:
    """The state "البلاد" means: the state of a place named before it in its sentence ("في حلب شمالي
    البلاد"), else the state the article names most — itself, its places, bodies and people, its
    demonyms — ties going to the one named last before it.  The most recent state alone is often
    a party to the story ("محادثات مع روسيا … جنوب البلاد" is southern Syria)."""
    analysis = ctx.analysis
    sentence = analysis.sentence_at(analysis.norm.to_original(pos))
    begins = 0  # the sentence's start, normalised once rather than each place's start converted back
    if sentence is not None:
        begins = analysis.norm.to_normalized(analysis.article.sentences[sentence].start)
    counts: dict[str, int] = defaultdict(int)
    latest: dict[str, int] = {}
    in_sentence: str | None = None
    for c in named:
        state = c.entity.id if c.entity.subtype == "state" else c.entity.country
        if state is None:
            continue
        counts[state] += 1
        if c.end > pos:
            continue
        latest[state] = c.start
        place = c.entity.type in (EntityType.GPE, EntityType.LOC) and c.entity.country is not None
        if place and c.start >= begins:
            in_sentence = state
    best = in_sentence or max(counts, key=lambda s: (counts[s], latest.get(s, -1)), default=None)
    return ctx.entities.get(best) if best is not None else None


_MENTION_LIST = TypeAdapter(list[Mention])


def _mentions(analysis: Analysis, chosen: list[_Candidate]) -> tuple[list[Mention], list[Entity]]:
    """The mentions in original offsets (each its evidence's dict, completed), validated in one call,
    and each entity once."""
    mentions: list[dict[str, object]] = []
    entities: dict[str, Entity] = {}
    for c in chosen:
        mention = analysis.evidence(c.start, c.end)
        mention["entity_id"] = c.entity.id
        mention["type"] = c.entity.type
        mention["how"] = c.how
        mention["title"] = analysis.original_text(*c.title) if c.title is not None else None
        mentions.append(mention)
        entities.setdefault(c.entity.id, c.entity)
    return _MENTION_LIST.validate_python(mentions), list(entities.values())
