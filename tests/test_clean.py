"""Clean: page layout → title, section, labels, dateline, body, captions, related, boilerplate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.clean import clean
from marsad.clean.dateline import may_name_a_date, parse_container_date, read_dateline
from marsad.clean.layout import _innermost, _key, _lines
from marsad.ingest import iter_documents
from marsad.kb.loader import KnowledgeBase, load_kb
from marsad.models import Article, BlockKind, RawDocument

SHARED = Path(__file__).parents[2] / "shared"
SEED = SHARED / "corpus" / "seed" / "erem-2025-05-28-coalition-syria.txt"
ANT = SHARED / "corpus" / "ant-multisource"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def spans_of(article: Article) -> list:
    spans = [article.title, article.section, article.dateline, *article.labels, *article.paragraphs]
    for caption in article.captions:
        spans += [caption, caption.credit]
    for link in article.related:
        spans += [link, link.image_caption]
    return [s for s in spans + list(article.boilerplate) if s is not None]


def assert_offsets_point_into_text(article: Article) -> None:
    for span in spans_of(article):
        assert article.text[span.start : span.end] == span.text


# --------------------------------------------------------------------------- the seed article


def test_seed_article_layout_matches_its_gold_reading(kb: KnowledgeBase) -> None:
    if not SEED.exists():
        pytest.skip("seed corpus not available")
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    [raw] = list(iter_documents([str(SEED)]))
    article = clean(raw, kb)
    assert article.text == SEED.read_text(encoding="utf-8")
    assert article.title is not None and article.title.text == gold["title"]
    assert article.section is not None and article.section.text == gold["section"]
    assert [label.text for label in article.labels] == gold["labels"]
    assert article.published == gold["published"]
    assert article.outlet == gold["publisher"]
    assert article.body.startswith(gold["body_first"]) and article.body.endswith(gold["body_last"])
    for banned in gold["body_must_not_contain"]:
        assert banned not in article.body
    assert [(c.text, c.credit.text if c.credit else None) for c in article.captions] == [
        (c["text"], c["credit"]) for c in gold["captions"]
    ]
    assert [(r.text, r.image_caption.text if r.image_caption else None) for r in article.related] == [
        (r["headline"], r["image_caption"]) for r in gold["related"]
    ]
    kinds = {block.kind for block in article.boilerplate}
    assert {BlockKind.CHROME, BlockKind.FOOTER, BlockKind.DUPLICATE, BlockKind.DATELINE} <= kinds
    assert_offsets_point_into_text(article)


# --------------------------------------------------------------------------- other sites' chrome

BREADCRUMB_PAGE = """الرئيسية > أخبار > العالم العربي
عاجل
مقتل 12 شخصا في غارة على مخيم للنازحين جنوبي السودان
نشر في: الأحد 14 أبريل 2024 - 09:30 ص
آخر تحديث: الأحد 14 أبريل 2024 - 11:05 ص
أطفال في مخيم للنازحين قرب نيالا (أ ف ب)
قتل 12 شخصا على الأقل، بينهم أطفال، في غارة جوية استهدفت مخيما للنازحين في جنوب دارفور، وفق مصادر طبية.
وقال مسؤول محلي إن الطائرة حلقت فوق المخيم قبل أن تلقي قنابلها على خيام العائلات.
اقرأ أيضاً: الأمم المتحدة تحذر من مجاعة وشيكة في دارفور
ولم يعلق الجيش على الاتهامات حتى الآن، فيما دعت منظمات إنسانية إلى تحقيق مستقل.
شارك
فيسبوك
تويتر
الأكثر قراءة
© 2024 جميع الحقوق محفوظة
"""


def test_breadcrumb_label_two_datelines_inline_related_and_tail(kb: KnowledgeBase) -> None:
    article = clean(RawDocument(source="variant", text=BREADCRUMB_PAGE), kb)
    assert article.section is not None and article.section.text == "العالم العربي"
    assert [label.text for label in article.labels] == ["عاجل"]
    assert article.title is not None and article.title.text.startswith("مقتل 12 شخصا")
    assert article.published == "2024-04-14T09:30"  # the publication line, not the later update
    assert article.dateline is not None and article.dateline.text.startswith("نشر في")
    assert [(c.text, c.credit.text) for c in article.captions if c.credit] == [
        ("أطفال في مخيم للنازحين قرب نيالا", "أ ف ب")
    ]
    assert [r.text for r in article.related] == ["الأمم المتحدة تحذر من مجاعة وشيكة في دارفور"]
    assert len(article.paragraphs) == 3
    assert article.paragraphs[-1].text.startswith("ولم يعلق الجيش")
    for chrome in ("شارك", "فيسبوك", "الأكثر قراءة", "جميع الحقوق", "اقرأ", "آخر تحديث"):
        assert chrome not in article.body
    assert_offsets_point_into_text(article)


DATELINE_FIRST_PAGE = """الخميس ٣ تموز ٢٠٢٥
ارتفاع أسعار النفط بعد قرار أوبك+ خفض الإنتاج
تصوير: أحمد سمير
ارتفعت أسعار النفط بأكثر من 2 بالمئة في تعاملات الخميس بعد أن أعلن تحالف أوبك+ خفضا جديدا للإنتاج.
وقال محللون إن السوق ستبقى متوترة حتى نهاية الصيف.

مواضيع ذات صلة
الذهب يتراجع مع صعود الدولار
البورصات الخليجية تغلق على ارتفاع
البنوك المركزية تبقي على أسعار الفائدة

وتراجعت عقود خام غرب تكساس الوسيط في وقت لاحق من الجلسة مع جني المستثمرين للأرباح.
"""


def test_dateline_before_title_arabic_digits_and_a_headline_only_related_list(kb: KnowledgeBase) -> None:
    article = clean(RawDocument(source="variant", text=DATELINE_FIRST_PAGE), kb)
    assert article.published == "2025-07-03"
    assert article.title is not None and article.title.text == "ارتفاع أسعار النفط بعد قرار أوبك+ خفض الإنتاج"
    assert article.section is None and article.labels == []
    assert [r.text for r in article.related] == [
        "الذهب يتراجع مع صعود الدولار",
        "البورصات الخليجية تغلق على ارتفاع",
        "البنوك المركزية تبقي على أسعار الفائدة",
    ]
    assert all(r.image_caption is None for r in article.related)
    assert [p.text.split()[0] for p in article.paragraphs] == ["ارتفعت", "وقال", "وتراجعت"]
    assert article.captions[0].credit is not None and article.captions[0].credit.text == "أحمد سمير"
    assert_offsets_point_into_text(article)


def test_container_title_and_date_are_used_when_the_page_has_no_dateline(kb: KnowledgeBase) -> None:
    text = "عنوان الخبر الوارد من المصدر\n\nأعلنت الحكومة عن خطة جديدة لدعم المزارعين في المناطق الريفية."
    raw = RawDocument(
        source="ant",
        text=text,
        title_hint="عنوان الخبر الوارد من المصدر",
        published_hint="Fri, 23 Feb 2018 10:37:34 GMT",
    )
    article = clean(raw, kb)
    assert article.title is not None and article.title.start == 0
    assert article.published == "2018-02-23T10:37:34+00:00" and article.dateline is None
    assert [p.text for p in article.paragraphs] == [text.split("\n\n")[1]]


def test_short_closing_lines_stay_in_the_body_unless_page_chrome_follows(kb: KnowledgeBase) -> None:
    poem = (
        "قرقاش ينشر قصيدة جديدة\n"
        "نشر وزير الدولة قصيدة على حسابه في موقع تويتر، وقال في مطلعها:\n"
        "يا دار عبلة بالجواء تكلمي\n"
        "وعمي صباحا دار عبلة واسلمي\n"
    )
    kept = clean(RawDocument(source="poem", text=poem), kb)
    assert [p.text for p in kept.paragraphs][-1] == "وعمي صباحا دار عبلة واسلمي"
    stripped = clean(RawDocument(source="page", text=poem + "تابعونا على\n"), kb)
    assert len(stripped.paragraphs) == 1 and "عبلة" not in stripped.body


def test_an_english_page_still_gets_a_body(kb: KnowledgeBase) -> None:
    text = (
        "World news\nOil prices climb after OPEC+ cut\n"
        "Oil prices rose more than 2 percent on Thursday after OPEC+ announced a new production cut.\n"
        "Analysts said the market would stay tight until the end of the summer.\nShare\n"
    )
    article = clean(RawDocument(source="en", text=text), kb)
    assert article.title is not None and article.title.text == "Oil prices climb after OPEC+ cut"
    assert len(article.paragraphs) == 2 and "Share" not in article.body


# --------------------------------------------------------------------------- HTML

HTML_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>الجيش السوداني يعلن استعادة مدينة ود مدني - سكاي نيوز عربية</title>
<meta property="og:title" content="الجيش السوداني يعلن استعادة مدينة ود مدني">
<meta property="article:published_time" content="2025-01-11T14:05:00+04:00">
<meta property="article:section" content="العالم العربي">
</head><body>
<header><a class="logo" href="/">سكاي نيوز عربية</a>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/world">العالم</a></li></ul></nav></header>
<main><article>
<h1>الجيش السوداني يعلن استعادة مدينة ود مدني</h1>
<div class="share"><a href="#">شارك</a> <a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<time datetime="2025-01-11T14:05:00+04:00">السبت 11 يناير 2025 - 2:05 م</time>
<figure><img src="a.jpg" alt=""><figcaption>جنود من الجيش السوداني في الخرطوم
<span>المصدر: رويترز</span></figcaption></figure>
<p>أعلن الجيش السوداني، السبت، استعادة السيطرة على مدينة ود مدني عاصمة ولاية الجزيرة وسط البلاد، بعد أكثر
من عام على سيطرة قوات الدعم السريع عليها.</p>
<p>وقال المتحدث باسم الجيش في بيان إن القوات دخلت المدينة من عدة محاور، وإن عمليات التمشيط مستمرة.</p>
<aside class="related-news"><h3>أخبار ذات صلة</h3><ul>
<li><a href="/article/1">الدعم السريع تنسحب من مواقع في ولاية الجزيرة</a></li>
<li><a href="/article/2">الأمم المتحدة تحذر من مجاعة واسعة في السودان</a></li></ul></aside>
<p>وتعد ود مدني ثاني أكبر مدن السودان، وكانت ملجأ لمئات الآلاف من النازحين الفارين من القتال في الخرطوم.</p>
</article>
<section class="comments"><h3>التعليقات</h3>
<p>تعليق: خبر رائع ونتمنى السلام للسودان وأهله في كل مكان.</p></section>
</main>
<footer><p>تابعونا على</p><p>جميع الحقوق محفوظة © 2025 سكاي نيوز عربية</p></footer>
</body></html>"""


def test_html_page_is_read_through_its_text_rendition(kb: KnowledgeBase) -> None:
    article = clean(RawDocument(source="page.html", text=HTML_PAGE, content_type="html"), kb)
    assert article.outlet == "سكاي نيوز عربية"  # from the <title> suffix, known to the KB
    assert article.title is not None and article.title.text == "الجيش السوداني يعلن استعادة مدينة ود مدني"
    assert article.section is not None and article.section.text == "العالم العربي"
    assert article.published == "2025-01-11T14:05"
    assert [(c.text, c.credit.text if c.credit else None) for c in article.captions] == [
        ("جنود من الجيش السوداني في الخرطوم", "رويترز")
    ]
    assert [(r.text, r.url) for r in article.related] == [
        ("الدعم السريع تنسحب من مواقع في ولاية الجزيرة", "/article/1"),
        ("الأمم المتحدة تحذر من مجاعة واسعة في السودان", "/article/2"),
    ]
    assert len(article.paragraphs) == 3 and article.paragraphs[0].text.startswith("أعلن الجيش السوداني")
    for chrome in ("شارك", "تابعونا", "تعليق", "الرئيسية", "محفوظة", "مجاعة"):
        assert chrome not in article.body
    assert "<p>" not in article.text
    assert_offsets_point_into_text(article)


def test_an_html_page_without_a_date_has_no_publication_time(kb: KnowledgeBase) -> None:
    page = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Oil prices climb after OPEC+ cut</h1>"
        "<p>Oil prices rose more than 2 percent on Thursday after OPEC+ announced a new cut.</p>"
        "<p>Analysts said the market would stay tight until the end of the summer.</p></article>"
        "<footer>Copyright 2025</footer></body></html>"
    )
    article = clean(RawDocument(source="en.html", text=page, content_type="html"), kb)
    assert article.published is None  # a copyright year is not a publication date
    assert len(article.paragraphs) == 2 and "Copyright" not in article.body


# --------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("28 مايو 2025، 4:48 م", "2025-05-28T16:48"),
        ("الأربعاء 28 مايو 2025", "2025-05-28"),
        ("٢٨ أيار ٢٠٢٥ - ١٢:٠٥ ص", "2025-05-28T00:05"),
        ("نشر في: 3 أفريل 2024 على الساعة 09:15", "2024-04-03T09:15"),
        ("آخر تحديث: 12 حزيران/يونيو 2023 - 22:10 بتوقيت غرينتش", "2023-06-12T22:10+00:00"),
        ("تاريخ النشر: 28/05/2025", "2025-05-28"),
        ("2025-05-28 16:48", "2025-05-28T16:48"),
        ("الأربعاء 1 ذو الحجة 1446 هـ - 28 مايو 2025 م", "2025-05-28"),
        ("1 ذو الحجة 1446 هـ", "2025-05-28"),  # Umm al-Qura
        ("12:30 م 5 كانون الأول 2024", "2024-12-05T12:30"),
    ],
)
def test_dateline_forms(kb: KnowledgeBase, line: str, value: str) -> None:
    reading = read_dateline(line, kb)
    assert reading is not None and reading.value == value


def test_a_dateline_names_a_full_date_or_nothing(kb: KnowledgeBase) -> None:
    assert read_dateline("في مايو الماضي", kb) is None
    assert read_dateline("31 فبراير 2025", kb).value is None  # no such day: absent, not guessed
    sentence = "وقالت المصادر إن الاجتماع عقد في 28 مايو 2025 بحضور ممثلين عن الأطراف كافة ومراقبين دوليين."
    assert read_dateline(sentence, kb).other_words > 4


def test_a_line_is_read_for_a_date_only_with_a_year_and_a_day() -> None:
    assert may_name_a_date("28 مايو 2025") and may_name_a_date("2025-05-28") and may_name_a_date("28/5/2025")
    assert not may_name_a_date("وقعت الحرب منذ عام 2014 وأكثر من 3000 قتيل")  # no number of 1-2 digits
    assert not may_name_a_date("في 28 مايو الماضي")  # no year


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Fri, 23 Feb 2018 10:37:34 GMT", "2018-02-23T10:37:34+00:00"),
        ("Sun, 15 Jul 2018 21:56:56 +0400", "2018-07-15T21:56:56+04:00"),
        ("2025-05-28T13:48:00Z", "2025-05-28T13:48+00:00"),
        ("2025-05-28", "2025-05-28"),
        ("not a date", None),
    ],
)
def test_container_dates(value: str, iso: str | None) -> None:
    assert parse_container_date(value) == iso


# --------------------------------------------------------------------------- generalisation


def test_ant_corpus_articles_get_title_date_and_a_clean_body(kb: KnowledgeBase) -> None:
    """A few articles of each source: the title is the <TITLE>, the body never repeats it."""
    if not ANT.is_dir():
        pytest.skip("ANT corpus not available")
    files = [
        path
        for source in sorted(ANT.iterdir())
        if source.is_dir()
        for path in sorted(source.rglob("*.txt"))[:6]
    ]
    for raw in iter_documents(map(str, files)):
        assert isinstance(raw, RawDocument), raw
        article = clean(raw, kb)
        assert article.title is not None and article.title.text == raw.title_hint, raw.source
        assert article.published is not None and article.published.startswith("2018-"), raw.source
        assert article.paragraphs and article.title.text not in article.body, raw.source
        assert_offsets_point_into_text(article)


def test_a_title_with_a_final_sigma_is_found_on_a_page_with_a_dotted_capital_i(kb: KnowledgeBase) -> None:
    """Line keys are slices of the page normalised once: a page with "İ" (lower-cased letter by letter)
    must key a title ending in Σ as the title alone is keyed."""
    body = "İstanbul'da toplantı yapıldı ve anlaşma bu hafta sonunda imzalandı."
    article = clean(RawDocument(source="t", text=f"ΝΕΟΣ ΚΟΣΜΟΣ\n\n{body}", title_hint="ΝΕΟΣ ΚΟΣΜΟΣ"), kb)
    assert article.title is not None and article.title.text == "ΝΕΟΣ ΚΟΣΜΟΣ"
    assert [p.text for p in article.paragraphs] == [body]


# Letters, marks, whitespace and edge punctuation of every kind normalisation treats differently.
LINE_PIECES = ["قال", "أحمد", "ـ", "ً", "\u200c", "٢٠٢٥", "«", "»", ":", "؟", "ΟΔΟΣ", "Σ", "İ", "x"]
LINE_PIECES += [" ", "  ", "\t", "\n", "\r\n", "\r", "\u2028", "\u2029", "\xa0", "\x0c", "\x85"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=12))
def test_a_lines_key_is_the_key_of_the_line_alone(pieces: list[str]) -> None:
    """Lines are keyed from the page normalised once (and the title from its line): each key must be
    what the line's text keyed alone gives."""
    for line in _lines("".join(pieces)):
        assert line.key == _key(line.text)
        assert line.words == len(line.text.split())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=12))
def test_a_pages_lines_are_its_stripped_pieces_between_line_breaks(pieces: list[str]) -> None:
    """Lines break at "\\n", "\\r", U+2028 and U+2029 alone (other whitespace, "\\x0c" or "\\x85", is
    inside a line), and each line is where the page holds it."""
    text = "".join(pieces)
    lines = _lines(text)
    between_breaks = [piece.strip() for piece in re.split("[\n\r\u2028\u2029]", text)]
    assert [line.text for line in lines] == [piece for piece in between_breaks if piece]
    assert all(text[line.start : line.end] == line.text for line in lines)


def test_a_marker_holding_another_is_not_searched_for_itself() -> None:
    """A line holds "جميع الحقوق محفوظة" only if it holds "الحقوق محفوظة": the shorter one is enough."""
    phrases = ["جميع الحقوق محفوظه", "الحقوق محفوظه", "©", "copyright", "©"]
    assert _innermost(phrases) == ["الحقوق محفوظه", "©", "copyright"]
    assert _innermost([]) == []
