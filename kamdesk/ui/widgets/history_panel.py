"""The account card's History tab (历史记录): who changed what and when, newest first, read-only,
with an export to CSV (UTF-8 with a BOM, so Excel shows the Chinese) for a supervisor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.services.audit import AuditService, HistoryEntry, format_value, write_csv
from kamdesk.ui.models.card_records import RecordTableModel
from kamdesk.ui.widgets.card_labels import account_field_labels, contact_field_labels
from kamdesk.ui.widgets.card_sections import make_table


def table_labels() -> dict[str, str]:
    return {
        "account": QCoreApplication.translate("HistoryPanel", "Account card"),
        "contact": QCoreApplication.translate("HistoryPanel", "Contact"),
        "account_note": QCoreApplication.translate("HistoryPanel", "Note"),
        "evaluation": QCoreApplication.translate("HistoryPanel", "Evaluation"),
        "attachment": QCoreApplication.translate("HistoryPanel", "Attachment"),
        "purchase_line": QCoreApplication.translate("HistoryPanel", "Purchase"),
        "stock_count": QCoreApplication.translate("HistoryPanel", "Stock count"),
        "sales_plan": QCoreApplication.translate("HistoryPanel", "Sales plan"),
        "sales_order": QCoreApplication.translate("HistoryPanel", "Order"),
        "advice_decision": QCoreApplication.translate("HistoryPanel", "Ordering advice decision"),
        "visit": QCoreApplication.translate("HistoryPanel", "Visit"),
        "reminder": QCoreApplication.translate("HistoryPanel", "Reminder"),
        "complaint": QCoreApplication.translate("HistoryPanel", "Complaint"),
    }


def verb_labels() -> dict[str, str]:
    return {
        "create": QCoreApplication.translate("HistoryPanel", "created"),
        "update_fields": QCoreApplication.translate("HistoryPanel", "edited"),
        "delete": QCoreApplication.translate("HistoryPanel", "deleted"),
        "undelete": QCoreApplication.translate("HistoryPanel", "restored"),
        "insert": QCoreApplication.translate("HistoryPanel", "added"),
        "add": QCoreApplication.translate("HistoryPanel", "added"),
        "record": QCoreApplication.translate("HistoryPanel", "recorded"),
        "tags": QCoreApplication.translate("HistoryPanel", "tags changed"),
        "submit": QCoreApplication.translate("HistoryPanel", "submitted"),
        "set_status": QCoreApplication.translate("HistoryPanel", "status changed"),
        "resolve": QCoreApplication.translate("HistoryPanel", "conflict resolved"),
        "sync": QCoreApplication.translate("HistoryPanel", "changed"),
    }


def extra_field_labels() -> dict[str, str]:
    return {
        "body": QCoreApplication.translate("HistoryPanel", "Text"),
        "summary": QCoreApplication.translate("HistoryPanel", "Summary"),
        "stock_counts": QCoreApplication.translate("HistoryPanel", "Products counted"),
        "reminders": QCoreApplication.translate("HistoryPanel", "Follow-ups"),
        "tags_add": QCoreApplication.translate("HistoryPanel", "Tags added"),
        "tags_remove": QCoreApplication.translate("HistoryPanel", "Tags removed"),
        "filename": QCoreApplication.translate("HistoryPanel", "File"),
        "comment": QCoreApplication.translate("HistoryPanel", "Comment"),
    }


class HistoryPanel(QWidget):
    """``load(account_id)`` shows that card's history; ``export()`` writes what is shown."""

    def __init__(self, service: AuditService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.account_id: str | None = None
        self.entries: list[HistoryEntry] = []
        # replaced in tests; returns the chosen file name or ""
        self.pick_target: Callable[[str], str] = self._pick_target
        self._tables = table_labels()
        self._verbs = verb_labels()
        self._fields = {
            "account": account_field_labels(),
            "contact": contact_field_labels(),
        }
        self._extra = extra_field_labels()
        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #566573;")
        self.export_button = QPushButton(self.tr("Export history…"), self)
        self.export_button.setToolTip(
            self.tr("Save this card's history as a CSV file that Excel opens")
        )
        self.export_button.clicked.connect(self.export)
        self.model: RecordTableModel[HistoryEntry] = RecordTableModel(
            [
                (self.tr("Time (China)"), self.time_text),
                (self.tr("Who"), self.who_text),
                (self.tr("Where"), self.where_text),
                (self.tr("What"), self.what_text),
                (self.tr("Changes (old → new)"), self.changes_text),
            ],
            self,
        )
        self.view = make_table(self.model, self)
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    # -- loading -------------------------------------------------------------------------
    def load(self, account_id: str) -> None:
        self.account_id = account_id
        self.entries = self.service.account_history(account_id)
        self.model.set_records(self.entries)
        self.export_button.setEnabled(bool(self.entries))
        self.summary.setText(
            self.tr("%1 change(s), newest first").replace("%1", str(len(self.entries)))
            if self.entries
            else self.tr("No changes recorded yet.")
        )

    def clear(self) -> None:
        self.account_id = None
        self.entries = []
        self.model.set_records([])
        self.export_button.setEnabled(False)
        self.summary.clear()

    # -- rendering -----------------------------------------------------------------------
    @staticmethod
    def time_text(entry: HistoryEntry) -> str:
        return entry.china_time.strftime("%Y-%m-%d %H:%M:%S")

    def who_text(self, entry: HistoryEntry) -> str:
        return entry.who or self.tr("You")

    def where_text(self, entry: HistoryEntry) -> str:
        if entry.source == "local":
            return self.tr("This laptop")
        if entry.client_id:
            return self.tr("Server (device %1)").replace("%1", entry.client_id[-8:])
        return self.tr("Server")

    def what_text(self, entry: HistoryEntry) -> str:
        table, _, verb = entry.action.partition(".")
        # mutation names are short (note.add); the row's table names it when the prefix does not
        subject = self._tables.get(table) or self._tables.get(entry.entity_table, table)
        return f"{subject} {self._verbs.get(verb, verb)}".strip()

    def field_label(self, table: str, name: str) -> str:
        return self._fields.get(table, {}).get(name) or self._extra.get(name) or name

    def changes_text(self, entry: HistoryEntry) -> str:
        parts = []
        for change in entry.changes:
            label = self.field_label(entry.entity_table, change.field)
            if change.has_old:
                parts.append(f"{label}: {format_value(change.old)} → {format_value(change.new)}")
            else:
                parts.append(f"{label}: {format_value(change.new)}")
        return "; ".join(parts)

    # -- export ----------------------------------------------------------------------------
    def export(self) -> Path | None:
        if self.account_id is None:
            return None
        name = self.pick_target(f"history-{self.account_id[-8:]}.csv")
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".csv":
            target = target.with_suffix(".csv")
        header = [
            self.tr("Time (China)"),
            self.tr("Who"),
            self.tr("Where"),
            self.tr("What"),
            self.tr("Changes (old → new)"),
        ]
        rows = [
            [
                self.time_text(e),
                self.who_text(e),
                self.where_text(e),
                self.what_text(e),
                self.changes_text(e),
            ]
            for e in self.entries
        ]
        write_csv(target, header, rows)
        self.summary.setText(self.tr("Exported to %1").replace("%1", str(target)))
        return target

    def _pick_target(self, suggested: str) -> str:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export history"), suggested, self.tr("CSV files (*.csv)")
        )
        return name


__all__ = ["HistoryPanel"]
