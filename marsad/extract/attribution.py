"""Who says so: sources introduced by a speech verb (قال/أكد/أعلن …) or an "according to" phrase.

The source is read right after the verb (news Arabic puts the verb first: "وقالت مصادر دبلوماسية
غربية", "أعلنت قيادة التحالف الدولي"); a subject before the verb ("أن الولايات المتحدة أعلنت") is
reported content, not a source.  What follows decides the kind:

* a source noun (``source_nouns``) with its adjectives, and a name it governs ("تقرير معهد
  واشنطن"): anonymous / report / estimate / outlet;
* a name (an entity mention, with a head noun before it: "قيادة التحالف الدولي"): named for a
  person, outlet for a media body, named_organisation otherwise;
* ``لـ"…"`` or a media name after the source: the outlet the source spoke to.

Coreference: a later definite bare source noun ("وأكدت المصادر") and a verb with no subject of its
own ("وأضاف أن …") refer to the latest source of the same kind / the latest source: they add no new
attribution, but events in their sentence point to that earlier one (``SourceRef``).  A named
source cited again is the same attribution.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from marsad.extract.clauses import NamedMention, sentence_reader, word_start
from marsad.kb.loader import KnowledgeBase
from marsad.models import Attribution, AttributionKind, EntityType, Modality
from marsad.text.analysis import Analysis
from marsad.text.lexicon import LexMatch

SPEECH_VERB = "speech_verb"
SOURCE_NOUN = "source_noun"
VERB_PROCLITICS = set("وف")
# Nisba adjectives and feminine/plural agreement endings (دبلوماسية, أمني, أمريكيون, مطلعة), normalised.
_ADJECTIVE_ENDINGS = ("ي", "يه", "يون", "يين", "ه", "ات")
_NEGATION_OF_ADJECTIVE = "غير"
_MAX_ADJECTIVES = 3
_APPOSITION_WORDS = 4  # a person named within this many words after "الرئيس الإيراني"
_QUOTED_AFTER_LAM = re.compile(r'\s*[،,]?\s*ل\s*"([^"\n]{2,40})"')
_WORD = re.compile(r"\w+")
_MODALITIES = {m.value: m for m in Modality}  # a dictionary lookup, not an enum call per verb


class SourceRef(NamedTuple):
    """A place in a sentence where a source speaks: which attribution, and the verb's modality (a
    named tuple: the cheapest immutable record to make)."""

    attribution: int
    sentence: int
    cue: int  # normalised offset of the speech verb
    modality: Modality
    start: int  # normalised span of the source as written here
    end: int


def extract_attributions(analysis: Analysis, kb: KnowledgeBase) -> list[Attribution]:
    return locate_sources(analysis, kb)[0]


def locate_sources(analysis: Analysis, kb: KnowledgeBase) -> tuple[list[Attribution], list[SourceRef]]:
    """Attributions of the article, and every place a source speaks (one per speech verb).  Found once
    per article (the event extractor reads the places again); each caller gets its own lists."""
    article = analysis.article
    inputs = (kb, article.mentions, article.times, article.sentences)
    attributions, refs = analysis.cached("sources", inputs, lambda: _SourceFinder(analysis, kb).run())
    return list(attributions), list(refs)


_ATTRIBUTION_LIST = TypeAdapter(list[Attribution])


class _SourceFinder:
    def __init__(self, analysis: Analysis, kb: KnowledgeBase) -> None:
        self.analysis = analysis
        self.kb = kb
        self.reader = sentence_reader(analysis)
        self.noun_at: dict[int, LexMatch] = {}  # the first source noun whose word starts here
        for m in analysis.found(SOURCE_NOUN):
            self.noun_at.setdefault(word_start(m), m)
        self.speech_verbs = analysis.found(SPEECH_VERB)
        self.function_words = self.reader.marker_starts | {word_start(m) for m in self.speech_verbs}
        self.attributions: list[dict[str, Any]] = []  # their fields, validated in one call at the end
        self.refs: list[SourceRef] = []
        self.noun_heads: dict[int, str] = {}  # attribution index → its source noun, for coreference

    def run(self) -> tuple[list[Attribution], list[SourceRef]]:
        for verb in self.speech_verbs:
            according_to = bool(verb.payload.get("according_to"))
            if not according_to and not set(verb.prefix) <= VERB_PROCLITICS:
                continue
            sentence = self.analysis.sentence_at(self.analysis.norm.to_original(verb.start))
            if sentence is None or (not according_to and self._not_a_saying(verb)):
                continue
            self._read(verb, sentence, according_to)
        return _ATTRIBUTION_LIST.validate_python(self.attributions), self.refs

    def _not_a_saying(self, verb: LexMatch) -> bool:
        """A verb after a preposition is a verbal noun ("أعلنت عن نقل المسجون"), and after its own
        subject ("أن إسرائيل أبلغت روسيا") the name that follows is who was told, not who says."""
        start = word_start(verb)
        text = self.reader.text
        end = start  # the end of the word before (normalised text has no whitespace but spaces)
        while end > 0 and text[end - 1] == " ":
            end -= 1
        previous = end - (text.rfind(" ", 0, end) + 1)  # its length
        if self.reader.has_marker(start - 1 - previous, start, ("preposition",)):
            return True
        return self.reader.mention_right_before(start) is not None

    def _read(self, verb: LexMatch, sentence: int, according_to: bool) -> None:
        _, s_end = self.reader.sentence_range(sentence)
        modality = _MODALITIES[verb.payload["modality"]]
        start = self.reader.skip_fillers(verb.end, s_end)
        if '"' in self.reader.text[verb.end : start]:  # وأضاف "كندا تطالب …": a quotation, no source
            return
        # The source's sentence is the verb's, unless the fillers after the verb ran to its end.
        at = sentence if start < s_end else self.analysis.sentence_at(self.analysis.norm.to_original(start))
        found = self._source_at(start, s_end, at, according_to, bool(verb.payload.get("nouns_only")))
        if found is None:
            if not according_to and self._is_complementizer(start) and self.refs:
                last = self.refs[-1]
                self.refs.append(
                    SourceRef(last.attribution, sentence, verb.start, modality, last.start, last.end)
                )
            return
        index, src_start, src_end = found
        self.refs.append(SourceRef(index, sentence, verb.start, modality, src_start, src_end))
        outlet = self._outlet_after(src_end, s_end, sentence)
        if outlet is not None:
            self.refs.append(SourceRef(outlet, sentence, verb.start, modality, src_start, src_end))

    # ------------------------------------------------------------------ what stands after the verb

    def _source_at(
        self, start: int, end: int, sentence: int | None, according_to: bool, nouns_only: bool
    ) -> tuple[int, int, int] | None:
        noun = self.noun_at.get(start)
        if noun is not None:
            named = self.reader.first_mention_in(start, start + 1)
            if named is None or named.end <= noun.end:  # "وكالة رويترز" is a name
                return self._source_noun(noun, end, sentence)
        if nouns_only:
            return None
        words = list(islice(_WORD.finditer(self.reader.text, start, end), 2))
        for k, word in enumerate(words):
            mention = self.reader.first_mention_in(word.start(), word.end() + 1)
            if mention is None:
                if according_to or self._is_marker(word.start()):
                    return None
                continue
            if k == 1 and self.reader.first_mention_in(words[0].start(), words[0].end()) is not None:
                return None
            if '"' in self.reader.text[start : mention.start]:  # قال الأسد "سأزور كوريا": a quotation
                return None
            mention = self._person_described(mention, end)
            kind = self._kind_of(mention.mention.entity_id, mention.mention.type)
            span_start = start if k == 1 else mention.start
            span_start = min(span_start, mention.start)
            index = self._add(span_start, mention.end, kind, mention.mention.entity_id, sentence, dedupe=True)
            return index, span_start, mention.end
        return None

    def _person_described(self, mention: NamedMention, limit: int) -> NamedMention:
        """The title with a demonym describes the person named next, who is the source:
        "الرئيس الإيراني، حسن روحاني", "الرئيس التركي رجب طيب أردوغان"."""
        if mention.mention.how != "demonym":
            return mention
        following = list(islice(_WORD.finditer(self.reader.text, mention.end, limit), _APPOSITION_WORDS))
        if not following:
            return mention
        person = self.reader.first_mention_in(mention.end, following[-1].end(), (EntityType.PERSON,))
        if person is None or self.reader.has_marker(mention.end, person.start, ("complementizer",)):
            return mention
        return person

    def _source_noun(self, noun: LexMatch, limit: int, sentence: int | None) -> tuple[int, int, int] | None:
        kind = AttributionKind(noun.payload["kind"])
        end = self._adjectives_end(noun.end, limit)
        entity_id = None
        nxt = self.reader.next_word_start(end, limit)
        adjacent = nxt is not None and not self.reader.text[end:nxt].strip()
        governed = self.reader.first_mention_in(nxt, nxt + 3) if adjacent else None
        if governed is not None and kind is not AttributionKind.ESTIMATE:
            entity_id = governed.mention.entity_id
            end = self._adjectives_end(governed.end, limit)
        elif kind is AttributionKind.REPORT:
            end = self._name_words_end(end, limit)
        head = self.reader.text[noun.start : noun.end]
        definite_bare = noun.prefix.endswith("ال") and end == noun.end
        if definite_bare:
            earlier = next(
                (i for i in reversed(range(len(self.attributions))) if self.noun_heads.get(i) == head),
                None,
            )
            if earlier is not None:
                return earlier, word_start(noun), end
        index = self._add(word_start(noun), end, kind, entity_id, sentence, dedupe=False)
        self.noun_heads.setdefault(index, head)
        return index, word_start(noun), end

    def _adjectives_end(self, pos: int, limit: int) -> int:
        """End of the adjectives agreeing with a noun ending at ``pos`` ("دبلوماسية غربية", "غير رسمية")."""
        end = pos
        for _ in range(_MAX_ADJECTIVES):
            word = _WORD.match(self.reader.text, end + 1) if end + 1 < limit else None
            if word is None or self.reader.text[end] != " " or self._is_marker(word.start()):
                break
            if word.group() == _NEGATION_OF_ADJECTIVE:
                following = _WORD.match(self.reader.text, word.end() + 1)
                if following is None:
                    break
                end = following.end()
                continue
            if not word.group().endswith(_ADJECTIVE_ENDINGS):
                break
            if self.reader.first_mention_in(word.start(), word.end()) is not None:
                break  # a name that ends like an adjective
            end = word.end()
        return end

    def _name_words_end(self, pos: int, limit: int) -> int:
        """For a report with no known issuer: the (up to two) name words that follow it."""
        end = pos
        for _ in range(2):
            word = _WORD.match(self.reader.text, end + 1) if end + 1 < limit else None
            if (
                word is None
                or self.reader.text[end] != " "
                or self._is_marker(word.start())
                or word.group().isdigit()
            ):
                break
            end = word.end()
        return end

    def _outlet_after(self, pos: int, limit: int, sentence: int) -> int | None:
        """The outlet a source spoke to: ``لـ"إرم نيوز"`` or a media name with ل right after the source."""
        quoted = _QUOTED_AFTER_LAM.match(self.reader.text, pos, limit)
        if quoted is not None:
            start, end = quoted.span(1)
            media = self.reader.first_mention_in(start, end)
            return self._add(
                start, end, AttributionKind.OUTLET, media.mention.entity_id if media else None, sentence, True
            )
        nxt = self.reader.next_word_start(pos, limit)
        if nxt is None or nxt - pos > 3 or not self.reader.text.startswith("ل", nxt):
            return None
        media = next(
            (m for m in self.reader.mentions_in(nxt, nxt + 3) if self._is_media(m.mention.entity_id)), None
        )
        if media is None:
            return None
        return self._add(
            media.start, media.end, AttributionKind.OUTLET, media.mention.entity_id, sentence, True
        )

    # ------------------------------------------------------------------ helpers

    def _add(
        self,
        start: int,
        end: int,
        kind: AttributionKind,
        entity_id: str | None,
        sentence: int | None,
        dedupe: bool,
    ) -> int:
        if dedupe and entity_id is not None:
            for i, a in enumerate(self.attributions):
                if a["entity_id"] == entity_id and a["kind"] is kind:
                    return i
        self.attributions.append(
            {
                **self.analysis.evidence(start, end),
                "kind": kind,
                "entity_id": entity_id,
                "sentence": sentence,
            }
        )
        return len(self.attributions) - 1

    def _kind_of(self, entity_id: str, entity_type: EntityType) -> AttributionKind:
        if entity_type is EntityType.PERSON:
            return AttributionKind.NAMED
        if self._is_media(entity_id):
            return AttributionKind.OUTLET
        return AttributionKind.NAMED_ORGANISATION

    def _is_media(self, entity_id: str) -> bool:
        record = self.kb.entities.get(entity_id)
        return record is not None and record.subtype in self.kb.role_rules.outlet_subtypes

    def _is_marker(self, pos: int) -> bool:
        """A function word (preposition, complementizer, clause marker) or another speech verb starts here."""
        return pos in self.function_words

    def _is_complementizer(self, pos: int) -> bool:
        return self.reader.has_marker(pos, pos + 1, ("complementizer",))
