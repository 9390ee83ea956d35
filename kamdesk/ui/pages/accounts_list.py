"""The account list: search as you type, filters, saved filters, sortable columns, import/export."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.enums import BusinessFormat, LifecycleStage
from kamdesk.services.account_queries import AccountFilter, AccountQueries
from kamdesk.settings import Settings, save_settings
from kamdesk.ui import labels
from kamdesk.ui.models.account_table import AccountTableModel
from kamdesk.ui.tasks import TaskRunner

BENCH_ENV = "KAMDESK_BENCH_MARK"  # benchmarks: print LIST_READY <epoch> when rows first show


def _choice_box(parent: QWidget, everything: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox(parent)
    box.addItem(everything, "")
    for text, value in items:
        box.addItem(text, value)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


class AccountListPage(QWidget):
    account_activated = Signal(str)
    new_requested = Signal()
    import_requested = Signal()
    export_requested = Signal()
    settings_requested = Signal()

    def __init__(
        self,
        queries: AccountQueries,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        settings: Settings | None = None,
        save: Callable[[Settings], None] = save_settings,
    ) -> None:
        super().__init__(parent)
        self.queries = queries
        self.settings = settings or Settings()
        self._save_settings = save
        self._marked = os.environ.get(BENCH_ENV) != "1"
        self._tasks = tasks
        self.model = AccountTableModel(queries, self, tasks=tasks)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            self.tr("Search name, code, address, owner, phone or pinyin (e.g. hxyj)")
        )
        self.search.setClearButtonEnabled(True)
        self._build_filters()
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 190, 110, 50, 80, 50, 80, 80, 120)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._activated)

        self.new_button = QPushButton(self.tr("New account"), self)
        self.new_button.setToolTip(self.tr("Create a new account card (Ctrl+N)"))
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.new_button.clicked.connect(self.new_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.export_button.clicked.connect(self.export_requested)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.filter_row)
        layout.addLayout(self.saved_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        # debounce typing: one query per pause; a newer search cancels an obsolete one
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(80)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_search)
        self.model.searched.connect(self._update_count)
        self.model.search_failed.connect(self.count_label.setText)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        self._update_count()
        if tasks is not None and not TaskRunner.inline:
            # debt and last visits aggregate millions of lines (seconds at 20,000 accounts):
            # compute them once the list is up, so the debt/overdue filters answer at once
            QTimer.singleShot(5000, self._prefetch_facts)

    # -- filters -------------------------------------------------------------------------------
    def _build_filters(self) -> None:
        tiers = [(t, t) for t in ("A", "B", "C")]
        formats = [(labels.business_format(f.value), f.value) for f in BusinessFormat]
        stages = [(labels.lifecycle(s.value), s.value) for s in LifecycleStage]
        grades = [(g, g) for g in ("A", "B", "C", "D")]
        self.tier_box = _choice_box(self, self.tr("All tiers"), tiers)
        self.format_box = _choice_box(self, self.tr("All formats"), formats)
        # districts come from the search index, filled once it is loaded (not at start-up)
        self.district_box = _choice_box(self, self.tr("All districts"), [])
        self.stage_box = _choice_box(self, self.tr("All stages"), stages)
        self.grade_box = _choice_box(self, self.tr("All grades"), grades)
        self.vip_check = QCheckBox(self.tr("VIP"), self)
        self.key_check = QCheckBox(self.tr("Key account"), self)
        self.overdue_check = QCheckBox(self.tr("Visit overdue"), self)
        self.overdue_check.setToolTip(
            self.tr("No completed visit for 7 days (tier A), 14 days (B) or 30 days (C)")
        )
        self.debt_check = QCheckBox(self.tr("Owes money"), self)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.clicked.connect(self.clear_filters)
        self.filter_row = QHBoxLayout()
        self.filter_row.addWidget(QLabel(self.tr("Filter:"), self))
        for box in (self.tier_box, self.format_box, self.district_box, self.stage_box):
            self.filter_row.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self.apply_search())
        self.filter_row.addWidget(self.grade_box)
        self.grade_box.currentIndexChanged.connect(lambda _i: self.apply_search())
        for check in (self.vip_check, self.key_check, self.overdue_check, self.debt_check):
            self.filter_row.addWidget(check)
            check.toggled.connect(lambda _c: self.apply_search())
        self.filter_row.addStretch(1)
        self.filter_row.addWidget(self.clear_button)

        self.saved_box = QComboBox(self)
        self.saved_box.setMinimumWidth(160)
        self.save_filter_button = QPushButton(self.tr("Save filter…"), self)
        self.delete_filter_button = QPushButton(self.tr("Delete saved filter"), self)
        self.saved_row = QHBoxLayout()
        self.saved_row.addWidget(QLabel(self.tr("Saved filters:"), self))
        self.saved_row.addWidget(self.saved_box)
        self.saved_row.addWidget(self.save_filter_button)
        self.saved_row.addWidget(self.delete_filter_button)
        self.saved_row.addStretch(1)
        self.settings_button = QPushButton(self.tr("Settings…"), self)
        self.settings_button.clicked.connect(self.settings_requested)
        self.saved_row.addWidget(self.settings_button)
        self._reload_saved()
        self.saved_box.activated.connect(self._saved_chosen)
        self.save_filter_button.clicked.connect(self._ask_save_filter)
        self.delete_filter_button.clicked.connect(self._delete_saved)

    def current_filter(self) -> AccountFilter:
        def chosen(box: QComboBox) -> frozenset[str]:
            value = box.currentData()
            return frozenset({value}) if value else frozenset()

        return AccountFilter(
            text=self.search.text(),
            tiers=chosen(self.tier_box),
            formats=chosen(self.format_box),
            districts=chosen(self.district_box),
            stages=chosen(self.stage_box),
            grades=chosen(self.grade_box),
            vip_only=self.vip_check.isChecked(),
            key_only=self.key_check.isChecked(),
            overdue_only=self.overdue_check.isChecked(),
            debt_only=self.debt_check.isChecked(),
        )

    def set_filter(self, flt: AccountFilter) -> None:
        """Show ``flt`` in the controls and search with it."""
        self._applying = True
        try:
            self.search.setText(flt.text)
            for box, values in (
                (self.tier_box, flt.tiers),
                (self.format_box, flt.formats),
                (self.district_box, flt.districts),
                (self.stage_box, flt.stages),
                (self.grade_box, flt.grades),
            ):
                index = box.findData(next(iter(values))) if values else 0
                box.setCurrentIndex(max(index, 0))
            self.vip_check.setChecked(flt.vip_only)
            self.key_check.setChecked(flt.key_only)
            self.overdue_check.setChecked(flt.overdue_only)
            self.debt_check.setChecked(flt.debt_only)
        finally:
            self._applying = False
        self._debounce.stop()
        self.apply_search()

    def clear_filters(self) -> None:
        self.set_filter(AccountFilter())

    _applying = False

    def apply_search(self) -> None:
        if self._applying:
            return
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        """Search again (after a save or an import changed the data)."""
        self.queries.invalidate()
        self.model.refresh()

    def _prefetch_facts(self) -> None:
        if self._tasks is None:
            return
        queries = self.queries

        def work(progress: object = None, cancel: object = None) -> None:
            queries.facts()

        self._tasks.run(work)

    # -- saved filters ---------------------------------------------------------------------
    def _reload_saved(self) -> None:
        self.saved_box.clear()
        self.saved_box.addItem(self.tr("(choose)"), "")
        for name in sorted(self.settings.saved_filters):
            self.saved_box.addItem(name, name)
        self.delete_filter_button.setEnabled(bool(self.settings.saved_filters))

    def save_filter(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self.settings.saved_filters[name] = self.current_filter().to_json()
        self._save_settings(self.settings)
        self._reload_saved()
        self.saved_box.setCurrentIndex(self.saved_box.findData(name))

    def load_saved(self, name: str) -> bool:
        raw = self.settings.saved_filters.get(name)
        if not isinstance(raw, dict):
            return False
        self.set_filter(AccountFilter.from_json(raw))
        return True

    def _saved_chosen(self, index: int) -> None:
        name = self.saved_box.itemData(index)
        if name:
            self.load_saved(str(name))

    def _ask_save_filter(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Save filter"), self.tr("Name for the current search and filters:")
        )
        if ok:
            self.save_filter(name)

    def _delete_saved(self) -> None:
        name = self.saved_box.currentData()
        if name and name in self.settings.saved_filters:
            del self.settings.saved_filters[name]
            self._save_settings(self.settings)
            self._reload_saved()

    # -- misc ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _fill_districts(self) -> None:
        if self.district_box.count() > 1 or not self.queries.has_snapshot():
            return
        self.district_box.blockSignals(True)
        for district in self.queries.districts():
            self.district_box.addItem(district, district)
        self.district_box.blockSignals(False)

    def _update_count(self, *_args: object) -> None:
        self._fill_districts()
        self.count_label.setText(self.tr("%n account(s)", "", self.model.total()))
        if not self._marked and self.model.rowCount() > 0 and self.isVisible():
            self._mark_ready()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._marked and self.model.rowCount() > 0:
            QTimer.singleShot(0, self._mark_ready)

    def _mark_ready(self) -> None:
        if self._marked:
            return
        self._marked = True
        self.table.viewport().repaint()  # rows are painted before the mark, not after
        print(f"LIST_READY {time.time():.6f}", file=sys.stderr, flush=True)

    def select_account(self, account_id: str) -> None:
        row = self.model.row_of(account_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _activated(self, index: QModelIndex) -> None:
        account_id = self.model.account_id(index.row())
        if account_id:
            self.account_activated.emit(account_id)
