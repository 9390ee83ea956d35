"""Every fixed word the PDF exports print, Simplified Chinese first and English second.

One place per string: layout code asks ``Labels(lang).t("key")`` and never spells text itself.
Formatting of money, dates and lunar birthdays lives here too because it is language-bound.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

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
from kamdesk.export.dossier_data import AdviceAction, ReminderKind


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


_TEXT: dict[str, tuple[str, str]] = {
    # documents and footer
    "doc.dossier": ("客户档案", "Account dossier"),
    "doc.route_brief": ("线路拜访简报", "Route brief"),
    "footer.confidential": ("内部资料 · 注意保密", "Internal · Confidential"),
    "footer.page": ("第 {page} 页 / 共 {pages} 页", "Page {page} / {pages}"),
    "footer.generated": ("生成于 {at} · 生成人 {by}", "Generated {at} by {by}"),
    # dossier section headings
    "sec.basic": ("客户基本信息卡", "Basic information card"),
    "sec.capability": ("经营与能力", "Business and capability"),
    "sec.contacts": ("联系人", "Contacts"),
    "sec.evaluation": ("客户评价记录", "Evaluation history"),
    "sec.purchases": ("近18个月进货趋势（按价类）", "Purchases, last 18 months by price tier"),
    "sec.top_products": ("主销品规及占比", "Top products and share"),
    "sec.stock": ("当前库存与订货建议", "Current stock and ordering advice"),
    "sec.debt": ("欠款与结算", "Debt and settlement"),
    "sec.visits": ("拜访记录", "Visit history"),
    "sec.complaints": ("投诉与处理", "Complaints and resolutions"),
    "sec.reminders": ("待办提醒", "Open reminders"),
    "sec.notes": ("备注", "Notes"),
    # empty sections
    "empty.capability": ("暂无经营能力信息", "No business information yet"),
    "empty.contacts": ("暂无联系人", "No contacts yet"),
    "empty.evaluation": ("暂无评价记录", "No evaluations yet"),
    "empty.purchases": ("暂无进货记录", "No purchases yet"),
    "empty.top_products": ("暂无品规数据", "No product data yet"),
    "empty.stock": ("暂无库存盘点", "No stock counts yet"),
    "empty.advice": ("暂无订货建议", "No ordering advice"),
    "empty.debt": ("暂无欠款", "No outstanding debt"),
    "empty.visits": ("暂无拜访记录", "No visits yet"),
    "empty.complaints": ("暂无投诉", "No complaints"),
    "empty.reminders": ("暂无待办提醒", "No open reminders"),
    "empty.notes": ("暂无备注", "No notes"),
    "empty.value": ("—", "—"),
    # header
    "hdr.code": ("客户编码", "Code"),
    "hdr.manager": ("客户经理", "Manager"),
    "hdr.as_of": ("档案日期", "As of"),
    "badge.vip": ("VIP", "VIP"),
    "badge.key_account": ("大客户", "Key account"),
    "badge.tier": ("{tier}类客户", "Tier {tier}"),
    # basic card
    "f.licence_no": ("许可证号", "Licence no."),
    "f.owner": ("负责人", "Owner"),
    "f.phone": ("联系电话", "Phone"),
    "f.address": ("经营地址", "Address"),
    "f.coordinates": ("经纬度", "Coordinates"),
    "f.territory": ("片区", "Territory"),
    "f.format": ("业态", "Format"),
    "f.area": ("经营面积", "Floor area"),
    "f.status": ("客户状态", "Status"),
    "f.grade": ("关系等级", "Relationship grade"),
    "f.loyalty": ("忠诚度", "Loyalty"),
    "f.credit_limit": ("信用额度", "Credit limit"),
    "f.credit_terms": ("账期", "Credit terms"),
    "f.hours": ("营业时间", "Opening hours"),
    "f.closed": ("休息", "closed"),
    "unit.m2": ("{v} ㎡", "{v} m²"),
    "unit.days": ("{v} 天", "{v} days"),
    # capability
    "f.downstream": ("下游客户数", "Downstream customers"),
    "f.coverage": ("辐射范围", "Coverage"),
    "f.warehouse": ("仓储面积", "Warehouse"),
    "f.vehicles": ("车辆", "Vehicles"),
    "f.staff": ("员工", "Staff"),
    "f.capital": ("资金实力", "Capital"),
    "f.brands": ("经营畅销品牌", "Best-selling brands held"),
    "f.consumers": ("主要消费群体", "Main consumer groups"),
    # contacts
    "c.name": ("姓名", "Name"),
    "c.role": ("职务", "Role"),
    "c.phone": ("电话", "Phone"),
    "c.birthday": ("生日", "Birthday"),
    "c.interests": ("兴趣爱好 / 家庭", "Interests / family"),
    "c.decision": ("决策人", "Decides"),
    "c.yes": ("是", "yes"),
    "c.lunar": ("农历", "lunar"),
    "c.this_year": ("今年公历 {d}", "this year {d}"),
    # evaluations
    "e.date": ("日期", "Date"),
    "e.enthusiasm": ("积极性", "Enthusiasm"),
    "e.capability": ("经营能力", "Capability"),
    "e.credit": ("信誉", "Credit"),
    "e.social": ("社会关系", "Social"),
    "e.potential": ("潜力", "Potential"),
    "e.total": ("综合", "Total"),
    "e.evaluator": ("评价人", "By"),
    "e.comment": ("评语", "Comment"),
    # purchases and products
    "p.month": ("月份", "Month"),
    "p.total": ("合计", "Total"),
    "p.amount_axis": ("进货金额（元）", "Amount (CNY)"),
    "p.summary": (
        "近18个月进货合计 {total}，月均 {avg}；最近3个月较前3个月 {change}",
        "18-month total {total}, monthly average {avg}; last 3 months vs previous 3: {change}",
    ),
    "tp.product": ("品规", "Product"),
    "tp.tier": ("价类", "Tier"),
    "tp.quantity": ("数量", "Quantity"),
    "tp.amount": ("金额", "Amount"),
    "tp.share": ("占比", "Share"),
    # stock and advice
    "s.product": ("品规", "Product"),
    "s.on_hand": ("库存", "On hand"),
    "s.counted": ("盘点日期", "Counted"),
    "s.weekly": ("周销量", "Weekly sales"),
    "s.cover": ("可销周数", "Weeks of cover"),
    "a.title": ("订货建议", "Ordering advice"),
    "a.product": ("品规", "Product"),
    "a.action": ("建议", "Advice"),
    "a.quantity": ("建议量", "Quantity"),
    "a.reasons": ("理由", "Reasons"),
    # debt
    "d.date": ("开票日期", "Invoiced"),
    "d.reference": ("单号", "Reference"),
    "d.amount": ("金额", "Amount"),
    "d.paid": ("已结", "Paid"),
    "d.outstanding": ("未结", "Outstanding"),
    "d.due": ("到期日", "Due"),
    "d.overdue": ("逾期", "overdue"),
    "d.summary": (
        "未结欠款合计 {outstanding}（其中逾期 {overdue}）；信用额度 {limit}",
        "Outstanding {outstanding} (overdue {overdue}); credit limit {limit}",
    ),
    "d.settled": (
        "另有已结清单据 {n} 笔，合计 {amount}",
        "{n} further invoices settled, {amount} in total",
    ),
    # visits
    "v.date": ("日期", "Date"),
    "v.time": ("时间", "Time"),
    "v.purpose": ("目的", "Purpose"),
    "v.status": ("状态", "Status"),
    "v.summary": ("情况与跟进", "Findings and follow-up"),
    "v.follow_up": ("跟进：", "Follow-up: "),
    "v.count": ("共 {n} 次拜访，最近一次 {last}", "{n} visits, latest {last}"),
    # complaints, reminders, notes
    "cp.date": ("日期", "Date"),
    "cp.subject": ("投诉内容", "Complaint"),
    "cp.status": ("状态", "Status"),
    "cp.resolution": ("处理结果", "Resolution"),
    "r.due": ("到期日", "Due"),
    "r.kind": ("类型", "Kind"),
    "r.text": ("内容", "What"),
    # route brief
    "rb.cover": ("{day} 拜访线路", "Route for {day}"),
    "rb.period": ("计划期间", "Period"),
    "rb.stops": ("拜访客户 {n} 家", "{n} stops"),
    "rb.distance": ("里程约 {km} 公里", "about {km} km"),
    "rb.duration": ("预计用时 {h} 小时 {m} 分", "about {h} h {m} min"),
    "rb.start": ("出发点", "Start"),
    "rb.seq": ("序号", "No."),
    "rb.account": ("客户", "Account"),
    "rb.address": ("地址", "Address"),
    "rb.arrival": ("到达", "Arrive"),
    "rb.departure": ("离开", "Leave"),
    "rb.hours_today": ("当日营业", "Open today"),
    "rb.no_stops": ("当日无拜访安排", "No visits planned for this day"),
    "rb.stop_title": ("第 {n} 站 · {name}", "Stop {n} · {name}"),
    "rb.why_due": ("拜访原因", "Why due"),
    "rb.last_visit": ("上次拜访", "Last visit"),
    "rb.no_last_visit": ("首次拜访", "First visit"),
    "rb.stock_trend": ("库存趋势", "Stock trend"),
    "rb.advice": ("订货建议", "Ordering advice"),
    "rb.tasks": ("待办事项", "Open tasks"),
    "rb.none": ("无", "None"),
    "rb.more": ("……另有 {n} 项，详见客户档案", "… {n} more, see the account dossier"),
    "rb.week": ("{period} 拜访计划", "Visit plan {period}"),
    "rb.day": ("日期", "Day"),
    "rb.first_arrival": ("首站到达", "First arrival"),
    "rb.last_departure": ("末站离开", "Last departure"),
    "rb.km": ("里程（公里）", "Distance (km)"),
    "rb.minutes": ("用时", "Duration"),
    "rb.hm": ("{h}小时{m}分", "{h} h {m} min"),
    "rb.stop_count": ("客户数", "Stops"),
    "rb.change": ("变化", "Change"),
    "rb.map_north": ("北", "N"),
}

_WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("周一", "Mon"),
    ("周二", "Tue"),
    ("周三", "Wed"),
    ("周四", "Thu"),
    ("周五", "Fri"),
    ("周六", "Sat"),
    ("周日", "Sun"),
)

# StrEnum members of different types can be equal ("prospect", "A"), so the key holds the type.
_ENUM_LIST: tuple[tuple[StrEnum, tuple[str, str]], ...] = (
    (BusinessFormat.TOBACCO_LIQUOR, ("烟酒店", "Tobacco & liquor")),
    (BusinessFormat.GROCERY, ("食杂店", "Grocery")),
    (BusinessFormat.CONVENIENCE, ("便利店", "Convenience store")),
    (BusinessFormat.SUPERMARKET, ("超市", "Supermarket")),
    (BusinessFormat.MALL, ("商场", "Mall")),
    (BusinessFormat.ENTERTAINMENT, ("娱乐服务", "Entertainment")),
    (AccountStatus.PROSPECT, ("潜在客户", "Prospect")),
    (AccountStatus.ACTIVE, ("正常经营", "Active")),
    (AccountStatus.SUSPENDED, ("暂停", "Suspended")),
    (AccountStatus.CLOSED, ("已销户", "Closed")),
    (LifecycleStage.PROSPECT, ("潜在获取期", "Acquisition")),
    (LifecycleStage.GROWTH, ("成长期", "Growth")),
    (LifecycleStage.MATURITY, ("成熟期", "Maturity")),
    (LifecycleStage.DECLINE, ("衰退期", "Decline")),
    (LifecycleStage.ENDED, ("终止期", "Ended")),
    (AbcTier.A, ("A", "A")),
    (AbcTier.B, ("B", "B")),
    (AbcTier.C, ("C", "C")),
    (RelationshipGrade.A, ("A 信任人也信任产品", "A — trusts you and the products")),
    (RelationshipGrade.B, ("B 信任人不信任产品", "B — trusts you, not the products")),
    (RelationshipGrade.C, ("C 略有交往", "C — know each other a little")),
    (RelationshipGrade.D, ("D 点头之交", "D — nodding acquaintance")),
    (Loyalty.LOYAL, ("忠诚", "Loyal")),
    (Loyalty.SWITCHING, ("品牌转换型", "Brand-switching")),
    (Loyalty.NONE, ("无品牌忠诚", "No brand loyalty")),
    (VisitPurpose.ROUTINE, ("例行拜访", "Routine")),
    (VisitPurpose.SPECIAL, ("特殊拜访", "Special")),
    (VisitPurpose.RETENTION, ("挽留拜访", "Retention")),
    (VisitPurpose.COLLECTION, ("收款", "Collection")),
    (VisitPurpose.COMPLAINT, ("投诉处理", "Complaint")),
    (VisitPurpose.NEW_PRODUCT, ("新品推介", "New product")),
    (VisitPurpose.PROSPECTING, ("开发拜访", "Prospecting")),
    (VisitPurpose.SENIOR, ("高层拜访", "Senior visit")),
    (VisitStatus.PLANNED, ("计划", "Planned")),
    (VisitStatus.IN_PROGRESS, ("进行中", "In progress")),
    (VisitStatus.DONE, ("已完成", "Done")),
    (VisitStatus.SKIPPED, ("未拜访", "Skipped")),
    (VisitStatus.CANCELLED, ("已取消", "Cancelled")),
    (ComplaintStatus.OPEN, ("处理中", "Open")),
    (ComplaintStatus.RESOLVED, ("已解决", "Resolved")),
    (AdviceAction.ORDER_MORE, ("建议增订", "Order more")),
    (AdviceAction.ORDER_LESS, ("建议减订", "Order less")),
    (AdviceAction.KEEP, ("保持", "Keep")),
    (AdviceAction.REORDER_NOW, ("及时补货", "Reorder now")),
    (AdviceAction.FIFO, ("先进先出消化", "Sell down (FIFO)")),
    (AdviceAction.MISSED, ("漏订提醒", "Missed order")),
    (AdviceAction.NEW_PRODUCT, ("新品上市", "New product")),
    (AdviceAction.HOLIDAY_STOCK, ("节前备货", "Holiday stock")),
    (ReminderKind.CALLBACK, ("回访", "Callback")),
    (ReminderKind.BIRTHDAY, ("生日", "Birthday")),
    (ReminderKind.HOLIDAY, ("节日问候", "Holiday greeting")),
    (ReminderKind.REORDER, ("补货", "Reorder")),
    (ReminderKind.DEBT, ("催收欠款", "Debt collection")),
    (ReminderKind.PROSPECT, ("潜在客户跟进", "Prospect follow-up")),
    (ReminderKind.OTHER, ("其他", "Other")),
)
_ENUMS: dict[tuple[type[StrEnum], str], tuple[str, str]] = {
    (type(member), member.value): words for member, words in _ENUM_LIST
}

_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_LUNAR_DAY_TENS = ("初", "十", "廿", "三")
_DIGITS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_CENT = Decimal("0.01")


def section_keys() -> tuple[str, ...]:
    """Keys of every dossier section heading, in document order."""
    return tuple(k for k in _TEXT if k.startswith("sec."))


class Labels:
    """Words and formats for one language."""

    __slots__ = ("lang",)

    def __init__(self, lang: Lang = Lang.ZH) -> None:
        self.lang = lang

    def t(self, key: str, **values: object) -> str:
        zh, en = _TEXT[key]
        text = zh if self.lang is Lang.ZH else en
        return text.format(**values) if values else text

    def enum(self, value: StrEnum | None) -> str:
        if value is None:
            return self.t("empty.value")
        zh, en = _ENUMS[(type(value), value.value)]
        return zh if self.lang is Lang.ZH else en

    def weekday(self, index: int) -> str:
        zh, en = _WEEKDAYS[index]
        return zh if self.lang is Lang.ZH else en

    def money(self, amount: Decimal | None) -> str:
        if amount is None:
            return self.t("empty.value")
        value = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        sign = "-" if value < 0 else ""
        return f"{sign}¥{abs(value):,.2f}"

    def money_short(self, amount: Decimal) -> str:
        """Axis labels: ``1.2万`` / ``12k``."""
        value = float(amount)
        if self.lang is Lang.ZH:
            return f"{value / 10000:g}万" if abs(value) >= 10000 else f"{value:,.0f}"
        return f"{value / 1000:g}k" if abs(value) >= 1000 else f"{value:,.0f}"

    def number(self, value: Decimal | float | int | None, digits: int = 0) -> str:
        if value is None:
            return self.t("empty.value")
        return f"{float(value):,.{digits}f}"

    def pct(self, share: float, digits: int = 1) -> str:
        return f"{share * 100:.{digits}f}%"

    def day(self, day: date | None) -> str:
        return self.t("empty.value") if day is None else day.isoformat()

    def day_with_weekday(self, day: date) -> str:
        return f"{day.isoformat()} {self.weekday(day.weekday())}"

    def clock(self, at: time | None) -> str:
        return self.t("empty.value") if at is None else at.strftime("%H:%M")

    def timestamp(self, at: datetime) -> str:
        return at.strftime("%Y-%m-%d %H:%M")

    def month(self, first_day: date) -> str:
        if self.lang is Lang.ZH:
            return f"{first_day.year % 100:02d}年{first_day.month}月"
        return first_day.strftime("%b %y")

    def month_tick(self, first_day: date, with_year: bool) -> str:
        """Chart axis tick: ``6月`` (``6月\n2025`` at the start and at each January)."""
        month = f"{first_day.month}月" if self.lang is Lang.ZH else first_day.strftime("%b")
        return f"{month}\n{first_day.year}" if with_year else month

    def lunar_date(self, month: int, day: int, leap: bool = False) -> str:
        """``农历闰四月初八`` / ``lunar 4/8 (leap)``."""
        if self.lang is Lang.EN or not (1 <= month <= 12 and 1 <= day <= 30):
            return f"{self.t('c.lunar')} {month}/{day}{' (leap)' if leap else ''}"
        if day == 10:
            day_text = "初十"
        elif day == 20:
            day_text = "二十"
        elif day == 30:
            day_text = "三十"
        else:
            day_text = _LUNAR_DAY_TENS[day // 10] + _DIGITS[day % 10]
        return f"{self.t('c.lunar')}{'闰' if leap else ''}{_LUNAR_MONTHS[month - 1]}月{day_text}"
