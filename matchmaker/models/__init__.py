"""Typed SQLAlchemy 2 models; import them from here."""
from .audit import AuditEvent, record_event
from .engagement import Introduction, Notification, SavedSupplier
from .indexing import EmbeddingCacheEntry, SearchOutboxEntry
from .match import Match, MatchStep
from .ranking import RankingActivation, RankingProfileVersion
from .request import BuyerRequest, RequestEvent
from .sign_in import SignInFailure
from .supplier import Product, Supplier
from .user import User

__all__ = ["AuditEvent", "BuyerRequest", "EmbeddingCacheEntry", "Introduction", "Match", "MatchStep", "Notification",
           "Product", "RankingActivation", "RankingProfileVersion", "RequestEvent", "SavedSupplier",
           "SearchOutboxEntry", "SignInFailure", "Supplier", "User", "record_event"]
