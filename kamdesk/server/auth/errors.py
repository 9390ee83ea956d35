"""Errors the HTTP API returns: a machine-readable ``code`` and the HTTP status to use.

Every error body has the same shape: ``{"detail": {"code": "...", "message": "..."}}``.
"""

from __future__ import annotations

from typing import Any

from kamdesk.errors import KamdeskError


class ApiError(KamdeskError):
    code = "server.error"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, code=code, **details)
        self.headers = headers or {}


class AuthError(ApiError):
    """401: no credentials, wrong credentials, or a token that is no longer good."""

    code = "auth.invalid"
    http_status = 401

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message, code=code, **details)
        # RFC 6750: no error attribute when no credentials came; invalid_token otherwise.
        challenge = "Bearer" if self.code in _NO_TOKEN_CODES else 'Bearer error="invalid_token"'
        self.headers.setdefault("WWW-Authenticate", challenge)


_NO_TOKEN_CODES = frozenset({"auth.token_missing", "auth.bad_credentials"})


class ForbiddenError(ApiError):
    code = "auth.forbidden"
    http_status = 403


class RateLimitedError(ApiError):
    code = "auth.rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after_s))})
        self.retry_after_s = max(1, retry_after_s)


class ConflictError(ApiError):
    code = "server.conflict"
    http_status = 409


class NotFoundApiError(ApiError):
    code = "server.not_found"
    http_status = 404


class InvalidInputError(ApiError):
    code = "server.invalid"
    http_status = 422


class UnavailableError(ApiError):
    code = "server.unavailable"
    http_status = 503
