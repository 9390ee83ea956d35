"""One error base for everything a user may see; bugs stay ordinary exceptions.

Each error carries a stable ``code`` (the UI and CLI turn it into words, the sync protocol sends it
over the wire) and a developer-readable message with the specifics.
"""

from __future__ import annotations

from typing import Any


class KamdeskError(Exception):
    """An error the user should see: bad input, wrong key, unreachable server..."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class StoreError(KamdeskError):
    code = "store"


class WrongKeyError(StoreError):
    code = "store.wrong_key"


class NoKeyError(StoreError):
    code = "store.no_key"


class SchemaError(StoreError):
    code = "store.schema"


class ValidationError(KamdeskError):
    """A value a user typed or imported is not acceptable; ``field`` says which."""

    code = "validation"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
        self.field = field


class NotFoundError(KamdeskError):
    code = "not_found"
