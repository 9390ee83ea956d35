"""Timing of one day's ordered stops on the absolute week axis.

The solver decides which stops go on which day and in what order; the times shown to the user
come from here: leave as late as possible without finishing later, wait when early, take the
earliest opening interval that still fits.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from kamdesk.domain.routing.matrix import TravelMatrix
from kamdesk.domain.routing.plan import StopKind
from kamdesk.domain.routing.validate import PreparedDay, Window

COST_PER_MINUTE = 100  # solver cost units per travel minute; 1 unit per 100 m breaks ties


def leg_cost(matrix: TravelMatrix, a: int, b: int) -> int:
    return int(matrix.minutes[a, b]) * COST_PER_MINUTE + int(matrix.meters[a, b]) // 100


@dataclass(frozen=True, slots=True)
class Item:
    """A stop to time: a visit (``ref`` = visit id) or a break (``ref`` = break name)."""

    kind: StopKind
    ref: str
    loc: int
    windows: tuple[Window, ...]
    service: int


@dataclass(frozen=True, slots=True)
class Timing:
    leave: int
    arrivals: tuple[int, ...]
    starts: tuple[int, ...]
    windows: tuple[Window, ...]  # the window each start falls in
    back: int


def _forward(
    day: PreparedDay, items: Sequence[Item], minutes: TravelMatrix, leave: int
) -> Timing | None:
    t, prev = leave, day.start_loc
    arrivals: list[int] = []
    starts: list[int] = []
    used: list[Window] = []
    for it in items:
        arrive = t + int(minutes.minutes[prev, it.loc])
        chosen: Window | None = None
        for w in it.windows:
            if max(arrive, w[0]) <= w[1]:
                chosen = w
                break
        if chosen is None:
            return None
        start = max(arrive, chosen[0])
        arrivals.append(arrive)
        starts.append(start)
        used.append(chosen)
        t, prev = start + it.service, it.loc
    back = t + int(minutes.minutes[prev, day.end_loc])
    if back > day.end:
        return None
    return Timing(leave, tuple(arrivals), tuple(starts), tuple(used), back)


def time_day(day: PreparedDay, items: Sequence[Item], matrix: TravelMatrix) -> Timing | None:
    """Feasible timing with the shortest day, or None when the order cannot be kept."""
    if not items:
        return Timing(day.start, (), (), (), day.start)
    early = _forward(day, items, matrix, day.start)
    if early is None:
        return None
    lo, hi = day.start, early.back  # invariant: leaving at lo keeps back == early.back
    while lo < hi:
        mid = (lo + hi + 1) // 2
        probe = _forward(day, items, matrix, mid)
        if probe is not None and probe.back == early.back:
            lo = mid
        else:
            hi = mid - 1
    best = _forward(day, items, matrix, lo)
    assert best is not None
    if best.back - best.leave > day.max_length:
        return None
    return best


def slacks(
    day: PreparedDay, items: Sequence[Item], matrix: TravelMatrix, timing: Timing
) -> list[int]:
    """Per stop: how much later service could start with everything after still on time."""
    latest_back = min(day.end, timing.leave + day.max_length)
    out = [0] * len(items)
    nxt_loc, latest_next = day.end_loc, latest_back
    for i in range(len(items) - 1, -1, -1):
        it = items[i]
        latest = min(
            timing.windows[i][1], latest_next - int(matrix.minutes[it.loc, nxt_loc]) - it.service
        )
        out[i] = max(0, latest - timing.starts[i])
        nxt_loc, latest_next = it.loc, latest
    return out


def route_cost(day: PreparedDay, items: Sequence[Item], matrix: TravelMatrix) -> int:
    locs = [day.start_loc, *(it.loc for it in items), day.end_loc]
    return sum(leg_cost(matrix, a, b) for a, b in itertools.pairwise(locs))


def cheapest_insertion(
    day: PreparedDay, items: Sequence[Item], matrix: TravelMatrix, new: Item
) -> tuple[int, int] | None:
    """(extra cost, position) of the cheapest feasible insertion of ``new``, or None."""
    base = route_cost(day, items, matrix)
    best: tuple[int, int] | None = None
    for pos in range(len(items) + 1):
        trial = [*items[:pos], new, *items[pos:]]
        extra = route_cost(day, trial, matrix) - base
        if best is not None and extra >= best[0]:
            continue
        if time_day(day, trial, matrix) is not None:
            best = (extra, pos)
    return best
