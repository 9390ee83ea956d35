"""Words and small HTML for the advice screens: kinds, severities, numbers, the order working."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from kamdesk.domain.ordering import AdviceKind, Cap, DemandClass, Method, OrderWorking
from kamdesk.domain.ordering.demand_class import DEMAND_CLASS_ZH
from kamdesk.domain.ordering.forecast import METHOD_ZH
from kamdesk.services.advice_views import AdviceRow, DecisionState, OrderLine

SEVERITY_COLOURS = ("#c0392b", "#d35400", "#b7950b", "#566573", "#7f8c8d")


def kind_name(kind: AdviceKind) -> str:
    names = {
        AdviceKind.REORDER_NOW: QCoreApplication.translate("advice", "Reorder now"),
        AdviceKind.OVERSTOCK: QCoreApplication.translate("advice", "Overstock"),
        AdviceKind.MISSED_PRODUCT: QCoreApplication.translate("advice", "Missed product"),
        AdviceKind.NEW_PRODUCT: QCoreApplication.translate("advice", "New product"),
        AdviceKind.HOLIDAY_PLAN: QCoreApplication.translate("advice", "Pre-holiday stock"),
        AdviceKind.SLOW_MOVER: QCoreApplication.translate("advice", "Slow mover"),
        AdviceKind.RECOUNT: QCoreApplication.translate("advice", "Check count"),
    }
    return names.get(kind, kind.value)


def severity_name(severity: int) -> str:
    names = (
        QCoreApplication.translate("advice", "Critical"),
        QCoreApplication.translate("advice", "High"),
        QCoreApplication.translate("advice", "Medium"),
        QCoreApplication.translate("advice", "Low"),
        QCoreApplication.translate("advice", "Info"),
    )
    return names[severity] if 0 <= severity < len(names) else str(severity)


def severity_colour(severity: int) -> QColor:
    return QColor(SEVERITY_COLOURS[min(max(severity, 0), len(SEVERITY_COLOURS) - 1)])


def state_name(state: DecisionState) -> str:
    names = {
        DecisionState.OPEN: QCoreApplication.translate("advice", "Open"),
        DecisionState.ACCEPTED: QCoreApplication.translate("advice", "Accepted"),
        DecisionState.DISMISSED: QCoreApplication.translate("advice", "Dismissed"),
    }
    return names[state]


def cap_name(cap: Cap) -> str:
    names = {
        Cap.DELISTED: QCoreApplication.translate("advice", "delisted"),
        Cap.QUOTA: QCoreApplication.translate("advice", "allocation quota"),
        Cap.CREDIT: QCoreApplication.translate("advice", "credit room"),
        Cap.DEBT_OVER_LIMIT: QCoreApplication.translate("advice", "debt over the credit limit"),
        Cap.BELOW_PACK_THRESHOLD: QCoreApplication.translate(
            "advice", "need below the pack threshold"
        ),
    }
    return names.get(cap, cap.value)


def number_name(name: str) -> str:
    names = {
        "on_hand": QCoreApplication.translate("advice", "On hand (est.)"),
        "weekly_forecast": QCoreApplication.translate("advice", "Forecast per week"),
        "days_of_cover": QCoreApplication.translate("advice", "Days of cover"),
        "lead_time_days": QCoreApplication.translate("advice", "Lead time (days)"),
        "weeks_of_cover": QCoreApplication.translate("advice", "Weeks of cover"),
        "threshold_weeks": QCoreApplication.translate("advice", "Overstock above (weeks)"),
        "weeks_since_sale": QCoreApplication.translate("advice", "Weeks without sales"),
        "peer_share": QCoreApplication.translate("advice", "Share of comparable shops selling it"),
        "peers": QCoreApplication.translate("advice", "Comparable shops"),
        "stopped": QCoreApplication.translate("advice", "Sold it before"),
        "price_tier": QCoreApplication.translate("advice", "Price tier (5 = premium)"),
        "format_fit": QCoreApplication.translate("advice", "Format fit (2 = best)"),
        "score": QCoreApplication.translate("advice", "Placement score"),
        "loyal": QCoreApplication.translate("advice", "Loyal owner"),
        "holiday_day": QCoreApplication.translate("advice", "Holiday"),
        "days_to_holiday": QCoreApplication.translate("advice", "Days to the holiday"),
        "planned_units": QCoreApplication.translate("advice", "Planned pre-holiday demand"),
        "extra_units": QCoreApplication.translate("advice", "Above normal"),
        "count_day": QCoreApplication.translate("advice", "Count day"),
        "implied_sales": QCoreApplication.translate("advice", "Implied sales"),
    }
    if name.startswith("plan:"):
        return QCoreApplication.translate("advice", "Plan")
    return names.get(name, name)


def reason(row: AdviceRow | OrderLine, chinese: bool) -> str:
    return row.reason_zh if chinese else row.reason_en


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value == value else "—"
    return "—" if value is None else str(value)


def qty_text(line: OrderLine) -> str:
    packs = f"{line.packs} {line.pack_unit}".strip()
    return f"{line.qty} {line.unit_name} ({packs})".strip()


def money(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def row_html(row: AdviceRow, chinese: bool, product_names: dict[str, str]) -> str:
    """The detail pane: headline, reason, numbers and (for a product) the order working."""
    colour = SEVERITY_COLOURS[min(row.severity, 4)]
    title = escape(f"{kind_name(row.kind)} · {row.account_name}")
    if row.product_name:
        title += " · " + escape(row.product_name)
    parts = [
        f"<h3 style='margin:0'>{title}</h3>",
        f"<p><span style='color:{colour};font-weight:bold'>{escape(severity_name(row.severity))}"
        f"</span> · {escape(state_name(row.state))}</p>",
        f"<p>{escape(reason(row, chinese))}</p>",
        "<table cellspacing='0' cellpadding='2'>",
    ]
    for name, value in row.numbers:
        label = number_name(name)
        if name.startswith("plan:"):
            label += " " + product_names.get(name[5:], name[5:])
        parts.append(f"<tr><td>{escape(label)}</td><td align='right'>{_num(value)}</td></tr>")
    parts.append("</table>")
    if row.order is not None:
        parts.append(order_html(row.order, chinese))
    return "".join(parts)


def order_html(line: OrderLine, chinese: bool) -> str:
    w = line.working
    head = QCoreApplication.translate("advice", "Suggested order")
    parts = [
        f"<h4 style='margin-bottom:2px'>{escape(head)}: {escape(qty_text(line))}"
        f" · {money(line.value_fen)}</h4>",
        f"<p>{escape(reason(line, chinese))}</p>",
        working_html(w, chinese),
    ]
    return "".join(parts)


def _method(w: OrderWorking, chinese: bool) -> str:
    if not chinese:
        return f"{w.method} ({w.demand_class})"
    try:
        method = METHOD_ZH.get(Method(w.method), w.method)
        demand = DEMAND_CLASS_ZH.get(DemandClass(w.demand_class), w.demand_class)
    except ValueError:
        return f"{w.method} ({w.demand_class})"
    return f"{method}（{demand}）"


def working_html(w: OrderWorking, chinese: bool = True) -> str:
    weeks = "".join(f"<td align='right'>{i + 1}</td>" for i in range(len(w.forecast_weekly)))
    point = "".join(f"<td align='right'>{x:.1f}</td>" for x in w.forecast_weekly)
    sigma = "".join(f"<td align='right'>{x:.1f}</td>" for x in w.forecast_sd_weekly)
    rows: list[tuple[str, str]] = [
        (QCoreApplication.translate("advice", "Forecast method"), _method(w, chinese)),
        (QCoreApplication.translate("advice", "Protection period (days)"), str(w.protection_days)),
        (
            QCoreApplication.translate("advice", "Demand over the period"),
            f"{w.demand_over_protection:.1f}",
        ),
        (QCoreApplication.translate("advice", "Service level"), f"{w.service_level:.0%}"),
        (QCoreApplication.translate("advice", "Safety stock"), f"{w.safety_stock:.1f}"),
        (QCoreApplication.translate("advice", "Target stock"), f"{w.target_stock:.1f}"),
        (
            QCoreApplication.translate("advice", "Last count"),
            f"{w.last_count_qty:.0f} @ {w.last_count_day.isoformat()}" if w.last_count_day else "—",
        ),
        (
            QCoreApplication.translate("advice", "Delivered since the count"),
            f"{w.delivered_since_count:.0f}",
        ),
        (
            QCoreApplication.translate("advice", "Sold since the count (est.)"),
            f"{w.sold_since_count_est:.1f}",
        ),
        (QCoreApplication.translate("advice", "On hand (est.)"), f"{w.on_hand_est:.1f}"),
        (QCoreApplication.translate("advice", "On order"), f"{w.on_order:.0f}"),
        (QCoreApplication.translate("advice", "Need before rounding"), f"{w.raw_need:.1f}"),
        (QCoreApplication.translate("advice", "Pack size"), str(w.pack_size)),
        (QCoreApplication.translate("advice", "Rounded to packs"), str(w.rounded_qty)),
        (
            QCoreApplication.translate("advice", "Caps"),
            "、".join(cap_name(c) for c in w.caps) or "—",
        ),
        (QCoreApplication.translate("advice", "Holiday factor"), f"×{w.holiday_uplift:.2f}"),
    ]
    body = "".join(
        f"<tr><td>{escape(k)}</td><td align='right'>{escape(v)}</td></tr>" for k, v in rows
    )
    per_week = QCoreApplication.translate("advice", "Forecast per week")
    week = QCoreApplication.translate("advice", "Week")
    units = QCoreApplication.translate("advice", "Units")
    working = QCoreApplication.translate("advice", "Working")
    return (
        f"<p style='margin-bottom:2px'><b>{escape(per_week)}</b></p>"
        "<table cellspacing='0' cellpadding='2' border='0'>"
        f"<tr><td>{escape(week)}</td>{weeks}</tr>"
        f"<tr><td>{escape(units)}</td>{point}</tr>"
        f"<tr><td>±σ</td>{sigma}</tr></table>"
        f"<p style='margin-bottom:2px'><b>{escape(working)}</b></p>"
        f"<table cellspacing='0' cellpadding='2'>{body}</table>"
    )
