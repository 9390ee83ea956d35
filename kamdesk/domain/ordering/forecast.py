"""Weekly demand forecasts for many series at once, with the method and parameters shown.

Each series is classified (Syntetos-Boylan) and sent to a method that suits it:

* smooth / erratic with known price or promotion regressors: pooled log-linear model
  (:mod:`.regression`);
* smooth / erratic otherwise: damped-trend exponential smoothing;
* intermittent: SBA (bias-corrected Croston); lumpy: TSB (decays dead items);
* too short: mean of the usable weeks; no demand: zero.

A calendar ``uplift`` (e.g. learned pre-holiday effects) is divided out of the history and
multiplied back into the forecast, whatever the method.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kamdesk.domain.ordering.demand_class import DemandClass, classify
from kamdesk.domain.ordering.errors import InvalidInputError
from kamdesk.domain.ordering.regression import fit_log_linear
from kamdesk.domain.ordering.smoothing import damped_holt, sba, tsb

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MIN_WEEKS = 6
REGRESSION_MIN_POSITIVE = 0.9  # share of usable weeks with sales needed for the log model
TAIL_LEVEL = 0.95  # calibration matches this quantile of standardised errors ...
TAIL_Z = 1.6448536269514722  # ... to the normal one


class Method(StrEnum):
    PRICE_PROMO = "price_promo_loglinear"
    DAMPED_TREND = "damped_trend_es"
    SBA = "sba"
    TSB = "tsb"
    MEAN = "mean"
    ZERO = "zero"


METHOD_ZH: dict[Method, str] = {
    Method.PRICE_PROMO: "价格促销对数线性模型",
    Method.DAMPED_TREND: "阻尼趋势指数平滑",
    Method.SBA: "SBA间歇需求法",
    Method.TSB: "TSB间歇需求法",
    Method.MEAN: "历史均值",
    Method.ZERO: "零需求",
}


@dataclass(frozen=True, slots=True)
class ForecastInput:
    values: FloatArray  # (n, W) weekly demand, NaN where unknown
    censored: BoolArray  # (n, W) stock ran out: the value is a lower bound
    groups: IntArray | None = None  # (n,) pooling group (e.g. product) for the log model
    regressors: FloatArray | None = None  # (n, W + h, k) known past and planned future
    regressor_names: tuple[str, ...] = ()
    uplift: FloatArray | None = None  # (n, W + h) multiplicative calendar effect

    def validate(self, horizon: int) -> None:
        n, weeks = self.values.shape
        if self.censored.shape != (n, weeks):
            raise InvalidInputError("censored mask must have the shape of values")
        if self.regressors is not None:
            if self.regressors.shape[:2] != (n, weeks + horizon):
                raise InvalidInputError("regressors must be (n, weeks + horizon, k)")
            if not np.isfinite(self.regressors).all():
                raise InvalidInputError("regressors must be finite (fill gaps first)")
            if len(self.regressor_names) != self.regressors.shape[2]:
                raise InvalidInputError("one name per regressor")
        if self.uplift is not None and self.uplift.shape != (n, weeks + horizon):
            raise InvalidInputError("uplift must be (n, weeks + horizon)")
        if self.groups is not None and self.groups.shape != (n,):
            raise InvalidInputError("groups must be (n,)")
        if np.any(np.nan_to_num(self.values) < 0):
            raise InvalidInputError("demand must be >= 0")


@dataclass(frozen=True, slots=True)
class ForecastWorking:
    """How one series was forecast (for "show the working")."""

    demand_class: DemandClass
    adi: float
    cv2: float
    method: Method
    params: tuple[tuple[str, float], ...]
    point: tuple[float, ...]
    sigma: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PanelForecast:
    point: FloatArray  # (n, h) expected demand per week
    sigma: FloatArray  # (n, h) standard deviation per week
    classes: tuple[DemandClass, ...]
    adi: FloatArray
    cv2: FloatArray
    methods: tuple[Method, ...]
    params: tuple[tuple[tuple[str, float], ...], ...]

    def working(self, i: int) -> ForecastWorking:
        return ForecastWorking(
            self.classes[i],
            float(self.adi[i]),
            float(self.cv2[i]),
            self.methods[i],
            self.params[i],
            tuple(float(v) for v in self.point[i]),
            tuple(float(v) for v in self.sigma[i]),
        )


def forecast_panel(inp: ForecastInput, horizon: int, *, calibrate_weeks: int = 8) -> PanelForecast:
    """Forecast ``horizon`` weeks after the last column of ``inp.values``.

    With ``calibrate_weeks`` > 0 the spreads are calibrated out of sample: the same methods
    are fitted without the last ``calibrate_weeks`` weeks, their errors on those weeks are
    compared with the spreads they predicted, and each method's spreads are scaled up by the
    ratio (never down). In-sample errors alone understate the uncertainty.
    """
    inp.validate(horizon)
    fc = _forecast(inp, horizon)
    weeks = inp.values.shape[1]
    if calibrate_weeks <= 0 or weeks < calibrate_weeks + 3 * MIN_WEEKS:
        return fc
    back = _forecast(_truncate(inp, weeks - calibrate_weeks, calibrate_weeks), calibrate_weeks)
    actual = inp.values[:, weeks - calibrate_weeks :]
    seen = ~np.isnan(actual) & ~inp.censored[:, weeks - calibrate_weeks :]
    sigma = fc.sigma.copy()
    methods = np.array([m.value for m in fc.methods])
    back_methods = np.array([m.value for m in back.methods])
    for method in np.unique(methods):
        rows = (methods == method) & (back_methods == method)
        ok = seen & rows[:, None]
        if ok.sum() < 20:
            continue
        err = (np.nan_to_num(actual) - back.point)[ok]
        pred = back.sigma[ok]
        pred2 = float((pred**2).mean())
        if pred2 <= 0:
            continue
        rms_ratio = float(np.sqrt((err**2).mean() / pred2))
        # Demand errors are skewed (promotion spikes): also match the upper tail.
        tail = err[pred > 0] / pred[pred > 0]
        tail_ratio = float(np.quantile(tail, TAIL_LEVEL)) / TAIL_Z if len(tail) else 0.0
        sigma[methods == method] *= max(1.0, rms_ratio, tail_ratio)
    return PanelForecast(fc.point, sigma, fc.classes, fc.adi, fc.cv2, fc.methods, fc.params)


def _truncate(inp: ForecastInput, weeks: int, horizon: int) -> ForecastInput:
    return ForecastInput(
        values=inp.values[:, :weeks],
        censored=inp.censored[:, :weeks],
        groups=inp.groups,
        regressors=None if inp.regressors is None else inp.regressors[:, : weeks + horizon],
        regressor_names=inp.regressor_names,
        uplift=None if inp.uplift is None else inp.uplift[:, : weeks + horizon],
    )


def _forecast(inp: ForecastInput, horizon: int) -> PanelForecast:
    n, weeks = inp.values.shape
    values = inp.values
    if inp.uplift is not None:
        values = values / np.maximum(inp.uplift[:, :weeks], 1e-9)
    usable = ~np.isnan(values) & ~inp.censored
    classes, adi, cv2 = classify(values, usable, min_weeks=MIN_WEEKS)

    point = np.zeros((n, horizon))
    sigma = np.zeros((n, horizon))
    methods: list[Method] = [Method.ZERO] * n
    params: list[tuple[tuple[str, float], ...]] = [()] * n
    cls = np.array([c.value for c in classes])
    steady = np.isin(cls, [DemandClass.SMOOTH.value, DemandClass.ERRATIC.value])

    if inp.regressors is not None:
        pos_share = (usable & (np.nan_to_num(values) > 0)).sum(1) / np.maximum(usable.sum(1), 1)
        reg_rows = np.nonzero(steady & (pos_share >= REGRESSION_MIN_POSITIVE))[0]
        if len(reg_rows):
            groups = inp.groups if inp.groups is not None else np.zeros(n, dtype=np.int64)
            fit = fit_log_linear(
                values[reg_rows],
                usable[reg_rows],
                inp.censored[reg_rows],
                inp.regressors[reg_rows],
                groups[reg_rows],
                horizon,
            )
            point[reg_rows] = fit.point
            sigma[reg_rows] = fit.sigma
            for j, i in enumerate(reg_rows.tolist()):
                methods[i] = Method.PRICE_PROMO
                named = tuple(
                    (f"beta_{name}", float(b))
                    for name, b in zip(inp.regressor_names, fit.beta[j], strict=True)
                )
                params[i] = (
                    ("alpha", float(fit.alpha[j])),
                    ("log_sd", float(fit.log_sd[j])),
                    *named,
                )
            steady[reg_rows] = False

    runs = (
        (np.nonzero(steady)[0], damped_holt, Method.DAMPED_TREND),
        (np.nonzero(cls == DemandClass.INTERMITTENT.value)[0], sba, Method.SBA),
        (np.nonzero(cls == DemandClass.LUMPY.value)[0], tsb, Method.TSB),
    )
    for rows, method_fn, method in runs:
        if not len(rows):
            continue
        sfit = method_fn(values[rows], inp.censored[rows], horizon)
        point[rows] = sfit.point
        sigma[rows] = np.repeat(sfit.rmse[:, None], horizon, axis=1)
        for j, i in enumerate(rows.tolist()):
            methods[i] = method
            params[i] = tuple(
                (name, float(v)) for name, v in zip(sfit.param_names, sfit.params[j], strict=True)
            )

    # Too little usable data, or only censored sales: the mean of every known week (censored
    # ones included, as lower bounds) beats forecasting zero for a shop that keeps selling out.
    known = ~np.isnan(values)
    censored_sales = (inp.censored & known & (np.nan_to_num(values) > 0)).any(axis=1)
    short_rows = (cls == DemandClass.TOO_SHORT.value) | (
        (cls == DemandClass.NO_DEMAND.value) & censored_sales
    )
    short = np.nonzero(short_rows)[0]
    if len(short):
        use = known[short]
        vals = np.where(use, values[short], 0.0)
        cnt = np.maximum(use.sum(axis=1), 1)
        mean = vals.sum(axis=1) / cnt
        sd = np.sqrt(np.where(use, (vals - mean[:, None]) ** 2, 0.0).sum(axis=1) / cnt)
        point[short] = mean[:, None]
        sigma[short] = np.maximum(sd, mean)[:, None]  # little data: be generous
        for i in short.tolist():
            methods[i] = Method.MEAN

    if inp.uplift is not None:
        future = inp.uplift[:, weeks : weeks + horizon]
        point *= future
        sigma *= future
    return PanelForecast(point, sigma, tuple(classes), adi, cv2, tuple(methods), tuple(params))
