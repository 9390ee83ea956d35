from __future__ import annotations

import math

from kamdesk.domain.routing.vrptw import VrptwInstance, dimacs_matrix, solve_vrptw


def _instance() -> VrptwInstance:
    coords = ((0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (-10.0, 0.0), (-10.0, -5.0), (0.0, 7.5))
    return VrptwInstance(
        name="tiny",
        coords=coords,
        demands=(0, 4, 4, 4, 4, 4),
        windows=((0, 200), (0, 50), (0, 80), (0, 50), (0, 80), (100, 150)),
        service=(0, 5, 5, 5, 5, 5),
        capacity=8,
        vehicles=3,
    )


def test_dimacs_matrix_truncates_to_tenths() -> None:
    m = dimacs_matrix([(0.0, 0.0), (1.0, 1.0)])
    assert m[0, 1] == math.floor(10 * math.sqrt(2))  # 14, not 14.14


def test_tiny_instance_is_solved_feasibly() -> None:
    inst = _instance()
    sol = solve_vrptw(inst, seconds=0.3, seed=1)
    assert sol.feasible
    served = sorted(c for r in sol.routes for c in r)
    assert served == [1, 2, 3, 4, 5]
    assert len([r for r in sol.routes if r]) <= inst.vehicles
    for r in sol.routes:
        assert sum(inst.demands[c] for c in r) <= inst.capacity
    m = dimacs_matrix(inst.coords)
    cost = sum(int(m[a, b]) for r in sol.routes if r for a, b in zip((0, *r), (*r, 0), strict=True))
    assert sol.cost == cost / 10
