"""Sync errors: a mutation refused for a business reason is a *result*; these are for requests
that cannot be served at all (someone else's client id, a revoked client)."""

from __future__ import annotations

from kamdesk.errors import KamdeskError


class SyncError(KamdeskError):
    code = "sync"


class ClientOwnershipError(SyncError):
    code = "sync.client_not_yours"


class ClientRevokedError(SyncError):
    code = "sync.client_revoked"


class Rejection(SyncError):
    """Raised inside a mutation handler: the mutation is rejected with ``code`` as reason."""

    code = "rejected"
