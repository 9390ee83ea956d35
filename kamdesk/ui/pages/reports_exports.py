"""The "Exports" tab of the Reports page: account dossiers (the open account, one code, the
accounts listed, or all) and the route brief of a planned week, as PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.db.engine import Store
from kamdesk.export import Lang
from kamdesk.services.advice import AdviceService
from kamdesk.services.dossier import DossierService
from kamdesk.services.planning import iso_week
from kamdesk.settings import Settings
from kamdesk.ui.dialogs.export_dossier import (
    ExportController,
    listed_accounts_of,
    open_account_of,
)
from kamdesk.ui.resources import pick_language
from kamdesk.ui.tasks import TaskRunner

_WEEKDAYS = 7
MAX_WIDTH = 780


class ExportsPanel(QWidget):
    def __init__(
        self,
        controller: ExportController,
        *,
        open_account: Callable[[], str | None] = lambda: None,
        listed_accounts: Callable[[], list[str]] = list,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._open_account = open_account
        self._listed = listed_accounts
        self._today = today

        self.lang = QComboBox(self)
        self.lang.addItem("中文", Lang.ZH.value)
        self.lang.addItem("English", Lang.EN.value)
        self.lang.setCurrentIndex(0 if controller.lang is Lang.ZH else 1)
        self.lang.currentIndexChanged.connect(self._lang_changed)

        # dossiers
        self.dossier_box = QGroupBox(self)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.export_open_account)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("HF000001")
        self.code.returnPressed.connect(self.export_code)
        self.code_button = QPushButton(self)
        self.code_button.clicked.connect(self.export_code)
        self.codes = QLineEdit(self)
        self.codes.setPlaceholderText("HF000001, HF000002")
        self.codes.returnPressed.connect(self.export_codes)
        self.codes_button = QPushButton(self)
        self.codes_button.clicked.connect(self.export_codes)
        self.listed_button = QPushButton(self)
        self.listed_button.clicked.connect(self.export_listed)
        self.all_button = QPushButton(self)
        self.all_button.clicked.connect(self.export_all)
        self.dossier_form = QFormLayout(self.dossier_box)
        self.dossier_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.dossier_form.addRow(QLabel(self), self.open_button)
        self.dossier_form.addRow(QLabel(self), _row(self.code, self.code_button))
        self.dossier_form.addRow(QLabel(self), _row(self.codes, self.codes_button))
        self.dossier_form.addRow(QLabel(self), _row(self.listed_button, self.all_button))

        # route brief
        self.route_box = QGroupBox(self)
        self.week = QLineEdit(self)
        self.week.setText(iso_week(self._monday()))
        self.week.setPlaceholderText("2026-W48")
        self.week.editingFinished.connect(self._fill_days)
        self.day = QComboBox(self)
        self.route_button = QPushButton(self)
        self.route_button.clicked.connect(self.export_route)
        self.route_form = QFormLayout(self.route_box)
        self.route_form.addRow(QLabel(self), self.week)
        self.route_form.addRow(QLabel(self), self.day)
        self.route_form.addRow(QLabel(self), _row(self.route_button))

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        controller.done.connect(self._show_done)
        controller.failed.connect(self._show_failed)

        top = QHBoxLayout()
        self.lang_label = QLabel(self)
        top.addWidget(self.lang_label)
        top.addWidget(self.lang)
        top.addStretch(1)
        body = QWidget(self)
        body.setMaximumWidth(MAX_WIDTH)  # a form, not a spreadsheet: keep the fields short
        outer = QHBoxLayout(self)
        outer.addWidget(body, 1)
        outer.addStretch(0)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.dossier_box)
        layout.addWidget(self.route_box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._retranslate()
        self._fill_days()

    # -- actions -------------------------------------------------------------------------------
    def export_open_account(self) -> bool:
        account_id = self._open_account()
        if account_id is None:
            self._show_failed(self.tr("Open an account on the Accounts page first."))
            return False
        return self.controller.export_account(self, account_id)

    def export_code(self) -> bool:
        code = self.code.text().strip()
        if not code:
            self._show_failed(self.tr("Type an account code."))
            self.code.setFocus()
            return False
        return self.controller.export_code(self, code)

    def export_codes(self) -> bool:
        codes = [c.strip() for c in self.codes.text().replace("，", ",").split(",") if c.strip()]
        if not codes:
            self._show_failed(self.tr("Type account codes separated by commas."))
            self.codes.setFocus()
            return False
        return self.controller.export_codes(self, codes)

    def export_listed(self) -> bool:
        return self.controller.export_accounts(self, self._listed())

    def export_all(self) -> bool:
        return self.controller.export_codes(self, None)

    def export_route(self) -> bool:
        day = self.day.currentData()
        chosen = date.fromisoformat(day) if isinstance(day, str) and day else None
        return self.controller.export_route(self, self.week.text().strip(), chosen)

    # -- state ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Enable what can be done now (the open account changes while this tab is hidden)."""
        self.open_button.setEnabled(self._open_account() is not None)
        self.listed_button.setEnabled(bool(self._listed()))

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _monday(self) -> date:
        today = self._today()
        return today - timedelta(days=today.weekday())

    def _fill_days(self) -> None:
        from kamdesk.errors import KamdeskError
        from kamdesk.services.dossier_route import week_monday

        try:
            monday = week_monday(self.week.text().strip())
        except KamdeskError:
            return  # the export reports a malformed week in words
        keep = self.day.currentData()
        self.day.clear()
        self.day.addItem(self.tr("Whole week"), "")
        names = (
            self.tr("Monday"),
            self.tr("Tuesday"),
            self.tr("Wednesday"),
            self.tr("Thursday"),
            self.tr("Friday"),
            self.tr("Saturday"),
            self.tr("Sunday"),
        )
        for offset in range(_WEEKDAYS):
            day = monday + timedelta(days=offset)
            self.day.addItem(f"{names[offset]} {day.isoformat()}", day.isoformat())
        index = self.day.findData(keep)
        self.day.setCurrentIndex(max(index, 0))

    def _lang_changed(self) -> None:
        self.controller.lang = Lang(self.lang.currentData())

    def _show_done(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _show_failed(self, text: str) -> None:
        self.status.setStyleSheet("color: #b3261e;")
        self.status.setText(text)

    def _retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "PDF documents to print or hand over: the account dossier and the "
                "route brief of a planned week. They hold trade secrets: keep them in the "
                "company."
            )
        )
        self.lang_label.setText(self.tr("Document language:"))
        self.dossier_box.setTitle(self.tr("Account dossiers"))
        self.open_button.setText(self.tr("Export the open account…"))
        self.code_button.setText(self.tr("Export…"))
        self.codes_button.setText(self.tr("Export to a folder…"))
        self.listed_button.setText(self.tr("Accounts in the list…"))
        self.all_button.setText(self.tr("All accounts…"))
        labels = (
            self.tr("Open account:"),
            self.tr("Account code:"),
            self.tr("Several codes:"),
            self.tr("In batch:"),
        )
        for row, text in enumerate(labels):
            _set_label(self.dossier_form, row, text)
        self.route_box.setTitle(self.tr("Route brief"))
        self.route_button.setText(self.tr("Export the route brief…"))
        for row, text in enumerate((self.tr("ISO week:"), self.tr("Day:"), "")):
            _set_label(self.route_form, row, text)
        self._fill_days()


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    if not any(isinstance(w, QLineEdit) for w in widgets):
        layout.addStretch(1)
    return holder


def _set_label(form: QFormLayout, row: int, text: str) -> None:
    item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    if isinstance(label, QLabel):
        label.setText(text)


def build_exports_panel(
    store: Store,
    *,
    tasks: TaskRunner,
    settings: Settings,
    accounts: QWidget | None = None,
    advice: AdviceService | None = None,
    today: Callable[[], date] = date.today,
) -> ExportsPanel:
    """The panel with its services (composition helper for ui/app.py)."""
    lang = Lang.EN if pick_language(settings.language) == "en" else Lang.ZH
    service = DossierService(store, advice=advice or AdviceService(store, clock=today), clock=today)
    controller = ExportController(service, tasks, lang=lang)
    return ExportsPanel(
        controller,
        open_account=open_account_of(accounts) if accounts is not None else lambda: None,
        listed_accounts=listed_accounts_of(accounts) if accounts is not None else list,
        today=today,
    )


def add_exports_tab(
    reports: QWidget,
    store: Store,
    *,
    tasks: TaskRunner,
    settings: Settings,
    accounts: QWidget | None = None,
) -> QWidget:
    """Add the Exports tab to the Reports page (which offers ``add_report``); returns the page
    so ui/app.py can wrap the page it already builds in one line."""
    from PySide6.QtCore import QCoreApplication

    panel = build_exports_panel(store, tasks=tasks, settings=settings, accounts=accounts)
    add = getattr(reports, "add_report", None)
    if callable(add):
        add(panel, QCoreApplication.translate("ExportsPanel", "Exports"))
    return reports
