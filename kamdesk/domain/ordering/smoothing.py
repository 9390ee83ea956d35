"""Exponential smoothing over many series at once (rows), with gaps and censored weeks.

Every method loops over weeks and updates all rows together with numpy, so the cost is
``weeks x grid size`` vector operations whatever the number of series. Parameters are picked
per row from a small grid by the in-sample one-step squared error.

Unknown weeks (NaN) leave the state untouched. A censored week (the shop ran out) is an
"at least" observation: it updates the state only when it is above the current forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

DAMPED_GRID: tuple[tuple[float, float, float], ...] = (
    (0.1, 0.0, 1.0),
    (0.2, 0.0, 1.0),
    (0.4, 0.0, 1.0),
    (0.1, 0.05, 0.9),
    (0.2, 0.05, 0.9),
    (0.4, 0.1, 0.9),
)
SBA_GRID: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3)
TSB_GRID: tuple[tuple[float, float], ...] = ((0.1, 0.05), (0.1, 0.1), (0.2, 0.1), (0.3, 0.2))


@dataclass(frozen=True, slots=True)
class SmoothingFit:
    """Per-row forecasts for ``horizon`` weeks, one-step RMSE and the chosen parameters."""

    point: FloatArray  # (n, horizon)
    rmse: FloatArray  # (n,)
    params: FloatArray  # (n, p): meaning given by ``param_names``
    param_names: tuple[str, ...]


def _update_mask(y: FloatArray, censored: BoolArray, forecast: FloatArray) -> BoolArray:
    known = ~np.isnan(y)
    return known & (~censored | (y > forecast))


def _pick(
    sse: FloatArray, points: FloatArray, grid: FloatArray, counts: FloatArray
) -> SmoothingFit:
    """Choose per row the grid entry with the least SSE (sse: (g, n), points: (g, n, h))."""
    best = np.argmin(sse, axis=0)
    rows = np.arange(sse.shape[1])
    rmse = np.sqrt(sse[best, rows] / np.maximum(counts, 1.0))
    return SmoothingFit(points[best, rows], rmse, grid[best], ())


def damped_holt(values: FloatArray, censored: BoolArray, horizon: int) -> SmoothingFit:
    """Additive damped-trend exponential smoothing (Gardner-McKenzie), grid over (α, β, φ)."""
    n, weeks = values.shape
    grid = np.array(DAMPED_GRID)
    sse = np.zeros((len(grid), n))
    points = np.zeros((len(grid), n, horizon))
    counts = np.zeros(n)
    first = _first_known(values)
    for g, (alpha, beta, phi) in enumerate(grid):
        level = first.copy()
        trend = np.zeros(n)
        started = np.zeros(n, dtype=bool)
        cnt = np.zeros(n)
        for t in range(weeks):
            y = values[:, t]
            fc = level + phi * trend
            upd = _update_mask(y, censored[:, t], fc)
            score = upd & started
            err = np.where(score, y - fc, 0.0)
            sse[g] += err * err
            cnt += score
            new_level = np.where(upd, fc + alpha * np.where(upd, y - fc, 0.0), level)
            new_level = np.where(upd & ~started, y, new_level)
            trend = np.where(
                upd & started, phi * trend + beta * (new_level - level - phi * trend), trend
            )
            level = new_level
            started |= upd
        damp = np.cumsum(phi ** np.arange(1, horizon + 1))
        points[g] = np.maximum(level[:, None] + trend[:, None] * damp[None, :], 0.0)
        counts = cnt
    fit = _pick(sse, points, grid, counts)
    return SmoothingFit(fit.point, fit.rmse, fit.params, ("alpha", "beta", "phi"))


def sba(values: FloatArray, censored: BoolArray, horizon: int) -> SmoothingFit:
    """Croston's method with the Syntetos-Boylan bias correction (1 - α/2), grid over α."""
    n, weeks = values.shape
    grid = np.array(SBA_GRID)
    sse = np.zeros((len(grid), n))
    points = np.zeros((len(grid), n, horizon))
    counts = np.zeros(n)
    for g, alpha in enumerate(grid):
        size = np.zeros(n)
        interval = np.ones(n)
        gap = np.ones(n)
        started = np.zeros(n, dtype=bool)
        cnt = np.zeros(n)
        for t in range(weeks):
            y = values[:, t]
            fc = np.where(started, (1 - alpha / 2) * size / interval, 0.0)
            upd = _update_mask(y, censored[:, t], fc)
            score = upd & started
            err = np.where(score, y - fc, 0.0)
            sse[g] += err * err
            cnt += score
            hit = upd & (np.nan_to_num(y) > 0)
            size = np.where(hit, np.where(started, size + alpha * (y - size), y), size)
            interval = np.where(
                hit, np.where(started, interval + alpha * (gap - interval), gap), interval
            )
            started |= hit
            gap = np.where(hit, 1.0, np.where(upd, gap + 1.0, gap))
        fc = np.where(started, (1 - alpha / 2) * size / interval, 0.0)
        points[g] = np.repeat(fc[:, None], horizon, axis=1)
        counts = cnt
    fit = _pick(sse, points, grid[:, None], counts)
    return SmoothingFit(fit.point, fit.rmse, fit.params, ("alpha",))


def tsb(values: FloatArray, censored: BoolArray, horizon: int) -> SmoothingFit:
    """Teunter-Syntetos-Babai: demand probability updated every week, so dead items decay."""
    n, weeks = values.shape
    grid = np.array(TSB_GRID)
    sse = np.zeros((len(grid), n))
    points = np.zeros((len(grid), n, horizon))
    counts = np.zeros(n)
    for g, (alpha, beta) in enumerate(grid):
        prob = np.zeros(n)
        size = np.zeros(n)
        started = np.zeros(n, dtype=bool)
        cnt = np.zeros(n)
        for t in range(weeks):
            y = values[:, t]
            fc = prob * size
            upd = _update_mask(y, censored[:, t], fc)
            score = upd & started
            err = np.where(score, y - fc, 0.0)
            sse[g] += err * err
            cnt += score
            hit = upd & (np.nan_to_num(y) > 0)
            first_hit = hit & ~started
            prob = np.where(upd & started, prob + beta * (hit - prob), prob)
            prob = np.where(first_hit, 1.0, prob)
            size = np.where(hit, np.where(started, size + alpha * (y - size), y), size)
            started |= hit
        points[g] = np.repeat((prob * size)[:, None], horizon, axis=1)
        counts = cnt
    fit = _pick(sse, points, grid, counts)
    return SmoothingFit(fit.point, fit.rmse, fit.params, ("alpha", "beta"))


def _first_known(values: FloatArray) -> FloatArray:
    known = ~np.isnan(values)
    idx = np.argmax(known, axis=1)
    first = values[np.arange(values.shape[0]), idx]
    return np.where(known.any(axis=1), first, 0.0)
