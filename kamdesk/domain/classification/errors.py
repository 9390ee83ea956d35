"""Errors raised by the classification rules (one base; ``code`` is machine-readable)."""

from __future__ import annotations


class ClassificationError(ValueError):
    """Bad input or a forbidden state change in a classification rule."""

    code: str = "classification"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class InvalidConfigError(ClassificationError):
    code = "classification.invalid_config"


class InvalidInputError(ClassificationError):
    code = "classification.invalid_input"


class InvalidTransitionError(ClassificationError):
    """A VIP approval step that the state machine does not allow (e.g. approving twice)."""

    code = "classification.vip.invalid_transition"


class NotAllowedError(ClassificationError):
    """The actor may not take this step (e.g. a manager approving a VIP)."""

    code = "classification.vip.not_allowed"
