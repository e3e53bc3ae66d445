"""Draw the fixed events review sample and print each event and attribution in one line, for judging.

Usage: ``python eval/review/events_sample.py [--list] [--seed N] [--n N]``.  The draw is seeded, so the
sample is the same list every time; ``events_sample.md`` records it with the judgements.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from marsad.ingest.readers import iter_documents
from marsad.kb.loader import load_kb
from marsad.models import Article
from marsad.pipeline import process

JUDGEMENTS = Path(__file__).with_name("judgements.tsv")
CORPUS = Path("/work/shared/corpus/ant-multisource")
# Alarabia has no middleEast folder in ANT v2.1: its conflict-relevant folder is internationalNews.
FOLDERS = {
    "BBC": "middleEast",
    "CNN": "middleEast",
    "France24": "middleEast",
    "SkyNews": "middleEast",
    "Alarabia": "internationalNews",
}


def draw(seed: int, per_outlet: int) -> list[Path]:
    """``per_outlet`` files from each outlet's folder, by a seeded draw over the sorted file names."""
    rng = random.Random(seed)
    chosen: list[Path] = []
    for outlet, folder in FOLDERS.items():
        files = sorted((CORPUS / outlet / folder).glob("*.txt"))
        chosen.extend(rng.sample(files, per_outlet))
    return chosen


def judged_items(article: Article) -> Iterator[tuple[str, str, str]]:
    """(key, field, value) of every item a reviewer judges: attributions, and each event's type,
    roles, time, figures, modality and source.  Keys survive re-runs (file, sentence, words)."""
    doc = Path(article.source.split("#")[0]).stem  # the ANT file name is its DOCNO
    for a in article.attributions:
        yield f"A|{doc}|{a.sentence}|{a.text}", "kind", a.kind.value
    for e in article.events:
        key = f"E|{doc}|{e.sentence}|{e.trigger.text}"
        yield key, "type", e.type
        for r in e.roles:
            yield key, r.role, f"{r.text}({r.entity_id})"
        if e.time is not None:
            yield key, "time", article.times[e.time].text
        if e.quantities:
            yield key, "figs", ",".join(article.quantities[i].text for i in e.quantities)
        yield key, "modality", e.modality.value + (" NEG" if e.negated else "")
        if e.attribution is not None:
            yield key, "source", article.attributions[e.attribution].text


def context(article: Article, key: str) -> str:
    """The sentence an item sits in, for the reviewer."""
    sentence = key.split("|")[2]
    return article.sentences[int(sentence)].text.replace("\n", " ")[:300] if sentence != "None" else ""


def load_judgements(path: Path) -> dict[tuple[str, str, str], str]:
    """``judgements.tsv``: key, field, value, verdict (y/n) — one row per judged value."""
    rows = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                key, fld, value, verdict = line.split("\t")
                rows[key, fld, value] = verdict
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20180)
    parser.add_argument("--n", type=int, default=8, help="articles per outlet")
    parser.add_argument("--list", action="store_true", help="print the file names only")
    args = parser.parse_args()
    files = draw(args.seed, args.n)
    if args.list:
        print("\n".join(str(f.relative_to(CORPUS)) for f in files))
        return
    judgements = load_judgements(JUDGEMENTS)
    kb = load_kb()
    good: Counter[str] = Counter()
    total: Counter[str] = Counter()
    unjudged = []
    for doc in iter_documents([str(f) for f in files]):
        article = process(doc, kb)
        if not isinstance(article, Article):
            continue
        for key, fld, value in judged_items(article):
            verdict = judgements.get((key, fld, value))
            if verdict is None:
                unjudged.append(f"{key}\t{fld}\t{value}\t?\t‖ {context(article, key)}")
                continue
            total[fld] += 1
            good[fld] += verdict == "y"
    for fld in sorted(total):
        print(f"{fld:10} {good[fld]:4}/{total[fld]:<4} {good[fld] / total[fld]:.2f}")
    if unjudged:
        print(f"# {len(unjudged)} unjudged:")
        print("\n".join(unjudged))


if __name__ == "__main__":
    main()
