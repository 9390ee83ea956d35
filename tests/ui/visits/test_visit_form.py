"""The visit form: keyboard counting, saving one visit.record, errors at their field, the guard."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import OutboxEntry, Reminder, StockCount, Visit
from kamdesk.services.reminder_feed import PlannedStop
from kamdesk.ui.dialogs.visit_form import VisitFormDialog
from kamdesk.ui.dialogs.visit_services import VisitServices
from kamdesk.ui.models.stock_count import StockCountModel
from tests.ui.visits.conftest import NOW


def _type(qtbot: QtBot, text: str) -> None:
    """Keys go to whatever has focus (the grid, then the cell editor it opens)."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClick(target, char)  # type: ignore[no-untyped-call]


def _enter(qtbot: QtBot) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]


def _open(qtbot: QtBot, services: VisitServices, account_id: str) -> VisitFormDialog:
    dialog = VisitFormDialog(services, account_id)
    dialog.confirm_discard = lambda: True  # never a modal box at teardown
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.grid.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.grid)
    return dialog


def _outbox_count(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def test_count_model_passes_the_model_tester(
    qtmodeltester: object, services: VisitServices, counted_account: str
) -> None:
    model = StockCountModel(services.visits.count_sheet(counted_account))
    model.set_count(0, 12)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() > 20
    assert model.line(0).previous_quantity is not None  # carried products first


def test_counts_by_keyboard_move_down_and_escape_clears(
    qtbot: QtBot, services: VisitServices, counted_account: str
) -> None:
    dialog = _open(qtbot, services, counted_account)
    for value in ("12", "0", "7"):
        _type(qtbot, value)
        _enter(qtbot)
    model = dialog.count_model
    assert [model.count_of(r) for r in range(4)] == [12, 0, 7, None]
    assert dialog.grid.currentIndex().row() == 3
    assert dialog.grid.currentIndex().column() == StockCountModel.COUNT
    dialog.grid.setCurrentIndex(dialog.grid.count_cell(1))
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Escape)  # type: ignore[no-untyped-call]
    assert model.count_of(1) is None
    assert dialog.isVisible()  # Esc on the grid clears a cell, it does not close the form
    assert "2" in dialog.count_box.title()
    # letters are not counts: the editor refuses them
    dialog.grid.setCurrentIndex(dialog.grid.count_cell(5))
    _type(qtbot, "x9")
    _enter(qtbot)
    assert model.count_of(5) == 9


def test_save_records_visit_counts_reminders_and_one_outbox_entry(
    qtbot: QtBot, services: VisitServices, counted_account: str, demo_store: Store
) -> None:
    before = _outbox_count(demo_store)
    dialog = _open(qtbot, services, counted_account)
    for value in ("20", "15"):
        _type(qtbot, value)
        _enter(qtbot)
    dialog.start_edit.setDateTime(QDateTime(NOW.replace(tzinfo=None) - timedelta(minutes=25)))
    dialog.stamp_finish()
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("special"))
    dialog.checks["display_ok"].setChecked(True)
    dialog.checks["counterfeit"].setChecked(True)
    dialog.sell_through.setCurrentIndex(dialog.sell_through.findData("slow"))
    dialog.comments.setText("口感偏淡")
    dialog.summary.setPlainText("陈列调整，补货建议已说明")
    dialog.follow_ups.title.setText("送新品价目表")
    dialog.follow_ups.due.setDate(QDate(2026, 11, 26))
    dialog.follow_ups.add_current()
    dialog.follow_ups.title.setText("回访动销")  # typed, not added: still saved
    assert dialog.dirty
    assert dialog.save()
    assert dialog.result() == VisitFormDialog.DialogCode.Accepted
    first_two = {dialog.count_model.line(r).product_id: q for r, q in ((0, 20), (1, 15))}
    with demo_store.session() as session:
        visit = session.get(Visit, dialog.visit_id)
        assert visit is not None
        assert visit.purpose == "special"
        assert visit.checklist["counterfeit"] is True
        assert visit.checklist["price_compliant"] is False
        assert visit.feedback["sell_through"] == "slow"
        assert visit.summary.startswith("陈列调整")
        assert visit.actual_start is not None and visit.actual_end is not None
        assert visit.actual_end - visit.actual_start == timedelta(minutes=25)
        counts = dict(
            session.execute(
                select(StockCount.product_id, StockCount.quantity).where(
                    StockCount.visit_id == dialog.visit_id
                )
            ).all()
        )
        assert counts == first_two
        reminders = session.execute(
            select(Reminder.title, Reminder.due_on, Reminder.kind).where(
                Reminder.account_id == counted_account, Reminder.kind == "follow_up"
            )
        ).all()
        assert {(t, d) for t, d, _ in reminders} >= {
            ("送新品价目表", date(2026, 11, 26)),
            ("回访动销", date(2026, 11, 26)),
        }
        entries = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == dialog.visit_id)
        ).all()
        assert [e.name for e in entries] == ["visit.record"]
    assert _outbox_count(demo_store) == before + 1


def test_bad_times_are_shown_at_the_finish_field_and_nothing_is_saved(
    qtbot: QtBot, services: VisitServices, counted_account: str, demo_store: Store
) -> None:
    before = _outbox_count(demo_store)
    dialog = _open(qtbot, services, counted_account)
    _type(qtbot, "3")
    _enter(qtbot)
    dialog.stamp_finish()
    dialog.start_edit.setDateTime(QDateTime(NOW.replace(tzinfo=None) + timedelta(hours=1)))
    assert not dialog.save()
    error = dialog.findChild(QWidget, "error_finished_at")
    assert error is not None and error.isVisible()
    assert "结束时间" in error.text()  # type: ignore[attr-defined]
    assert dialog.isVisible() and dialog.visit_id is None
    assert _outbox_count(demo_store) == before
    # fixing the field clears the message on the next save
    dialog.start_edit.setDateTime(QDateTime(NOW.replace(tzinfo=None) - timedelta(minutes=5)))
    assert dialog.save()
    assert not error.isVisible()


def test_unsaved_changes_guard(qtbot: QtBot, services: VisitServices, counted_account: str) -> None:
    dialog = _open(qtbot, services, counted_account)
    asked: list[bool] = []

    def refuse() -> bool:
        asked.append(True)
        return False

    dialog.confirm_discard = refuse
    dialog.reject()  # nothing typed yet: closes without asking
    assert not asked and not dialog.isVisible()
    dialog = _open(qtbot, services, counted_account)
    dialog.confirm_discard = refuse
    dialog.summary.setPlainText("半截记录")
    dialog.reject()
    assert asked and dialog.isVisible()
    dialog.confirm_discard = lambda: True
    dialog.close()
    assert not dialog.isVisible() and dialog.visit_id is None


def test_plan_stop_presets_purpose_and_links_the_plan(
    qtbot: QtBot, services: VisitServices, counted_account: str, demo_store: Store
) -> None:
    stop = PlannedStop("plan-1", "v1", counted_account, "", "", NOW.date(), 600, "retention")
    dialog = VisitFormDialog(services, counted_account, stop)
    qtbot.addWidget(dialog)
    assert dialog.purpose.currentData() == "retention"
    assert dialog.visit_input().visit_plan_id == "plan-1"
