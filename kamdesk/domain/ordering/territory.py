"""Territory entry point: sell-through → forecast → suggested orders → advice → margin.

All series (account × product) are processed together as numpy arrays; Python loops only
build the input columns and the output records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from kamdesk.domain.cn_calendar import HOLIDAY_NAMES_EN, HOLIDAY_NAMES_ZH
from kamdesk.domain.enums import ProductStatus
from kamdesk.domain.ordering.advice import (
    AdviceItem,
    HolidayPlanLine,
    SeriesFacts,
    holiday_plan_item,
    missed_products,
    new_product_placement,
    recount_item,
    reorder_and_overstock,
    slow_movers,
    sort_items,
)
from kamdesk.domain.ordering.config import OrderingConfig
from kamdesk.domain.ordering.forecast import ForecastInput, PanelForecast, forecast_panel
from kamdesk.domain.ordering.history_columns import (
    HistoryColumns,
    columns_from_histories,
    positions,
    series_ledger,
)
from kamdesk.domain.ordering.holiday_uplift import (
    HolidayWeek,
    label_weeks,
    learn_uplift,
    uplift_matrix,
)
from kamdesk.domain.ordering.margin import AccountMargin, account_margin
from kamdesk.domain.ordering.market_plan import plan_regressors
from kamdesk.domain.ordering.models import (
    AccountHistory,
    AccountInfo,
    MarketPlan,
    ProductInfo,
)
from kamdesk.domain.ordering.orders import (
    Cap,
    CreditLine,
    OrderSuggestion,
    OrderWorking,
    cap_credit,
    cap_quotas,
    round_to_packs,
)
from kamdesk.domain.ordering.policy import order_up_to, week_weights
from kamdesk.domain.ordering.sellthrough import SellThrough, sell_through

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RECENT_WEEKS_FOR_MARGIN = 8


@dataclass(frozen=True, slots=True)
class AccountAdvice:
    account_id: str
    orders: tuple[OrderSuggestion, ...]  # every product the shop has history for
    advice: tuple[AdviceItem, ...]  # sorted by severity
    margin: AccountMargin
    order_value: float  # Σ suggested qty × wholesale price


@dataclass(frozen=True, slots=True)
class TerritoryAdvice:
    today: date
    first_week: date  # Monday of the first history week
    accounts: tuple[AccountAdvice, ...]  # in the order given
    items: tuple[AdviceItem, ...]  # every account's advice, sorted by severity
    series: tuple[tuple[str, str], ...]  # (account id, product id) of each forecast row
    forecast: PanelForecast
    sell_through: SellThrough

    def account(self, account_id: str) -> AccountAdvice:
        for acc in self.accounts:
            if acc.account_id == account_id:
                return acc
        raise KeyError(account_id)


@dataclass(frozen=True, slots=True)
class _Index:
    accounts: list[AccountInfo]
    products: list[ProductInfo]
    acc_pos: dict[str, int]
    prod_pos: dict[str, int]


def _index(accounts: Sequence[AccountInfo], products: Sequence[ProductInfo]) -> _Index:
    acc_pos, prod_pos = positions(accounts, products)
    return _Index(list(accounts), list(products), acc_pos, prod_pos)


def advise_territory(
    accounts: Sequence[AccountInfo],
    histories: Mapping[str, AccountHistory],
    products: Sequence[ProductInfo],
    today: date,
    config: OrderingConfig | None = None,
    plan: MarketPlan | None = None,
) -> TerritoryAdvice:
    """Orders, advice and margins for every account of a territory as of ``today``."""
    cols = columns_from_histories(accounts, products, histories)
    return advise_territory_columns(accounts, products, cols, today, config, plan)


def advise_territory_columns(
    accounts: Sequence[AccountInfo],
    products: Sequence[ProductInfo],
    columns: HistoryColumns,
    today: date,
    config: OrderingConfig | None = None,
    plan: MarketPlan | None = None,
) -> TerritoryAdvice:
    """Same as :func:`advise_territory`, histories given as columns (database fast path)."""
    cfg = config or OrderingConfig()
    idx = _index(accounts, products)
    ledger, s_acc, s_prod, pending = series_ledger(
        columns, len(idx.accounts), len(idx.products), today
    )
    n = ledger.n_series
    weeks = cfg.history_weeks
    # The horizon must reach past the longest protection period (review + lead time).
    longest = max((a.lead_time_days for a in accounts), default=0) + cfg.review_days
    horizon = max(cfg.horizon_weeks, -(-longest // 7) + 1)
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks)
    st = sell_through(ledger, first_monday.toordinal(), weeks, today.toordinal())

    usable = ~np.isnan(st.sales) & ~st.censored
    codes, week_info = label_weeks(first_monday, weeks + horizon)
    n_prod = len(idx.products)
    uplift_table = learn_uplift(st.sales, usable, s_prod, n_prod, codes, cfg.holiday_prior_weight)
    uplift = uplift_matrix(uplift_table, s_prod, codes)
    regs, reg_names = plan_regressors(
        plan, idx.acc_pos, idx.prod_pos, idx.products, s_acc, s_prod, first_monday, weeks + horizon
    )
    fc = forecast_panel(
        ForecastInput(st.sales, st.censored, s_prod, regs, reg_names, uplift), horizon
    )

    acc_list, prod_list = idx.accounts, idx.products
    lead = np.array([a.lead_time_days for a in acc_list], dtype=np.float64)[s_acc]
    level = np.array([cfg.service_level(a.abc_tier) for a in acc_list])[s_acc]
    pack = np.array([p.pack_size for p in prod_list], dtype=np.int64)[s_prod]
    price = np.array([p.wholesale_price for p in prod_list])[s_prod]
    listed = np.array([p.status == ProductStatus.ACTIVE for p in prod_list])[s_prod]
    quota = np.array(
        [p.allocation_quota if p.allocation_quota is not None else -1 for p in prod_list],
        dtype=np.int64,
    )[s_prod]

    daily = fc.point[:, 0] / 7.0
    has_count = st.last_count_day >= 0
    since = np.where(has_count, today.toordinal() - st.last_count_day, 0).astype(np.float64)
    stock_then = st.last_count_qty + st.delivered_after_last_count
    sold_since = np.minimum(daily * since, np.where(has_count, stock_then, 0.0))
    on_hand = np.where(has_count, np.maximum(stock_then - sold_since, 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        days_cover = np.where(daily > 0, on_hand / np.where(daily > 0, daily, 1.0), np.inf)

    protection_days = cfg.review_days + lead
    # Week 0 of the forecast is the current ISO week; the protection period starts today.
    demand_p, safety, target = order_up_to(
        fc.point, fc.sigma, protection_days / 7.0, level, start=today.weekday() / 7.0
    )
    raw_need = target - on_hand - pending
    urgent = (on_hand + pending) < daily * lead
    rounded = round_to_packs(raw_need, pack, cfg.round_up_fraction, urgent)
    qty = np.where(listed, rounded, 0)
    qty, quota_hit = cap_quotas(qty, pack, quota)
    inside = week_weights(protection_days / 7.0, horizon, today.weekday() / 7.0) > 0
    hol_factor = np.where(inside, uplift[:, weeks : weeks + horizon], 1.0).max(axis=1, initial=1.0)

    # Usual weekly deliveries over the last 8 weeks, for "more / less / steady".
    usual = st.delivered[:, -RECENT_WEEKS_FOR_MARGIN:].mean(axis=1) if weeks else np.zeros(n)
    recent_known = ~np.isnan(st.sales[:, -RECENT_WEEKS_FOR_MARGIN:])
    recent_sales = np.where(recent_known, st.sales[:, -RECENT_WEEKS_FOR_MARGIN:], 0.0)
    recent_weekly = np.where(
        recent_known.any(axis=1),
        recent_sales.sum(axis=1) / np.maximum(recent_known.sum(axis=1), 1),
        fc.point[:, 0],
    )

    # Advice facts.
    lookback = cfg.missed_lookback_weeks
    sold = np.nan_to_num(st.sales) > 0
    active_recent: BoolArray = np.asarray(
        sold[:, -lookback:].any(axis=1) | (st.delivered[:, -lookback:] > 0).any(axis=1),
        dtype=bool,
    )
    sold_before: BoolArray = np.asarray(sold[:, :-lookback].any(axis=1), dtype=bool)
    last_sale = np.where(sold.any(axis=1), weeks - 1 - np.argmax(sold[:, ::-1], axis=1), -1)
    known_any = ~np.isnan(st.sales)
    last_known = np.where(
        known_any.any(axis=1), weeks - 1 - np.argmax(known_any[:, ::-1], axis=1), -1
    )
    weeks_since_sale = np.where(last_sale >= 0, (last_known - last_sale).astype(np.float64), np.inf)
    weeks_since_sale = np.where(known_any.any(axis=1), weeks_since_sale, 0.0)
    best = _best_sellers(s_acc, fc.point[:, 0], len(acc_list))
    facts = SeriesFacts(
        s_acc,
        s_prod,
        on_hand,
        fc.point[:, 0],
        days_cover,
        lead,
        weeks_since_sale,
        active_recent,
        sold_before,
        best,
    )
    items: list[AdviceItem] = []
    items += reorder_and_overstock(facts, acc_list, prod_list, cfg.overstock_weeks)
    items += slow_movers(facts, acc_list, prod_list, cfg.slow_mover_weeks)
    active_m = np.zeros((len(acc_list), n_prod), dtype=bool)
    active_m[s_acc, s_prod] = active_recent
    before_m = np.zeros((len(acc_list), n_prod), dtype=bool)
    before_m[s_acc, s_prod] = sold_before
    carried = np.zeros((len(acc_list), n_prod), dtype=bool)
    carried[s_acc, s_prod] = True
    items += missed_products(
        active_m, before_m, acc_list, prod_list, cfg.missed_peer_share, cfg.min_peers
    )
    blocked = np.array(
        [a.credit_limit is not None and a.outstanding_debt >= a.credit_limit for a in acc_list],
        dtype=bool,
    )
    items += new_product_placement(
        carried, blocked, acc_list, prod_list, cfg.new_product_max_accounts
    )
    items += _holiday_items(
        today, cfg, fc, uplift, weeks, week_info, s_acc, s_prod, acc_list, prod_list
    )
    for flag in st.flags:
        items.append(
            recount_item(
                acc_list[int(s_acc[flag.series])].account_id,
                prod_list[int(s_prod[flag.series])],
                date.fromordinal(flag.day),
                flag.implied_sales,
            )
        )
    items = sort_items(items)

    # Per-account assembly: credit caps, suggestions, margins.
    rows_of: list[list[int]] = [[] for _ in acc_list]
    for i, a in enumerate(s_acc.tolist()):
        rows_of[a].append(i)
    items_of: list[list[AdviceItem]] = [[] for _ in acc_list]
    for it in items:
        items_of[idx.acc_pos[it.account_id]].append(it)
    out: list[AccountAdvice] = []
    for a, account in enumerate(acc_list):
        rows = sorted(rows_of[a], key=lambda i: prod_list[int(s_prod[i])].product_id)
        lines = [
            CreditLine(i, int(qty[i]), int(pack[i]), float(price[i]), float(days_cover[i]))
            for i in rows
            if qty[i] > 0
        ]
        capped_qty, credit_hit, over_limit = cap_credit(
            lines, account.credit_limit, account.outstanding_debt
        )
        suggestions: list[OrderSuggestion] = []
        margin_rows: list[tuple[str, float, float, float]] = []
        for i in rows:
            prod = prod_list[int(s_prod[i])]
            final = capped_qty.get(i, int(qty[i]))
            caps: list[Cap] = []
            if not listed[i]:
                caps.append(Cap.DELISTED)
            if quota_hit[i]:
                caps.append(Cap.QUOTA)
            if over_limit and qty[i] > 0:
                caps.append(Cap.DEBT_OVER_LIMIT)
            elif credit_hit and final < qty[i]:
                caps.append(Cap.CREDIT)
            if listed[i] and rounded[i] == 0 and raw_need[i] > 0:
                caps.append(Cap.BELOW_PACK_THRESHOLD)
            last_day = int(st.last_count_day[i])
            working = OrderWorking(
                method=fc.methods[i].value,
                demand_class=fc.classes[i].value,
                forecast_weekly=tuple(fc.point[i].tolist()),
                forecast_sd_weekly=tuple(fc.sigma[i].tolist()),
                protection_days=int(protection_days[i]),
                demand_over_protection=float(demand_p[i]),
                service_level=float(level[i]),
                safety_stock=float(safety[i]),
                target_stock=float(target[i]),
                last_count_day=date.fromordinal(last_day) if last_day >= 0 else None,
                last_count_qty=float(st.last_count_qty[i]),
                delivered_since_count=float(st.delivered_after_last_count[i]),
                sold_since_count_est=float(sold_since[i]),
                on_hand_est=float(on_hand[i]),
                on_order=float(pending[i]),
                raw_need=float(raw_need[i]),
                pack_size=int(pack[i]),
                rounded_qty=int(rounded[i]),
                caps=tuple(caps),
                holiday_uplift=float(hol_factor[i]),
            )
            suggestions.append(
                OrderSuggestion(
                    account.account_id,
                    prod.product_id,
                    final,
                    final // int(pack[i]),
                    final * float(price[i]),
                    float(days_cover[i]),
                    float(usual[i]) * cfg.review_days / 7.0,
                    working,
                )
            )
            margin_rows.append(
                (prod.product_id, float(recent_weekly[i]), prod.retail_price, prod.wholesale_price)
            )
        out.append(
            AccountAdvice(
                account.account_id,
                tuple(suggestions),
                tuple(items_of[a]),
                account_margin(account.account_id, margin_rows),
                sum(s.value for s in suggestions),
            )
        )
    series = tuple(
        (acc_list[int(a)].account_id, prod_list[int(p)].product_id)
        for a, p in zip(s_acc, s_prod, strict=True)
    )
    return TerritoryAdvice(today, first_monday, tuple(out), tuple(items), series, fc, st)


def _best_sellers(acc: IntArray, weekly: FloatArray, n_acc: int) -> BoolArray:
    """Top fifth (at least one) of each account's products by forecast volume."""
    best = np.zeros(len(acc), dtype=bool)
    order = np.lexsort((-weekly, acc))
    start = 0
    counts = np.bincount(acc, minlength=n_acc)
    for c in counts.tolist():
        if c:
            k = max(1, c // 5)
            top = order[start : start + k]
            best[top] = weekly[top] > 0
        start += c
    return best


def _holiday_items(
    today: date,
    cfg: OrderingConfig,
    fc: PanelForecast,
    uplift: FloatArray,
    weeks: int,
    week_info: Mapping[int, HolidayWeek],
    s_acc: IntArray,
    s_prod: IntArray,
    acc_list: list[AccountInfo],
    prod_list: list[ProductInfo],
) -> list[AdviceItem]:
    future = {
        w - weeks: info for w, info in week_info.items() if weeks <= w < weeks + fc.point.shape[1]
    }
    upcoming = [
        info
        for info in future.values()
        if 0 <= (info.holiday_day - today).days <= 7 * cfg.holiday_plan_weeks
    ]
    if not upcoming:
        return []
    target = min(upcoming, key=lambda h: h.holiday_day)
    cols = [k for k, info in future.items() if info.holiday_day == target.holiday_day]
    planned = fc.point[:, cols].sum(axis=1)
    normal = (fc.point[:, cols] / np.maximum(uplift[:, [weeks + k for k in cols]], 1e-9)).sum(
        axis=1
    )
    per_acc: list[list[HolidayPlanLine]] = [[] for _ in acc_list]
    for i in np.nonzero(planned > 0)[0].tolist():
        prod = prod_list[int(s_prod[i])]
        if prod.status != ProductStatus.ACTIVE:
            continue
        per_acc[int(s_acc[i])].append(
            HolidayPlanLine(prod.product_id, float(planned[i]), float(normal[i]))
        )
    items: list[AdviceItem] = []
    for a, lines in enumerate(per_acc):
        item = holiday_plan_item(
            acc_list[a],
            HOLIDAY_NAMES_ZH[target.holiday],
            HOLIDAY_NAMES_EN[target.holiday],
            target.holiday_day,
            today,
            lines,
        )
        if item is not None:
            items.append(item)
    return items
