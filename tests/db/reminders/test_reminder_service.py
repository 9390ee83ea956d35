"""Reminders are generated from the archive once, listed when due, and marked done."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import OutboxEntry, Reminder
from kamdesk.services.reminders import ReminderService, reminder_id
from tests.conftest import DEMO_TODAY


def test_refresh_generates_each_reminder_once(demo_store: Store) -> None:
    service = ReminderService(demo_store)
    added = service.refresh(DEMO_TODAY, days_ahead=30)
    assert added > 0
    assert service.refresh(DEMO_TODAY, days_ahead=30) == 0  # stable dedup keys
    with demo_store.session() as session:
        kinds = set(session.scalars(select(Reminder.kind)))
        assert {"birthday", "callback", "licence_expiry"} <= kinds
        rows = session.scalars(select(Reminder)).all()
        assert all(r.id == reminder_id(r.dedup_key) for r in rows)
        outbox = session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.name == "reminder.insert")
        )
        assert outbox == added


def test_due_list_and_mark_done(demo_store: Store) -> None:
    service = ReminderService(demo_store)
    service.refresh(DEMO_TODAY, days_ahead=30)
    due_later = service.due(DEMO_TODAY + timedelta(days=30))
    assert due_later
    assert all(row.due_on <= DEMO_TODAY + timedelta(days=30) for row in due_later)
    first = due_later[0]
    service.mark_done(first.id)
    remaining = {row.id for row in service.due(DEMO_TODAY + timedelta(days=30))}
    assert first.id not in remaining
    service.snooze(due_later[1].id, DEMO_TODAY + timedelta(days=60))
    assert due_later[1].id not in {r.id for r in service.due(DEMO_TODAY + timedelta(days=30))}


def test_lunar_birthdays_land_on_the_right_solar_day(demo_store: Store) -> None:
    from kamdesk.db.models import Contact
    from kamdesk.domain.cn_calendar import next_lunar_anniversary

    ReminderService(demo_store).refresh(DEMO_TODAY, days_ahead=60)
    with demo_store.session() as session:
        pairs = session.execute(
            select(Reminder.due_on, Contact.lunar_month, Contact.lunar_day, Contact.lunar_leap)
            .join(Contact, Contact.id == Reminder.contact_id)
            .where(Reminder.kind == "birthday", Contact.birthday_lunar.is_(True))
        ).all()
    assert pairs
    for due_on, month, day, leap in pairs:
        birthday = next_lunar_anniversary(month, day, due_on, leap=leap)
        assert 0 <= (birthday - due_on).days <= 7
        assert birthday >= date(2026, 11, 23)
