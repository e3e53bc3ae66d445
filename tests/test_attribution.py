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
