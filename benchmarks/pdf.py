"""PDF export benchmark: one-dossier latency and a 300-dossier batch into separate files.

    python benchmarks/pdf.py [--runs 20] [--batch 300] [--seed 7]
    python benchmarks/pdf.py --db PATH [--as-of 2026-11-23]   # a real (demo) workspace

Two data sources; the JSON says which one ran (``source``):
- synthetic (default: nothing to set up): realistic dossiers (18 months of purchases by price
  tier, 60 visits, 5 contacts, 12 evaluations, stock, advice, debts, complaints, notes); the
  timings are rendering only.
- ``--db PATH``: a workspace such as ``kamdesk demo create --path X`` makes (about 20 s to
  build, hence not the default). Each single dossier is timed as the app makes it: read from the
  database by ``DossierService.dossier`` (with the ordering advice) and rendered;
  ``dossier_read_median_s`` and ``dossier_render_median_s`` split it. The batch is
  ``export_dossiers`` over the first ``--batch`` accounts by code. The advice engine's one
  territory run is timed apart (``advice_engine_s``), as the app runs it once a day.
  The workspace's passphrase comes from $KAMDESK_PASSPHRASE, else the demo passphrase.

Progress goes to stderr; the last stdout line is a JSON object. Times are medians of wall
time; ``*_cpu_s`` is this process's CPU time, which stays meaningful when other jobs share the
machine, and ``reference_minimal_s`` (a one-page reportlab PDF with the same embedded CJK font,
run in this process) gives a ratio comparable across machines.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from kamdesk.domain.enums import (
    AbcTier,
    AccountStatus,
    BusinessFormat,
    ComplaintStatus,
    LifecycleStage,
    Loyalty,
    RelationshipGrade,
    VisitPurpose,
    VisitStatus,
)
from kamdesk.export import ExportOptions, dossier_jobs, export_batch, render_dossier
from kamdesk.export.dossier_data import (
    AccountCard,
    AdviceAction,
    Birthday,
    BusinessCapability,
    ComplaintRecord,
    Contact,
    DebtItem,
    DossierData,
    Evaluation,
    GeoPoint,
    MonthlyPurchase,
    NoteEntry,
    OpeningHours,
    OrderAdvice,
    ProductShare,
    ReminderItem,
    ReminderKind,
    StockLine,
    VisitRecord,
)
from kamdesk.export.fonts import ensure_font

AS_OF = date(2026, 11, 20)
TIERS = ("一类烟", "二类烟", "三类烟", "四五类烟")
PRODUCTS = (
    ("中华（硬）", "一类烟", 450),
    ("黄鹤楼（软蓝）", "一类烟", 190),
    ("芙蓉王（硬）", "二类烟", 230),
    ("利群（新版）", "二类烟", 150),
    ("云烟（紫）", "三类烟", 100),
    ("白沙（和天下）", "一类烟", 900),
    ("红塔山（经典）", "四五类烟", 65),
    ("白沙（精品）", "四五类烟", 50),
)
SHOP_WORDS = ("鑫隆", "福满", "顺发", "恒达", "金源", "好又多", "万家", "兴旺", "利民", "佳美")
STREETS = ("五一大道", "解放西路", "韶山路")
SHOP_KINDS = ("烟酒商行", "便利店", "食杂店", "超市", "名烟名酒")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "秀英", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛")
FINDINGS = (
    "检查陈列，主推品规位置良好，价签齐全。",
    "店主反映芙蓉王（硬）动销放缓，建议适当减订。",
    "中华（硬）库存偏低，节前需求上升，提醒及时补货。",
    "发现两条疑似渠道外烟，已提醒店主并记录。",
    "新品推介，店主愿意试销一件。",
    "价格执行到位，消费者反馈口感稳定。",
)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def synthetic_dossier(index: int, rng: random.Random) -> DossierData:
    name = f"{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}（{index + 1}号）"
    card = AccountCard(
        code=f"KA-{index + 1:05d}",
        name=name,
        business_format=rng.choice(list(BusinessFormat)),
        status=AccountStatus.ACTIVE,
        manager_name="王建国",
        abc_tier=rng.choice(list(AbcTier)),
        is_vip=rng.random() < 0.2,
        is_key_account=rng.random() < 0.1,
        lifecycle=rng.choice(list(LifecycleStage)),
        relationship_grade=rng.choice(list(RelationshipGrade)),
        loyalty=rng.choice(list(Loyalty)),
        licence_no=f"4301{rng.randrange(10**8):08d}",
        owner_name=_person(rng),
        phone=f"13{rng.randrange(10**9):09d}",
        address=f"长沙市芙蓉区{rng.choice(STREETS)}{rng.randrange(1, 900)}号",
        territory="芙蓉片区",
        location=GeoPoint(28.15 + rng.random() / 10, 112.93 + rng.random() / 10),
        opening_hours=tuple(OpeningHours(d, clock(8), clock(22)) for d in range(7)),
        area_m2=float(rng.randrange(15, 300)),
        credit_limit=Decimal(rng.choice((0, 20000, 50000, 100000))),
        credit_terms_days=rng.choice((0, 7, 15, 30)),
    )
    months = [date(2025 + (5 + i) // 12, (5 + i) % 12 + 1, 1) for i in range(18)]
    base = rng.uniform(2000, 30000)
    purchases = tuple(
        MonthlyPurchase(m, t, Decimal(round(base * rng.uniform(0.1, 0.5), 2)), Decimal(20))
        for m in months
        for t in TIERS
    )
    total = sum((p.amount for p in purchases), Decimal(0))
    top = []
    for name_, tier, price in PRODUCTS:
        quantity = Decimal(rng.randrange(10, 400))
        amount = quantity * price
        top.append(ProductShare(name_, quantity, "条", amount, float(amount / total) / 8, tier))
    visits = tuple(
        VisitRecord(
            AS_OF - timedelta(days=6 * i + rng.randrange(3)),
            rng.choice(list(VisitPurpose)),
            VisitStatus.DONE if rng.random() < 0.9 else VisitStatus.SKIPPED,
            " ".join(rng.sample(FINDINGS, 2)),
            clock(rng.randrange(8, 18), rng.randrange(60)),
            None,
            rng.choice(("", "下周复查库存", "回访投诉处理结果")),
            "王建国",
        )
        for i in range(60)
    )
    return DossierData(
        account=card,
        capability=BusinessCapability(
            rng.randrange(0, 80),
            "周边三个小区",
            float(rng.randrange(0, 100)),
            rng.randrange(0, 3),
            rng.randrange(1, 10),
            Decimal(rng.randrange(50, 2000) * 1000),
            ("中华", "芙蓉王", "黄鹤楼"),
            ("周边居民", "商务人士"),
        ),
        contacts=tuple(
            Contact(
                _person(rng),
                rng.choice(("店主", "店员", "会计", "店主家属")),
                f"13{rng.randrange(10**9):09d}",
                Birthday(rng.randrange(1, 13), rng.randrange(1, 29), lunar=rng.random() < 0.5),
                rng.choice(("打麻将", "钓鱼", "书法", "")),
                "",
                k == 0,
            )
            for k in range(5)
        ),
        evaluations=tuple(
            Evaluation(
                evaluated_on=months[i + 6],
                enthusiasm=rng.uniform(50, 95),
                capability=rng.uniform(50, 95),
                credit=rng.uniform(50, 95),
                social_relations=rng.uniform(50, 95),
                potential=rng.uniform(50, 95),
                total=rng.uniform(55, 90),
                evaluator="王建国",
            )
            for i in range(12)
        ),
        purchases=purchases,
        price_tiers=TIERS,
        top_products=tuple(top),
        stock=tuple(
            StockLine(p, Decimal(rng.randrange(0, 60)), "条", AS_OF, Decimal(rng.randrange(1, 20)))
            for p, _, _ in PRODUCTS
        ),
        advice=(
            OrderAdvice(
                "中华（硬）", AdviceAction.REORDER_NOW, ("库存不足1周",), Decimal(10), "条"
            ),
            OrderAdvice("白沙（精品）", AdviceAction.FIFO, ("库存可销8周以上",)),
            OrderAdvice(
                "云烟（紫）", AdviceAction.HOLIDAY_STOCK, ("距春节10周",), Decimal(5), "条"
            ),
        ),
        debts=tuple(
            DebtItem(
                AS_OF - timedelta(days=15 * k),
                f"INV-{index}-{k}",
                Decimal(8000),
                Decimal(rng.choice((0, 3000, 8000))),
                AS_OF - timedelta(days=15 * k - 15),
            )
            for k in range(rng.randrange(0, 5))
        ),
        visits=visits,
        complaints=tuple(
            ComplaintRecord(
                AS_OF - timedelta(days=30 * k), "送货延迟", ComplaintStatus.RESOLVED, "已协调"
            )
            for k in range(rng.randrange(0, 3))
        ),
        reminders=(ReminderItem(AS_OF + timedelta(days=3), ReminderKind.CALLBACK, "回访"),),
        notes=tuple(
            NoteEntry(AS_OF - timedelta(days=k * 40), "".join(rng.choices(FINDINGS, k=8)), "王建国")
            for k in range(rng.randrange(1, 4))
        ),
        as_of=AS_OF,
    )


def load_dossiers(count: int, seed: int) -> list[DossierData]:
    """The synthetic data source."""
    rng = random.Random(seed)
    return [synthetic_dossier(i, rng) for i in range(count)]


def minimal_pdf(font: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=font)
    canvas.setFont(font, 12)
    canvas.drawString(72, 720, "客户档案 内部资料 · 注意保密 第 1 页 / 共 1 页")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="dossiers timed one by one (>= 20)")
    parser.add_argument("--batch", type=int, default=300, help="dossiers in the batch run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="read dossiers from this workspace database")
    parser.add_argument("--as-of", default="2026-11-23", help="reference day for --db")
    args = parser.parse_args()

    options = ExportOptions(generated_by="benchmark", generated_at=datetime(2026, 11, 20, 9, 0))
    started = time.perf_counter()
    font = ensure_font()
    render_dossier(load_dossiers(1, args.seed + 1)[0], options)  # warm-up: font parse, imports
    print(f"warm-up {time.perf_counter() - started:.2f}s", file=sys.stderr)

    reference = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        minimal_pdf(font)
        reference.append(time.perf_counter() - t0)

    if args.db is not None:
        print(f"source: database {args.db}", file=sys.stderr)
        result = _bench_db(args, options)
    else:
        print("source: synthetic dossiers", file=sys.stderr)
        result = _bench_synthetic(args, options)
    ref = statistics.median(reference)
    result["reference_minimal_s"] = round(ref, 5)
    result["ratio_dossier_vs_minimal"] = round(result["dossier_median_s"] / ref, 1)
    result["target_dossier_median_s"] = 0.5
    result["target_batch_300_s"] = 120
    print(json.dumps(result, ensure_ascii=False))


def _pdf_stats(content: bytes, pages: list[int], sizes: list[int]) -> None:
    pages.append(len(PdfReader(io.BytesIO(content)).pages))
    sizes.append(len(content))


def _bench_synthetic(args: argparse.Namespace, options: ExportOptions) -> dict[str, Any]:
    singles = load_dossiers(args.runs, args.seed)
    times: list[float] = []
    cpu_times: list[float] = []
    pages: list[int] = []
    sizes: list[int] = []
    for i, data in enumerate(singles, start=1):
        t0, c0 = time.perf_counter(), time.process_time()
        content = render_dossier(data, options)
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
        _pdf_stats(content, pages, sizes)
        print(f"dossier {i}/{args.runs}: {times[-1]:.3f}s, {pages[-1]} pages", file=sys.stderr)

    batch = load_dossiers(args.batch, args.seed + 2)
    with tempfile.TemporaryDirectory(prefix="kamdesk-pdf-bench-") as folder:
        jobs = dossier_jobs(batch, Path(folder), options)
        t0, c0 = time.perf_counter(), time.process_time()
        written = export_batch(jobs, options, progress=_batch_progress)
        batch_s, batch_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        batch_bytes = sum(p.stat().st_size for p in written)
    return {"source": "synthetic"} | _figures(
        args, times, cpu_times, pages, sizes, len(written), batch_s, batch_cpu_s, batch_bytes
    )


def _bench_db(args: argparse.Namespace, options: ExportOptions) -> dict[str, Any]:
    from kamdesk.cli import DEMO_PASSPHRASE, PASSPHRASE_ENV
    from kamdesk.services.advice import AdviceService
    from kamdesk.services.dossier import DossierService
    from kamdesk.services.dossier_export import export_dossiers
    from kamdesk.services.workspace import open_workspace

    if not args.db.exists():
        sys.exit(f"no workspace at {args.db}: run `kamdesk demo create --path {args.db}` first")
    as_of = date.fromisoformat(args.as_of)
    passphrase = os.environ.get(PASSPHRASE_ENV) or DEMO_PASSPHRASE
    store = open_workspace(args.db, passphrase=passphrase)
    try:
        advice = AdviceService(store, clock=lambda: as_of)
        service = DossierService(store, advice=advice, clock=lambda: as_of)
        t0, c0 = time.perf_counter(), time.process_time()
        advice.run(as_of)  # the app's daily territory run, cached afterwards
        engine_s, engine_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        print(f"advice engine {engine_s:.2f}s", file=sys.stderr)
        ids = service.account_ids()
        step = max(len(ids) // max(args.runs, 1), 1)
        sample = ids[::step][: args.runs]  # spread over the territory, tiers A to C
        times: list[float] = []
        cpu_times: list[float] = []
        reads: list[float] = []
        renders: list[float] = []
        pages: list[int] = []
        sizes: list[int] = []
        for i, account_id in enumerate(sample, start=1):
            t0, c0 = time.perf_counter(), time.process_time()
            data = service.dossier(account_id, as_of)
            t1 = time.perf_counter()
            content = render_dossier(data, options)
            t2 = time.perf_counter()
            times.append(t2 - t0)
            cpu_times.append(time.process_time() - c0)
            reads.append(t1 - t0)
            renders.append(t2 - t1)
            _pdf_stats(content, pages, sizes)
            print(
                f"dossier {i}/{len(sample)} {data.account.code}: read {reads[-1]:.3f}s "
                f"render {renders[-1]:.3f}s, {pages[-1]} pages",
                file=sys.stderr,
            )
        batch_ids = ids[: args.batch]
        with tempfile.TemporaryDirectory(prefix="kamdesk-pdf-bench-") as folder:
            t0, c0 = time.perf_counter(), time.process_time()
            written = export_dossiers(
                service,
                batch_ids,
                Path(folder),
                options=options,
                as_of=as_of,
                progress=_batch_progress,
            )
            batch_s, batch_cpu_s = time.perf_counter() - t0, time.process_time() - c0
            batch_bytes = sum(p.stat().st_size for p in written)
    finally:
        store.close()
    figures = _figures(
        args, times, cpu_times, pages, sizes, len(written), batch_s, batch_cpu_s, batch_bytes
    )
    return {
        "source": "database",
        "db": str(args.db),
        "accounts": len(ids),
        **figures,
        "dossier_read_median_s": round(statistics.median(reads), 4),
        "dossier_render_median_s": round(statistics.median(renders), 4),
        "advice_engine_s": round(engine_s, 2),
        "advice_engine_cpu_s": round(engine_cpu_s, 2),
    }


def _batch_progress(done: int, total: int, message: str) -> None:
    if done % 50 == 0 or done == total:
        print(f"batch {done}/{total}", file=sys.stderr)


def _figures(
    args: argparse.Namespace,
    times: list[float],
    cpu_times: list[float],
    pages: list[int],
    sizes: list[int],
    count: int,
    batch_s: float,
    batch_cpu_s: float,
    batch_bytes: int,
) -> dict[str, Any]:
    batch_key = f"batch_{args.batch}"
    return {
        "dossier_median_s": round(statistics.median(times), 4),
        "dossier_median_cpu_s": round(statistics.median(cpu_times), 4),
        "dossier_p90_s": round(statistics.quantiles(times, n=10)[-1], 4),
        "dossier_runs": len(times),
        "dossier_pages_median": statistics.median(pages),
        "dossier_bytes_median": int(statistics.median(sizes)),
        "batch_count": count,
        f"{batch_key}_s": round(batch_s, 2),
        f"{batch_key}_cpu_s": round(batch_cpu_s, 2),
        "batch_per_dossier_s": round(batch_s / max(count, 1), 4),
        "batch_total_mb": round(batch_bytes / 1e6, 1),
    }


if __name__ == "__main__":
    main()
