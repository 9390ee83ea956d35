"""Dated reminders for a period, each with a dedup key so regenerating never duplicates.

A reminder belongs to the period ``[start, end]`` when its due date falls in it. Licence and
debt reminders whose nominal date has passed but whose subject is still open come due on
``start`` instead (nothing slips through between two runs); their keys do not contain the
due date, so the catch-up reminder is the same reminder.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from kamdesk.domain.classification.sales import add_months
from kamdesk.domain.cn_calendar import holidays_between, lunar_to_solar
from kamdesk.domain.explain import format_cny, to_decimal
from kamdesk.domain.reminders.model import (
    ContactBirthday,
    ContactCadence,
    Reminder,
    ReminderConfig,
    ReminderError,
    ReminderInputs,
    ReminderKind,
    ReorderItem,
)

K = ReminderKind
_LUNAR_MONTHS = "正二三四五六七八九十冬腊"
_LUNAR_TENS = ("初", "十", "廿", "三")
_DIGITS = "一二三四五六七八九十"


def lunar_date_zh(month: int, day: int, leap: bool = False) -> str:
    """农历 label: (4, 8) -> 四月初八, (6, 10, leap) -> 闰六月初十, (12, 30) -> 腊月三十."""
    if day == 10:
        day_text = "初十"
    elif day == 20:
        day_text = "二十"
    elif day == 30:
        day_text = "三十"
    else:
        day_text = _LUNAR_TENS[day // 10] + _DIGITS[day % 10 - 1]
    return f"{'闰' if leap else ''}{_LUNAR_MONTHS[month - 1]}月{day_text}"


def solar_anniversary(birthday: date, year: int) -> date:
    """``birthday``'s month and day in ``year``; 29 February becomes 28 February off leap years."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


@lru_cache(maxsize=16384)
def _lunar_in_year(year: int, month: int, day: int, leap: bool) -> date:
    return lunar_to_solar(year, month, day, leap=leap)


def birthdays_between(b: ContactBirthday, first: date, last: date) -> list[date]:
    """Solar dates of ``b``'s birthday within ``[first, last]``, in order."""
    return [day for day, who in _birthday_dates([b], first, last) if who is b]


def _birthday_dates(
    birthdays: Sequence[ContactBirthday], first: date, last: date
) -> list[tuple[date, ContactBirthday]]:
    """Every birthday in ``[first, last]``. Lunar dates are converted lunar year by lunar year
    (a solar date in year Y lies in lunar year Y-1 or Y), all contacts per year together:
    the lunar library caches one year at a time and a year costs ~15 ms to compute."""
    found: list[tuple[date, ContactBirthday]] = []
    for year in range(first.year - 1, last.year + 1):
        for b in birthdays:
            if b.lunar is not None:
                day = _lunar_in_year(year, b.lunar.month, b.lunar.day, b.lunar.leap)
                if first <= day <= last:
                    found.append((day, b))
    for year in range(first.year, last.year + 1):
        for b in birthdays:
            if b.solar is not None:
                day = solar_anniversary(b.solar, year)
                if first <= day <= last:
                    found.append((day, b))
    found.sort(key=lambda item: item[0])
    return found


def generate_reminders(
    inputs: ReminderInputs, start: date, end: date, config: ReminderConfig | None = None
) -> list[Reminder]:
    """All reminders due in ``[start, end]``, sorted by date, kind and key, unique by key."""
    cfg = config or ReminderConfig()
    if start > end:
        raise ReminderError(f"period starts {start} after it ends {end}", code="reminders.period")
    if (end - start).days > cfg.max_period_days:
        raise ReminderError("period too long", code="reminders.period")
    found: list[Reminder] = []
    found += _callbacks(inputs, start, end, cfg)
    found += _birthdays(inputs, start, end, cfg)
    if inputs.holidays:
        found += _holidays(start, end, cfg)
    found += _licences(inputs, start, end, cfg)
    found += _debts(inputs, start, end)
    found += _reorders(inputs, start, end)
    for cadence in inputs.cadences:
        found += _contacts(cadence, start, end, cfg)
    unique: dict[str, Reminder] = {}
    for reminder in found:
        unique.setdefault(reminder.dedup_key, reminder)
    return sorted(unique.values(), key=lambda r: (r.due_on, r.kind.value, r.dedup_key))


def _name(account_name: str, account_id: str) -> str:
    return account_name or account_id


def _callbacks(
    inputs: ReminderInputs, start: date, end: date, cfg: ReminderConfig
) -> list[Reminder]:
    out = []
    for v in inputs.visits:
        due = v.callback_on or v.day + timedelta(days=cfg.callback_after_days)
        if start <= due <= end:
            who = _name(v.account_name, v.account_id)
            out.append(
                Reminder(
                    K.CALLBACK,
                    due,
                    v.account_id,
                    None,
                    f"回访{who}（{v.day.isoformat()}拜访）",
                    f"Call back {who} (visited {v.day.isoformat()})",
                    f"callback:{v.visit_id}",
                    subject_on=v.day,
                )
            )
    return out


def _birthdays(
    inputs: ReminderInputs, start: date, end: date, cfg: ReminderConfig
) -> list[Reminder]:
    ahead = timedelta(days=cfg.birthday_days_before)
    out = []
    for day, b in _birthday_dates(inputs.birthdays, start + ahead, end + ahead):
        if b.lunar is not None:
            lunar = lunar_date_zh(b.lunar.month, b.lunar.day, b.lunar.leap)
            zh = f"{b.name}生日（农历{lunar}，{day.isoformat()}）：送上祝福"
            en = (
                f"{b.name}'s birthday (lunar {'leap ' if b.lunar.leap else ''}"
                f"{b.lunar.month}/{b.lunar.day}, {day.isoformat()}): send greetings"
            )
        else:
            zh = f"{b.name}生日（{day.isoformat()}）：送上祝福"
            en = f"{b.name}'s birthday ({day.isoformat()}): send greetings"
        out.append(
            Reminder(
                K.BIRTHDAY,
                day - ahead,
                b.account_id,
                b.contact_id,
                zh,
                en,
                f"birthday:{b.contact_id}:{day.isoformat()}",
                subject_on=day,
            )
        )
    return out


def _holidays(start: date, end: date, cfg: ReminderConfig) -> list[Reminder]:
    out = []
    greet = timedelta(days=cfg.greeting_days_before)
    for h in holidays_between(start + greet, end + greet):
        if h.holiday in cfg.greeting_holidays:
            out.append(
                Reminder(
                    K.HOLIDAY_GREETING,
                    h.day - greet,
                    None,
                    None,
                    f"{h.name_zh}（{h.day.isoformat()}）：向客户致以节日问候",
                    f"{h.name_en} ({h.day.isoformat()}): send holiday greetings to accounts",
                    f"holiday_greeting:{h.holiday.value}:{h.day.year}",
                    subject_on=h.day,
                )
            )
    stock = timedelta(days=cfg.stock_plan_days_before)
    for h in holidays_between(start + stock, end + stock):
        if h.holiday in cfg.stock_plan_holidays:
            out.append(
                Reminder(
                    K.HOLIDAY_STOCK,
                    h.day - stock,
                    None,
                    None,
                    f"{h.name_zh}（{h.day.isoformat()}）前备货：提醒客户制定节前进货计划",
                    f"{h.name_en} ({h.day.isoformat()}) is coming: help accounts plan "
                    "pre-holiday stock",
                    f"holiday_stock:{h.holiday.value}:{h.day.year}",
                    subject_on=h.day,
                )
            )
    return out


def _licences(
    inputs: ReminderInputs, start: date, end: date, cfg: ReminderConfig
) -> list[Reminder]:
    out = []
    for lic in inputs.licences:
        nominal = lic.expires_on - timedelta(days=cfg.licence_days_before)
        # Not yet expired when the period starts, but its reminder date already passed: catch up.
        due = start if nominal < start <= lic.expires_on else nominal
        if start <= due <= end:
            who = _name(lic.account_name, lic.account_id)
            days = (lic.expires_on - due).days
            out.append(
                Reminder(
                    K.LICENCE_EXPIRY,
                    due,
                    lic.account_id,
                    None,
                    f"{who}的{lic.kind}（{lic.number}）将于{lic.expires_on.isoformat()}到期"
                    f"（{days}天后），提醒办理延续",
                    f"{who}: {lic.kind} {lic.number} expires {lic.expires_on.isoformat()} "
                    f"(in {days} days), remind them to renew",
                    f"licence:{lic.account_id}:{lic.number}:{lic.expires_on.isoformat()}",
                    subject_on=lic.expires_on,
                )
            )
    return out


def _debts(inputs: ReminderInputs, start: date, end: date) -> list[Reminder]:
    out = []
    for debt in inputs.debts:
        amount = to_decimal(debt.amount)
        if amount <= 0:
            continue  # settled: nothing to collect
        due = max(debt.due_on, start)  # still open after its due date: remind now
        if due <= end:
            who = _name(debt.account_name, debt.account_id)
            overdue = debt.due_on < start
            late_zh, late_en = ("，已逾期", ", overdue") if overdue else ("", "")
            out.append(
                Reminder(
                    K.DEBT,
                    due,
                    debt.account_id,
                    None,
                    f"向{who}收取欠款 {format_cny(amount)}"
                    f"（{debt.due_on.isoformat()}到期{late_zh}）",
                    f"Collect {format_cny(amount)} from {who} "
                    f"(due {debt.due_on.isoformat()}{late_en})",
                    f"debt:{debt.debt_id}",
                    subject_on=debt.due_on,
                    amount=amount,
                )
            )
    return out


REORDER_NAMES_SHOWN = 3  # products named in one account's reorder reminder; the rest counted


def _reorders(inputs: ReminderInputs, start: date, end: date) -> list[Reminder]:
    """One reminder per account and day listing its products: a manager calls the shop once,
    not once per product (a 300-shop territory otherwise gets hundreds of lines a day)."""
    grouped: dict[tuple[str, date], list[ReorderItem]] = {}
    for item in inputs.reorders:
        if start <= item.due_on <= end:
            grouped.setdefault((item.account_id, item.due_on), []).append(item)
    out = []
    for (account_id, due_on), items in grouped.items():
        who = _name(items[0].account_name, account_id)
        shown = items[:REORDER_NAMES_SHOWN]
        zh = "、".join(
            f"{i.product_name}{f' {i.quantity}{i.unit}' if i.quantity is not None else ''}"
            for i in shown
        )
        en = ", ".join(
            f"{i.product_name}{f' ({i.quantity} {i.unit})' if i.quantity is not None else ''}"
            for i in shown
        )
        if len(items) > len(shown):
            zh += f" 等{len(items)}个品种"
            en += f" and {len(items) - len(shown)} more"
        out.append(
            Reminder(
                K.REORDER,
                due_on,
                account_id,
                None,
                f"提醒{who}补货：{zh}"[:200],
                f"Remind {who} to reorder {en}"[:200],
                f"reorder:{account_id}:{due_on.isoformat()}",
                subject_on=due_on,
            )
        )
    return out


def _contacts(c: ContactCadence, start: date, end: date, cfg: ReminderConfig) -> list[Reminder]:
    """Open prospects every ``prospect_contact_weeks`` weeks, closed accounts every
    ``customer_contact_months`` months, counted from the last contact (or now, if overdue)."""
    who = _name(c.account_name, c.account_id)
    out = []
    if c.prospect:
        step = timedelta(weeks=cfg.prospect_contact_weeks)
        day = start if c.last_contact is None else c.last_contact + step
        if day < start:  # overdue: keep the rhythm, next slot on or after start
            day += step * (-((day - start) // step))
        while day <= end:
            year, week, _ = day.isocalendar()
            out.append(
                Reminder(
                    K.PROSPECT_CONTACT,
                    day,
                    c.account_id,
                    None,
                    f"联系潜在客户{who}（每{cfg.prospect_contact_weeks}周，直至成交）",
                    f"Contact prospect {who} (every {cfg.prospect_contact_weeks} week(s) "
                    "until closed)",
                    f"prospect_contact:{c.account_id}:{year}-W{week:02d}",
                )
            )
            day += step
        return out
    months = cfg.customer_contact_months
    # Anchored on the last contact (same day each month) so regenerating keeps the rhythm.
    anchor, n = (start, 0) if c.last_contact is None else (c.last_contact, 1)
    day = add_months(anchor, months * n)
    while day < start:
        n += 1
        day = add_months(anchor, months * n)
    while day <= end:
        out.append(
            Reminder(
                K.CUSTOMER_CONTACT,
                day,
                c.account_id,
                None,
                f"联系客户{who}（每{months}个月）",
                f"Contact {who} (every {months} month(s))",
                f"customer_contact:{c.account_id}:{day.year}-{day.month:02d}",
            )
        )
        n += 1
        day = add_months(anchor, months * n)
    return out
