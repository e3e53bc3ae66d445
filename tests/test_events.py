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


# ---------------------------------------------------------------------- rules from ANT articles (2018)


def _roles(event: Event) -> dict[str, str | None]:
    return {r.role: r.entity_id for r in event.roles}


def test_a_news_agency_reporting_an_arrest_is_not_its_actor() -> None:
    # BBC, BB-middleEast-1001-20180912
    body = (
        "ونقلت وكالة أنباء الأناضول أن جهاز الاستخبارات التركي اعتقل يوسف نازيك، وهو مواطني تركي، "
        "في مدينة اللاذقية، معقل مؤيدي الرئيس السوري بشار الأسد."
    )
    (arrest,) = _events(body)
    roles = {r.role: r for r in arrest.roles}
    assert arrest.type == "arrest"
    assert (roles["actor"].entity_id, roles["place"].entity_id) == ("gpe:turkey", "gpe:latakia")
    assert roles["target"].text == "يوسف نازيك"  # the subject stands first: the name after is the object


def test_the_subject_of_an_arrest_is_no_actor_of_the_attacks_it_is_about() -> None:
    # BBC, BB-middleEast-1001-20180912
    body = (
        "وسائل إعلام تركية تقول إن أنقرة اعتقلت يوسف نازيك، المشتبه به في تنفيذ هجمات دامية بتركيا، "
        "خلال عملية خاصة في مدينة اللاذقية."
    )
    arrest, attack = _events(body)
    assert (arrest.type, _roles(arrest)["actor"]) == ("arrest", "gpe:ankara")
    assert attack.type == "attack" and "actor" not in _roles(attack)


def test_a_city_after_talks_is_where_they_are_held() -> None:
    # SkyNews: "… لحضور مشاورات جنيف"
    (talks,) = _events("اليماني: صراعات داخل الحوثي تعرقل مشاورات جنيف.")
    assert talks.type == "negotiation"
    assert _roles(talks) == {"place": "gpe:geneva"}


def test_a_city_before_a_relative_clause_is_a_place_not_an_actor() -> None:
    # Alarabiya, AL-internationalNews-319-20180303
    body = "وفي جبهة نهم القريبة من العاصمة صنعاء، والتي تشهد معارك متواصلة، أفادت مصادر عسكرية بمقتل قيادي."
    clash = next(e for e in _events(body) if e.type == "armed_clash")
    assert _roles(clash) == {"place": "gpe:sanaa"}


def test_a_name_after_a_preposition_is_no_genitive() -> None:
    # BBC, BB-middleEast-426-20180429
    body = "وكان ترامب قال إن الولايات المتحدة ستعيد فرض العقوبات على إيران في 12 من الشهر المقبل."
    (sanctions,) = _events(body)
    assert sanctions.type == "sanctions"
    assert _roles(sanctions).get("target") == "gpe:iran" and _roles(sanctions).get("actor") != "gpe:iran"


def test_a_demonym_after_the_strike_is_its_actor_not_its_place() -> None:
    # Alarabiya, AL-internationalNews-1349-20180527
    (strike,) = _events("قتل فلسطينيان وأصيب آخر بجروح بالغة، في قصف إسرائيلي على قطاع غزة صباح الأحد.")
    assert strike.type == "attack"
    assert _roles(strike) == {"actor": "gpe:israel"}


def test_a_demonym_describing_another_noun_fills_no_role() -> None:
    # France24, FR-middleEast-921-20180812
    body = "فيما تتصاعد التوترات بين أنقرة وواشنطن بسبب عدد من القضايا بينها احتجاز قس أمريكي."
    (detention,) = _events(body)
    assert detention.type == "arrest" and "target" not in _roles(detention)


def test_withdrawal_from_an_agreement_past_the_actor_is_no_troop_movement() -> None:
    # SkyNews, SK-middleEast-3371-20180812
    body = (
        "وأعلن رئيس الوزراء العراقي، الثلاثاء الماضي، أن حكومته مضطرة إلى دعم العقوبات الأمريكية المفروضة "
        "على إيران على خلفية انسحاب واشنطن من الاتفاق النووي مع طهران."
    )
    assert "withdrawal" not in [e.type for e in _events(body)]


def test_the_opposition_as_the_group_in_control_is_no_opposition_event() -> None:
    # BBC, BB-middleEast-688-20180701
    body = (
        "وقد أدت الحملة العسكرية الحكومية، التي بدأت الشهر الماضي، على المناطق الواقعة تحت سيطرة المعارضة، "
        "جنوب غربي البلاد، إلى نزوح عشرات الآلاف باتجاه الحدود الأردنية."
    )
    assert [e.type for e in _events(body)] == []


def test_a_negation_governs_the_verb_next_to_it_not_a_later_event() -> None:
    # BBC, BB-middleEast-298-20180406
    far = _events(
        "ظريف: كان الجواب: العالم العربي ليس من شأنكم، اقترحنا مرة أخرى مباشرة بعد بدء الحرب، "
        "فالقصف بدأ منذ ثلاث سنوات بالتمام والكمال."
    )
    assert [(e.type, e.negated) for e in far] == [("attack", False)]
    # France24, FR-middleEast-243-20180409
    near = _events('وقال ترامب "كما تعلمون فهم يزعمون أنهم لم يشنوا الهجوم"، موضحا أنه متشكك.')
    assert [(e.type, e.negated) for e in near] == [("attack", True)]


def test_a_denial_negates_what_it_denies() -> None:
    # BBC, BB-middleEast-1001-20180912
    body = "وتنفي الحكومة السورية صحة الإدعاء بأنها لعبت دورا في الهجوم، الذي خلف 53 قتيلا."
    (attack,) = _events(body)
    assert (attack.type, attack.negated, attack.modality) == ("attack", True, Modality.NEGATED)


def test_the_figure_of_a_result_clause_goes_to_the_attack() -> None:
    # BBC, BB-middleEast-1001-20180912
    body = (
        'ألقت الاستخبارات التركية القبض على "مشتبه به رئيسي" في هجوم مزدوج أسفر عن مقتل العشرات '
        "في مايو/أيار 2013."
    )
    article = _article(body)
    attack = next(e for e in article.events if e.type == "attack")
    assert [article.quantities[i].text for i in attack.quantities] == ["عشرات"]
    assert "killing" not in [e.type for e in article.events]


def test_the_other_party_of_talks_is_an_actor() -> None:
    # BBC, BB-middleEast-688-20180701
    (talks,) = _events("استأنفت المعارضة السورية المسلحة محادثاتها مع روسيا بهدف وقف القتال.")
    assert (talks.type, _roles(talks)) == ("negotiation", {"actor": "gpe:russia"})


def test_the_abstract_and_the_lede_report_one_arrest() -> None:
    # France24, FR-middleEast-848-20180729: the same day written twice is the same time
    body = (
        "ألقت شرطة الحدود الإسرائيلية السبت القبض على إيطاليين وثالث فلسطيني في منطقة بيت لحم.\n\n"
        "واعتقلت شرطة الحدود الإسرائيلية السبت إيطاليين وفلسطيني في منطقة بيت لحم، بحسب بيان."
    )
    events = _events(body)
    assert [e.type for e in events] == ["arrest"]
    actor = next(r for r in events[0].roles if r.role == "actor")
    assert actor.text.endswith("الإسرائيلية")  # the border police, or Israel for it


def test_an_announcer_is_no_actor_of_an_event_it_names_further_on() -> None:
    # Alarabiya, AL-internationalNews-1349-20180527
    body = "من جهتها، أعلنت وزارة الصحة الفلسطينية وفاة اثنين، جراء القصف الذي وقع شرق رفح جنوب القطاع."
    attack = next(e for e in _events(body) if e.type == "attack")
    assert "actor" not in _roles(attack)


LEDE = (
    "ارتفعت وتيرة المعارضة في صفوف مسؤولي قوات التحالف الدولي لعملية تقليص تواجد هذه القوات في "
    "مناطق شمال شرقي سوريا.\n\n"
    "وقالت مصادر دبلوماسية غربية إن معارضة مسؤولي قوات التحالف الدولي يأتي بعد زيادة نشاط تنظيم "
    "داعش في تلك المناطق السورية.\n\n"
)
ATTACKS = "وتظهر تقديرات غير رسمية ارتفاع عدد الهجمات التي نفذها التنظيم إلى 130 هجمة خلال العام الجاري."


def test_an_event_without_a_place_takes_the_place_of_the_paragraph_before() -> None:
    attack = next(e for e in _events(LEDE + ATTACKS) if e.type == "attack")
    place = next(r for r in attack.roles if r.role == "place")
    assert (place.text, place.entity_id, place.inferred) == ("تلك المناطق", "loc:ne_syria", True)


def test_the_discourse_place_reaches_back_one_paragraph_only() -> None:
    between = 'وأكدت المصادر، لـ"إرم نيوز"، أن الأمر انعكس على طريقة تنفيذ خطة تقليص القوات.\n\n'
    attack = next(e for e in _events(LEDE + between + ATTACKS) if e.type == "attack")
    assert all(r.role != "place" for r in attack.roles)


def test_a_statement_takes_no_place_from_the_discourse() -> None:
    body = LEDE + "وحذر الجنرال مايكل كوريلا من عودة تنظيم داعش خلال عام."
    warning = next(e for e in _events(body) if e.type == "warning")
    assert all(r.role != "place" for r in warning.roles)
