"""Crash soak: SIGKILL writers many times; count corruptions and partial units (both must be 0).

    python benchmarks/crash_soak.py --kills 200 [--scenarios import,visit,migration,first_sync]
                                                [--seed 1]

Progress goes to stderr; the last stdout line is JSON with ``kills``, ``corruptions`` and
``partial_units`` per scenario and in total. Uses the harness of tests/e2e/crash. POSIX only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="kills per scenario")
    parser.add_argument(
        "--scenarios", default=None, help="comma-separated (default: all the harness has)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-delay", type=float, default=None, help="seconds (default: per scenario)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kamdesk-crash-") as tmp:
        os.environ["KAMDESK_HOME"] = str(Path(tmp) / "home")  # never the user's own data
        from tests.e2e.crash import harness

        chosen = args.scenarios or ",".join(harness.SCENARIOS)
        scenarios = [s for s in chosen.split(",") if s]
        unknown = set(scenarios) - set(harness.SCENARIOS)
        if unknown:
            parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
        started = time.perf_counter()
        print("building templates…", file=sys.stderr, flush=True)
        templates = harness.build_templates(Path(tmp) / "templates")
        shapes = harness.schema_by_revision(Path(tmp) / "shapes")
        report: dict[str, object] = {}
        totals = {"kills": 0, "corruptions": 0, "partial_units": 0, "child_errors": 0}
        for n, scenario in enumerate(scenarios):
            workdir = Path(tmp) / scenario
            workdir.mkdir()
            result = harness.run_scenario(
                scenario,
                templates[scenario],
                workdir,
                args.kills,
                seed=args.seed + n,
                max_delay=args.max_delay,
                shapes=shapes,
                progress=harness.main_progress,
            )
            for problem in result.problems[:20]:
                print(f"PROBLEM {scenario}: {problem}", file=sys.stderr)
            report[scenario] = result.as_json()
            for key in totals:
                totals[key] += int(getattr(result, key))
        report["total"] = {**totals, "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(report))
    return (
        0 if totals["corruptions"] == totals["partial_units"] == totals["child_errors"] == 0 else 1
    )


if __name__ == "__main__":
    raise SystemExit(main())
