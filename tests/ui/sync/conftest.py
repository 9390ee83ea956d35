"""The server tests' fixtures (a real app and a seeded team), reused by import."""

from __future__ import annotations

from tests.db.sync_session.fixtures import workspaces
from tests.server.conftest import app, clock, data_dir, migrated_template, settings, team

__all__ = ["app", "clock", "data_dir", "migrated_template", "settings", "team", "workspaces"]
