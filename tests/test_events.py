"""Events on real news sentences: type, trigger, modality, negation, figures, time and source."""

from __future__ import annotations

import pytest

from marsad.kb.loader import load_kb
from marsad.models import Article, Event, Modality, RawDocument
from marsad.pipeline import process


def _article(body: str) -> Article:
    article = process(RawDocument(source="test", text=body))
    assert isinstance(article, Article), article
    return article


def _events(body: str) -> list[Event]:
    return _article(body).events


def test_every_trigger_names_a_type_of_the_ontology() -> None:
    kb = load_kb()
    types = {entry.value["type"] for entry in kb.lexicons["event_trigger"].entries}
    assert types <= set(kb.event_types)


def test_planned_reduction_with_its_figures_and_a_continuing_base_closure() -> None:
    body = (
        "يشار إلى أن الولايات المتحدة أعلنت خلال شهر أبريل الماضي عن خطة لتقليص قواتها من حوالي 2000 جندي "
        "إلى ما يقارب 1400، مع إغلاق ثلاث قواعد من أصل ثماني في المنطقة."
    )
    article = _article(body)
    reduction, closure = article.events
    assert (reduction.type, reduction.plover, reduction.modality) == (
        "troop_reduction",
        "RETREAT",
        Modality.PLANNED,
    )
    assert reduction.trigger.text == "تقليص"
    assert {article.quantities[i].value for i in reduction.quantities} == {2000, 1400}
    assert (closure.type, closure.modality) == ("base_closure", Modality.PLANNED)
    assert {article.quantities[i].value for i in closure.quantities} == {3, 8}


def test_reduction_of_spending_is_no_troop_reduction() -> None:
    assert _events("وأعلنت الحكومة عن خطة لتقليص النفقات العامة خلال العام المقبل.") == []


def test_comparison_clause_is_a_second_event_with_its_own_figure() -> None:
    body = (
        "وتظهر تقديرات غير رسمية ارتفاع عدد الهجمات التي نفذها التنظيم إلى 130 هجمة خلال الأشهر الأربعة "
        "الأولى من العام الجاري، مقارنة مع 150 هجمة طيلة العام 2024."
    )
    article = _article(body)
    first, second = article.events
    assert first.type == second.type == "attack"
    assert [article.quantities[i].value for i in first.quantities] == [130]
    assert [article.quantities[i].value for i in second.quantities] == [150]
    assert article.times[second.time].value == "2024"
    assert first.attribution == second.attribution == 0
    assert article.attributions[0].text == "تقديرات غير رسمية"


def test_announcement_and_expectation_modalities() -> None:
    announced = _events('ويوم أمس الثلاثاء، أعلنت قيادة التحالف الدولي عن "إعادة تموضع" قواتها في المنطقة.')
    assert [(e.type, e.modality) for e in announced] == [("redeployment", Modality.ANNOUNCED)]
    expected = _events("وتوقعت المصادر استمرار الحذر في تطبيق الخطة لحين التوصل إلى اتفاق واضح بين الطرفين.")
    assert [(e.type, e.modality) for e in expected] == [("expectation", Modality.EXPECTED)]


def test_content_of_an_opposition_is_not_a_separate_event() -> None:
    body = (
        "وقالت مصادر دبلوماسية إن معارضة مسؤولي التحالف لانسحاب أو تقليص عدد القوات يأتي بعد زيادة الهجمات."
    )
    events = _events(body)
    assert [e.type for e in events] == ["opposition"]
    assert events[0].attribution == 0


def test_negation_and_double_negation() -> None:
    negated = _events("ولم تنسحب القوات الأمريكية من القاعدة رغم الهجمات المتكررة.")
    assert negated[0].type == "withdrawal" and negated[0].negated and negated[0].modality is Modality.NEGATED
    cancelled = _events("لكن ذلك لا يعني عدم استمرارها في تنفيذ خطة تقليص عدد قواتها في المنطقة.")
    assert [(e.type, e.negated, e.modality) for e in cancelled] == [
        ("troop_reduction", False, Modality.PLANNED)
    ]


def test_hypothetical_after_may_but_not_after_qad_with_a_past_verb() -> None:
    warning = _events("حيث حذر الجنرال من أن انسحابا أمريكيا قد يؤدي إلى عودة التنظيم خلال عام إلى عامين.")
    assert [(e.type, e.modality, e.time) for e in warning] == [("warning", Modality.HYPOTHETICAL, None)]
    past = _events("وكانت القوات قد انسحبت من المدينة الأسبوع الماضي.")
    assert [(e.type, e.modality) for e in past] == [("withdrawal", Modality.REPORTED)]


def test_the_syrian_opposition_as_a_group_is_no_opposition_event() -> None:
    assert (
        _events("وسيطرت فصائل المعارضة السورية المسلحة على القرية بعد معارك عنيفة.")[0].type == "armed_clash"
    )
    assert [e.type for e in _events("وقالت المعارضة السورية إن الاجتماع انتهى.")] == []


def test_mentions_of_the_same_event_merge_into_one() -> None:
    body = (
        "ارتفعت وتيرة المعارضة في صفوف المسؤولين لعملية تقليص تواجد القوات.\n\n"
        "وقالت مصادر دبلوماسية إن معارضة المسؤولين لانسحاب القوات تزايدت."
    )
    events = _events(body)
    assert [e.type for e in events] == ["opposition"]
    assert events[0].attribution == 0


def test_roles_from_markers_and_from_the_announcing_body() -> None:
    pressure = _events("فإن الولايات المتحدة تتعرض إلى ضغوط من حلفاء مثل إسرائيل، التي تعارض الانسحاب.")
    if not _article("إسرائيل").mentions:
        pytest.skip("the entity extractor finds no names in this checkout")
    assert [(e.type, {r.role: r.entity_id for r in e.roles}) for e in pressure] == [
        ("pressure", {"target": "gpe:usa", "actor": "gpe:israel"}),
        ("opposition", {"actor": "gpe:israel"}),
    ]
    announced = _events("ويوم أمس الثلاثاء، أعلنت قيادة التحالف الدولي عن إعادة تموضع قواتها في سوريا.")
    roles = {r.role: r for r in announced[0].roles}
    assert roles["actor"].text == "قيادة التحالف الدولي" and roles["place"].text == "سوريا"
