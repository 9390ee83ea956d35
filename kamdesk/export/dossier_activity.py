"""Dossier sections about what happens at the account: purchases to notes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from kamdesk.domain.enums import ComplaintStatus
from kamdesk.export.charts import purchase_chart
from kamdesk.export.dossier_data import (
    ComplaintRecord,
    DebtItem,
    MonthlyPurchase,
    NoteEntry,
    OrderAdvice,
    ProductShare,
    ReminderItem,
    StockLine,
    VisitRecord,
)
from kamdesk.export.labels import Labels
from kamdesk.export.styles import (
    ACCENT,
    GOLD,
    data_table,
    empty_line,
    para,
    section_heading,
    styles,
    text_blocks,
)

TREND_MONTHS = 18


def trend_months(as_of: date, count: int = TREND_MONTHS) -> list[date]:
    """First days of the ``count`` months ending with ``as_of``'s month, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _tiers(purchases: Sequence[MonthlyPurchase], preferred: Sequence[str]) -> list[str]:
    seen = {p.price_tier for p in purchases}
    ordered = [t for t in preferred if t in seen]
    ordered += sorted(seen - set(ordered))
    return ordered


def _change(recent: Decimal, before: Decimal, labels: Labels) -> str:
    if before == 0:
        return labels.t("empty.value")
    return f"{float((recent - before) / before) * 100:+.1f}%"


def purchases(
    items: Sequence[MonthlyPurchase],
    preferred_tiers: Sequence[str],
    as_of: date,
    labels: Labels,
    width: float,
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [*section_heading(labels.t("sec.purchases"), width)]
    months = trend_months(as_of)
    window = [p for p in items if months[0] <= p.month.replace(day=1) <= months[-1]]
    if not window:
        out.append(empty_line(labels.t("empty.purchases")))
        return out
    amounts: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    for p in window:
        amounts[(p.month.replace(day=1), p.price_tier)] += p.amount
    tiers = _tiers(window, preferred_tiers)
    total = sum(amounts.values(), Decimal(0))

    def tier_sum(tier: str | None, span: list[date]) -> Decimal:
        return sum(
            (v for (m, t), v in amounts.items() if m in span and (tier is None or t == tier)),
            Decimal(0),
        )

    last3, prev3 = months[-3:], months[-6:-3]
    out.append(
        para(
            labels.t(
                "p.summary",
                total=labels.money(total),
                avg=labels.money(total / len(months)),
                change=_change(tier_sum(None, last3), tier_sum(None, prev3), labels),
            ),
            st.body,
        )
    )
    out.append(purchase_chart(months, tiers, amounts, labels, width))
    head = [
        labels.t("tp.tier"),
        labels.t("tp.amount"),
        labels.t("tp.share"),
        labels.month(months[-6]) + "–" + labels.month(months[-4]),
        labels.month(months[-3]) + "–" + labels.month(months[-1]),
        "Δ",
    ]
    rows: list[list[object]] = [list(head)]
    for tier in [*tiers, None]:
        amount = tier_sum(tier, months)
        rows.append(
            [
                tier if tier is not None else labels.t("p.total"),
                labels.money(amount),
                labels.pct(float(amount / total)) if total else labels.t("empty.value"),
                labels.money(tier_sum(tier, prev3)),
                labels.money(tier_sum(tier, last3)),
                _change(tier_sum(tier, last3), tier_sum(tier, prev3), labels),
            ]
        )
    widths = [width * f for f in (0.2, 0.18, 0.1, 0.19, 0.19, 0.14)]
    out.append(data_table(rows, widths, right_cols=(1, 2, 3, 4, 5)))
    return out


def top_products(items: Sequence[ProductShare], labels: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.top_products"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.top_products")))
        return out
    keys = ("tp.product", "tp.tier", "tp.quantity", "tp.amount", "tp.share")
    rows: list[list[object]] = [["#", *(labels.t(k) for k in keys)]]
    ranked = sorted(items, key=lambda p: p.amount, reverse=True)
    for rank, p in enumerate(ranked, start=1):
        rows.append(
            [
                str(rank),
                p.product_name,
                p.price_tier,
                f"{labels.number(p.quantity)} {p.unit}",
                labels.money(p.amount),
                labels.pct(p.share),
            ]
        )
    widths = [width * f for f in (0.06, 0.38, 0.12, 0.14, 0.18, 0.12)]
    out.append(data_table(rows, widths, right_cols=(3, 4, 5)))
    return out


def stock_and_advice(
    stock: Sequence[StockLine], advice: Sequence[OrderAdvice], labels: Labels, width: float
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [*section_heading(labels.t("sec.stock"), width)]
    if stock:
        keys = ("s.product", "s.on_hand", "s.counted", "s.weekly", "s.cover")
        rows: list[list[object]] = [[labels.t(k) for k in keys]]
        marks: list[tuple[object, ...]] = []
        for row, s in enumerate(stock, start=1):
            cover = s.weeks_of_cover
            rows.append(
                [
                    s.product_name,
                    f"{labels.number(s.on_hand)} {s.unit}",
                    labels.day(s.counted_on),
                    labels.number(s.weekly_sales, 1),
                    labels.number(cover, 1),
                ]
            )
            if cover is not None and cover < 1:
                marks.append(("TEXTCOLOR", (4, row), (4, row), ACCENT))
            elif cover is not None and cover > 8:
                marks.append(("TEXTCOLOR", (4, row), (4, row), GOLD))
        widths = [width * f for f in (0.4, 0.15, 0.17, 0.14, 0.14)]
        out.append(data_table(rows, widths, right_cols=(1, 3, 4), extra=marks))
    else:
        out.append(empty_line(labels.t("empty.stock")))
    out.append(Spacer(1, 2 * mm))
    out.append(para(labels.t("a.title"), st.subheading))
    if not advice:
        out.append(empty_line(labels.t("empty.advice")))
        return out
    out.append(advice_table(advice, labels, width))
    return out


def advice_table(
    advice: Sequence[OrderAdvice], labels: Labels, width: float, *, keep_short: bool = True
) -> Flowable:
    keys = ("a.product", "a.action", "a.quantity", "a.reasons")
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    for a in advice:
        quantity = (
            labels.t("empty.value")
            if a.suggested_quantity is None
            else f"{labels.number(a.suggested_quantity)} {a.unit}"
        )
        reasons = "\n".join(f"• {r}" for r in a.reasons)
        rows.append(
            [
                a.product_name,
                labels.enum(a.action),
                quantity,
                reasons,
            ]
        )
    widths = [width * f for f in (0.25, 0.15, 0.12, 0.48)]
    return data_table(rows, widths, right_cols=(2,), keep_short=keep_short)


def debts(
    items: Sequence[DebtItem],
    credit_limit: Decimal | None,
    as_of: date,
    labels: Labels,
    width: float,
) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.debt"), width)]
    open_items = sorted((d for d in items if d.outstanding > 0), key=lambda d: d.invoiced_on)
    settled = [d for d in items if d.outstanding <= 0]
    settled_line = para(
        labels.t(
            "d.settled",
            n=len(settled),
            amount=labels.money(sum((d.amount for d in settled), Decimal(0))),
        ),
        styles().muted,
    )
    if not open_items:
        out.append(empty_line(labels.t("empty.debt")))
        if settled:
            out.append(settled_line)
        return out
    overdue = [d for d in open_items if d.due_on is not None and d.due_on < as_of]
    out.append(
        para(
            labels.t(
                "d.summary",
                outstanding=labels.money(sum((d.outstanding for d in open_items), Decimal(0))),
                overdue=labels.money(sum((d.outstanding for d in overdue), Decimal(0))),
                limit=labels.money(credit_limit),
            ),
            styles().body,
        )
    )
    keys = ("d.date", "d.reference", "d.amount", "d.paid", "d.outstanding", "d.due")
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    marks: list[tuple[object, ...]] = []
    for row, d in enumerate(open_items, start=1):
        due = labels.day(d.due_on)
        if d in overdue:
            due += f" {labels.t('d.overdue')}"
            marks.append(("TEXTCOLOR", (5, row), (5, row), ACCENT))
        rows.append(
            [
                labels.day(d.invoiced_on),
                d.reference,
                labels.money(d.amount),
                labels.money(d.paid),
                labels.money(d.outstanding),
                due,
            ]
        )
    widths = [width * f for f in (0.14, 0.2, 0.16, 0.16, 0.16, 0.18)]
    out.append(data_table(rows, widths, right_cols=(2, 3, 4), extra=marks))
    if settled:
        out.append(settled_line)
    return out


def visits(items: Sequence[VisitRecord], labels: Labels, width: float) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [*section_heading(labels.t("sec.visits"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.visits")))
        return out
    ordered = sorted(items, key=lambda v: (v.visited_on, v.started_at is None), reverse=True)
    out.append(
        para(
            labels.t("v.count", n=len(ordered), last=labels.day(ordered[0].visited_on)),
            st.body,
        )
    )
    keys = ("v.date", "v.time", "v.purpose", "v.status", "v.summary")
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    for v in ordered:
        clock = ""
        if v.started_at is not None:
            clock = labels.clock(v.started_at)
            if v.ended_at is not None:
                clock += f"–{labels.clock(v.ended_at)}"
        text = v.summary
        if v.follow_up:
            text += f"\n{labels.t('v.follow_up')}{v.follow_up}"
        rows.append(
            [
                labels.day(v.visited_on),
                clock,
                labels.enum(v.purpose),
                labels.enum(v.status),
                text,
            ]
        )
    widths = [width * f for f in (0.13, 0.13, 0.12, 0.1, 0.52)]
    out.append(data_table(rows, widths))
    return out


def complaints(items: Sequence[ComplaintRecord], labels: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.complaints"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.complaints")))
        return out
    keys = ("cp.date", "cp.subject", "cp.status", "cp.resolution")
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    marks: list[tuple[object, ...]] = []
    for row, c in enumerate(sorted(items, key=lambda c: c.raised_on, reverse=True), start=1):
        resolution = c.resolution
        if c.resolved_on is not None:
            resolution = f"{labels.day(c.resolved_on)} {resolution}".strip()
        if c.status is ComplaintStatus.OPEN:
            marks.append(("TEXTCOLOR", (2, row), (2, row), ACCENT))
        rows.append(
            [
                labels.day(c.raised_on),
                c.subject,
                labels.enum(c.status),
                resolution,
            ]
        )
    widths = [width * f for f in (0.13, 0.38, 0.1, 0.39)]
    out.append(data_table(rows, widths, extra=marks))
    return out


def reminders(items: Sequence[ReminderItem], labels: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.reminders"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.reminders")))
        return out
    rows: list[list[object]] = [[labels.t(k) for k in ("r.due", "r.kind", "r.text")]]
    for r in sorted(items, key=lambda r: r.due_on):
        rows.append([labels.day(r.due_on), labels.enum(r.kind), r.text])
    out.append(data_table(rows, [width * 0.14, width * 0.16, width * 0.7]))
    return out


def notes(items: Sequence[NoteEntry], labels: Labels, width: float) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [*section_heading(labels.t("sec.notes"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.notes")))
        return out
    for n in sorted(items, key=lambda n: n.written_on, reverse=True):
        meta = " · ".join(part for part in (labels.day(n.written_on), n.author) if part)
        out.append(para(meta, st.muted))
        out.extend(text_blocks(n.text, st.body))
        out.append(Spacer(1, 2 * mm))
    return out
