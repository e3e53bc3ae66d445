"""REST API over the corpus store (FastAPI; OpenAPI docs at ``/docs``)."""

from marsad.api.app import create_app

__all__ = ["create_app"]
