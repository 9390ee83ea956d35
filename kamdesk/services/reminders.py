"""Reminders: generated from the archive (callbacks, birthdays, holidays, licences, debts,
prospect contact), stored once, listed for the Today panel, and marked done.

A generated reminder's id is derived from its dedup key (UUIDv5), so every laptop that
generates the same reminder produces the same row and sync stores it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Contact, PurchaseLine, Reminder, Visit
from kamdesk.domain.reminders import (
    ContactBirthday,
    ContactCadence,
    DebtItem,
    Licence,
    LunarDate,
    ReminderConfig,
    ReminderInputs,
    ReorderItem,
    VisitRecord,
    generate_reminders,
)
from kamdesk.errors import NotFoundError
from kamdesk.services.outbox import record_mutation

REMINDER_NAMESPACE = uuid.UUID("5b0c6a52-6f5d-4c1e-9a57-4b2f7d2f0c11")
LICENCE_KIND = "烟草专卖零售许可证"


@dataclass(frozen=True, slots=True)
class ReminderRow:
    id: str
    kind: str
    due_on: date
    title: str
    account_id: str | None
    account_name: str
    done: bool


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def reminder_id(dedup_key: str) -> str:
    return str(uuid.uuid5(REMINDER_NAMESPACE, dedup_key))


class ReminderService:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id

    def _inputs(self, start: date, reorders: Sequence[ReorderItem]) -> ReminderInputs:
        with self._store.session() as session:
            names = dict(
                session.execute(
                    select(Account.id, Account.name).where(Account.deleted.is_(False))
                ).all()
            )
            recent = session.execute(
                select(Visit.id, Visit.account_id, Visit.actual_start).where(
                    Visit.actual_start
                    >= datetime.combine(start - timedelta(days=14), datetime.min.time(), UTC),
                    Visit.deleted.is_(False),
                )
            ).all()
            contacts = session.execute(
                select(
                    Contact.id,
                    Contact.account_id,
                    Contact.name,
                    Contact.birthday,
                    Contact.birthday_lunar,
                    Contact.lunar_month,
                    Contact.lunar_day,
                    Contact.lunar_leap,
                ).where(Contact.deleted.is_(False))
            ).all()
            licences = session.execute(
                select(Account.id, Account.licence_no, Account.licence_expiry).where(
                    Account.licence_expiry.is_not(None), Account.deleted.is_(False)
                )
            ).all()
            debts = session.execute(
                select(
                    PurchaseLine.account_id,
                    PurchaseLine.order_ref,
                    func.min(PurchaseLine.purchased_on),
                    func.sum(PurchaseLine.outstanding_fen),
                    Account.credit_terms_days,
                )
                .join(Account, Account.id == PurchaseLine.account_id)
                .where(PurchaseLine.settled.is_(False), PurchaseLine.deleted.is_(False))
                .group_by(
                    PurchaseLine.account_id, PurchaseLine.order_ref, Account.credit_terms_days
                )
            ).all()
            last_visit = dict(
                session.execute(
                    select(Visit.account_id, func.max(Visit.actual_start)).group_by(
                        Visit.account_id
                    )
                ).all()
            )
            cadence_rows = session.execute(
                select(Account.id, Account.status).where(
                    Account.deleted.is_(False), Account.status.in_(("prospect", "active"))
                )
            ).all()
        birthdays: list[ContactBirthday] = []
        for cid, aid, name, solar, lunar, month, day, leap in contacts:
            if lunar and month and day:
                birthdays.append(ContactBirthday(cid, aid, name, lunar=LunarDate(month, day, leap)))
            elif solar is not None and not lunar:
                birthdays.append(ContactBirthday(cid, aid, name, solar=solar))
        return ReminderInputs(
            visits=tuple(
                VisitRecord(vid, aid, started.date(), names.get(aid, ""))
                for vid, aid, started in recent
                if started is not None
            ),
            birthdays=tuple(birthdays),
            licences=tuple(
                Licence(aid, LICENCE_KIND, number, expiry, names.get(aid, ""))
                for aid, number, expiry in licences
                if expiry is not None
            ),
            debts=tuple(
                DebtItem(
                    f"{aid}:{ref}",
                    aid,
                    Decimal(total) / 100,
                    first + timedelta(days=terms or 0),
                    names.get(aid, ""),
                )
                for aid, ref, first, total, terms in debts
                if total
            ),
            reorders=tuple(reorders),
            cadences=tuple(
                ContactCadence(
                    aid,
                    status == "prospect",
                    _day(last_visit.get(aid)),
                    names.get(aid, ""),
                )
                for aid, status in cadence_rows
            ),
        )

    def refresh(
        self,
        today: date,
        *,
        days_ahead: int = 14,
        reorders: Sequence[ReorderItem] = (),
        config: ReminderConfig | None = None,
    ) -> int:
        """Generate reminders due in [today, today + days_ahead]; store the new ones.

        Returns how many were added. Running it again adds nothing (stable dedup keys).
        """
        found = generate_reminders(
            self._inputs(today, reorders), today, today + timedelta(days=days_ahead), config
        )
        with self._store.session() as session:
            keys = [r.dedup_key for r in found]
            existing: set[str] = set()
            for start in range(0, len(keys), 500):
                existing.update(
                    session.scalars(
                        select(Reminder.dedup_key).where(
                            Reminder.dedup_key.in_(keys[start : start + 500])
                        )
                    )
                )
            added = 0
            for item in found:
                if item.dedup_key in existing:
                    continue
                row_id = reminder_id(item.dedup_key)
                row = {
                    "id": row_id,
                    "account_id": item.account_id,
                    "contact_id": item.contact_id,
                    "kind": item.kind.value,
                    "due_on": item.due_on,
                    "title": item.title_zh,
                    "body": item.title_en,
                    "dedup_key": item.dedup_key,
                }
                record_mutation(
                    session,
                    "reminder.insert",
                    entity_table="reminder",
                    entity_id=str(row["id"]),
                    args={"row": row},
                    actor=self._actor,
                )
                session.add(Reminder(**row))
                added += 1
        return added

    def due(self, today: date, *, include_done: bool = False) -> list[ReminderRow]:
        """Reminders due on or before ``today`` (open ones unless ``include_done``)."""
        with self._store.session() as session:
            stmt = (
                select(
                    Reminder.id,
                    Reminder.kind,
                    Reminder.due_on,
                    Reminder.title,
                    Reminder.account_id,
                    Account.name,
                    Reminder.done_at,
                )
                .outerjoin(Account, Account.id == Reminder.account_id)
                .where(
                    Reminder.due_on <= today,
                    Reminder.deleted.is_(False),
                    or_(Reminder.snoozed_until.is_(None), Reminder.snoozed_until <= today),
                )
                .order_by(Reminder.due_on, Reminder.kind, Reminder.title)
            )
            if not include_done:
                stmt = stmt.where(Reminder.done_at.is_(None))
            rows = session.execute(stmt).all()
        return [
            ReminderRow(rid, kind, due, title, aid, name or "", done is not None)
            for rid, kind, due, title, aid, name, done in rows
        ]

    def mark_done(self, reminder_id_: str, when: datetime | None = None) -> None:
        when = when or datetime.now(UTC)
        with self._store.session() as session:
            reminder = session.get(Reminder, reminder_id_)
            if reminder is None or reminder.deleted:
                raise NotFoundError(f"No reminder {reminder_id_}.")
            record_mutation(
                session,
                "reminder.update_fields",
                entity_table="reminder",
                entity_id=reminder_id_,
                args={"fields": {"done_at": when}},
                base={"done_at": reminder.srv_seq},
                actor=self._actor,
            )
            reminder.done_at = when

    def snooze(self, reminder_id_: str, until: date) -> None:
        with self._store.session() as session:
            reminder = session.get(Reminder, reminder_id_)
            if reminder is None or reminder.deleted:
                raise NotFoundError(f"No reminder {reminder_id_}.")
            record_mutation(
                session,
                "reminder.update_fields",
                entity_table="reminder",
                entity_id=reminder_id_,
                args={"fields": {"snoozed_until": until}},
                base={"snoozed_until": reminder.srv_seq},
                actor=self._actor,
            )
            reminder.snoozed_until = until


__all__ = ["ReminderRow", "ReminderService", "reminder_id"]
