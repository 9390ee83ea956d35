"""Replay ordering policies on real weekly demand: stock carried vs fill rate.

    python benchmarks/inventory_sim.py [--data ../shared/bench/demand/dominicks_oj]

Each series' last 26 weeks are replayed week by week: weekly review, one-week lead time,
unmet demand lost. At the start of week t the order placed a week earlier arrives, the policy
orders up to its target S_t (order = max(0, S_t − on hand)), then week t's demand is served
from stock. The order arrives at t+1, so S_t must cover weeks t and t+1 (protection 2 weeks).

* ours: S_t = forecast(t) + forecast(t+1) + z(default service level) × σ_2 from kamdesk's
  forecaster, refitted every week on the weeks before t and given the planned own price,
  deal, feature and category price of weeks t, t+1 (the same known-in-advance information as
  benchmarks/forecast.py).
* baseline: S_t = 2 × mean of the last 4 weeks + k × sd of the last 4 weeks × √2, with k set
  by bisection so that its fill rate equals ours.

Cycle service level = share of reviews whose demand over the protection period (weeks t, t+1)
stayed within S_t: it checks that the forecast spread is calibrated to the service level.
Fill rate = Σ units served / Σ units demanded over all series and scored weeks. Stock-weeks
of a series = mean end-of-week stock on hand / mean weekly demand over the replay; reported
as the mean over series. Every policy starts each series with the first replay week's demand
on hand. Missing (source-gap) weeks are filled by interpolation so stock flows through them,
but only observed weeks are scored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _demand_data import DEFAULT_DATA, FloatArray, fill_gaps, load_panel
from forecast import REGRESSOR_NAMES, aligned, regressor_cube

from kamdesk.domain.enums import AbcTier
from kamdesk.domain.ordering.config import OrderingConfig
from kamdesk.domain.ordering.forecast import ForecastInput, forecast_panel
from kamdesk.domain.ordering.policy import order_up_to

REPLAY = 26
PROTECTION = 2


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def simulate(
    targets: FloatArray, demand: FloatArray, scored: np.ndarray
) -> tuple[float, float, FloatArray]:
    """(fill rate, mean stock-weeks, per-series stock-weeks) of an order-up-to plan."""
    n, weeks = demand.shape
    on_hand = demand[:, 0].copy()
    arriving = np.zeros(n)
    served_total = 0.0
    demand_total = 0.0
    stock = np.zeros((n, weeks))
    for t in range(weeks):
        on_hand += arriving
        arriving = np.maximum(targets[:, t] - on_hand, 0.0)
        served = np.minimum(on_hand, demand[:, t])
        on_hand -= served
        stock[:, t] = on_hand
        served_total += float(served[scored[:, t]].sum())
        demand_total += float(demand[:, t][scored[:, t]].sum())
    rated = np.array([scored[i].any() and demand[i, scored[i]].sum() > 0 for i in range(n)])
    per_series = np.full(n, np.nan)
    for i in np.nonzero(rated)[0]:
        per_series[i] = stock[i, scored[i]].mean() / demand[i, scored[i]].mean()
    return served_total / demand_total, float(np.nanmean(per_series)), per_series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weeks", type=int, default=REPLAY)
    parser.add_argument(
        "--tier",
        choices=[t.value for t in AbcTier],
        default=AbcTier.B.value,
        help="ABC tier whose default service level ours uses",
    )
    args = parser.parse_args()

    panel = load_panel(args.data)
    n = panel.n_series
    known = ~np.isnan(panel.units)
    last = np.array([int(np.nonzero(r)[0].max()) for r in known])
    reg = regressor_cube(panel)
    filled = fill_gaps(panel.units)
    brand_ids = np.unique(panel.brands)
    groups = np.searchsorted(brand_ids, panel.brands).astype(np.int64)
    level = OrderingConfig().service_level(AbcTier(args.tier))
    replay = args.weeks

    cols = last[:, None] - replay + 1 + np.arange(replay)[None, :]
    first = np.array([int(np.nonzero(r)[0].min()) for r in known])
    inside = cols >= first[:, None]  # a short series has fewer than `replay` weeks
    safe_cols = np.maximum(cols, 0)
    demand = np.where(inside, filled[np.arange(n)[:, None], safe_cols], 0.0)
    scored = inside & known[np.arange(n)[:, None], safe_cols]

    ours_targets = np.zeros((n, replay))
    base_mean = np.zeros((n, replay))
    base_sd = np.zeros((n, replay))
    fit_s = 0.0
    for s in range(replay):
        ends = cols[:, s] - 1  # last week known at the review of week s
        width = int(ends.min()) + 1
        values = aligned(panel.units, ends, width, 0)
        regs = aligned(reg, ends, width, PROTECTION)
        regs = np.where(np.isnan(regs), 0.0, regs)
        t0 = time.perf_counter()
        fc = forecast_panel(
            ForecastInput(
                values=values,
                censored=np.zeros_like(values, dtype=bool),
                groups=groups,
                regressors=regs,
                regressor_names=REGRESSOR_NAMES,
            ),
            PROTECTION,
        )
        _, _, target = order_up_to(
            fc.point, fc.sigma, np.full(n, float(PROTECTION)), np.full(n, level)
        )
        fit_s += time.perf_counter() - t0
        ours_targets[:, s] = target
        recent = aligned(filled, ends, 4, 0)
        base_mean[:, s] = np.nanmean(recent, axis=1)
        base_sd[:, s] = np.nanstd(recent, axis=1, ddof=1)
        if (s + 1) % 5 == 0:
            log(f"review {s + 1}/{replay} ({fit_s:.1f}s forecasting)")

    ours_fill, ours_stock, _ = simulate(ours_targets, demand, scored)
    # Calibration check: share of reviews whose 2-week demand stayed within the target.
    two_weeks = demand[:, :-1] + demand[:, 1:]
    both = scored[:, :-1] & scored[:, 1:]
    cycle_service = float((two_weeks <= ours_targets[:, :-1])[both].mean())

    def baseline(k: float) -> tuple[float, float]:
        targets = PROTECTION * base_mean + k * base_sd * np.sqrt(PROTECTION)
        fill, stock, _ = simulate(targets, demand, scored)
        return fill, stock

    lo, hi = -2.0, 20.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if baseline(mid)[0] < ours_fill:
            lo = mid
        else:
            hi = mid
    k = hi
    base_fill, base_stock = baseline(k)
    zero_fill, zero_stock = baseline(0.0)
    result = {
        "data": str(args.data),
        "series": n,
        "replay_weeks": replay,
        "ours_service_level": level,
        "ours_fill_rate": round(ours_fill, 4),
        "ours_mean_stock_weeks": round(ours_stock, 4),
        "ours_cycle_service_level": round(cycle_service, 4),
        "baseline_k_at_same_fill": round(k, 4),
        "baseline_fill_rate": round(base_fill, 4),
        "baseline_mean_stock_weeks_at_same_fill": round(base_stock, 4),
        "stock_reduction_vs_baseline": round(1.0 - ours_stock / base_stock, 4),
        "baseline_k0_fill_rate": round(zero_fill, 4),
        "baseline_k0_mean_stock_weeks": round(zero_stock, 4),
        "ours_forecast_s": round(fit_s, 2),
        "future_information_used": list(REGRESSOR_NAMES),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
