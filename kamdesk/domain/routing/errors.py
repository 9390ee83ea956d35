"""Errors of the routing area: one base with a machine-readable ``code`` (the UI words it)."""

from __future__ import annotations


class RoutingError(Exception):
    """Input the planner cannot work with. ``visit_id`` names the offending visit when known."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        visit_id: str | None = None,
        day: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.visit_id = visit_id
        self.day = day

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code
