"""Full ordering advice for the 300-account demo territory: database load + engine, wall clock.

    python benchmarks/advice_speed.py [--runs 3] [--cache DIR] [--no-reference]

The demo workspace (seed 7, today 2026-11-23, 300 accounts × ~60 products, 78 weeks) is built
once into ``--cache`` (default ../shared/bench/advice beside the repo) and reused. Each run
uses a fresh AdviceService (no cache) and times ``AdviceService.run``: data-version check,
SQL → numpy columns, engine. The reference, run in the same process, is the obvious path:
ORM-free rows turned into Delivery/StockCount objects per record and ``advise_territory``.
Progress on stderr, one JSON object as the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "shared" / "bench" / "advice"
TODAY = date(2026, 11, 23)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def demo_path(cache: Path, accounts: int) -> Path:
    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.services.demo import build_demo_workspace

    path = cache / f"demo_{accounts}_seed7_{TODAY.isoformat()}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        log(f"building the demo workspace at {path} (once)…")
        build_demo_workspace(
            path, accounts=accounts, seed=7, today=TODAY, passphrase=DEMO_PASSPHRASE
        )
    return path


def reference(store: object) -> tuple[float, int]:
    """Per-record objects from plain SQL rows, then ``advise_territory``."""
    from sqlalchemy import text

    from kamdesk.domain.ordering import (
        AccountHistory,
        Delivery,
        StockCount,
        advise_territory,
    )
    from kamdesk.services.advice_load import load_inputs

    t0 = time.perf_counter()
    with store.session() as session:  # type: ignore[attr-defined]
        base = load_inputs(session, TODAY)  # accounts and products as the service reads them
        deliveries: dict[str, list[Delivery]] = defaultdict(list)
        counts: dict[str, list[StockCount]] = defaultdict(list)
        for acc, prod, day, qty in session.execute(
            text(
                "SELECT account_id, product_id, purchased_on, quantity FROM purchase_line"
                " WHERE deleted = 0 AND purchased_on <= :t"
            ),
            {"t": TODAY.isoformat()},
        ):
            deliveries[acc].append(Delivery(date.fromisoformat(day), prod, float(qty)))
        for acc, prod, day, qty in session.execute(
            text(
                "SELECT account_id, product_id, counted_on, quantity FROM stock_count"
                " WHERE deleted = 0 AND counted_on <= :t"
            ),
            {"t": TODAY.isoformat()},
        ):
            counts[acc].append(StockCount(date.fromisoformat(day), prod, float(qty)))
    ids = {a.account_id for a in base.accounts}
    histories = {
        a: AccountHistory(a, tuple(deliveries.get(a, ())), tuple(counts.get(a, ()))) for a in ids
    }
    result = advise_territory(base.accounts, histories, base.products, TODAY)
    return time.perf_counter() - t0, len(result.items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-reference", action="store_true")
    args = parser.parse_args()

    import keyring

    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.services.advice import AdviceService
    from kamdesk.services.workspace import open_workspace
    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # never touch the machine's keyring
    store = open_workspace(demo_path(args.cache, args.accounts), passphrase=DEMO_PASSPHRASE)
    totals: list[float] = []
    cpu: list[float] = []
    loads: list[float] = []
    engines: list[float] = []
    items = accounts = 0
    try:
        for i in range(max(args.runs, 1)):
            service = AdviceService(store)
            t0, c0 = time.perf_counter(), time.process_time()
            run = service.run(TODAY)
            totals.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            loads.append(run.db_load_s)
            engines.append(run.engine_s)
            items, accounts = len(run.territory.items), len(run.territory.accounts)
            log(
                f"run {i + 1}: {totals[-1]:.2f} s"
                f" (load {run.db_load_s:.2f}, engine {run.engine_s:.2f})"
            )
        t0 = time.perf_counter()
        service.account_advice(run.territory.accounts[0].account_id, TODAY)
        cached_card_s = time.perf_counter() - t0
        ref_s: float | None = None
        if not args.no_reference:
            ref_s, ref_items = reference(store)
            log(f"reference (per-record objects): {ref_s:.2f} s, {ref_items} items")
    finally:
        store.close()
    out = {
        "advice_s": round(statistics.median(totals), 3),
        "advice_cpu_s": round(statistics.median(cpu), 3),
        "db_load_s": round(statistics.median(loads), 3),
        "engine_s": round(statistics.median(engines), 3),
        "runs": len(totals),
        "items": items,
        "accounts": accounts,
        "cached_account_card_s": round(cached_card_s, 4),
        "reference_per_record_s": None if ref_s is None else round(ref_s, 3),
        "speedup_vs_reference": None
        if ref_s is None
        else round(ref_s / statistics.median(totals), 2),
        "budget_s": 3.0,
        "within_budget": statistics.median(totals) <= 3.0,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
