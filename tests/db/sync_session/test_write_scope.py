"""A supervisor's laptop shows every territory read-only; managers and admins write as before."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AuditEntry, OutboxEntry
from kamdesk.services.accounts import AccountService
from kamdesk.services.sync_session import SyncSession
from kamdesk.services.write_scope import (
    ReadOnlyError,
    can_write_account,
    install_write_scope_guard,
    load_scope,
)
from tests.db.sync_session.fixtures import Workspaces
from tests.sync import local_ops


def _signed_in(workspaces: Workspaces, username: str) -> SyncSession:
    session = workspaces.session(username)
    install_write_scope_guard(session.store.session_factory)
    return session


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as session:
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return int(outbox), int(audit)


def _account_in_t1(workspaces: Workspaces) -> str:
    mgr = _signed_in(workspaces, "mgr1")
    mgr.engine().sync_once()  # territories first
    account = local_ops.create_account(
        mgr.store,
        workspaces.team.territories["T1"],
        {"code": "HF-100", "name": "庐阳烟酒商行", "business_format": "tobacco_liquor"},
    )
    mgr.engine().sync_once()
    return account


def test_supervisor_sees_other_territories_but_cannot_change_them(
    workspaces: Workspaces,
) -> None:
    account = _account_in_t1(workspaces)
    sup = _signed_in(workspaces, "sup")
    sup.engine().sync_once()
    with sup.store.session() as session:
        assert session.get(Account, account) is not None  # readable
        assert load_scope(session) == frozenset()  # an unassigned supervisor writes nowhere
    assert not can_write_account(sup.store, account)

    before = _counts(sup.store)
    with pytest.raises(ReadOnlyError, match="another territory") as refused:
        AccountService(sup.store).update_fields(account, {"remarks": "主管改的"})
    assert refused.value.code == "scope.read_only"
    with pytest.raises(ReadOnlyError):
        AccountService(sup.store).add_note(account, "备注")
    assert _counts(sup.store) == before  # no outbox or audit row survives the refusal
    with sup.store.session() as session:
        assert session.get(Account, account).remarks != "主管改的"  # type: ignore[union-attr]


def test_manager_writes_own_territory_and_admin_writes_everywhere(
    workspaces: Workspaces,
) -> None:
    account = _account_in_t1(workspaces)
    mgr = workspaces.sessions[0]
    assert can_write_account(mgr.store, account)
    AccountService(mgr.store).update_fields(account, {"remarks": "店主换人"})
    mgr.engine().sync_once()

    admin = _signed_in(workspaces, "admin")
    admin.engine().sync_once()
    with admin.store.session() as session:
        assert load_scope(session) is None
    assert can_write_account(admin.store, account)
    AccountService(admin.store).update_fields(account, {"remarks": "管理员核对"})
    admin.engine().sync_once()
    mgr.engine().sync_once()
    with mgr.store.session() as session:
        assert session.get(Account, account).remarks == "管理员核对"  # type: ignore[union-attr]


def test_manager_cannot_create_an_account_in_another_territory(workspaces: Workspaces) -> None:
    mgr = _signed_in(workspaces, "mgr1")
    mgr.engine().sync_once()
    with pytest.raises(ReadOnlyError):
        AccountService(mgr.store).create(
            workspaces.team.territories["T2"],
            {"code": "XC-001", "name": "西城超市", "business_format": "supermarket"},
        )
    with mgr.store.session() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0
