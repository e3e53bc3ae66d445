"""Sentence splitting inside body paragraphs, in original offsets.

A sentence ends at ``. ! ? ؟`` (or a run of them, with closing quotes/brackets) followed by white
space, or at the end of its paragraph.  A full stop between digits (2.5) or after a single Latin
capital (U.S.) does not end a sentence.
"""

from __future__ import annotations

import re

from pydantic import TypeAdapter

from marsad.models import Sentence, Span

_STOP = "[.!?؟…]"
# The pattern begins with the punctuation itself, so the engine skips to it at C speed; the look-behinds
# then test what came before that first mark (a digit, a lone capital).
_END = re.compile(rf"{_STOP}(?<![0-9]{_STOP})(?<!\b[A-Z]{_STOP}){_STOP}*[\"'»”)\]]*(?=\s|$)")


# The article's sentences validated in one call, not one model construction each.
_SENTENCES = TypeAdapter(list[Sentence])


def split_sentences(text: str, paragraphs: list[Span]) -> list[Sentence]:
    sentences: list[dict[str, int | str]] = []
    for index, para in enumerate(paragraphs):
        start = para.start
        for m in _END.finditer(text, para.start, para.end):
            _append(text, sentences, start, m.end(), index)
            start = m.end()
        _append(text, sentences, start, para.end, index)
    return _SENTENCES.validate_python(sentences)


def _append(text: str, out: list[dict[str, int | str]], start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append({"start": start, "end": end, "text": text[start:end], "paragraph": paragraph})
