"""An offline map of the week: no tiles, no network. Latitude/longitude are projected
equirectangularly (x = lon * cos(mean lat), y = -lat) onto a plain canvas; stops are coloured
by ABC tier, each day's route is drawn in its own colour, the office is a square. The wheel
zooms around the cursor; hovering a stop shows its name, time and why it is due."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from kamdesk.domain.routing import LatLon
from kamdesk.services.planning_views import DayView, StopView

SCALE = 20000.0  # scene units per degree: about 2 units per 10 m in Hefei
TIER_COLOURS = {"A": QColor("#d62728"), "B": QColor("#ff9f1c"), "C": QColor("#2b7bba")}
DAY_COLOURS = (
    QColor("#1b9e77"),
    QColor("#7570b3"),
    QColor("#e7298a"),
    QColor("#66a61e"),
    QColor("#a6761d"),
    QColor("#e6ab02"),
    QColor("#666666"),
)


def day_colour(index: int) -> QColor:
    return DAY_COLOURS[index % len(DAY_COLOURS)]


class Projection:
    """Equirectangular projection around the points' mean latitude (good over a city)."""

    def __init__(self, points: Sequence[LatLon]) -> None:
        lat0 = sum(p.lat for p in points) / len(points) if points else 0.0
        self.kx = math.cos(math.radians(lat0)) * SCALE

    def __call__(self, lat: float, lon: float) -> QPointF:
        return QPointF(lon * self.kx, -lat * SCALE)


class StopMarker(QGraphicsEllipseItem):
    def __init__(self, stop: StopView, centre: QPointF, radius: float, colour: QColor) -> None:
        super().__init__(QRectF(-radius, -radius, 2 * radius, 2 * radius))
        self.stop = stop
        self.setPos(centre)
        self.setBrush(QBrush(colour))
        self.setPen(QPen(QColor("#ffffff"), 0))
        self.setAcceptHoverEvents(True)
        self.setZValue(3)


class MapCanvas(QGraphicsView):
    """``show_week(days, start)``; ``highlight(visit_id)`` centres and marks one stop."""

    stop_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self.chinese = chinese
        self._auto_fit = True  # follow the widget's size until the user zooms
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("#f4f1ea")))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.markers: dict[str, StopMarker] = {}
        self.route_items: list[QGraphicsItem] = []
        self.office_item: QGraphicsRectItem | None = None
        self._selected: QGraphicsEllipseItem | None = None
        self._hidden_days: set[int] = set()

    # -- content ---------------------------------------------------------------------------
    def show_week(self, days: Sequence[DayView], start: LatLon, end: LatLon | None = None) -> None:
        scene = self.scene()
        scene.clear()
        self.markers.clear()
        self.route_items.clear()
        self._selected = None
        points = [start, *(LatLon(s.lat, s.lon) for d in days for s in d.visit_stops)]
        project = Projection(points)
        home = project(start.lat, start.lon)
        radius = 7.0
        for index, day in enumerate(days):
            colour = day_colour(index)
            path = QPainterPath(home)
            for stop in day.visit_stops:
                path.lineTo(project(stop.lat, stop.lon))
            finish = end or start
            path.lineTo(project(finish.lat, finish.lon))
            pen = QPen(colour, 2.5)
            pen.setCosmetic(True)
            route = scene.addPath(path, pen)
            route.setZValue(1)
            route.setData(0, index)
            route.setToolTip(day.day.isoformat())
            self.route_items.append(route)
            for seq, stop in enumerate(day.visit_stops, start=1):
                marker = StopMarker(
                    stop,
                    project(stop.lat, stop.lon),
                    radius,
                    TIER_COLOURS.get(stop.tier, QColor("#888888")),
                )
                marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                marker.setToolTip(self._tooltip(stop, day, seq))
                scene.addItem(marker)
                if stop.visit_id is not None:
                    self.markers[stop.visit_id] = marker
        office = QGraphicsRectItem(QRectF(-8, -8, 16, 16))
        office.setPos(home)
        office.setBrush(QBrush(QColor("#222222")))
        office.setPen(QPen(QColor("#ffffff"), 0))
        office.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        office.setZValue(4)
        office.setToolTip(self.tr("Office: every day starts and ends here"))
        scene.addItem(office)
        self.office_item = office
        label = QGraphicsSimpleTextItem(self.tr("Office"))
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        label.setParentItem(office)  # beside the square, at screen size
        label.setPos(10, -24)
        self._fit()

    def _tooltip(self, stop: StopView, day: DayView, seq: int) -> str:
        arrival = f"{stop.start // 60:02d}:{stop.start % 60:02d}"
        reasons = "<br>".join(stop.reasons_zh[:3] if self.chinese else stop.reasons_en[:3])
        return (
            f"<b>{seq}. {stop.name}</b> ({stop.tier})<br>"
            f"{day.day.isoformat()} {arrival}<br>{stop.address}<br>{reasons}"
        )

    def _fit(self) -> None:
        rect = self.scene().itemsBoundingRect()
        if rect.isEmpty():
            return
        margin = max(rect.width(), rect.height()) * 0.06 + 1
        rect = rect.adjusted(-margin, -margin, margin, margin)
        self.setSceneRect(rect)
        self.resetTransform()
        self._auto_fit = True
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def highlight(self, visit_id: str | None) -> None:
        """Ring the stop and bring it into view (selection in the day columns)."""
        if self._selected is not None:
            self.scene().removeItem(self._selected)
            self._selected = None
        marker = self.markers.get(visit_id or "")
        if marker is None:
            return
        ring = QGraphicsEllipseItem(QRectF(-12, -12, 24, 24))
        ring.setPen(QPen(QColor("#111111"), 2.5))
        ring.setPos(marker.pos())
        ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        ring.setZValue(5)
        self.scene().addItem(ring)
        self._selected = ring
        self.ensureVisible(marker)

    def set_day_visible(self, index: int, visible: bool) -> None:
        for route in self.route_items:
            if route.data(0) == index:
                route.setVisible(visible)

    # -- interaction -------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        base = self._base_scale()
        if base > 0 and not 0.5 * base <= current * factor <= 60 * base:
            return  # keep the territory findable
        self._auto_fit = False
        self.scale(factor, factor)

    def _base_scale(self) -> float:
        rect = self.sceneRect()
        if rect.isEmpty():
            return 0.0
        view = self.viewport().rect()
        return min(view.width() / rect.width(), view.height() / rect.height())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.25**steps)
        event.accept()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_0:
            self._fit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, StopMarker) and item.stop.visit_id is not None:
            self.stop_clicked.emit(item.stop.visit_id)
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self._fit()
