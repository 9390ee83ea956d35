"""Log-linear price/promotion model pooled across series, on top of a smoothed level.

    log y[i,t] = level[i,t] + x[i,t] · β[g(i)] + ε

``x`` holds regressors known in advance (log price, promotion flags, ...). β is estimated per
group (a product) with series fixed effects (within estimator) and shrunk towards the estimate
pooled over all groups, so a product with little price variation borrows strength from the
others. The level is an exponentially weighted mean of log y - x·β, with the smoothing weight
chosen per group from a small grid by one-step error. Forecasts are lognormal means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

LEVEL_ALPHAS: tuple[float, ...] = (0.03, 0.06, 0.12, 0.25)
SHRINK_OBS = 20.0  # prior weight of the pooled coefficients, in observations per regressor
VAR_PRIOR_OBS = 10.0  # weight of the group residual variance in each series' variance
BURN_IN = 4  # one-step errors are scored after this many level updates


@dataclass(frozen=True, slots=True)
class RegressionFit:
    point: FloatArray  # (n, h) expected demand per week
    sigma: FloatArray  # (n, h) standard deviation per week
    beta: FloatArray  # (n, k) coefficients used for each row (its group's)
    alpha: FloatArray  # (n,) level smoothing weight
    log_sd: FloatArray  # (n,) residual sd in log space
    level: FloatArray  # (n,) final log level


def _within(rows: IntArray, x: FloatArray, ly: FloatArray, n: int) -> tuple[FloatArray, FloatArray]:
    """Demean ``x`` and ``ly`` per row (series fixed effects)."""
    cnt = np.maximum(np.bincount(rows, minlength=n), 1).astype(np.float64)
    xm = np.stack([np.bincount(rows, weights=x[:, j], minlength=n) for j in range(x.shape[1])], 1)
    ym = np.bincount(rows, weights=ly, minlength=n)
    return x - (xm / cnt[:, None])[rows], ly - (ym / cnt)[rows]


def fit_log_linear(
    values: FloatArray,
    usable: BoolArray,
    censored: BoolArray,
    regressors: FloatArray,
    groups: IntArray,
    horizon: int,
) -> RegressionFit:
    """Fit on weeks ``[0, W)`` of ``values`` (n, W); ``regressors`` is (n, W + horizon, k)."""
    n, weeks = values.shape
    k = regressors.shape[2]
    fit_mask = usable & ~censored & (np.nan_to_num(values) > 0)
    rows, cols = np.nonzero(fit_mask)
    ly_all = np.log(np.where(fit_mask, values, 1.0))
    x = regressors[rows, cols, :]
    xd, yd = _within(rows, x, ly_all[rows, cols], n)
    ridge = 1e-6 * np.eye(k)
    pooled = np.linalg.solve(xd.T @ xd + ridge, xd.T @ yd) if len(rows) > k else np.zeros(k)

    beta = np.zeros((n, k))
    row_group = groups[rows]
    for g in np.unique(groups):
        sel = row_group == g
        a = xd[sel].T @ xd[sel]
        b = xd[sel].T @ yd[sel]
        prior = SHRINK_OBS * np.diag(a) / max(int(sel.sum()), 1) + 1e-9
        lam = np.diag(prior)
        beta[groups == g] = np.linalg.solve(a + lam + ridge, b + lam @ pooled)

    effect = np.einsum("ntk,nk->nt", regressors, beta)
    resid = np.where(fit_mask, ly_all - effect[:, :weeks], np.nan)
    # Censored weeks above the fitted path still say "at least this much".
    cens_pos = censored & (np.nan_to_num(values) > 0)
    cens_log = np.log(np.where(cens_pos, values, 1.0))
    cens_resid = np.where(cens_pos, cens_log - effect[:, :weeks], np.nan)

    alpha = np.full(n, LEVEL_ALPHAS[0])
    level = np.zeros(n)
    sse_rows = np.zeros(n)
    cnt_rows = np.zeros(n)
    group_sse: dict[int, float] = {}
    for a_val in LEVEL_ALPHAS:
        lvl, sse, cnt = _ewma(resid, cens_resid, a_val)
        for g in np.unique(groups):
            sel = groups == g
            total = float(sse[sel].sum())
            if total < group_sse.get(int(g), np.inf):
                group_sse[int(g)] = total
                alpha[sel] = a_val
                level[sel] = lvl[sel]
                sse_rows[sel] = sse[sel]
                cnt_rows[sel] = cnt[sel]
    var = sse_rows / np.maximum(cnt_rows, 1.0)
    group_var = np.zeros(n)
    for g in np.unique(groups):
        sel = groups == g
        group_var[sel] = sse_rows[sel].sum() / max(float(cnt_rows[sel].sum()), 1.0)
    var = (cnt_rows * var + VAR_PRIOR_OBS * group_var) / (cnt_rows + VAR_PRIOR_OBS)

    mu = level[:, None] + effect[:, weeks : weeks + horizon]
    point = np.exp(mu + 0.5 * var[:, None])
    sigma = point * np.sqrt(np.expm1(var))[:, None]
    has_level = np.isfinite(level)
    point = np.where(has_level[:, None], point, 0.0)
    sigma = np.where(has_level[:, None], sigma, 0.0)
    return RegressionFit(point, sigma, beta, alpha, np.sqrt(var), level)


def _ewma(
    resid: FloatArray, cens_resid: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Level per row, one-step SSE and the number of scored steps."""
    n, weeks = resid.shape
    level = np.full(n, np.nan)
    updates = np.zeros(n)
    sse = np.zeros(n)
    cnt = np.zeros(n)
    for t in range(weeks):
        r = resid[:, t]
        known = ~np.isnan(r)
        started = ~np.isnan(level)
        score = known & (updates >= BURN_IN)
        err = np.where(score, r - np.nan_to_num(level), 0.0)
        sse += err * err
        cnt += score
        # A running mean while the level is young, exponential weights after that.
        weight = np.maximum(alpha, 1.0 / (updates + 1.0))
        new = np.where(started, level + weight * (r - np.nan_to_num(level)), r)
        level = np.where(known, new, level)
        c = cens_resid[:, t]
        above = ~np.isnan(c) & (np.nan_to_num(level, nan=-np.inf) < c)
        level = np.where(above, level + alpha * (c - level), level)
        updates += known
    return level, sse, cnt
