"""Time expressions on real Arabic news sentences: extents, TIMEX3 types and anchored values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from marsad.extract.time import extract_times
from marsad.kb.loader import load_kb
from marsad.models import Article, RawDocument, Span, TimeExpression
from marsad.pipeline import process
from marsad.text.analysis import analyse

SEED = Path(__file__).parents[2] / "shared" / "corpus" / "seed" / "erem-2025-05-28-coalition-syria"


def times(text: str, published: str | None = "2025-05-28T16:48") -> list[TimeExpression]:
    kb = load_kb()
    paragraphs = [Span(start=m.start(), end=m.end(), text=m.group()) for m in re.finditer(r"[^\n]+", text)]
    article = Article(id="t", source="t", text=text, paragraphs=paragraphs, published=published)
    return extract_times(analyse(article, kb), kb)


def found(text: str, published: str | None = "2025-05-28T16:48") -> dict[str, tuple[str, str | None]]:
    return {t.text: (t.type.value, t.value) for t in times(text, published)}


@pytest.mark.parametrize(
    ("sentence", "surface", "type_", "value"),
    [
        ("وقعت الحادثة في 28 مايو 2025، بحسب الشرطة.", "28 مايو 2025", "DATE", "2025-05-28"),
        ("أصدر المعهد تقريره في مارس/آذار عام 2024.", "مارس/آذار عام 2024", "DATE", "2024-03"),
        ("سقط النظام في ديسمبر/كانون الأول عام 2024.", "ديسمبر/كانون الأول عام 2024", "DATE", "2024-12"),
        ("قُتل ١٥٠ شخصا طيلة العام ٢٠٢٤.", "العام ٢٠٢٤", "DATE", "2024"),
        ("تعقد القمة في 11 سبتمبر المقبل.", "11 سبتمبر المقبل", "DATE", "2025-09-11"),
        ("تبدأ الانتخابات منتصف يناير المقبل.", "منتصف يناير المقبل", "DATE", "2026-01"),
        ("ويوم أمس الثلاثاء، أعلنت القيادة عن إعادة تموضع قواتها.", "يوم أمس الثلاثاء", "DATE", "2025-05-27"),
        ("أعلنت الخطة خلال شهر أبريل/نيسان الماضي.", "شهر أبريل/نيسان الماضي", "DATE", "2025-04"),
        (
            "ارتفع عدد الهجمات خلال الأشهر الأربعة الأولى من العام الجاري.",
            "الأشهر الأربعة الأولى من العام الجاري",
            "DATE",
            "2025-01-01/2025-04-30",
        ),
        ("تراجعت الصادرات العام الماضي بنسبة كبيرة.", "العام الماضي", "DATE", "2024"),
        ("يزور الوزير باريس الأسبوع المقبل.", "الأسبوع المقبل", "DATE", "2025-W23"),
        ("وصل الوفد قبل ثلاثة أيام إلى القاهرة.", "قبل ثلاثة أيام", "DATE", "2025-05-25"),
        ("يقيم في المدينة منذ عامين.", "منذ عامين", "DATE", "2023"),
        ("قد يعود التنظيم خلال عام إلى عامين.", "عام إلى عامين", "DURATION", "P1Y/P2Y"),
        ("استمر الحصار ثلاثة أيام.", "ثلاثة أيام", "DURATION", "P3D"),
        ("توفي عن ثمانية وسبعين عاما.", "ثمانية وسبعين عاما", "DURATION", "P78Y"),
        ("تستمر المفاوضات أسبوعين.", "أسبوعين", "DURATION", "P2W"),
        ("وقع الانفجار الساعة 4:48 مساء.", "الساعة 4:48 مساء", "TIME", "2025-05-28T16:48"),
        ("وصل الرئيس صباح اليوم إلى عمان.", "صباح اليوم", "TIME", "2025-05-28TMO"),
        ("تقام البطولة كل عامين.", "كل عامين", "SET", "P2Y"),
        ("عاد الهدوء إلى المدينة حاليا.", "حاليا", "DATE", "PRESENT_REF"),
    ],
)
def test_expression(sentence: str, surface: str, type_: str, value: str) -> None:
    assert found(sentence).get(surface) == (type_, value)


@pytest.mark.parametrize(
    ("sentence", "surface", "type_", "value"),
    [
        # frequency adjectives are SET (TimeML), like the adverbs
        ("وقام المصورون بتسجيل المعاناة اليومية للفلسطينيين.", "اليومية", "SET", "P1D"),
        ("افتتح الوزير المعرض السنوي الرابع لنادي التصوير.", "السنوي", "SET", "P1Y"),
        ("تخضع المراحيض العامة لتفتيش كامل بصفة شهرية.", "شهرية", "SET", "P1M"),
        # bare يوم names a day (no calendar value); after بعد/قبل it measures one
        ("إننا نتطلع إلى يوم نرى فيه مدارسنا تتبنى المواهب.", "يوم", "DATE", None),
        ("يحظر بيع المشروبات الكحولية يوم الانتخابات.", "يوم", "DATE", None),
        ("أعلن الوزير استقالته بعد يوم من انتهاء القمة.", "يوم", "DURATION", "P1D"),
        ("تجاوزت أعدادهم 10 آلاف في يوم واحد.", "يوم واحد", "DURATION", "P1D"),
        # a list or range of days names the month once
        ("يعقد الملتقى الإعلامي يومي 10 و 11 ابريل الجاري.", "10", "DATE", "2025-04-10"),
        ("يعقد الملتقى الإعلامي يومي 10 و 11 ابريل الجاري.", "11 ابريل الجاري", "DATE", "2025-04-11"),
        ("يقام المهرجان من 12 إلى 15 مايو الجاري.", "12", "DATE", "2025-05-12"),
        # a dual year noun before a list of years
        ("تعددت صورها طوال عامي 2002 و2003.", "2002", "DATE", "2002"),
        ("صور مشاهد أفلامه بين العامين 1910 و 1912.", "1910", "DATE", "1910"),
        # a bound is inside the duration (TimeML mod); after منذ/قبل the date is not exact
        ("تحولت خلال أقل من عشر سنوات إلى عاصمة السينما.", "أقل من عشر سنوات", "DURATION", "P10Y"),
        ("استمرت المحادثات قرابة 40 دقيقة.", "قرابة 40 دقيقة", "DURATION", "PT40M"),
        ("يعيش في تركيا منذ أكثر من 20 عاما.", "منذ أكثر من 20 عاما", "DATE", None),
        # a fraction of a unit
        ("مصر وإسرائيل: ربع قرن على معاهدة السلام.", "ربع قرن", "DURATION", "P25Y"),
        ("استمرت المناقشة أكثر من نصف ساعة.", "أكثر من نصف ساعة", "DURATION", "PT30M"),
        # days and years counted from the story, not from the publication
        ("فاستقل القطار مع طاقمه في اليوم التالي.", "اليوم التالي", "DATE", None),
        ("تتضمن جلسة اليوم الأول ثلاثة محاور.", "اليوم الأول", "DATE", None),
        ("وجدت شركات أكبر مزايا كثيرة خلال السنوات اللاحقة.", "السنوات اللاحقة", "DATE", None),
        ("كان العامل في المستشفى في ذلك اليوم.", "ذلك اليوم", "DATE", None),
        (
            "كانت السينما متخلفة خلال العقد الأول من القرن الماضي.",
            "العقد الأول من القرن الماضي",
            "DATE",
            "190",
        ),
        # ordinal days, months of a year expression, paired and glued month names
        ("يبدأ العام المالي في الأول من يوليو.", "الأول من يوليو", "DATE", "2025-07-01"),
        ("يجري الاستفتاء في الثامن والعشرين من يونيو.", "الثامن والعشرين من يونيو", "DATE", "2025-06-28"),
        ("بدأت العملية في 25 من مارس/آذار من عام 2015.", "25 من مارس/آذار من عام 2015", "DATE", "2015-03-25"),
        (
            "حكم عليه في ديسمبر/كانون الأول من العام الماضي.",
            "ديسمبر/كانون الأول من العام الماضي",
            "DATE",
            "2024-12",
        ),
        (
            "وقعت الاتفاقية في 13 نوفمبر (تشرين الثاني) 2013.",
            "13 نوفمبر (تشرين الثاني) 2013",
            "DATE",
            "2013-11-13",
        ),
        ("أوضح المخرج في ديسمبر - كانون الأول أن المسرحية جاهزة.", "ديسمبر - كانون الأول", "DATE", "2024-12"),
        ("أوقفت الشرطة المشتبه به في 27 آذار/مارس2016 في روتردام.", "27 آذار/مارس2016", "DATE", "2016-03-27"),
        # dates in digits, years by a dash
        ("صدر القرار بتاريخ 24/12/2015 عن المحكمة.", "24/12/2015", "DATE", "2015-12-24"),
        ("أشاد بالحكم العسكري (1964-1985) في البرازيل.", "1985", "DATE", "1985"),
        ("قرأ كتاب (براون - 1840 ما الملكية؟).", "1840", "DATE", "1840"),
        # a Hijri year keeps its whole written token
        ("صدر القرار في 6 جمادى الآخرة 1439هـ الموافق 22 فبراير.", "6 جمادى الآخرة 1439هـ", "DATE", None),
    ],
)
def test_news_phrase(sentence: str, surface: str, type_: str, value: str | None) -> None:
    assert found(sentence).get(surface) == (type_, value)


def test_bare_month_is_the_coming_one_within_three_months_else_the_last() -> None:
    # published 2025-05-28: June and August are ahead; September and January are behind
    assert found("ستعقد القمة في يونيو.")["يونيو"] == ("DATE", "2025-06")
    assert found("ستعقد القمة في أغسطس.")["أغسطس"] == ("DATE", "2025-08")
    assert found("أعلنت الشركة في سبتمبر عن استثمار.")["سبتمبر"] == ("DATE", "2024-09")
    assert found("وفي يناير أعلنت الوزارة خطتها.", "2018-09-01")["يناير"] == ("DATE", "2018-01")
    assert found("وفي أبريل أعلنت الوزارة خطتها.")["أبريل"] == ("DATE", "2025-04")


def test_month_in_the_name_of_a_past_event_has_no_value() -> None:
    result = found("واجهت مصر عثرات بعد ثورة يناير، وبعد هجمات 11 سبتمبر تغيرت السياسة.")
    assert result["يناير"] == ("DATE", None)
    assert result["11 سبتمبر"] == ("DATE", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "يأتي ذلك بعكس المقاربة التي تشجع التبعية عبر عقود غامضة وقروض.",
        "محمد بن سلمان يختتم زيارته لفرنسا بتوقيع عقود قيمتها 18 مليار دولار.",
        "الصحفي قال إن الوضع عادي جدا داخل الأسبوعية.",
        "أدلى السفير بتصريحات لقناة روسيا اليوم.",
        "تظاهر الآلاف ضد زيارة الرئيس يومي الخميس والجمعة.",
    ],
)
def test_not_time_in_news(sentence: str) -> None:
    bad = {"عقود", "الأسبوعية", "اليوم", "يومي"}
    assert not [t.text for t in times(sentence) if t.text in bad]


def test_decades_after_a_time_preposition() -> None:
    assert found("فرضت إسرائيل الحصار منذ عقود.")["منذ عقود"] == ("DATE", None)
    assert found("عانت المنطقة عقودا من الحرب.")["عقودا"] == ("DURATION", "PXDE")


def test_window_ending_at_publication() -> None:
    (window,) = times("أصبحت تتسم بالحذر كما ظهر خلال الأسابيع الثلاثة الأخيرة.")
    assert window.text == "الأسابيع الثلاثة الأخيرة"
    assert window.value == "2025-05-07/2025-05-28"
    assert window.anchored


def test_weekday_alone_is_latest_on_or_before_anchor() -> None:
    # 2025-05-28 is a Wednesday: "الثلاثاء" is the day before, "الأربعاء" the day itself.
    result = found("التقى الوزيران الثلاثاء، ثم عقدا مؤتمرا صحفيا الأربعاء.")
    assert result["الثلاثاء"] == ("DATE", "2025-05-27")
    assert result["الأربعاء"] == ("DATE", "2025-05-28")
    assert found("يعقد المجلس جلسته الأحد المقبل.")["الأحد المقبل"] == ("DATE", "2025-06-01")


def test_named_weekday_checked_against_computed_date() -> None:
    (wrong,) = times("وأعلنت الوزارة أمس الجمعة عن خطة جديدة.")
    assert wrong.value == "2025-05-27"
    assert wrong.weekday_consistent is False
    (right,) = times("وأعلنت الوزارة أمس الثلاثاء عن خطة جديدة.")
    assert right.weekday_consistent is True


def test_no_anchor_no_relative_value() -> None:
    result = found("زار الرئيس موسكو أمس، وسيعود في مارس/آذار عام 2024.", published=None)
    assert result["أمس"] == ("DATE", None)
    assert result["مارس/آذار عام 2024"] == ("DATE", "2024-03")


def test_hijri_month_value_only_when_certain() -> None:
    result = found("بدأ صيام شهر رمضان 1446هـ في موعده.")
    assert [v for t, v in result.values()] == [None]


@pytest.mark.parametrize(
    "sentence",
    [
        "قال الأمين العام للأمم المتحدة إن الرأي العام يرفض الحرب.",
        "عين مدير عام جديد للشركة بشكل عام.",
        "مارس الضغط على الحكومة لسنوات طويلة.",
        "قالت رئيسة الوزراء تيريزا ماي إن الاتفاق قريب.",
        "احتفل العالم اليوم العالمي للمرأة بمشاركة واسعة.",
        "نشرت الوكالة صورة الأب مع ابنه.",
        "بلغ عدد الجنود 2000 جندي في المنطقة.",
        "انطلقت ثورات الربيع العربي قبل سنوات.",
    ],
)
def test_not_time(sentence: str) -> None:
    bad = {"عام", "العام", "مارس", "ماي", "اليوم", "الأب", "2000", "الربيع"}
    assert not [t.text for t in times(sentence) if t.text in bad or t.text.startswith("اليوم العالمي")]


def test_offsets_point_into_original_text() -> None:
    text = 'وأكدت المصادر، لـ"إرم نيوز"، أن الخطة أُعلنت يومَ أمسِ الثلاثاء.'
    for t in times(text):
        assert text[t.start : t.end] == t.text


def test_seed_article_times() -> None:
    if not SEED.with_suffix(".txt").exists():
        pytest.skip("shared seed corpus not available")
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    article = process(RawDocument(source="seed", text=text, published_hint=gold["published"]))
    assert isinstance(article, Article)
    got = {t.text: t.value for t in article.times}
    for item in gold["times"]:
        assert item["surface"] in got, item["surface"]
        if "±1 day" in item.get("note", ""):
            start, end = got[item["surface"]].split("/")
            gold_start, gold_end = item["value"].split("/")
            assert abs(int(start[-2:]) - int(gold_start[-2:])) <= 1 and end == gold_end
        else:
            assert got[item["surface"]] == item["value"]


def test_a_time_outside_the_calendar_keeps_its_span_without_a_value() -> None:
    # منذ 2500 سنة lies before year 1 of ISO dates: found, typed, and left without a value.
    assert found("بني المعبد منذ 2500 سنة في هذه المنطقة.") == {"منذ 2500 سنة": ("DATE", None)}
    assert found("قال العلماء إن الأثر سيبقى خلال 9000 عام المقبلة.")["9000 عام"][0] == "DURATION"


def test_a_month_of_plural_years_is_not_a_month_of_one_year() -> None:
    assert found("ارتفعت الأسعار في مايو من الأعوام الماضية.")["مايو"] == ("DATE", "2025-05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # only the stretches around time words and numbers are read: every expression of a sentence
        # is found, and a cue or a number before a plain word (هذا الرجل، 15 شخصا) starts none
        ("قال هذا الرجل إن هذا العام صعب.", [("هذا العام", "DATE", "2025")]),
        ("قتل 15 شخصا في 3 مايو الماضي.", [("3 مايو الماضي", "DATE", "2024-05-03")]),
        ("غادر البلاد قبل أكثر من عامين ولم يعد.", [("قبل أكثر من عامين", "DATE", None)]),
        (
            "تقام الجولة يومي 10 و 11 أبريل في القاهرة.",
            [("10", "DATE", "2025-04-10"), ("11 أبريل", "DATE", "2025-04-11")],
        ),
        (
            "صدر القرار في مارس2016 وأُلغي في 12أيار 2017.",
            [("مارس2016", "DATE", "2016-03"), ("12أيار 2017", "DATE", "2017-05-12")],
        ),
        (
            "ولد الشاعر عام 1445هـ وتوفي بعد 40 عاما.",
            [("عام 1445هـ", "DATE", None), ("40 عاما", "DURATION", "P40Y")],
        ),
        (
            "اجتمع المجلس الأحد\nالماضي لمدة ثلاث ساعات.",
            [("الأحد", "DATE", "2025-05-25"), ("ثلاث ساعات", "DURATION", "PT3H")],
        ),
    ],
)
def test_every_expression(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(t.text, t.type.value, t.value) for t in times(text)] == expected


def test_digits_joined_by_a_colon_are_a_clock_only_when_they_read_as_one() -> None:
    # A verse reference or a score is two numbers: it once stopped the whole article with a ValueError.
    assert found("وتلا الخطيب الآية 124:48 من السورة في عام 2015.") == {"عام 2015": ("DATE", "2015")}
    assert found("وانتهت المباراة أمس بنتيجة 102:98 للفريق.") == {"أمس": ("DATE", "2025-05-27")}
    assert found("وصل الوفد الساعة 4:48 مساء.") == {"الساعة 4:48 مساء": ("TIME", "2025-05-28T16:48")}


def test_number_words_joined_in_one_sentence() -> None:
    """Several compounds in a row (units + و + tens, units + عشر, N + scale) each become one number."""
    assert found("عاش ثمانية وسبعين عاما وحكم خمسة عشر عاما ثم غاب ثلاثة آلاف يوم.") == {
        "ثمانية وسبعين عاما": ("DURATION", "P78Y"),
        "خمسة عشر عاما": ("DURATION", "P15Y"),
        "ثلاثة آلاف يوم": ("DURATION", "P3000D"),
    }
