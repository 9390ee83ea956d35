"""Territories (片区) and moving an account from one territory to another."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.models import Account, Territory
from kamdesk.domain.enums import Role
from kamdesk.server.admin.changes import publish
from kamdesk.server.admin.users import territory_by_code
from kamdesk.server.auth.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundApiError,
    UnavailableError,
)
from kamdesk.server.principal import REFERENCE_PARTITION, Principal

# The sync work's ``reassign_account(sessions, actor, account_id, to_territory_id) -> int``:
# moves the account and its history in one transaction and returns the account's new version.
REASSIGN_MODULE = "kamdesk.server.sync.reassign"
REASSIGN_FUNCTION = "reassign_account"
OPERATOR_ID = "operator"  # change-log actor of commands run on the server machine


@dataclass(frozen=True, slots=True)
class TerritoryView:
    id: str
    code: str
    name: str
    city: str


def _view(territory: Territory) -> TerritoryView:
    return TerritoryView(territory.id, territory.code, territory.name, territory.city)


def add_territory(
    session: Session, code: str, name: str, city: str = "", *, actor: Principal | None = None
) -> TerritoryView:
    if actor is not None and actor.role is not Role.ADMIN:
        raise ForbiddenError("Only an administrator may create territories.")
    code, name = code.strip(), name.strip()
    if not code or len(code) > 32 or not name or len(name) > 100 or len(city) > 50:
        raise InvalidInputError(
            "A territory needs a code (≤32 characters) and a name (≤100).",
            code="admin.territory_invalid",
        )
    if session.scalar(select(Territory.id).where(Territory.code == code)) is not None:
        raise ConflictError(
            f"The territory {code!r} exists already.", code="admin.territory_exists"
        )
    territory = Territory(code=code, name=name, city=city.strip())
    session.add(territory)
    session.flush()
    publish(
        session,
        territory,
        partition=REFERENCE_PARTITION,
        actor_id=actor.user_id if actor else None,
        cause="admin.territory_create",
    )
    return _view(territory)


def list_territories(session: Session) -> list[TerritoryView]:
    rows = session.scalars(
        select(Territory).where(Territory.deleted.is_(False)).order_by(Territory.code)
    ).all()
    return [_view(t) for t in rows]


def reassignment_function() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module(REASSIGN_MODULE)
    except ImportError:
        return None
    return cast(Callable[..., Any] | None, getattr(module, REASSIGN_FUNCTION, None))


@dataclass(frozen=True, slots=True)
class Reassigned:
    account_id: str
    account_code: str
    from_territory: str
    to_territory: str
    seq: int | None


def operator_principal() -> Principal:
    """The local ``kamdesk server`` operator (whoever can open the server database)."""
    return Principal(
        user_id=OPERATOR_ID,
        username=OPERATOR_ID,
        role=Role.ADMIN,
        territory_id=None,
        readable=frozenset(),
        writable=frozenset(),
    )


def assign_account(
    sessions: sessionmaker[Session],
    account_code: str,
    territory_code: str,
    *,
    actor: Principal | None = None,
) -> Reassigned:
    """Move an account (and its history) to another territory — supervisors and admins.

    Looks the codes up, then hands over to the sync module, which runs the move in its own
    transaction (REMOVE in the old partition, PUT in the new one).
    """
    if actor is not None and actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise ForbiddenError("Only supervisors and administrators may reassign accounts.")
    with sessions() as session:
        accounts = session.scalars(
            select(Account).where(Account.code == account_code.strip(), Account.deleted.is_(False))
        ).all()
        if not accounts:
            raise NotFoundApiError(
                f"No account with code {account_code!r}.", code="admin.account_unknown"
            )
        if len(accounts) > 1:
            raise ConflictError(
                f"Several accounts share the code {account_code!r}; reassign by id.",
                code="admin.account_ambiguous",
            )
        account = accounts[0]
        target = territory_by_code(session, territory_code)
        source = session.get(Territory, account.territory_id)
        source_code = source.code if source else account.territory_id
        found = Reassigned(account.id, account.code, source_code, target.code, None)
        target_id = target.id
        already = account.territory_id == target_id
    if already:
        return found
    move = reassignment_function()
    if move is None:
        raise UnavailableError(
            "Account reassignment needs the sync module's reassign_account(), "
            "which this server does not have yet.",
            code="admin.reassign_unavailable",
        )
    seq = move(sessions, actor or operator_principal(), found.account_id, target_id)
    return Reassigned(
        found.account_id,
        found.account_code,
        found.from_territory,
        found.to_territory,
        int(seq) if seq is not None else None,
    )
