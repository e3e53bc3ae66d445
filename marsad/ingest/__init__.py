"""Ingest: the only stage that touches files and bytes.  Yields RawDocument or Rejection."""

from marsad.ingest.decode import decode_bytes
from marsad.ingest.readers import iter_documents

__all__ = ["decode_bytes", "iter_documents"]
