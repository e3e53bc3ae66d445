"""Time expressions against TimeML gold (every ``timex*`` folder of .tml files under the shared eval
data): TempEval-3 style extent P/R/F1 strict and relaxed (overlap), type and value F1 on relaxed
matches, and value accuracy where the gold value is an absolute calendar date.

TimeML documents here carry no creation time: a document is anchored on the gold value of its
"اليوم" where it has one (as the dataset README says), otherwise it has no anchor and relative
expressions get no value.  "Absolute" gold values are calendar dates (1887, 2015-04, 2001-09-11)
that can be determined: the document is anchored, or the expression writes its year out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from eval.harness import Score
from eval.readers.timeml import TimeMLDocument, Timex, read_timeml
from marsad.extract.time import extract_times
from marsad.kb.loader import load_kb
from marsad.models import Article, Span, TimeExpression
from marsad.text.analysis import analyse
from marsad.text.normalize import normalize_key

TASK = "timex"
TODAY = normalize_key("اليوم")
CALENDAR_DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")
WRITTEN_YEAR = re.compile(r"[0-9\u0660-\u0669]{4}")
HOLDOUT_SHARE = 0.4  # the last 40% of a dataset's documents, watched as a pseudo held-out set
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?؟\n]")

Pair = tuple[Timex, TimeExpression]


def run(shared_eval: Path) -> list[Score]:
    scores: list[Score] = []
    for folder in sorted(shared_eval.glob("timex*")):
        paths = sorted(folder.glob("*.tml"), key=_natural)
        if not paths:
            continue
        docs = [read_timeml(p) for p in paths]
        results = [(doc, _system(doc)) for doc in docs]
        cut = len(results) - round(len(results) * HOLDOUT_SHARE)
        scores += _score(folder.name, results)
        scores += _score(f"{folder.name} (docs 1-{cut})", results[:cut], errors=False)
        scores += _score(f"{folder.name} (docs {cut + 1}-{len(results)})", results[cut:], errors=False)
    return scores


def anchor_of(doc: TimeMLDocument) -> str | None:
    """The document's creation time, else the gold value of its "اليوم" (a full date)."""
    if doc.creation_time:
        return doc.creation_time
    for timex in doc.timexes:
        if (
            normalize_key(timex.text) == TODAY
            and timex.value
            and re.fullmatch(r"\d{4}-\d\d-\d\d", timex.value)
        ):
            return timex.value
    return None


def _system(doc: TimeMLDocument) -> list[TimeExpression]:
    kb = load_kb()
    paragraphs = [Span(start=m.start(), end=m.end(), text=m.group()) for m in _LINE.finditer(doc.text)]
    article = Article(
        id=doc.name, source=doc.name, text=doc.text, paragraphs=paragraphs, published=anchor_of(doc)
    )
    return extract_times(analyse(article, kb), kb)


def _score(dataset: str, results: list[tuple[TimeMLDocument, list[TimeExpression]]], errors: bool = True):
    strict = Score(TASK, dataset, "strict", 0, 0, 0)
    relaxed = Score(TASK, dataset, "relaxed", 0, 0, 0)
    typed = Score(TASK, dataset, "type", 0, 0, 0)
    valued = Score(TASK, dataset, "value", 0, 0, 0)
    absolute = Score(TASK, dataset, "value_absolute_dates", 0, 0, 0)
    for doc, system in results:
        n_gold, n_sys = len(doc.timexes), len(system)
        exact = len(_match(doc.timexes, system, lambda g, s: (g.start, g.end) == (s.start, s.end)))
        _add(strict, exact, n_gold, n_sys)
        pairs = _match(doc.timexes, system, lambda g, s: g.start < s.end and s.start < g.end)
        _add(relaxed, len(pairs), n_gold, n_sys)
        _add(typed, sum(g.type == s.type.value for g, s in pairs), n_gold, n_sys)
        _add(valued, sum(g.value == s.value for g, s in pairs), n_gold, n_sys)
        matched = {id(g): s for g, s in pairs}
        anchored = anchor_of(doc) is not None
        for g in doc.timexes:
            if not (
                g.value and CALENDAR_DATE.fullmatch(g.value) and (anchored or WRITTEN_YEAR.search(g.text))
            ):
                continue
            s = matched.get(id(g))
            if s is None:
                absolute.fn += 1
            elif s.value == g.value:
                absolute.tp += 1
            else:
                absolute.fp += 1
                if errors:
                    absolute.errors.append(
                        _error("wrong_value", doc, g.start, f"{g.text} → {s.value} (gold {g.value})")
                    )
        if errors:
            found = {id(s) for _, s in pairs}
            relaxed.errors += [
                _error("miss", doc, g.start, g.text) for g in doc.timexes if id(g) not in matched
            ]
            relaxed.errors += [
                _error("false_alarm", doc, s.start, s.text) for s in system if id(s) not in found
            ]
    checked = absolute.tp + absolute.fp
    absolute.extra["accuracy"] = absolute.tp / checked if checked else 0.0
    typed.extra["accuracy_on_matches"] = typed.tp / relaxed.tp if relaxed.tp else 0.0
    valued.extra["accuracy_on_matches"] = valued.tp / relaxed.tp if relaxed.tp else 0.0
    return [strict, relaxed, typed, valued, absolute]


def _add(score: Score, correct: int, n_gold: int, n_sys: int) -> None:
    score.tp += correct
    score.fp += n_sys - correct
    score.fn += n_gold - correct


def _match(gold: list[Timex], system: list[TimeExpression], same: Callable) -> list[Pair]:
    """One-to-one matches, each gold item to the first unused system item that fits it."""
    used: set[int] = set()
    pairs: list[Pair] = []
    for g in gold:
        for k, s in enumerate(system):
            if k not in used and same(g, s):
                used.add(k)
                pairs.append((g, s))
                break
    return pairs


def _error(kind: str, doc: TimeMLDocument, offset: int, text: str) -> dict[str, str]:
    starts = [m.end() for m in _SENTENCE_END.finditer(doc.text, 0, offset)]
    start = starts[-1] if starts else 0
    end_match = _SENTENCE_END.search(doc.text, offset)
    end = end_match.start() if end_match else len(doc.text)
    sentence = doc.text[start:end].strip()
    return {"kind": kind, "text": text, "sentence": sentence[:300], "doc": doc.name}


def _natural(path: Path) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path.stem))
