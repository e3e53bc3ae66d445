"""Aggregates the dashboard shows and the REST API does not: overview counts, the timeline of events and
figures in the order of the time they refer to, places for the map, an entity's profile and claims
compared across sources.  Read-only queries over the store's schema; every list is paged or capped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from marsad.store import Page, Store
from marsad.store.schema import (
    articles,
    attributions,
    entities,
    event_roles,
    events,
    mentions,
    quantities,
    sentences,
    times,
)

TOP = 12
MAX_PLACES = 1000
MAX_FIGURES = 200
MAX_COOCCURRING = 15
MIN_SOURCES = 2
PLACE_ROLES = ("place", "facility")
ENTITY_COLUMNS = (entities.c.id, entities.c.name_ar, entities.c.name_en, entities.c.type)


def _day(value: ColumnElement[Any]) -> ColumnElement[str]:
    return func.substr(value, 1, 10)


def _is_date(t: Any) -> ColumnElement[bool]:
    """A time with a calendar value (not a duration or set) that a timeline can be ordered by."""
    first = func.substr(t.c.value, 1, 1)
    return and_(t.c.type.in_(("DATE", "TIME")), first >= "0", first <= "9")


def _sentence_date(table: Any) -> ColumnElement[str]:
    """The first calendar date written in the same sentence as a row of ``table``."""
    t = times.alias("t_same")
    return (
        select(func.min(_day(t.c.value)))
        .where(t.c.article_id == table.c.article_id, t.c.sentence == table.c.sentence, _is_date(t))
        .scalar_subquery()
    )


def _sentence_of(table: Any, sentence: ColumnElement[int]) -> ColumnElement[bool]:
    return and_(sentences.c.article_id == table.c.article_id, sentences.c.idx == sentence)


def _in_sentence_with(table: Any, ids: list[str]) -> ColumnElement[bool]:
    """A row of ``table`` whose sentence mentions one of the entities ``ids``."""
    m = mentions.alias("m_same")
    return exists().where(
        m.c.article_id == table.c.article_id, m.c.sentence == table.c.sentence, m.c.entity_id.in_(ids)
    )


class Dashboard:
    """The dashboard's read model over a :class:`~marsad.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _connect(self) -> Connection:
        return self.store.engine.connect()

    def _entity_ids(self, entity: str | None) -> list[str] | None:
        """None when there is no entity filter; the ids it names (maybe none) when there is."""
        return None if not entity else self.store.resolve_entity(entity)

    # ------------------------------------------------------------------ overview

    def overview(self) -> dict[str, Any]:
        mentioned = func.count(mentions.c.article_id.distinct()).label("count")
        with self._connect() as conn:
            count, first, last = conn.execute(
                select(func.count(), func.min(articles.c.published), func.max(articles.c.published))
            ).one()
            outlets = conn.execute(
                select(articles.c.outlet, func.count().label("count"))
                .where(articles.c.outlet.is_not(None))
                .group_by(articles.c.outlet)
                .order_by(func.count().desc(), articles.c.outlet)
            ).mappings()
            outlets = [dict(row) for row in outlets]
            top_entities = conn.execute(
                select(*ENTITY_COLUMNS, mentioned)
                .join(mentions, mentions.c.entity_id == entities.c.id)
                .group_by(*ENTITY_COLUMNS)
                .order_by(mentioned.desc(), entities.c.id)
                .limit(TOP)
            ).mappings()
            top_entities = [dict(row) for row in top_entities]
            event_types = conn.execute(
                select(events.c.type, func.count().label("count"))
                .group_by(events.c.type)
                .order_by(func.count().desc(), events.c.type)
                .limit(TOP)
            ).mappings()
            event_types = [dict(row) for row in event_types]
        return {
            "articles": count,
            "first": first,
            "last": last,
            "outlets": outlets,
            "entities": top_entities,
            "event_types": event_types,
        }

    # ------------------------------------------------------------------ timeline

    def timeline(
        self, entity: str | None, event_type: str | None, outlet: str | None, limit: int, offset: int
    ) -> Page:
        """Events and figures (quantities with a unit), newest referred time first.

        The referred time is the event's own time, or for a figure the first date in its sentence; when
        the text gives none, the publication day (``when_from`` says which)."""
        ids = self._entity_ids(entity)
        parts = [self._timeline_events(ids, event_type, outlet)]
        if not event_type:
            parts.append(self._timeline_figures(ids, outlet))
        rows = union_all(*parts).subquery()
        page = select(rows).order_by(rows.c.when.desc(), rows.c.article_id, rows.c.kind, rows.c.idx)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(rows)).scalar_one()
            items = conn.execute(page.limit(limit).offset(offset)).mappings().all()
        return Page(total, limit, offset, [_timeline_item(row) for row in items])

    def _timeline_events(self, ids: list[str] | None, event_type: str | None, outlet: str | None) -> Select:
        t = times.alias("t_event")
        dated = _is_date(t)
        statement = (
            select(
                literal("event").label("kind"),
                events.c.article_id,
                events.c.idx,
                events.c.type,
                null().label("value"),
                null().label("unit"),
                func.coalesce(case((dated, _day(t.c.value))), _day(articles.c.published)).label("when"),
                case((dated, "text"), else_="published").label("when_from"),
                sentences.c.start,
                sentences.c.end,
                sentences.c.text,
                articles.c.outlet,
            )
            .join(articles, articles.c.id == events.c.article_id)
            .join(sentences, _sentence_of(events, events.c.sentence))
            .outerjoin(t, and_(t.c.article_id == events.c.article_id, t.c.idx == events.c.time_idx))
        )
        if event_type:
            statement = statement.where(events.c.type == event_type)
        if outlet:
            statement = statement.where(articles.c.outlet == outlet)
        if ids is not None:
            role = exists().where(
                event_roles.c.article_id == events.c.article_id,
                event_roles.c.event_idx == events.c.idx,
                event_roles.c.entity_id.in_(ids),
            )
            statement = statement.where(or_(role, _in_sentence_with(events, ids)))
        return statement

    def _timeline_figures(self, ids: list[str] | None, outlet: str | None) -> Select:
        written = _sentence_date(quantities)
        statement = (
            select(
                literal("figure").label("kind"),
                quantities.c.article_id,
                quantities.c.idx,
                null().label("type"),
                quantities.c.value,
                quantities.c.unit,
                func.coalesce(written, _day(articles.c.published)).label("when"),
                case((written.is_not(None), "text"), else_="published").label("when_from"),
                sentences.c.start,
                sentences.c.end,
                sentences.c.text,
                articles.c.outlet,
            )
            .join(articles, articles.c.id == quantities.c.article_id)
            .join(sentences, _sentence_of(quantities, quantities.c.sentence))
            .where(quantities.c.unit.is_not(None))
        )
        if outlet:
            statement = statement.where(articles.c.outlet == outlet)
        if ids is not None:
            statement = statement.where(_in_sentence_with(quantities, ids))
        return statement

    # ------------------------------------------------------------------ map

    def places(self) -> list[dict[str, Any]]:
        """Mentioned entities with coordinates, one row per place, with mention and event counts."""
        mentioned = (
            select(mentions.c.entity_id, func.count().label("mentions"))
            .group_by(mentions.c.entity_id)
            .subquery()
        )
        placed = (
            select(event_roles.c.entity_id, event_roles.c.article_id, event_roles.c.event_idx)
            .where(event_roles.c.role.in_(PLACE_ROLES))
            .distinct()
            .subquery()
        )
        located = (
            select(placed.c.entity_id, func.count().label("events")).group_by(placed.c.entity_id).subquery()
        )
        statement = (
            select(
                *ENTITY_COLUMNS,
                entities.c.subtype,
                entities.c.lat,
                entities.c.lon,
                mentioned.c.mentions,
                func.coalesce(located.c.events, 0).label("events"),
            )
            .join(mentioned, mentioned.c.entity_id == entities.c.id)
            .outerjoin(located, located.c.entity_id == entities.c.id)
            .where(entities.c.lat.is_not(None), entities.c.lon.is_not(None))
            .order_by(mentioned.c.mentions.desc(), entities.c.id)
            .limit(MAX_PLACES)
        )
        with self._connect() as conn:
            return [dict(row) for row in conn.execute(statement).mappings()]

    # ------------------------------------------------------------------ entity page

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's record, its mentions per month, the entities it appears with, and its figures."""
        record = self.store.entity(entity_id)
        if record is None:
            return None
        month = func.substr(articles.c.published, 1, 7)
        other = mentions.alias("m_other")
        together = func.count(other.c.article_id.distinct()).label("count")
        with self._connect() as conn:
            by_month = conn.execute(
                select(month.label("period"), func.count(mentions.c.article_id.distinct()).label("count"))
                .join(articles, articles.c.id == mentions.c.article_id)
                .where(mentions.c.entity_id == entity_id, articles.c.published.is_not(None))
                .group_by(month)
                .order_by(month)
            ).mappings()
            by_month = [dict(row) for row in by_month]
            cooccurring = conn.execute(
                select(*ENTITY_COLUMNS, together)
                .join(other, other.c.entity_id == entities.c.id)
                .where(
                    other.c.entity_id != entity_id,
                    exists().where(
                        mentions.c.article_id == other.c.article_id, mentions.c.entity_id == entity_id
                    ),
                )
                .group_by(*ENTITY_COLUMNS)
                .order_by(together.desc(), entities.c.id)
                .limit(MAX_COOCCURRING)
            ).mappings()
            cooccurring = [dict(row) for row in cooccurring]
            figures = self._figures([entity_id])
            latest = select(figures).order_by(figures.c.when.desc(), figures.c.article_id, figures.c.idx)
            figures = [dict(row) for row in conn.execute(latest.limit(MAX_FIGURES)).mappings()][::-1]
        return {
            "entity": record,
            "mentions_by_month": by_month,
            "cooccurring": cooccurring,
            "figures": figures,
        }

    def _figures(self, ids: list[str] | None) -> Any:
        """Figures (quantities with a unit) with each entity mentioned in their sentence (all entities, or
        only ``ids``), the time they refer to, their outlet and the first attribution in the sentence."""
        m = mentions.alias("m_figure")
        attributed = (
            select(attributions.c.text)
            .where(
                attributions.c.article_id == quantities.c.article_id,
                attributions.c.sentence == quantities.c.sentence,
            )
            .order_by(attributions.c.idx)
            .limit(1)
            .scalar_subquery()
        )
        statement = (
            select(
                m.c.entity_id,
                quantities.c.article_id,
                quantities.c.idx,
                quantities.c.unit,
                quantities.c.value,
                quantities.c.text,
                func.coalesce(_sentence_date(quantities), _day(articles.c.published)).label("when"),
                articles.c.outlet,
                attributed.label("attribution"),
                sentences.c.text.label("sentence"),
            )
            .distinct()
            .join(articles, articles.c.id == quantities.c.article_id)
            .join(m, and_(m.c.article_id == quantities.c.article_id, m.c.sentence == quantities.c.sentence))
            .join(sentences, _sentence_of(quantities, quantities.c.sentence))
            .where(quantities.c.unit.is_not(None))
        )
        if ids is not None:
            statement = statement.where(m.c.entity_id.in_(ids))
        return statement.subquery()

    # ------------------------------------------------------------------ claims

    def claims(self, entity: str | None, limit: int, offset: int) -> Page:
        """Measures (entity, unit, month referred to) reported by at least two outlets, conflicts first.

        A measure is a conflict when its sources give different values."""
        figures = self._figures(self._entity_ids(entity))
        period = func.substr(figures.c.when, 1, 7)
        conflict = (func.count(figures.c.value.distinct()) > 1).label("conflict")
        measures = (
            select(figures.c.entity_id, figures.c.unit, period.label("period"), conflict)
            .group_by(figures.c.entity_id, figures.c.unit, period)
            .having(func.count(figures.c.outlet.distinct()) >= MIN_SOURCES)
        )
        ordered = measures.order_by(conflict.desc(), period.desc(), figures.c.entity_id, figures.c.unit)
        with self._connect() as conn:
            total = conn.execute(select(func.count()).select_from(measures.subquery())).scalar_one()
            groups = conn.execute(ordered.limit(limit).offset(offset)).mappings().all()
            items = [self._measure(conn, figures, dict(group)) for group in groups]
        return Page(total, limit, offset, items)

    def _measure(self, conn: Connection, figures: Any, group: dict[str, Any]) -> dict[str, Any]:
        named = select(*ENTITY_COLUMNS).where(entities.c.id == group["entity_id"])
        entity = conn.execute(named).mappings().one()
        rows = conn.execute(
            select(figures)
            .where(
                figures.c.entity_id == group["entity_id"],
                figures.c.unit == group["unit"],
                func.substr(figures.c.when, 1, 7) == group["period"],
            )
            .order_by(figures.c.outlet, figures.c.value, figures.c.article_id, figures.c.idx)
        ).mappings()
        return {
            "entity": dict(entity),
            "unit": group["unit"],
            "period": group["period"],
            "conflict": bool(group["conflict"]),
            "claims": [dict(row) for row in rows],
        }


def _timeline_item(row: Any) -> dict[str, Any]:
    item = dict(row)
    item["sentence"] = {"start": item.pop("start"), "end": item.pop("end")}
    return item
