"""Which partitions a user may read and write, always computed from the database.

- manager: their territory read + write, reference data read;
- supervisor: every territory and reference read, write only in their own territory (if any);
  reassignment goes through the admin API, not through push;
- admin: every partition read + write.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Territory, User
from kamdesk.domain.enums import Role
from kamdesk.server.auth.errors import AuthError
from kamdesk.server.principal import REFERENCE_PARTITION, Principal, territory_partition


@dataclass(frozen=True, slots=True)
class UserFacts:
    """What a principal is built from (a row of one query, no ORM object needed)."""

    id: str
    username: str
    role: str
    territory_id: str | None


def all_territory_partitions(db: Session | Connection) -> frozenset[str]:
    ids = db.scalars(select(Territory.id).where(Territory.deleted.is_(False))).all()
    return frozenset(territory_partition(tid) for tid in ids)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AuthError(f"Unknown role {value!r}.", code="auth.role_unknown") from None


def build_principal(session: Session | Connection, user: User | UserFacts) -> Principal:
    role = parse_role(user.role)
    own: frozenset[str] = (
        frozenset({territory_partition(user.territory_id)}) if user.territory_id else frozenset()
    )
    if role is Role.MANAGER:
        readable = own | {REFERENCE_PARTITION}
        writable = own
    elif role is Role.SUPERVISOR:
        readable = all_territory_partitions(session) | {REFERENCE_PARTITION}
        writable = own
    else:
        readable = all_territory_partitions(session) | {REFERENCE_PARTITION}
        writable = readable
    return Principal(
        user_id=user.id,
        username=user.username,
        role=role,
        territory_id=user.territory_id,
        readable=frozenset(readable),
        writable=frozenset(writable),
    )
