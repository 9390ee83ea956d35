"""Deterministic, realistic demo workspaces (one real city, 18 months of history).

The builder is imported on first use: the app imports this package for the office location
and must not pay for numpy-heavy seeding code at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kamdesk.services.demo.builder import DemoSummary, build_demo_workspace

__all__ = ["DemoSummary", "build_demo_workspace"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kamdesk.services.demo import builder

        return getattr(builder, name)
    raise AttributeError(name)
