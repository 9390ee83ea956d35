"""Plan a week for the 300-account demo territory and compare with a nearest-neighbour baseline.

    python benchmarks/weekly_plan.py [--seconds 8] [--accounts 300] [--seed 7]

Builds the demo in a temporary folder (fixed seed and ``today``), plans the week through
``PlanningService`` and checks it with the routing module's independent ``check_plan``. The
baseline, computed in the same run on the same placed visits and days: each day, repeatedly go
to the nearest (travel minutes) visit that can still be served inside its opening hours and the
shift, taking lunch when it is due, then go back. A second run (``feasible``) re-plans from
scratch only the visits the first plan placed, all mandatory: a week known to be feasible, so
``mandatory_unplaced`` there must be 0. JSON is the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 23)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def nearest_neighbour(problem, visit_ids, placed_out=None, minutes_out=None):  # type: ignore[no-untyped-def]
    """Greedy baseline: km and placed count over the problem's shifts."""
    visits = {v.visit_id: v for v in problem.visits if v.visit_id in visit_ids}
    left = set(visits)
    total_m = 0
    total_min = 0
    placed = 0
    for shift in problem.shifts:
        ids = sorted(left)
        points = [shift.start_location, shift.end_location, *(visits[i].location for i in ids)]
        m = problem.travel.matrix(points, shift.mode)
        brk = shift.breaks[0] if shift.breaks else None
        t, here, took_break = shift.start, 0, brk is None
        limit = shift.start + (shift.max_length or shift.end - shift.start)
        while True:
            best = None
            for k, vid in enumerate(ids):
                if vid not in left:
                    continue
                v, j = visits[vid], k + 2
                if v.pinned is not None and v.pinned.day != shift.day:
                    continue
                for with_break in (False, True) if not took_break else (False,):
                    now = t
                    if with_break:
                        assert brk is not None
                        now = max(now, brk.earliest_start) + brk.duration
                        if now > brk.latest_end:
                            continue
                    arrive = now + int(m.minutes[here, j])
                    start = None
                    for iv in v.hours.on(shift.day):
                        s = max(arrive, iv.start)
                        if v.pinned is not None:
                            s = v.pinned.start if v.pinned.start >= arrive else -1
                        if s >= 0 and s + v.service_minutes <= iv.end:
                            start = s
                            break
                    if start is None:
                        continue
                    end = start + v.service_minutes
                    if not took_break and not with_break:
                        assert brk is not None  # lunch must still fit after this visit
                        if max(end, brk.earliest_start) + brk.duration > brk.latest_end:
                            continue
                    back = end + int(m.minutes[j, 1])
                    if back > min(shift.end, limit):
                        continue
                    key = (int(m.meters[here, j]), vid)  # nearest by road distance
                    if best is None or key < best[0]:
                        best = (key, vid, j, end, with_break)
                    break
            if best is None:
                break
            _, vid, j, end, with_break = best
            took_break = took_break or with_break
            total_m += int(m.meters[here, j])
            total_min += int(m.minutes[here, j])
            t, here = end, j
            left.discard(vid)
            placed += 1
            if placed_out is not None:
                placed_out.add(vid)
        if here != 0:
            total_m += int(m.meters[here, 1])
            total_min += int(m.minutes[here, 1])
    if minutes_out is not None:
        minutes_out.append(total_min)
    return total_m / 1000.0, placed


def _nn_placed_ids(problem, visit_ids):  # type: ignore[no-untyped-def]
    """The visits the greedy baseline manages to place."""
    ids: set[str] = set()
    nearest_neighbour(problem, visit_ids, placed_out=ids)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="search time limit")
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7, help="demo seed")
    parser.add_argument("--solver-seed", type=int, default=0)
    args = parser.parse_args()

    import keyring

    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.domain.routing import LatLon, SolveOptions, check_plan
    from kamdesk.services.demo import build_demo_workspace
    from kamdesk.services.demo.geography import OFFICE
    from kamdesk.services.planning import PlanningService
    from kamdesk.services.planning_problem import PlanningConfig
    from kamdesk.services.planning_seed import plan_seeded
    from kamdesk.services.workspace import open_workspace
    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    tmp = Path(tempfile.mkdtemp(prefix="kamdesk-weekplan-"))
    os.environ["KAMDESK_HOME"] = str(tmp)
    path = tmp / "demo.db"
    log(f"building the {args.accounts}-account demo in {tmp} ...")
    build_demo_workspace(
        path, accounts=args.accounts, seed=args.seed, today=TODAY, passphrase=DEMO_PASSPHRASE
    )
    store = open_workspace(path, passphrase=DEMO_PASSPHRASE)
    options = SolveOptions(seconds=args.seconds, seed=args.solver_seed)
    service = PlanningService(store, PlanningConfig(office=LatLon(*OFFICE[1])), options=options)
    log("planning ...")
    started = time.perf_counter()
    outcome = service.plan_week(TODAY)
    total_s = time.perf_counter() - started
    state = outcome.state
    problem, plan = state.build.problem, state.plan
    violations = check_plan(problem, plan)
    window = [v for v in violations if v.code in ("outside_hours", "pin_moved", "shift_end")]
    placed = set(plan.planned_visit_ids)
    log("nearest-neighbour baseline ...")
    nn_km, nn_placed = nearest_neighbour(problem, placed)

    log("feasible check: re-plan only the placed visits, all mandatory ...")
    sub = replace(
        problem,
        visits=tuple(replace(v, mandatory=True) for v in problem.visits if v.visit_id in placed),
    )
    t0 = time.perf_counter()
    feasible_plan = plan_seeded(sub, options=options)
    feasible_s = time.perf_counter() - t0
    feasible_violations = check_plan(sub, feasible_plan)
    fnn_km, fnn_placed = nearest_neighbour(sub, placed)

    log("same visits: the baseline's own placed set, planned by both ...")
    nn_set = _nn_placed_ids(problem, placed)
    same = replace(
        problem,
        visits=tuple(replace(v, mandatory=True) for v in problem.visits if v.visit_id in nn_set),
    )
    same_plan = plan_seeded(same, options=options)
    same_nn_minutes: list[int] = []
    same_nn_km, same_nn_placed = nearest_neighbour(same, nn_set, minutes_out=same_nn_minutes)

    result = {
        "accounts": args.accounts,
        "days": len(problem.shifts),
        "due": outcome.due_count,
        "mandatory_due": sum(1 for d in state.due if d.mandatory),
        "routed_visits": len(problem.visits),
        "planned_visits": len(placed),
        "plan_s": plan.stats.runtime_s,
        "plan_with_loading_s": round(total_s, 3),
        "iterations": plan.stats.iterations,
        "mandatory_unplaced": len(plan.unplaced_mandatory),
        "overloaded": bool(plan.unplaced_mandatory),
        "window_violations": len(window),
        "violations": len(violations),
        "travel_km": round(plan.travel_km, 3),
        "nearest_neighbour_travel_km": round(nn_km, 3),
        "nearest_neighbour_placed": nn_placed,
        "travel_vs_baseline": round(plan.travel_km / nn_km - 1, 4) if nn_km else None,
        # the baseline places fewer visits, so compare per visit as well
        "km_per_visit": round(plan.travel_km / max(len(placed), 1), 3),
        "nearest_neighbour_km_per_visit": round(nn_km / max(nn_placed, 1), 3),
        "feasible": {
            "visits": len(sub.visits),
            "plan_s": round(feasible_s, 3),
            "mandatory_unplaced": len(feasible_plan.unplaced_mandatory),
            "window_violations": sum(
                1 for v in feasible_violations if v.code in ("outside_hours", "shift_end")
            ),
            "violations": len(feasible_violations),
            "travel_km": round(feasible_plan.travel_km, 3),
            "nearest_neighbour_travel_km": round(fnn_km, 3),
            "nearest_neighbour_placed": fnn_placed,
        },
        "same_visits": {
            "visits": len(same.visits),
            "travel_km": round(same_plan.travel_km, 3),
            "mandatory_unplaced": len(same_plan.unplaced_mandatory),
            "violations": len(check_plan(same, same_plan)),
            "nearest_neighbour_travel_km": round(same_nn_km, 3),
            "nearest_neighbour_placed": same_nn_placed,
            "travel_minutes": same_plan.travel_minutes,
            "nearest_neighbour_travel_minutes": same_nn_minutes[0],
            "travel_vs_baseline": round(same_plan.travel_km / same_nn_km - 1, 4)
            if same_nn_km
            else None,
        },
        "load_avg": os.getloadavg()[0],
    }
    store.close()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
