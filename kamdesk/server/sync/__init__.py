"""Server side of the sync protocol: push, pull, reassignment (framework-free; see
docs/sync-protocol.md). Routes in ``kamdesk.server.routes.sync`` are thin wrappers."""

from __future__ import annotations

from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy, server_info
from kamdesk.server.sync.publish import publish_row
from kamdesk.server.sync.pull import pull
from kamdesk.server.sync.push import push
from kamdesk.server.sync.reassign import reassign_account

__all__ = [
    "DEFAULT_POLICY",
    "SyncPolicy",
    "publish_row",
    "pull",
    "push",
    "reassign_account",
    "server_info",
]
