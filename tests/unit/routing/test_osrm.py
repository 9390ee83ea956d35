"""OsrmMatrixProvider against a tiny fake OSRM table service on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kamdesk.domain.routing import HaversineMatrixProvider, LatLon, TravelMode
from kamdesk.domain.routing.matrix import haversine_m
from kamdesk.domain.routing.osrm import OsrmMatrixProvider

PTS = [LatLon(31.20, 121.40), LatLon(31.22, 121.45), LatLon(31.25, 121.48)]


class _Table(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose, reset per test

    def do_GET(self) -> None:
        url = urlsplit(self.path)  # not urlparse: it would cut the path at ";"
        _Table.hits.append(url.path)
        coords = [tuple(map(float, c.split(","))) for c in url.path.split("/")[-1].split(";")]
        pts = [LatLon(lat, lon) for lon, lat in coords]
        q = parse_qs(url.query)
        src = [int(i) for i in q["sources"][0].split(";")]
        dst = [int(i) for i in q["destinations"][0].split(";")]
        dist = [[1.3 * haversine_m(pts[i], pts[j]) for j in dst] for i in src]
        dur = [[d / 8.0 for d in row] for row in dist]  # 8 m/s
        body = json.dumps({"code": "Ok", "durations": dur, "distances": dist}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Table.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Table)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_fetches_once_then_serves_from_disk_cache(server: str, tmp_path: Path) -> None:
    cache = tmp_path / "osrm.json"
    provider = OsrmMatrixProvider(server, cache, max_points=4)  # forces 2x2 blocks
    m = provider.matrix(PTS, TravelMode.CAR)
    assert not m.approximate
    assert _Table.hits
    assert all("/table/v1/driving/" in h for h in _Table.hits)
    expected = round(1.3 * haversine_m(PTS[0], PTS[2]))
    assert abs(int(m.meters[0, 2]) - expected) <= 1
    assert m.minutes[0, 2] >= expected / 8 / 60
    assert m.minutes[0, 2] < expected / 8 / 60 + 1
    assert m.minutes[1, 1] == 0
    calls = len(_Table.hits)
    again = OsrmMatrixProvider("http://127.0.0.1:9", cache)  # nothing listens there
    m2 = again.matrix(PTS[::-1], TravelMode.CAR)
    assert not m2.approximate
    assert len(_Table.hits) == calls
    assert m2.meters[2, 0] == m.meters[0, 2]


def test_unreachable_server_falls_back_to_haversine(tmp_path: Path) -> None:
    provider = OsrmMatrixProvider("http://127.0.0.1:9", tmp_path / "c.json", timeout_s=1.0)
    m = provider.matrix(PTS, TravelMode.WALK)
    assert m.approximate
    ref = HaversineMatrixProvider().matrix(PTS, TravelMode.WALK)
    assert (m.minutes == ref.minutes).all()
    assert not (tmp_path / "c.json").exists()
