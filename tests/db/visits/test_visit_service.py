"""A visit, its stock counts and its follow-ups are saved together or not at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry, Reminder, StockCount, Visit
from kamdesk.errors import ValidationError
from kamdesk.services.visits import FollowUp, VisitInput, VisitService


def _account(store: Store) -> str:
    with store.session() as session:
        return session.scalars(select(Account.id).where(Account.status == "active")).first() or ""


def _count(store: Store, model: type) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_count_sheet_shows_previous_counts_first(demo_store: Store) -> None:
    sheet = VisitService(demo_store).count_sheet(_account(demo_store))
    assert 50 <= len(sheet) <= 70
    carried = [line for line in sheet if line.previous_quantity is not None]
    assert carried, "the demo shop has been counted before"
    assert sheet[: len(carried)] == carried


def test_record_visit_with_counts_and_follow_up(demo_store: Store) -> None:
    account_id = _account(demo_store)
    sheet = VisitService(demo_store).count_sheet(account_id)
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    before = {m: _count(demo_store, m) for m in (Visit, StockCount, Reminder, OutboxEntry)}
    visit_id = VisitService(demo_store).record(
        VisitInput(
            account_id=account_id,
            started_at=start,
            finished_at=start + timedelta(minutes=25),
            checklist={"display_ok": True, "price_compliant": False},
            feedback={"sell_through": "好", "consumer_comments": "口感柔和"},
            summary="检查陈列，建议补货",
            stock_counts={sheet[0].product_id: 7, sheet[1].product_id: 0},
            follow_ups=[FollowUp("回访确认补货", date(2026, 11, 26))],
        )
    )
    after = {m: _count(demo_store, m) for m in before}
    assert after[Visit] == before[Visit] + 1
    assert after[StockCount] == before[StockCount] + 2
    assert after[Reminder] == before[Reminder] + 1
    assert after[OutboxEntry] == before[OutboxEntry] + 1  # one mutation for the whole unit
    with demo_store.session() as session:
        entry = session.scalars(
            select(OutboxEntry).order_by(OutboxEntry.mutation_id.desc())
        ).first()
        assert entry is not None
        assert entry.name == "visit.record"
        assert entry.entity_id == visit_id
        assert len(entry.args["stock_counts"]) == 2
        assert entry.args["reminders"][0]["title"] == "回访确认补货"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"finished_at": datetime(2026, 11, 23, 1, 0, tzinfo=UTC)}, "finished_at"),
        ({"purpose": "party"}, "purpose"),
        ({"stock_counts": {"nope": 3}}, "stock_counts"),
        ({"stock_counts": {"x": -1}}, "stock_counts"),
        ({"follow_ups": [FollowUp("  ", date(2026, 11, 30))]}, "follow_ups"),
    ],
)
def test_bad_visit_changes_nothing(
    demo_store: Store, change: dict[str, object], field: str
) -> None:
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    fields: dict[str, object] = {
        "account_id": _account(demo_store),
        "started_at": start,
        "finished_at": start + timedelta(minutes=20),
        **change,
    }
    before = (_count(demo_store, Visit), _count(demo_store, OutboxEntry))
    with pytest.raises(ValidationError) as err:
        VisitService(demo_store).record(VisitInput(**fields))  # type: ignore[arg-type]
    assert err.value.field == field
    assert (_count(demo_store, Visit), _count(demo_store, OutboxEntry)) == before
