"""This week: who is due, the optimised route per day on an offline map, re-planning by drag,
skip or "closed today", and exports (.ics calendar, printable route sheet)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kamdesk.errors import KamdeskError
from kamdesk.export import ExportError
from kamdesk.services.ics_export import write_ics
from kamdesk.services.planning import PlanningService, iso_week, week_monday_of
from kamdesk.services.planning_pdf import write_route_sheet
from kamdesk.services.planning_views import WeekOutcome
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.map_canvas import TIER_COLOURS, MapCanvas
from kamdesk.ui.widgets.week_board import WeekBoard


class WeekPage(QWidget):
    plan_changed = Signal()

    def __init__(
        self,
        service: PlanningService,
        tasks: TaskRunner,
        *,
        today: date | None = None,
        chinese: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.chinese = chinese
        self.monday = week_monday_of(today or date.today())
        self.outcome: WeekOutcome | None = None
        self.last_error: KamdeskError | None = None
        self._tried_saved = False

        self.prev_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.week_label = QLabel(self)
        self.week_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.plan_button = QPushButton(self)
        self.plan_button.setDefault(True)
        self.skip_button = QPushButton(self)
        self.closed_button = QPushButton(self)
        self.ics_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.board = WeekBoard(self, chinese=chinese)
        self.map = MapCanvas(self, chinese=chinese)
        self.map.setMinimumWidth(260)
        self.left_out = QListWidget(self)
        self.left_out.setWordWrap(True)
        self.left_out_label = QLabel(self)
        self.legend = QLabel(self)

        bar = QHBoxLayout()
        for w in (self.prev_button, self.week_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (
            self.plan_button,
            self.skip_button,
            self.closed_button,
            self.ics_button,
            self.pdf_button,
        ):
            bar.addWidget(w)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.map, 3)
        side_layout.addWidget(self.legend)
        side_layout.addWidget(self.left_out_label)
        side_layout.addWidget(self.left_out, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.board)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.prev_button.clicked.connect(lambda: self.set_week(self.monday - timedelta(days=7)))
        self.next_button.clicked.connect(lambda: self.set_week(self.monday + timedelta(days=7)))
        self.plan_button.clicked.connect(self.plan)
        self.skip_button.clicked.connect(self.skip_selected)
        self.closed_button.clicked.connect(self.closed_selected)
        self.ics_button.clicked.connect(lambda: self.export_ics())
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.board.stop_dropped.connect(self.move_stop)
        self.board.stop_selected.connect(self.map.highlight)
        self.board.command.connect(self._command)
        self.map.stop_clicked.connect(self._map_clicked)
        self.retranslate()
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.plan)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self.export_ics())
        self._refresh()

    def retranslate(self) -> None:
        self.prev_button.setText(self.tr("◀ Previous week"))
        self.next_button.setText(self.tr("Next week ▶"))
        self.plan_button.setText(self.tr("Plan the week"))
        self.plan_button.setToolTip(self.tr("Ctrl+P"))
        self.skip_button.setText(self.tr("Skip stop"))
        self.skip_button.setToolTip(self.tr("Delete"))
        self.closed_button.setText(self.tr("Shop closed today"))
        self.closed_button.setToolTip(self.tr("Ctrl+K"))
        self.ics_button.setText(self.tr("Export .ics"))
        self.pdf_button.setText(self.tr("Route sheet PDF"))
        self.left_out.setAccessibleName(self.tr("Not planned"))
        dots = " ".join(f'<span style="color:{TIER_COLOURS[t].name()}">●</span> {t}' for t in "ABC")
        tier, office = self.tr("Tier"), self.tr("Office")  # outside the f-string: lupdate sees them
        self.legend.setText(
            f"{tier}: {dots} &nbsp; ■ {office} &nbsp; "
            + self.tr("Wheel: zoom · drag: pan · 0: fit")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._refresh()
        super().changeEvent(event)

    # -- week and planning ---------------------------------------------------------------------
    def set_week(self, monday: date) -> None:
        self.monday = week_monday_of(monday)
        self.outcome = None
        self._refresh()
        self.load_saved()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.outcome is None and not self._tried_saved:
            self.load_saved()

    def load_saved(self) -> None:
        """Show the week's saved plan, if there is one that still holds (in the background)."""
        self._tried_saved = True
        monday = self.monday

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> Any:
            return self.service.open_week(monday)

        def done(result: Any) -> None:
            if result is not None and self.monday == monday and self.outcome is None:
                self.set_outcome(result)

        self.tasks.run(work, on_success=done, on_failure=self._failed)

    def plan(self) -> None:
        monday = self.monday

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> Any:
            return self.service.plan_week(monday, progress=progress, cancel=cancel)

        self._run(self.tr("Planning the week"), work)

    def move_stop(self, visit_id: str, day: object, position: int) -> None:
        state = self._state()
        if state is None or not isinstance(day, date):
            return

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> Any:
            return self.service.move_stop(
                state, visit_id, day, position, progress=progress, cancel=cancel
            )

        self._run(self.tr("Re-planning around your change"), work, select=visit_id)

    def skip_selected(self) -> None:
        stop = self.board.selected()
        if stop is not None and stop.visit_id is not None:
            self._command("skip", stop.visit_id)

    def closed_selected(self) -> None:
        stop = self.board.selected()
        if stop is not None and stop.visit_id is not None:
            self._command("closed", stop.visit_id)

    def _command(self, name: str, visit_id: str) -> None:
        state = self._state()
        found = self.outcome.stop(visit_id) if self.outcome else None
        if state is None or found is None:
            return
        day, _row = found
        days = [d.day for d in self.outcome.days] if self.outcome else []
        if name in ("prev_day", "next_day"):
            i = days.index(day.day) + (-1 if name == "prev_day" else 1)
            if 0 <= i < len(days):
                self.move_stop(visit_id, days[i], len(self.outcome.days[i].visit_stops))
            return
        if name in ("earlier", "later"):
            visits = [s.visit_id for s in day.visit_stops]
            pos = visits.index(visit_id) + (-1 if name == "earlier" else 1)
            if 0 <= pos < len(visits):
                self.move_stop(visit_id, day.day, pos)
            return
        service_call = self.service.skip_stop if name == "skip" else self.service.mark_closed

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> Any:
            return service_call(state, visit_id, progress=progress, cancel=cancel)

        title = self.tr("Skipping the stop") if name == "skip" else self.tr("Re-planning the rest")
        self._run(title, work)

    def _state(self) -> Any:
        return self.outcome.state if self.outcome is not None else None

    def _run(
        self,
        title: str,
        work: Callable[[Callable[[int, int, str], None], threading.Event], Any],
        *,
        select: str | None = None,
    ) -> None:
        def fn(progress: Callable[[int, int, str], None], cancel: threading.Event) -> Any:
            return work(progress, cancel)

        def done(result: Any) -> None:
            self.set_outcome(result)
            if select:
                self.board.select(select)

        self.plan_button.setEnabled(False)
        self.tasks.run_with_dialog(self, title, fn, on_success=done, on_failure=self._failed)

    def set_outcome(self, outcome: WeekOutcome) -> None:
        self.outcome = outcome
        self.last_error = None
        self._refresh()
        self.plan_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.plan_button.setEnabled(True)
        if not isinstance(exc, KamdeskError):
            raise exc
        self.last_error = exc
        QMessageBox.warning(self, self.tr("The week cannot be planned"), self._words(exc))

    def _words(self, exc: KamdeskError) -> str:
        words = {
            "planning.no_home": self.tr("Set your home location or start the day at the office."),
            "planning.no_work_days": self.tr("Choose at least one working day."),
            "planning.bad_working_hours": self.tr("The working day must end after it starts."),
            "planning.bad_lunch": self.tr("The lunch break does not fit its time window."),
            "planning.locked_day_closed": self.tr("The shop is closed on the day you moved it to."),
            "planning.pinned_conflict": self.tr("Two appointments overlap."),
        }
        text = words.get(exc.code, self.tr("The planner could not use this input."))
        return f"{text}\n\n{exc.message}\n[{exc.code}]"

    def _map_clicked(self, visit_id: str) -> None:
        self.board.select(visit_id)
        self.map.highlight(visit_id)

    # -- display -------------------------------------------------------------------------------
    def _refresh(self) -> None:
        sunday = self.monday + timedelta(days=6)
        self.week_label.setText(
            self.tr("Week %1 (%2 – %3)")
            .replace("%1", iso_week(self.monday))
            .replace("%2", f"{self.monday:%m-%d}")
            .replace("%3", f"{sunday:%m-%d}")
        )
        has_plan = self.outcome is not None
        self.plan_button.setEnabled(True)
        for button in (self.skip_button, self.closed_button, self.ics_button, self.pdf_button):
            button.setEnabled(has_plan)
        self.left_out.clear()
        if self.outcome is None:
            self.summary.setText(
                self.tr("Press “Plan the week” (Ctrl+P) to see who is due and the best routes.")
            )
            self.board.set_week([])
            self.left_out_label.setText("")
            self.map.scene().clear()
            return
        o = self.outcome
        self.board.set_week(o.days)
        self.map.show_week(o.days, o.start, o.end)
        text = self.tr("%1 due · %2 planned · %3 km · %4 min driving · %5 mandatory not placed")
        for key, value in (
            ("%1", o.due_count),
            ("%2", o.visit_count),
            ("%3", f"{o.travel_km:.1f}"),
            ("%4", o.travel_minutes),
            ("%5", len(o.mandatory_unplaced)),
        ):
            text = text.replace(key, str(value))
        if o.violations:
            text += " · " + self.tr("%n rule(s) broken", "", len(o.violations))
        self.summary.setText(text)
        self.left_out_label.setText(self.tr("Not planned (%n)", "", len(o.left_out)))
        for v in o.left_out:
            kind = self.tr("mandatory") if v.mandatory else self.tr("optional")
            why = v.zh if self.chinese else v.en
            item = QListWidgetItem(f"{v.name} ({v.code}) · {kind} · {why}")
            item.setData(Qt.ItemDataRole.UserRole, v.visit_id)
            self.left_out.addItem(item)

    # -- exports -------------------------------------------------------------------------------
    def export_ics(self, path: Path | None = None) -> Path | None:
        if self.outcome is None:
            return None
        week = iso_week(self.monday)
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the week as a calendar"), f"{week}.ics", "iCalendar (*.ics)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            return write_ics(self.outcome, path, week=week, lang="zh" if self.chinese else "en")
        except KamdeskError as exc:
            self._failed(exc)
            return None

    def export_pdf(self, path: Path | None = None) -> Path | None:
        if self.outcome is None:
            return None
        week = iso_week(self.monday)
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the route sheet"), f"{week}.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            return write_route_sheet(self.outcome, path, lang="zh" if self.chinese else "en")
        except ExportError as exc:
            QMessageBox.warning(self, self.tr("The route sheet could not be saved"), str(exc))
            return None


def build_week_page(store: Any, *, tasks: TaskRunner, settings: Any, demo: bool) -> WeekPage:
    """The page as the composition root creates it: the office of the demo territory (or the
    middle of the territory's shops), the travel mode from the settings."""
    from kamdesk.domain.routing import LatLon
    from kamdesk.services.demo.geography import OFFICE
    from kamdesk.services.planning import territory_centre
    from kamdesk.services.planning_problem import PlanningConfig, travel_mode
    from kamdesk.ui.resources import pick_language

    office = LatLon(*OFFICE[1]) if demo else territory_centre(store) or LatLon(*OFFICE[1])
    config = PlanningConfig(office=office, travel_mode=travel_mode(settings.travel_mode))
    chinese = pick_language(settings.language).startswith("zh")
    return WeekPage(PlanningService(store, config), tasks, chinese=chinese)
