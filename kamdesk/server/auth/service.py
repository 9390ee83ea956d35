"""Login, refresh, logout, password change and bearer-token checks (one unit of work each)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.models import Credential, RefreshToken, SyncClient, User
from kamdesk.server.auth.errors import AuthError, ConflictError, ForbiddenError
from kamdesk.server.auth.passwords import PasswordService
from kamdesk.server.auth.principals import UserFacts, build_principal
from kamdesk.server.auth.ratelimit import LoginRateLimiter
from kamdesk.server.auth.tokens import AccessTokenCodec, new_refresh_token, refresh_token_digest
from kamdesk.server.principal import Principal

Clock = Callable[[], datetime]
ATTEMPT_RETENTION = timedelta(days=90)  # login history kept for audits, then forgotten

# The caller behind a token: the user joined with the token's device. Built once with bound
# parameters (run on every request, building it cost as much CPU as running it).
_CALLER = (
    select(
        User.username,
        User.role,
        User.territory_id,
        User.active,
        SyncClient.user_id,
        SyncClient.revoked,
    )
    .select_from(User)
    .outerjoin(SyncClient, SyncClient.client_id == bindparam("client_id"))
    .where(User.id == bindparam("user_id"))
)


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    access_expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user_id: str
    username: str
    display_name: str
    role: str
    territory_id: str | None
    must_change_password: bool


def normalise_username(username: str) -> str:
    return username.strip().lower()


class AuthService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        passwords: PasswordService,
        codec: AccessTokenCodec,
        limiter: LoginRateLimiter,
        refresh_ttl: timedelta,
        refresh_grace: timedelta,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self.passwords = passwords
        self.codec = codec
        self.limiter = limiter
        self._refresh_ttl = refresh_ttl
        self._refresh_grace = refresh_grace
        self.clock = clock

    # -- login -----------------------------------------------------------------------------
    def login(self, username: str, password: str, client_id: str, remote_addr: str) -> IssuedTokens:
        name = normalise_username(username)
        now = self.clock()
        with self._sessions() as session:
            self.limiter.check(session, name, remote_addr, now)
            user = session.scalar(select(User).where(User.username == name))
            cred = session.get(Credential, user.id) if user is not None else None
            result = self.passwords.verify(cred.password_hash if cred else None, password)
            if user is None or cred is None or not result.ok or not user.active:
                # Same answer for unknown user, wrong password and disabled user: no oracle.
                detail = "unknown" if user is None else ("disabled" if result.ok else "password")
                self.limiter.record(session, name, remote_addr, now, success=False, detail=detail)
                session.commit()
                raise AuthError("Wrong username or password.", code="auth.bad_credentials")
            if result.new_hash is not None:
                cred.password_hash = result.new_hash
            self._register_client(session, user, client_id)
            self.limiter.record(session, name, remote_addr, now, success=True)
            self.limiter.prune(session, now, keep=ATTEMPT_RETENTION)
            issued = self._issue(session, user, cred, client_id, now)
            session.commit()
            return issued

    def _register_client(self, session: Session, user: User, client_id: str) -> None:
        client = session.get(SyncClient, client_id)
        if client is None:
            now = self.clock()
            session.add(
                SyncClient(client_id=client_id, user_id=user.id, created_at=now, last_seen_at=now)
            )
            session.flush()
            return
        if client.user_id != user.id:
            raise ConflictError(
                "This client id belongs to another user; the app must use a new one.",
                code="auth.client_taken",
            )
        if client.revoked:
            raise ForbiddenError(
                "This device was revoked by an administrator; reinstall or reset its sync.",
                code="auth.client_revoked",
            )

    def _issue(
        self, session: Session, user: User, cred: Credential, client_id: str | None, now: datetime
    ) -> IssuedTokens:
        token = new_refresh_token()
        session.add(
            RefreshToken(
                jti=refresh_token_digest(token),
                user_id=user.id,
                client_id=client_id,
                issued_at=now,
                expires_at=now + self._refresh_ttl,
            )
        )
        access = self.codec.issue(user_id=user.id, role=user.role, client_id=client_id, now=now)
        return IssuedTokens(
            access_token=access,
            access_expires_in=int(self.codec.ttl.total_seconds()),
            refresh_token=token,
            refresh_expires_in=int(self._refresh_ttl.total_seconds()),
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            territory_id=user.territory_id,
            must_change_password=cred.must_change,
        )

    # -- refresh ---------------------------------------------------------------------------
    def refresh(self, refresh_token: str) -> IssuedTokens:
        now = self.clock()
        digest = refresh_token_digest(refresh_token)
        with self._sessions() as session:
            row = session.scalar(
                select(RefreshToken).where(RefreshToken.jti == digest).with_for_update()
            )
            if row is None:
                raise AuthError("Unknown refresh token.", code="auth.refresh_invalid")
            if row.revoked_at is not None:
                successor = self._retry_successor(session, row, now)
                if successor is None:
                    if row.replaced_by is not None:
                        # A rotated token came back: someone holds a copy. Kill the family.
                        self._revoke_family(session, row, now)
                        session.commit()
                        raise AuthError(
                            "This refresh token was already used; sign in again.",
                            code="auth.refresh_reused",
                        )
                    raise AuthError("The refresh token was revoked.", code="auth.refresh_revoked")
                row = successor
            if row.expires_at <= now:
                raise AuthError("The refresh token has expired.", code="auth.refresh_expired")
            user = session.get(User, row.user_id)
            cred = session.get(Credential, row.user_id)
            if user is None or cred is None or not user.active:
                raise AuthError("This account is disabled.", code="auth.user_disabled")
            if row.client_id is not None:
                client = session.get(SyncClient, row.client_id)
                if client is not None and client.revoked:
                    raise AuthError("This device was revoked.", code="auth.client_revoked")
            issued = self._issue(session, user, cred, row.client_id, now)
            row.revoked_at = now
            row.replaced_by = refresh_token_digest(issued.refresh_token)
            session.commit()
            return issued

    def _retry_successor(
        self, session: Session, row: RefreshToken, now: datetime
    ) -> RefreshToken | None:
        """A retry of a refresh whose answer was lost: the successor was never used.

        Within the grace period the unused successor is retired and rotation continues from
        it, so a flaky network does not sign the manager out.
        """
        if row.replaced_by is None or row.revoked_at is None:
            return None
        if now - row.revoked_at > self._refresh_grace:
            return None
        successor = session.get(RefreshToken, row.replaced_by)
        if successor is None or successor.revoked_at is not None:
            return None
        return successor

    def _revoke_family(self, session: Session, row: RefreshToken, now: datetime) -> None:
        seen: set[str] = set()
        current: RefreshToken | None = row
        while current is not None and current.jti not in seen:
            seen.add(current.jti)
            if current.revoked_at is None:
                current.revoked_at = now
            current = (
                session.get(RefreshToken, current.replaced_by) if current.replaced_by else None
            )
        # Every token of the same device, too: the chain may have been forked before.
        session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.user_id == row.user_id,
                RefreshToken.client_id == row.client_id,
                RefreshToken.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )

    # -- logout and passwords --------------------------------------------------------------
    def logout(self, refresh_token: str) -> None:
        now = self.clock()
        with self._sessions() as session:
            row = session.get(RefreshToken, refresh_token_digest(refresh_token))
            if row is not None and row.revoked_at is None:
                row.revoked_at = now
                session.commit()

    def change_password(self, user_id: str, old_password: str, new_password: str) -> None:
        now = self.clock()
        with self._sessions() as session:
            cred = session.get(Credential, user_id)
            if cred is None or not self.passwords.verify(cred.password_hash, old_password).ok:
                raise AuthError("The current password is wrong.", code="auth.bad_credentials")
            if new_password == old_password:
                raise ConflictError(
                    "The new password must differ from the old one.", code="auth.password_reused"
                )
            cred.password_hash = self.passwords.hash(new_password)
            cred.password_changed_at = now
            cred.must_change = False
            session.commit()

    # -- bearer tokens ---------------------------------------------------------------------
    def principal_for(self, access_token: str) -> tuple[Principal, str | None]:
        """The caller behind a bearer token and its client id; raises AuthError (401).

        Runs on every request: one statement (user joined with the token's device) on an
        autocommit connection on PostgreSQL, so a check costs one round trip, not four.
        """
        claims = self.codec.decode(access_token, now=self.clock())
        params = {"user_id": claims.user_id, "client_id": claims.client_id or ""}
        with self._connect() as conn:
            row = conn.execute(_CALLER, params).first()
            if row is None or not row.active:
                raise AuthError("This account is disabled.", code="auth.user_disabled")
            if claims.client_id is not None and (
                row.revoked is not False or row.user_id != claims.user_id
            ):
                raise AuthError("This device was revoked.", code="auth.client_revoked")
            facts = UserFacts(claims.user_id, row.username, row.role, row.territory_id)
            return build_principal(conn, facts), claims.client_id

    def _connect(self) -> Connection:
        engine = self._sessions.kw["bind"]
        assert isinstance(engine, Engine)
        if engine.dialect.name == "postgresql":
            return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return engine.connect()

    def user_info(self, user_id: str) -> dict[str, str | None]:
        with self._sessions() as session:
            user = session.get(User, user_id)
            if user is None:
                raise AuthError("This account is disabled.", code="auth.user_disabled")
            return {
                "id": user.id,
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
                "territory_id": user.territory_id,
            }
