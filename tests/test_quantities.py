"""Quantities on real Arabic sentences: counted nouns, cues, changes, parts, vague counts, non-quantities."""

import json
import random
from pathlib import Path

import pytest

from marsad.extract.quantities import _TimeSpans, extract_quantities
from marsad.kb.loader import KnowledgeBase, load_kb
from marsad.models import Quantity, RawDocument
from marsad.pipeline import process
from tests.arabic_sentences import analyse_text, lexicon_only_kb

SEED = Path(__file__).parents[2] / "shared" / "corpus" / "seed" / "erem-2025-05-28-coalition-syria"


@pytest.fixture(scope="module")
def lexicon_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return lexicon_only_kb(tmp_path_factory.mktemp("kb"))


def _quantities(text: str, kb: KnowledgeBase) -> list[Quantity]:
    analysis = analyse_text(text, kb)
    quantities = extract_quantities(analysis, kb)
    for q in quantities:
        assert text[q.start : q.end] == q.text
    return quantities


def _brief(q: Quantity) -> tuple:
    return (q.text, q.value, q.unit, q.approximate, q.bound)


def test_change_from_approximately_to_inherits_the_unit(lexicon_kb: KnowledgeBase) -> None:
    text = "أعلنت الوزارة خطة لتقليص قواتها من حوالي 5000 جندي إلى ما يقارب 3200 خلال العام"
    first, second = _quantities(text, lexicon_kb)
    assert _brief(first) == ("حوالي 5000 جندي", 5000, "soldier", True, None)
    assert _brief(second) == ("ما يقارب 3200", 3200, "soldier", True, None)
    assert first.change_to == 1 and second.unit_span is None


def test_part_of_a_whole_written_in_words(lexicon_kb: KnowledgeBase) -> None:
    text = "قررت القيادة إغلاق أربع قواعد من أصل عشر في الإقليم"
    part, whole = _quantities(text, lexicon_kb)
    assert _brief(part) == ("أربع قواعد", 4, "base", False, None)
    assert (whole.text, whole.value, whole.unit, part.part_of) == ("عشر", 10, "base", 1)


def test_number_after_its_noun_with_a_bound(lexicon_kb: KnowledgeBase) -> None:
    [q] = _quantities("أبقت الحكومة على مستشفى واحد على الأقل في المدينة", lexicon_kb)
    assert _brief(q) == ("مستشفى واحد على الأقل", 1, "hospital", False, "at_least")
    assert q.unit_span is not None and q.unit_span.text == "مستشفى"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل أكثر من 50 مدنيا في القصف", ("أكثر من 50 مدنيا", 50, "civilian", False, "more_than")),
        ("نزح نحو ٣ ملايين شخص", ("نحو ٣ ملايين شخص", 3e6, "person", True, None)),
        ("ارتفعت الأسعار 25 في المئة", ("25 في المئة", 25, "percent", False, None)),
        ("تراجعت البطالة إلى %7.5 فقط", ("%7.5", 7.5, "percent", False, None)),
        ("خصصت 2.5 مليار دولار للإعمار", ("2.5 مليار دولار", 2.5e9, "dollar", False, None)),
        ("شنت الطائرات ثلاثين غارة", ("ثلاثين غارة", 30, "airstrike", False, None)),
        ("سقط صاروخان على المطار", ("صاروخان", 2, "missile", False, None)),
        ("أسفر الانفجار عن عشرات القتلى", ("عشرات القتلى", 10, "killed", True, "more_than")),
    ],
)
def test_counted_nouns_cues_and_vague_counts(text: str, expected: tuple, lexicon_kb: KnowledgeBase) -> None:
    assert [_brief(q) for q in _quantities(text, lexicon_kb)] == [expected]


def test_others_repeat_the_unit_counted_before(lexicon_kb: KnowledgeBase) -> None:
    killed, wounded = _quantities("أسفر الهجوم عن مقتل 12 شخصا وإصابة 30 آخرين", lexicon_kb)
    assert _brief(killed) == ("12 شخصا", 12, "person", False, None)
    assert (wounded.text, wounded.value, wounded.unit) == ("30 آخرين", 30, "person")


def test_others_after_a_status_count_are_people(lexicon_kb: KnowledgeBase) -> None:
    killed, wounded = _quantities("سقط 5 قتلى وأصيب 40 آخرون في الانفجار", lexicon_kb)
    assert (killed.unit, wounded.text, wounded.unit) == ("killed", "40 آخرون", "person")


def test_others_without_a_counted_noun_before_have_no_unit(lexicon_kb: KnowledgeBase) -> None:
    [q] = _quantities("انتشلت فرق الإنقاذ الضحية وأنقذت 3 آخرين", lexicon_kb)
    assert (q.text, q.value, q.unit) == ("3 آخرين", 3, None)


@pytest.mark.parametrize(
    "text",
    [
        "نشر الخبر في 28 مايو 2025، 4:48 م",
        "وقعت الحرب بين عامي 1950 و1953 وفق القرار 2254",
        "خلال الأسابيع الثلاثة الأخيرة وفي الأشهر الأربعة الأولى من عام 2024",
        "قد يعود التنظيم خلال عام إلى عامين",
        "اتصلوا على الرقم 0551-234-567 أو اقرأ المادة 5",
        "تقدمت الفرقة الرابعة نحو المدينة",
    ],
)
def test_dates_times_codes_and_ordinals_are_not_quantities(text: str, lexicon_kb: KnowledgeBase) -> None:
    assert _quantities(text, lexicon_kb) == []


def test_seed_article_gold_quantities(lexicon_kb: KnowledgeBase) -> None:
    if not SEED.with_suffix(".txt").exists():
        pytest.skip("shared corpus not available")
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))["quantities"]
    raw = RawDocument(source="seed", text=SEED.with_suffix(".txt").read_text(encoding="utf-8"))
    article = process(raw, lexicon_kb)
    found = [(q.text, q.value, q.unit, q.approximate, q.bound) for q in article.quantities]
    for item in gold:
        expected = (
            item["surface"],
            item["value"],
            item["unit"],
            item.get("approximate", False),
            item.get("bound"),
        )
        assert expected in found
    assert len(found) == len(gold)


def test_a_nationality_after_a_number_counts_people() -> None:
    kb = load_kb()
    if not any("سوري" in record.demonyms for record in kb.entities.values()):
        pytest.skip("no Syrian demonym in the knowledge base")
    [q] = _quantities("فر ما يزيد على 5.6 مليون سوري من البلاد", kb)
    assert _brief(q) == ("ما يزيد على 5.6 مليون سوري", 5_600_000, "person", False, "more_than")


def test_a_number_word_of_two_spellings_counts_once() -> None:
    kb = load_kb()
    [families] = _quantities("وأكد المسؤول أن مئات الأسر نزحت من المدينة خلال الأسبوع الماضي.", kb)
    assert _brief(families) == ("مئات الأسر", 100, "family", True, "more_than")
    [dollars] = _quantities("وقالت الحكومة إن مئات الملايين من الدولارات أنفقت على المشروع.", kb)
    assert _brief(dollars)[:2] == ("مئات الملايين من الدولارات", 100_000_000)


def test_time_spans_overlap_as_a_test_against_each_span_would() -> None:
    """Overlapping, nested and unsorted time spans: the bisection agrees with testing every span."""
    rng = random.Random(7)
    for _ in range(300):
        spans = [(s, s + rng.randint(1, 12)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        times = _TimeSpans(spans)
        for start in range(0, 70, 3):
            end = start + rng.randint(1, 8)
            assert times.overlap(start, end) == any(s < end and start < e for s, e in spans)
