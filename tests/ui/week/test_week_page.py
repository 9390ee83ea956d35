"""The week view: plan, drag a stop (locked, re-planned), skip a stop, export .ics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import icalendar
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kamdesk.db.engine import Store
from kamdesk.domain.routing import LatLon, SolveOptions
from kamdesk.services.demo.geography import OFFICE
from kamdesk.services.planning import PlanningService
from kamdesk.services.planning_problem import PlanningConfig
from kamdesk.services.planning_views import StopView, WeekOutcome
from kamdesk.ui.models.week_day_model import MIME_TYPE, DayStopsModel
from kamdesk.ui.pages.week import WeekPage
from kamdesk.ui.tasks import TaskRunner
from tests.conftest import DEMO_TODAY


def outcome_of(page: WeekPage) -> WeekOutcome:
    assert page.outcome is not None
    return page.outcome


def stop_at(model: DayStopsModel, row: int) -> StopView:
    stop = model.stop(row)
    assert stop is not None
    return stop


def first_visit(model: DayStopsModel) -> tuple[int, str]:
    for row in range(model.rowCount()):
        stop = stop_at(model, row)
        if stop.visit_id is not None:
            return row, stop.visit_id
    raise AssertionError("no visit on that day")


def test_week_page_plan_drag_skip_export(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_store: Store, tmp_path: Path
) -> None:
    service = PlanningService(
        demo_store,
        PlanningConfig(office=LatLon(*OFFICE[1])),
        options=SolveOptions(max_iterations=120, seed=1),
    )
    page = WeekPage(service, TaskRunner(), today=DEMO_TODAY, chinese=True)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    assert not page.ics_button.isEnabled()
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    out = page.outcome
    assert out is not None and out.violations == ()
    assert len(page.board.columns) == 5
    assert page.map.markers and page.map.office_item is not None
    for column in page.board.columns:
        qtmodeltester.check(column.model)  # type: ignore[no-untyped-call]
    assert page.left_out.count() == len(out.left_out)

    # drag the first Monday visit onto Tuesday's list (drop simulated on the model)
    monday_model: DayStopsModel = page.board.columns[0].model
    tuesday_model: DayStopsModel = page.board.columns[1].model
    row, moved = first_visit(monday_model)
    mime = monday_model.mimeData([monday_model.index(row, 0)])
    assert mime.hasFormat(MIME_TYPE)
    with qtbot.waitSignal(page.plan_changed):
        assert (
            tuesday_model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex()) is False
        )
    after = outcome_of(page)
    assert after is not out
    assert after.violations == ()
    assert [lk.visit_id for lk in after.state.edits.locked] == [moved]
    found = after.stop(moved)
    assert found is None or found[0].day == DEMO_TODAY + timedelta(days=1)

    # skip the first Wednesday stop with the keyboard (Delete)
    wed = page.board.columns[2]
    skip_row, skipped = first_visit(wed.model)
    wed.view.setCurrentIndex(wed.model.index(skip_row, 0))
    wed.view.setFocus()
    with qtbot.waitSignal(page.plan_changed):
        qtbot.keyClick(wed.view, Qt.Key.Key_Delete)  # type: ignore[no-untyped-call]
    after = outcome_of(page)
    assert after.stop(skipped) is None
    assert any(v.visit_id == skipped and v.reason == "skipped" for v in after.left_out)

    # export .ics and parse it back
    path = page.export_ics(tmp_path / "week.ics")
    assert path is not None
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == after.visit_count
    stop = after.days[0].visit_stops[0]
    ev = next(e for e in events if f"-{stop.visit_id}@" in str(e["UID"]))
    assert str(ev["SUMMARY"]).startswith(stop.name)
    start = ev.decoded("DTSTART")
    assert start.hour * 60 + start.minute == stop.start
    assert not QMimeData().hasFormat(MIME_TYPE)


def test_saved_plan_reopens(qtbot: QtBot, demo_store: Store) -> None:
    service = PlanningService(
        demo_store,
        PlanningConfig(office=LatLon(*OFFICE[1])),
        options=SolveOptions(max_iterations=80, seed=1),
    )
    planned = service.plan_week(DEMO_TODAY)
    first = planned.days[1].visit_stops[0].visit_id
    assert first is not None
    edited = service.skip_stop(planned.state, first)
    page = WeekPage(service, TaskRunner(), today=DEMO_TODAY, chinese=False)
    qtbot.addWidget(page)
    page.load_saved()
    reopened = outcome_of(page)
    assert reopened.violations == ()
    assert [[s.visit_id for s in d.stops] for d in reopened.days] == [
        [s.visit_id for s in d.stops] for d in edited.days
    ]
    assert first in reopened.state.edits.skipped
    assert page.ics_button.isEnabled()
