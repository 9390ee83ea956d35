"""Who is calling the server and which partitions the token grants (never the request body)."""

from __future__ import annotations

from dataclasses import dataclass

from kamdesk.domain.enums import Role

REFERENCE_PARTITION = "reference"


def territory_partition(territory_id: str) -> str:
    return f"territory:{territory_id}"


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    role: Role
    territory_id: str | None
    readable: frozenset[str]  # partitions this token may pull
    writable: frozenset[str]  # partitions this token may push into

    def can_read(self, partition: str) -> bool:
        return partition in self.readable

    def can_write(self, partition: str) -> bool:
        return partition in self.writable
