"""Corpus store: Articles in SQLite (default) or PostgreSQL, with search, near-duplicate clusters,
timelines and exports."""

from marsad.store.db import StoreError, resolve_url
from marsad.store.store import Filters, Page, Store
from marsad.store.writer import Outcome

__all__ = ["Filters", "Outcome", "Page", "Store", "StoreError", "resolve_url"]
