"""Table model of the Sync issues panel: one row per conflict or rejected change."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from kamdesk.services.sync_session import SyncIssue
from kamdesk.ui.widgets.card_labels import account_field_labels, contact_field_labels

Index = QModelIndex | QPersistentModelIndex
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_label(kind: str) -> str:
    labels = {
        "field": QCoreApplication.translate("SyncIssueModel", "Edited on both sides"),
        "master_data": QCoreApplication.translate("SyncIssueModel", "Back-office field"),
        "deleted": QCoreApplication.translate("SyncIssueModel", "Deleted on the server"),
        "moved": QCoreApplication.translate("SyncIssueModel", "Moved to another territory"),
        "rejected": QCoreApplication.translate("SyncIssueModel", "Rejected by the server"),
    }
    return labels.get(kind, kind)


def value_text(value: Any, table: str = "account") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("fields"), dict):
        # a refused update: "field: value" with the card's labels
        return "; ".join(
            f"{field_label(table, k)}: {value_text(v)}" for k, v in value["fields"].items()
        )
    return json.dumps(value, ensure_ascii=False)


def reason_text(kind: str, reason: str) -> str:
    """The server's reason in the user's words (the raw text stays in the tooltip)."""
    if kind == "field":
        return QCoreApplication.translate(
            "SyncIssueModel", "Changed on the server since you last synced; the later edit won."
        )
    if kind == "master_data":
        return QCoreApplication.translate(
            "SyncIssueModel", "The back office owns this field; a supervisor decides."
        )
    if kind == "moved" and reason.startswith("moved to "):
        return QCoreApplication.translate("SyncIssueModel", "Moved to %1").replace(
            "%1", reason.removeprefix("moved to ")
        )
    if kind == "deleted" and reason.startswith("deleted by "):
        return QCoreApplication.translate("SyncIssueModel", "Deleted by %1").replace(
            "%1", reason.removeprefix("deleted by ")
        )
    if kind == "rejected" and ": " in reason:
        return reason.split(": ", 1)[1] or reason
    return reason or "—"


def field_label(table: str, field: str | None) -> str:
    """The card's own label for a field (the same words the user edited it under)."""
    if not field:
        return "—"
    labels = contact_field_labels() if table == "contact" else account_field_labels()
    return labels.get(field, field) if table in ("account", "contact") else field


class SyncIssueModel(QAbstractTableModel):
    COLUMNS = ("record", "kind", "field", "base", "theirs", "yours", "reason")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._issues: list[SyncIssue] = []

    def set_issues(self, issues: list[SyncIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def issue(self, row: int) -> SyncIssue:
        return self._issues[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return (
            self.tr("Record"),
            self.tr("Issue"),
            self.tr("Field"),
            self.tr("Base"),
            self.tr("Theirs"),
            self.tr("Yours"),
            self.tr("Reason"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._issues):
            return None
        issue = self._issues[index.row()]
        if role == ISSUE_ROLE:
            return issue
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        c = issue.conflict
        column = self.COLUMNS[index.column()]
        if column == "reason" and role == Qt.ItemDataRole.ToolTipRole:
            return c.reason or None
        if column == "record":
            return issue.record
        if column == "kind":
            return kind_label(c.kind)
        if column == "field":
            return field_label(c.entity_table, c.field)
        if column == "base":
            return value_text(c.base_value, c.entity_table)
        if column == "theirs":
            return value_text(c.their_value, c.entity_table)
        if column == "yours":
            return value_text(c.your_value, c.entity_table)
        return reason_text(c.kind, c.reason)
