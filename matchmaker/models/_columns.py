"""Column helpers shared by the models."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Timezone-aware now, as a callable default (never evaluated at import)."""
    return datetime.now(timezone.utc)
