"""Syntetos-Boylan demand classes from the average inter-demand interval and CV² of sizes."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49


class DemandClass(StrEnum):
    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"
    NO_DEMAND = "no_demand"  # nothing sold in the usable history
    TOO_SHORT = "too_short"  # fewer usable weeks than needed to judge


DEMAND_CLASS_ZH: dict[DemandClass, str] = {
    DemandClass.SMOOTH: "平稳",
    DemandClass.ERRATIC: "波动",
    DemandClass.INTERMITTENT: "间歇",
    DemandClass.LUMPY: "块状",
    DemandClass.NO_DEMAND: "无销量",
    DemandClass.TOO_SHORT: "数据不足",
}

_CLASS_ORDER = tuple(DemandClass)


def adi_cv2(values: FloatArray, usable: BoolArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per row: (ADI, CV² of non-zero sizes, number of usable weeks).

    ``usable`` excludes unknown and censored weeks. ADI is usable weeks / weeks with demand
    (inf without demand); CV² is 0 with fewer than two non-zero weeks.
    """
    y = np.where(usable, values, 0.0)
    n_use = usable.sum(axis=1).astype(np.float64)
    pos = usable & (y > 0)
    n_pos = pos.sum(axis=1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(n_pos > 0, n_use / np.maximum(n_pos, 1), np.inf)
        mean = np.where(pos, y, 0.0).sum(axis=1) / np.maximum(n_pos, 1)
        var = np.where(pos, (y - mean[:, None]) ** 2, 0.0).sum(axis=1) / np.maximum(n_pos, 1)
        cv2 = np.where((n_pos > 1) & (mean > 0), var / np.maximum(mean, 1e-12) ** 2, 0.0)
    return adi, cv2, n_use


def classify(
    values: FloatArray, usable: BoolArray, *, min_weeks: int = 6
) -> tuple[list[DemandClass], FloatArray, FloatArray]:
    """Demand class per row plus the ADI and CV² behind it."""
    adi, cv2, n_use = adi_cv2(values, usable)
    classes: list[DemandClass] = []
    for a, c, n in zip(adi.tolist(), cv2.tolist(), n_use.tolist(), strict=True):
        if n < min_weeks:
            classes.append(DemandClass.TOO_SHORT)
        elif not np.isfinite(a):
            classes.append(DemandClass.NO_DEMAND)
        elif a < ADI_CUTOFF:
            classes.append(DemandClass.SMOOTH if c < CV2_CUTOFF else DemandClass.ERRATIC)
        else:
            classes.append(DemandClass.INTERMITTENT if c < CV2_CUTOFF else DemandClass.LUMPY)
    return classes, adi, cv2


def class_codes(classes: list[DemandClass]) -> npt.NDArray[np.int64]:
    return np.array([_CLASS_ORDER.index(c) for c in classes], dtype=np.int64)
