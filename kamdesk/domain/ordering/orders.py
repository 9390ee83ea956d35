"""Suggested order quantities: pack rounding and the caps (quota, credit, delisting).

The order-up-to numbers come from :mod:`.policy`; this module turns a raw need into a whole
number of packs and then applies, in order: delisting (zero), the product allocation quota
(whole packs not above it), and the account's credit room (credit limit − outstanding debt,
filled most urgent line first; no order at all once the debt is at or over the limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kamdesk.domain.ordering.errors import InvalidInputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


STEADY_BAND = 0.2  # within ±20 % of the usual delivery per order window: "keep steady"


class Cap(StrEnum):
    DELISTED = "delisted"
    QUOTA = "quota"
    CREDIT = "credit"
    DEBT_OVER_LIMIT = "debt_over_limit"
    BELOW_PACK_THRESHOLD = "below_pack_threshold"


CAP_ZH: dict[Cap, str] = {
    Cap.DELISTED: "已退市",
    Cap.QUOTA: "货源投放限量",
    Cap.CREDIT: "信用额度",
    Cap.DEBT_OVER_LIMIT: "欠款超出额度",
    Cap.BELOW_PACK_THRESHOLD: "需求不足一个包装",
}


@dataclass(frozen=True, slots=True)
class OrderWorking:
    """Every number behind one suggestion ("show the working")."""

    method: str
    demand_class: str
    forecast_weekly: tuple[float, ...]
    forecast_sd_weekly: tuple[float, ...]
    protection_days: int  # review period + lead time
    demand_over_protection: float
    service_level: float
    safety_stock: float
    target_stock: float
    last_count_day: date | None
    last_count_qty: float
    delivered_since_count: float
    sold_since_count_est: float
    on_hand_est: float
    on_order: float
    raw_need: float
    pack_size: int
    rounded_qty: int
    caps: tuple[Cap, ...]
    holiday_uplift: float  # largest calendar factor inside the protection period


@dataclass(frozen=True, slots=True)
class OrderSuggestion:
    account_id: str
    product_id: str
    qty: int
    packs: int
    value: float  # at wholesale price
    days_of_cover: float
    usual_qty: float  # average delivered per order window over the last 8 weeks
    working: OrderWorking

    # The sentences are built on demand: formatting 18,000 of them up front costs more than
    # the forecasts.
    @property
    def reason_zh(self) -> str:
        return order_reason(self.qty, self.working, self.usual_qty)[0]

    @property
    def reason_en(self) -> str:
        return order_reason(self.qty, self.working, self.usual_qty)[1]


def round_to_packs(
    need: FloatArray, pack: IntArray, round_up_fraction: float, urgent: BoolArray
) -> IntArray:
    """Whole packs for each ``need`` (in units): a remainder of at least
    ``round_up_fraction`` of a pack rounds up; a need that rounds to zero packs becomes one
    pack when ``urgent`` (stock would run out before the next order can arrive)."""
    if np.any(pack < 1):
        raise InvalidInputError("pack size must be >= 1")
    safe = np.where(np.isfinite(need) & (need > 0), need, 0.0)
    whole = np.floor(safe / pack)
    rest = safe / pack - whole
    packs = whole + (rest >= round_up_fraction - 1e-12) * (rest > 1e-12)
    packs = np.where((packs == 0) & urgent & (safe > 0), 1, packs)
    out: IntArray = (packs * pack).astype(np.int64)
    return out


def round_to_pack(need: float, pack: int, round_up_fraction: float, urgent: bool) -> int:
    """Scalar form of :func:`round_to_packs`."""
    return int(
        round_to_packs(
            np.array([need], dtype=np.float64),
            np.array([pack], dtype=np.int64),
            round_up_fraction,
            np.array([urgent]),
        )[0]
    )


def cap_quotas(qty: IntArray, pack: IntArray, quota: IntArray) -> tuple[IntArray, BoolArray]:
    """``qty`` limited to the largest whole-pack amount not above ``quota`` (-1: no quota)."""
    hit: BoolArray = (quota >= 0) & (qty > quota)
    capped: IntArray = np.where(hit, (np.maximum(quota, 0) // pack) * pack, qty).astype(np.int64)
    return capped, hit


def cap_quota(qty: int, pack: int, quota: int | None) -> tuple[int, bool]:
    """Scalar form of :func:`cap_quotas`."""
    capped, hit = cap_quotas(
        np.array([qty], dtype=np.int64),
        np.array([pack], dtype=np.int64),
        np.array([-1 if quota is None else quota], dtype=np.int64),
    )
    return int(capped[0]), bool(hit[0])


@dataclass(frozen=True, slots=True)
class CreditLine:
    """A line competing for the account's credit room."""

    key: int
    qty: int
    pack: int
    unit_price: float
    urgency: float  # smaller = more urgent (days of cover)


def cap_credit(
    lines: list[CreditLine], credit_limit: float | None, debt: float
) -> tuple[dict[int, int], bool, bool]:
    """Quantities after the credit rule: (qty per key, capped?, debt over limit?)."""
    if credit_limit is None:
        return {ln.key: ln.qty for ln in lines}, False, False
    room = credit_limit - debt
    if room <= 0:
        return {ln.key: 0 for ln in lines}, any(ln.qty > 0 for ln in lines), True
    total = sum(ln.qty * ln.unit_price for ln in lines)
    if total <= room + 1e-9:
        return {ln.key: ln.qty for ln in lines}, False, False
    out: dict[int, int] = {}
    for ln in sorted(lines, key=lambda x: (x.urgency, x.key)):
        pack_value = ln.pack * ln.unit_price
        if pack_value <= 0:
            out[ln.key] = ln.qty
            continue
        packs = min(ln.qty // ln.pack, int((room + 1e-9) // pack_value))
        out[ln.key] = packs * ln.pack
        room -= packs * pack_value
    return out, True, False


def order_reason(qty: int, w: OrderWorking, usual: float) -> tuple[str, str]:
    """One line in Chinese and English: more / less / keep steady against ``usual``."""
    numbers_zh = (
        f"目标库存{w.target_stock:.0f}（{w.protection_days}天需求{w.demand_over_protection:.0f}"
        f"+安全库存{w.safety_stock:.0f}）−现有约{w.on_hand_est:.0f}−在途{w.on_order:.0f}"
    )
    numbers_en = (
        f"target {w.target_stock:.0f} ({w.protection_days}-day demand "
        f"{w.demand_over_protection:.0f} + safety {w.safety_stock:.0f}) − on hand "
        f"~{w.on_hand_est:.0f} − on order {w.on_order:.0f}"
    )
    if Cap.DELISTED in w.caps:
        return "已退市，不再订货", "delisted: no order"
    if Cap.DEBT_OVER_LIMIT in w.caps:
        return "欠款已达信用额度，暂停订货", "debt at or over the credit limit: no order"
    if qty == 0:
        return f"库存充足，本期不订：{numbers_zh}", f"enough stock, no order: {numbers_en}"
    if usual > 0 and qty > usual * (1 + STEADY_BAND):
        trend_zh, trend_en = "多订", "order more"
    elif usual > 0 and qty < usual * (1 - STEADY_BAND):
        trend_zh, trend_en = "少订", "order less"
    else:
        trend_zh, trend_en = "保持", "keep steady"
    extra_zh = "".join(f"，{c.value}" for c in w.caps if c in (Cap.QUOTA, Cap.CREDIT))
    extra_en = "".join(f"; capped by {c.value}" for c in w.caps if c in (Cap.QUOTA, Cap.CREDIT))
    return (
        f"{trend_zh}：建议订{qty}（{numbers_zh}，按包装{w.pack_size}取整{extra_zh}）",
        f"{trend_en}: order {qty} ({numbers_en}, rounded to packs of {w.pack_size}{extra_en})",
    )
