"""Order-up-to arithmetic shared by the order suggestions and the inventory benchmark.

Protection period P = review period + lead time (in weeks, may be fractional). The target
stock is the forecast demand over P plus safety stock z(service level) × σ_P, where σ_P
combines the weekly forecast spreads as independent errors (σ_P² = Σ w_k σ_k², w_k the share
of week k inside P).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def week_weights(protection_weeks: FloatArray, horizon: int, start: float = 0.0) -> FloatArray:
    """(n, horizon) share of each forecast week inside ``[start, start + protection)``.

    ``start`` is how far into forecast week 0 "now" is (e.g. 2/7 on a Wednesday).
    """
    k = np.arange(horizon, dtype=np.float64)[None, :]
    end = start + protection_weeks[:, None]
    w: FloatArray = np.clip(np.minimum(k + 1.0, end) - np.maximum(k, start), 0.0, 1.0)
    return w


def order_up_to(
    point: FloatArray,
    sigma: FloatArray,
    protection_weeks: FloatArray,
    service_level: FloatArray,
    start: float = 0.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(demand over P, safety stock, target) per row."""
    w = week_weights(protection_weeks, point.shape[1], start)
    demand = (w * point).sum(axis=1)
    sd = np.sqrt((w * sigma**2).sum(axis=1))
    z = normal_quantile(service_level)
    safety = np.maximum(z * sd, 0.0)
    return demand, safety, demand + safety


def normal_quantile(p: FloatArray) -> FloatArray:
    """Standard normal quantile per element (few distinct levels: computed once each)."""
    levels, inverse = np.unique(p, return_inverse=True)
    z = np.array([NormalDist().inv_cdf(float(v)) for v in levels])
    out: FloatArray = z[inverse.reshape(p.shape)]
    return out
