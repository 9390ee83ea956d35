"""Long run of the sync simulation: many seeds, each with workload and faults (tests/sync).

    python benchmarks/sync_sim.py --seeds 10000 [--first-seed K] [--workers 2]

Progress goes to stderr; the last stdout line is JSON
``{seeds, violations, failed_seeds, seconds, ...}``. A failing seed replays alone with
``--first-seed SEED --seeds 1 --workers 1 --verbose``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10_000)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-clients", type=int, default=3)
    parser.add_argument("--max-clients", type=int, default=10)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--verbose", action="store_true", help="print every violation")
    args = parser.parse_args()

    # private keyring home for the workspaces' key files (never the user's real KAMDesk home)
    os.environ["KAMDESK_HOME"] = tempfile.mkdtemp(prefix="kamdesk_sim_home_")
    from tests.sync.simulation import run_many

    started = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"{done}/{args.seeds} seeds ({rate:.1f}/s)", file=sys.stderr, flush=True)

    failed = run_many(
        args.first_seed,
        args.seeds,
        workers=args.workers,
        low=args.min_clients,
        high=max(args.min_clients, args.max_clients),
        steps=args.steps,
        progress=progress,
    )
    seconds = time.perf_counter() - started
    for seed, violations in failed:
        shown = violations if args.verbose else violations[:3]
        print(f"seed {seed}: {len(violations)} violation(s): {shown}", file=sys.stderr)
    print(
        json.dumps(
            {
                "seeds": args.seeds,
                "first_seed": args.first_seed,
                "violations": sum(len(v) for _s, v in failed),
                "failed_seeds": [s for s, _v in failed],
                "seconds": round(seconds, 1),
                "seeds_per_second": round(args.seeds / seconds, 2),
                "clients": [args.min_clients, args.max_clients],
                "steps": args.steps,
                "workers": args.workers,
            }
        )
    )


if __name__ == "__main__":
    main()
