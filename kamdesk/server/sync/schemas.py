"""Wire models of /v1/sync (pydantic v2); the JSON the desktop client sends and reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["applied", "conflict", "rejected"]

# database integers are 64-bit: larger numbers are a 422, never a driver overflow
INT64_MAX = 2**63 - 1


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MutationIn(_Wire):
    mutation_id: int = Field(ge=1, le=INT64_MAX)
    name: str = Field(min_length=3, max_length=48)
    version: int = Field(default=1, ge=1, le=INT64_MAX)
    args: dict[str, Any] = Field(default_factory=dict)
    base: dict[str, Any] = Field(default_factory=dict)
    hlc: str = Field(default="", max_length=64)
    entity_table: str = Field(default="", max_length=32)
    entity_id: str = Field(default="", max_length=36)


class PushRequest(_Wire):
    client_id: str = Field(min_length=8, max_length=36)
    schema_version: int = Field(ge=0, le=INT64_MAX)
    app_version: str = Field(default="", max_length=32)
    mutations: list[MutationIn] = Field(default_factory=list, max_length=500)


class ConflictOut(_Wire):
    """One field (or whole-row) disagreement; ``kind`` field|master_data|deleted|moved."""

    kind: str
    entity_table: str
    entity_id: str
    field: str | None = None
    base_value: Any = None
    their_value: Any = None
    your_value: Any = None
    applied: bool = False  # True: the incoming value won and the server's value was replaced
    reason: str = ""


class MutationOut(_Wire):
    mutation_id: int
    status: Status
    seq: int | None = None  # row version written (None when nothing was written)
    reason: str = ""  # machine-readable code for rejections, e.g. "validation.phone"
    message: str = ""
    conflicts: list[ConflictOut] = Field(default_factory=list)
    # The server's current row after this mutation (None if absent or not readable): the
    # client restores it when its optimistic edit was refused.
    row: dict[str, Any] | None = None
    entity_table: str = ""
    entity_id: str = ""


class PushResponse(_Wire):
    results: list[MutationOut] = Field(default_factory=list)
    upgrade_required: bool = False
    min_schema: int = 0
    max_schema: int = 0


class PullRequest(_Wire):
    client_id: str = Field(min_length=8, max_length=36)
    schema_version: int = Field(ge=0, le=INT64_MAX)
    cursors: dict[str, Annotated[int, Field(ge=0, le=INT64_MAX)]] = Field(default_factory=dict)
    limit: int = Field(default=500, ge=1, le=5000)


class Change(_Wire):
    partition: str
    seq: int
    table: str
    row_id: str
    op: Literal["PUT", "REMOVE"]
    data: dict[str, Any] = Field(default_factory=dict)


class PullResponse(_Wire):
    changes: list[Change] = Field(default_factory=list)
    cursors: dict[str, int] = Field(default_factory=dict)  # the checkpoint reached
    more: bool = False
    upgrade_required: bool = False
    min_schema: int = 0
    max_schema: int = 0


class SyncInfo(_Wire):
    min_schema: int
    max_schema: int
    server_time: datetime
    mutation_versions: dict[str, int] = Field(default_factory=dict)
