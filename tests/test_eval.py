"""The evaluation harness: gold-format readers and the time-expression scores on the shared dev set."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from eval.readers.conll import bio_spans, parse_conll
from eval.readers.timeml import parse_timeml

SHARED_EVAL = Path(__file__).parents[2] / "shared" / "eval"


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.type) for s in bio_spans(tags)]


def test_timeml_offsets_into_text_without_tags() -> None:
    markup = (
        '<?xml version="1.0"?>\n<TimeML>\n\ufeffيفتتح بعد غد <TIMEX3 tid="t1" type="DATE" value="2015-12-22">'
        'الثلاثاء</TIMEX3> المعرض ويستمر <TIMEX3 tid="t2" type="DURATION" value="P2D">يومين</TIMEX3>'
        ".</TimeML>"
    )
    doc = parse_timeml(markup, "doc")
    assert "<" not in doc.text and "\ufeff" not in doc.text
    assert [(doc.text[t.start : t.end], t.type, t.value) for t in doc.timexes] == [
        ("الثلاثاء", "DATE", "2015-12-22"),
        ("يومين", "DURATION", "P2D"),
    ]


def test_conll_two_column_without_blank_lines() -> None:
    text = "فرانكفورت B-LOC\nأعلن O\nاتحاد B-ORG\nالصناعة I-ORG\n. O\nقال O\nبوتين B-PERS\n"
    sentences = parse_conll(text)
    assert len(sentences) == 2
    assert spans([tag for _, tag in sentences[0]]) == [(0, 1, "LOC"), (2, 4, "ORG")]
    assert sentences[1][1] == ("بوتين", "B-PERS")


def test_conll_multicolumn_wojood_and_blank_lines() -> None:
    text = "فقد O O\nحرصت O O\nروسيا B-ORG B-GPE\n\nفلسطين I-ORG B-GPE\n"
    sentences = parse_conll(text)
    assert [len(s) for s in sentences] == [3, 1]
    assert sentences[0][2] == ("روسيا", "B-ORG")
    assert spans(["O", "I-ORG", "I-ORG", "B-ORG", "O"]) == [(1, 3, "ORG"), (3, 4, "ORG")]


def test_timex_dev_scores() -> None:
    if not (SHARED_EVAL / "timex-ar-dev").is_dir():
        pytest.skip("shared timex gold not available")
    from eval.tasks import timex

    began = time.perf_counter()
    scores = {(s.dataset, s.mode): s for s in timex.run(SHARED_EVAL)}
    assert time.perf_counter() - began < 60
    assert scores[("timex-ar-dev", "strict")].f1 >= 0.75
    assert scores[("timex-ar-dev", "relaxed")].f1 >= 0.85
    # the last 40% of the documents stand in for the held-back set: the gap must stay small
    assert scores[("timex-ar-dev (docs 16-25)", "relaxed")].f1 >= 0.82
    assert scores[("timex-ar-dev", "value_absolute_dates")].extra["accuracy"] >= 0.90


def test_the_harness_runs_every_task_and_writes_its_report(tmp_path: Path) -> None:
    if not SHARED_EVAL.is_dir():
        pytest.skip("shared eval data not available")
    import json

    from eval.__main__ import main

    began = time.perf_counter()
    assert main(["--shared", str(SHARED_EVAL), "--out", str(tmp_path)]) == 0
    assert time.perf_counter() - began < 120
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["problems"] == []
    assert {"timex", "ner", "seed-gold"} <= {row["task"] for row in results["scores"]}
    report = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "Revision:" in report and "## Errors" in report
