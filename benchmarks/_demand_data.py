"""Load a demand benchmark folder (``sales_weekly.csv`` in the Dominick's layout) as a panel.

Format (see ``shared/bench/demand/README.md``): one row per store x brand x week with ``units``,
``own_price``, ``deal``, ``feat`` and ``price1..priceK``. Any folder in that layout works (other
stores, other categories): brands and weeks are read from the file, not assumed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "demand" / "dominicks_oj"


@dataclass(frozen=True, slots=True)
class DemandPanel:
    """Weekly series on a common week grid; NaN marks a week without a row (a source gap)."""

    stores: IntArray  # (n,) store of each series
    brands: IntArray  # (n,) brand of each series
    weeks: IntArray  # (T,) week index of each column
    units: FloatArray  # (n, T)
    own_price: FloatArray  # (n, T)
    deal: FloatArray  # (n, T)
    feat: FloatArray  # (n, T)
    category_price: FloatArray  # (n, T) mean price of all brands in that store-week

    @property
    def n_series(self) -> int:
        return int(self.units.shape[0])


def load_panel(folder: Path) -> DemandPanel:
    path = folder / "sales_weekly.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (expected the Dominick's sales_weekly layout)")
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        price_cols = [f for f in fields if f.startswith("price") and f[5:].isdigit()]
        rows = list(reader)
    if not rows:
        raise ValueError(f"{path} has no rows")
    store = np.array([int(r["store"]) for r in rows], dtype=np.int64)
    brand = np.array([int(r["brand"]) for r in rows], dtype=np.int64)
    week = np.array([int(r["week"]) for r in rows], dtype=np.int64)
    units = np.array([float(r["units"]) for r in rows])
    own = np.array([float(r["own_price"]) for r in rows])
    deal = np.array([float(r["deal"]) for r in rows])
    feat = np.array([float(r["feat"]) for r in rows])
    if price_cols:
        prices = np.array([[float(r[c]) for c in price_cols] for r in rows])
        cat = prices.mean(axis=1)
    else:
        cat = own.copy()

    keys = sorted(set(zip(store.tolist(), brand.tolist(), strict=True)))
    key_index = {k: i for i, k in enumerate(keys)}
    weeks = np.arange(int(week.min()), int(week.max()) + 1, dtype=np.int64)
    n, t = len(keys), len(weeks)
    row_idx = np.array(
        [key_index[(s, b)] for s, b in zip(store.tolist(), brand.tolist(), strict=True)]
    )
    col_idx = week - weeks[0]

    def grid(values: FloatArray) -> FloatArray:
        out = np.full((n, t), np.nan)
        out[row_idx, col_idx] = values
        return out

    return DemandPanel(
        stores=np.array([k[0] for k in keys], dtype=np.int64),
        brands=np.array([k[1] for k in keys], dtype=np.int64),
        weeks=weeks,
        units=grid(units),
        own_price=grid(own),
        deal=grid(deal),
        feat=grid(feat),
        category_price=grid(cat),
    )


def fill_gaps(values: FloatArray) -> FloatArray:
    """Linear interpolation along each row over NaN gaps; edges take the nearest value."""
    out = values.copy()
    cols = np.arange(values.shape[1])
    for i in range(values.shape[0]):
        row = out[i]
        ok = ~np.isnan(row)
        if ok.all() or not ok.any():
            continue
        row[~ok] = np.interp(cols[~ok], cols[ok], row[ok])
    return out
