"""Synthetic, deterministic export data: a full account, an empty one, route briefs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

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
    RouteBriefData,
    RouteDay,
    RouteStop,
    StockLine,
    StockTrend,
    VisitRecord,
)
from kamdesk.export.options import ExportOptions

AS_OF = date(2026, 11, 20)
GENERATED_AT = datetime(2026, 11, 20, 9, 30)
OPTIONS = ExportOptions(generated_by="王建国", generated_at=GENERATED_AT)
TIERS = ("一类烟", "二类烟", "三类烟", "四五类烟")
PRODUCTS = (
    ("中华（硬）", "一类烟"),
    ("黄鹤楼（软蓝）", "一类烟"),
    ("芙蓉王（硬）", "二类烟"),
    ("利群（新版）", "二类烟"),
    ("云烟（紫）", "三类烟"),
    ("红塔山（经典）", "四五类烟"),
)
HOURS = (
    *(OpeningHours(d, time(8, 0), time(22, 30)) for d in range(6)),
    OpeningHours(6, None, None),
)


def make_card(
    code: str = "KA-0001", name: str = "鑫隆烟酒商行", **overrides: object
) -> AccountCard:
    fields: dict[str, object] = {
        "code": code,
        "name": name,
        "business_format": BusinessFormat.TOBACCO_LIQUOR,
        "status": AccountStatus.ACTIVE,
        "manager_name": "王建国",
        "abc_tier": AbcTier.A,
        "is_vip": True,
        "is_key_account": True,
        "lifecycle": LifecycleStage.MATURITY,
        "relationship_grade": RelationshipGrade.B,
        "loyalty": Loyalty.LOYAL,
        "licence_no": "430102100123",
        "owner_name": "李秀英",
        "phone": "138-0731-5566",
        "address": "长沙市芙蓉区五一大道 368 号 1 楼门面",
        "territory": "芙蓉片区",
        "location": GeoPoint(28.195123, 112.978456),
        "opening_hours": HOURS,
        "area_m2": 45.0,
        "credit_limit": Decimal("50000"),
        "credit_terms_days": 15,
    }
    fields.update(overrides)
    return AccountCard(**fields)  # type: ignore[arg-type]


def make_visits(count: int, as_of: date = AS_OF) -> tuple[VisitRecord, ...]:
    purposes = list(VisitPurpose)
    return tuple(
        VisitRecord(
            visited_on=as_of - timedelta(days=3 * i + 1),
            purpose=purposes[i % len(purposes)],
            status=VisitStatus.DONE if i % 9 else VisitStatus.SKIPPED,
            summary=f"第{count - i}次拜访：检查陈列与库存，中华（硬）动销良好，价格执行到位。",
            started_at=time(9 + i % 8, 15),
            ended_at=time(9 + i % 8, 45),
            follow_up="下周确认节前备货计划" if i % 4 == 0 else "",
            visitor="王建国",
        )
        for i in range(count)
    )


def make_dossier(
    *,
    visits: int = 60,
    notes_chars: int = 300,
    code: str = "KA-0001",
    name: str = "鑫隆烟酒商行",
) -> DossierData:
    months = [date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(18)]
    purchases = tuple(
        MonthlyPurchase(m, tier, Decimal(3000 + 800 * k + 150 * i), Decimal(20 + i))
        for i, m in enumerate(months)
        for k, tier in enumerate(TIERS)
    )
    total = sum((p.amount for p in purchases), Decimal(0))
    top = tuple(
        ProductShare(
            product_name=p,
            quantity=Decimal(120 - 15 * k),
            unit="条",
            amount=Decimal(24000 - 3000 * k),
            share=float(Decimal(24000 - 3000 * k) / total),
            price_tier=tier,
        )
        for k, (p, tier) in enumerate(PRODUCTS)
    )
    note_text = ("店主反映周边新开两家便利店，客流有所分流。" * (notes_chars // 20 + 1))[
        :notes_chars
    ]
    return DossierData(
        account=make_card(code, name),
        capability=BusinessCapability(
            downstream_customers=35,
            coverage="五一大道沿线三个小区及写字楼",
            warehouse_m2=20,
            vehicles=1,
            staff=3,
            capital=Decimal("300000"),
            best_selling_brands=("中华", "芙蓉王", "黄鹤楼", "利群"),
            consumer_groups=("商务人士", "周边居民", "礼品消费"),
        ),
        contacts=(
            Contact(
                "李秀英", "店主", "138-0731-5566", Birthday(8, 15, lunar=True), "打麻将", "", True
            ),
            Contact("张伟", "店员", "139-0000-1111", Birthday(3, 8, year=1990), "篮球"),
            Contact("李强", "店主丈夫", "137-2222-3333", Birthday(12, 20, lunar=True), "钓鱼"),
            Contact("王芳", "会计", "136-4444-5555", None, ""),
            Contact("赵敏", "店员", "135-6666-7777", Birthday(1, 1), "追剧"),
        ),
        evaluations=tuple(
            Evaluation(
                evaluated_on=date(2025, 6 + i, 28) if i < 7 else date(2026, i - 6, 28),
                enthusiasm=70 + i,
                capability=65 + i,
                credit=80 - i % 3,
                social_relations=60 + 2 * i,
                potential=75,
                total=72.5 + i / 2,
                evaluator="王建国",
                comment="积极配合新品上市" if i % 2 else "",
            )
            for i in range(12)
        ),
        purchases=purchases,
        price_tiers=TIERS,
        top_products=top,
        stock=tuple(
            StockLine(
                p,
                Decimal(5 + 7 * k),
                "条",
                AS_OF - timedelta(days=1),
                Decimal(6 + k),
                (5 + 7 * k) / (6 + k),
            )
            for k, (p, _tier) in enumerate(PRODUCTS)
        ),
        advice=(
            OrderAdvice(
                "中华（硬）",
                AdviceAction.REORDER_NOW,
                ("畅销品库存不足1周", "距春节还有10周，节前需求上升"),
                Decimal(10),
                "条",
            ),
            OrderAdvice("红塔山（经典）", AdviceAction.FIFO, ("库存可销6周以上，先进先出消化",)),
            OrderAdvice("贵烟（国酒香）", AdviceAction.NEW_PRODUCT, ("新品价位与烟酒店业态匹配",)),
        ),
        debts=(
            DebtItem(
                date(2026, 10, 5),
                "INV-2026-1005",
                Decimal("8600"),
                Decimal("5000"),
                date(2026, 10, 20),
            ),
            DebtItem(
                date(2026, 11, 10),
                "INV-2026-1110",
                Decimal("12000"),
                Decimal("0"),
                date(2026, 11, 25),
            ),
            DebtItem(
                date(2026, 9, 1),
                "INV-2026-0901",
                Decimal("9000"),
                Decimal("9000"),
                date(2026, 9, 16),
            ),
        ),
        visits=make_visits(visits),
        complaints=(
            ComplaintRecord(
                date(2026, 8, 3),
                "到货包装破损两条",
                ComplaintStatus.RESOLVED,
                "已补发",
                date(2026, 8, 5),
            ),
            ComplaintRecord(date(2026, 11, 12), "送货时间不稳定", ComplaintStatus.OPEN),
        ),
        reminders=(
            ReminderItem(date(2026, 11, 25), ReminderKind.DEBT, "催收 INV-2026-1110 欠款"),
            ReminderItem(date(2026, 11, 22), ReminderKind.CALLBACK, "回访送货时间投诉"),
        ),
        notes=(NoteEntry(AS_OF - timedelta(days=2), note_text, "王建国"),),
        as_of=AS_OF,
    )


def make_empty_dossier() -> DossierData:
    card = make_card(
        "KA-0999",
        "新开便民超市",
        business_format=BusinessFormat.CONVENIENCE,
        status=AccountStatus.PROSPECT,
        abc_tier=None,
        is_vip=False,
        is_key_account=False,
        lifecycle=LifecycleStage.PROSPECT,
        relationship_grade=None,
        loyalty=None,
        licence_no="",
        location=None,
        opening_hours=(),
        area_m2=None,
        credit_limit=None,
        credit_terms_days=None,
    )
    return DossierData(account=card, as_of=AS_OF)


def make_stop(seq: int, lat: float, lon: float) -> RouteStop:
    return RouteStop(
        sequence=seq,
        account_code=f"KA-{seq:04d}",
        account_name=f"第{seq}号便利店",
        address=f"长沙市天心区书院路 {100 + seq} 号",
        location=GeoPoint(lat, lon),
        arrival=time(9 + seq // 2, 30 * (seq % 2)),
        departure=time(9 + seq // 2, 30 * (seq % 2) + 20),
        business_format=BusinessFormat.CONVENIENCE,
        phone="0731-8888-0000",
        opening_hours=HOURS,
        why_due=("A类客户，距上次拜访已14天", "销量波动超过30%，需特殊拜访"),
        last_visit_on=AS_OF - timedelta(days=14),
        last_visit_summary="库存正常，店主反映芙蓉王（硬）缺货。",
        stock_trend=(
            StockTrend(
                "芙蓉王（硬）",
                "条",
                tuple(
                    (AS_OF - timedelta(days=14 * i), Decimal(20 - 4 * i)) for i in range(4, -1, -1)
                ),
            ),
            StockTrend("云烟（紫）", "条", ((AS_OF - timedelta(days=14), Decimal(8)),)),
        ),
        advice=(
            OrderAdvice(
                "芙蓉王（硬）", AdviceAction.ORDER_MORE, ("近四次盘点持续下降",), Decimal(5), "条"
            ),
        ),
        open_tasks=("回收上月陈列协议", "确认节前备货"),
    )


def make_route_brief(days: int = 1, stops: int = 6) -> RouteBriefData:
    route_days = tuple(
        RouteDay(
            day=AS_OF + timedelta(days=d),
            stops=tuple(
                make_stop(i + 1, 28.18 + 0.004 * i + 0.001 * d, 112.97 + 0.006 * ((i * 7) % 5))
                for i in range(stops)
            ),
            start=GeoPoint(28.17, 112.965),
            start_label="公司",
            distance_km=18.4,
            duration_minutes=325,
        )
        for d in range(days)
    )
    return RouteBriefData(manager_name="王建国", days=route_days, territory="天心片区")
