"""Small Qt Charts builders for the dashboard, with the CJK UI font on every text item.

QChart does not inherit the application font for titles, axis labels and legends, so each
builder sets it explicitly (otherwise Chinese falls back to a font without the glyphs).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

TIER_COLOURS = {"A": "#c0392b", "B": "#e67e22", "C": "#7f8c8d"}
BAR_COLOUR = "#2e86c1"


def ui_font(point_delta: int = 0, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(7, font.pointSize() + point_delta))
    font.setBold(bold)
    return font


def new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(ui_font(0, bold=True))
    chart.legend().setFont(ui_font(-1))
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _style_axis(axis: QAbstractAxis) -> None:
    axis.setLabelsFont(ui_font(-2))
    axis.setTitleFont(ui_font(-1))


class ChartView(QChartView):
    """A chart view that draws smoothly and keeps a usable minimum size."""

    def __init__(self, chart: QChart | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(260, 200)
        self.setChart(chart or new_chart(""))

    def replace_chart(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()


def pareto_chart(
    title: str,
    xs: Sequence[float],
    ys: Sequence[float],
    cuts: Sequence[tuple[str, float, float]],
    *,
    x_title: str,
    y_title: str,
    curve_name: str,
) -> QChart:
    """Cumulative value share (y) over account share (x), in percent, with vertical cut-offs
    ``(label, x, y)`` drawn as dashed lines up to the curve."""
    chart = new_chart(title)
    curve = QLineSeries()
    curve.setName(curve_name)
    curve.append([QPointF(x * 100, y * 100) for x, y in zip(xs, ys, strict=True)])
    curve.setPen(QPen(QColor(BAR_COLOUR), 2))
    chart.addSeries(curve)
    series = [curve]
    for (label, x, y), colour in zip(cuts, ("#c0392b", "#e67e22"), strict=False):
        line = QLineSeries()
        line.setName(label)
        line.append([QPointF(x * 100, 0), QPointF(x * 100, y * 100), QPointF(0, y * 100)])
        pen = QPen(QColor(colour), 1.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        chart.addSeries(line)
        series.append(line)
    ax_x, ax_y = QValueAxis(), QValueAxis()
    for axis, name in ((ax_x, x_title), (ax_y, y_title)):
        axis.setRange(0, 100)
        axis.setTickCount(6)
        axis.setLabelFormat("%d%%")
        axis.setTitleText(name)
        _style_axis(axis)
    chart.addAxis(ax_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(ax_y, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(ax_x)
        s.attachAxis(ax_y)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def bar_chart(
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    *,
    series_name: str,
    label_format: str = "@value",
    colour: str = BAR_COLOUR,
    decimals: int = 0,
) -> QChart:
    """One horizontal bar per category (names stay readable on the left), values printed on
    the bars; the first category is drawn at the top."""
    chart = new_chart(title)
    bars = QBarSet(series_name)
    bars.append([float(v) for v in reversed(values)])
    bars.setColor(QColor(colour))
    bars.setLabelFont(ui_font(-2))
    bars.setLabelColor(QColor("#1b2631"))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat(label_format)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setBarWidth(0.6)
    chart.addSeries(series)
    ax_cat = QBarCategoryAxis()
    ax_cat.append(list(reversed(categories)))
    _style_axis(ax_cat)
    ax_val = QValueAxis()
    top = max((float(v) for v in values), default=0.0)
    ax_val.setRange(0, top * 1.25 if top > 0 else 1)
    ax_val.setLabelFormat(f"%.{decimals}f")
    ax_val.setTickCount(4)
    _style_axis(ax_val)
    chart.addAxis(ax_cat, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(ax_val, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(ax_cat)
    series.attachAxis(ax_val)
    chart.legend().setVisible(False)
    return chart


def pie_chart(
    title: str, slices: Sequence[tuple[str, str, float]], colours: dict[str, str] | None = None
) -> QChart:
    """A pie of ``(key, label, value)`` slices, each labelled ``label  count (share)``;
    ``colours`` maps keys to colours."""
    chart = new_chart(title)
    series = QPieSeries()
    total = sum(v for _, _, v in slices) or 1.0
    for key, label, value in slices:
        piece = series.append(f"{label} {value:.0f}·{value / total:.0%}", float(value))
        piece.setLabelFont(ui_font(-2))
        piece.setLabelVisible(True)
        if colours and key in colours:
            piece.setColor(QColor(colours[key]))
    series.setPieSize(0.5)
    chart.addSeries(series)
    chart.legend().setVisible(False)
    return chart
