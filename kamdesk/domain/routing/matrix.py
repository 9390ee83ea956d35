"""Travel times and distances between coordinates, behind a small provider protocol.

The planner only needs ``MatrixProvider.matrix(points, mode)``; the default estimates travel
from great-circle distance (haversine x detour factor / speed). A road-network provider
(``osrm.OsrmMatrixProvider``) plugs in behind the same protocol.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8

IntMatrix = npt.NDArray[np.int64]


class TravelMode(StrEnum):
    CAR = "car"
    EBIKE = "ebike"
    WALK = "walk"


@dataclass(frozen=True, slots=True)
class LatLon:
    lat: float
    lon: float

    @property
    def valid(self) -> bool:
        return (
            math.isfinite(self.lat)
            and math.isfinite(self.lon)
            and -90.0 <= self.lat <= 90.0
            and -180.0 <= self.lon <= 180.0
        )


@dataclass(frozen=True, slots=True)
class ModeProfile:
    """Average door-to-door speed and how much longer streets are than the straight line."""

    speed_kmh: float
    detour_factor: float


DEFAULT_PROFILES: Mapping[TravelMode, ModeProfile] = {
    TravelMode.CAR: ModeProfile(speed_kmh=25.0, detour_factor=1.35),  # city traffic
    TravelMode.EBIKE: ModeProfile(speed_kmh=15.0, detour_factor=1.25),
    TravelMode.WALK: ModeProfile(speed_kmh=4.5, detour_factor=1.2),
}


@dataclass(frozen=True, slots=True, eq=False)
class TravelMatrix:
    """Whole minutes (rounded up) and metres between ``points[i]`` and ``points[j]``.

    ``approximate`` is set when a road provider fell back to the straight-line estimate.
    """

    minutes: IntMatrix
    meters: IntMatrix
    approximate: bool = False


class MatrixProvider(Protocol):
    def matrix(self, points: Sequence[LatLon], mode: TravelMode) -> TravelMatrix: ...


def haversine_m(a: LatLon, b: LatLon) -> float:
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _haversine_matrix(points: Sequence[LatLon]) -> npt.NDArray[np.float64]:
    lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
    lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
    dphi = lat[None, :] - lat[:, None]
    dlmb = lon[None, :] - lon[:, None]
    h = np.sin(dphi / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlmb / 2) ** 2
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return result


def minutes_for(
    meters: npt.NDArray[np.float64] | npt.NDArray[np.int64], speed_kmh: float
) -> IntMatrix:
    """Whole minutes, rounded up, so plans never promise faster travel than estimated."""
    raw = np.asarray(meters, dtype=np.float64) / (speed_kmh * 1000.0 / 60.0)
    return np.ceil(raw - 1e-9).astype(np.int64)


@dataclass(frozen=True, slots=True)
class HaversineMatrixProvider:
    """Straight-line distance x detour factor at the mode's average speed."""

    profiles: Mapping[TravelMode, ModeProfile] = field(
        default_factory=lambda: dict(DEFAULT_PROFILES)
    )

    def matrix(self, points: Sequence[LatLon], mode: TravelMode) -> TravelMatrix:
        profile = self.profiles[mode]
        if not points:
            empty = np.zeros((0, 0), dtype=np.int64)
            return TravelMatrix(minutes=empty, meters=empty)
        road = _haversine_matrix(points) * profile.detour_factor
        meters = np.rint(road).astype(np.int64)
        np.fill_diagonal(meters, 0)
        minutes = minutes_for(meters, profile.speed_kmh)
        return TravelMatrix(minutes=minutes, meters=meters)


def _key(p: LatLon) -> tuple[float, float]:
    # ~1 cm resolution: the same shop typed twice hits the same cache entry.
    return (round(p.lat, 7), round(p.lon, 7))


class CachingMatrixProvider:
    """Memoises pairs from an inner provider; asks it only about point sets with unknown pairs."""

    def __init__(self, inner: MatrixProvider) -> None:
        self._inner = inner
        self._pairs: dict[
            tuple[TravelMode, tuple[float, float], tuple[float, float]], tuple[int, int]
        ] = {}
        self._approximate: set[tuple[TravelMode, tuple[float, float], tuple[float, float]]] = set()
        self.inner_calls = 0

    def matrix(self, points: Sequence[LatLon], mode: TravelMode) -> TravelMatrix:
        keys = [_key(p) for p in points]
        n = len(keys)
        known = all(
            (mode, keys[i], keys[j]) in self._pairs for i in range(n) for j in range(n) if i != j
        )
        if not known:
            self.inner_calls += 1
            fresh = self._inner.matrix(points, mode)
            for i in range(n):
                for j in range(n):
                    if i != j:
                        pair = (mode, keys[i], keys[j])
                        self._pairs[pair] = (int(fresh.minutes[i, j]), int(fresh.meters[i, j]))
                        if fresh.approximate:
                            self._approximate.add(pair)
                        else:
                            self._approximate.discard(pair)
        minutes = np.zeros((n, n), dtype=np.int64)
        meters = np.zeros((n, n), dtype=np.int64)
        approximate = False
        for i in range(n):
            for j in range(n):
                if i != j:
                    pair = (mode, keys[i], keys[j])
                    minutes[i, j], meters[i, j] = self._pairs[pair]
                    approximate = approximate or pair in self._approximate
        return TravelMatrix(minutes=minutes, meters=meters, approximate=approximate)
