"""The Arabic number reader on real sentences: digits, words, compounds, multipliers, duals."""

import pytest

from marsad.kb.loader import KnowledgeBase
from marsad.text.numbers import read_numbers
from tests.arabic_sentences import analyse_text, lexicon_only_kb


@pytest.fixture(scope="module")
def lexicon_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return lexicon_only_kb(tmp_path_factory.mktemp("kb"))


def _read(text: str, kb: KnowledgeBase, *duals: str) -> list[tuple[str, float]]:
    analysis = analyse_text(text, kb)
    return [(analysis.original_text(r.start, r.end), r.value) for r in read_numbers(analysis, duals)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أسفر الهجوم عن مقتل خمسة وعشرين شخصا", [("خمسة وعشرين", 25)]),
        ("نشرت واشنطن ثلاثة آلاف جندي إضافي", [("ثلاثة آلاف", 3000)]),
        ("نزح مئتي ألف شخص من المدينة", [("مئتي ألف", 200_000)]),
        ("بلغ عدد الضحايا ألفا وخمسمئة", [("ألفا وخمسمئة", 1500)]),
        ("قتل أحد عشر جنديا", [("أحد عشر", 11)]),
        ("يضم المخيم ثلاثة وثلاثين ألفا ومئتي لاجئ", [("ثلاثة وثلاثين ألفا ومئتي", 33_200)]),
        ("وصل عدد اللاجئين إلى مليون ونصف", [("مليون ونصف", 1_500_000)]),
        ("يعيش نصف مليون شخص في المخيمات", [("نصف مليون", 500_000)]),
        ("قلصت قواتها إلى ١٬٤٠٠ جندي", [("١٬٤٠٠", 1400)]),
        ("خصصت 2,5 مليار دولار و1,400 منحة", [("2,5 مليار", 2.5e9), ("1,400", 1400)]),
        ("انتشر ١٥ ألف عنصر", [("١٥ ألف", 15_000)]),
        ("بلغت الخسائر 1.5 مليون يورو", [("1.5 مليون", 1.5e6)]),
        ("تبلغ المصاريف 17 مليون و500 ألف جنيه", [("17 مليون و500 ألف", 17_500_000)]),
        ("أيد ثلاثة أرباع المشاركين القرار", [("ثلاثة أرباع", 0.75)]),
        ("قتل 5 و3 جرحى", [("5", 5), ("3", 3)]),
    ],
)
def test_reads_digits_and_number_words(text: str, expected: list, lexicon_kb: KnowledgeBase) -> None:
    assert _read(text, lexicon_kb) == expected


def test_vague_counts_are_lower_bounds_not_invented_numbers(lexicon_kb: KnowledgeBase) -> None:
    analysis = analyse_text("فر عشرات الآلاف من السكان وقتل آلاف المدنيين", lexicon_kb)
    readings = read_numbers(analysis)
    assert [(analysis.original_text(r.start, r.end), r.value, r.vague) for r in readings] == [
        ("عشرات الآلاف", 10_000, True),
        ("آلاف", 1000, True),
    ]


def test_clock_times_dates_and_codes_are_not_numbers(lexicon_kb: KnowledgeBase) -> None:
    text = "نشر الخبر الساعة 4:48 يوم 28/5/2025 عن طائرة F16 رقم 0551-234"
    assert _read(text, lexicon_kb) == []


def test_a_lone_teen_prefix_or_fraction_is_no_number(lexicon_kb: KnowledgeBase) -> None:
    assert _read("قال أحد المسؤولين إن نصف السكان غادروا", lexicon_kb) == []


def test_definite_number_follows_its_noun(lexicon_kb: KnowledgeBase) -> None:
    analysis = analyse_text("خلال الأسابيع الثلاثة الأخيرة", lexicon_kb)
    [reading] = read_numbers(analysis)
    assert (reading.value, reading.definite, reading.is_words) == (3, True, True)


def test_dual_noun_is_a_reading_of_two(lexicon_kb: KnowledgeBase) -> None:
    text = "قد يعود التنظيم خلال عام إلى عامين"
    assert _read(text, lexicon_kb) == []
    assert _read(text, lexicon_kb, "time_unit") == [("عامين", 2)]
