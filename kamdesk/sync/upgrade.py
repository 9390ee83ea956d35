"""Upgrading queued mutations after an app update ("by name and version", sync.md Versions).

Each step turns version ``v`` of a mutation into ``v + 1``; the registry knows the current
version of each name. A queued entry with no path to the current version is rejected locally
with a reason (kept visible), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Step = Callable[[dict[str, Any], dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]

# The sync schema version this build of the client speaks (sent as ``schema_version``).
SYNC_SCHEMA_VERSION = 1


class UpgradeMissingError(LookupError):
    pass


@dataclass(frozen=True)
class Upgraders:
    current: Mapping[str, int] = field(default_factory=dict)  # name -> current version (else 1)
    steps: Mapping[tuple[str, int], Step] = field(default_factory=dict)  # (name, from) -> step

    def version_of(self, name: str) -> int:
        return self.current.get(name, 1)

    def upgrade(
        self, name: str, version: int, args: dict[str, Any], base: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, Any]]:
        target = self.version_of(name)
        while version < target:
            step = self.steps.get((name, version))
            if step is None:
                raise UpgradeMissingError(f"No upgrade for {name} v{version}.")
            args, base = step(dict(args), dict(base))
            version += 1
        return version, args, base


DEFAULT_UPGRADERS = Upgraders()
