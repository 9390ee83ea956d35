"""The Today panel: due reminders, done and snooze, today's plan, the dock and notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Reminder, VisitPlan
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation
from kamdesk.services.reminder_feed import PlannedStop, planned_stops
from kamdesk.services.reminders import ReminderRow
from kamdesk.services.visits import CHINA
from kamdesk.ui.dialogs.visit_services import VisitServices
from kamdesk.ui.models.reminder_table import ReminderTableModel, TodayStopsModel
from kamdesk.ui.notifications import (
    DesktopNotifier,
    NotificationThrottle,
    notifications_enabled,
    set_notifications_enabled,
    summary_text,
)
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.today_panel import TodayPanel, install_today_dock
from tests.ui.visits.conftest import NOW


def _panel(qtbot: QtBot, services: VisitServices) -> TodayPanel:
    panel = TodayPanel(services, TaskRunner())
    qtbot.addWidget(panel)
    panel.refresh()
    return panel


def _plan_today(store: Store, account_ids: list[str]) -> str:
    with store.session() as session:
        territory = session.scalar(select(Account.territory_id).where(Account.id == account_ids[0]))
        plan_id = uuid7()
        stops = [
            {
                "kind": "visit",
                "visit_id": f"v{n}",
                "account_id": aid,
                "start": 540 + 45 * n,
                "purpose": "routine",
            }
            for n, aid in enumerate(account_ids)
        ]
        row = {
            "id": plan_id,
            "territory_id": territory,
            "iso_week": "2026-W48",
            "status": "draft",
            "days": [{"day": NOW.date().isoformat(), "stops": stops}],
            "dropped": [],
        }
        record_mutation(
            session,
            "visit_plan.create",
            entity_table="visit_plan",
            entity_id=plan_id,
            args={"row": row},
        )
        session.add(VisitPlan(**row))
    return plan_id


def test_lists_due_reminders_marks_done_and_snoozes(
    qtbot: QtBot, services: VisitServices, demo_store: Store, qtmodeltester: object
) -> None:
    panel = _panel(qtbot, services)
    model = panel.reminder_model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    rows = model.rows()
    assert len(rows) >= 3
    assert all(r.due_on <= NOW.date() and not r.done for r in rows)
    assert str(len(rows)) in panel.heading.text()

    panel.reminders.setFocus()
    panel.reminders.selectRow(0)
    first = panel.selected_reminder()
    assert first is not None
    qtbot.keyClick(panel.reminders, Qt.Key.Key_Space)  # type: ignore[no-untyped-call]
    assert first.id not in {r.id for r in model.rows()}

    panel.reminders.selectRow(0)
    second = panel.selected_reminder()
    assert second is not None
    panel.tomorrow_button.click()
    assert second.id not in {r.id for r in model.rows()}
    assert len(model.rows()) == len(rows) - 2
    with demo_store.session() as session:
        done = session.get(Reminder, first.id)
        snoozed = session.get(Reminder, second.id)
        assert done is not None and done.done_at is not None
        assert snoozed is not None and snoozed.snoozed_until == NOW.date() + timedelta(days=1)
    # tomorrow the snoozed one is back
    later = VisitServices(
        demo_store, services.visits, services.reminders, lambda: NOW + timedelta(days=1)
    )
    assert second.id in {r.id for r in later.reminders.due(later.today())}


def test_open_account_and_record_visit_from_a_planned_stop(
    qtbot: QtBot, services: VisitServices, demo_store: Store, qtmodeltester: object
) -> None:
    with demo_store.session() as session:
        ids = [str(i) for i in session.scalars(select(Account.id).order_by(Account.code).limit(3))]
    plan_id = _plan_today(demo_store, ids)
    assert [s.account_id for s in planned_stops(demo_store, NOW.date())] == ids
    panel = _panel(qtbot, services)
    qtmodeltester.check(panel.stops_model)  # type: ignore[attr-defined]
    assert panel.stops_model.rowCount() == 3
    assert "3" in panel.stops_title.text()
    assert panel.stops_model.index(1, TodayStopsModel.TIME).data() == "09:45"

    opened: list[tuple[str, PlannedStop | None]] = []

    def fake_form(account_id: str, stop: PlannedStop | None) -> str:
        opened.append((account_id, stop))
        return "visit-1"

    panel.open_form = fake_form
    recorded: list[str] = []
    panel.visitRecorded.connect(recorded.append)
    panel.stops.selectRow(2)
    panel.visit_button.click()
    assert opened[0][0] == ids[2]
    assert opened[0][1] is not None and opened[0][1].plan_id == plan_id
    assert recorded == ["visit-1"]

    accounts: list[str] = []
    panel.openAccount.connect(accounts.append)
    panel.stops.clearSelection()
    panel.reminders.selectRow(0)
    chosen = panel.selected_reminder()
    assert chosen is not None
    panel.account_button.click()
    assert accounts == [chosen.account_id] if chosen.account_id else accounts == []


def test_dock_toggles_with_f9_and_notifies_once(qtbot: QtBot, services: VisitServices) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    clock = [NOW]
    notifier = DesktopNotifier(window, NotificationThrottle(lambda: clock[0]), use_tray=False)
    opened: list[str] = []
    panel = install_today_dock(
        window,
        services,
        tasks=TaskRunner(),
        notifier=notifier,
        open_account=opened.append,
        start_after_ms=0,
    )
    window.show()
    qtbot.waitExposed(window)
    assert len(notifier.shown) == 1
    assert notifier.shown[0] in window.statusBar().currentMessage()
    panel.reload()  # nothing new within the hour: no second message
    assert len(notifier.shown) == 1
    dock = window.findChild(QDockWidget, "todayDock")
    assert dock is not None and dock.isVisible()
    dock.toggleViewAction().trigger()
    assert not dock.isVisible()
    assert dock.toggleViewAction().shortcut().toString() == "F9"
    panel.notify_toggle.setChecked(False)  # the switch on the panel
    assert not notifier.enabled and not notifications_enabled()
    assert window.visit_services is services  # type: ignore[attr-defined]
    panel.reminders.selectRow(0)
    panel.open_selected_account()
    assert opened and opened[0] == panel.selected_reminder().account_id  # type: ignore[union-attr]


def _row(n: int) -> ReminderRow:
    return ReminderRow(f"r{n}", "callback", NOW.date(), f"回访{n}", f"a{n}", f"店{n}", False)


def test_throttle_at_most_one_an_hour_and_only_for_new_reminders() -> None:
    clock = [NOW]
    throttle = NotificationThrottle(lambda: clock[0])
    assert not throttle.should_notify([])  # nothing due: nothing to say
    assert throttle.should_notify(["a", "b"])  # start-up
    assert not throttle.should_notify(["a", "b"])
    clock[0] += timedelta(hours=2)
    assert not throttle.should_notify(["a", "b"])  # nothing new
    clock[0] += timedelta(minutes=1)
    assert throttle.should_notify(["a", "b", "c"])  # new one due
    clock[0] += timedelta(minutes=10)
    assert not throttle.should_notify(["a", "b", "c", "d"])  # new, but within the hour
    clock[0] += timedelta(minutes=51)
    assert throttle.should_notify(["a", "b", "c", "d"])  # the waiting news goes out now


def test_summary_text_and_the_off_switch(qtbot: QtBot, kamdesk_home: object) -> None:
    text = summary_text([_row(n) for n in range(5)])
    assert "5" in text and "店0" in text and "店2" in text and "店3" not in text
    assert "2" in text.split("店2")[-1]  # "and 2 more"
    assert notifications_enabled()
    set_notifications_enabled(False)
    assert not notifications_enabled()
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = DesktopNotifier(
        window,
        NotificationThrottle(lambda: datetime(2026, 11, 23, tzinfo=CHINA)),
        enabled=False,
        use_tray=False,
    )
    assert not notifier.notify([_row(1)])
    assert notifier.shown == []


def test_reminder_model_marks_overdue(qtmodeltester: object) -> None:
    model = ReminderTableModel()
    late = ReminderRow("x", "debt", NOW.date() - timedelta(days=3), "收款", "a", "店", False)
    model.set_rows([late, _row(1)], NOW.date())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert "3" in str(model.index(0, ReminderTableModel.DUE).data())
    assert model.index(0, ReminderTableModel.DUE).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, ReminderTableModel.DUE).data(Qt.ItemDataRole.ForegroundRole) is None


def test_main_window_has_the_today_dock(qtbot: QtBot, demo_store: Store) -> None:
    from kamdesk.settings import Settings
    from kamdesk.ui.app import build_main_window

    window = build_main_window(demo_store, demo=True, settings=Settings())
    qtbot.addWidget(window)
    dock = window.findChild(QDockWidget, "todayDock")
    assert dock is not None
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    panel = dock.widget()
    assert isinstance(panel, TodayPanel)
    panel.start()  # what the start-up timer does 3 s after the window is built
    assert panel.timer.isActive()
    assert panel.reminder_model.rowCount() > 0
    # the shared advice engine feeds reorder alerts
    assert any(r.kind == "reorder" for r in panel.reminder_model.rows())
