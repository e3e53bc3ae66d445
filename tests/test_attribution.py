"""Attribution on real news sentences: the source as written, its kind, and coreference."""

from __future__ import annotations

from marsad.models import Article, AttributionKind, RawDocument
from marsad.pipeline import process


def _article(body: str) -> Article:
    article = process(RawDocument(source="test", text=body))
    assert isinstance(article, Article), article
    return article


def _sources(body: str) -> list[tuple[str, AttributionKind]]:
    return [(a.text, a.kind) for a in _article(body).attributions]


def test_anonymous_source_keeps_its_adjectives() -> None:
    body = "وقالت مصادر دبلوماسية غربية إن معارضة المسؤولين للانسحاب تزايدت في الأسابيع الأخيرة."
    assert _sources(body) == [("مصادر دبلوماسية غربية", AttributionKind.ANONYMOUS)]


def test_estimate_stops_before_the_reported_content() -> None:
    body = "وتظهر تقديرات غير رسمية ارتفاع عدد الهجمات في المنطقة خلال العام الماضي."
    assert _sources(body) == [("تقديرات غير رسمية", AttributionKind.ESTIMATE)]


def test_report_takes_its_issuer_and_skips_the_pronoun_after_the_verb() -> None:
    body = "وهو الأمر الذي أشار إليه تقرير معهد واشنطن في مارس الماضي."
    assert _sources(body) == [("تقرير معهد واشنطن", AttributionKind.REPORT)]


def test_outlet_the_source_spoke_to_and_definite_noun_coreference() -> None:
    body = (
        "وقال مصدر أمني إن الهجوم استهدف موقعا للجيش.\n\n"
        'وأكد المصدر، لـ"إرم نيوز"، أن القوات ردت على مصادر النيران.'
    )
    article = _article(body)
    assert [(a.text, a.kind) for a in article.attributions] == [
        ("مصدر أمني", AttributionKind.ANONYMOUS),
        ("إرم نيوز", AttributionKind.OUTLET),
    ]
    assert article.attributions[0].sentence == 0
    assert article.attributions[1].sentence == 1


def test_subject_before_the_verb_is_content_not_a_source() -> None:
    body = "يشار إلى أن الجيش أعلن الشهر الماضي عن خطة لتقليص قواته."
    assert _sources(body) == []


def test_verb_with_no_source_noun_or_name_makes_no_attribution() -> None:
    body = "ويعكس ذلك توازنا بين القلق من الانسحاب السريع، مما يشير إلى استمرار التقليص."
    assert _sources(body) == []


# ---------------------------------------------------------------------- rules from ANT articles (2018)


def test_a_news_agency_is_an_outlet() -> None:
    # BBC, BB-middleEast-726-20180714
    body = "ويشكل من هم دون 24 عاما نسبة 60 بالمئة من سكان العراق، حسبما أوردت فرانس برس."
    assert _sources(body) == [("فرانس برس", AttributionKind.OUTLET)]


def test_an_agency_name_that_begins_with_its_head_noun_is_the_name() -> None:
    # BBC, BB-middleEast-688-20180701
    article = _article('ونقلت وكالة رويترز عن المتحدث باسم الجيش السوري الحر، إن "المحادثات استئنفت".')
    assert [(a.text, a.kind, a.entity_id) for a in article.attributions] == [
        ("وكالة رويترز", AttributionKind.OUTLET, "media:reuters")
    ]


def test_a_quotation_after_the_verb_is_not_its_source() -> None:
    # France24, FR-middleEast-487-20180517
    assert _sources('وأضاف "كندا تطالب بتحقيق مستقل فورا لتقييم الوضع في الميدان".') == []


def test_the_name_after_a_verb_with_its_own_subject_is_who_was_told() -> None:
    # SkyNews, SK-middleEast-2280-20180610
    body = "وأكدت تقارير عدة أن إسرائيل أبلغت روسيا مسبقا بضرب مواقع إيرانية في سوريا."
    assert _sources(body) == [("تقارير عدة", AttributionKind.REPORT)]


def test_a_speech_verb_after_a_preposition_is_a_verbal_noun() -> None:
    # CNN, CN-middleEast-791-20180502
    body = "أعلنت وزارة الدفاع الأمريكية، البنتاغون، عن نقل المسجون السعودي أحمد محمد الدربي إلى السعودية."
    assert [kind for _, kind in _sources(body)] == [AttributionKind.NAMED_ORGANISATION]


def test_a_title_with_a_demonym_is_the_person_named_after_it() -> None:
    # France24, FR-middleEast-921-20180812
    article = _article('أكد الرئيس التركي رجب طيب أردوغان الأحد، أن بلاده تتعرض إلى "مؤامرة سياسية".')
    (source,) = article.attributions
    assert (source.kind, source.entity_id) == (AttributionKind.NAMED, "person:recep_tayyip_erdogan")
    assert source.text == "الرئيس التركي رجب طيب أردوغان"


def test_an_outlet_named_in_two_spellings_of_the_knowledge_base_is_one_source() -> None:
    body = "وأوردت وكالة الأنباء الإماراتية في تغريدة على موقعها أن القوات دخلت المطار."
    assert _sources(body) == [("وكالة الأنباء الإماراتية", AttributionKind.OUTLET)]
