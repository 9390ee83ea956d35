"""Hybrid logical clock: orders one client's own events and is safe against clock jumps.

The server never uses it to decide between clients (it orders by arrival); it is for display
and for ordering a client's mutations when its wall clock steps backwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    wall_ms: int
    counter: int

    def encode(self, node: str) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{node}"

    @staticmethod
    def decode(text: str) -> Timestamp:
        wall, counter, _node = text.split("-", 2)
        return Timestamp(int(wall), int(counter))


class HybridClock:
    def __init__(self, node: str, now_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Timestamp(0, 0)

    def observe(self, seen: Timestamp) -> None:
        """Never issue a timestamp below one already seen (e.g. restored from disk)."""
        self._last = max(self._last, seen)

    def tick(self) -> Timestamp:
        wall = self._now_ms()
        if wall > self._last.wall_ms:
            self._last = Timestamp(wall, 0)
        else:  # the clock stalled or went back: keep the old wall time, count up
            self._last = Timestamp(self._last.wall_ms, self._last.counter + 1)
        return self._last

    def now(self) -> str:
        return self.tick().encode(self.node)
