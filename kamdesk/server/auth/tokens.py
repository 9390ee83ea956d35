"""Access tokens (short-lived HS256 JWTs) and refresh tokens (opaque, stored only as a hash)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from kamdesk.server.auth.errors import AuthError

ALGORITHM = "HS256"
ACCESS_TYPE = "access"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    role: str
    client_id: str | None
    jti: str
    expires_at: datetime


class AccessTokenCodec:
    def __init__(self, secret: bytes, *, issuer: str, ttl: timedelta) -> None:
        self._secret = secret
        self._issuer = issuer
        self.ttl = ttl

    def issue(self, *, user_id: str, role: str, client_id: str | None, now: datetime) -> str:
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "sub": user_id,
            "role": role,
            "cid": client_id,
            "typ": ACCESS_TYPE,
            "jti": secrets.token_hex(16),
            "iat": int(now.timestamp()),
            "exp": int((now + self.ttl).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str, *, now: datetime) -> AccessClaims:
        """Check signature, issuer, type and expiry (against ``now``, the server's clock)."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],  # never trust the header's "alg" (e.g. "none")
                issuer=self._issuer,
                options={"verify_exp": False, "require": ["exp", "sub", "jti", "iss", "typ"]},
            )
        except jwt.InvalidTokenError as exc:
            raise AuthError("The access token is invalid.", code="auth.token_invalid") from exc
        if claims.get("typ") != ACCESS_TYPE or not isinstance(claims.get("sub"), str):
            raise AuthError("The access token is invalid.", code="auth.token_invalid")
        exp = claims["exp"]
        if not isinstance(exp, int) or exp <= int(now.timestamp()):
            raise AuthError("The access token has expired.", code="auth.token_expired")
        cid = claims.get("cid")
        return AccessClaims(
            user_id=claims["sub"],
            role=str(claims.get("role", "")),
            client_id=cid if isinstance(cid, str) else None,
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(exp, tz=now.tzinfo),
        )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_digest(token: str) -> str:
    """What the database keeps: a stolen table does not yield usable refresh tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
