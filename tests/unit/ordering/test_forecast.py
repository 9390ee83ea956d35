from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.cn_calendar import Holiday, spring_festival
from kamdesk.domain.ordering.demand_class import DemandClass, classify
from kamdesk.domain.ordering.errors import InvalidInputError
from kamdesk.domain.ordering.forecast import ForecastInput, Method, forecast_panel
from kamdesk.domain.ordering.holiday_uplift import code_of, label_weeks, learn_uplift

RNG = np.random.default_rng(7)


def _inp(values: np.ndarray, censored: np.ndarray | None = None) -> ForecastInput:
    return ForecastInput(values, np.zeros_like(values, bool) if censored is None else censored)


def _series() -> np.ndarray:
    weeks = 60
    smooth = 50 + RNG.normal(0, 3, weeks)
    erratic = RNG.gamma(0.8, 60, weeks) + 1
    intermittent = np.where(np.arange(weeks) % 3 == 0, 9.0, 0.0)
    lumpy = np.where(RNG.random(weeks) < 0.3, RNG.gamma(0.7, 30, weeks) + 1, 0.0)
    none = np.zeros(weeks)
    short = np.full(weeks, np.nan)
    short[-3:] = [4.0, 6.0, 5.0]
    return np.vstack([smooth, erratic, intermittent, lumpy, none, short])


def test_syntetos_boylan_classes_and_method_choice() -> None:
    values = _series()
    classes, adi, cv2 = classify(values, ~np.isnan(values))
    assert classes == [
        DemandClass.SMOOTH,
        DemandClass.ERRATIC,
        DemandClass.INTERMITTENT,
        DemandClass.LUMPY,
        DemandClass.NO_DEMAND,
        DemandClass.TOO_SHORT,
    ]
    assert adi[2] == pytest.approx(3.0)
    assert cv2[2] == pytest.approx(0.0)
    fc = forecast_panel(_inp(values), 4, calibrate_weeks=0)
    assert fc.methods == (
        Method.DAMPED_TREND,
        Method.DAMPED_TREND,
        Method.SBA,
        Method.TSB,
        Method.ZERO,
        Method.MEAN,
    )
    assert fc.point[0] == pytest.approx(np.full(4, 50.0), rel=0.08)
    # SBA: size 9 every third week -> about 3 a week, less the (1 - α/2) correction.
    assert 2.4 <= fc.point[2, 0] <= 3.05
    assert fc.point[4].tolist() == [0.0] * 4
    assert fc.point[5] == pytest.approx(np.full(4, 5.0))
    w = fc.working(2)
    assert w.method == Method.SBA
    assert w.params[0][0] == "alpha"
    assert w.demand_class == DemandClass.INTERMITTENT


def test_censored_weeks_do_not_drag_the_forecast_down() -> None:
    weeks = 40
    values = np.full((1, weeks), 30.0)
    stockout = np.zeros((1, weeks), dtype=bool)
    values[0, -6::2] = 4.0  # the shop ran out: only 4 sold in those weeks
    stockout[0, -6::2] = True
    naive = forecast_panel(_inp(values), 2, calibrate_weeks=0)
    aware = forecast_panel(_inp(values, stockout), 2, calibrate_weeks=0)
    assert aware.point[0, 0] == pytest.approx(30.0, rel=0.02)
    assert naive.point[0, 0] < aware.point[0, 0] - 3.0


@settings(deadline=None, max_examples=25)
@given(st.integers(12, 40), st.floats(1, 500), st.integers(1, 6))
def test_forecasts_are_finite_and_non_negative(weeks: int, scale: float, horizon: int) -> None:
    rng = np.random.default_rng(weeks)
    values = rng.poisson(scale, (5, weeks)).astype(float)
    values[1] *= rng.random(weeks) < 0.3
    values[2, rng.random(weeks) < 0.2] = np.nan
    cens = rng.random((5, weeks)) < 0.1
    fc = forecast_panel(_inp(values, cens), horizon)
    assert fc.point.shape == (5, horizon)
    assert np.isfinite(fc.point).all()
    assert (fc.point >= 0).all()
    assert (fc.sigma >= 0).all()


def test_price_promo_model_recovers_effects_and_uses_the_plan() -> None:
    n, weeks, h = 30, 70, 2
    rng = np.random.default_rng(3)
    log_p = rng.normal(0, 0.1, (n, weeks + h))
    promo = (rng.random((n, weeks + h)) < 0.15).astype(float)
    log_p[:, weeks] = -0.3  # planned price cut next week
    promo[:, weeks] = 1.0
    log_p[:, weeks + 1] = 0.0
    promo[:, weeks + 1] = 0.0
    level = rng.normal(5, 0.5, n)[:, None]
    y = np.exp(level - 2.5 * log_p + 0.6 * promo + rng.normal(0, 0.05, (n, weeks + h)))
    regs = np.stack([log_p, promo], axis=2)
    inp = ForecastInput(
        y[:, :weeks],
        np.zeros((n, weeks), dtype=bool),
        np.zeros(n, dtype=np.int64),
        regs,
        ("log_price", "promotion"),
    )
    fc = forecast_panel(inp, h)
    assert set(fc.methods) == {Method.PRICE_PROMO}
    params = dict(fc.working(0).params)
    assert params["beta_log_price"] == pytest.approx(-2.5, abs=0.1)
    assert params["beta_promotion"] == pytest.approx(0.6, abs=0.05)
    ratio = fc.point[:, 0] / fc.point[:, 1]
    assert np.median(ratio) == pytest.approx(np.exp(0.75 + 0.6), rel=0.1)
    err = np.abs(fc.point - y[:, weeks:]) / y[:, weeks:]
    assert np.median(err) < 0.1


def test_calibration_only_widens_spreads() -> None:
    values = np.abs(RNG.normal(40, 12, (50, 60)))
    plain = forecast_panel(_inp(values), 3, calibrate_weeks=0)
    calibrated = forecast_panel(_inp(values), 3)
    np.testing.assert_allclose(plain.point, calibrated.point)
    assert (calibrated.sigma >= plain.sigma - 1e-12).all()


def test_bad_shapes_are_rejected() -> None:
    values = np.ones((2, 10))
    with pytest.raises(InvalidInputError):
        forecast_panel(ForecastInput(values, np.zeros((2, 9), bool)), 2)
    with pytest.raises(InvalidInputError):
        forecast_panel(
            ForecastInput(values, np.zeros((2, 10), bool), None, np.ones((2, 11, 1)), ("x",)), 2
        )
    with pytest.raises(InvalidInputError):
        forecast_panel(ForecastInput(-values, np.zeros((2, 10), bool)), 2)


def test_pre_spring_festival_uplift_is_learned_and_applied() -> None:
    first = date(2023, 6, 5)  # a Monday; 90 weeks cover Spring Festival 2024 and 2025
    weeks, horizon = 90, 8
    codes, info = label_weeks(first, weeks + horizon)
    sf_weeks = [(spring_festival(y) - first).days // 7 for y in (2024, 2025)]
    assert info[sf_weeks[0]].holiday == Holiday.SPRING_FESTIVAL
    assert info[sf_weeks[0] - 1].weeks_before == 1
    n = 40
    values = np.full((n, weeks), 100.0) + RNG.normal(0, 5, (n, weeks))
    for sf_week in sf_weeks:
        for k, factor in ((0, 1.3), (1, 1.8), (2, 1.4)):
            values[:, sf_week - k] *= factor
    usable = np.ones_like(values, dtype=bool)
    table = learn_uplift(values, usable, np.zeros(n, dtype=np.int64), 1, codes, prior_weight=5.0)
    shrink = 80 / 85  # 40 series x 2 years against a prior weight of 5
    expected = 1 + 0.8 * shrink
    assert table[0, code_of(Holiday.SPRING_FESTIVAL, 1)] == pytest.approx(expected, rel=0.03)
    assert table[0, 0] == 1.0
    assert table[0, code_of(Holiday.MID_AUTUMN, 0)] == pytest.approx(1.0, abs=0.05)
