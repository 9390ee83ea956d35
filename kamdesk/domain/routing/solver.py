"""The PyVRP model of a week and the search around it.

Model (checked against PyVRP 0.14 semantics):
- one vehicle type per working day, ``tw`` = the shift on the absolute week axis, so a client
  whose window lies on day d can only be served by day d's vehicle; ``shift_duration`` = the
  maximum day length; a routing profile per travel mode;
- one client per (visit, day, opening interval); the copies of a visit form a mutually exclusive
  ``ClientGroup``, so at most one is served;
- a mandatory visit's copies are optional clients (exclusive group) with a prize worth four days
  of travel: the search keeps every mandatory visit that fits and, in an overloaded week,
  as many as fit. Measured on 120 all-mandatory visits in 5 days: 86 placed vs 73 when they
  are PyVRP-required clients (that search ends time-warped and needs heavy repair). The
  repair pass then re-inserts anything that still fits and *reports* the rest as unplaced;
  an optional visit's prize is its priority;
- a break is a client with the break's duration as service time, copied at every location of
  that day (start, end, each visit) in a required group: taking it "at" a stop's location
  means zero extra travel, so travel stays exactly consistent with the matrix.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyvrp import (
    Activity,
    ActivityType,
    IteratedLocalSearch,
    Model,
    PenaltyManager,
    PenaltyParams,
    ProblemData,
    RandomNumberGenerator,
    Result,
    Route,
    Solution,
    SolveParams,
)
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import LocalSearch, PerturbationManager

from kamdesk.domain.routing.matrix import TravelMatrix, TravelMode
from kamdesk.domain.routing.plan import StopKind
from kamdesk.domain.routing.schedule import COST_PER_MINUTE, Item
from kamdesk.domain.routing.validate import Prepared

ProgressCallback = Callable[[int, int, str], None]

# Overloaded weeks: a mandatory visit becomes optional but worth more than any detour
# (4 days of travel), so the search keeps as many as fit.
SOFT_MANDATORY_PRIZE = 4 * 1440 * COST_PER_MINUTE

# Distinct neighbouring locations in each client's granular neighbourhood (see ``neighbours``).
NEIGHBOUR_PLACES = 40


def default_solve_params() -> SolveParams:
    """PyVRP defaults, except that time-warp penalties may grow past a mandatory prize;
    otherwise squeezing one more mandatory visit in with a little lateness would pay."""
    return SolveParams(penalty=PenaltyParams(max_penalty=100.0 * SOFT_MANDATORY_PRIZE))


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """``max_iterations`` set -> the run is deterministic for a seed (time limit ignored);
    otherwise the search stops after ``seconds`` or ``no_improvement`` iterations without a
    better plan, whichever comes first."""

    seconds: float = 10.0
    max_iterations: int | None = None
    no_improvement: int = 4000
    seed: int = 0
    neighbour_places: int = NEIGHBOUR_PLACES
    params: SolveParams = field(default_factory=lambda: default_solve_params())


@dataclass(frozen=True, slots=True)
class ClientMeta:
    day: int
    item: Item
    visit_index: int | None  # None for a break


class _Stop:
    """Stopping criterion: time/iteration budget, stagnation, the cancel event; reports progress."""

    def __init__(
        self,
        options: SolveOptions,
        cancel: threading.Event | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.options = options
        self.cancel = cancel
        self.progress = progress
        self.started = time.perf_counter()
        self.iterations = 0
        self.cancelled = False
        self._best: int | None = None
        self._since_best = 0
        self._last_pct = -1

    def __call__(self, best_cost: int) -> bool:
        self.iterations += 1
        if self._best is None or best_cost < self._best:
            self._best, self._since_best = best_cost, 0
        else:
            self._since_best += 1
        if self.cancel is not None and self.cancel.is_set():
            self.cancelled = True
            return True
        opts = self.options
        if opts.max_iterations is not None:
            done, total = self.iterations, opts.max_iterations
            stop = self.iterations > opts.max_iterations
        else:
            elapsed = time.perf_counter() - self.started
            done, total = min(1000, int(1000 * elapsed / max(opts.seconds, 1e-9))), 1000
            stop = elapsed >= opts.seconds
        stop = stop or self._since_best >= opts.no_improvement
        if self.progress is not None:
            pct = 100 * done // max(total, 1)
            if pct != self._last_pct:
                self._last_pct = pct
                self.progress(min(done, total), total, "searching")
        return stop


def build_model(
    prep: Prepared, *, soft_mandatory: bool = True
) -> tuple[Model, list[ClientMeta], list[TravelMode]]:
    model = Model()
    locs = [model.add_location(x=p.lon, y=p.lat) for p in prep.points]
    modes = sorted(prep.matrices)
    profiles = {m: model.add_profile(name=m.value) for m in modes}
    depots = {}
    for d in prep.days:
        for li in (d.start_loc, d.end_loc):
            if li not in depots:
                depots[li] = model.add_depot(locs[li])
    for d in prep.days:
        model.add_vehicle_type(
            num_available=1,
            start_depot=depots[d.start_loc],
            end_depot=depots[d.end_loc],
            tw_early=d.start,
            tw_late=d.end,
            shift_duration=d.max_length,
            profile=profiles[d.shift.mode],
            name=d.shift.day.isoformat(),
        )
    meta: list[ClientMeta] = []
    day_locs: dict[int, set[int]] = {d.index: {d.start_loc, d.end_loc} for d in prep.days}
    for pv in prep.visits:
        v = pv.visit
        copies = [(day, w) for day, ws in pv.windows for w in ws]
        required = v.is_mandatory and not soft_mandatory
        prize = 0 if required else v.priority * COST_PER_MINUTE
        if v.is_mandatory and soft_mandatory:
            prize += SOFT_MANDATORY_PRIZE
        group = model.add_client_group(required=required) if len(copies) > 1 else None
        for day, w in copies:
            day_locs[day].add(pv.loc)
            model.add_client(
                locs[pv.loc],
                service_duration=v.service_minutes,
                tw_early=w[0],
                tw_late=w[1],
                prize=prize,
                required=required and group is None,
                group=group,
                name=v.visit_id,
            )
            item = Item(StopKind.VISIT, v.visit_id, pv.loc, pv.windows_on(day), v.service_minutes)
            meta.append(ClientMeta(day, item, pv.index))
    for d in prep.days:
        for b in d.breaks:
            group = model.add_client_group(required=True)
            for li in sorted(day_locs[d.index]):
                model.add_client(
                    locs[li],
                    service_duration=b.rule.duration,
                    tw_early=b.window[0],
                    tw_late=b.window[1],
                    required=False,
                    group=group,
                    name=f"break:{b.rule.name}",
                )
                item = Item(StopKind.BREAK, b.rule.name, li, (b.window,), b.rule.duration)
                meta.append(ClientMeta(d.index, item, None))
    return model, meta, modes


def _warm_solution(
    prep: Prepared,
    data: ProblemData,
    meta: Sequence[ClientMeta],
    warm: Mapping[int, Sequence[tuple[StopKind, str, int]]],
) -> Solution | None:
    """Routes of a previous plan as a PyVRP solution; stops without a copy are left out.

    A visit has one copy per opening interval of a day: the route is timed forward (leave at
    the shift start, wait when early) and each stop gets the copy whose window its arrival
    still fits, the same rule ``schedule`` uses. Taking the first copy instead put afternoon
    visits into their morning window: the start was time-warped, the search began from an
    infeasible week and ended with mandatory visits left out although the greedy week had
    them all."""
    copies: dict[tuple[int, StopKind, str], list[int]] = {}
    for idx, c in enumerate(meta):
        copies.setdefault((c.day, c.item.kind, c.item.ref), []).append(idx)
    used: set[int] = set()
    groups: set[int] = set()
    routes: list[Route] = []
    for day, stops in sorted(warm.items()):
        pday = prep.days[day]
        minutes = prep.matrices[pday.shift.mode].minutes
        t, here = pday.start, pday.start_loc
        visits: list[int] = []
        for kind, ref, loc in stops:
            found = copies.get((day, kind, ref), [])
            at_loc = [i for i in found if meta[i].item.loc == loc] or found
            arrivals = {i: t + int(minutes[here, meta[i].item.loc]) for i in at_loc}
            fitting = [i for i in at_loc if arrivals[i] <= data.client(i).tw_late]
            pick = min(fitting or at_loc, key=lambda i: (data.client(i).tw_early, i), default=None)
            if pick is None or pick in used:
                continue
            group = data.client(pick).group
            if group is not None and group in groups:
                continue  # one copy per visit / one break per day
            used.add(pick)
            if group is not None:
                groups.add(group)
            visits.append(pick)
            item = meta[pick].item
            t = max(arrivals[pick], data.client(pick).tw_early) + item.service
            here = item.loc
        if visits:
            routes.append(Route(data, visits, day))
    try:
        return Solution(data, routes)
    except (ValueError, RuntimeError, IndexError):
        return None


def neighbours(
    prep: Prepared, meta: Sequence[ClientMeta], places: int = NEIGHBOUR_PLACES
) -> dict[Activity, list[Activity]]:
    """The local search's granular neighbourhood, built from the week's structure.

    PyVRP's default (the 50 nearest clients) is useless here: every shop has a copy per day and
    opening interval and every location a lunch copy per day, all at distance 0 from each
    other, so the 50 nearest clients of a visit cover only about nine shops and about nine
    stops on its own day. Instead a client's neighbours are all *useful* clients at its
    ``places`` nearest other locations (and its own): for a visit, the copies of other visits
    on the days it can itself be served (intra-day moves, and ``RelocateAlternative`` to move it
    to another day) plus its day's lunch copies; for a lunch copy, its day's visit copies and
    lunch copies. Copies of the same visit on other days are left out (they can never share a
    route with it)."""
    by_loc: dict[int, list[int]] = {}
    for idx, c in enumerate(meta):
        by_loc.setdefault(c.item.loc, []).append(idx)
    locs = sorted(by_loc)
    days_of: dict[int, set[int]] = {}
    for c in meta:
        if c.visit_index is not None:
            days_of.setdefault(c.visit_index, set()).add(c.day)
    out: dict[Activity, list[Activity]] = {}
    near: dict[tuple[TravelMode, int], list[int]] = {}
    for idx, c in enumerate(meta):
        mode = prep.days[c.day].shift.mode
        key = (mode, c.item.loc)
        if key not in near:
            m = prep.matrices[mode]
            sub = np.asarray(locs)
            row = m.minutes[c.item.loc, sub] + m.minutes[sub, c.item.loc]
            order = np.lexsort((m.meters[c.item.loc, sub], row))
            near[key] = [locs[i] for i in order[: places + 1]]
        own_days = days_of.get(c.visit_index, {c.day}) if c.visit_index is not None else {c.day}
        picked: list[Activity] = []
        for loc in near[key]:
            for j in by_loc[loc]:
                o = meta[j]
                if j == idx or o.day not in own_days:
                    continue  # a day this client can never be served on
                if o.day != c.day and (o.visit_index is None or o.visit_index == c.visit_index):
                    continue  # another day's lunch, or this visit's own copy on another day
                picked.append(Activity(ActivityType.CLIENT, j))
        out[Activity(ActivityType.CLIENT, idx)] = picked
    return out


def _solve(
    data: ProblemData,
    stop: Callable[[int], bool],
    *,
    seed: int,
    params: SolveParams,
    neighbourhood: dict[Activity, list[Activity]],
    initial: Solution | None,
) -> Result:
    """``pyvrp.solve`` with our own granular neighbourhood."""
    rng = RandomNumberGenerator(seed=seed)
    ls = LocalSearch(data, rng, neighbourhood, PerturbationManager(params.perturbation))
    for op in params.operators:
        if op.supports(data):
            ls.add_operator(op(data))
    pm = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    if initial is None:
        initial = ls(Solution.make_random(data, rng), pm.max_cost_evaluator(), exhaustive=True)
    algo = IteratedLocalSearch(data, pm, ls, initial, params.ils)
    return algo.run(stop, False, False, params.display_interval)  # type: ignore[arg-type]


def _cost_matrix(m: TravelMatrix) -> np.ndarray:
    return m.minutes * COST_PER_MINUTE + m.meters // 100


def model_data(prep: Prepared) -> tuple[ProblemData | None, list[ClientMeta]]:
    """The PyVRP instance (our travel matrices, cost per ``_cost_matrix``) and client metadata;
    no instance when there is nothing to route."""
    model, meta, modes = build_model(prep)
    if not meta:
        return None, meta
    # PyVRP's stubs type matrices as ``ndarray[int]``; ours are int64 arrays.
    distances: list[Any] = [_cost_matrix(prep.matrices[m]) for m in modes]
    durations: list[Any] = [prep.matrices[m].minutes.astype(np.int64) for m in modes]
    data = model.data().replace(distance_matrices=distances, duration_matrices=durations)
    return data, meta


def run_search(
    prep: Prepared,
    options: SolveOptions,
    *,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    warm: Mapping[int, Sequence[tuple[StopKind, str, int]]] | None = None,
) -> tuple[dict[int, list[ClientMeta]], Result | None, _Stop, int]:
    """Solve; returns the served clients per day index (in order), the raw result, the stop
    criterion (iterations, cancelled) and the model size.

    ``warm``: per day index, stops of a previous plan as (kind, visit id or break name,
    location index); used as the starting solution so a re-plan stays close to it."""
    stop = _Stop(options, cancel, progress)
    data, meta = model_data(prep)
    if data is None:
        return {}, None, stop, 0
    with warnings.catch_warnings():
        # Expected when the mandatory work cannot fit: the repair pass reports what was left out.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = _solve(
            data,
            stop,
            seed=options.seed,
            params=options.params,
            neighbourhood=neighbours(prep, meta, options.neighbour_places),
            initial=_warm_solution(prep, data, meta, warm) if warm else None,
        )
    routes: dict[int, list[ClientMeta]] = {}
    for route in result.best.routes():
        day = route.vehicle_type()
        routes[day] = [meta[act.idx] for act in route if act.is_client()]
    if progress is not None:
        progress(1, 1, "done")
    return routes, result, stop, len(meta)
