"""Reminder kinds, the inputs the generator reads, and the reminders it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kamdesk.domain.cn_calendar import Holiday
from kamdesk.domain.explain import Money


class ReminderError(ValueError):
    """Bad input to the reminder generator; ``code`` is machine-readable."""

    code: str = "reminders.invalid_input"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ReminderKind(StrEnum):
    CALLBACK = "callback"  # 回访
    BIRTHDAY = "birthday"
    HOLIDAY_GREETING = "holiday_greeting"
    HOLIDAY_STOCK = "holiday_stock"  # pre-holiday stock planning
    LICENCE_EXPIRY = "licence_expiry"
    DEBT = "debt"  # collection
    REORDER = "reorder"
    PROSPECT_CONTACT = "prospect_contact"  # weekly until the prospect is closed
    CUSTOMER_CONTACT = "customer_contact"  # monthly with closed (won) accounts


@dataclass(frozen=True, slots=True)
class ReminderConfig:
    callback_after_days: int = 3
    birthday_days_before: int = 1
    greeting_days_before: int = 1
    stock_plan_days_before: int = 21  # demand rises 2-3 weeks before these holidays
    stock_plan_holidays: frozenset[Holiday] = frozenset(
        {Holiday.SPRING_FESTIVAL, Holiday.MID_AUTUMN}
    )
    greeting_holidays: frozenset[Holiday] = frozenset(Holiday)
    licence_days_before: int = 30
    prospect_contact_weeks: int = 1  # keyed by ISO week: at most one per week
    customer_contact_months: int = 1  # keyed by calendar month: at most one per month
    max_period_days: int = 3 * 366

    def __post_init__(self) -> None:
        ahead = (
            self.callback_after_days,
            self.birthday_days_before,
            self.greeting_days_before,
            self.stock_plan_days_before,
            self.licence_days_before,
        )
        if min(ahead) < 0 or min(self.prospect_contact_weeks, self.customer_contact_months) < 1:
            raise ReminderError(
                "reminder offsets must be >= 0 and cadences >= 1 day", code="reminders.config"
            )


@dataclass(frozen=True, slots=True)
class VisitRecord:
    visit_id: str
    account_id: str
    day: date
    account_name: str = ""
    callback_on: date | None = None  # set at the visit; else day + callback_after_days


@dataclass(frozen=True, slots=True)
class LunarDate:
    month: int
    day: int
    leap: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= 30:
            raise ReminderError(f"no lunar date {self.month}/{self.day}", code="reminders.lunar")


@dataclass(frozen=True, slots=True)
class ContactBirthday:
    """A contact's birthday, by the solar calendar or the lunar one (exactly one)."""

    contact_id: str
    account_id: str
    name: str
    solar: date | None = None  # only month and day are used
    lunar: LunarDate | None = None

    def __post_init__(self) -> None:
        if (self.solar is None) == (self.lunar is None):
            raise ReminderError(
                f"contact {self.contact_id!r}: give a solar or a lunar birthday, not both/neither",
                code="reminders.birthday",
            )


@dataclass(frozen=True, slots=True)
class Licence:
    account_id: str
    kind: str  # e.g. 烟草专卖零售许可证
    number: str
    expires_on: date
    account_name: str = ""


@dataclass(frozen=True, slots=True)
class DebtItem:
    debt_id: str
    account_id: str
    amount: Money
    due_on: date
    account_name: str = ""


@dataclass(frozen=True, slots=True)
class ReorderItem:
    """A reorder alert worked out elsewhere (ordering advice)."""

    account_id: str
    product_id: str
    product_name: str
    due_on: date
    account_name: str = ""
    quantity: int | None = None
    unit: str = "条"


@dataclass(frozen=True, slots=True)
class ContactCadence:
    """Whom to keep in touch with: open prospects weekly, closed (won) accounts monthly."""

    account_id: str
    prospect: bool
    last_contact: date | None
    account_name: str = ""


@dataclass(frozen=True, slots=True)
class ReminderInputs:
    visits: tuple[VisitRecord, ...] = ()
    birthdays: tuple[ContactBirthday, ...] = ()
    licences: tuple[Licence, ...] = ()
    debts: tuple[DebtItem, ...] = ()
    reorders: tuple[ReorderItem, ...] = ()
    cadences: tuple[ContactCadence, ...] = ()
    holidays: bool = True


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    due_on: date
    account_id: str | None
    contact_id: str | None
    title_zh: str
    title_en: str
    # Stable across regenerations (never contains "today"): store with a unique constraint.
    dedup_key: str
    subject_on: date | None = None  # the birthday, holiday, expiry... the reminder is about
    amount: Decimal | None = field(default=None)
