"""Recording a visit in the shop: times, purpose, the stock count, checks, feedback, notes and
follow-ups, saved as one ``visit.record`` through ``VisitService``.

Entry point for other pages: ``open_visit_form(parent, services, account_id, plan_stop=None)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import VisitPurpose
from kamdesk.errors import KamdeskError, ValidationError
from kamdesk.services.reminder_feed import PlannedStop, account_heading
from kamdesk.services.visits import CHINA, VisitInput
from kamdesk.ui.dialogs.visit_followups import FollowUpEditor
from kamdesk.ui.dialogs.visit_labels import (
    purpose_label,
    repurchase_choices,
    sell_through_choices,
)
from kamdesk.ui.dialogs.visit_services import VisitServices
from kamdesk.ui.models.stock_count import StockCountModel
from kamdesk.ui.widgets.stock_count_grid import StockCountGrid

ERROR_STYLE = "color: #c62828;"


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(CHINA).replace(second=0, microsecond=0)


def _to_edit(moment: datetime) -> QDateTime:
    # the edit shows China wall time; it holds it as a naive value and gets CHINA back on read
    return QDateTime(_minute(moment).replace(tzinfo=None))


class VisitFormDialog(QDialog):
    def __init__(
        self,
        services: VisitServices,
        account_id: str,
        plan_stop: PlannedStop | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitForm")
        self._services = services
        self.account_id = account_id
        self.plan_stop = plan_stop
        self.visit_id: str | None = None
        self._dirty = False
        self._finish_set = False
        # asked before unsaved work is thrown away; tests replace it
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        heading = account_heading(services.store, account_id)
        self.setWindowTitle(
            self.tr("Visit — %1 %2").replace("%1", heading.code).replace("%2", heading.name)
        )
        self.resize(1180, 760)
        now = services.now()

        # -- times and purpose -------------------------------------------------------------
        self.title_label = QLabel(
            f"<b>{heading.name}</b>  <span style='color:#666'>{heading.code}</span>", self
        )
        self.start_button = QPushButton(self.tr("Start (now)"), self)
        self.start_edit = self._time_edit("startEdit", now)
        self.finish_button = QPushButton(self.tr("Finish (now)"), self)
        self.finish_edit = self._time_edit("finishEdit", now)
        self.start_button.clicked.connect(self.stamp_start)
        self.finish_button.clicked.connect(self.stamp_finish)
        self.finish_edit.dateTimeChanged.connect(self._finish_edited)
        self.purpose = QComboBox(self)
        self.purpose.setObjectName("purpose")
        for purpose in VisitPurpose:
            self.purpose.addItem(purpose_label(purpose.value), purpose.value)
        if plan_stop is not None:
            found = self.purpose.findData(plan_stop.purpose)
            self.purpose.setCurrentIndex(max(found, 0))
        self._errors: dict[str, QLabel] = {}
        top = QGridLayout()
        top.addWidget(self.title_label, 0, 0, 1, 6)
        top.addWidget(self.start_button, 1, 0)
        top.addWidget(self.start_edit, 1, 1)
        top.addWidget(self.finish_button, 1, 2)
        top.addWidget(self.finish_edit, 1, 3)
        top.addWidget(QLabel(self.tr("Purpose"), self), 1, 4)
        top.addWidget(self.purpose, 1, 5)
        top.addWidget(self._error_label("started_at"), 2, 0, 1, 2)
        top.addWidget(self._error_label("finished_at"), 2, 2, 1, 2)
        top.addWidget(self._error_label("purpose"), 2, 4, 1, 2)
        top.setColumnStretch(6, 1)

        # -- stock count ---------------------------------------------------------------------
        self.count_model = StockCountModel(services.visits.count_sheet(account_id), self)
        self.grid = StockCountGrid(self.count_model, self)
        self.count_box = QGroupBox(self)
        count_layout = QVBoxLayout(self.count_box)
        count_hint = QLabel(
            self.tr("Type the count and press Enter for the next product; Esc clears a cell."),
            self.count_box,
        )
        count_hint.setStyleSheet("color: #666;")
        count_hint.setWordWrap(True)
        count_layout.addWidget(count_hint)
        count_layout.addWidget(self.grid, 1)
        count_layout.addWidget(self._error_label("stock_counts"))
        self.count_model.countsChanged.connect(self._update_count_title)
        self._update_count_title()

        # -- checks, feedback, notes, follow-ups -------------------------------------------
        self.checks: dict[str, QCheckBox] = {
            "display_ok": QCheckBox(self.tr("Shelf display is in order"), self),
            "price_compliant": QCheckBox(self.tr("Retail prices follow the guide"), self),
            "out_of_channel": QCheckBox(self.tr("Out-of-channel goods found"), self),
            "counterfeit": QCheckBox(self.tr("Counterfeit goods found"), self),
        }
        checks_box = QGroupBox(self.tr("Checks"), self)
        checks_layout = QVBoxLayout(checks_box)
        for key, box in self.checks.items():
            box.setObjectName(f"check_{key}")
            checks_layout.addWidget(box)
        checks_layout.addWidget(self._error_label("checklist"))

        self.sell_through = self._choice_combo("sellThrough", sell_through_choices())
        self.repurchase = self._choice_combo("repurchase", repurchase_choices())
        self.comments = QLineEdit(self)
        self.comments.setObjectName("consumerComments")
        self.comments.setPlaceholderText(self.tr("What consumers say about taste, price…"))
        feedback_box = QGroupBox(self.tr("Customer feedback"), self)
        feedback_form = QFormLayout(feedback_box)
        feedback_form.addRow(self.tr("Sell-through"), self.sell_through)
        feedback_form.addRow(self.tr("Re-purchase"), self.repurchase)
        feedback_form.addRow(self.tr("Consumer comments"), self.comments)
        feedback_form.addRow(self._error_label("feedback"))

        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("summary")
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(self.tr("What was done and found at this visit"))
        notes_box = QGroupBox(self.tr("Notes"), self)
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.summary)
        notes_layout.addWidget(self._error_label("summary"))

        self.follow_ups = FollowUpEditor(services.today(), self)
        follow_box = QGroupBox(self.tr("Follow-ups (become reminders)"), self)
        follow_layout = QVBoxLayout(follow_box)
        follow_layout.addWidget(self.follow_ups)
        follow_layout.addWidget(self._error_label("follow_ups"))

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for box in (checks_box, feedback_box, notes_box, follow_box):
            side_layout.addWidget(box)
        side_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setMinimumWidth(420)

        splitter = QSplitter(self)
        splitter.addWidget(self.count_box)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        # -- buttons ---------------------------------------------------------------------------
        self.general_error = QLabel(self)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("Save visit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveVisit")
        self.save_button.setAutoDefault(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        for widget in (self.start_edit, self.finish_edit):
            widget.dateTimeChanged.connect(self._mark_dirty)
        self.purpose.currentIndexChanged.connect(self._mark_dirty)
        for box in self.checks.values():
            box.toggled.connect(self._mark_dirty)
        self.sell_through.currentIndexChanged.connect(self._mark_dirty)
        self.repurchase.currentIndexChanged.connect(self._mark_dirty)
        self.comments.textChanged.connect(self._mark_dirty)
        self.summary.textChanged.connect(self._mark_dirty)
        self.count_model.countsChanged.connect(self._mark_dirty)
        self.follow_ups.changed.connect(self._mark_dirty)
        self.follow_ups.title.textChanged.connect(self._mark_dirty)
        self._dirty = False
        self.grid.setFocus()

    # -- building blocks -----------------------------------------------------------------------
    def _time_edit(self, name: str, moment: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(_to_edit(moment), self)
        edit.setObjectName(name)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setCalendarPopup(True)
        return edit

    def _choice_combo(self, name: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for code, label in choices:
            combo.addItem(label, code)
        return combo

    def _error_label(self, field: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"error_{field}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self._errors[field] = label
        return label

    def _update_count_title(self) -> None:
        self.count_box.setTitle(
            self.tr("Stock count (%1 of %2 products counted)")
            .replace("%1", str(self.count_model.filled()))
            .replace("%2", str(self.count_model.rowCount()))
        )

    def _mark_dirty(self, *_args: object) -> None:
        self._dirty = True

    def _finish_edited(self, *_args: object) -> None:
        self._finish_set = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    # -- actions ---------------------------------------------------------------------------------
    def stamp_start(self) -> None:
        self.start_edit.setDateTime(_to_edit(self._services.now()))

    def stamp_finish(self) -> None:
        self.finish_edit.setDateTime(_to_edit(self._services.now()))
        self._finish_set = True

    def _read_time(self, edit: QDateTimeEdit) -> datetime:
        value: datetime = edit.dateTime().toPython()  # type: ignore[assignment]
        return value.replace(tzinfo=CHINA)

    def visit_input(self) -> VisitInput:
        """The form as the service's input (a typed but not added follow-up is included)."""
        if self.follow_ups.title.text().strip():
            self.follow_ups.add_current()
        if not self._finish_set:  # saved without pressing Finish: the visit ends now
            self.stamp_finish()
        return VisitInput(
            account_id=self.account_id,
            started_at=self._read_time(self.start_edit),
            finished_at=self._read_time(self.finish_edit),
            purpose=str(self.purpose.currentData()),
            checklist={key: box.isChecked() for key, box in self.checks.items()},
            feedback={
                "sell_through": str(self.sell_through.currentData()),
                "repurchase": str(self.repurchase.currentData()),
                "consumer_comments": self.comments.text().strip(),
            },
            summary=self.summary.toPlainText().strip(),
            stock_counts=self.count_model.counts(),
            follow_ups=self.follow_ups.follow_ups(),
            visit_plan_id=self.plan_stop.plan_id if self.plan_stop is not None else None,
        )

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_error(self, error: KamdeskError) -> None:
        field = error.field if isinstance(error, ValidationError) else None
        label = self._errors.get(field or "")
        if label is None:
            self.general_error.setText(f"{error.message}  [{error.code}]")
            self.general_error.show()
            return
        label.setText(error.message)
        label.show()
        focus = {
            "started_at": self.start_edit,
            "finished_at": self.finish_edit,
            "purpose": self.purpose,
            "stock_counts": self.grid,
            "summary": self.summary,
            "feedback": self.comments,
            "follow_ups": self.follow_ups.title,
        }.get(field or "")
        if focus is not None:
            focus.setFocus()

    def save(self) -> bool:
        self.clear_errors()
        try:
            self.visit_id = self._services.visits.record(self.visit_input())
        except KamdeskError as exc:
            self.show_error(exc)
            return False
        self._dirty = False
        self.accept()
        return True

    # -- closing -----------------------------------------------------------------------------------
    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Discard this visit?"),
            self.tr("The visit has not been saved. Close the form and lose what you entered?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self._dirty and not self.confirm_discard():
            return
        self._dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty and not self.confirm_discard():
            event.ignore()
            return
        self._dirty = False
        super().closeEvent(event)


def open_visit_form(
    parent: QWidget | None,
    services: VisitServices,
    account_id: str,
    plan_stop: PlannedStop | None = None,
) -> str | None:
    """Show the visit form modally; the new visit's id, or None when it was not saved."""
    dialog = VisitFormDialog(services, account_id, plan_stop, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.exec()
    return dialog.visit_id
