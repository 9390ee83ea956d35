"""The account list as a lazily fetched table model.

A search yields the ordered ids of every match (one SQL pass, off the UI thread); row details
arrive in pages of ``PAGE`` as the view scrolls. A newer search cancels an obsolete pending
one: each search carries a generation number and its cancel flag is set when a newer one starts,
so a stale result is dropped instead of overwriting the newer list.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from kamdesk.services.account_queries import (
    AccountFilter,
    AccountQueries,
    AccountRow,
    SearchCancelled,
)
from kamdesk.ui import labels
from kamdesk.ui.tasks import TaskRunner

PAGE = 200
AnyIndex = QModelIndex | QPersistentModelIndex


class AccountTableModel(QAbstractTableModel):
    COLUMNS = (
        "code",
        "name",
        "business_format",
        "tier",
        "lifecycle_stage",
        "relationship_grade",
        "district",
        "owner_name",
        "phone",
        "address",
    )
    searched = Signal(int)  # number of matching accounts, after every finished search
    search_failed = Signal(str)

    def __init__(
        self, queries: AccountQueries, parent: Any = None, *, tasks: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self._queries = queries
        self._tasks = tasks
        self._filter = AccountFilter()
        self._order = ("code", False)
        self._ids: list[str] = []
        self._rows: list[AccountRow] = []
        self._generation = 0
        self._pending_cancel: threading.Event | None = None
        if tasks is not None and not TaskRunner.inline and not queries.has_snapshot():
            # start-up: show the first page at once, load the search index in the background
            self._rows = queries.first_page(PAGE)
            self._ids = [r.id for r in self._rows]
            self.refresh()
        else:
            self.refresh(background=False)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Code"),
            self.tr("Name"),
            self.tr("Format"),
            self.tr("Tier"),
            self.tr("Stage"),
            self.tr("Grade"),
            self.tr("District"),
            self.tr("Owner"),
            self.tr("Phone"),
            self.tr("Address"),
        )

    # -- loading ---------------------------------------------------------------------------
    def refresh(self, *, background: bool = True) -> None:
        """Search again with the current filter and order (in the background if possible)."""
        if self._pending_cancel is not None:
            self._pending_cancel.set()  # the older search is obsolete
        self._generation += 1
        generation = self._generation
        flt, (order_by, descending) = self._filter, self._order
        queries = self._queries

        def work(progress: Any = None, cancel: threading.Event | None = None) -> list[str]:
            return queries.search_ids(flt, order_by=order_by, descending=descending, cancel=cancel)

        def done(ids: list[str]) -> None:
            if generation == self._generation:
                self._apply(ids)

        def failed(error: BaseException) -> None:
            if isinstance(error, SearchCancelled) or generation != self._generation:
                return
            self.search_failed.emit(str(error))

        if not background or self._tasks is None:
            with contextlib.suppress(SearchCancelled):
                done(work())
            return
        handle = self._tasks.run(work, on_success=done, on_failure=failed)
        self._pending_cancel = handle.cancel_event

    def _apply(self, ids: list[str]) -> None:
        self._pending_cancel = None
        self.beginResetModel()
        self._ids = ids
        self._rows = self._queries.rows_for(ids[:PAGE])
        self.endResetModel()
        self.searched.emit(len(ids))

    def set_filter(self, flt: AccountFilter, *, background: bool = True) -> None:
        self._filter = flt
        self.refresh(background=background)

    def current_filter(self) -> AccountFilter:
        return self._filter

    def order(self) -> tuple[str, bool]:
        return self._order

    def total(self) -> int:
        return len(self._ids)

    def ids(self) -> list[str]:
        return list(self._ids)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < len(self._ids)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        first = len(self._rows)
        wanted = self._ids[first : first + PAGE]
        more = self._queries.rows_for(wanted)
        if len(more) < len(wanted):  # some vanished meanwhile: keep ids and rows aligned
            missing = set(wanted) - {r.id for r in more}
            self._ids = [i for i in self._ids if i not in missing]
        if not more:
            return
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.COLUMNS):
            return self.headers()[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and column == "tier" and row.abc_override:
            return self.tr("Tier set by hand (computed: %1)").replace("%1", row.abc_tier)
        return None

    def _display(self, row: AccountRow, column: str) -> str:
        if column == "business_format":
            return labels.business_format(row.business_format)
        if column == "lifecycle_stage":
            return labels.lifecycle(row.stage)
        if column == "tier":
            return row.tier + ("*" if row.abc_override else "")
        if column == "relationship_grade":
            return row.relationship_grade or ""
        return str(getattr(row, column) or "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        wanted = (self.COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        if wanted == self._order:
            return  # the view re-announces its indicator (e.g. at start-up): nothing to do
        self._order = wanted
        self.refresh()

    def account_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, account_id: str) -> int:
        """Row of ``account_id`` (fetching pages until it is loaded), or -1."""
        try:
            position = self._ids.index(account_id)
        except ValueError:
            return -1
        while position >= len(self._rows) and self.canFetchMore():
            self.fetchMore()
        return position if position < len(self._rows) else -1

    def neighbour(self, account_id: str, step: int) -> str | None:
        """The account ``step`` rows away in the current order (None at either end)."""
        try:
            position = self._ids.index(account_id) + step
        except ValueError:
            return None
        return self._ids[position] if 0 <= position < len(self._ids) else None
