"""Named entities against CoNLL/BIO gold (every ``*.txt`` test file under ``ner-*`` folders of the
shared eval data): span-level strict P/R/F1 per type and overall.

Gold tokens are joined with single spaces into the sentence text our extractor reads; each mention
is mapped to the tokens it overlaps (a mention without its proclitic و still covers the gold token
``ونايفة``).  Demonym and anaphora mentions are not names and are left out.  Our types map to the
dataset's: ANERcorp has only PERS/LOC/ORG (GPE, LOC and FACILITY → LOC; MISC is not scored);
Wojood keeps GPE, LOC and FAC apart and is nested (one tag column per level: فلسطين in جريدة فلسطين
is ORG outside, GPE inside); besides its flat outer level it is scored "strict nested", against the
gold spans of every level.  Training splits are never read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from eval.harness import Score
from eval.readers.conll import EntitySpan, Sentence, bio_spans, read_conll
from marsad.extract.entities import extract_entities
from marsad.kb.loader import KnowledgeBase, load_kb
from marsad.models import Article, EntityType, Mention, Span
from marsad.text.analysis import analyse

TASK = "ner"
NOT_NAMES = {"demonym", "anaphora"}
ANERCORP_TYPES = {
    EntityType.PERSON: "PERS",
    EntityType.ORG: "ORG",
    EntityType.GPE: "LOC",
    EntityType.LOC: "LOC",
    EntityType.FACILITY: "LOC",
}
WOJOOD_TYPES = {
    EntityType.PERSON: "PERS",
    EntityType.ORG: "ORG",
    EntityType.GPE: "GPE",
    EntityType.LOC: "LOC",
    EntityType.FACILITY: "FAC",
}
# Test files only: the CAMeL Lab ANERcorp test split and Wojood's test.txt.
DATASETS = {
    "anercorp/ANERCorp_CamelLab_test.txt": ANERCORP_TYPES,
    "wojood-sample/test.txt": WOJOOD_TYPES,
}

Found = tuple[int, int, int, str]  # sentence, first token, end token, type


def run(shared_eval: Path) -> list[Score]:
    scores: list[Score] = []
    kb = load_kb()
    for folder in sorted(shared_eval.glob("ner-*")):
        for relative, types in DATASETS.items():
            path = folder / relative
            if not path.is_file():
                continue
            sentences = read_conll(path)
            scores += _score(f"{folder.name}/{relative}", sentences, types, kb)
            levels = _nested_levels(path)
            if len(levels) == len(sentences) and any(len(tags) > 1 for s in levels for tags in s):
                scores += _score(f"{folder.name}/{relative}", sentences, types, kb, levels)
    return scores


def _nested_levels(path: Path) -> list[list[list[str]]]:
    """Per sentence, per token, the tags of every nesting level (the columns after the token)."""
    sentences: list[list[list[str]]] = [[]]
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        columns = line.split()
        if columns:
            sentences[-1].append(columns[1:])
        elif sentences[-1]:
            sentences.append([])
    return [s for s in sentences if s]


def _gold_spans(k: int, tags: list[list[str]], labels: list[str]) -> set[Found]:
    """Gold spans of sentence ``k`` at every level, of the scored labels."""
    spans: set[Found] = set()
    for level in range(max(len(t) for t in tags)):
        column = [t[level] if level < len(t) else "O" for t in tags]
        spans |= {(k, s.start, s.end, s.type) for s in bio_spans(column) if s.type in labels}
    return spans


def predict(tokens: list[str], types: dict[EntityType, str], kb: KnowledgeBase) -> list[EntitySpan]:
    """Our entity mentions in a tokenised sentence, as token spans of the dataset's types."""
    text = " ".join(tokens)
    starts, offset = [], 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    article = Article(id="ner", source="ner", text=text, paragraphs=[Span(start=0, end=len(text), text=text)])
    mentions, _ = extract_entities(analyse(article, kb), kb)
    return [_token_span(m, starts, tokens, types[m.type]) for m in mentions if m.how not in NOT_NAMES]


def _token_span(m: Mention, starts: list[int], tokens: list[str], label: str) -> EntitySpan:
    first = max(i for i, s in enumerate(starts) if s <= m.start)
    last = max(i for i, s in enumerate(starts) if s < m.end)
    return EntitySpan(first, last + 1, label)


def _score(
    dataset: str,
    sentences: list[Sentence],
    types: dict[EntityType, str],
    kb: KnowledgeBase,
    levels: list[list[list[str]]] | None = None,
) -> list[Score]:
    """Strict scores overall and per type; with ``levels``, against the gold spans of every level."""
    labels = sorted(set(types.values()))
    mode = "strict nested" if levels else "strict"
    gold: set[Found] = set()
    system: set[Found] = set()
    for k, sentence in enumerate(sentences):
        tags = levels[k] if levels is not None else [[tag] for _, tag in sentence]
        gold |= _gold_spans(k, tags, labels)
        system |= {(k, s.start, s.end, s.type) for s in predict([t for t, _ in sentence], types, kb)}
    scores = [_count(dataset, mode, gold, system, sentences)]
    for label in labels:
        of_label = {f for f in gold if f[3] == label}, {f for f in system if f[3] == label}
        scores.append(_count(dataset, f"{mode} {label}", *of_label, None))
    return scores


def _count(dataset: str, mode: str, gold: set[Found], system: set[Found], sentences: list[Sentence] | None):
    score = Score(TASK, dataset, mode, tp=len(gold & system), fp=len(system - gold), fn=len(gold - system))
    if sentences is not None:
        score.errors = [
            *_errors("miss", gold - system, sentences),
            *_errors("false_alarm", system - gold, sentences),
        ]
    return score


def _errors(kind: str, found: Iterable[Found], sentences: list[Sentence]) -> list[dict[str, str]]:
    errors = []
    for k, start, end, label in sorted(found):
        tokens = [token for token, _ in sentences[k]]
        errors.append(
            {
                "kind": kind,
                "text": f"{' '.join(tokens[start:end])} ({label})",
                "sentence": " ".join(tokens)[:300],
            }
        )
    return errors
