"""TimeML (.tml) reader: the document text with the tags removed, and its TIMEX3 annotations as spans."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str | None
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class TimeMLDocument:
    name: str
    text: str
    timexes: list[Timex]
    creation_time: str | None = None  # the DCT's value, when the document has one


class TimeMLError(ValueError):
    """A .tml file that is not well-formed TimeML."""


def parse_timeml(markup: str, name: str = "") -> TimeMLDocument:
    """Text (tags removed) and TIMEX3 spans with offsets into it; other tags keep their text."""
    try:
        root = ET.fromstring(markup.lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise TimeMLError(f"{name}: {exc}") from exc
    pieces: list[str] = []
    timexes: list[Timex] = []
    creation: list[str] = []

    def walk(element: ET.Element) -> None:
        start = sum(map(len, pieces))
        pieces.append(_text(element.text))
        for child in element:
            walk(child)
            pieces.append(_text(child.tail))
        if element.tag == "TIMEX3":
            text = "".join(pieces)[start:]
            attrs = dict(element.attrib)
            if attrs.get("functionInDocument") == "CREATION_TIME":
                creation.append(attrs.get("value", ""))
            timexes.append(
                Timex(start, start + len(text), text, attrs.get("type", ""), attrs.get("value"), attrs)
            )

    walk(root)
    return TimeMLDocument(name, "".join(pieces), timexes, creation[0] if creation else None)


def _text(piece: str | None) -> str:
    """Element text without byte-order marks (some files carry one inside the root element)."""
    return (piece or "").replace("\ufeff", "")


def read_timeml(path: Path) -> TimeMLDocument:
    return parse_timeml(path.read_text(encoding="utf-8-sig"), path.stem)
