"""One day's ordered stops as a list model; dropping a stop here asks for a re-plan.

The model never moves rows itself: a drop emits ``stop_dropped(visit_id, day, position)`` and
the page re-optimises the week around the now-locked stop, then reloads every day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from kamdesk.services.planning_views import DayView, StopView
from kamdesk.ui.widgets.map_canvas import TIER_COLOURS

MIME_TYPE = "application/x-kamdesk-visit"
VisitIdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class DayStopsModel(QAbstractListModel):
    stop_dropped = Signal(str, object, int)  # visit id, day, position among the day's visits

    def __init__(self, day: date, parent: Any = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self.day = day
        self.chinese = chinese
        self._stops: tuple[StopView, ...] = ()

    def set_day(self, view: DayView | None) -> None:
        self.beginResetModel()
        self._stops = view.stops if view is not None else ()
        self.endResetModel()

    def stop(self, row: int) -> StopView | None:
        return self._stops[row] if 0 <= row < len(self._stops) else None

    def row_of(self, visit_id: str) -> int:
        for i, s in enumerate(self._stops):
            if s.visit_id == visit_id:
                return i
        return -1

    # -- read ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._stops)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._stops):
            return None
        s = self._stops[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), s)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s)
        if role == Qt.ItemDataRole.DecorationRole and not s.is_break:
            return TIER_COLOURS.get(s.tier, QColor("#888888"))
        if role == Qt.ItemDataRole.ForegroundRole and s.is_break:
            return QColor("#777777")
        if role == VisitIdRole:
            return s.visit_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(index.row(), s).replace("\n", ", ")
        return None

    def _sequence(self, row: int) -> int:
        return sum(1 for s in self._stops[: row + 1] if not s.is_break)

    def _text(self, row: int, s: StopView) -> str:
        if s.is_break:
            return (
                self.tr("Lunch %1–%2")
                .replace("%1", clock(s.start))
                .replace("%2", clock(s.departure))
            )
        lock = "🔒" if s.locked else ""
        times = f"{clock(s.start)}–{clock(s.departure)}"
        extras = [self.tr("slack %1′").replace("%1", str(s.slack))]
        if s.waiting:
            extras.insert(0, self.tr("wait %1′").replace("%1", str(s.waiting)))
        return f"{self._sequence(row)}. {lock}{s.name}\n{times} " + " ".join(extras)

    def _tooltip(self, s: StopView) -> str:
        if s.is_break:
            return self.tr("Lunch break")
        reasons = s.reasons_zh if self.chinese else s.reasons_en
        kind = self.tr("mandatory") if s.mandatory else self.tr("optional")
        times = self.tr("arrive %1, start %2, leave %3, waiting %4 min, slack %5 min")
        for key, value in (
            ("%1", clock(s.arrival)),
            ("%2", clock(s.start)),
            ("%3", clock(s.departure)),
            ("%4", str(s.waiting)),
            ("%5", str(s.slack)),
        ):
            times = times.replace(key, value)
        lines = [
            f"<b>{s.name}</b> ({s.code}) · {s.tier} · {kind}",
            times,
            s.address,
            self.tr("Travel %1 min, %2 km")
            .replace("%1", str(s.travel_minutes))
            .replace("%2", f"{s.travel_km:.1f}"),
            *reasons,
        ]
        if s.locked:
            lines.append(self.tr("Locked here by you"))
        return "<br>".join(line for line in lines if line)

    # -- drag and drop -----------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        flags = base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        stop = self.stop(index.row())
        if stop is not None and not stop.is_break:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            stop = self.stop(index.row())
            if stop is not None and stop.visit_id is not None:
                mime.setData(MIME_TYPE, QByteArray(stop.visit_id.encode("utf-8")))
                break
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        return data.hasFormat(MIME_TYPE)

    def visit_position(self, row: int) -> int:
        """Position among the day's visits (breaks not counted) of a drop before ``row``."""
        if row < 0:
            row = len(self._stops)
        return sum(1 for s in self._stops[:row] if not s.is_break)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        visit_id = bytes(data.data(MIME_TYPE).data()).decode("utf-8")
        if parent.isValid():
            row = parent.row()
        position = self.visit_position(row)
        own = self.row_of(visit_id)
        if 0 <= own < (row if row >= 0 else len(self._stops)):
            position -= 1  # positions count the day's other visits
        self.stop_dropped.emit(visit_id, self.day, position)
        return False  # the re-plan rebuilds the rows; nothing is moved here
