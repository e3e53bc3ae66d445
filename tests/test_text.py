"""Normalisation keeps offsets; the lexicon matches through clitics; sentences split on real text."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.models import Article, Span
from marsad.text.analysis import Analysis
from marsad.text.language import arabic_ratio
from marsad.text.lexicon import (
    _PROCLITICS_ARTICLE,
    _PROCLITICS_BARE,
    _WORD_CHARS,
    Lexicon,
    LexMatch,
    _allowed_prefixes,
)
from marsad.text.normalize import _DELETE, _REPLACE, DIACRITICS, normalize, normalize_key
from marsad.text.sentences import split_sentences

_WORD = re.compile(f"[{_WORD_CHARS}]")
_DIACRITIC = re.compile(f"[{DIACRITICS}]")
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


ODD_TEXT = st.text(alphabet=st.sampled_from(list("أإآاىيةهـًٌٍَُِّْ \n\t\u200f٠١٢abcİΣςوبلفسك.")), max_size=60)


def _reference_normalize(text: str) -> str:
    """Character by character: fold, lower-case, drop marks, one space for each run of whitespace
    characters that stand next to each other in the original."""
    out: list[str] = []
    for i, c in enumerate(text):
        folded = _REPLACE.get(c, c)
        if _DELETE.fullmatch(folded):
            continue
        if folded.isspace():
            if i == 0 or not text[i - 1].isspace():
                out.append(" ")
            continue
        out.append(folded.lower() if len(folded.lower()) == 1 else folded)
    return "".join(out)


@given(ODD_TEXT)
def test_normalisation_equals_the_character_by_character_reference(text: str) -> None:
    assert normalize(text).text == _reference_normalize(text)
    assert normalize_key(text) == normalize(text).text.strip()


@given(ODD_TEXT)
def test_offsets_map_both_ways_and_spans_take_in_trailing_diacritics(text: str) -> None:
    """The segment map against a walk over the original: a kept character maps back to itself, and a
    span ends after every diacritic that follows its last letter (whatever else was deleted there)."""
    norm = normalize(text)
    for i in range(len(norm.text)):
        assert norm.to_normalized(norm.to_original(i)) == i
    for start in range(len(norm.text)):
        for end in range(start + 1, len(norm.text) + 1):
            o_end = norm.to_original(end - 1) + 1
            while o_end < len(text) and _DIACRITIC.fullmatch(text[o_end]):
                o_end += 1
            assert norm.span_to_original(start, end) == (norm.to_original(start), o_end)


@given(st.text(alphabet=st.sampled_from(list("سوريا abcİ_٣3 .ـًٱ²")), max_size=40))
def test_arabic_ratio_counts_letter_by_letter(text: str) -> None:
    letters = re.findall(r"[^\W\d_]", text)
    arabic = re.findall(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]", text)
    assert arabic_ratio(text) == (len(arabic) / len(letters) if letters else 0.0)


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


def _reference_scan(lexicon: Lexicon, norm: str) -> dict[str, list[LexMatch]]:
    """Every occurrence of every form, its proclitics found by walking back to the word start, then
    leftmost-longest by category: what the automaton with the boundaries in its keys must find."""
    found: dict[str, list[LexMatch]] = {}
    for key, entries in lexicon._entries.items():
        start = norm.find(key)
        while start >= 0:
            end = start + len(key)
            word_start = start
            while word_start > 0 and _WORD.match(norm, word_start - 1):
                word_start -= 1
            prefix = norm[word_start:start]
            for entry in entries:
                stop = next(
                    (
                        end + len(s)
                        for s in ("", *entry.suffixes)
                        if norm.startswith(s, end) and not _WORD.match(norm, end + len(s))
                    ),
                    None,
                )
                if prefix in entry.prefixes and stop is not None:
                    match = LexMatch(start, stop, entry, prefix, norm[end:stop])
                    found.setdefault(entry.category, []).append(match)
            start = norm.find(key, start + 1)
    resolved = {}
    for category, matches in found.items():
        matches.sort(key=lambda m: (m.start, -m.end))
        kept: list[LexMatch] = []
        for m in matches:
            if not kept or m.start >= kept[-1].end or (m.start, m.end) == (kept[-1].start, kept[-1].end):
                kept.append(m)
        resolved[category] = kept
    return resolved


def _clitic_lexicon() -> Lexicon:
    """Forms that overlap, carry the article, take suffixes or hold punctuation and spaces; ``% $ €``
    differ only in characters the scan marks as spaces, so they share their automaton keys."""
    lex = Lexicon()
    lex.add("a", "بلد", 1)
    lex.add("a", "لد", 2, suffixes=("ت",))
    lex.add("a", "البلد", 3)
    lex.add("b", "بلد", 4, article=True, suffixes=("ه", "ات"))
    lex.add("b", "د.ك", 5, proclitics=False)
    lex.add("b", "بلد كت", 6)
    lex.add("c", "%", 7)
    lex.add("c", "ك", 8)
    lex.add("c", "$", 9)
    lex.add("a", "€", 10, suffixes=("ت",))
    lex.add("c", "؛", 11)
    return lex


CLITIC_PIECES = [
    "و",
    "ف",
    "ب",
    "ال",
    "ك",
    "بلد",
    "لد",
    "ت",
    "ه",
    "ات",
    " ",
    "%",
    ".",
    "-",
    "د.ك",
    "1",
    "$",
    "€",
    "؛",
]


@given(st.lists(st.sampled_from(CLITIC_PIECES), max_size=16).map("".join))
def test_scan_equals_the_walking_back_reference(text: str) -> None:
    lex = _clitic_lexicon()
    found = {category: matches for category, matches in lex.scan(text).items() if matches}
    assert found == _reference_scan(lex, text)


def _word_start_lexicon() -> Lexicon:
    """The clitic lexicon plus a category of single words without suffixes, sharing forms with others."""
    lex = _clitic_lexicon()
    lex.add("w", "بلد", 12)
    lex.add("w", "لد", 13, article=True)
    lex.add("w", "ك", 14)
    return lex


@given(st.lists(st.sampled_from(CLITIC_PIECES), max_size=16).map("".join))
def test_a_word_start_category_gives_where_the_scans_matches_begin_and_leaves_the_rest(text: str) -> None:
    lex = _word_start_lexicon()
    full = lex.scan(text)
    scan = lex.scan_article(text, ("w",))
    assert scan.word_starts == {"w": {m.start - len(m.prefix) for m in full["w"]}}
    assert {c: m for c, m in scan.matches.items() if m} == {c: m for c, m in full.items() if m and c != "w"}


@pytest.mark.parametrize("category", ["a", "b", "c"])  # a suffix (لد + ت), a multi-word form (بلد كت), "%"
def test_only_single_words_without_suffixes_make_a_word_start_category(category: str) -> None:
    with pytest.raises(ValueError, match=category):
        _clitic_lexicon().scan_article("بلد", (category,))


@given(st.lists(st.sampled_from(["%", "؛", "و", "ال", "ت", " ", "."]), max_size=12).map("".join))
def test_a_lexicon_of_symbols_only_scans_like_the_reference(text: str) -> None:
    lex = Lexicon()
    lex.add("c", "%", 1, article=True, suffixes=("ت",))
    lex.add("c", "؛", 2)
    found = {category: matches for category, matches in lex.scan(text).items() if matches}
    assert found == _reference_scan(lex, text)


def test_allowed_proclitics_follow_the_entry_kind() -> None:
    every = _PROCLITICS_BARE | _PROCLITICS_ARTICLE
    assert _allowed_prefixes(True, False, True) == _PROCLITICS_ARTICLE
    assert _allowed_prefixes(False, False, True) == _PROCLITICS_BARE
    assert _allowed_prefixes(False, False, False) == {""}
    assert _allowed_prefixes(False, True, True) == every
    assert _allowed_prefixes(False, True, False) == {"", "ال"}


def test_no_match_inside_a_longer_word() -> None:
    assert _found("السوريالية مدرسة فنية", "entity") == []
    assert _found("القوات الروسية والأمريكية", "demonym") == ["أمريكية"]


def test_spellings_that_normalise_alike_with_one_meaning_make_one_match() -> None:
    lexicon = Lexicon()
    lexicon.add("entity", "إدلب", "gpe:idlib")
    lexicon.add("entity", "ادلب", "gpe:idlib")  # the same name without its hamza
    lexicon.add("entity", "أدلب", "gpe:other")  # alike in spelling, another meaning: its own match
    lexicon.add("month", "إدلب", "gpe:idlib")  # another category: its own match
    found = lexicon.scan("قصفت الطائرات ريف ادلب الجنوبي")
    assert [m.payload for m in found["entity"]] == ["gpe:idlib", "gpe:other"]
    assert [m.payload for m in found["month"]] == ["gpe:idlib"]


def test_hashtag_marks_and_underscores_are_word_boundaries() -> None:
    assert _found("مع بداية الحرب التي اشتعلت في #سوريا قبل نحو 7 أعوام", "entity") == ["سوريا"]
    assert _found("وسم #سوريا_الآن يتصدر", "entity") == ["سوريا"]


@given(
    st.lists(st.sampled_from(["سوريا", "و", "ب", " ", "\n\n", "ـ", "ً", "\u200f", "؛", "x"]), max_size=30).map(
        "".join
    ),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4),
)
def test_found_keeps_the_matches_whose_original_start_is_in_a_region(text: str, regions: list) -> None:
    lex = Lexicon()
    for surface in ("سوريا", "و", "x", "؛"):
        lex.add("c", surface, surface)
    norm = normalize(text)
    matches = lex.scan(norm.text)
    analysis = Analysis(Article(id="t", source="test", text=text), norm, matches, regions, {})
    expected = [m for m in matches["c"] if analysis.in_regions(norm.to_original(m.start))]
    assert analysis.found("c") == expected
    for offset in range(len(norm.text)):  # where a match can start
        assert analysis.in_normalized_regions(offset) == analysis.in_regions(norm.to_original(offset))


def test_sentences_split_on_real_paragraph() -> None:
    text = "قال المتحدث إن 2.5 مليون نازح عادوا. وأضاف أن الوضع مستقر؟ نعم"
    sentences = split_sentences(text, [Span(start=0, end=len(text), text=text)])
    assert [s.text for s in sentences] == [
        "قال المتحدث إن 2.5 مليون نازح عادوا.",
        "وأضاف أن الوضع مستقر؟",
        "نعم",
    ]


def test_sentence_ends_skip_digits_and_lone_capitals() -> None:
    text = 'قالت U.S. إن 3. العدد كبير!!" ثم. A. B انتهى'
    paragraphs = [Span(start=0, end=len(text), text=text)]
    assert [(s.text, s.paragraph) for s in split_sentences(text, paragraphs)] == [
        ('قالت U.S. إن 3. العدد كبير!!"', 0),
        ("ثم.", 0),
        ("A. B انتهى", 0),
    ]
