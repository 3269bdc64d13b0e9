"""Typed SQLAlchemy 2 models; import them from here."""
from .audit import AuditEvent, record_event
from .indexing import EmbeddingCacheEntry, SearchOutboxEntry
from .match import Match
from .request import BuyerRequest
from .supplier import Product, Supplier
from .user import User

__all__ = ["AuditEvent", "BuyerRequest", "EmbeddingCacheEntry", "Match", "Product", "SearchOutboxEntry", "Supplier",
           "User", "record_event"]
