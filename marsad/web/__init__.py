"""The web dashboard: static pages (``static/``, no build step at run time) served at ``/`` by the same
FastAPI app as the REST API, plus the aggregate endpoints only the dashboard needs, under
``/api/dashboard/``.  The REST API's app factory calls :func:`mount` once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from marsad.store import Store
from marsad.store.store import MAX_LIMIT
from marsad.web.queries import Dashboard

STATIC = Path(__file__).parent / "static"
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]


def mount(app: FastAPI, store: Store) -> None:
    """Serve the dashboard at ``/``, its files under ``/static`` and its aggregates under
    ``/api/dashboard``, reading from ``store``."""
    app.include_router(_router(Dashboard(store)))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _router(dashboard: Dashboard) -> APIRouter:
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @router.get("/api/dashboard/overview", tags=["dashboard"])
    def overview() -> dict[str, Any]:
        """Article count and date range, outlets, the most mentioned entities, the commonest event types."""
        return dashboard.overview()

    @router.get("/api/dashboard/timeline", tags=["dashboard"])
    def timeline(
        entity: str | None = None,
        type: str | None = None,
        outlet: str | None = None,
        limit: Limit = 25,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Events and figures, newest referred time first (publication day when the text gives none)."""
        return dashboard.timeline(entity, type, outlet, limit, offset).as_dict()

    @router.get("/api/dashboard/places", tags=["dashboard"])
    def places() -> dict[str, Any]:
        """Mentioned places and facilities with coordinates, aggregated per place."""
        return {"items": dashboard.places()}

    @router.get("/api/dashboard/entities/{entity_id}", tags=["dashboard"])
    def entity(entity_id: str) -> dict[str, Any]:
        """An entity with its mentions per month, co-occurring entities and figures."""
        profile = dashboard.entity(entity_id)
        if profile is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        return profile

    @router.get("/api/dashboard/claims", tags=["dashboard"])
    def claims(entity: str | None = None, limit: Limit = 10, offset: Offset = 0) -> dict[str, Any]:
        """Measures reported by several outlets, side by side; conflicting ones first."""
        return dashboard.claims(entity, limit, offset).as_dict()

    return router
