"""Shared pieces of the visit UI tests: a fixed clock and a counted account of the demo."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import StockCount
from kamdesk.services.visits import CHINA
from kamdesk.ui.dialogs.visit_services import VisitServices

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA)  # Monday morning of the demo's today


@pytest.fixture
def services(demo_store: Store) -> VisitServices:
    return VisitServices.from_store(demo_store, now=lambda: NOW)


@pytest.fixture
def counted_account(demo_store: Store) -> str:
    """An account with stock counts from earlier visits (so the grid has carried products)."""
    with demo_store.session() as session:
        account_id = session.scalars(
            select(StockCount.account_id)
            .group_by(StockCount.account_id)
            .order_by(func.count().desc(), StockCount.account_id)
            .limit(1)
        ).one()
    return str(account_id)
