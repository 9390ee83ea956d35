"""Moving an account (and its history) to another territory in one server transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import FieldVersioned, Synced
from kamdesk.db.models import Account, Territory
from kamdesk.domain.enums import Role
from kamdesk.server.principal import Principal, territory_partition
from kamdesk.server.sync.errors import SyncError
from kamdesk.server.sync.handlers import complete_field_seq
from kamdesk.server.sync.publish import begin_write, publish_remove, publish_row
from kamdesk.sync.codec import TABLES, tablename

PARENTS_FIRST = {"contact": 0, "visit": 0}


def account_children(session: Session, account_id: str) -> list[Synced]:
    """Every territory-partition row hanging off the account (tombstones included)."""
    rows: list[Synced] = []
    for model in TABLES.values():
        if model is Account or model.__sync_partition__ == "reference":
            continue
        column = getattr(model, "account_id", None)
        if column is None:
            continue
        found = session.scalars(
            select(model).where(column == account_id).order_by(model.id).with_for_update()
        ).all()
        rows.extend(found)
    return rows


def reassign_account(
    sessions: sessionmaker[Session], actor: Principal, account_id: str, to_territory_id: str
) -> int:
    """REMOVE the account and its child rows in the old partition, PUT them in the new one;
    returns the account's new row version. Managers' pending edits to it come back as
    "moved to ..." conflicts when they push."""
    if actor.role == Role.MANAGER:
        raise SyncError("Only a supervisor or admin can reassign accounts.", code="forbidden")
    with sessions() as session, session.begin():
        begin_write(session)
        account = session.scalar(select(Account).where(Account.id == account_id).with_for_update())
        if account is None:
            raise SyncError(f"No account {account_id}.", code="not_found")
        if session.get(Territory, to_territory_id) is None:
            raise SyncError(f"No territory {to_territory_id}.", code="not_found.territory")
        if account.territory_id == to_territory_id:
            return account.srv_seq
        old = territory_partition(account.territory_id)
        new = territory_partition(to_territory_id)
        # parents before referrers (a stock count needs its visit, a reminder its contact)
        children = sorted(
            account_children(session, account_id),
            key=lambda r: PARENTS_FIRST.get(tablename(r), 1),
        )
        cause = "account.reassign"
        for row in [*children, account]:
            if isinstance(row, FieldVersioned):
                row.field_seq = complete_field_seq(row)
            row.srv_seq += 1
        # children first, so a page cut between them never leaves an orphan on a client
        for row in [*reversed(children), account]:
            publish_remove(session, row, old, actor_id=actor.user_id, cause=cause)
        account.territory_id = to_territory_id
        seqs = dict(account.field_seq)
        seqs["territory_id"] = account.srv_seq
        account.field_seq = seqs
        for row in [account, *children]:
            publish_row(session, row, actor_id=actor.user_id, cause=cause, partition=new)
        return account.srv_seq
