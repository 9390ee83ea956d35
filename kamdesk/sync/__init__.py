"""Desktop side of the sync protocol (no Qt): engine, transports, conflict resolution."""

from __future__ import annotations

from kamdesk.sync.conflicts import ConflictView, list_conflicts, resolve
from kamdesk.sync.engine import SyncEngine, SyncReport, SyncStatus
from kamdesk.sync.errors import (
    AuthRequiredError,
    ConflictResolutionError,
    ServerRefusedError,
    SyncClientError,
    TransportError,
)
from kamdesk.sync.transport import HttpTransport, Transport
from kamdesk.sync.upgrade import SYNC_SCHEMA_VERSION, Upgraders

__all__ = [
    "SYNC_SCHEMA_VERSION",
    "AuthRequiredError",
    "ConflictResolutionError",
    "ConflictView",
    "HttpTransport",
    "ServerRefusedError",
    "SyncClientError",
    "SyncEngine",
    "SyncReport",
    "SyncStatus",
    "Transport",
    "TransportError",
    "Upgraders",
    "list_conflicts",
    "resolve",
]
