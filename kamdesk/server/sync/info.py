"""What the server accepts: the client schema range and mutation versions (sync.md Versions)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kamdesk.db.base import utcnow
from kamdesk.server.sync.schemas import SyncInfo

ArgsNormaliser = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class SyncPolicy:
    """``min_schema``..``max_schema``: client sync-schema versions served; older clients get
    ``upgrade_required``. ``mutation_versions[name] = (oldest, newest)`` accepted versions
    (default (1, 1)); ``normalisers[(name, v)]`` turn version-``v`` args into the canonical
    (version 1) shape the handlers read, so the server can expand before clients migrate."""

    min_schema: int = 1
    max_schema: int = 1
    mutation_versions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    normalisers: Mapping[tuple[str, int], ArgsNormaliser] = field(default_factory=dict)

    def accepts_schema(self, version: int) -> bool:
        return version >= self.min_schema

    def version_range(self, name: str) -> tuple[int, int]:
        return self.mutation_versions.get(name, (1, 1))


DEFAULT_POLICY = SyncPolicy()


def server_info(policy: SyncPolicy = DEFAULT_POLICY) -> SyncInfo:
    return SyncInfo(
        min_schema=policy.min_schema,
        max_schema=policy.max_schema,
        server_time=utcnow(),
        mutation_versions={k: v[1] for k, v in policy.mutation_versions.items()},
    )
