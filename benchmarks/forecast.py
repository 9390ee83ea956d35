"""Forecast accuracy of kamdesk's ordering forecaster against statsforecast baselines.

    python benchmarks/forecast.py [--data ../shared/bench/demand/dominicks_oj]

Protocol (shared/bench/demand/README.md): per series, 6 rolling origins, 4-week horizon; the
window k (0..5) is fitted on weeks <= T-24+4k (T = the series' last observed week) and scored on
the observed weeks among the next 4. MASE / RMSSE use the one-step naive scale of the fitting
history (gaps linearly interpolated for fitting only). Mean (and median) over series x windows.

Future information used by ours: for the 4 forecast weeks, the planned own price, deal flag,
feature share and the mean shelf price of all brands in that store-week (a retailer knows its
own planned prices and promotions, and the category price list). No future sales are used.
The baselines use the sales history only; ``ours_history_only`` is our forecaster without the
planned prices/promotions (the classification-driven damped-trend / SBA / TSB path).
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

from _demand_data import DEFAULT_DATA, DemandPanel, FloatArray, fill_gaps, load_panel

from kamdesk.domain.ordering.forecast import ForecastInput, forecast_panel

REGRESSOR_NAMES = ("log_price", "deal", "feat", "log_category_price")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def regressor_cube(panel: DemandPanel) -> FloatArray:
    """(n, T, 4) regressors on the full week grid, gaps interpolated."""
    return np.stack(
        [
            np.log(fill_gaps(panel.own_price)),
            fill_gaps(panel.deal),
            fill_gaps(panel.feat),
            np.log(fill_gaps(panel.category_price)),
        ],
        axis=2,
    )


def aligned(matrix: FloatArray, ends: np.ndarray, width: int, extra: int) -> FloatArray:
    """Rows of ``matrix`` cut to ``width`` weeks ending at ``ends[i]`` plus ``extra`` after."""
    n, t = matrix.shape[:2]
    offs = np.arange(-width + 1, extra + 1)
    cols = ends[:, None] + offs[None, :]
    valid = (cols >= 0) & (cols < t)
    out = matrix[np.arange(n)[:, None], np.clip(cols, 0, t - 1)]
    if out.ndim == 3:
        return np.where(valid[:, :, None], out, np.nan)
    return np.where(valid, out, np.nan)


def ours(
    panel: DemandPanel, reg: FloatArray, ends: np.ndarray, horizon: int, *, use_plan: bool = True
) -> FloatArray:
    width = int(ends.min()) + 1
    values = aligned(panel.units, ends, width, 0)
    regs = aligned(reg, ends, width, horizon)
    # Weeks before a series starts have no regressors either; they carry no sales, any
    # finite value will do.
    regs = np.where(np.isnan(regs), 0.0, regs)
    brand_ids = np.unique(panel.brands)
    groups = np.searchsorted(brand_ids, panel.brands).astype(np.int64)
    inp = ForecastInput(
        values=values,
        censored=np.zeros_like(values, dtype=bool),
        groups=groups,
        regressors=regs if use_plan else None,
        regressor_names=REGRESSOR_NAMES if use_plan else (),
    )
    return forecast_panel(inp, horizon).point


def baselines(panel: DemandPanel, ends: np.ndarray, horizon: int) -> dict[str, FloatArray]:
    import pandas as pd  # type: ignore[import-untyped]
    from statsforecast import StatsForecast
    from statsforecast.models import (
        ADIDA,
        TSB,
        AutoETS,
        CrostonOptimized,
        Naive,
        SeasonalNaive,
    )

    frames = []
    for i in range(panel.n_series):
        hist = panel.units[i, : max(int(ends[i]) + 1, 0)]
        if np.isnan(hist).all():  # too short for this window: give the baselines one zero
            hist = np.zeros(1)
        start = int(np.argmax(~np.isnan(hist)))
        filled = fill_gaps(hist[None, start:])[0]
        frames.append(
            pd.DataFrame({"unique_id": i, "ds": np.arange(start, start + len(filled)), "y": filled})
        )
    df = pd.concat(frames, ignore_index=True)
    models = [
        Naive(),
        SeasonalNaive(season_length=52),
        CrostonOptimized(),
        TSB(alpha_d=0.1, alpha_p=0.1),
        ADIDA(),
        AutoETS(season_length=1),
    ]
    sf = StatsForecast(models=models, freq=1, n_jobs=1, fallback_model=Naive())
    fc = sf.forecast(df=df, h=horizon)
    fc = fc.sort_values(["unique_id", "ds"])
    out: dict[str, FloatArray] = {}
    for col in ["Naive", "SeasonalNaive", "CrostonOptimized", "TSB", "ADIDA", "AutoETS"]:
        out[col] = fc[col].to_numpy(dtype=np.float64).reshape(panel.n_series, horizon)
    return out


def scores(
    panel: DemandPanel, ends: np.ndarray, forecast: FloatArray, horizon: int
) -> tuple[list[float], list[float]]:
    mase: list[float] = []
    rmsse: list[float] = []
    for i in range(panel.n_series):
        hist = panel.units[i, : max(int(ends[i]) + 1, 0)]
        if np.count_nonzero(~np.isnan(hist)) < 2:
            continue  # no one-step naive scale: the series is too short for this window
        hist = hist[int(np.argmax(~np.isnan(hist))) :]
        diffs = np.diff(fill_gaps(hist[None])[0])
        s1, s2 = float(np.mean(np.abs(diffs))), float(np.mean(diffs**2))
        actual = panel.units[i, ends[i] + 1 : ends[i] + 1 + horizon]
        seen = ~np.isnan(actual)
        if not seen.any() or s1 == 0.0:
            continue
        err = actual[seen] - forecast[i, : len(actual)][seen]
        mase.append(float(np.mean(np.abs(err)) / s1))
        rmsse.append(float(np.sqrt(np.mean(err**2) / s2)))
    return mase, rmsse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument("--horizon", type=int, default=4)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()

    panel = load_panel(args.data)
    known = ~np.isnan(panel.units)
    last = np.array([int(np.nonzero(r)[0].max()) for r in known])
    reg = regressor_cube(panel)
    log(f"{panel.n_series} series, {panel.units.shape[1]} weeks")

    h, w = args.horizon, args.windows
    all_scores: dict[str, tuple[list[float], list[float]]] = {}
    ours_s = 0.0
    base_s = 0.0
    for k in range(w):
        ends = last - h * w + h * k
        t0 = time.perf_counter()
        fc = ours(panel, reg, ends, h)
        ours_s += time.perf_counter() - t0
        named = {"ours": fc, "ours_history_only": ours(panel, reg, ends, h, use_plan=False)}
        if not args.no_baselines:
            t0 = time.perf_counter()
            named.update(baselines(panel, ends, h))
            base_s += time.perf_counter() - t0
        for name, f in named.items():
            m, r = scores(panel, ends, f, h)
            acc = all_scores.setdefault(name, ([], []))
            acc[0].extend(m)
            acc[1].extend(r)
        log(f"window {k + 1}/{w} done (ours {ours_s:.2f}s, baselines {base_s:.1f}s)")

    result: dict[str, object] = {"data": str(args.data), "series": panel.n_series}
    for name, (m, r) in all_scores.items():
        result[f"{name}_mase"] = round(float(np.mean(m)), 4)
        result[f"{name}_rmsse"] = round(float(np.mean(r)), 4)
        result[f"{name}_mase_median"] = round(float(np.median(m)), 4)
        result[f"{name}_rmsse_median"] = round(float(np.median(r)), 4)
    result["series_windows"] = len(all_scores["ours"][0])
    base_names = [n for n in all_scores if not n.startswith("ours")]
    if base_names:
        best = min(base_names, key=lambda n: float(np.mean(all_scores[n][1])))
        best_rmsse = float(np.mean(all_scores[best][1]))
        result["best_baseline"] = best
        result["best_baseline_rmsse"] = round(best_rmsse, 4)
        result["best_baseline_mase"] = round(float(np.mean(all_scores[best][0])), 4)
        ours_rmsse = float(np.mean(all_scores["ours"][1]))
        result["ours_vs_best_rmsse_ratio"] = round(ours_rmsse / best_rmsse, 4)
        result["baselines_s"] = round(base_s, 2)
    result["ours_s"] = round(ours_s, 3)
    result["future_information_used"] = list(REGRESSOR_NAMES)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
