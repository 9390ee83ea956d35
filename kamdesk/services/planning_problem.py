"""The routing adapter: due visits + account facts -> the optimiser's ``WeekProblem``.

Each working day is a shift (start/end time, start and end at the office or at home, lunch
break, maximum day length, travel mode). Each due visit becomes a ``VisitRequest`` whose windows
are the shop's opening hours on the weekday in question, whose service time depends on the
tier and the purposes, and whose prize is the due visit's priority. Visits that cannot be routed
at all (no coordinates, closed on every working day, no opening long enough) are not handed to
the optimiser; they come back as ``Unroutable`` entries with a sentence saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from kamdesk.domain.enums import VisitPurpose
from kamdesk.domain.routing import (
    BreakRule,
    DayShift,
    HaversineMatrixProvider,
    LatLon,
    MatrixProvider,
    OpeningHours,
    PinnedTime,
    Purpose,
    ServiceTimeRules,
    TimeInterval,
    TravelMode,
    VisitRequest,
    WeekProblem,
)
from kamdesk.domain.visits import DueReasonCode, DueVisit, VisitRuleConfig
from kamdesk.errors import KamdeskError
from kamdesk.services.planning_candidates import AccountStopInfo, Appointment


class PlanningError(KamdeskError):
    """Planning input the user must fix; ``code`` is ``planning.<reason>``."""

    code = "planning"


class StartPlace(StrEnum):
    OFFICE = "office"
    HOME = "home"


def _default_service_rules() -> ServiceTimeRules:
    return ServiceTimeRules(
        # a shop visit in this trade is short: check shelf and stock, pass on information
        by_tier=(("A", 20), ("B", 15), ("C", 10)),
        extra_by_purpose=(
            (Purpose.STOCK_COUNT.value, 5),
            (Purpose.COLLECTION.value, 5),
            (Purpose.COMPLAINT.value, 10),
            (Purpose.NEW_PRODUCT.value, 5),
        ),
    )


@dataclass(frozen=True, slots=True)
class LunchBreak:
    earliest_start: int = 11 * 60 + 30
    latest_end: int = 13 * 60 + 30
    duration: int = 45


@dataclass(frozen=True)
class PlanningConfig:
    """How the manager works: configurable per user (defaults: Mon-Fri 08:30-18:00 from the
    office, 45 min lunch between 11:30 and 13:30, car)."""

    office: LatLon
    home: LatLon | None = None
    start_at: StartPlace = StartPlace.OFFICE
    end_at: StartPlace = StartPlace.OFFICE
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    day_start: int = 8 * 60 + 30
    day_end: int = 18 * 60
    max_day_minutes: int | None = None
    lunch: LunchBreak | None = field(default_factory=LunchBreak)
    travel_mode: TravelMode = TravelMode.CAR
    service_rules: ServiceTimeRules = field(default_factory=_default_service_rules)
    visit_rules: VisitRuleConfig = field(default_factory=VisitRuleConfig)
    travel: MatrixProvider = field(default_factory=HaversineMatrixProvider)

    def place(self, which: StartPlace) -> LatLon:
        if which is StartPlace.HOME:
            if self.home is None:
                raise PlanningError(
                    "the day starts or ends at home, but no home location is set",
                    code="planning.no_home",
                )
            return self.home
        return self.office


def travel_mode(value: str) -> TravelMode:
    """``Settings.travel_mode`` -> the routing mode (unknown values fall back to the car)."""
    try:
        return TravelMode(value)
    except ValueError:
        return TravelMode.CAR


class UnroutableCode(StrEnum):
    NO_LOCATION = "no_location"
    CLOSED_ALL_WEEK = "closed_all_week"
    NO_FITTING_WINDOW = "no_fitting_window"
    APPOINTMENT_CONFLICT = "appointment_conflict"


_UNROUTABLE_TEXT: dict[UnroutableCode, tuple[str, str]] = {
    UnroutableCode.NO_LOCATION: ("客户没有经纬度，无法排入路线", "the shop has no coordinates"),
    UnroutableCode.CLOSED_ALL_WEEK: (
        "本周所有工作日均不营业",
        "the shop is closed on every working day this week",
    ),
    UnroutableCode.NO_FITTING_WINDOW: (
        "营业时间与工作时间重叠不足以完成拜访",
        "no opening period within working hours is long enough for the visit",
    ),
    UnroutableCode.APPOINTMENT_CONFLICT: (
        "预约时间不在工作日、工作时间或营业时间内",
        "the appointment is outside the working days, working hours or opening hours",
    ),
}


@dataclass(frozen=True, slots=True)
class Unroutable:
    visit_id: str
    account_id: str
    mandatory: bool
    code: UnroutableCode

    @property
    def zh(self) -> str:
        return _UNROUTABLE_TEXT[self.code][0]

    @property
    def en(self) -> str:
        return _UNROUTABLE_TEXT[self.code][1]


@dataclass(frozen=True, slots=True)
class VisitMeta:
    """What the week view shows about one requested visit besides its timing."""

    visit_id: str
    account_id: str
    purpose: VisitPurpose
    priority: int
    mandatory: bool
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]
    service_minutes: int
    appointment: Appointment | None = None


@dataclass(frozen=True, slots=True)
class ProblemBuild:
    problem: WeekProblem
    meta: dict[str, VisitMeta]
    unroutable: tuple[Unroutable, ...]


_PURPOSE_ROUTING: dict[DueReasonCode, Purpose] = {
    DueReasonCode.NEVER_VISITED: Purpose.STOCK_COUNT,
    DueReasonCode.OVERDUE: Purpose.STOCK_COUNT,
    DueReasonCode.ROUTINE: Purpose.STOCK_COUNT,
    DueReasonCode.SALES_SWING: Purpose.STOCK_COUNT,
    DueReasonCode.COLLECTION: Purpose.COLLECTION,
    DueReasonCode.COMPLAINT: Purpose.COMPLAINT,
    DueReasonCode.NEW_PRODUCT: Purpose.NEW_PRODUCT,
}


def routing_purposes(codes: Iterable[DueReasonCode]) -> tuple[str, ...]:
    return tuple(sorted({_PURPOSE_ROUTING[c].value for c in codes if c in _PURPOSE_ROUTING}))


def working_days(monday: date, config: PlanningConfig) -> tuple[date, ...]:
    return tuple(monday + timedelta(days=wd) for wd in sorted(set(config.work_days)))


def build_shifts(monday: date, config: PlanningConfig) -> tuple[DayShift, ...]:
    if not config.work_days or any(not 0 <= wd <= 6 for wd in config.work_days):
        raise PlanningError("choose at least one working day", code="planning.no_work_days")
    if not 0 <= config.day_start < config.day_end <= 1440:
        raise PlanningError(
            "the working day must end after it starts", code="planning.bad_working_hours"
        )
    breaks: tuple[BreakRule, ...] = ()
    if config.lunch is not None:
        lunch = config.lunch
        if lunch.duration > lunch.latest_end - lunch.earliest_start:
            raise PlanningError(
                "the lunch break does not fit between its earliest start and latest end",
                code="planning.bad_lunch",
            )
        breaks = (BreakRule(lunch.earliest_start, lunch.latest_end, lunch.duration),)
    start, end = config.place(config.start_at), config.place(config.end_at)
    return tuple(
        DayShift(
            day=day,
            start=config.day_start,
            end=config.day_end,
            start_location=start,
            end_location=end,
            max_length=config.max_day_minutes,
            breaks=breaks,
            mode=config.travel_mode,
        )
        for day in working_days(monday, config)
    )


def opening_hours(info: AccountStopInfo, closed_dates: Iterable[date] = ()) -> OpeningHours:
    return OpeningHours(
        by_weekday=tuple(tuple(TimeInterval(s, e) for s, e in day) for day in info.opening_hours),
        closed_dates=frozenset(closed_dates),
    )


def _fits_somewhere(hours: OpeningHours, shifts: Sequence[DayShift], service: int) -> bool:
    return any(
        min(iv.end, s.end) - max(iv.start, s.start) >= service
        for s in shifts
        for iv in hours.on(s.day)
    )


def _appointment_ok(
    hours: OpeningHours, shifts: Sequence[DayShift], appt: Appointment, service: int
) -> bool:
    shift = next((s for s in shifts if s.day == appt.day), None)
    if shift is None or not shift.start <= appt.start_minute <= shift.end - service:
        return False
    return any(
        iv.start <= appt.start_minute and appt.start_minute + service <= iv.end
        for iv in hours.on(appt.day)
    )


def build_problem(
    due: Sequence[DueVisit],
    accounts: Mapping[str, AccountStopInfo],
    monday: date,
    config: PlanningConfig,
    *,
    appointments: Sequence[Appointment] = (),
    closures: Mapping[str, Iterable[date]] | None = None,
) -> ProblemBuild:
    """The week's routing problem. ``closures`` maps account id -> dates the shop turned out
    to be closed (marked by the user), on top of its weekly opening hours."""
    shifts = build_shifts(monday, config)
    closed = {aid: tuple(days) for aid, days in (closures or {}).items()}
    appt_by_account: dict[str, list[Appointment]] = {}
    for appt in appointments:
        appt_by_account.setdefault(appt.account_id, []).append(appt)
    visits: list[VisitRequest] = []
    meta: dict[str, VisitMeta] = {}
    unroutable: list[Unroutable] = []

    def add(
        visit_id: str,
        account_id: str,
        *,
        mandatory: bool,
        priority: int,
        purpose: VisitPurpose,
        purposes: tuple[str, ...],
        reasons: tuple[tuple[str, str], ...],
        appt: Appointment | None,
    ) -> None:
        info = accounts.get(account_id)
        if info is None:
            raise PlanningError(
                f"visit {visit_id} names an unknown account", code="planning.unknown_account"
            )
        service = config.service_rules.minutes(info.tier.value, purposes)
        hours = opening_hours(info, closed.get(account_id, ()))
        code: UnroutableCode | None = None
        if info.latitude is None or info.longitude is None:
            code = UnroutableCode.NO_LOCATION
        elif appt is not None and not _appointment_ok(hours, shifts, appt, service):
            code = UnroutableCode.APPOINTMENT_CONFLICT
        elif not any(hours.on(s.day) for s in shifts):
            code = UnroutableCode.CLOSED_ALL_WEEK
        elif not _fits_somewhere(hours, shifts, service):
            code = UnroutableCode.NO_FITTING_WINDOW
        if code is not None:
            unroutable.append(Unroutable(visit_id, account_id, mandatory or appt is not None, code))
            return
        assert info.latitude is not None
        assert info.longitude is not None
        visits.append(
            VisitRequest(
                visit_id=visit_id,
                shop_id=account_id,
                location=LatLon(info.latitude, info.longitude),
                hours=hours,
                service_minutes=service,
                mandatory=mandatory,
                priority=max(0, priority),
                pinned=PinnedTime(appt.day, appt.start_minute) if appt is not None else None,
            )
        )
        meta[visit_id] = VisitMeta(
            visit_id,
            account_id,
            purpose,
            priority,
            mandatory or appt is not None,
            tuple(zh for zh, _ in reasons),
            tuple(en for _, en in reasons),
            service,
            appt,
        )

    for dv in due:
        pending = appt_by_account.get(dv.account_id, [])
        first = pending.pop(0) if pending else None
        add(
            dv.account_id,
            dv.account_id,
            mandatory=dv.mandatory,
            priority=dv.priority,
            purpose=dv.purpose,
            purposes=routing_purposes(dv.reason_codes),
            reasons=tuple((r.explanation.zh, r.explanation.en) for r in dv.reasons),
            appt=first,
        )
    for account_id, rest in appt_by_account.items():
        for i, appt in enumerate(rest):
            visit_id = account_id if i == 0 and account_id not in meta else appt.visit_row_id
            try:
                purpose = VisitPurpose(appt.purpose)
            except ValueError:
                purpose = VisitPurpose.ROUTINE
            add(
                visit_id,
                account_id,
                mandatory=True,
                priority=0,
                purpose=purpose,
                purposes=(Purpose.STOCK_COUNT.value,),
                reasons=(("预约拜访", "Appointment"),),
                appt=appt,
            )
    problem = WeekProblem(shifts=shifts, visits=tuple(visits), travel=config.travel)
    return ProblemBuild(problem, meta, tuple(unroutable))
