"""Accept / dismiss: history through the outbox, hidden until the advice changes materially."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import AdviceDecision, OutboxEntry
from kamdesk.domain.ordering import AdviceItem, AdviceKind, Severity
from kamdesk.services.advice import AdviceService, DecisionState
from kamdesk.services.advice_load import AdviceError
from kamdesk.services.advice_views import AdviceRow, changed_materially, snapshot_of
from tests.conftest import DEMO_TODAY


def _first(service: AdviceService, kind: AdviceKind, with_order: bool = False) -> AdviceRow:
    snap = service.advise(DEMO_TODAY)
    return next(
        r
        for r in snap.rows
        if r.kind is kind and (not with_order or (r.order is not None and r.order.qty > 0))
    )


def test_accept_writes_history_through_the_outbox(
    advice_service: AdviceService, demo_store: Store
) -> None:
    row = _first(advice_service, AdviceKind.REORDER_NOW, with_order=True)
    done = advice_service.decide(row, DecisionState.ACCEPTED, comment=" ordered by phone ")
    assert done.state is DecisionState.ACCEPTED
    with demo_store.session() as session:
        decision = session.scalars(select(AdviceDecision)).one()
        entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == decision.id)
        ).one()
    assert (decision.account_id, decision.product_id, decision.kind) == (
        row.account_id,
        row.product_id,
        "reorder_now",
    )
    assert decision.decision == "accepted" and decision.comment == "ordered by phone"
    assert decision.snapshot["reason_zh"] == row.reason_zh
    assert decision.snapshot["order"]["qty"] == row.order.qty  # type: ignore[union-attr]
    assert entry.name == "advice_decision.insert"
    assert entry.args["row"]["snapshot"]["numbers"] == dict(row.numbers)
    again = advice_service.advise(DEMO_TODAY)
    assert next(r for r in again.rows if r.key == row.key).state is DecisionState.ACCEPTED


def test_dismissed_item_stays_hidden_until_it_changes(advice_service: AdviceService) -> None:
    row = _first(advice_service, AdviceKind.OVERSTOCK)
    advice_service.decide(row, DecisionState.DISMISSED)
    snap = advice_service.advise(DEMO_TODAY)
    assert row.key not in {r.key for r in snap.open_rows()}
    assert advice_service.history(row.account_id)[0]["decision"] == "dismissed"
    # a dismissal recorded against very different numbers no longer holds
    other = _first(advice_service, AdviceKind.REORDER_NOW)
    moved = replace(other, numbers=(("days_of_cover", 60.0),))
    advice_service.decide(moved, DecisionState.DISMISSED)
    shown = advice_service.advise(DEMO_TODAY)
    assert next(r for r in shown.rows if r.key == other.key).state is DecisionState.OPEN


def test_open_is_not_a_decision(advice_service: AdviceService) -> None:
    row = _first(advice_service, AdviceKind.MISSED_PRODUCT)
    with pytest.raises(AdviceError) as info:
        advice_service.decide(row, DecisionState.OPEN)
    assert info.value.code == "advice.bad_decision"


def _item(severity: int, cover: float) -> AdviceItem:
    return AdviceItem(
        AdviceKind.REORDER_NOW,
        Severity(severity),
        "a",
        "p",
        "zh",
        "en",
        (("on_hand", 1.0), ("days_of_cover", cover), ("lead_time_days", 7.0)),
    )


def _snapshot(item: AdviceItem) -> dict[str, object]:
    row = AdviceRow("k", item.kind, int(item.severity), "a", "", "", "p", "", "", "", item.numbers)
    return snapshot_of(row, DEMO_TODAY)


@settings(deadline=None, max_examples=60)
@given(
    severity=st.integers(0, 4),
    cover=st.floats(0, 100, allow_nan=False),
    new_severity=st.integers(0, 4),
    new_cover=st.floats(0, 100, allow_nan=False),
)
def test_changed_materially(
    severity: int, cover: float, new_severity: int, new_cover: float
) -> None:
    snap = _snapshot(_item(severity, cover))
    assert not changed_materially(snap, _item(severity, cover))  # the same advice holds
    changed = changed_materially(snap, _item(new_severity, new_cover))
    if new_severity < severity:
        assert changed  # more severe is always new advice
    elif abs(new_cover - cover) > max(0.3 * cover, 1.0):
        assert changed
    else:
        assert not changed
