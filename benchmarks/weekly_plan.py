"""Plan a week for the 300-account demo territory and compare with a nearest-neighbour baseline.

    python benchmarks/weekly_plan.py [--seconds 8] [--accounts 300] [--seed 7] [--runs 1]

Builds the demo in a temporary folder (fixed seed and ``today``), plans the week through
``PlanningService`` and checks it with the routing module's independent ``check_plan``.

Load: ``due_by_reason`` (best reason, mandatory or optional), ``mandatory_total`` /
``optional_total`` routed visits, and ``feasible``: a capacity lower bound, i.e. the mandatory
service minutes plus, for each mandatory visit, its cheapest incoming travel leg, must not
exceed the shifts' working minutes (shift minus breaks). When it is exceeded no plan can place
every mandatory visit; ``mandatory_unplaced`` must be 0 whenever the mandatory set fits.

Baseline (like for like): on exactly the visits our plan placed, with the same days, opening
hours, pins, shift, lunch and start/end, each day repeatedly goes to the nearest (road metres)
visit it can still serve, mandatory ones first, taking lunch when due, then goes back.
``travel_vs_baseline`` compares totals and is only fair when the baseline placed as many
visits (``nearest_neighbour_placed``); otherwise compare ``travel_km_per_visit`` and
``same_visits``, where our optimiser re-plans exactly the baseline's placed set.
With ``--runs N`` the plan is repeated N times and the median run (by travel) is reported,
with every run's ``plan_s`` and ``travel_km``. JSON is the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
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
                    # nearest by road distance, mandatory visits first
                    key = (not v.is_mandatory, int(m.meters[here, j]), vid)
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


def capacity(problem):  # type: ignore[no-untyped-def]
    """Lower bound on the minutes the mandatory visits need vs the working minutes available.

    Each mandatory visit needs its service time plus at least its cheapest incoming leg (from
    any other visit or a start location, with the fastest mode of the week); lunch breaks are
    taken out of the shifts. Bound > available means no plan can place them all."""
    import numpy as np

    mandatory = [v for v in problem.visits if v.is_mandatory]
    starts = {s.start_location for s in problem.shifts}
    points = [*starts, *(v.location for v in problem.visits)]
    cheapest = None
    for mode in {s.mode for s in problem.shifts}:
        m = problem.travel.matrix(points, mode).minutes.copy()
        n = len(starts)
        for k in range(len(problem.visits)):
            m[n + k, n + k] = 10**9
        col = m.min(axis=0)[n:]
        cheapest = col if cheapest is None else np.minimum(cheapest, col)
    index = {v.visit_id: k for k, v in enumerate(problem.visits)}
    service = sum(v.service_minutes for v in mandatory)
    travel = int(sum(int(cheapest[index[v.visit_id]]) for v in mandatory)) if mandatory else 0
    working = 0
    for s in problem.shifts:
        length = min(s.end - s.start, s.max_length or s.end - s.start)
        working += length - sum(b.duration for b in s.breaks)
    return {
        "mandatory_service_min": service,
        "mandatory_min_travel_min": travel,
        "working_min": working,
        "optional_service_min": sum(v.service_minutes for v in problem.visits) - service,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="search time limit")
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7, help="demo seed")
    parser.add_argument("--solver-seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="report the median of N plans")
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
    runs = []
    for run in range(max(1, args.runs)):
        log(f"planning (run {run + 1}) ...")
        started, cpu = time.perf_counter(), time.process_time()
        outcome = service.plan_week(TODAY)
        runs.append(
            (outcome, round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3))
        )
    runs.sort(key=lambda r: r[0].state.plan.travel_km)
    outcome, total_s, total_cpu = runs[len(runs) // 2]
    state = outcome.state
    problem, plan = state.build.problem, state.plan
    violations = check_plan(problem, plan)
    window = [v for v in violations if v.code in ("outside_hours", "pin_moved", "shift_end")]
    placed = set(plan.planned_visit_ids)
    cap = capacity(problem)
    feasible = cap["mandatory_service_min"] + cap["mandatory_min_travel_min"] <= cap["working_min"]

    log("nearest-neighbour baseline on exactly the placed visits ...")
    on_placed = replace(problem, visits=tuple(v for v in problem.visits if v.visit_id in placed))
    nn_minutes: list[int] = []
    nn_km, nn_placed = nearest_neighbour(on_placed, placed, minutes_out=nn_minutes)

    same = None
    if nn_placed < len(placed):
        log("same visits: our optimiser on the baseline's placed set ...")
        nn_set = _nn_placed_ids(on_placed, placed)
        same_problem = replace(
            problem, visits=tuple(v for v in problem.visits if v.visit_id in nn_set)
        )
        same_plan = plan_seeded(same_problem, options=options)
        same = {
            "visits": len(nn_set),
            "planned_visits": len(same_plan.planned_visit_ids),
            "travel_km": round(same_plan.travel_km, 3),
            "nearest_neighbour_travel_km": round(nn_km, 3),
            "travel_vs_baseline": round(same_plan.travel_km / nn_km - 1, 4) if nn_km else None,
            "violations": len(check_plan(same_problem, same_plan)),
        }

    reasons: Counter[str] = Counter()
    for d in state.due:
        reasons[f"{d.reasons[0].code.value}:{'mandatory' if d.mandatory else 'optional'}"] += 1
    mandatory_ids = {v.visit_id for v in problem.visits if v.is_mandatory}
    result = {
        "accounts": args.accounts,
        "days": len(problem.shifts),
        "due": outcome.due_count,
        "due_by_reason": dict(sorted(reasons.items())),
        "mandatory_total": len(mandatory_ids),
        "optional_total": len(problem.visits) - len(mandatory_ids),
        **cap,
        "feasible": feasible,
        "planned_visits": len(placed),
        "mandatory_planned": len(placed & mandatory_ids),
        "optional_planned": len(placed - mandatory_ids),
        "mandatory_unplaced": len(plan.unplaced_mandatory),
        "optional_dropped": len(plan.dropped),
        "plan_s": plan.stats.runtime_s,
        "plan_with_loading_s": total_s,
        "plan_with_loading_cpu_s": total_cpu,
        "iterations": plan.stats.iterations,
        "model_clients": plan.stats.model_clients,
        "window_violations": len(window),
        "violations": len(violations),
        "travel_km": round(plan.travel_km, 3),
        "travel_minutes": plan.travel_minutes,
        "nearest_neighbour_travel_km": round(nn_km, 3),
        "nearest_neighbour_travel_minutes": nn_minutes[0],
        "nearest_neighbour_placed": nn_placed,
        "travel_vs_baseline": round(plan.travel_km / nn_km - 1, 4) if nn_km else None,
        "travel_km_per_visit": round(plan.travel_km / max(len(placed), 1), 3),
        "nearest_neighbour_km_per_visit": round(nn_km / max(nn_placed, 1), 3),
        "same_visits": same,
        "runs": [
            {"plan_s": r[0].state.plan.stats.runtime_s, "travel_km": r[0].state.plan.travel_km}
            for r in runs
        ],
        "load_avg": os.getloadavg()[0],
    }
    store.close()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
