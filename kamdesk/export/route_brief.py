"""The route brief: per planned day a cover with the map and stop list, then one page per stop."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer

from kamdesk.export.charts import route_map
from kamdesk.export.dossier_activity import advice_table
from kamdesk.export.dossier_data import (
    OpeningHours,
    RouteBriefData,
    RouteDay,
    RouteStop,
    StockTrend,
)
from kamdesk.export.errors import InvalidExportDataError
from kamdesk.export.labels import Labels
from kamdesk.export.options import ExportOptions
from kamdesk.export.page import FRAME_HEIGHT, FRAME_WIDTH, PageDecor, render_story
from kamdesk.export.styles import (
    data_table,
    empty_line,
    field_grid,
    minor_heading,
    para,
    styles,
)

MAP_HEIGHT = 100 * mm
# A stop page is a glance before walking in; the dossier holds the full text. Longer items are
# clipped visibly (…) so the page stays legible instead of shrinking to fit.
CLIP_CHARS = 240
MAX_ITEMS = 10


def _hours_on(hours: Sequence[OpeningHours], day: date, labels: Labels) -> str:
    for h in hours:
        if h.weekday == day.weekday():
            if h.opens is None or h.closes is None:
                return labels.t("f.closed")
            return f"{labels.clock(h.opens)}–{labels.clock(h.closes)}"
    return labels.t("empty.value")


def _period(days: Sequence[RouteDay], labels: Labels) -> str:
    first, last = days[0].day, days[-1].day
    return labels.day(first) if first == last else f"{labels.day(first)} – {labels.day(last)}"


def _validated(data: RouteBriefData) -> list[RouteDay]:
    if not data.days:
        raise InvalidExportDataError("a route brief needs at least one day", field="days")
    for day in data.days:
        sequences = [s.sequence for s in day.stops]
        if len(set(sequences)) != len(sequences):
            raise InvalidExportDataError(
                f"duplicate stop numbers on {day.day.isoformat()}", field="stops"
            )
    return sorted(data.days, key=lambda d: d.day)


def _cover(day: RouteDay, data: RouteBriefData, labels: Labels) -> list[Flowable]:
    st = styles()
    stops = sorted(day.stops, key=lambda s: s.sequence)
    facts = [labels.t("rb.stops", n=len(stops))]
    if day.distance_km is not None:
        facts.append(labels.t("rb.distance", km=f"{day.distance_km:.1f}"))
    if day.duration_minutes is not None:
        hours, minutes = divmod(day.duration_minutes, 60)
        facts.append(labels.t("rb.duration", h=hours, m=minutes))
    who = " · ".join(part for part in (data.manager_name, data.territory) if part)
    out: list[Flowable] = [
        para(labels.t("doc.route_brief"), st.subtitle),
        para(labels.t("rb.cover", day=labels.day_with_weekday(day.day)), st.title),
        para(f"{who}　{'，'.join(facts) if labels.lang == 'zh' else ', '.join(facts)}", st.body),
        Spacer(1, 3 * mm),
    ]
    if not stops:
        out.append(empty_line(labels.t("rb.no_stops")))
        return out
    shown = RouteDay(day.day, tuple(stops), day.start, day.start_label)
    out.append(route_map(shown, labels, FRAME_WIDTH, MAP_HEIGHT))
    out.append(Spacer(1, 3 * mm))
    keys = ("rb.seq", "rb.account", "rb.address", "rb.arrival", "rb.departure", "rb.hours_today")
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    for s in stops:
        rows.append(
            [
                str(s.sequence),
                f"{s.account_name}\n{s.account_code}",
                s.address,
                labels.clock(s.arrival),
                labels.clock(s.departure),
                _hours_on(s.opening_hours, day.day, labels),
            ]
        )
    widths = [FRAME_WIDTH * f for f in (0.07, 0.25, 0.35, 0.09, 0.09, 0.15)]
    out.append(data_table(rows, widths))
    return out


def _duration(minutes: int | None, labels: Labels) -> str:
    if minutes is None:
        return labels.t("empty.value")
    hours, rest = divmod(minutes, 60)
    return labels.t("rb.hm", h=hours, m=rest)


def _week_overview(
    days: Sequence[RouteDay], data: RouteBriefData, labels: Labels
) -> list[Flowable]:
    """A first page listing the planned days when the brief covers more than one."""
    st = styles()
    keys = (
        "rb.day",
        "rb.stop_count",
        "rb.first_arrival",
        "rb.last_departure",
        "rb.km",
        "rb.minutes",
    )
    rows: list[list[object]] = [[labels.t(k) for k in keys]]
    for day in days:
        stops = sorted(day.stops, key=lambda s: s.sequence)
        last = stops[-1].departure or stops[-1].arrival if stops else None
        rows.append(
            [
                labels.day_with_weekday(day.day),
                str(len(stops)),
                labels.clock(stops[0].arrival) if stops else labels.t("empty.value"),
                labels.clock(last),
                labels.number(day.distance_km, 1),
                _duration(day.duration_minutes, labels),
            ]
        )
    who = " · ".join(part for part in (data.manager_name, data.territory) if part)
    widths = [FRAME_WIDTH * f for f in (0.24, 0.12, 0.16, 0.16, 0.16, 0.16)]
    return [
        para(labels.t("doc.route_brief"), st.subtitle),
        para(labels.t("rb.week", period=_period(days, labels)), st.title),
        para(who, st.body),
        Spacer(1, 4 * mm),
        data_table(rows, widths, extra=[("ALIGN", (1, 0), (-1, -1), "CENTER")]),
    ]


def _trend_text(trend: StockTrend, labels: Labels) -> tuple[str, str]:
    counts = [q for _, q in trend.counts[-5:]]
    series = " → ".join(labels.number(q) for q in counts) + f" {trend.unit}" if counts else ""
    if len(counts) < 2:
        return series, labels.t("empty.value")
    delta = counts[-1] - counts[0]
    arrow = "↑" if delta > 0 else "↓" if delta < 0 else "→"
    return series, f"{arrow} {labels.number(abs(delta))}"


def _clip(text: str, limit: int = CLIP_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bullets(items: Sequence[str], mark: str, labels: Labels) -> list[Flowable]:
    st = styles()
    if not items:
        return [empty_line(labels.t("rb.none"))]
    shown = [para(f"{mark} {_clip(item)}", st.body) for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        shown.append(para(labels.t("rb.more", n=len(items) - MAX_ITEMS), st.muted))
    return shown


def _stop_page(stop: RouteStop, day: date, labels: Labels) -> Flowable:
    st = styles()
    dash = labels.t("empty.value")
    width = FRAME_WIDTH
    hours = "；".join(
        f"{labels.weekday(h.weekday)} "
        + (
            labels.t("f.closed")
            if h.opens is None or h.closes is None
            else f"{labels.clock(h.opens)}–{labels.clock(h.closes)}"
        )
        for h in sorted(stop.opening_hours, key=lambda h: h.weekday)
    )
    arrival = labels.clock(stop.arrival)
    if stop.departure is not None:
        arrival += f" – {labels.clock(stop.departure)}"
    body: list[Flowable] = [
        para(labels.day_with_weekday(day), st.subtitle),
        para(labels.t("rb.stop_title", n=stop.sequence, name=stop.account_name), st.title),
        Spacer(1, 2 * mm),
        field_grid(
            [
                (labels.t("hdr.code"), stop.account_code),
                (labels.t("f.format"), labels.enum(stop.business_format)),
                (labels.t("rb.arrival"), arrival),
                (labels.t("f.phone"), stop.phone or dash),
                (labels.t("rb.address"), stop.address or dash),
                (labels.t("rb.hours_today"), _hours_on(stop.opening_hours, day, labels)),
            ],
            width,
        ),
        Spacer(1, 1 * mm),
        para(f"{labels.t('f.hours')}：{hours or dash}", st.muted),
    ]
    body += minor_heading(labels.t("rb.why_due"), width)
    body += _bullets(stop.why_due, "•", labels)
    body += minor_heading(labels.t("rb.last_visit"), width)
    if stop.last_visit_on is None:
        body.append(empty_line(labels.t("rb.no_last_visit")))
    else:
        summary = _clip(stop.last_visit_summary, 2 * CLIP_CHARS)
        body.append(para(f"{labels.day(stop.last_visit_on)}　{summary}", st.body))
    body += minor_heading(labels.t("rb.stock_trend"), width)
    if stop.stock_trend:
        rows: list[list[object]] = [
            [labels.t("s.product"), labels.t("rb.stock_trend"), labels.t("rb.change")]
        ]
        for trend in stop.stock_trend[:MAX_ITEMS]:
            series, change = _trend_text(trend, labels)
            rows.append([trend.product_name, series, change])
        widths = [width * 0.35, width * 0.5, width * 0.15]
        body.append(data_table(rows, widths, right_cols=(2,), keep_short=False))
    else:
        body.append(empty_line(labels.t("empty.stock")))
    body += minor_heading(labels.t("rb.advice"), width)
    body.append(
        advice_table(stop.advice[:MAX_ITEMS], labels, width, keep_short=False)
        if stop.advice
        else empty_line(labels.t("empty.advice"))
    )
    body += minor_heading(labels.t("rb.tasks"), width)
    body += _bullets(stop.open_tasks, "□", labels)
    # Safety net for what clipping cannot bound (e.g. many long advice reasons): shrink to fit.
    return KeepInFrame(width, FRAME_HEIGHT - 2 * mm, body, mode="shrink")


def render_route_brief(data: RouteBriefData, options: ExportOptions | None = None) -> bytes:
    """The brief for a planned day or week as PDF bytes."""
    options = options or ExportOptions()
    labels = Labels(options.lang)
    days = _validated(data)
    story: list[Flowable] = _week_overview(days, data, labels) if len(days) > 1 else []
    for day in days:
        if story:
            story.append(PageBreak())
        story += _cover(day, data, labels)
        for stop in sorted(day.stops, key=lambda s: s.sequence):
            story += [PageBreak(), _stop_page(stop, day.day, labels)]
    period = _period(days, labels)
    decor = PageDecor(
        labels=labels,
        doc_title=labels.t("doc.route_brief"),
        header_right=" · ".join(p for p in (data.manager_name, period) if p),
        generated_at=options.timestamp(),
        generated_by=options.generated_by,
    )
    return render_story(
        story,
        decor,
        title=f"{labels.t('doc.route_brief')} · {period}",
        author=options.generated_by,
        subject=labels.t("doc.route_brief"),
    )
