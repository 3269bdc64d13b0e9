"""The embedded search backend: on-disk, versioned, no server."""
from .backend import EmbeddedBackend

__all__ = ["EmbeddedBackend"]
