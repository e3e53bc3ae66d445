"""Normalisation keeps offsets; the lexicon matches through clitics; sentences split on real text."""

from hypothesis import given
from hypothesis import strategies as st

from marsad.models import Span
from marsad.text.lexicon import Lexicon
from marsad.text.normalize import normalize
from marsad.text.sentences import split_sentences

SENTENCE = 'وتاريخيًا، أظهرت الولايات المتحدة ترددًا في الانسحاب الكامل بسبب مخاوف من عودة نشاط "داعش"'


def test_normalisation_folds_letters_and_drops_marks() -> None:
    norm = normalize("أظهرت إسرائيل آلاف ترددًا مـــدرسة مستشفى ٢٠٢٤")
    assert norm.text == "اظهرت اسرائيل الاف ترددا مدرسه مستشفي 2024"


def test_normalised_span_maps_back_to_original_with_diacritics() -> None:
    norm = normalize(SENTENCE)
    i = norm.text.index("ترددا")
    start, end = norm.span_to_original(i, i + len("ترددا"))
    assert SENTENCE[start:end] == "ترددًا"


def test_whitespace_runs_fold_but_offsets_survive() -> None:
    original = "قوات\n\n  سوريا   الديمقراطية"
    norm = normalize(original)
    assert norm.text == "قوات سوريا الديمقراطيه"
    i = norm.text.index("الديمقراطيه")
    assert original[slice(*norm.span_to_original(i, len(norm.text)))] == "الديمقراطية"


@given(st.text(alphabet=st.sampled_from(list("أإآاىيةهـًٌٍَُِّْ \n\t٠١٢abcوبل.")), max_size=60))
def test_every_normalised_index_maps_inside_the_original(text: str) -> None:
    norm = normalize(text)
    for i in range(len(norm.text)):
        o = norm.to_original(i)
        assert 0 <= o < len(text)
        if not norm.text[i].isspace():
            assert normalize(text[o]).text == norm.text[i]


def _lexicon() -> Lexicon:
    lex = Lexicon()
    lex.add("entity", "الولايات المتحدة", "united_states")
    lex.add("entity", "سوريا", "syria")
    lex.add("entity", "إرم نيوز", "erem_news")
    lex.add("demonym", "أمريكي", "united_states", article=True, suffixes=("ه", "ا", "ين"))
    return lex


def _found(text: str, category: str) -> list[str]:
    norm = normalize(text)
    return [text[slice(*norm.span_to_original(m.start, m.end))] for m in _lexicon().scan(norm.text)[category]]


def test_clitics_and_article_contractions_match() -> None:
    text = 'وأكدت المصادر، لـ"إرم نيوز"، أن جنديا أمريكيًا قتل بسوريا وللولايات المتحدة قواعد'
    assert _found(text, "entity") == ["إرم نيوز", "سوريا", "ولايات المتحدة"]
    assert _found(text, "demonym") == ["أمريكيًا"]


def test_no_match_inside_a_longer_word() -> None:
    assert _found("السوريالية مدرسة فنية", "entity") == []
    assert _found("القوات الروسية والأمريكية", "demonym") == ["أمريكية"]


def test_sentences_split_on_real_paragraph() -> None:
    text = "قال المتحدث إن 2.5 مليون نازح عادوا. وأضاف أن الوضع مستقر؟ نعم"
    sentences = split_sentences(text, [Span(start=0, end=len(text), text=text)])
    assert [s.text for s in sentences] == [
        "قال المتحدث إن 2.5 مليون نازح عادوا.",
        "وأضاف أن الوضع مستقر؟",
        "نعم",
    ]
