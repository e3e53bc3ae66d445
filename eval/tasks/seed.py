"""Seed-gold readings (``*.gold.json`` beside an article under ``<shared>/corpus``) as a harness task."""

from __future__ import annotations

import json
from pathlib import Path

from eval.harness import Score
from eval.seed_check import check, read_article


def gold_files(shared_eval: Path) -> list[Path]:
    corpus = shared_eval.parent / "corpus"
    return sorted(corpus.rglob("*.gold.json")) if corpus.is_dir() else []


def run(shared_eval: Path) -> list[Score]:
    scores: list[Score] = []
    for gold_path in gold_files(shared_eval):
        article_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")
        if not article_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for cat in check(gold, read_article(article_path, None)):
            precision_tp = cat.tp if cat.precision_tp is None else cat.precision_tp
            scores.append(
                Score(
                    task="seed-gold",
                    dataset=article_path.stem,
                    mode=cat.name,
                    tp=cat.tp,
                    fp=max(cat.predicted - precision_tp, 0),
                    fn=cat.gold - cat.tp,
                    errors=[{"kind": "miss", "text": m} for m in cat.misses]
                    + [{"kind": "false_alarm", "text": f} for f in cat.false_alarms],
                )
            )
    return scores
