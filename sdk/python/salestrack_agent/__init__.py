"""SalesTrack agent SDK (standard library only)."""

from .client import Client, SalesTrackError, TaskFailed, create_client
from .signing import sign, signed_headers

__all__ = ["Client", "SalesTrackError", "TaskFailed", "create_client", "sign", "signed_headers"]
