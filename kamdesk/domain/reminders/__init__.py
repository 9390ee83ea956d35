"""Reminders: callbacks, birthdays (solar and lunar), holidays, licences, debts, reorders and
contact cadences, generated for a period with stable dedup keys."""

from __future__ import annotations

from kamdesk.domain.reminders.generate import (
    birthdays_between,
    generate_reminders,
    lunar_date_zh,
    solar_anniversary,
)
from kamdesk.domain.reminders.model import (
    ContactBirthday,
    ContactCadence,
    DebtItem,
    Licence,
    LunarDate,
    Reminder,
    ReminderConfig,
    ReminderError,
    ReminderInputs,
    ReminderKind,
    ReorderItem,
    VisitRecord,
)

__all__ = [
    "ContactBirthday",
    "ContactCadence",
    "DebtItem",
    "Licence",
    "LunarDate",
    "Reminder",
    "ReminderConfig",
    "ReminderError",
    "ReminderInputs",
    "ReminderKind",
    "ReorderItem",
    "VisitRecord",
    "birthdays_between",
    "generate_reminders",
    "lunar_date_zh",
    "solar_anniversary",
]
