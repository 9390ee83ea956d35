"""The deterministic simulation over many seeds (see tests/sync/simulation.py).

A failing seed replays alone: ``python benchmarks/sync_sim.py --first-seed SEED --seeds 1``.
"""

from __future__ import annotations

import os

import pytest

from tests.sync.simulation import Faults, run_many, run_seed

SEEDS = int(os.environ.get("KAMDESK_SIM_SEEDS", "300"))


def test_simulation_many_seeds_hold_every_invariant() -> None:
    failed = run_many(0, SEEDS, workers=2, low=3, high=5, steps=20)
    report = "\n".join(f"seed {seed}: {v[:5]}" for seed, v in failed[:5])
    assert failed == [], f"{len(failed)} failing seed(s); replay with --first-seed:\n{report}"


@pytest.mark.parametrize("seed", [7])
def test_one_seed_is_deterministic_and_sees_real_traffic(seed: int) -> None:
    first = run_seed(seed, clients=4, steps=20)
    second = run_seed(seed, clients=4, steps=20)
    assert first.violations == second.violations == []
    assert first.mutations > 0
    assert (first.mutations, first.conflicts, first.rejected) == (
        second.mutations,
        second.conflicts,
        second.rejected,
    )


def test_a_fault_free_run_converges_too() -> None:
    assert run_seed(3, clients=3, steps=20, faults=Faults.none()).violations == []
