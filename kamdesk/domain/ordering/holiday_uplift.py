"""Pre-holiday uplift learned from history (Spring Festival, Mid-Autumn, National Day).

Each week is labelled "k weeks before holiday h" (k = 0 is the week holding the holiday's
first day) using the real dates from :mod:`kamdesk.domain.cn_calendar`. Per product and label
the uplift is the pooled ratio Σ sales / Σ baseline over every account and past occurrence,
where the baseline is the mean of weeks 4-10 before the labelled week. It is shrunk towards 1
with a prior weight (in series-occurrences), so one odd year cannot move the plan much.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from kamdesk.domain.cn_calendar import Holiday, holidays_between

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

UPLIFT_HOLIDAYS: tuple[Holiday, ...] = (
    Holiday.SPRING_FESTIVAL,
    Holiday.MID_AUTUMN,
    Holiday.NATIONAL_DAY,
)
WEEKS_BEFORE = 3  # labels k = 0, 1, 2
BASELINE_LAGS = range(4, 11)
MIN_BASELINE_WEEKS = 3
UPLIFT_BOUNDS = (0.5, 4.0)


@dataclass(frozen=True, slots=True)
class HolidayWeek:
    holiday: Holiday
    weeks_before: int
    holiday_day: date


def label_weeks(first_monday: date, n_weeks: int) -> tuple[IntArray, dict[int, HolidayWeek]]:
    """Code per week (0 = ordinary) and, per week index, which holiday window it is in."""
    codes = np.zeros(n_weeks, dtype=np.int64)
    info: dict[int, HolidayWeek] = {}
    last = first_monday + timedelta(days=7 * n_weeks + 7 * WEEKS_BEFORE)
    for h in holidays_between(first_monday, last):
        if h.holiday not in UPLIFT_HOLIDAYS:
            continue
        h_week = (h.day - first_monday).days // 7
        for k in range(WEEKS_BEFORE):
            w = h_week - k
            if 0 <= w < n_weeks and (codes[w] == 0 or info[w].weeks_before > k):
                codes[w] = 1 + UPLIFT_HOLIDAYS.index(h.holiday) * WEEKS_BEFORE + k
                info[w] = HolidayWeek(h.holiday, k, h.day)
    return codes, info


def code_of(holiday: Holiday, weeks_before: int) -> int:
    return 1 + UPLIFT_HOLIDAYS.index(holiday) * WEEKS_BEFORE + weeks_before


def learn_uplift(
    values: FloatArray,
    usable: BoolArray,
    groups: IntArray,
    n_groups: int,
    codes: IntArray,
    prior_weight: float,
) -> FloatArray:
    """(n_groups, n_codes) multiplicative uplift; column 0 (ordinary weeks) is 1."""
    n_codes = 1 + len(UPLIFT_HOLIDAYS) * WEEKS_BEFORE
    uplift = np.ones((n_groups, n_codes))
    weeks = values.shape[1]
    y = np.where(usable, values, 0.0)
    num = np.zeros((n_groups, n_codes))
    den = np.zeros((n_groups, n_codes))
    cnt = np.zeros((n_groups, n_codes))
    for w in np.nonzero(codes[:weeks] > 0)[0].tolist():
        lags = [w - lag for lag in BASELINE_LAGS if w - lag >= 0]
        if len(lags) < MIN_BASELINE_WEEKS:
            continue
        base_use = usable[:, lags]
        n_base = base_use.sum(axis=1)
        ok = usable[:, w] & (n_base >= MIN_BASELINE_WEEKS)
        base = y[:, lags].sum(axis=1) / np.maximum(n_base, 1)
        ok &= base > 0
        c = int(codes[w])
        num[:, c] += np.bincount(groups[ok], weights=y[ok, w], minlength=n_groups)
        den[:, c] += np.bincount(groups[ok], weights=base[ok], minlength=n_groups)
        cnt[:, c] += np.bincount(groups[ok], minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)
    shrunk = 1.0 + (raw - 1.0) * cnt / (cnt + prior_weight)
    uplift[:, 1:] = np.clip(shrunk[:, 1:], *UPLIFT_BOUNDS)
    return uplift


def uplift_matrix(uplift: FloatArray, groups: IntArray, codes: IntArray) -> FloatArray:
    """(n, weeks) factor of each series in each week."""
    out: FloatArray = uplift[groups[:, None], codes[None, :]]
    return out
