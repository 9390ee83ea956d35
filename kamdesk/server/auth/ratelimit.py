"""Failed-login throttling kept in ``srv_login_attempt`` (survives restarts, shared by workers).

A username is locked after ``max_per_user`` failures inside the window (a success clears its
count); an address after ``max_per_address`` failures whatever the usernames (password
spraying). Refused attempts are not recorded, so a lockout ends when the window has passed
instead of being extended forever by the attacker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kamdesk.db.models import LoginAttempt
from kamdesk.server.auth.errors import RateLimitedError


@dataclass(frozen=True, slots=True)
class LoginRateLimiter:
    window: timedelta
    max_per_user: int
    max_per_address: int

    def check(self, session: Session, username: str, remote_addr: str, now: datetime) -> None:
        start = now - self.window
        last_success = session.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.success.is_(True)
            )
        )
        user_since = max(start, last_success) if last_success is not None else start
        self._enforce(
            session,
            [LoginAttempt.username == username, LoginAttempt.at > user_since],
            self.max_per_user,
            now,
            "Too many failed logins for this user; try again later.",
        )
        if remote_addr:
            self._enforce(
                session,
                [LoginAttempt.remote_addr == remote_addr, LoginAttempt.at > start],
                self.max_per_address,
                now,
                "Too many failed logins from this address; try again later.",
            )

    def _enforce(
        self, session: Session, where: list[object], limit: int, now: datetime, message: str
    ) -> None:
        times = session.scalars(
            select(LoginAttempt.at)
            .where(LoginAttempt.success.is_(False), *where)  # type: ignore[arg-type]
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        ).all()
        if len(times) < limit:
            return
        # Allowed again once the limit-th most recent failure leaves the window.
        retry_at = times[-1] + self.window
        raise RateLimitedError(message, retry_after_s=int((retry_at - now).total_seconds()) + 1)

    def record(
        self,
        session: Session,
        username: str,
        remote_addr: str,
        now: datetime,
        *,
        success: bool,
        detail: str = "",
    ) -> None:
        session.add(
            LoginAttempt(
                username=username[:64],
                remote_addr=remote_addr[:64],
                at=now,
                success=success,
                detail=detail,
            )
        )

    def prune(self, session: Session, now: datetime, keep: timedelta) -> int:
        """Forget attempts older than ``keep`` (an audit horizon; must exceed the window)."""
        horizon = now - max(keep, self.window)
        result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < horizon))
        return int(getattr(result, "rowcount", 0) or 0)
