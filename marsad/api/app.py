"""The FastAPI app: read-only endpoints over the store, and a token-guarded ingest endpoint.

Every error is JSON ``{"error": "<one line>"}`` with a 4xx/5xx status; list endpoints are paginated
with bounded ``limit``/``offset`` and answer ``{"total", "limit", "offset", "items"}``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad import web
from marsad.kb.loader import load_kb
from marsad.models import ContentType, RawDocument, Rejection
from marsad.pipeline import Limits, process
from marsad.store import Filters, Store, StoreError
from marsad.store.export import records_for
from marsad.store.store import MAX_LIMIT
from marsad.store.timeline import timeline

MAX_INGEST_BYTES = 2_000_000
MAX_OFFSET = 100_000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


class IngestRequest(BaseModel):
    """A page to ingest as JSON (a raw text/HTML body with ``?url=&outlet=`` works too)."""

    text: str = Field(min_length=1)
    content_type: ContentType = "text"
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    published: str | None = Field(default=None, max_length=40, description="publication date, if known")


def _filters(
    since: Annotated[date | None, Query(description="published on or after")] = None,
    until: Annotated[date | None, Query(description="published on or before")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="entity id or name")] = None,
    event_type: Annotated[str | None, Query(max_length=64)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
) -> Filters:
    return Filters(since, until, entity, event_type, outlet)


# At module level: with postponed annotations FastAPI resolves them in the module's globals, so an alias
# local to create_app made ``filters`` a required query parameter of every endpoint using it.
QueryFilters = Annotated[Filters, Depends(_filters)]


def create_app(db_url: str | None = None, ingest_token: str | None = None) -> FastAPI:
    """The API over the database at ``db_url``; POST /api/ingest is enabled only with ``ingest_token``."""
    store = Store(db_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Marsad API",
        description="Arabic news intelligence: articles, entities, events, timelines.",
        lifespan=lifespan,
    )
    _install_error_handlers(app)

    @app.get("/api/articles", summary="List stored articles, newest first")
    def list_articles(filters: QueryFilters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return store.articles(filters, limit, offset).as_dict()

    @app.get("/api/articles/{article_id}", summary="One article in full, with every span")
    def get_article(article_id: str) -> dict[str, Any]:
        article = store.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id}")
        return article

    @app.get("/api/search", summary="Arabic full-text search (folds spelling variants and clitics)")
    def search(
        filters: QueryFilters,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return _or_400(lambda: store.search(q, filters, limit, offset).as_dict())

    @app.get("/api/entities", summary="Entities, most mentioned first, with article and report counts")
    def list_entities(
        q: Annotated[str | None, Query(max_length=200, description="id or name")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return store.entities(q, limit, offset).as_dict()

    @app.get("/api/entities/{entity_id}", summary="One entity")
    def get_entity(entity_id: str) -> dict[str, Any]:
        entity = store.entity(entity_id)
        if entity is None:
            raise HTTPException(404, f"no entity {entity_id}")
        return entity

    @app.get("/api/events", summary="Events as event-table rows, newest articles first")
    def list_events(filters: QueryFilters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        total, keys = store.event_keys(filters, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "items": list(records_for(store, keys))}

    @app.get("/api/timeline", summary="Dated figures/events about an entity, conflicts side by side")
    def get_timeline(
        entity: Annotated[str, Query(min_length=1, max_length=200)],
        measure: Annotated[str | None, Query(max_length=64, description="unit, e.g. troops")] = None,
    ) -> dict[str, Any]:
        try:
            return timeline(store, entity, measure, load_kb())
        except StoreError as exc:
            raise HTTPException(404, str(exc)) from None

    @app.post("/api/ingest", status_code=201, summary="Process and store one page (needs the ingest token)")
    async def ingest(
        request: Request,
        url: Annotated[str | None, Query(max_length=2000)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        authorization: Annotated[str | None, Header()] = None,
        x_ingest_token: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        _check_token(ingest_token, x_ingest_token or _bearer(authorization))
        raw = _raw_document(request, await _read_body(request), url, outlet)
        result = await run_in_threadpool(process, raw, load_kb(), Limits.from_env())
        if isinstance(result, Rejection):
            raise HTTPException(422, f"rejected: {result.reason} ({result.detail})")
        outcome = await run_in_threadpool(store.add, result)
        return {"outcome": outcome.value, "id": result.id, "url": result.url, "events": len(result.events)}

    web.mount(app, store)
    return app


def _or_400(work: Any) -> Any:
    try:
        return work()
    except StoreError as exc:
        raise HTTPException(400, str(exc)) from None


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _check_token(configured: str | None, given: str | None) -> None:
    if not configured:
        raise HTTPException(
            503, "ingest is disabled: the operator has not set MARSAD_INGEST_TOKEN / --ingest-token"
        )
    if not given or not hmac.compare_digest(given.encode(), configured.encode()):
        raise HTTPException(403, "a valid ingest token is required (Authorization: Bearer <token>)")


async def _read_body(request: Request) -> bytes:
    """The request body, refused (413) beyond MAX_INGEST_BYTES without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_INGEST_BYTES:
        raise HTTPException(413, f"the body is over {MAX_INGEST_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_INGEST_BYTES:
            raise HTTPException(413, f"the body is over {MAX_INGEST_BYTES} bytes")
    if not body.strip():
        raise HTTPException(400, "the body is empty: send the page as text/plain, text/html or JSON")
    return bytes(body)


def _raw_document(request: Request, body: bytes, url: str | None, outlet: str | None) -> RawDocument:
    media = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    try:
        if media == "application/json":
            page = IngestRequest.model_validate_json(body)
            return RawDocument(
                source=page.url or "api",
                text=page.text,
                content_type=page.content_type,
                url=page.url,
                outlet=page.outlet,
                published_hint=page.published,
            )
        if media not in ("text/plain", "text/html"):
            raise HTTPException(
                415, f"unsupported content type {media!r}: use text/plain, text/html or application/json"
            )
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the body is not UTF-8 text") from None
    except ValidationError as exc:
        raise HTTPException(422, f"invalid JSON page: {_first_error(exc.errors())}") from None
    content_type: ContentType = "html" if media == "text/html" else "text"
    return RawDocument(source=url or "api", text=text, content_type=content_type, url=url, outlet=outlet)


def _first_error(errors: list[Any]) -> str:
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    return f"{where}: {first['msg']}" if where else first["msg"]


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = json.loads(json.dumps(exc.errors(), default=str))
        return JSONResponse(
            {"error": f"invalid request: {_first_error(errors)}", "details": errors}, status_code=422
        )
