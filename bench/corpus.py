"""The benchmark corpus: the ANT corpus when ``../shared`` is present, else one generated from real sentences.

ANT (Arabic News Texts) v2.1 is ~31.5k articles of 2018 news from five outlets (Alarabiya, BBC Arabic,
CNN Arabic, France24, Sky News Arabia) in TREC-like ``<DOC>`` files; it is not ours and is never shipped.
The fallback corpus is built from ``SENTENCES`` below, news-style sentences written for Marsad's tests,
so a benchmark (and the tests that import them) can run on any machine.
"""

from __future__ import annotations

import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANT_CORPUS = REPO.parent / "shared" / "corpus" / "ant-multisource"

SENTENCES = (
    "أعلنت وزارة الدفاع الأمريكية، يوم الثلاثاء، سحب نحو 500 جندي من قاعدتين في شمال شرق سوريا.",
    'وقال مسؤول في التحالف الدولي لـ"رويترز" إن الانسحاب سيكتمل خلال الأشهر الثلاثة المقبلة.',
    "وأفادت مصادر دبلوماسية غربية بأن واشنطن أبلغت بغداد بخطتها قبل أسبوعين.",
    "قُتل ١٢ شخصاً وأُصيب ٣٠ آخرون في انفجار سيارة مفخخة وسط مدينة الموصل صباح اليوم.",
    "وارتفع سعر برميل النفط إلى 72.5 دولار، بزيادة قدرها 3% عن الأسبوع الماضي.",
    "وأكد الرئيس الفرنسي إيمانويل ماكرون في مؤتمر صحفي بباريس أن بلاده لن تتخلى عن حلفائها.",
    "ويُقدَّر عدد النازحين بأكثر من مليون ونصف المليون شخص منذ بداية العام، بحسب تقديرات غير رسمية.",
    'وفي عام 2014، سيطر تنظيم "داعش" على مساحات واسعة من العراق وسوريا.',
    "ومن المتوقع أن يزور وزير الخارجية السعودي القاهرة الأسبوع المقبل لبحث الأزمة في السودان.",
    "وذكر تقرير لمعهد واشنطن لسياسة الشرق الأدنى أن نحو ٢٠٠٠ عنصر ما زالوا في الخدمة.",
    "ونفت الحكومة اللبنانية، مساء الأحد، أي نية لرفع أسعار الخبز خلال شهر رمضان.",
    "وأشار البنك الدولي إلى أن معدل النمو في مصر قد يبلغ 5.6 في المئة بحلول عام 2019.",
    "وسجّل المنتخب المغربي هدفين في الشوط الأول من المباراة التي أقيمت على ملعب محمد الخامس.",
    "وأطلقت شركة آبل هاتفها الجديد في كاليفورنيا بسعر يبدأ من 999 دولاراً.",
    "وتستضيف دبي في تشرين الأول/أكتوبر المقبل معرضاً دولياً للتكنولوجيا يشارك فيه 4500 عارض.",
    "وقالت الأمم المتحدة إن المساعدات وصلت إلى 17 بلدة محاصرة في ريف دمشق.",
    "وأوضح المتحدث باسم الجيش الإسرائيلي أن الغارات استهدفت مواقع عسكرية قرب الحدود مع لبنان.",
    "وفاز الروائي الجزائري بجائزة الرواية العربية عن روايته الصادرة في بيروت قبل عامين.",
    "وتراجعت البورصة السعودية بنسبة 1.2% في ختام تعاملات الأربعاء 14 مارس/آذار 2018.",
    "ولم تُعلن أي جهة مسؤوليتها عن الهجوم حتى الآن، بحسب ما نقلته وكالة فرانس برس.",
    "ويعيش في الأردن أكثر من 650 ألف لاجئ سوري مسجلين لدى المفوضية.",
    "وصرّح رئيس الوزراء العراقي بأن الانتخابات ستُجرى في موعدها في أيار/مايو.",
    "واجتمع قادة مجموعة العشرين في بوينس آيرس لمناقشة الحرب التجارية بين الصين والولايات المتحدة.",
    "وكشفت دراسة بريطانية أن ثلث الشباب يقضون أكثر من خمس ساعات يومياً على الإنترنت.",
)

TITLES = (
    "انسحاب أمريكي جزئي من سوريا",
    "انفجار في الموصل يوقع قتلى وجرحى",
    "النفط يرتفع مع تراجع المخزونات",
    "ماكرون: لن نتخلى عن حلفائنا",
    "معرض دولي للتكنولوجيا في دبي",
)


def generated_article(rng: random.Random, words: int = 500) -> str:
    """A plain-text article: a title line, then paragraphs of real sentences, about ``words`` words long."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return rng.choice(TITLES) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_generated_corpus(folder: Path, count: int, seed: int = 2018) -> list[Path]:
    """Write ``count`` generated articles as ``.txt`` files into ``folder`` (same seed, same corpus)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"generated-{i:06d}.txt"
        path.write_text(generated_article(rng), encoding="utf-8")
        paths.append(path)
    return paths


def ant_files() -> list[Path]:
    """The ANT corpus files in a fixed order (empty when ``../shared`` is absent)."""
    if not ANT_CORPUS.is_dir():
        return []
    return sorted(p for p in ANT_CORPUS.rglob("*.txt") if p.parent != ANT_CORPUS)
