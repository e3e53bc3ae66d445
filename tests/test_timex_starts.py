"""The rules' declared starts (``grammar._RULE_STARTS``) only skip places where no rule reads anything:
with every kind free and every rule tried at every token, the same expressions are found."""

from __future__ import annotations

import re

import pytest

import marsad.extract.timex as timex
from marsad.extract.timex import grammar
from marsad.extract.timex.tokens import ANYTHING, Starts
from marsad.kb.loader import load_kb
from marsad.models import Article, Span, TimeExpression
from marsad.text.analysis import analyse
from tests import test_time
from tests.arabic_sentences import SENTENCES

# One or more phrases for each start of each rule, and for the leading words before what they cannot
# read on into.
PHRASES = [
    "وصل الساعة 4:48 مساء ثم الساعة العاشرة صباحا وغادر 10:30 ص، والساعة 9 أيضا.",
    "في 24/12/2015 و24-12-2015 و2015-12-24 و24.12.2015 بلغ 3.5 %.",
    "يومي 10 و11 أبريل، ومن 12 إلى 15 مايو، و3 - 4 يونيو، و7، 8 يوليو.",
    "في يوم الامتحان، وبعد يوم من الهجوم، يوم 30 يونيو، يوم واحد، يوما بعد يوم.",
    "صباح اليوم ومساء الأحد وظهر أمس وصباح 28 مايو وفجر الأول من يوليو.",
    "أول أمس ويوم أمس الثلاثاء واليوم وغدا وبعد غد والآن ومؤخرا.",
    "يوم الثلاثاء الماضي، والأحد المقبل، الخميس، 28 مايو 2025.",
    "الثامن والعشرين من يونيو، وشهر مارس/آذار عام 2024، وديسمبر من العام الماضي، وأبريل الجاري.",
    "عام 2003 والعام 2024 و2002م و1445هـ وفي 2003 ومنذ 1949 وعامي 2002 و2003 (1999) و2001-2002.",
    "ذلك اليوم وتلك السنة وهذا العام والشهر الجاري والقرن الماضي والقرن 19 والقرن التاسع عشر.",
    "العقد الأول من القرن الماضي واليوم الأول والأسبوع الأول من مايو واليوم التالي.",
    "الأسابيع الثلاثة الأخيرة والسنوات الخمس الماضية والأيام المقبلة والأشهر الأربعة الأولى من العام.",
    "أكثر من قرن ونحو عامين وبضعة أيام وثلاثة إلى خمسة أيام و3 إلى 5 سنوات وربع قرن وعام إلى عامين.",
    "قبل ثلاثة أيام ومنذ عامين وقبل أكثر من عام ومنذ بضعة أسابيع وقبل 10 أعوام.",
    "كل يوم وكل عامين ويوميا والمعاناة اليومية وكل بضعة أشهر.",
    "مطلع مايو ومنتصف العام المقبل وأواخر 2024 ونهاية الصيف الماضي.",
    "الصيف الماضي والنصف الثاني من العام والربع الأول من 2024 والتسعينيات.",
    "في مارس2016 و12أيار و2002م خمسة وتسعين عاما وثلاثة آلاف سنة وعشرين شهرا.",
    'قتل 25 من الجنود و3 في المئة و(25%) و"3" و2 مليون وخمسة من الأطفال والعاشرة في المساء.',
    "أكثر من 100 شخص ومنذ الحرب والأول في السباق وهذا القرار وتلك الدولة وكل الناس ونحو مئة.",
]


def _times(text: str) -> list[TimeExpression]:
    kb = load_kb()
    paragraphs = [Span(start=m.start(), end=m.end(), text=m.group()) for m in re.finditer(r"[^\n]+", text)]
    article = Article(id="t", source="t", text=text, paragraphs=paragraphs, published="2025-05-28T16:48")
    return timex.extract_times(analyse(article, kb), kb)


def _test_time_sentences() -> list[str]:
    """The sentences of test_time's parametrised tests (the first argument of each case)."""
    sentences = []
    for test in vars(test_time).values():
        for mark in getattr(test, "pytestmark", ()):
            if mark.name == "parametrize":
                sentences += [case[0] if isinstance(case, tuple) else case for case in mark.args[1]]
    return sentences


def _try_everything(patched: pytest.MonkeyPatch) -> None:
    """Every starting kind free, and every rule tried wherever one of its first kinds is."""
    anything = frozenset({ANYTHING})
    rules = tuple(
        (rule, Starts(dict.fromkeys(starts.after, anything))) for rule, starts in grammar._STARTS_BY_RULE
    )
    patched.setattr(timex, "STARTS", Starts(dict.fromkeys(grammar.STARTS.after, anything)))
    patched.setattr(grammar, "_STARTS_BY_RULE", rules)
    patched.setattr(grammar, "_BY_KINDS", {})


TEXTS = [*PHRASES, *SENTENCES, *_test_time_sentences()]


def test_the_texts_hold_many_expressions() -> None:
    assert len(TEXTS) > len(PHRASES) + len(SENTENCES)  # test_time's sentences were found
    assert sum(len(_times(text)) for text in TEXTS) > 200


@pytest.mark.parametrize("text", TEXTS)
def test_declared_starts_skip_nothing_that_reads(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    skipping = _times(text)
    with monkeypatch.context() as patched:
        _try_everything(patched)
        assert _times(text) == skipping
