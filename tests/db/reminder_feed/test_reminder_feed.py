"""Reorder advice becomes reorder reminders; today's plan and account headings are read back."""

from __future__ import annotations

import pytest

from kamdesk.db.engine import Store
from kamdesk.domain.ordering.advice import AdviceKind
from kamdesk.errors import NotFoundError
from kamdesk.services.advice import AdviceService
from kamdesk.services.reminder_feed import (
    account_heading,
    advice_reorders,
    planned_stops,
    reorder_items,
)
from kamdesk.services.reminders import ReminderService
from tests.conftest import DEMO_TODAY


def test_reorder_advice_becomes_reorder_reminders_once(demo_store: Store) -> None:
    advice = AdviceService(demo_store, clock=lambda: DEMO_TODAY)
    snapshot = advice.advise(DEMO_TODAY)
    expected = {
        (r.account_id, r.product_id) for r in snapshot.rows if r.kind == AdviceKind.REORDER_NOW
    }
    items = advice_reorders(advice)(DEMO_TODAY)
    assert items, "the demo has best-sellers running low"
    assert {(i.account_id, i.product_id) for i in items} == expected
    assert all(i.due_on == DEMO_TODAY and i.product_name and i.account_name for i in items)
    assert all(i.quantity is None or i.quantity > 0 for i in items)
    others = [r for r in snapshot.rows if r.kind != AdviceKind.REORDER_NOW]
    assert others and reorder_items(others, DEMO_TODAY) == []
    reminders = ReminderService(demo_store)
    added = reminders.refresh(DEMO_TODAY, reorders=items)
    shops = {i.account_id for i in items}  # one reminder per shop, listing its products
    assert len(shops) < len(items) and added >= len(shops)
    due = [r for r in reminders.due(DEMO_TODAY) if r.kind == "reorder"]
    assert sorted(r.account_id for r in due) == sorted(shops)
    assert reminders.refresh(DEMO_TODAY, reorders=items) == 0  # stable dedup keys


def test_no_plan_means_no_stops_and_unknown_accounts_are_refused(demo_store: Store) -> None:
    assert planned_stops(demo_store, DEMO_TODAY) == []
    with pytest.raises(NotFoundError):
        account_heading(demo_store, "no-such-account")
