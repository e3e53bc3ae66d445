"""Entity recognition and linking on real Arabic news sentences, and against the seed article's gold."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.extract.entities import (
    _MAX_CLITICS,
    NAME_STOP,
    _divine_compounds,
    _StopWords,
    extract_entities,
)
from marsad.kb.loader import load_kb
from marsad.models import Article, Entity, EntityType, Mention, RawDocument, Span
from marsad.pipeline import process
from marsad.text.analysis import analyse
from marsad.text.lexicon import _PROCLITICS_ARTICLE, _PROCLITICS_BARE
from marsad.text.normalize import normalize_key

SEED = Path(__file__).parents[2] / "shared" / "corpus" / "seed" / "erem-2025-05-28-coalition-syria"


def entities_in(text: str) -> tuple[list[Mention], dict[str, Entity]]:
    article = Article(id="t", source="test", text=text, paragraphs=[Span(start=0, end=len(text), text=text)])
    mentions, entities = extract_entities(analyse(article, load_kb()), load_kb())
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return mentions, {e.id: e for e in entities}


def surfaces(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.entity_id) for m in mentions]


def test_a_known_general_is_linked_with_his_title() -> None:
    mentions, entities = entities_in(
        "حيث حذر الجنرال مايكل كوريلا من أن انسحابًا أمريكيًا قد يؤدي إلى عودة تنظيم داعش"
    )
    person = next(m for m in mentions if m.type == EntityType.PERSON)
    assert (person.text, person.title, person.entity_id) == (
        "مايكل كوريلا",
        "الجنرال",
        "person:michael_kurilla",
    )
    assert ("أمريكيًا", "gpe:usa") in surfaces(mentions)
    assert ("تنظيم داعش", "org:isis") in surfaces(mentions)
    assert entities["gpe:usa"].lat is not None


def test_an_unknown_name_after_a_title_becomes_a_new_person() -> None:
    mentions, entities = entities_in("وأكد العميد سفيان الزعق الجمعة أن القوات انتشرت في المدينة")
    person = next(m for m in mentions if m.type == EntityType.PERSON)
    assert (person.text, person.title, person.how) == ("سفيان الزعق", "العميد", "title_rule")
    assert entities[person.entity_id].kb is False


def test_a_name_stops_before_a_verb_and_a_title_alone_is_no_name() -> None:
    mentions, _ = entities_in("وكان الرئيس محمد بخاري حصل هذا الأسبوع على دعم الحزب")
    assert [m.text for m in mentions if m.type == EntityType.PERSON] == ["محمد بخاري"]
    mentions, _ = entities_in("وقال المتحدث باسم الخارجية إن الرئيس يزور المنطقة")
    assert [m for m in mentions if m.type == EntityType.PERSON] == []


def test_a_coordinated_list_after_a_facility_head_names_each_facility() -> None:
    mentions, _ = entities_in(
        'مع إغلاق ثلاث قواعد من أصل ثماني في المنطقة، مثل قاعدتي "قرية الخضراء" و"الفرات".'
    )
    facilities = [(m.text, m.entity_id) for m in mentions if m.type == EntityType.FACILITY]
    assert facilities == [("قرية الخضراء", "fac:green_village"), ("الفرات", "fac:euphrates_base")]


def test_without_a_facility_head_the_euphrates_is_the_river() -> None:
    mentions, _ = entities_in("تقدمت القوات على الضفة الشرقية من الفرات قرب دير الزور")
    assert ("الفرات", "loc:euphrates") in surfaces(mentions)


def test_the_longer_name_wins_over_the_place_inside_it() -> None:
    mentions, _ = entities_in(
        'بين حكومة دمشق وقوات سوريا الديمقراطية "قسد" في شمال شرقي سوريا، بحسب تقرير معهد واشنطن'
    )
    assert surfaces(mentions) == [
        ("حكومة دمشق", "org:syrian_government"),
        ("قوات سوريا الديمقراطية", "org:sdf"),
        ("قسد", "org:sdf"),
        ("شمال شرقي سوريا", "loc:ne_syria"),
        ("معهد واشنطن", "org:washington_institute"),
    ]


def test_demonyms_resolve_to_their_state_with_the_article_in_the_evidence() -> None:
    mentions, _ = entities_in("حيث تراجعت تهديدات الميليشيات المدعومة من إيران والقوات الروسية في سوريا.")
    assert [(m.text, m.entity_id, m.how) for m in mentions] == [
        ("إيران", "gpe:iran", "kb"),
        ("الروسية", "gpe:russia", "demonym"),
        ("سوريا", "gpe:syria", "kb"),
    ]


def test_the_organisation_refers_back_only_to_an_earlier_compatible_group() -> None:
    mentions, _ = entities_in("تبنى تنظيم داعش الهجوم على الحاجز. وقال التنظيم في بيان إن عناصره انسحبوا")
    assert ("التنظيم", "org:isis") in surfaces(mentions)
    assert next(m for m in mentions if m.text == "التنظيم").how == "anaphora"
    mentions, _ = entities_in(
        "أعلنت قوات سوريا الديمقراطية أن التنظيم الإداري للمنطقة سيتغير. وقال التنظيم إن"
    )
    assert all(m.text != "التنظيم" for m in mentions)


def test_a_function_word_after_the_anaphor_is_not_a_description() -> None:
    mentions, _ = entities_in(
        "تراجعت هجمات تنظيم داعش. وارتفع عدد الهجمات التي نفذها التنظيم إلى 130 هجمة خلال العام"
    )
    assert ("التنظيم", "org:isis") in surfaces(mentions)


def test_an_ambiguous_name_is_linked_only_when_the_article_supports_one_reading() -> None:
    mentions, _ = entities_in("وصل الوزير إلى عمان مساء أمس")
    assert all(m.text != "عمان" for m in mentions)
    mentions, _ = entities_in("وصل الوزير إلى عمان مساء أمس في زيارة إلى الأردن تستمر يومين")
    assert ("عمان", "gpe:amman") in surfaces(mentions)


def test_a_quoted_name_after_a_media_head_is_an_organisation() -> None:
    mentions, entities = entities_in('ذكرت صحيفة "كاثيميريني" اليونانية، وأكدت قناة "الجزيرة" الخبر')
    assert ("كاثيميريني", "org:كاثيميريني") in surfaces(mentions)
    assert entities["org:كاثيميريني"].kb is False
    assert ("الجزيرة", "media:aljazeera") in surfaces(mentions)
    mentions, _ = entities_in('وتصنف أنقرة الوحدات منظمة "إرهابية" تدعمها واشنطن')
    assert all(m.type != EntityType.ORG for m in mentions)


def test_seed_article_finds_every_gold_entity_with_high_precision() -> None:
    if not SEED.with_suffix(".txt").exists():
        pytest.skip("shared corpus not available")
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    article = process(RawDocument(source="seed", text=SEED.with_suffix(".txt").read_text(encoding="utf-8")))
    assert isinstance(article, Article)
    found = {(m.text, m.type.value) for m in article.mentions}
    matched: set[str] = set()
    for entry in gold["entities"]:
        for surface in entry["surfaces"]:
            assert (surface, entry["type"]) in found, f"{entry['name_en']}: {surface} not found"
        ids = {m.entity_id for m in article.mentions if m.text in entry["surfaces"]}
        assert len(ids) == 1, f"{entry['name_en']} linked to {ids}"
        matched |= ids
        if "title" in entry:
            assert any(m.title == entry["title"] for m in article.mentions if m.entity_id in ids)
    precision = len(matched) / len({m.entity_id for m in article.mentions})
    assert precision >= 0.9


def test_ner_evaluation_aligns_mentions_to_whole_gold_tokens() -> None:
    from eval.readers.conll import EntitySpan
    from eval.tasks.ner import ANERCORP_TYPES, predict

    tokens = ["وصل", "الوفد", "الروسي", "إلى", "بغداد", "وأربيل", "بدعوة", "من", "الأمم", "المتحدة", "."]
    assert predict(tokens, ANERCORP_TYPES, load_kb()) == [
        EntitySpan(4, 5, "LOC"),
        EntitySpan(5, 6, "LOC"),
        EntitySpan(8, 10, "ORG"),
    ]


def test_a_full_name_opened_by_a_given_name_is_a_person_and_its_surname_refers_back() -> None:
    mentions, _ = entities_in(
        "وقال خالد اليماني في تصريح إن الوفد لن يشارك. واعتبر اليماني أن غياب الطرف الآخر يعرقل المحادثات"
    )
    people = [(m.text, m.how) for m in mentions if m.type == EntityType.PERSON]
    assert people == [("خالد اليماني", "pattern"), ("اليماني", "pattern")]
    assert len({m.entity_id for m in mentions if m.type == EntityType.PERSON}) == 1


def test_a_given_name_that_is_an_ordinary_word_opens_no_name_alone() -> None:
    mentions, _ = entities_in("وأكد أن سعيد الحظ من ينجو من الحرب")
    assert [m for m in mentions if m.type == EntityType.PERSON] == []


def test_a_ministry_or_party_is_named_by_its_definite_words() -> None:
    mentions, _ = entities_in(
        "وأعلنت وزارة الطاقة الفنزويلية في بيان أن الإنتاج تراجع، فيما طالب حزب البعث بالحوار"
    )
    orgs = [(m.text, m.how) for m in mentions if m.type == EntityType.ORG]
    assert orgs == [("وزارة الطاقة الفنزويلية", "pattern"), ("حزب البعث", "pattern")]


def test_al_qaeda_by_its_short_name_only_in_a_jihadist_context() -> None:
    mentions, _ = entities_in("أغلق الجيش القاعدة أمام الصحفيين بعد الهجوم")
    assert all(m.entity_id != "org:al_qaeda" for m in mentions)
    mentions, _ = entities_in(
        "وانشق قادة عن تنظيم داعش وانضموا إلى القاعدة في المنطقة، ثم عادوا إلى القاعدة العسكرية"
    )
    assert [m.text for m in mentions if m.entity_id == "org:al_qaeda"] == ["القاعدة"]


PIECES = [
    "الجنرال",
    "قاعدتي",
    '"',
    "«",
    "»",
    "قرية الخضراء",
    "و",
    "الفرات",
    "صحيفة",
    "معهد",
    "التنظيم",
    "داعش",
]
PIECES += [
    "محمد",
    "الرئيس",
    "الأمريكي",
    "بن",
    "اليماني",
    "خالد",
    "مطار",
    "دمشق",
    "عمان",
    "ـ",
    "ً",
    "\n",
    " ",
    "،",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_any_text_gives_mentions_that_are_exact_trimmed_evidence(pieces: list[str]) -> None:
    text = " ".join(pieces)
    if not text.strip():
        return
    mentions, entities = entities_in(text)
    assert {m.entity_id for m in mentions} == {e.id for e in entities.values()}
    assert all(m.text and m.text == m.text.strip() for m in mentions)


def test_a_place_anaphor_refers_back_to_the_region_and_agrees_with_its_demonym() -> None:
    mentions, _ = entities_in(
        "لعملية تقليص تواجد هذه القوات في مناطق شمال شرقي سوريا. وقالت مصادر دبلوماسية غربية إن "
        "المعارضة يأتي بعد زيادة نشاط تنظيم داعش في تلك المناطق السورية."
    )
    assert ("تلك المناطق", "loc:ne_syria") in surfaces(mentions)
    mentions, _ = entities_in("تقدمت القوات في شمال شرقي سوريا. وقال إن تلك المناطق العراقية آمنة")
    assert all(m.text != "تلك المناطق" for m in mentions)


def test_the_country_is_the_one_the_article_is_about_not_the_last_state_named() -> None:
    mentions, _ = entities_in(
        "الأردن يتوسط في محادثات جديدة بين المعارضة السورية المسلحة وروسيا بهدف وقف القتال بين "
        "القوات السورية والمعارضة جنوبي البلاد."
    )
    assert ("البلاد", "gpe:syria") in surfaces(mentions)
    mentions, _ = entities_in(
        "وقالت السعودية إن التحالف العربي قتل القيادي في غارة استهدفته في محافظة الحديدة غربي البلاد، "
        "بحسب ما أعلنت السعودية."
    )
    assert ("البلاد", "gpe:yemen") in surfaces(mentions)


def test_the_consensus_government_is_palestinian_or_libyan_by_the_story() -> None:
    mentions, _ = entities_in("رحبت حكومة الوفاق بقرار حماس حل اللجنة الإدارية في غزة")
    assert ("حكومة الوفاق", "org:palestinian_consensus_government") in surfaces(mentions)
    mentions, _ = entities_in("تقدمت قوات حكومة الوفاق في طرابلس الليبية")
    assert ("حكومة الوفاق", "org:libya_gna") in surfaces(mentions)
    mentions, _ = entities_in("وقالت حكومة الوفاق إن الاجتماع انتهى")
    assert all(m.text != "حكومة الوفاق" for m in mentions)


def test_bare_al_jazeera_is_the_channel_only_where_a_word_makes_it_a_medium() -> None:
    for text in ("وأفاد مراسل الجزيرة بأن القصف استمر", "وقالت الجزيرة إن الوفد وصل"):
        assert ("الجزيرة", "media:aljazeera") in surfaces(entities_in(text)[0])
    for text in ("وصلت السفينة إلى الجزيرة مساء أمس", "في شبه الجزيرة العربية"):
        assert all(m.text != "الجزيرة" for m in entities_in(text)[0])


def test_abbas_alone_is_the_palestinian_president_only_in_a_palestinian_story_or_after_a_title() -> None:
    assert ("عباس", "person:mahmoud_abbas") in surfaces(entities_in("وقال الرئيس عباس في رام الله إن")[0])
    text = "واستقبل عباس في رام الله وفدا من حركة فتح"
    assert ("عباس", "person:mahmoud_abbas") in surfaces(entities_in(text)[0])
    assert all(m.text != "عباس" for m in entities_in("وقال عباس إن الاحتلال يواصل")[0])
    assert all(m.text != "عباس" for m in entities_in("والتقى عباس كامل في غزة قادة حماس")[0])


def persons(text: str) -> list[str]:
    return [m.text for m in entities_in(text)[0] if m.type == EntityType.PERSON]


def test_a_name_opened_by_abd_and_a_divine_name_needs_no_title() -> None:
    text = 'حيث اختارها المخرج المعروف عبد اللطيف عبد الحميد لبطولة فيلم "صعود المطر"'
    assert "عبد اللطيف عبد الحميد" in persons(text)


def test_a_kunya_with_a_given_name_is_a_person() -> None:
    assert "أبو عمار" in persons("كانت هناك قناعة (لدى أبو عمار) أن قيام المؤسسة الإسرائيلية")


def test_a_nasab_chain_and_a_nisba_family_name_stay_in_the_name() -> None:
    text = "ويقول العالم المصري محمد عبد الحميد الشيمي، في دراسة بعنوان"
    assert "محمد عبد الحميد الشيمي" in persons(text)
    assert "محمود المصري" in persons("وقال محمود المصري إن المفاوضات لم تنته")


def test_the_word_after_abd_is_no_family_name_on_its_own() -> None:
    text = "وقال عبد السلام هنية إن الاتفاق يحقق السلام في المنطقة"
    assert [p for p in persons(text) if p == "السلام"] == []


_WORD_INITIAL_DIVINE_COMPOUND = re.compile(r"(?<![\u0621-\u064a])[وفبل]?(عبد ?ال[\u0621-\u064a]{3,})")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["عبد", "ال", "رحمن", "له", "و", "ب", "ك", " ", "،", "x", "1"]), max_size=12))
def test_abd_and_a_divine_name_are_found_where_the_word_initial_pattern_finds_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [m.start(1) for m in _WORD_INITIAL_DIVINE_COMPOUND.finditer(text)]
    assert _divine_compounds(text) == expected


def test_no_proclitic_string_is_longer_than_the_stop_word_lookup_looks_back() -> None:
    longest = max(len(p) for p in _PROCLITICS_BARE | _PROCLITICS_ARTICLE)
    assert longest <= _MAX_CLITICS


def test_the_stop_word_lookup_finds_every_stop_word_the_lexicon_found_and_no_other_place() -> None:
    text = "وقال الرئيس محمد بخاري إن الوزير والمسؤولين في بلاده لم يوافقوا على ذلك بعد، وللحكومة رأي"
    article = Article(id="t", source="test", text=text, paragraphs=[Span(start=0, end=len(text), text=text)])
    analysis = analyse(article, load_kb())
    expected = {m.start - len(m.prefix) for m in load_kb().lexicon.scan(analysis.norm.text)[NAME_STOP]}
    stop_words = _StopWords(analysis)
    assert expected
    assert {pos for pos in range(len(analysis.norm.text) + 1) if pos in stop_words} == expected


MINTED_NAME_PIECES = ["مُحمّـد", "سفيان", "الزعق", "ΟΔΟΣ", "Σ", "İ", "ً", "ـ", "\u200c", "  ", "\n", "x"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MINTED_NAME_PIECES), min_size=1, max_size=8), st.booleans())
def test_a_new_entity_is_keyed_by_its_name_normalised_alone(pieces: list[str], elsewhere: bool) -> None:
    """The id of a minted entity is read from the article's normalisation: it must be the name's own
    (an article elsewhere holding İ is lower-cased letter by letter: a final Σ must come out the same)."""
    name = " ".join(pieces).strip()
    text = f'ذكرت صحيفة "{name}" الخبر' + (" İ" if elsewhere else "")
    for mention in entities_in(text)[0]:
        if mention.entity_id.startswith("org:") and mention.how == "pattern":
            assert mention.entity_id == "org:" + normalize_key(mention.text).replace(" ", "_")
