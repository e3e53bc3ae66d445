"""Compare Marsad's reading of an article with a gold reading in the seed-gold JSON form.

Usage::

    python eval/seed_check.py ARTICLE [--gold GOLD.json] [--output EXTRACTED.jsonl] [--strict]

Without ``--output`` the article is run through the pipeline in-process.  The gold file defaults to
``ARTICLE`` with ``.gold.json`` in place of its extension.  Prints precision/recall per category and
every miss and false alarm; ``--strict`` exits 1 unless every category reaches recall 1.0.

Matching is by meaning, not by string identity: surfaces are compared after Marsad's normalisation
with clitics allowed around them, entity types must agree, figures must agree in value, unit and
flags, time values must agree (interval ends within one day), events by type and every slot the gold
gives.  An event's place is matched geographically, the usual relaxed match: a predicted place that
lies within the gold place counts (by the knowledge base's ``country``: a region or city of Syria is
within Syria).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad.kb.loader import load_kb
from marsad.models import Article, Event, Rejection
from marsad.text.normalize import normalize_key


@dataclass
class Category:
    """Counts for one category; ``misses``/``false_alarms`` say what, for the error report."""

    name: str
    tp: int = 0
    gold: int = 0
    predicted: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    precision_tp: int | None = None  # when precision counts differently from recall (entities)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        tp = self.tp if self.precision_tp is None else self.precision_tp
        return min(tp, self.predicted) / self.predicted if self.predicted else 1.0


def same_surface(gold: str, found: str) -> bool:
    """Normalised equality, allowing clitics or the article around the shorter form."""
    g, f = normalize_key(gold), normalize_key(found)
    if not g or not f:
        return False
    if g == f:
        return True
    short, long_ = (g, f) if len(g) <= len(f) else (f, g)
    return len(short) >= 3 and short in long_ and len(long_) - len(short) <= 3


def overlaps(gold: str, found: str) -> bool:
    """The found span and the gold surface share their core (one contains the other)."""
    g, f = normalize_key(gold), normalize_key(found)
    return bool(g and f) and (g in f or f in g)


# ---------------------------------------------------------------------------------------- layout


def check_layout(gold: dict, art: Article) -> Category:
    cat = Category("layout")

    def expect(label: str, ok: bool, got: Any) -> None:
        cat.gold += 1
        cat.predicted += 1
        if ok:
            cat.tp += 1
        else:
            cat.misses.append(f"{label}: got {got!r}")

    title = art.title.text if art.title else None
    if "title" in gold:
        expect("title", title is not None and normalize_key(title) == normalize_key(gold["title"]), title)
    if "section" in gold:
        section = art.section.text if art.section else None
        expect("section", section == gold["section"], section)
    for label in gold.get("labels", []):
        found = [lab.text for lab in art.labels]
        expect(f"label {label}", label in found, found)
    if "published" in gold:
        expect("published", (art.published or "").startswith(gold["published"]), art.published)
    if "publisher" in gold:
        expect(
            "publisher", art.outlet is not None and same_surface(gold["publisher"], art.outlet), art.outlet
        )
    body = art.body
    if "body_first" in gold:
        expect("body_first", body.startswith(gold["body_first"]), body[:60])
    if "body_last" in gold:
        expect("body_last", body.rstrip().endswith(gold["body_last"]), body[-60:])
    if "body_paragraphs" in gold:
        expect("body_paragraphs", len(art.paragraphs) == gold["body_paragraphs"], len(art.paragraphs))
    for banned in gold.get("body_must_not_contain", []):
        expect(f"body must not contain {banned!r}", banned not in body, "present")
    return cat


def check_captions(gold: dict, art: Article) -> Category:
    cat = Category("captions", gold=len(gold.get("captions", [])), predicted=len(art.captions))
    for g in gold.get("captions", []):
        ok = any(
            normalize_key(c.text) == normalize_key(g["text"])
            and (not g.get("credit") or (c.credit is not None and same_surface(g["credit"], c.credit.text)))
            for c in art.captions
        )
        cat.tp += ok
        if not ok:
            cat.misses.append(f"{g['text']} / {g.get('credit')}")
    return cat


def check_related(gold: dict, art: Article) -> Category:
    cat = Category("related", gold=len(gold.get("related", [])), predicted=len(art.related))
    for g in gold.get("related", []):
        ok = any(
            normalize_key(r.text) == normalize_key(g["headline"])
            and (
                not g.get("image_caption")
                or (
                    r.image_caption is not None
                    and normalize_key(r.image_caption.text) == normalize_key(g["image_caption"])
                )
            )
            for r in art.related
        )
        cat.tp += ok
        if not ok:
            cat.misses.append(g["headline"])
    return cat


# ---------------------------------------------------------------------------------------- entities


def check_entities(gold: dict, art: Article) -> tuple[Category, Category]:
    """Entities (distinct typed referents) and surfaces (every gold surface found as a mention of it).

    Recall counts gold referents found; precision counts predicted referents that are gold ones."""
    by_entity: dict[str, list[str]] = {}
    for m in art.mentions:
        by_entity.setdefault(m.entity_id, []).append(m.text)
    types = {e.id: e.type.value for e in art.entities}
    entities = Category("entities", gold=len(gold.get("entities", [])), predicted=len(by_entity))
    surfaces = Category("entity_surfaces")
    matched: set[str] = set()
    for g in gold.get("entities", []):
        candidates = [
            eid
            for eid, texts in by_entity.items()
            if types.get(eid) == g["type"] and any(same_surface(s, t) for s in g["surfaces"] for t in texts)
        ]
        if candidates:
            entities.tp += 1
            matched.update(candidates)
        else:
            entities.misses.append(f"{g['name_en']} ({g['type']}) {g['surfaces']}")
        for surface in g["surfaces"]:
            surfaces.gold += 1
            surfaces.predicted += 1
            if any(same_surface(surface, t) for eid in candidates for t in by_entity[eid]):
                surfaces.tp += 1
            else:
                surfaces.misses.append(f"{surface} → {g['name_en']}")
    entities.precision_tp = len(matched)
    entities.false_alarms = [
        f"{e.name_ar} / {e.name_en} ({e.type.value}) {by_entity.get(e.id, [])}"
        for e in art.entities
        if e.id not in matched
    ]
    return entities, surfaces


# ---------------------------------------------------------------------------------------- times, quantities


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def same_time_value(gold: str, found: str | None) -> bool:
    """Equal values; for day-precise interval ends, one day either way is accepted."""
    if found is None:
        return False
    if gold == found:
        return True
    g_parts, f_parts = gold.split("/"), found.split("/")
    if len(g_parts) != len(f_parts):
        return False
    for g, f in zip(g_parts, f_parts, strict=True):
        gd, fd = _parse_day(g), _parse_day(f)
        if gd is None or fd is None:
            if g != f:
                return False
        elif abs(gd - fd) > timedelta(days=1):
            return False
    return True


def _pair_greedily(
    cat: Category,
    golds: list[dict],
    found: Sequence[Any],
    agrees: Callable[[dict, Any], bool],
    miss: Callable[[dict], str],
    alarm: Callable[[Any], str],
) -> Category:
    """Each gold item takes the first unused found item that agrees with it; the rest are false alarms."""
    used: set[int] = set()
    for g in golds:
        hit = next((i for i, item in enumerate(found) if i not in used and agrees(g, item)), None)
        if hit is None:
            cat.misses.append(miss(g))
        else:
            used.add(hit)
            cat.tp += 1
    cat.false_alarms = [alarm(item) for i, item in enumerate(found) if i not in used]
    return cat


def check_times(gold: dict, art: Article) -> Category:
    golds = gold.get("times", [])

    def miss(g: dict) -> str:
        near = [f"{t.text}={t.value}" for t in art.times if overlaps(g["surface"], t.text)]
        return f"{g['surface']} = {g['value']} (found: {near})"

    return _pair_greedily(
        Category("times", gold=len(golds), predicted=len(art.times)),
        golds,
        art.times,
        agrees=lambda g, t: overlaps(g["surface"], t.text) and same_time_value(g["value"], t.value),
        miss=miss,
        alarm=lambda t: f"{t.text}={t.value}",
    )


def check_quantities(gold: dict, art: Article) -> Category:
    golds = gold.get("quantities", [])

    def agrees(g: dict, q: Any) -> bool:
        return (
            q.value == g["value"]
            and overlaps(g["surface"], q.text)
            and (g.get("unit") is None or q.unit == g["unit"])
            and q.approximate == g.get("approximate", False)
            and q.bound == g.get("bound")
        )

    def miss(g: dict) -> str:
        near = [
            f"{q.text}={q.value} {q.unit} approx={q.approximate} bound={q.bound}"
            for q in art.quantities
            if q.value == g["value"]
        ]
        return f"{g['surface']} (found: {near})"

    return _pair_greedily(
        Category("quantities", gold=len(golds), predicted=len(art.quantities)),
        golds,
        art.quantities,
        agrees=agrees,
        miss=miss,
        alarm=lambda q: f"{q.text}={q.value} {q.unit}",
    )


# ---------------------------------------------------------------------------------------- events, attribution


def check_attributions(gold: dict, art: Article) -> Category:
    golds = gold.get("attributions", [])
    return _pair_greedily(
        Category("attributions", gold=len(golds), predicted=len(art.attributions)),
        golds,
        art.attributions,
        agrees=lambda g, a: overlaps(g["source"], a.text) and a.kind.value == g["kind"],
        miss=lambda g: f"{g['source']} ({g['kind']})",
        alarm=lambda a: f"{a.text} ({a.kind.value})",
    )


def _entity_names(art: Article, entity_id: str | None) -> list[str]:
    for e in art.entities:
        if e.id == entity_id:
            return [n for n in (e.name_en, e.name_ar, *e.aliases) if n]
    return []


def _role_texts(art: Article, event: Event, role: str) -> list[str]:
    texts: list[str] = []
    for r in event.roles:
        if r.role == role:
            texts.append(r.text)
            texts.extend(_entity_names(art, r.entity_id))
    return texts


def _place_within(gold_place: str, art: Article, event: Event) -> bool:
    """The event's place is the gold place, or lies within it (its KB ``country`` is the gold place)."""
    if any(gold_place == t for t in _role_texts(art, event, "place")):
        return True
    kb = load_kb()
    for r in event.roles:
        record = kb.entities.get(r.entity_id or "") if r.role == "place" else None
        container = kb.entities.get(record.country or "") if record is not None else None
        if container is not None and gold_place in (container.name_en, container.name_ar):
            return True
    return False


def event_agrees(g: dict, event: Event, art: Article) -> list[str]:
    """The gold slots this event gets wrong (empty: it matches)."""
    wrong: list[str] = []
    if event.type != g["type"]:
        return ["type"]
    if g.get("plover") and event.plover != g["plover"]:
        wrong.append("plover")
    if "actor" in g:
        actor_texts = _role_texts(art, event, "actor")
        if event.attribution is not None:
            actor_texts.append(art.attributions[event.attribution].text)
        if not any(g["actor"] == t or same_surface(g["actor"], t) for t in actor_texts):
            wrong.append("actor")
    if "target" in g and not any(g["target"] == t for t in _role_texts(art, event, "target")):
        wrong.append("target")
    if "place" in g and not _place_within(g["place"], art, event):
        wrong.append("place")
    figures = {art.quantities[i].value for i in event.quantities if i < len(art.quantities)}
    for slot in ("count", "from", "to", "of"):
        if slot in g and g[slot] not in figures:
            wrong.append(slot)
    for slot in ("time", "time_announced"):
        if slot in g:
            value = (
                art.times[event.time].value
                if event.time is not None and event.time < len(art.times)
                else None
            )
            if not same_time_value(g[slot], value):
                wrong.append(slot)
    if "modality" in g and event.modality.value != g["modality"]:
        wrong.append("modality")
    if "attribution" in g:
        source = art.attributions[event.attribution].text if event.attribution is not None else ""
        if not overlaps(g["attribution"], source):
            wrong.append("attribution")
    if "facilities" in g:
        facilities = _role_texts(art, event, "facility")
        if not all(f in facilities for f in g["facilities"]):
            wrong.append("facilities")
    return wrong


def check_events(gold: dict, art: Article) -> tuple[Category, Category]:
    """Events typed (type found) and events with every gold slot right."""
    typed = Category("events_typed", gold=len(gold.get("events", [])), predicted=len(art.events))
    full = Category("events_slots", gold=typed.gold, predicted=typed.predicted)
    used_typed: set[int] = set()
    used_full: set[int] = set()
    for g in gold.get("events", []):
        ranked = sorted(
            ((len(event_agrees(g, e, art)), i) for i, e in enumerate(art.events) if e.type == g["type"]),
        )
        free = [(n, i) for n, i in ranked if i not in used_typed]
        if not free:
            typed.misses.append(f"{g['type']}: no event of this type")
            full.misses.append(f"{g['type']}: no event of this type")
            continue
        n, i = free[0]
        used_typed.add(i)
        typed.tp += 1
        if n == 0:
            used_full.add(i)
            full.tp += 1
        else:
            full.misses.append(
                f"{g['type']}: wrong {event_agrees(g, art.events[i], art)} in «{art.events[i].text}»"
            )
    typed.false_alarms = [
        f"{e.type}: «{e.trigger.text}»" for i, e in enumerate(art.events) if i not in used_typed
    ]
    return typed, full


# ---------------------------------------------------------------------------------------- driver


def check(gold: dict, art: Article) -> list[Category]:
    entities, surfaces = check_entities(gold, art)
    typed, full = check_events(gold, art)
    return [
        check_layout(gold, art),
        check_captions(gold, art),
        check_related(gold, art),
        entities,
        surfaces,
        check_times(gold, art),
        check_quantities(gold, art),
        check_attributions(gold, art),
        typed,
        full,
    ]


def read_article(article_path: Path, output: Path | None) -> Article:
    if output is not None:
        first = output.read_text(encoding="utf-8").splitlines()[0]
        return Article.model_validate_json(first)
    from marsad.ingest import iter_documents
    from marsad.pipeline import process

    for doc in iter_documents([str(article_path)]):
        result = doc if isinstance(doc, Rejection) else process(doc)
        if isinstance(result, Rejection):
            raise SystemExit(f"error: {result.source}: {result.reason} ({result.detail})")
        return result
    raise SystemExit(f"error: nothing read from {article_path}")


def gold_path_for(article_path: Path) -> Path:
    return article_path.with_suffix(".gold.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("--gold", type=Path)
    parser.add_argument(
        "--output", type=Path, help="JSON Lines written by `marsad extract` (first line used)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every recall is 1.0")
    args = parser.parse_args(argv)
    gold_path = args.gold or gold_path_for(args.article)
    for p in (args.article, gold_path):
        if not p.exists():
            print(f"error: {p} does not exist", file=sys.stderr)
            return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    categories = check(gold, read_article(args.article, args.output))
    print(f"{'category':<18}{'gold':>6}{'found':>7}{'predicted':>11}{'recall':>9}{'precision':>11}")
    for cat in categories:
        print(
            f"{cat.name:<18}{cat.gold:>6}{cat.tp:>7}{cat.predicted:>11}{cat.recall:>9.2f}{cat.precision:>11.2f}"
        )
    for cat in categories:
        for miss in cat.misses:
            print(f"  miss  [{cat.name}] {miss}")
        for alarm in cat.false_alarms:
            print(f"  extra [{cat.name}] {alarm}")
    return 1 if args.strict and any(cat.recall < 1.0 for cat in categories) else 0


if __name__ == "__main__":
    sys.exit(main())
