"""The wire form of a synced row, shared by the server and the desktop client.

A row travels as a JSON object of its columns. ``srv_seq`` is the server's *row version* (a
counter bumped on every server write to that row, kept across territory moves), so versions of
the same row are comparable whichever partition they arrive through. Columns that are derived
locally (``search_text``) or bookkeeping (``updated_at``) never travel; ``_w`` (who wrote each
field, server-only) is stripped from ``field_seq``.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary
from sqlalchemy.orm import Mapper

from kamdesk.db.base import Synced
from kamdesk.db.models import SYNCED_MODELS

LOCAL_ONLY_COLUMNS = frozenset({"search_text", "updated_at"})
SERVER_ONLY_FIELD_SEQ_KEYS = frozenset({"_w"})
BOOKKEEPING = frozenset({"id", "srv_seq", "deleted", "created_at", "updated_at", "field_seq"})


def tablename(model: type[Synced] | Synced) -> str:
    """``__tablename__`` of a synced model or row (the mixin itself does not declare it)."""
    return str(getattr(model, "__tablename__"))  # noqa: B009 - typed access to a mapped attr


TABLES: dict[str, type[Synced]] = {tablename(m): m for m in SYNCED_MODELS}


def model_for(table: str) -> type[Synced] | None:
    return TABLES.get(table)


def _mapper(model: type[Synced]) -> Mapper[Any]:
    return model.__mapper__  # type: ignore[attr-defined,no-any-return]


def wire_columns(model: type[Synced]) -> list[str]:
    return [c.key for c in _mapper(model).column_attrs if c.key not in LOCAL_ONLY_COLUMNS]


def editable_columns(model: type[Synced]) -> frozenset[str]:
    """Columns a mutation may set by name (not identity, versions or tombstones)."""
    return frozenset(wire_columns(model)) - BOOKKEEPING


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    return value


def decode_value(model: type[Synced], column: str, value: Any) -> Any:
    """The Python value for ``column`` from its wire form; raises ValueError on a bad value."""
    if value is None:
        return None
    col = _mapper(model).columns[column]
    ctype = col.type
    if isinstance(ctype, DateTime) or type(ctype).__name__ == "UTCDateTime":
        if isinstance(value, datetime):
            return value
        parsed = datetime.fromisoformat(str(value))
        if parsed.tzinfo is None:
            raise ValueError(f"{column}: a timestamp needs a time zone")
        return parsed
    if isinstance(ctype, Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if isinstance(ctype, LargeBinary):
        return base64.b64decode(value) if isinstance(value, str) else value
    return value


def row_to_wire(row: Synced) -> dict[str, Any]:
    model = type(row)
    out: dict[str, Any] = {}
    for key in wire_columns(model):
        value = getattr(row, key)
        if key == "field_seq" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in SERVER_ONLY_FIELD_SEQ_KEYS}
        out[key] = encode_value(value)
    return out


def wire_to_values(model: type[Synced], data: dict[str, Any]) -> dict[str, Any]:
    """Column values from a wire row; unknown keys (``_op`` and future columns) are ignored."""
    known = set(wire_columns(model))
    return {k: decode_value(model, k, v) for k, v in data.items() if k in known}


def comparable(model: type[Synced], data: dict[str, Any]) -> dict[str, Any]:
    """A wire row normalised for equality checks (convergence tests)."""
    values = wire_to_values(model, data)
    return {k: encode_value(v) for k, v in sorted(values.items())}
