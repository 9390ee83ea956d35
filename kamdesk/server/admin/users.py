"""User accounts on the team server: create, disable, reset passwords, revoke lost devices.

Functions take the caller's session and never commit (the caller owns the unit of work).
``actor`` is the principal doing it over HTTP, or ``None`` for the local ``kamdesk server``
command (whoever can open the server database is the operator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kamdesk.db.models import Credential, RefreshToken, SyncClient, Territory, User
from kamdesk.domain.enums import Role
from kamdesk.server.admin.changes import publish
from kamdesk.server.auth.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundApiError,
)
from kamdesk.server.auth.passwords import PasswordService, temporary_password
from kamdesk.server.auth.service import normalise_username
from kamdesk.server.principal import REFERENCE_PARTITION, Principal

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True, slots=True)
class UserView:
    id: str
    username: str
    display_name: str
    role: str
    territory_id: str | None
    territory_code: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class CreatedUser:
    user: UserView
    temporary_password: str | None  # shown once when the operator gave none


def _view(session: Session, user: User) -> UserView:
    territory = session.get(Territory, user.territory_id) if user.territory_id else None
    return UserView(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        territory_id=user.territory_id,
        territory_code=territory.code if territory else None,
        active=user.active,
    )


def _publish(session: Session, user: User, actor: Principal | None, cause: str) -> None:
    publish(
        session,
        user,
        partition=REFERENCE_PARTITION,
        actor_id=actor.user_id if actor else None,
        cause=cause,
    )


def _check_may_manage(actor: Principal | None, role: str) -> None:
    """Supervisors administer managers; only admins touch supervisors and admins."""
    if actor is None or actor.role is Role.ADMIN:
        return
    if actor.role is Role.SUPERVISOR and role == Role.MANAGER:
        return
    raise ForbiddenError(f"Only an administrator may manage {role} accounts.")


def territory_by_code(session: Session, code: str) -> Territory:
    territory = session.scalar(
        select(Territory).where(Territory.code == code.strip(), Territory.deleted.is_(False))
    )
    if territory is None:
        raise NotFoundApiError(f"No territory with code {code!r}.", code="admin.territory_unknown")
    return territory


def user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise NotFoundApiError(f"No user {username!r}.", code="admin.user_unknown")
    return user


def create_user(
    session: Session,
    passwords: PasswordService,
    *,
    username: str,
    role: str,
    territory_code: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
    actor: Principal | None = None,
) -> CreatedUser:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise InvalidInputError(
            "A username is 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
            code="admin.username_invalid",
        )
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInputError(f"Unknown role {role!r}.", code="admin.role_unknown") from None
    _check_may_manage(actor, role_value)
    territory = territory_by_code(session, territory_code) if territory_code else None
    if role_value is Role.MANAGER and territory is None:
        raise InvalidInputError("A manager needs a territory.", code="admin.territory_required")
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise ConflictError(f"The user {name!r} exists already.", code="admin.user_exists")
    temp = None
    if password is None:
        temp = password = temporary_password()
    password_hash = passwords.hash(password)
    user = User(
        username=name,
        display_name=(display_name or name).strip()[:100] or name,
        role=role_value.value,
        territory_id=territory.id if territory else None,
        active=True,
    )
    session.add(user)
    session.flush()
    session.add(
        Credential(user_id=user.id, password_hash=password_hash, must_change=temp is not None)
    )
    _publish(session, user, actor, "admin.user_create")
    return CreatedUser(_view(session, user), temp)


def list_users(session: Session) -> list[UserView]:
    users = session.scalars(select(User).order_by(User.username)).all()
    return [_view(session, user) for user in users]


def revoke_tokens(session: Session, user_id: str, now: datetime) -> int:
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def disable_user(
    session: Session, username: str, now: datetime, *, actor: Principal | None = None
) -> UserView:
    user = user_by_name(session, username)
    _check_may_manage(actor, user.role)
    if actor is not None and actor.user_id == user.id:
        raise ConflictError("You cannot disable yourself.", code="admin.self_disable")
    if user.active:
        user.active = False
        _publish(session, user, actor, "admin.user_disable")
    revoke_tokens(session, user.id, now)
    return _view(session, user)


def enable_user(session: Session, username: str, *, actor: Principal | None = None) -> UserView:
    user = user_by_name(session, username)
    _check_may_manage(actor, user.role)
    if not user.active:
        user.active = True
        _publish(session, user, actor, "admin.user_enable")
    return _view(session, user)


def reset_password(
    session: Session,
    passwords: PasswordService,
    username: str,
    now: datetime,
    *,
    password: str | None = None,
    actor: Principal | None = None,
) -> str | None:
    """Set a new password (or a temporary one, returned) and sign every device out."""
    user = user_by_name(session, username)
    _check_may_manage(actor, user.role)
    temp = None
    if password is None:
        temp = password = temporary_password()
    password_hash = passwords.hash(password)
    cred = session.get(Credential, user.id)
    if cred is None:
        cred = Credential(user_id=user.id, password_hash=password_hash)
        session.add(cred)
    cred.password_hash = password_hash
    cred.password_changed_at = now
    cred.must_change = temp is not None
    revoke_tokens(session, user.id, now)
    return temp


@dataclass(frozen=True, slots=True)
class RevokedDevices:
    clients: int
    refresh_tokens: int


def revoke_devices(
    session: Session, username: str, now: datetime, *, actor: Principal | None = None
) -> RevokedDevices:
    """A lost laptop: every refresh token and every sync client of the user stops working.

    Access tokens already issued die at once too, because each request checks its client id.
    """
    user = user_by_name(session, username)
    _check_may_manage(actor, user.role)
    clients = session.execute(
        update(SyncClient)
        .where(SyncClient.user_id == user.id, SyncClient.revoked.is_(False))
        .values(revoked=True)
    )
    tokens = revoke_tokens(session, user.id, now)
    return RevokedDevices(int(getattr(clients, "rowcount", 0) or 0), tokens)
