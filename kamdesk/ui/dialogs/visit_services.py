"""What the visit form and the Today panel need, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from kamdesk.db.engine import Store
from kamdesk.services.reminders import ReminderService
from kamdesk.services.visits import CHINA, VisitService


def china_now() -> datetime:
    """Now, as an aware datetime in China time (visits are stamped in local shop time)."""
    return datetime.now(CHINA)


@dataclass(frozen=True)
class VisitServices:
    store: Store
    visits: VisitService
    reminders: ReminderService
    now: Callable[[], datetime] = field(default=china_now)

    @classmethod
    def from_store(
        cls,
        store: Store,
        *,
        actor_id: str | None = None,
        now: Callable[[], datetime] = china_now,
    ) -> VisitServices:
        return cls(store, VisitService(store, actor_id), ReminderService(store, actor_id), now)

    def today(self) -> date:
        return self.now().astimezone(CHINA).date()
