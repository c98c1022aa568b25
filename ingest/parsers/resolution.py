"""Parser for resolution documents (placeholder: the generic parser until the dedicated one lands)."""
from ingest.parsers.generic import parse

__all__ = ["parse"]
