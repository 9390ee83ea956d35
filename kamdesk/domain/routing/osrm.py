"""Road-network travel times from an OSRM ``table`` service, cached on disk.

Pairs already in the JSON cache are never fetched again (the app is offline-first). When the
server cannot be reached or answers nonsense, the straight-line estimate is used instead and the
matrix says so (``approximate=True``); such estimates are not cached.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import httpx

from kamdesk.domain.routing.matrix import (
    HaversineMatrixProvider,
    LatLon,
    TravelMatrix,
    TravelMode,
)

DEFAULT_OSRM_PROFILES: Mapping[TravelMode, str] = {
    TravelMode.CAR: "driving",
    TravelMode.EBIKE: "cycling",
    TravelMode.WALK: "foot",
}


def _pair_key(mode: TravelMode, a: LatLon, b: LatLon) -> str:
    return f"{mode.value}|{a.lat:.6f},{a.lon:.6f}|{b.lat:.6f},{b.lon:.6f}"


class OsrmMatrixProvider:
    """``base_url`` like ``http://127.0.0.1:5000``; requests ``/table/v1/<profile>/...``."""

    def __init__(
        self,
        base_url: str,
        cache_path: Path | None = None,
        *,
        profiles: Mapping[TravelMode, str] = DEFAULT_OSRM_PROFILES,
        fallback: HaversineMatrixProvider | None = None,
        timeout_s: float = 10.0,
        max_points: int = 100,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._cache_path = cache_path
        self._profiles = dict(profiles)
        self._fallback = fallback or HaversineMatrixProvider()
        self._timeout = timeout_s
        self._max_points = max(2, max_points)
        self._cache: dict[str, list[float]] = self._load()
        self.requests = 0

    def _load(self) -> dict[str, list[float]]:
        if self._cache_path is None or not self._cache_path.exists():
            return {}
        try:
            raw = json.loads(self._cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged cache is only a cache: start again
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(v, list) and len(v) == 2}

    def _save(self) -> None:
        if self._cache_path is None:
            return
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._cache_path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._cache, fh)
        os.replace(tmp, self._cache_path)

    def _fetch_block(
        self, client: httpx.Client, mode: TravelMode, src: list[LatLon], dst: list[LatLon]
    ) -> None:
        coords = [*src, *dst]
        path = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in coords)
        params = {
            "sources": ";".join(str(i) for i in range(len(src))),
            "destinations": ";".join(str(len(src) + j) for j in range(len(dst))),
            "annotations": "duration,distance",
        }
        url = f"{self._base}/table/v1/{self._profiles[mode]}/{path}"
        self.requests += 1
        response = client.get(url, params=params)
        response.raise_for_status()
        body = response.json()
        if body.get("code") != "Ok":
            raise ValueError(f"OSRM answered {body.get('code')}")
        durations, distances = body["durations"], body["distances"]
        for i, a in enumerate(src):
            for j, b in enumerate(dst):
                sec, met = durations[i][j], distances[i][j]
                if sec is None or met is None:
                    raise ValueError("OSRM found no route")
                self._cache[_pair_key(mode, a, b)] = [float(sec), float(met)]

    def _fetch(self, points: Sequence[LatLon], mode: TravelMode) -> None:
        import httpx  # only when a road network is actually asked (keeps the domain light)

        unique = list(dict.fromkeys(points))
        blocks = [
            unique[i : i + self._max_points // 2]
            for i in range(0, len(unique), max(1, self._max_points // 2))
        ]
        with httpx.Client(timeout=self._timeout) as client:
            for src in blocks:
                for dst in blocks:
                    self._fetch_block(client, mode, src, dst)
        self._save()

    def matrix(self, points: Sequence[LatLon], mode: TravelMode) -> TravelMatrix:
        n = len(points)
        missing = any(
            _pair_key(mode, a, b) not in self._cache for a in points for b in points if a != b
        )
        if missing:
            import httpx

            try:
                self._fetch(points, mode)
            except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError):
                estimate = self._fallback.matrix(points, mode)
                return TravelMatrix(estimate.minutes, estimate.meters, approximate=True)
        minutes = np.zeros((n, n), dtype=np.int64)
        meters = np.zeros((n, n), dtype=np.int64)
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                if a != b:
                    sec, met = self._cache[_pair_key(mode, a, b)]
                    minutes[i, j] = math.ceil(sec / 60.0 - 1e-9)
                    meters[i, j] = round(met)
        return TravelMatrix(minutes, meters)
