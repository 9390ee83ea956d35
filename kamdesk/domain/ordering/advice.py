"""Advice items (建议) and the rules that raise them, over per-series arrays.

Every item carries its kind, severity, the numbers behind it and one line in Chinese and in
English. Lists are sorted by (severity, kind, account, product) so the order is stable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

from kamdesk.domain.enums import AbcTier, BusinessFormat, Loyalty, ProductStatus
from kamdesk.domain.ordering.models import AccountInfo, ProductInfo

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Number = float | int | str | None


class AdviceKind(StrEnum):
    REORDER_NOW = "reorder_now"
    OVERSTOCK = "overstock"
    MISSED_PRODUCT = "missed_product"
    NEW_PRODUCT = "new_product"
    HOLIDAY_PLAN = "holiday_plan"
    SLOW_MOVER = "slow_mover"
    RECOUNT = "recount"


class Severity(IntEnum):
    CRITICAL = 0
    HIGH = 1
    MEDIUM = 2
    LOW = 3
    INFO = 4


KIND_ZH: dict[AdviceKind, str] = {
    AdviceKind.REORDER_NOW: "及时补货",
    AdviceKind.OVERSTOCK: "库存积压",
    AdviceKind.MISSED_PRODUCT: "漏订品规",
    AdviceKind.NEW_PRODUCT: "新品投放",
    AdviceKind.HOLIDAY_PLAN: "节前备货",
    AdviceKind.SLOW_MOVER: "滞销品规",
    AdviceKind.RECOUNT: "盘点核对",
}
_KIND_ORDER = tuple(AdviceKind)


@dataclass(frozen=True, slots=True)
class AdviceItem:
    kind: AdviceKind
    severity: Severity
    account_id: str
    product_id: str | None
    reason_zh: str
    reason_en: str
    numbers: tuple[tuple[str, Number], ...]

    def number(self, key: str) -> Number:
        for name, value in self.numbers:
            if name == key:
                return value
        raise KeyError(key)


def sort_items(items: list[AdviceItem]) -> list[AdviceItem]:
    return sorted(
        items,
        key=lambda a: (a.severity, _KIND_ORDER.index(a.kind), a.account_id, a.product_id or ""),
    )


@dataclass(frozen=True, slots=True)
class SeriesFacts:
    """Per (account, product) series, aligned arrays the rules read."""

    account: IntArray  # index into the accounts list
    product: IntArray  # index into the products list
    on_hand: FloatArray  # estimated units on hand today
    weekly: FloatArray  # forecast units per week (next week)
    days_cover: FloatArray  # on_hand / daily forecast (inf without demand)
    lead_days: FloatArray
    weeks_since_sale: FloatArray  # inf if never sold in the history
    active_recent: BoolArray  # sold or received within the look-back
    sold_before: BoolArray  # sold before the look-back window
    best_seller: BoolArray  # top fifth of the account's forecast volume


def reorder_and_overstock(
    facts: SeriesFacts,
    accounts: list[AccountInfo],
    products: list[ProductInfo],
    overstock_weeks: float,
) -> list[AdviceItem]:
    items: list[AdviceItem] = []
    listed = np.array([p.status == ProductStatus.ACTIVE for p in products])[facts.product]
    selling = facts.weekly > 0
    low = listed & selling & (facts.days_cover < facts.lead_days)
    for i in np.nonzero(low)[0].tolist():
        acc, prod = accounts[facts.account[i]], products[facts.product[i]]
        cover, lead = float(facts.days_cover[i]), float(facts.lead_days[i])
        best = bool(facts.best_seller[i])
        sev = Severity.CRITICAL if best or facts.on_hand[i] <= 0 else Severity.HIGH
        tag_zh = "（畅销）" if best else ""
        tag_en = " (best-seller)" if best else ""
        items.append(
            AdviceItem(
                AdviceKind.REORDER_NOW,
                sev,
                acc.account_id,
                prod.product_id,
                f"{prod.name}{tag_zh}库存约可售{cover:.1f}天，短于到货周期{lead:.0f}天，请立即补货",
                f"{prod.name}{tag_en}: about {cover:.1f} days of stock left, less than the "
                f"{lead:.0f}-day lead time; reorder now",
                (
                    ("on_hand", round(float(facts.on_hand[i]), 2)),
                    ("weekly_forecast", round(float(facts.weekly[i]), 2)),
                    ("days_of_cover", round(cover, 1)),
                    ("lead_time_days", lead),
                ),
            )
        )
    limit = overstock_weeks * 7.0
    high = selling & (facts.days_cover > limit) & (facts.on_hand > 0)
    for i in np.nonzero(high)[0].tolist():
        acc, prod = accounts[facts.account[i]], products[facts.product[i]]
        cover = float(facts.days_cover[i])
        items.append(
            AdviceItem(
                AdviceKind.OVERSTOCK,
                Severity.MEDIUM,
                acc.account_id,
                prod.product_id,
                f"{prod.name}库存可售{cover / 7:.1f}周，超过{overstock_weeks:g}周，"
                "暂停进货，按先进先出消化库存",
                f"{prod.name}: {cover / 7:.1f} weeks of stock, above {overstock_weeks:g}; "
                "stop ordering and sell down first-in-first-out",
                (
                    ("on_hand", round(float(facts.on_hand[i]), 2)),
                    ("weekly_forecast", round(float(facts.weekly[i]), 2)),
                    ("weeks_of_cover", round(cover / 7, 2)),
                    ("threshold_weeks", overstock_weeks),
                ),
            )
        )
    return items


def slow_movers(
    facts: SeriesFacts, accounts: list[AccountInfo], products: list[ProductInfo], weeks: int
) -> list[AdviceItem]:
    items: list[AdviceItem] = []
    slow = (facts.on_hand > 0) & (facts.weeks_since_sale >= weeks)
    for i in np.nonzero(slow)[0].tolist():
        acc, prod = accounts[facts.account[i]], products[facts.product[i]]
        since = float(facts.weeks_since_sale[i])
        since_zh = f"{since:.0f}周" if np.isfinite(since) else "有记录以来"
        since_en = f"{since:.0f} weeks" if np.isfinite(since) else "the whole history"
        items.append(
            AdviceItem(
                AdviceKind.SLOW_MOVER,
                Severity.LOW,
                acc.account_id,
                prod.product_id,
                f"{prod.name}已{since_zh}无动销，库存{facts.on_hand[i]:.0f}，暂停进货并设法消化",
                f"{prod.name}: no sales for {since_en} with {facts.on_hand[i]:.0f} on hand; "
                "stop ordering and sell it down",
                (
                    ("on_hand", round(float(facts.on_hand[i]), 2)),
                    ("weeks_since_sale", since if np.isfinite(since) else None),
                ),
            )
        )
    return items


def missed_products(
    active: BoolArray,
    sold_before: BoolArray,
    accounts: list[AccountInfo],
    products: list[ProductInfo],
    peer_share: float,
    min_peers: int,
    max_per_account: int = 10,
) -> list[AdviceItem]:
    """Products most comparable accounts (same format and ABC tier) sell but this one doesn't.

    ``active``/``sold_before`` are (accounts, products) matrices.
    """
    items: list[AdviceItem] = []
    listed = np.array([p.status == ProductStatus.ACTIVE and not p.is_new for p in products])
    groups: dict[tuple[BusinessFormat, AbcTier], list[int]] = defaultdict(list)
    for a, acc in enumerate(accounts):
        groups[(acc.business_format, acc.abc_tier)].append(a)
    for members in groups.values():
        if len(members) - 1 < min_peers:
            continue
        block = active[members]
        totals = block.sum(axis=0)
        peers = len(members) - 1
        for row, a in enumerate(members):
            share = (totals - block[row]) / peers
            hit = listed & ~block[row] & (share >= peer_share)
            order = np.argsort(-share[hit], kind="stable")[:max_per_account]
            acc = accounts[a]
            for p in np.nonzero(hit)[0][order].tolist():
                prod = products[p]
                stopped = bool(sold_before[a, p])
                pct = float(share[p]) * 100
                what_zh = "曾经销售但近期停订" if stopped else "从未经营"
                what_en = "stopped ordering it" if stopped else "never carried it"
                items.append(
                    AdviceItem(
                        AdviceKind.MISSED_PRODUCT,
                        Severity.HIGH if stopped else Severity.MEDIUM,
                        acc.account_id,
                        prod.product_id,
                        f"同类客户中{pct:.0f}%在销售{prod.name}，本店{what_zh}，建议补订",
                        f"{pct:.0f}% of comparable shops sell {prod.name}; this shop "
                        f"{what_en}: suggest ordering",
                        (
                            ("peer_share", round(float(share[p]), 3)),
                            ("peers", peers),
                            ("stopped", int(stopped)),
                        ),
                    )
                )
    return items


_HIGH_FORMATS = (BusinessFormat.TOBACCO_LIQUOR, BusinessFormat.MALL, BusinessFormat.ENTERTAINMENT)
_LOW_FORMATS = (BusinessFormat.GROCERY, BusinessFormat.CONVENIENCE, BusinessFormat.SUPERMARKET)


def format_fit(price_tier: int, business_format: BusinessFormat) -> int:
    """2 = the format the tier is made for, 1 = acceptable, 0 = does not fit."""
    if price_tier >= 4:
        if business_format == BusinessFormat.TOBACCO_LIQUOR:
            return 2
        return 1 if business_format in _HIGH_FORMATS else 0
    if price_tier <= 2:
        if business_format == BusinessFormat.GROCERY:
            return 2
        return 1 if business_format in _LOW_FORMATS else 0
    return 1


def new_product_placement(
    carried: BoolArray,
    blocked: BoolArray,
    accounts: list[AccountInfo],
    products: list[ProductInfo],
    max_accounts: int,
) -> list[AdviceItem]:
    """Where each new product fits: matching format first, loyal accounts first.

    ``carried`` is (accounts, products); ``blocked`` (accounts,) marks accounts that cannot
    order now (debt at or over the credit limit).
    """
    items: list[AdviceItem] = []
    loyalty_score = {Loyalty.LOYAL: 2, Loyalty.SWITCHING: 1, Loyalty.NONE: 0}
    for p, prod in enumerate(products):
        if not prod.is_new or prod.status != ProductStatus.ACTIVE:
            continue
        ranked: list[tuple[int, str, int, int]] = []
        for a, acc in enumerate(accounts):
            fit = format_fit(prod.price_tier, acc.business_format)
            if fit == 0 or carried[a, p] or blocked[a]:
                continue
            # Format fit first, then loyalty (early adopters), then value tier.
            score = 3 * fit + loyalty_score[acc.loyalty] + (1 if acc.abc_tier == AbcTier.A else 0)
            ranked.append((-score, acc.account_id, a, fit))
        ranked.sort()
        for neg_score, _, a, fit in ranked[:max_accounts]:
            acc = accounts[a]
            loyal = acc.loyalty == Loyalty.LOYAL
            items.append(
                AdviceItem(
                    AdviceKind.NEW_PRODUCT,
                    Severity.MEDIUM if loyal and fit == 2 else Severity.LOW,
                    acc.account_id,
                    prod.product_id,
                    f"新品{prod.name}（价位{prod.price_tier}档）适合本店业态"
                    + ("，且为忠诚客户，建议优先试销" if loyal else "，建议推荐试销"),
                    f"new product {prod.name} (price tier {prod.price_tier}) fits this shop's "
                    + ("format and the owner is loyal: offer it first" if loyal else "format"),
                    (
                        ("price_tier", prod.price_tier),
                        ("format_fit", fit),
                        ("score", -neg_score),
                        ("loyal", int(loyal)),
                    ),
                )
            )
    return items


@dataclass(frozen=True, slots=True)
class HolidayPlanLine:
    product_id: str
    planned_units: float
    normal_units: float


def holiday_plan_item(
    account: AccountInfo,
    holiday_zh: str,
    holiday_en: str,
    holiday_day: date,
    today: date,
    lines: list[HolidayPlanLine],
) -> AdviceItem | None:
    extra = sum(ln.planned_units - ln.normal_units for ln in lines)
    planned = sum(ln.planned_units for ln in lines)
    if planned <= 0:
        return None
    days = (holiday_day - today).days
    top = sorted(lines, key=lambda ln: (-(ln.planned_units - ln.normal_units), ln.product_id))[:5]
    numbers: list[tuple[str, Number]] = [
        ("holiday_day", holiday_day.isoformat()),
        ("days_to_holiday", days),
        ("planned_units", round(planned, 1)),
        ("extra_units", round(extra, 1)),
    ]
    numbers += [(f"plan:{ln.product_id}", round(ln.planned_units, 1)) for ln in top]
    return AdviceItem(
        AdviceKind.HOLIDAY_PLAN,
        Severity.HIGH if days <= 14 else Severity.MEDIUM,
        account.account_id,
        None,
        f"距{holiday_zh}还有{days}天，节前预计需求{planned:.0f}，比平时多{extra:.0f}，请提前备货",
        f"{holiday_en} in {days} days: expected pre-holiday demand {planned:.0f}, "
        f"{extra:.0f} above normal; plan stock now",
        tuple(numbers),
    )


def recount_item(account_id: str, product: ProductInfo, day: date, implied: float) -> AdviceItem:
    return AdviceItem(
        AdviceKind.RECOUNT,
        Severity.INFO,
        account_id,
        product.product_id,
        f"{product.name}在{day.isoformat()}的盘点数推算出负销量{implied:.0f}，请核对盘点或进货记录",
        f"{product.name}: the count on {day.isoformat()} implies negative sales ({implied:.0f}); "
        "check the count or a missing delivery",
        (("count_day", day.isoformat()), ("implied_sales", round(implied, 2))),
    )
