"""Errors raised by the ordering-advice core (one base; ``code`` is machine-readable)."""

from __future__ import annotations


class OrderingError(ValueError):
    """Bad input or configuration given to the ordering core."""

    code: str = "ordering"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class InvalidConfigError(OrderingError):
    code = "ordering.invalid_config"


class InvalidInputError(OrderingError):
    code = "ordering.invalid_input"


class UnknownProductError(InvalidInputError):
    code = "ordering.unknown_product"
