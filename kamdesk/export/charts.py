"""Vector charts for the exports (reportlab.graphics): scores, purchases, route map."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from kamdesk.export.dossier_data import Evaluation, GeoPoint, RouteDay
from kamdesk.export.labels import Labels
from kamdesk.export.styles import ACCENT, GREY, LIGHT, NAVY, RULE, SERIES, styles


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer's initial state would otherwise reference (unembedded) Helvetica.
    drawing.initialFontName = styles().font
    drawing.initialFontSize = 8
    return drawing


def _legend(x: float, y: float, items: list[tuple[colors.Color, str]], columns: int) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = styles().font
    legend.fontSize = 7
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = max(1, math.ceil(len(items) / columns))
    legend.dx = legend.dy = 7
    legend.deltax = 70
    legend.deltay = 9
    legend.colorNamePairs = items
    legend.strokeWidth = 0
    return legend


def score_chart(evaluations: Sequence[Evaluation], labels: Labels, width: float) -> Drawing:
    """Total and per-criterion scores over the last 12 evaluations (scale 0–100)."""
    font = styles().font
    shown = sorted(evaluations, key=lambda e: e.evaluated_on)[-12:]
    height = 150.0
    drawing = _drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 32, 34
    chart.width, chart.height = width - 44, height - 50
    series = [
        ("e.total", [e.total for e in shown]),
        ("e.enthusiasm", [e.enthusiasm for e in shown]),
        ("e.capability", [e.capability for e in shown]),
        ("e.credit", [e.credit for e in shown]),
        ("e.social", [e.social_relations for e in shown]),
        ("e.potential", [e.potential for e in shown]),
    ]
    chart.data = [values for _, values in series]
    chart.categoryAxis.categoryNames = [e.evaluated_on.strftime("%y-%m") for e in shown]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.strokeColor = RULE
    # Zoom onto the band the scores live in (scores near 75 would look flat on 0–100).
    lowest = min(min(values) for _, values in series)
    floor = max(0, min(60, int(lowest // 10) * 10 - 10))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = floor, 100
    chart.valueAxis.valueStep = 10 if floor >= 50 else 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = LIGHT
    palette = [ACCENT, *SERIES[:5]]
    for index, color in enumerate(palette):
        chart.lines[index].strokeColor = color
        chart.lines[index].strokeWidth = 2.2 if index == 0 else 0.9
        if index:
            chart.lines[index].strokeDashArray = [2, 1.5]
    drawing.add(chart)
    items = [(palette[i], labels.t(key)) for i, (key, _) in enumerate(series)]
    drawing.add(_legend(32, 12, items, columns=6))
    return drawing


def purchase_chart(
    months: Sequence[date],
    tiers: Sequence[str],
    amounts: dict[tuple[date, str], Decimal],
    labels: Labels,
    width: float,
) -> Drawing:
    """Stacked monthly purchase amounts by price tier (``amounts`` keyed by month and tier)."""
    font = styles().font
    height = 175.0
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 46, 44
    chart.width, chart.height = width - 56, height - 64
    chart.data = [[float(amounts.get((m, t), Decimal(0))) for m in months] for t in tiers]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [
        labels.month_tick(m, with_year=i == 0 or m.month == 1) for i, m in enumerate(months)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 0
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: labels.money_short(Decimal(str(v)))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = LIGHT
    chart.valueAxis.strokeColor = RULE
    chart.barSpacing = 0
    chart.groupSpacing = 4
    for index in range(len(tiers)):
        chart.bars[index].fillColor = SERIES[index % len(SERIES)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    axis_title = String(2, height - 12, labels.t("p.amount_axis"), fontName=font, fontSize=7)
    axis_title.fillColor = GREY
    drawing.add(axis_title)
    items = [(SERIES[i % len(SERIES)], tier) for i, tier in enumerate(tiers)]
    drawing.add(_legend(46, 14, items, columns=6))
    return drawing


def _project(points: Sequence[GeoPoint]) -> list[tuple[float, float]]:
    """Equirectangular projection around the mean latitude (good enough across a city)."""
    mean_lat = sum(p.lat for p in points) / len(points)
    k = math.cos(math.radians(mean_lat))
    return [(p.lon * k, p.lat) for p in points]


def route_map(day: RouteDay, labels: Labels, width: float, height: float) -> Drawing:
    """Stops as numbered circles in visit order joined by lines; the start as a square."""
    font = styles().font
    drawing = _drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#F7F9FC"), strokeColor=RULE))
    points = [s.location for s in day.stops]
    if day.start is not None:
        points = [day.start, *points]
    if not points:
        return drawing
    xy = _project(points)
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-4)
    pad = 24.0
    scale = min((width - 2 * pad) / span, (height - 2 * pad) / span)
    # centre the route in the box
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    screen = [(width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale) for x, y in xy]

    flat = [c for point in screen for c in point]
    drawing.add(PolyLine(flat, strokeColor=NAVY, strokeWidth=1.4, strokeDashArray=None))
    offset = 0
    if day.start is not None:
        sx, sy = screen[0]
        drawing.add(Rect(sx - 5, sy - 5, 10, 10, fillColor=ACCENT, strokeColor=colors.white))
        drawing.add(
            String(
                sx + 8, sy - 3, day.start_label or labels.t("rb.start"), fontName=font, fontSize=7
            )
        )
        offset = 1
    for stop, (x, y) in zip(day.stops, screen[offset:], strict=True):
        drawing.add(Circle(x, y, 7, fillColor=NAVY, strokeColor=colors.white, strokeWidth=1))
        number = String(x, y - 2.6, str(stop.sequence), fontName=font, fontSize=7.5)
        number.fillColor = colors.white
        number.textAnchor = "middle"
        drawing.add(number)
    _north_arrow(drawing, width - 18, height - 34, labels)
    _scale_bar(drawing, scale, width)
    return drawing


def _north_arrow(drawing: Drawing, x: float, y: float, labels: Labels) -> None:
    drawing.add(Polygon([x, y + 16, x - 5, y, x + 5, y], fillColor=NAVY, strokeColor=None))
    north = String(x, y - 10, labels.t("rb.map_north"), fontName=styles().font, fontSize=7)
    north.textAnchor = "middle"
    drawing.add(north)


def _scale_bar(drawing: Drawing, scale: float, width: float) -> None:
    """A round-number kilometre bar (1° latitude ≈ 111 km)."""
    points_per_km = scale / 111.32
    km = 1.0
    for candidate in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100):
        if candidate * points_per_km <= width / 4:
            km = candidate
    length = km * points_per_km
    x, y = 12.0, 10.0
    drawing.add(Line(x, y, x + length, y, strokeColor=GREY, strokeWidth=1.5))
    drawing.add(Line(x, y - 2, x, y + 2, strokeColor=GREY))
    drawing.add(Line(x + length, y - 2, x + length, y + 2, strokeColor=GREY))
    text = String(x + length + 4, y - 2.5, f"{km:g} km", fontName=styles().font, fontSize=6.5)
    text.fillColor = GREY
    drawing.add(text)
