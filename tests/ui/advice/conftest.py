"""The shared demo engine run (see tests/db/advice/conftest.py)."""

from __future__ import annotations

from tests.db.advice.conftest import advice_service, read_service, template_run, template_store

__all__ = ["advice_service", "read_service", "template_run", "template_store"]
