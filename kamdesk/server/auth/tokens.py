"""Access tokens (short-lived HS256 JWTs) and refresh tokens (opaque, stored only as a hash)."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from kamdesk.server.auth.errors import AuthError

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
# Verified tokens remembered per codec: a laptop sends the same token with every request for
# its lifetime, and checking the signature again cost 4 % of a sync request's CPU. Only tokens
# that passed are kept (a rejected one raises, which is never cached); expiry is still checked
# against the clock on every use.
VERIFIED_CACHE_SIZE = 4096


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
        self._verified = functools.lru_cache(maxsize=VERIFIED_CACHE_SIZE)(self._verify)

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
        user_id, role, client_id, jti, exp = self._verified(token)
        if exp <= int(now.timestamp()):
            raise AuthError("The access token has expired.", code="auth.token_expired")
        return AccessClaims(
            user_id=user_id,
            role=role,
            client_id=client_id,
            jti=jti,
            expires_at=datetime.fromtimestamp(exp, tz=now.tzinfo),
        )

    def _verify(self, token: str) -> tuple[str, str, str | None, str, int]:
        """The claims of a token whose signature, issuer and shape are right (not expiry)."""
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
        exp = claims["exp"]
        if claims.get("typ") != ACCESS_TYPE or not isinstance(claims.get("sub"), str):
            raise AuthError("The access token is invalid.", code="auth.token_invalid")
        if not isinstance(exp, int):
            raise AuthError("The access token has expired.", code="auth.token_expired")
        cid = claims.get("cid")
        return (
            claims["sub"],
            str(claims.get("role", "")),
            cid if isinstance(cid, str) else None,
            str(claims["jti"]),
            exp,
        )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_digest(token: str) -> str:
    """What the database keeps: a stolen table does not yield usable refresh tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
