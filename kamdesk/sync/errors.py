"""Errors of the desktop sync client (codes the status bar turns into words)."""

from __future__ import annotations

from kamdesk.errors import KamdeskError


class SyncClientError(KamdeskError):
    code = "sync"


class TransportError(SyncClientError):
    """The server could not be reached or answered 5xx: retried with backoff."""

    code = "sync.offline"


class AuthRequiredError(SyncClientError):
    """401: the token expired or was revoked; the sign-in dialog should appear."""

    code = "sync.auth"


class ServerRefusedError(SyncClientError):
    """403 (e.g. ``sync.client_not_yours``): not retried."""

    code = "sync.refused"


class ConflictResolutionError(SyncClientError):
    code = "sync.resolve"
