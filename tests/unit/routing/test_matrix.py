from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from kamdesk.domain.routing import (
    CachingMatrixProvider,
    HaversineMatrixProvider,
    LatLon,
    ModeProfile,
    TravelMatrix,
    TravelMode,
)
from kamdesk.domain.routing.matrix import haversine_m


def test_haversine_one_degree_of_latitude() -> None:
    assert haversine_m(LatLon(30.0, 120.0), LatLon(31.0, 120.0)) == pytest.approx(111_195, rel=1e-3)


def test_provider_applies_detour_and_speed_rounding_up() -> None:
    provider = HaversineMatrixProvider(
        {TravelMode.CAR: ModeProfile(speed_kmh=30.0, detour_factor=1.5)}
    )
    a, b = LatLon(31.0, 121.0), LatLon(31.01, 121.0)  # ~1112 m apart
    m = provider.matrix([a, b, a], TravelMode.CAR)
    assert m.meters[0, 1] == pytest.approx(1668, abs=2)
    assert m.minutes[0, 1] == 4  # 1668 m at 500 m/min = 3.3 -> 4
    assert m.minutes[0, 2] == 0
    assert m.meters[0, 0] == 0
    assert (m.minutes == m.minutes.T).all()


class _Counting:
    def __init__(self) -> None:
        self.calls = 0
        self.inner = HaversineMatrixProvider()

    def matrix(self, points: Sequence[LatLon], mode: TravelMode) -> TravelMatrix:
        self.calls += 1
        m = self.inner.matrix(points, mode)
        return TravelMatrix(m.minutes, m.meters, approximate=True)


def test_cache_answers_known_pairs_without_asking_again() -> None:
    inner = _Counting()
    cache = CachingMatrixProvider(inner)
    pts = [LatLon(31.0, 121.0), LatLon(31.02, 121.01), LatLon(31.03, 121.05)]
    first = cache.matrix(pts, TravelMode.CAR)
    again = cache.matrix(list(reversed(pts[:2])), TravelMode.CAR)
    assert inner.calls == 1
    assert again.minutes[0, 1] == first.minutes[1, 0]
    assert first.approximate
    assert again.approximate
    cache.matrix(pts, TravelMode.WALK)
    assert inner.calls == 2
    direct = HaversineMatrixProvider().matrix(pts, TravelMode.CAR)
    assert np.array_equal(first.minutes, direct.minutes)
