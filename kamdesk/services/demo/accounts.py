"""Demo retailers: names, places, opening hours and the traits that drive their sales."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kamdesk.domain.enums import BusinessFormat
from kamdesk.services.demo.geography import GIVEN, NAME_HEADS, NAME_TAILS, STREETS, SURNAMES

FORMAT_MIX: tuple[tuple[BusinessFormat, float], ...] = (
    (BusinessFormat.TOBACCO_LIQUOR, 0.35),
    (BusinessFormat.GROCERY, 0.30),
    (BusinessFormat.CONVENIENCE, 0.17),
    (BusinessFormat.SUPERMARKET, 0.10),
    (BusinessFormat.MALL, 0.02),
    (BusinessFormat.ENTERTAINMENT, 0.06),
)

_SUFFIX: dict[BusinessFormat, tuple[str, ...]] = {
    BusinessFormat.TOBACCO_LIQUOR: ("烟酒", "烟酒店", "名烟名酒"),
    BusinessFormat.GROCERY: ("食杂店", "商店", "副食店"),
    BusinessFormat.CONVENIENCE: ("便利店", "便利"),
    BusinessFormat.SUPERMARKET: ("超市", "生活超市"),
    BusinessFormat.MALL: ("购物广场", "百货"),
    BusinessFormat.ENTERTAINMENT: ("KTV", "棋牌室", "茶楼"),
}

# median weekly sales scale (cartons of an average-popularity product) by format
_SCALE: dict[BusinessFormat, float] = {
    BusinessFormat.TOBACCO_LIQUOR: 1.6,
    BusinessFormat.GROCERY: 0.8,
    BusinessFormat.CONVENIENCE: 1.0,
    BusinessFormat.SUPERMARKET: 2.2,
    BusinessFormat.MALL: 3.0,
    BusinessFormat.ENTERTAINMENT: 0.7,
}

# probability of carrying a product of price tier 1..5 (index 0..4)
CARRY_BY_TIER: dict[BusinessFormat, tuple[float, ...]] = {
    BusinessFormat.TOBACCO_LIQUOR: (0.75, 0.7, 0.55, 0.35, 0.2),
    BusinessFormat.GROCERY: (0.05, 0.15, 0.35, 0.55, 0.65),
    BusinessFormat.CONVENIENCE: (0.25, 0.4, 0.45, 0.35, 0.3),
    BusinessFormat.SUPERMARKET: (0.4, 0.5, 0.55, 0.5, 0.45),
    BusinessFormat.MALL: (0.6, 0.6, 0.5, 0.3, 0.2),
    BusinessFormat.ENTERTAINMENT: (0.35, 0.45, 0.3, 0.15, 0.1),
}

CONSUMER_GROUPS = ("上班族", "学生", "中老年", "外来务工人员", "商务人士", "社区居民", "游客")


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def opening_hours(fmt: BusinessFormat, rng: np.random.Generator) -> list[list[list[int]]]:
    """Monday..Sunday lists of [open, close] minutes, as the shop keeps them."""
    if fmt == BusinessFormat.TOBACCO_LIQUOR:
        day = [[_minutes(rng.choice(["07:30", "08:00", "08:30"])), _minutes("22:00")]]
    elif fmt == BusinessFormat.GROCERY:
        if rng.random() < 0.3:  # closed over lunch
            day = [[_minutes("06:30"), _minutes("12:00")], [_minutes("13:30"), _minutes("21:00")]]
        else:
            day = [[_minutes("06:30"), _minutes("21:00")]]
    elif fmt == BusinessFormat.CONVENIENCE:
        day = [[0, 1440]] if rng.random() < 0.5 else [[_minutes("07:00"), _minutes("23:00")]]
    elif fmt == BusinessFormat.SUPERMARKET:
        day = [[_minutes("08:00"), _minutes("21:30")]]
    elif fmt == BusinessFormat.MALL:
        day = [[_minutes("10:00"), _minutes("22:00")]]
    else:  # entertainment: afternoons and evenings only
        day = [[_minutes("14:00"), 1440]]
    week = [[list(iv) for iv in day] for _ in range(7)]
    closed_day = None
    if fmt in (BusinessFormat.TOBACCO_LIQUOR, BusinessFormat.GROCERY) and rng.random() < 0.1:
        closed_day = 6  # Sunday
    elif fmt == BusinessFormat.ENTERTAINMENT and rng.random() < 0.2:
        closed_day = 0  # Monday
    if closed_day is not None:
        week[closed_day] = []
    return week


@dataclass(frozen=True, slots=True)
class DemoAccount:
    index: int
    fields: dict[str, Any]
    fmt: BusinessFormat
    scale: float  # weekly demand multiplier
    trend: float  # log-slope per 78 weeks: > 0 growing, < 0 declining
    prospect: bool
    ended_week: int | None  # stopped buying from this week (closed / ended)
    visit_weekday: int


def make_accounts(n: int, rng: np.random.Generator, territory_id: str) -> list[DemoAccount]:
    formats = [f for f, _ in FORMAT_MIX]
    weights = np.array([w for _, w in FORMAT_MIX])
    chosen = rng.choice(len(formats), size=n, p=weights / weights.sum())
    street_idx = rng.integers(0, len(STREETS), size=n)
    positions = rng.random(n)
    seen_names: set[str] = set()
    accounts: list[DemoAccount] = []
    for i in range(n):
        fmt = formats[int(chosen[i])]
        district, street, (lat0, lon0), (lat1, lon1) = STREETS[int(street_idx[i])]
        t = float(positions[i])
        lat = lat0 + (lat1 - lat0) * t + float(rng.normal(0, 0.0007))
        lon = lon0 + (lon1 - lon0) * t + float(rng.normal(0, 0.0007))
        number = int(t * 900) + 1
        base_name = str(rng.choice(NAME_HEADS)) + str(rng.choice(NAME_TAILS))
        name = base_name + str(rng.choice(_SUFFIX[fmt]))
        if name in seen_names:
            name = f"{name}({street}店)"
        if name in seen_names:
            name = f"{name[:-1]}{number}号)"
        seen_names.add(name)
        owner = str(rng.choice(SURNAMES)) + "".join(
            str(g) for g in rng.choice(GIVEN, size=int(rng.integers(1, 3)))
        )
        # heavy-tailed shop size: about a fifth of the shops make four fifths of the value
        scale = float(_SCALE[fmt] * rng.lognormal(0.0, 1.25))
        roll = rng.random()
        prospect = roll < 0.06
        ended_week = int(rng.integers(40, 66)) if 0.06 <= roll < 0.09 else None
        trend = float(rng.normal(0.0, 0.35))
        groups = list(rng.choice(CONSUMER_GROUPS, size=2, replace=False))
        fields: dict[str, Any] = {
            "code": f"HF{i + 1:06d}",
            "name": name,
            "legal_name": f"合肥市{district}{name}",
            "licence_no": f"3401{int(rng.integers(10, 99))}{i + 1:08d}",
            "owner_name": owner,
            "phone": f"1{int(rng.choice([3, 5, 8, 9]))}{int(rng.integers(0, 10**9)):09d}",
            "business_format": fmt.value,
            "territory_id": territory_id,
            "address": f"合肥市{district}{street}{number}号",
            "district": district,
            "street": street,
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
            "opening_hours": opening_hours(fmt, rng),
            "area_m2": round(float(rng.lognormal(3.3, 0.5)), 1),
            "status": "prospect" if prospect else ("closed" if ended_week else "active"),
            "relationship_grade": str(rng.choice(["A", "B", "C", "D"], p=[0.2, 0.35, 0.3, 0.15])),
            "loyalty": str(rng.choice(["loyal", "switching", "none"], p=[0.45, 0.35, 0.2])),
            "credit_limit_fen": int(rng.choice([0, 5000, 10000, 20000, 50000])) * 100,
            "credit_terms_days": int(rng.choice([0, 7, 15, 30], p=[0.5, 0.2, 0.2, 0.1])),
            "lead_time_days": int(rng.choice([2, 3, 7], p=[0.3, 0.4, 0.3])),
            "downstream_customers": int(rng.integers(0, 40)) if rng.random() < 0.3 else 0,
            "coverage": f"{street}周边{int(rng.integers(1, 4))}公里",
            "warehouse_m2": round(float(rng.uniform(0, 60)), 1),
            "vehicles": int(rng.integers(0, 3)),
            "staff": int(rng.integers(1, 8)),
            "capital_fen": int(rng.integers(5, 200)) * 10000 * 100,
            "consumer_groups": groups,
            "man_money": bool(rng.random() < 0.7) if prospect else None,
            "man_authority": bool(rng.random() < 0.6) if prospect else None,
            "man_need": bool(rng.random() < 0.6) if prospect else None,
        }
        accounts.append(
            DemoAccount(
                index=i,
                fields=fields,
                fmt=fmt,
                scale=scale,
                trend=trend,
                prospect=prospect,
                ended_week=ended_week,
                visit_weekday=int(rng.integers(0, 5)),
            )
        )
    return accounts
