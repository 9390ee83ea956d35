"""Password hashing with argon2id (argon2-cffi), rehashed on login when the parameters change."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from kamdesk.server.auth.errors import InvalidInputError

# Letters and digits without look-alikes (0/O, 1/l/I): temporary passwords are read aloud.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    new_hash: str | None = None  # set when the stored hash used older parameters


class PasswordService:
    def __init__(
        self, *, time_cost: int, memory_kib: int, parallelism: int, min_length: int = 8
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self.min_length = min_length
        # Verified against for unknown users, so they cost as much time as known ones.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def check_policy(self, password: str) -> None:
        if len(password) < self.min_length:
            raise InvalidInputError(
                f"A password needs at least {self.min_length} characters.",
                code="auth.password_too_short",
            )
        if len(password) > 1024:
            raise InvalidInputError(
                "A password is limited to 1024 characters.", code="auth.password_too_long"
            )
        if password.strip() != password or not password.isprintable():
            raise InvalidInputError(
                "A password may not start or end with spaces or contain control characters.",
                code="auth.password_invalid",
            )

    def hash(self, password: str) -> str:
        self.check_policy(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> Verification:
        """Constant work whether or not the user exists (``stored_hash`` None = unknown)."""
        try:
            self._hasher.verify(stored_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return Verification(False)
        if stored_hash is None:
            return Verification(False)
        if self._hasher.check_needs_rehash(stored_hash):
            return Verification(True, self._hasher.hash(password))
        return Verification(True)


def temporary_password(length: int = 14) -> str:
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
