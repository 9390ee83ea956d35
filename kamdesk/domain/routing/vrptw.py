"""Classic VRPTW (capacity + time windows + fleet limit) on the routing layer's PyVRP setup.

Used by ``benchmarks/vrptw.py`` to measure the solver configuration the weekly planner relies on
against published best-known solutions. Follows the DIMACS convention: every distance and travel
time is ``floor(10 * euclid)`` and the objective is total distance only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pyvrp import Model, SolveParams, solve
from pyvrp.search import PerturbationParams
from pyvrp.stop import MaxRuntime

from kamdesk.domain.routing.errors import RoutingError

SCALE = 10  # DIMACS: distances truncated to one decimal, kept as integer tenths


def default_vrptw_params(n_customers: int) -> SolveParams:
    """PyVRP defaults, but at most 15 perturbations per iteration from 300 customers on.

    Measured at 10 CPU-seconds per instance, seed 0 (mean / max gap %):
    Solomon 0.14 / 1.16 with defaults vs 0.31 / 1.83 with 15; GH200 0.16 / 0.37 vs 0.33 / 0.98;
    GH400 1.41 / 3.14 vs 0.87 / 1.72. Big instances gain from the extra iterations that fewer
    perturbations leave time for; small ones need the stronger kicks.
    """
    if n_customers < 300:
        return SolveParams()
    return SolveParams(perturbation=PerturbationParams(min_perturbations=1, max_perturbations=15))


@dataclass(frozen=True, slots=True)
class VrptwInstance:
    """Node 0 is the depot; times in the instance's own units (not scaled)."""

    name: str
    coords: tuple[tuple[float, float], ...]
    demands: tuple[int, ...]
    windows: tuple[tuple[float, float], ...]
    service: tuple[float, ...]
    capacity: int
    vehicles: int

    @property
    def n_customers(self) -> int:
        return len(self.coords) - 1


@dataclass(frozen=True, slots=True)
class VrptwSolution:
    """Routes list customer node indices (1..n), depot omitted; ``cost`` in instance units."""

    routes: tuple[tuple[int, ...], ...]
    cost: float
    feasible: bool
    iterations: int
    runtime_s: float


class _CpuRuntime:
    """Like ``pyvrp.stop.MaxRuntime`` but on process CPU time."""

    def __init__(self, seconds: float) -> None:
        self._limit = seconds
        self._start: float | None = None

    def __call__(self, best_cost: int) -> bool:
        now = time.process_time()
        if self._start is None:
            self._start = now
        return now - self._start > self._limit


def dimacs_matrix(coords: Sequence[tuple[float, float]]) -> npt.NDArray[np.int64]:
    """Integer matrix ``floor(10 * euclid)``; the exact same rule the checker uses."""
    xy = np.asarray(coords, dtype=np.float64)
    diff = xy[:, None, :] - xy[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    result: npt.NDArray[np.int64] = np.floor(SCALE * dist + 1e-9).astype(np.int64)
    return result


def _scaled(value: float) -> int:
    return math.floor(SCALE * value + 1e-9)


def solve_vrptw(
    instance: VrptwInstance,
    seconds: float,
    seed: int = 0,
    *,
    params: SolveParams | None = None,
    cpu_time: bool = False,
) -> VrptwSolution:
    """Solve one instance for ``seconds`` and return the best routes found.

    ``cpu_time`` budgets this process's CPU seconds instead of wall-clock seconds, which keeps
    measurements comparable on a machine shared with other work.
    """
    n = len(instance.coords)
    if n < 2 or len(instance.demands) != n or len(instance.windows) != n:
        raise RoutingError(
            f"instance {instance.name}: inconsistent sizes", code="vrptw_bad_instance"
        )
    matrix = dimacs_matrix(instance.coords)
    model = Model()
    locations = [model.add_location(x, y) for x, y in instance.coords]
    depot_early, depot_late = instance.windows[0]
    depot = model.add_depot(
        locations[0], tw_early=_scaled(depot_early), tw_late=_scaled(depot_late)
    )
    for node in range(1, n):
        early, late = instance.windows[node]
        model.add_client(
            locations[node],
            delivery=instance.demands[node],
            service_duration=_scaled(instance.service[node]),
            tw_early=_scaled(early),
            tw_late=_scaled(late),
        )
    model.add_vehicle_type(
        num_available=instance.vehicles,
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=_scaled(depot_early),
        tw_late=_scaled(depot_late),
    )
    # One matrix for both distance and duration, set in bulk (edge by edge is slow for 400 nodes).
    matrices: list[Any] = [matrix]  # PyVRP's stubs say ndarray[int]; this is int64
    data = model.data().replace(distance_matrices=matrices, duration_matrices=matrices)
    result = solve(
        data,
        _CpuRuntime(seconds) if cpu_time else MaxRuntime(seconds),
        seed=seed,
        collect_stats=False,
        display=False,
        params=params if params is not None else default_vrptw_params(instance.n_customers),
    )
    best = result.best
    routes = tuple(
        tuple(act.idx + 1 for act in route if act.is_client()) for route in best.routes()
    )
    return VrptwSolution(
        routes=routes,
        cost=best.distance() / SCALE,
        feasible=bool(best.is_feasible()),
        iterations=int(result.num_iterations),
        runtime_s=float(result.runtime),
    )
