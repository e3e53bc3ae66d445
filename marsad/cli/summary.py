"""``marsad show``: a readable summary of what Marsad understood in a page (for people, not pipes)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli.app import app, err, fail
from marsad.ingest import iter_documents
from marsad.kb.loader import KnowledgeBaseError, load_kb
from marsad.models import Article, Rejection

out = Console(soft_wrap=False)


@app.command()
def show(paths: Annotated[list[str], typer.Argument(help="files or folders; '-' reads stdin")]) -> None:
    """Print a readable summary of each page: layout, entities, times, figures, events, sources."""
    # Imported here: every command is registered on start-up, and the others hand articles to Dask
    # workers, or read the store, without running a stage of the pipeline.
    from marsad.pipeline import process

    try:
        kb = load_kb()
    except KnowledgeBaseError as exc:
        raise fail(f"knowledge base: {exc}") from None
    shown = 0
    for doc in iter_documents(paths):
        result = doc if isinstance(doc, Rejection) else process(doc, kb)
        if isinstance(result, Rejection):
            err.print(
                f"[yellow]skipped[/] {result.source}: {result.reason} ({result.detail})", highlight=False
            )
            continue
        render(result)
        shown += 1
    if not shown:
        raise fail("nothing could be processed")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render(article: Article) -> None:
    out.rule(article.title.text if article.title else article.source)
    facts = {
        "source": article.source,
        "outlet": article.outlet,
        "section": article.section.text if article.section else None,
        "labels": "، ".join(label.text for label in article.labels) or None,
        "published": article.published,
        "body": f"{len(article.paragraphs)} paragraphs, {len(article.sentences)} sentences",
        "captions": " | ".join(c.text + (f" ({c.credit.text})" if c.credit else "") for c in article.captions)
        or None,
        "related": " | ".join(r.text for r in article.related) or None,
    }
    for key, value in facts.items():
        if value:
            out.print(f"[bold]{key}:[/] {value}", highlight=False)
    for warning in article.warnings:
        out.print(f"[yellow]warning:[/] {warning}", highlight=False)

    names = {e.id: e for e in article.entities}
    entities = _table("Entities", "entity", "type", "surfaces")
    surfaces: dict[str, list[str]] = {}
    for m in article.mentions:
        surfaces.setdefault(m.entity_id, [])
        if m.text not in surfaces[m.entity_id]:
            surfaces[m.entity_id].append(m.text)
    for entity_id, texts in surfaces.items():
        e = names.get(entity_id)
        label = f"{e.name_en or e.name_ar}" if e else entity_id
        entities.add_row(label, e.type.value if e else "", "، ".join(texts))
    out.print(entities)

    times = _table("Time expressions", "text", "type", "value")
    for t in article.times:
        times.add_row(t.text, t.type.value, t.value or "—")
    out.print(times)

    figures = _table("Figures", "text", "value", "unit", "flags")
    for q in article.quantities:
        flags = [f for f in ("approximate" if q.approximate else "", q.bound or "") if f]
        if q.change_to is not None:
            flags.append(f"→ {article.quantities[q.change_to].value:g}")
        if q.part_of is not None:
            flags.append(f"of {article.quantities[q.part_of].value:g}")
        figures.add_row(q.text, f"{q.value:g}", q.unit or "—", ", ".join(flags))
    out.print(figures)

    events = _table("Events", "type", "PLOVER", "actor → target", "time", "figures", "modality", "source")
    for ev in article.events:

        def role(kind: str, ev=ev) -> str:
            return "، ".join(
                (names[r.entity_id].name_en or r.text) if r.entity_id in names else r.text
                for r in ev.roles
                if r.role == kind
            )

        actors = role("actor") + (f" → {role('target')}" if role("target") else "")
        time = article.times[ev.time].value if ev.time is not None else None
        figures_text = ", ".join(f"{article.quantities[i].value:g}" for i in ev.quantities)
        source = article.attributions[ev.attribution].text if ev.attribution is not None else ""
        events.add_row(ev.type, ev.plover or "", actors, time or "", figures_text, ev.modality.value, source)
    out.print(events)
