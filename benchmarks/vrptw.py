"""VRPTW benchmark of the routing layer against best-known solutions (DIMACS convention).

Run from the repo root:  python benchmarks/vrptw.py --seconds 10 [--only C1] [--seed 0] [--cpu-time]
Progress and one row per instance go to stderr; the last stdout line is a JSON summary.
Every solution is re-checked here with an independent checker (capacity, windows, each customer
exactly once, fleet limit, cost recomputed from coordinates) before its gap counts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _vrplib import read_bks, read_vrptw

from kamdesk.domain.routing.vrptw import VrptwInstance, VrptwSolution, solve_vrptw

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "vrptw"


def _dist(a: tuple[float, float], b: tuple[float, float]) -> int:
    return math.floor(10 * math.hypot(a[0] - b[0], a[1] - b[1]) + 1e-9)


def check_solution(inst: VrptwInstance, sol: VrptwSolution) -> tuple[list[str], float]:
    """Independent feasibility check; returns (problems, recomputed cost in instance units)."""
    problems: list[str] = []
    routes = [r for r in sol.routes if r]
    n = inst.n_customers
    seen = [c for r in routes for c in r]
    if sorted(seen) != list(range(1, n + 1)):
        missing = set(range(1, n + 1)) - set(seen)
        problems.append(f"customers not exactly once (missing {len(missing)}, total {len(seen)})")
    if len(routes) > inst.vehicles:
        problems.append(f"{len(routes)} routes > fleet {inst.vehicles}")
    total = 0
    depot_late = math.floor(10 * inst.windows[0][1] + 1e-9)
    for k, route in enumerate(routes):
        load = sum(inst.demands[c] for c in route)
        if load > inst.capacity:
            problems.append(f"route {k}: load {load} > capacity {inst.capacity}")
        time_ = math.floor(10 * inst.windows[0][0] + 1e-9)
        prev = 0
        for c in route:
            leg = _dist(inst.coords[prev], inst.coords[c])
            total += leg
            early = math.floor(10 * inst.windows[c][0] + 1e-9)
            late = math.floor(10 * inst.windows[c][1] + 1e-9)
            time_ = max(time_ + leg, early)
            if time_ > late:
                problems.append(f"route {k}: customer {c} starts {time_ / 10} > {late / 10}")
            time_ += math.floor(10 * inst.service[c] + 1e-9)
            prev = c
        leg = _dist(inst.coords[prev], inst.coords[0])
        total += leg
        if time_ + leg > depot_late:
            problems.append(f"route {k}: returns {(time_ + leg) / 10} > {depot_late / 10}")
    return problems, total / 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=None, help="glob or substring of instance names")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="budget process CPU seconds instead of wall-clock seconds (shared machines)",
    )
    args = parser.parse_args()

    files = sorted(args.instances.rglob("*.vrp"))
    if args.only:
        pat = args.only
        files = [f for f in files if fnmatch(f.stem, pat) or pat.lower() in f.stem.lower()]
    bks = read_bks(args.instances)
    rows: list[dict[str, object]] = []
    started = time.perf_counter()
    for i, path in enumerate(files, 1):
        inst = read_vrptw(path)
        sol = solve_vrptw(inst, args.seconds, args.seed, cpu_time=args.cpu_time)
        problems, cost = check_solution(inst, sol)
        if abs(cost - sol.cost) > 1e-6:
            problems.append(f"reported cost {sol.cost} != recomputed {cost}")
        ref = bks.get(inst.name, bks.get(path.stem))
        gap = None if ref is None or problems else 100.0 * (cost - ref) / ref
        row: dict[str, object] = {
            "instance": inst.name,
            "n": inst.n_customers,
            "cost": round(cost, 1),
            "bks": ref,
            "gap_pct": None if gap is None else round(gap, 3),
            "routes": len([r for r in sol.routes if r]),
            "feasible": not problems,
            "problems": problems[:3],
            "iterations": sol.iterations,
        }
        rows.append(row)
        print(f"[{i}/{len(files)}] {json.dumps(row)}", file=sys.stderr, flush=True)
    gaps = [float(r["gap_pct"]) for r in rows if r["gap_pct"] is not None]  # type: ignore[arg-type]
    summary = {
        "instances": len(rows),
        "infeasible": sum(1 for r in rows if not r["feasible"]),
        "with_bks": len(gaps),
        "mean_gap_pct": round(statistics.fmean(gaps), 3) if gaps else None,
        "median_gap_pct": round(statistics.median(gaps), 3) if gaps else None,
        "max_gap_pct": round(max(gaps), 3) if gaps else None,
        "seconds_per_instance": args.seconds,
        "clock": "cpu" if args.cpu_time else "wall",
        "load_avg_1m_end": round(os.getloadavg()[0], 2),
        "seed": args.seed,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
