"""The audit trail of an account card: who changed what and when, here and on the server.

Every local mutation writes an ``audit_entry`` (``services.outbox.record_mutation``) with the
account it belongs to and the old values of the fields it changed; changes other users made
arrive by sync and are audited by ``sync.apply`` (source "server"). This module reads them back
as plain dataclasses, newest first, and writes them as CSV for a supervisor (UTF-8 with a BOM,
so Excel shows Chinese).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AuditEntry, User

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving time
HIDDEN_KEYS = frozenset({"id", "srv_seq", "field_seq", "created_at", "updated_at", "deleted"})

TABLE_LABELS = {
    "account": "Account card",
    "contact": "Contact",
    "account_note": "Note",
    "evaluation": "Evaluation",
    "attachment": "Attachment",
    "purchase_line": "Purchase",
    "stock_count": "Stock count",
    "sales_plan": "Sales plan",
    "sales_order": "Order",
    "advice_decision": "Ordering advice decision",
    "visit": "Visit",
    "reminder": "Reminder",
    "complaint": "Complaint",
}
VERB_LABELS = {
    "create": "created",
    "update_fields": "edited",
    "delete": "deleted",
    "undelete": "restored",
    "insert": "added",
    "add": "added",
    "record": "recorded",
    "tags": "tags changed",
    "submit": "submitted",
    "set_status": "status changed",
    "resolve": "conflict resolved",
    "sync": "changed",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    new: Any
    old: Any = None
    has_old: bool = False  # False: the old value is unknown (a new record, or not recorded)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    at: datetime  # UTC
    user_id: str | None
    who: str  # display name, else user id, else "" (this desktop's own user)
    source: str  # "local" (this laptop) | "server" (arrived by sync)
    client_id: str | None  # the writing client, for server entries
    action: str  # the mutation name, e.g. "account.update_fields"
    entity_table: str
    entity_id: str
    account_id: str | None
    changes: tuple[FieldChange, ...]

    @property
    def china_time(self) -> datetime:
        return self.at.astimezone(CHINA_TZ)


def describe_action(action: str) -> str:
    """An English description of a mutation name, e.g. "Contact edited"."""
    table, _, verb = action.partition(".")
    subject = TABLE_LABELS.get(table, table.replace("_", " ").capitalize())
    return f"{subject} {VERB_LABELS.get(verb, verb.replace('_', ' '))}".strip()


def _flatten(args: dict[str, Any]) -> dict[str, Any]:
    """The user-visible values a mutation's arguments carry (its fields, or its row)."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if key in ("fields", "row", "visit") and isinstance(value, dict):
            out.update(_flatten(value))
        elif key in ("stock_counts", "reminders") and isinstance(value, list):
            if value:
                out[key] = len(value)
        elif key in ("add", "remove") and isinstance(value, list):
            if value:
                out[f"tags_{key}"] = value
        elif key not in HIDDEN_KEYS and not key.endswith("_id"):
            out[key] = value
    return out


def field_changes(
    changes: dict[str, Any], before: dict[str, Any] | None
) -> tuple[FieldChange, ...]:
    old = before or {}
    return tuple(
        FieldChange(field=k, new=v, old=old.get(k), has_old=k in old)
        for k, v in _flatten(changes).items()
    )


def format_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={format_value(v)}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def format_change(change: FieldChange, label: str | None = None) -> str:
    name = label or change.field
    if change.has_old:
        return f"{name}: {format_value(change.old)} → {format_value(change.new)}"
    return f"{name}: {format_value(change.new)}"


def start_of_day(day: date) -> datetime:
    """Midnight China time of ``day`` (``--since`` dates are the user's days)."""
    return datetime.combine(day, time(), tzinfo=CHINA_TZ)


class AuditService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def account_history(self, account_id: str, *, limit: int = 5000) -> list[HistoryEntry]:
        """The card's history, newest first: the card itself and every record under it."""
        return self.history(account_id=account_id, limit=limit)

    def history(
        self,
        *,
        account_id: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """Audit entries that belong to an account (all accounts without ``account_id``)."""
        stmt = select(AuditEntry).where(AuditEntry.account_id.is_not(None))
        if account_id is not None:
            stmt = stmt.where(AuditEntry.account_id == account_id)
        if since is not None:
            stmt = stmt.where(AuditEntry.at >= since)
        stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._store.session() as session:
            rows = session.scalars(stmt).all()
            ids = {r.user_id for r in rows if r.user_id}
            names = {
                u.id: u.display_name or u.username
                for u in session.scalars(select(User).where(User.id.in_(ids)))
            }
            return [
                HistoryEntry(
                    id=r.id,
                    at=r.at,
                    user_id=r.user_id,
                    who=names.get(r.user_id, r.user_id) if r.user_id else "",
                    source=r.source,
                    client_id=r.client_id,
                    action=r.action,
                    entity_table=r.entity_table,
                    entity_id=r.entity_id,
                    account_id=r.account_id,
                    changes=field_changes(dict(r.changes or {}), r.before),
                )
                for r in rows
            ]

    def account_codes(self, account_ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(account_ids))
        with self._store.session() as session:
            return {
                a.id: f"{a.code} {a.name}"
                for a in session.scalars(select(Account).where(Account.id.in_(wanted)))
            }

    def export_csv(
        self,
        target: Path,
        *,
        account_id: str | None = None,
        since: datetime | None = None,
    ) -> int:
        """Write the history as CSV (English labels); returns the number of entries."""
        entries = self.history(account_id=account_id, since=since)
        accounts = self.account_codes(e.account_id for e in entries if e.account_id)
        rows = [
            [
                e.china_time.strftime("%Y-%m-%d %H:%M:%S"),
                accounts.get(e.account_id or "", e.account_id or ""),
                e.who or "(this laptop's user)",
                "this laptop" if e.source == "local" else f"server, client {e.client_id or '-'}",
                describe_action(e.action),
                "; ".join(format_change(c) for c in e.changes),
                e.action,
                e.entity_id,
            ]
            for e in entries
        ]
        write_csv(target, CSV_HEADER, rows)
        return len(rows)


CSV_HEADER = ("Time (China)", "Account", "Who", "Where", "What", "Changes", "Mutation", "Record")


def write_csv(target: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 with a byte-order mark: Excel on Windows then reads the Chinese correctly."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


__all__ = [
    "CHINA_TZ",
    "CSV_HEADER",
    "AuditService",
    "FieldChange",
    "HistoryEntry",
    "describe_action",
    "format_change",
    "format_value",
    "start_of_day",
    "write_csv",
]
