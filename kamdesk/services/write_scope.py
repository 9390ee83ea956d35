"""Which territories this laptop may change: a supervisor sees every territory read-only.

The server is the authority (it rejects a push outside the user's writable partitions), but a
rejection after the fact loses the user's work into the Sync issues panel. So the client keeps
the scope it learnt at sign-in (``sync_state['write_scope']``) and a ``before_flush`` guard
refuses any local change outside it, before anything is written. No scope stored (a
workspace that never signed in, or an administrator) means no restriction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import Synced
from kamdesk.db.engine import Store
from kamdesk.db.listen_once import listen_once
from kamdesk.db.models import Account, SyncState
from kamdesk.errors import KamdeskError
from kamdesk.services.outbox import changed_synced_rows, unguarded

SCOPE_KEY = "write_scope"
_CACHE_KEY = "kamdesk.write_scope"


class ReadOnlyError(KamdeskError):
    """A change to data this user may only read (another territory, or reference data)."""

    code = "scope.read_only"


def set_scope(store: Store, territories: Iterable[str] | None) -> None:
    """Remember the writable territories (``None``: unrestricted, e.g. an administrator)."""
    with store.session() as session:
        row = session.get(SyncState, SCOPE_KEY)
        if territories is None:
            if row is not None:
                session.delete(row)
            return
        value = {"territories": sorted(set(territories))}
        if row is None:
            session.add(SyncState(key=SCOPE_KEY, value=value))
        else:
            row.value = value


def load_scope(session: Session) -> frozenset[str] | None:
    with session.no_autoflush:
        row = session.get(SyncState, SCOPE_KEY)
    if row is None:
        return None
    return frozenset(str(t) for t in row.value.get("territories", []))


def can_write_account(store: Store, account_id: str) -> bool:
    """Whether the card of ``account_id`` is editable here (the UI greys it out otherwise)."""
    with store.session() as session:
        scope = load_scope(session)
        if scope is None:
            return True
        account = session.get(Account, account_id)
        return account is not None and account.territory_id in scope


def _territory_of(session: Session, obj: Synced) -> str | None:
    """The territory a synced row belongs to; None for reference data."""
    if getattr(obj, "__sync_partition__", "territory") != "territory":
        return None
    territory = getattr(obj, "territory_id", None)
    if territory is not None:
        return str(territory)
    account_id = getattr(obj, "account_id", None)
    if account_id is None:
        return ""  # a territory row we cannot place: treat as outside every scope
    with session.no_autoflush:
        account = session.get(Account, account_id)
    return account.territory_id if account is not None else ""


def _guard(session: Session, _flush_context: Any, _instances: Any) -> None:
    if unguarded(session):
        return
    if _CACHE_KEY not in session.info:
        session.info[_CACHE_KEY] = load_scope(session)
    scope: frozenset[str] | None = session.info[_CACHE_KEY]
    if scope is None:
        return
    for obj in changed_synced_rows(session):
        territory = _territory_of(session, obj)
        if territory is None:
            raise ReadOnlyError(
                "Shared reference data (products, territories, users) is maintained by the "
                "back office and cannot be changed here."
            )
        if territory not in scope:
            raise ReadOnlyError(
                "This account belongs to another territory: you can see it but not change it. "
                "Ask its manager, or reassign it first."
            )


def _clear(session: Session) -> None:
    session.info.pop(_CACHE_KEY, None)


def install_write_scope_guard(factory: sessionmaker[Session]) -> None:
    listen_once(factory, {"before_flush": _guard, "after_commit": _clear, "after_rollback": _clear})
