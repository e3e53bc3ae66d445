"""Typed events: a trigger word (``event_trigger``) in a clause, with its roles, time, figures,
modality and source.

Rules, in the order they apply:

* A trigger counts when its constraints hold (``objects``: what is reduced/closed must be forces or
  bases; ``not_before``/``not_after``: "المعارضة السورية" is a group); a verb takes only و/ف/س.
* One event per trigger cluster in a clause (triggers sharing a PLOVER code, or a type without
  one).  An action named after a trigger whose type takes content ("تعارض الانسحاب", "حذر من أن
  انسحابا …") is what that event is about, not an event of its own.
* Roles: the name right after the trigger fills its ``genitive`` role ("هجمات داعش", "مقتل X");
  an agent marker gives the actor ("التي نفذها التنظيم", "من قبل"); an undergoer verb the target
  ("تتعرض الولايات المتحدة لضغوط"); otherwise the actor is the nearest name before the trigger,
  or the first one after it.  GPE/LOC after a place word are places, facilities are facilities.
* A continuation or comparison clause ("، مع إغلاق", "مقارنة مع 150 هجمة") goes on with the
  actor, modality and source of the clause before it; a relative clause ("، التي تعارض") takes the
  name before it as actor.
* Each time expression and figure of a clause goes to the nearest trigger; durations ("خلال عام
  إلى عامين") are never an event's time.
* Modality: the type's own (warning → hypothetical, expectation → expected), else the nearest
  cue before the trigger in the clause (خطة → planned, أعلن → announced, قد يؤدي → hypothetical);
  an odd number of negations before it negates it ("لم تنسحب"; "لا يعني عدم" cancels out).
* Attribution: the source speaking in the sentence (see ``attribution.py`` for coreference).
* Event coreference: a later event of the same type whose slots do not conflict with an earlier
  one (same or no actor, no other time, figures, place or target) is the same event; the richer
  of the two is kept and the other fills its empty slots.
* Place from the discourse: an event whose clause names no place takes the nearest place named
  before it in its paragraph (or, failing that, the last one of the paragraph before), marked
  ``inferred`` with the antecedent as evidence; not an act of saying or agreeing
  (``discourse_place: false`` in the ontology), which happens where its actors are.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

from marsad.extract.attribution import SPEECH_VERB, SourceRef, locate_sources
from marsad.extract.clauses import (
    AGENT_TYPES,
    COMMA,
    PLACE_TYPES,
    Clause,
    NamedMention,
    sentence_reader,
    word_start,
)
from marsad.kb.loader import KnowledgeBase
from marsad.kb.schema import EventTypeRecord
from marsad.models import AttributionKind, EntityType, Event, Modality, TimeType
from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch
from marsad.text.normalize import normalize_key

EVENT_TRIGGER = "event_trigger"
MODALITY_CUE = "modality_cue"
PERSON_TITLE = "person_title"
# Trigger keys naming the role of a name after a preposition: "ضغوط من" (from), "محادثات مع" (with).
PARTY_PREPOSITIONS = {"from": ("من",), "with": ("مع", "بين")}
_WORD = re.compile(r"\w+")
# Proclitics and article taken off a word by ``_bare``: the first of these that leaves 3 letters.
_CLITICS = re.compile("(?:وبال|وال|بال|فال|لل|ال|و|ف|ب|ل)(?=.{3})", re.DOTALL)
VERB_PROCLITICS = set("وفس")
FUTURE_PROCLITIC = "س"
IMPERFECT_PREFIXES = "يتن"  # third-person and "we" imperfect verbs: قد يؤدي "may lead"
CONSTRAINT_WINDOW = 3  # words after/before a trigger its object or exclusion may be found in
GENITIVE_WINDOW = 3
OBJECT_WINDOW = 12  # words after a definite verbal noun its ل-object may be found in (same sentence)
BEFORE_WINDOW = 80  # characters before a position its last words are first looked for in
AFTER_WINDOW = 80  # characters after a position its first words are first looked for in
SENTENCE_END = ".؟!؛"
PUNCTUATION = "\"'،,.:؛()؟!"
# Nisba adjective endings, normalised (النووي, الجوية, الأمريكيين): words that may stand between a
# noun and a demonym that still describes the noun ("الضربات الجوية الإسرائيلية").
NISBA_ENDINGS = ("ي", "يه", "يين", "يون")
ROLE_TYPES = (*AGENT_TYPES, EntityType.LOC, EntityType.FACILITY)  # names that may fill a role
CONTINUING = ("continuation", "comparison")
# Cue modalities as the lexicon writes them, and each one's member: a dictionary lookup per cue, not an
# enum call or an enum ``.value`` read.
NEGATED, REPORTED = Modality.NEGATED.value, Modality.REPORTED.value
_MODALITIES = {m.value: m for m in Modality}
# Markers that end a genitive: "العقوبات على إيران" is no sanction by Iran.
GAP_STOPS = ("break", "complementizer", "preposition", "target", "place", "agent", "undergoer")


@dataclass(slots=True)
class _Draft:
    """An event being built, in normalised coordinates until it is turned into an ``Event``."""

    trigger: LexMatch
    record: EventTypeRecord
    clause: Clause
    roles: dict[str, list[tuple[NamedMention | tuple[int, int], str | None]]] = field(default_factory=dict)
    time: int | None = None
    quantities: list[int] = field(default_factory=list)
    modality: Modality = Modality.REPORTED
    negated: bool = False
    attribution: int | None = None
    inferred: set[str] = field(default_factory=set)  # roles taken from the discourse

    @property
    def cluster(self) -> str:
        return self.record.plover or self.record.id

    def role_ids(self, role: str) -> set[str | None]:
        return {entity_id for _, entity_id in self.roles.get(role, [])}

    def filled(self) -> int:
        return (
            len(self.roles) + (self.time is not None) + bool(self.quantities) + (self.attribution is not None)
        )


def extract_events(analysis: Analysis, kb: KnowledgeBase) -> list[Event]:
    return _EventFinder(analysis, kb).run()


class _EventFinder:
    def __init__(self, analysis: Analysis, kb: KnowledgeBase) -> None:
        self.analysis = analysis
        self.kb = kb
        self.reader = sentence_reader(analysis)
        self.text = self.reader.text
        self.refs: list[SourceRef] = locate_sources(analysis, kb)[1]
        self.speaker_at: dict[int, SourceRef] = {}  # the first source of each speech verb
        for ref in self.refs:
            self.speaker_at.setdefault(ref.cue, ref)
        self.cues = sorted(
            analysis.found(MODALITY_CUE)
            + [m for m in analysis.found(SPEECH_VERB) if not m.payload.get("according_to")],
            key=lambda m: m.start,
        )
        self.cue_starts = [c.start for c in self.cues]
        self.times = [
            (i, self.reader.times[i][0])
            for i, t in enumerate(analysis.article.times)
            if t.value and not t.value.startswith("P") and t.type is not TimeType.DURATION
        ]
        self.quantities = [
            (i, analysis.norm.to_normalized(q.start)) for i, q in enumerate(analysis.article.quantities)
        ]
        self._mention_at: dict[int, NamedMention] | None = None
        self._title_spans: list[tuple[int, int]] | None = None
        self._speech_verb_forms: set[str] | None = None
        self.triggers = [m for m in analysis.found(EVENT_TRIGGER) if self._trigger_holds(m)]
        # The scan resolves triggers leftmost-longest: in text order and not overlapping, so their word
        # starts and their ends are both in order, for bisection.
        self.trigger_starts = [word_start(m) for m in self.triggers]
        self.trigger_ends = [m.end for m in self.triggers]
        self._place_position: dict[int, bool] = {}  # mention index → in place position

    # The indexes below are read for a few triggers only (constraints, a demonym after the trigger, an
    # announcer): made when first asked for, into attributes ``__init__`` sets, so that every finder
    # keeps one attribute layout (attributes added later, in varying order, slow every ``self.`` read of
    # the finder).

    def _mention_starting_at(self, pos: int) -> NamedMention | None:
        if self._mention_at is None:
            self._mention_at = {n.start: n for n in self.reader.mentions}
        return self._mention_at.get(pos)

    def _titles(self) -> list[tuple[int, int]]:
        if self._title_spans is None:
            self._title_spans = [(word_start(m), m.end) for m in self.analysis.found(PERSON_TITLE)]
        return self._title_spans

    def _speech_verbs(self) -> set[str]:
        """The speech verbs of the article as written, read when an announcer's subject is checked."""
        if self._speech_verb_forms is None:
            self._speech_verb_forms = {
                _bare(self.text[word_start(m) : m.end]) for m in self.cues if m.entry.category == SPEECH_VERB
            }
        return self._speech_verb_forms

    def run(self) -> list[Event]:
        drafts: list[_Draft] = []
        for index in self._sentences_with_triggers():  # the others' clauses need not be read
            previous: _Draft | None = None
            sentence_drafts: list[_Draft] = []
            for clause in self.reader.clauses(index):
                clause_drafts = self._clause_events(clause, previous)
                sentence_drafts.extend(clause_drafts)
                if clause_drafts:
                    previous = clause_drafts[-1]
            self._leftover_times(index, sentence_drafts)
            drafts.extend(sentence_drafts)
        times = self.analysis.article.times
        merged = _merge_coreferent(drafts, lambda i: times[i].value)
        wanting = [d for d in merged if _wants_discourse_place(d)]
        if wanting:  # most articles have no such event
            sentences = self.analysis.article.sentences
            since = min(sentences[d.clause.sentence].paragraph for d in wanting) - 1
            before = max(word_start(d.trigger) for d in wanting)
            self._place_from_discourse(merged, self._places_named(since, before))
        return _EVENT_LIST.validate_python([self._event_fields(d) for d in merged])

    def _sentences_with_triggers(self) -> list[int]:
        """The sentences holding a trigger's word start, in text order (found from the few triggers,
        so the other sentences' ranges are never converted)."""
        sentence_of = self.analysis.sentence_at
        to_original = self.analysis.norm.to_original
        found = {sentence_of(to_original(pos)) for pos in self.trigger_starts}
        return sorted(index for index in found if index is not None)

    def _places_named(self, since: int, before: int) -> list[NamedMention]:
        """Names in place position ("في تلك المناطق") in paragraph ``since`` or later and starting
        before ``before``, in text order.  No other name can be an antecedent: a place is taken from
        an event's own paragraph or the one before (``since`` is the earliest such), never from after
        the last event that wants one; and a place of an earlier paragraph, were it the nearest, would
        give none either (so leaving it out leaves none to be found in its stead)."""
        sentences = self.analysis.article.sentences
        first = next((k for k, sentence in enumerate(sentences) if sentence.paragraph >= since), None)
        if first is None:
            return []
        places: list[NamedMention] = []
        # The names come first, from one lookup: only the clauses that hold one are cut.
        for named in self.reader.mentions_in(self.reader.sentence_range(first)[0], before, PLACE_TYPES):
            if named.mention.how == "demonym":
                continue
            index = self.analysis.sentence_at(named.mention.start)
            if index is None or sentences[index].paragraph < since:
                continue
            clause = next((c for c in self.reader.clauses(index) if c.start <= named.start < c.end), None)
            if clause is not None and self._in_place_position(named, clause):
                places.append(named)
        return places

    def _place_from_discourse(self, drafts: list[_Draft], places: list[NamedMention]) -> None:
        """An event whose clause names no place happened where the discourse is: at the nearest
        place named (in place position, or as an event's place) before it in its paragraph, else
        the last one of the paragraph before — never further, and never from another inference.
        Acts of saying, judging or negotiating are excluded (``discourse_place``): they happen
        where their speakers are, which the discourse does not say."""
        antecedents = {n.index: n for n in places}
        for draft in drafts:
            for where, _ in draft.roles.get("place", []):
                if isinstance(where, NamedMention):
                    antecedents.setdefault(where.index, where)
        if not antecedents:
            return
        ordered = sorted(antecedents.values(), key=lambda n: n.start)
        starts = [n.start for n in ordered]
        paragraph_of = self._paragraph_of
        for draft in drafts:
            if not _wants_discourse_place(draft):
                continue
            k = bisect_left(starts, word_start(draft.trigger)) - 1
            if k < 0:
                continue
            here = self.analysis.article.sentences[draft.clause.sentence].paragraph
            found = self._most_specific_of_its_sentence(ordered[: k + 1])
            if paragraph_of(found.start) in (here, here - 1):
                draft.roles["place"] = [(found, found.mention.entity_id)]
                draft.inferred.add("place")

    def _most_specific_of_its_sentence(self, before: list[NamedMention]) -> NamedMention:
        """The last place named before an event, or a more specific one of the same sentence
        ("… في مدينة إدلب شمال غربي سوريا. وقال …" continues at Idlib)."""
        sentence_of = self.analysis.sentence_at
        to_original = self.analysis.norm.to_original
        last = before[-1]
        same = [
            n for n in before if sentence_of(to_original(n.start)) == sentence_of(to_original(last.start))
        ]
        return min(reversed(same), key=self._place_rank)

    def _paragraph_of(self, pos: int) -> int | None:
        """The paragraph of a normalised position (None in the title)."""
        sentence = self.analysis.sentence_at(self.analysis.norm.to_original(pos))
        return None if sentence is None else self.analysis.article.sentences[sentence].paragraph

    # ------------------------------------------------------------------ triggers

    def _trigger_holds(self, m: LexMatch) -> bool:
        """The trigger's constraints hold.  The words around it are read only for the constraints
        that look at them: most triggers have none."""
        value = m.payload
        if value["type"] not in self.kb.event_types:
            return False
        if value.get("pos") == "verb" and not set(m.prefix) <= VERB_PROCLITICS:
            return False
        reads_after = "objects" in value or "not_before" in value
        after = self._words_after(m.end, CONSTRAINT_WINDOW) if reads_after else []
        if "objects" in value and not any(w.startswith(_normalised(tuple(value["objects"]))) for w in after):
            return False
        if self._group_noun(m):
            return False
        if "not_before" in value:
            excluded = _normalised(tuple(value["not_before"]))
            name = self._mention_starting_at(m.end + 1)
            following = [" ".join(after)]
            if name is not None:  # "انسحاب واشنطن من الاتفاق": what follows the name counts too
                following.append(" ".join(self._words_after(name.end, CONSTRAINT_WINDOW)))
            if any(f.startswith(excluded) for f in following):
                return False
        if "not_after" not in value:
            return True
        before = self._words_before(word_start(m), 1)
        return not " ".join(before).endswith(_normalised(tuple(value["not_after"])))

    def _group_noun(self, m: LexMatch) -> bool:
        """A definite bare noun with no object after it names a group ("سيطرة المعارضة"), not an act
        ("المعارضة الشديدة لعملية التقليص")."""
        clitic = m.payload.get("definite_object")
        if clitic is None or not m.prefix.endswith("ال") or m.suffix:
            return False
        for word in self._tokens_after(m.end, OBJECT_WINDOW):
            if word.startswith(clitic) and len(word.strip(PUNCTUATION)) > 3:
                return False
            if any(c in word for c in SENTENCE_END):
                return True
        return True

    def _words_after(self, pos: int, n: int) -> list[str]:
        return [_bare(w) for w in self._tokens_after(pos, n)]

    def _tokens_after(self, pos: int, n: int) -> list[str]:
        """The first ``n`` whitespace-separated tokens from ``pos``, as ``text[pos:].split()`` gives
        them, split off the start of a short window after it: the rest of the text is copied only when
        the window holds fewer (its last may be cut)."""
        tokens = self.text[pos : pos + AFTER_WINDOW].split(None, n)
        if len(tokens) <= n and pos + AFTER_WINDOW < len(self.text):
            tokens = self.text[pos:].split(None, n)
        return tokens[:n]

    def _words_before(self, pos: int, n: int) -> list[str]:
        """The last ``n`` words before ``pos``, split off the end of a short window before it: the
        whole text before it is copied only when the window holds fewer (its first may be cut)."""
        if not n:
            return []
        tokens = self.text[max(0, pos - BEFORE_WINDOW) : pos].rsplit(None, n)
        if len(tokens) <= n and pos > BEFORE_WINDOW:
            tokens = self.text[:pos].rsplit(None, n)
        return [_bare(w) for w in tokens[-n:]]

    # ------------------------------------------------------------------ one clause

    def _clause_events(self, clause: Clause, previous: _Draft | None) -> list[_Draft]:
        drafts: list[_Draft] = []
        content_from: int | None = None
        first = bisect_left(self.trigger_starts, clause.start)
        last = bisect_left(self.trigger_starts, clause.end)
        for trigger in self.triggers[first:last]:  # those whose word starts in the clause
            record = self.kb.event_types[trigger.payload["type"]]
            if content_from is not None and trigger.start > content_from:
                continue
            cluster = record.plover or record.id
            if any(d.cluster == cluster for d in drafts):
                continue
            drafts.append(_Draft(trigger, record, clause))
            if record.takes_content:
                content_from = trigger.end
        continuing = previous if clause.opened_by in CONTINUING else None
        self._assign_by_nearness(drafts, self.times, _set_time)
        self._assign_by_nearness(drafts, self.quantities, lambda d, i: d.quantities.append(i))
        for draft in drafts:
            self._set_modality(draft)
            self._fill_roles(draft)
            draft.attribution = self._attribution(draft)
            self._announcer_acts(draft)
            self._constrain_roles(draft)
            if continuing is not None and (
                clause.opened_by == "continuation" or continuing.record.id == draft.record.id
            ):
                _inherit(draft, continuing)
        return drafts

    def _assign_by_nearness(self, drafts: list[_Draft], items: list[tuple[int, int]], put) -> None:
        """Each item of the clause goes to the nearest trigger, unless a source's verb is nearer:
        then it dates or measures the saying, not an event."""
        if not drafts:
            return
        clause = drafts[0].clause
        verbs = [r.cue for r in self.refs if clause.start <= r.cue < clause.end]
        for index, pos in items:
            if clause.start <= pos < clause.end:
                nearest = min(drafts, key=lambda d: abs(d.trigger.start - pos))
                if all(abs(v - pos) >= abs(nearest.trigger.start - pos) for v in verbs):
                    put(nearest, index)

    def _leftover_times(self, sentence: int, drafts: list[_Draft]) -> None:
        """A time the sentence gives its source ("أشار إليه تقرير … في مارس", "أمس، أعلنت …") or
        that no clause claimed dates the sentence's speech-like (warning, opposition …) and
        announced events that have none."""
        if not drafts:
            return
        start, end = self.reader.sentence_range(sentence)
        claimed = {d.time for d in drafts}
        free = [(i, pos) for i, pos in self.times if start <= pos < end and i not in claimed]
        for draft in drafts:
            if (
                draft.time is None
                and free
                and (draft.record.takes_content or draft.modality is Modality.ANNOUNCED)
            ):
                draft.time = min(free, key=lambda t: abs(t[1] - draft.trigger.start))[0]

    # ------------------------------------------------------------------ roles

    def _fill_roles(self, draft: _Draft) -> None:
        clause, trigger = draft.clause, draft.trigger
        value = trigger.payload
        names = self.reader.mentions_in(clause.start, clause.end, ROLE_TYPES)
        used: set[int] = set()

        def put(role: str, named: NamedMention) -> None:
            if named.index not in used and role not in draft.roles:
                draft.roles[role] = [(named, named.mention.entity_id)]
                used.add(named.index)

        for named in names:
            if named.mention.type is EntityType.FACILITY:
                draft.roles.setdefault("facility", []).append((named, named.mention.entity_id))
                used.add(named.index)
            elif named.mention.type in PLACE_TYPES and self._in_place_position(named, clause):
                current = draft.roles.get("place")
                if current is None or (
                    named.start > trigger.start and not self._wider_place(named, current[0][0])
                ):
                    draft.roles["place"] = [(named, named.mention.entity_id)]
                used.add(named.index)
        agents = [n for n in names if n.mention.type in AGENT_TYPES and n.index not in used]
        for marker in self.reader.markers_in(clause.start, trigger.start, "undergoer"):
            marker_start = word_start(marker)
            before = [n for n in agents if n.end <= marker_start]
            if before:
                put("target", before[-1])
        genitive_role = value.get("genitive", "actor")
        trigger_start = word_start(trigger)
        subject = self.reader.mention_right_before(trigger_start) if value.get("pos") == "verb" else None
        if subject is not None and subject in agents:
            # "جهاز الاستخبارات التركي اعتقل يوسف نازيك": subject first, the name after is the object
            put("actor", subject)
            genitive_role = "target"
        genitive = self._right_after(agents, trigger.end, clause, subject=value.get("pos") == "verb")
        if genitive is not None and self._subtype(genitive) in self.kb.role_rules.place_subtypes:
            # "مشاورات جنيف", "هجوم ريحانلي": the city is where; a capital there ("محادثات موسكو",
            # "انسحاب واشنطن") may be either, so it fills nothing
            if not self._seat_of_government(genitive.mention.entity_id):
                draft.roles.setdefault("place", [(genitive, genitive.mention.entity_id)])
            used.add(genitive.index)
        elif genitive is not None:
            put(genitive_role, genitive)
        for key, words in PARTY_PREPOSITIONS.items():
            if value.get(key) == "actor":
                for marker_end in self._preposition_ends(trigger.end, clause, words):
                    after = self._right_after(agents, marker_end, clause)
                    if after is not None:
                        put("actor", after)
        for marker in self.reader.markers_in(trigger.end, clause.end, "agent"):
            after = self._right_after(agents, marker.end, clause)
            if after is not None:
                put("actor", after)
        for marker in self.reader.markers_in(trigger.end, clause.end, "target"):
            after = self._right_after(agents, marker.end, clause)
            if after is not None:
                put("target", after)
        speaker = self.speaker_at.get(trigger.start)
        if speaker is not None and "actor" not in draft.roles:
            draft.roles["actor"] = [((speaker.start, speaker.end), self._attribution_entity(speaker))]
        if "actor" not in draft.roles:
            before = [n for n in agents if n.end <= trigger_start and n.index not in used]
            if clause.opened_by == "relative" and not before:
                actor = self._last_agent_before(clause)
            else:
                actor = self._nearest_subject(before, draft)
            if actor is not None:
                put("actor", actor)

    def _one_phrase(self, start: int, end: int) -> bool:
        """No comma between: what an announcer announces, not an event in a phrase after it."""
        return not any(c in self.text[start:end] for c in (COMMA, ","))

    def _seat_of_government(self, entity_id: str | None) -> bool:
        """A city whose name stands for the government seated in it (``seat_of`` in the KB)."""
        record = self.kb.entities.get(entity_id) if entity_id else None
        return record is not None and record.seat_of is not None

    def _subtype(self, named: NamedMention) -> str | None:
        record = self.kb.entities.get(named.mention.entity_id)
        return record.subtype if record is not None else None

    def _place_rank(self, named: NamedMention) -> int:
        """How wide a place is: its subtype's position in ``place_specificity`` (unknown: widest)."""
        order = self.kb.role_rules.place_specificity
        subtype = self._subtype(named)
        return order.index(subtype) if subtype in order else len(order)

    def _wider_place(self, named: NamedMention, current: NamedMention) -> bool:
        """``named`` is a wider place than ``current`` ("شمال غربي سوريا" after "مدينة إدلب")."""
        return self._place_rank(named) > self._place_rank(current)

    def _constrain_roles(self, draft: _Draft) -> None:
        """Keep the roles the type takes, and an actor that can act: a reporting body acts only in
        what it says or judges ("نقلت وكالة الأناضول أن … هجوم" is no attack by the agency); a city
        that is no seat of government is where the event happened, not who did it."""
        rules = self.kb.role_rules
        for where, entity_id in draft.roles.get("actor", [])[:1]:
            record = self.kb.entities.get(entity_id) if entity_id else None
            if record is None:
                continue
            if record.subtype in rules.source_subtypes and not draft.record.sources_act:
                del draft.roles["actor"]
            elif record.subtype in rules.place_subtypes and record.seat_of is None:
                draft.roles.setdefault("place", [(where, entity_id)])
                del draft.roles["actor"]
        for role in [r for r in draft.roles if r not in draft.record.roles]:
            del draft.roles[role]

    def _nearest_subject(self, before: list[NamedMention], draft: _Draft) -> NamedMention | None:
        """The last of the names ``before`` the trigger that is a subject.  A name next to the trigger
        verb is its subject ("اشتبكت القوات"), and of that verb only ("أنقرة اعتقلت المشتبه به في تنفيذ
        هجمات": Ankara made no attack); next to a speech verb it is the actor only of what it announces
        or plans ("الولايات المتحدة أعلنت … عن خطة لتقليص قواتها"), not of what it merely talks about
        ("باريس تقول … حيال الهجوم").  A trigger that is no verb, of an event neither announced nor
        planned, has no such subject: its names are not read at all (most triggers are nouns)."""
        trigger = draft.trigger
        own = (
            {_bare(self.text[word_start(trigger) : trigger.end])}
            if trigger.payload.get("pos") == "verb"
            else set()
        )
        speaker_acts = draft.modality in (Modality.ANNOUNCED, Modality.PLANNED)
        if not own and not speaker_acts:
            return None
        for named in reversed(before):  # the nearest first
            announces = speaker_acts and self._one_phrase(named.end, trigger.start)
            if self._next_to_any(named, (own | self._speech_verbs()) if announces else own):
                return named
        return None

    def _next_to_any(self, named: NamedMention, forms: set[str]) -> bool:
        """The word right before or right after the name, bare, is one of ``forms``."""
        if not forms:
            return False
        previous = self._words_before(named.start, 1)
        following = self._tokens_after(named.end, 1)
        return any(w in forms for w in (*previous, *(_bare(w) for w in following)))

    def _right_after(
        self, agents: list[NamedMention], pos: int, clause: Clause, subject: bool = False
    ) -> NamedMention | None:
        """The name within a few words after ``pos``, with no punctuation or function word between.
        A demonym there names the actor only as part of a verb's subject ("اعتقلت شرطة الحدود
        الإسرائيلية") or after adjectives and titles ("اتهامات رئيس الوزراء الإسرائيلي"); after
        another noun it describes that noun ("احتجاز قس أمريكي")."""
        for named in agents:
            if named.end <= pos:
                continue
            if named.start < pos:  # the name overlaps the trigger phrase: "سقوط نظام الأسد"
                return named
            gap = self.text[pos : named.start]
            if any(c in gap for c in '،,.:؛"') or clause.words_between(pos, named.start) >= GENITIVE_WINDOW:
                return None
            if self.reader.has_marker(pos, named.start, GAP_STOPS):
                return None
            if named.mention.how == "demonym" and not subject and not self._only_titles(pos, named.start):
                return None
            return named
        return None

    def _only_titles(self, start: int, end: int) -> bool:
        """Every word in ``[start, end)`` is a nisba adjective or part of a title (رئيس الوزراء)."""
        return all(
            _bare(self.text[s:e]).endswith(NISBA_ENDINGS) or any(t[0] <= s < t[1] for t in self._titles())
            for s, e in (w.span() for w in _WORD.finditer(self.text, start, end))
        )

    def _preposition_ends(self, pos: int, clause: Clause, prepositions: tuple[str, ...]) -> list[int]:
        """End of a preposition right after ``pos``: the agent of "ضغوط من", the parties of
        "محادثات مع روسيا" / "اتفاق بين"."""
        words = clause.words_from(pos, 2)
        return [end for start, end in words if self.text[start:end] in prepositions]

    def _in_place_position(self, named: NamedMention, clause: Clause) -> bool:
        """``_after_place_word``, read once per name (each event of its clause and the discourse
        places ask again)."""
        known = self._place_position.get(named.index)
        if known is None:
            known = self._place_position[named.index] = self._after_place_word(named, clause)
        return known

    def _after_place_word(self, named: NamedMention, clause: Clause) -> bool:
        """A name after a place word ("في سوريا", "بالكويت", "في تلك المناطق السورية"); a demonym
        right after an event word describes it ("في قصف إسرائيلي"), it is no place."""
        before = clause.word_starts_before(named.start, 2)  # the two words before the name's
        if named.mention.how == "demonym" and before and self._trigger_starts_in(before[-1], named.start):
            return False
        own_start = clause.word_start_at(named.start)  # where the name's word begins, proclitics included
        window_start = before[0] if before else (named.start if own_start is None else own_start)
        if self.reader.has_marker(window_start, named.start, ("place",)):
            return True
        return own_start is not None and "ب" in self.text[own_start : named.start]

    def _trigger_starts_in(self, start: int, end: int) -> bool:
        """Whether a trigger's word starts in ``[start, end)``."""
        k = bisect_left(self.trigger_starts, start)
        return k < len(self.trigger_starts) and self.trigger_starts[k] < end

    def _last_agent_before(self, clause: Clause) -> NamedMention | None:
        """The last agent named in the sentence before the clause (the antecedent of "، التي")."""
        start, _ = self.reader.sentence_range(clause.sentence)
        agents = self.reader.mentions_in(start, clause.start, AGENT_TYPES)
        return agents[-1] if agents else None

    def _attribution_entity(self, ref: SourceRef) -> str | None:
        attributions = self.analysis.article.attributions
        return attributions[ref.attribution].entity_id if ref.attribution < len(attributions) else None

    # ------------------------------------------------------------------ modality, source

    def _set_modality(self, draft: _Draft) -> None:
        """Negated when an odd number of negations govern the trigger; else the type's own modality;
        else that of the nearest cue before the trigger in its scope, which starts at the clause or
        at the end of the trigger before it (a verb with the future سـ is planned)."""
        clause, trigger = draft.clause, draft.trigger
        scope_start = max(clause.start, self._end_of_trigger_before(word_start(trigger)))
        in_scope = self.cues[
            bisect_left(self.cue_starts, scope_start) : bisect_left(self.cue_starts, trigger.start)
        ]
        before = [c for c in in_scope if self._cue_applies(c)]
        negations = [
            c for c in before if c.payload["modality"] == NEGATED and self._in_scope(c, trigger, clause)
        ]
        draft.negated = len(negations) % 2 == 1
        cue_modality = None
        for cue in reversed(before):
            modality = cue.payload["modality"]
            if modality not in (NEGATED, REPORTED):
                cue_modality = _MODALITIES[modality]
                break
        if trigger.payload.get("pos") == "verb" and FUTURE_PROCLITIC in trigger.prefix:
            cue_modality = Modality.PLANNED
        if draft.negated:
            draft.modality = Modality.NEGATED
        elif draft.record.modality is not None:
            draft.modality = draft.record.modality
        elif cue_modality is not None:
            draft.modality = cue_modality

    def _end_of_trigger_before(self, pos: int) -> int:
        """Where the last trigger ending at or before ``pos`` ends (-1 when none does)."""
        k = bisect_right(self.trigger_ends, pos)
        return self.trigger_ends[k - 1] if k else -1

    def _announcer_acts(self, draft: _Draft) -> None:
        """What a named body announces with no actor of its own is its own action ("أعلنت قيادة
        التحالف عن إعادة تموضع قواتها") when it is what is announced, right after the announcer;
        not an event named in another phrase ("أعلنت وزارة الصحة وفاة اثنين، جراء القصف")."""
        if "actor" in draft.roles or draft.modality is not Modality.ANNOUNCED or draft.attribution is None:
            return
        source = self.analysis.article.attributions[draft.attribution]
        if source.kind in (AttributionKind.NAMED, AttributionKind.NAMED_ORGANISATION):
            ref = next(r for r in self.refs if r.attribution == draft.attribution)
            if self._one_phrase(ref.end, word_start(draft.trigger)):
                draft.roles["actor"] = [((ref.start, ref.end), source.entity_id)]

    def _in_scope(self, cue: LexMatch, trigger: LexMatch, clause: Clause) -> bool:
        """A cue with a ``scope`` governs only that many words after it ("لم تنسحب", "لم يشنوا
        الهجوم"); one without (نفى) governs the rest of its clause."""
        scope = cue.payload.get("scope")
        return scope is None or clause.words_between(cue.end, word_start(trigger)) < scope

    def _cue_applies(self, cue: LexMatch) -> bool:
        value = cue.payload
        if value.get("modality") is None:
            return False
        if value.get("next") != "imperfect":
            return True
        following = self._words_after(cue.end, 1)
        return bool(following) and following[0][:1] in IMPERFECT_PREFIXES and len(following[0]) > 2

    def _attribution(self, draft: _Draft) -> int | None:
        here = [r for r in self.refs if r.sentence == draft.clause.sentence]
        if not here:
            return None
        attributions = self.analysis.article.attributions

        def rank(ref: SourceRef) -> tuple[bool, bool, int]:
            outlet = (
                ref.attribution < len(attributions)
                and attributions[ref.attribution].kind is AttributionKind.OUTLET
            )
            return (outlet, ref.cue > draft.trigger.start, abs(ref.cue - draft.trigger.start))

        return min(here, key=rank).attribution

    # ------------------------------------------------------------------ output

    def _event_fields(self, draft: _Draft) -> dict[str, Any]:
        """An event's fields, its roles and trigger among them, for the article's events to be
        validated in one call rather than a model per event, role and trigger."""
        roles = [
            {
                "role": role,
                "entity_id": entity_id,
                "inferred": role in draft.inferred,
                **self._role_span(where),
            }
            for role, fillers in draft.roles.items()
            for where, entity_id in fillers
        ]
        return {
            **self.analysis.evidence(*draft.clause.words_span()),
            "type": draft.record.id,
            "plover": draft.record.plover,
            "trigger": self.analysis.evidence(
                word_start(draft.trigger) + _article_len(draft.trigger), draft.trigger.end
            ),
            "sentence": draft.clause.sentence,
            "roles": roles,
            "time": draft.time,
            "quantities": sorted(draft.quantities),
            "modality": draft.modality,
            "attribution": draft.attribution,
            "negated": draft.negated,
        }

    def _role_span(self, where: NamedMention | tuple[int, int]) -> dict[str, Any]:
        if isinstance(where, NamedMention):
            m = where.mention
            return {"start": m.start, "end": m.end, "text": self.analysis.article.text[m.start : m.end]}
        return self.analysis.evidence(*where)


# ---------------------------------------------------------------------- helpers

_EVENT_LIST = TypeAdapter(list[Event])


@lru_cache(maxsize=4096)
def _normalised(words: tuple[str, ...]) -> tuple[str, ...]:
    """Constraint words in the form ``_words_after`` gives: normalised, without clitics and article."""
    return tuple(" ".join(_bare(w) for w in normalize_key(phrase).split()) for phrase in words)


def _bare(word: str) -> str:
    """A normalised word without its punctuation, proclitics و/ف/ب/ل and article."""
    word = word.strip(PUNCTUATION)
    clitics = _CLITICS.match(word)
    return word[clitics.end() :] if clitics else word


def _article_len(m: LexMatch) -> int:
    """Keep the article in the trigger text but not the conjunction/preposition clitics."""
    return len(m.prefix) - (2 if m.prefix.endswith("ال") else 0)


def _wants_discourse_place(draft: _Draft) -> bool:
    """An event with no place of its own, of a type that happens where the discourse is."""
    record = draft.record
    return "place" not in draft.roles and "place" in record.roles and record.discourse_place


def _set_time(draft: _Draft, index: int) -> None:
    if draft.time is None:
        draft.time = index


def _inherit(draft: _Draft, previous: _Draft) -> None:
    """A continuing clause goes on with the actor, modality and source of the clause before it."""
    if "actor" not in draft.roles and "actor" in previous.roles:
        draft.roles["actor"] = previous.roles["actor"]
    if draft.modality is Modality.REPORTED and not draft.negated:
        draft.modality = previous.modality
    if draft.attribution is None:
        draft.attribution = previous.attribution


def _merge_coreferent(drafts: list[_Draft], time_value: Callable[[int], str | None]) -> list[_Draft]:
    """Merge mentions of one event (the abstract and the lede of a wire story say it twice)."""
    kept: list[_Draft] = []
    for draft in drafts:
        same = next((k for k in reversed(kept) if _coreferent(k, draft, time_value)), None)
        if same is None:
            kept.append(draft)
            continue
        richer, poorer = (draft, same) if draft.filled() > same.filled() else (same, draft)
        for role, fillers in poorer.roles.items():
            richer.roles.setdefault(role, fillers)
        richer.time = richer.time if richer.time is not None else poorer.time
        richer.quantities = richer.quantities or poorer.quantities
        richer.attribution = richer.attribution if richer.attribution is not None else poorer.attribution
        kept[kept.index(same)] = richer
    return kept


def _coreferent(a: _Draft, b: _Draft, time_value: Callable[[int], str | None]) -> bool:
    if a.record.id != b.record.id or a.negated != b.negated:
        return False
    for role in ("actor", "target", "place"):
        ids_a, ids_b = a.role_ids(role), b.role_ids(role)
        if ids_a and ids_b and ids_a != ids_b:
            return False
    if a.time is not None and b.time is not None and time_value(a.time) != time_value(b.time):
        return False
    return not (a.quantities and b.quantities and set(a.quantities) != set(b.quantities))
