"""Import accounts from .xlsx/.csv: pick a file, check the column mapping, read the validation
report, then commit everything or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.fields import ACCOUNT_FIELDS
from kamdesk.errors import KamdeskError
from kamdesk.services.account_import import (
    AccountImporter,
    ImportPreview,
    ImportResult,
    RawTable,
    auto_map,
    read_table,
)
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.card_fields import localise
from kamdesk.ui.widgets.card_labels import account_field_labels

PREVIEW_ROWS = 8


class ImportAccountsDialog(QDialog):
    def __init__(
        self,
        importer: AccountImporter,
        *,
        chinese: bool = True,
        parent: QWidget | None = None,
        on_done: Callable[[ImportResult], None] | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import accounts"))
        self.resize(980, 640)
        self.importer = importer
        self.chinese = chinese
        self.on_done = on_done
        # reading, checking and importing a large file runs off the UI thread (with progress)
        self.tasks = tasks
        self.table: RawTable | None = None
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self.boxes: list[QComboBox] = []

        self.file_label = QLabel(self.tr("Choose an .xlsx or .csv file (UTF-8 or GBK)."), self)
        self.choose_button = QPushButton(self.tr("Choose file…"), self)
        self.choose_button.clicked.connect(self._choose)
        self.mapping = QTableWidget(self)
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.check_button = QPushButton(self.tr("Check file"), self)
        self.check_button.clicked.connect(self.check)
        self.merge_check = QCheckBox(
            self.tr("Merge duplicates into the existing cards (instead of skipping them)"), self
        )
        self.merge_check.setChecked(True)
        self.report = QTableWidget(self)
        self.report.setColumnCount(3)
        self.report.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Column"), self.tr("Problem")]
        )
        self.report.verticalHeader().setVisible(False)
        self.report.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.commit)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.merge_check, 1)
        bottom.addWidget(self.check_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            QLabel(self.tr("1. Columns: check which card field each column fills"), self)
        )
        layout.addWidget(self.mapping, 3)
        layout.addWidget(QLabel(self.tr("2. Validation report"), self))
        layout.addWidget(self.report, 2)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

    # -- step 1 ----------------------------------------------------------------------------
    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import accounts"), "", self.tr("Account lists (*.xlsx *.csv)")
        )
        if name:
            self.open_file(Path(name))

    def _run(
        self,
        title: str,
        work: Callable[[], Any],
        done: Callable[[Any], Any],
        failed: Callable[[KamdeskError], Any],
    ) -> Any:
        """``work()`` in the background when a task runner is given; ``done`` or ``failed`` get
        its outcome on the UI thread. Returns their value when the work ran synchronously
        (no runner, or tests running tasks inline), else None while it is still running."""
        if self.tasks is None:
            try:
                value = work()
            except KamdeskError as exc:
                return failed(exc)
            return done(value)
        outcome: list[Any] = []
        self.setEnabled(False)

        def succeeded(value: Any) -> None:
            self.setEnabled(True)
            outcome.append(done(value))

        def refused(exc: BaseException) -> None:
            self.setEnabled(True)
            if not isinstance(exc, KamdeskError):
                raise exc
            outcome.append(failed(exc))

        self.tasks.run_with_dialog(
            self,
            title,
            lambda progress, cancel: work(),
            on_success=succeeded,
            on_failure=refused,
        )
        return outcome[0] if outcome else None

    def open_file(self, path: Path) -> bool:
        self.preview = None
        self.import_button.setEnabled(False)
        self.report.setRowCount(0)
        return bool(
            self._run(
                self.tr("Reading %1").replace("%1", path.name),
                lambda: read_table(path),
                lambda table: self._opened(path, table),
                self._open_failed,
            )
        )

    def _open_failed(self, exc: KamdeskError) -> bool:
        self.table = None
        self.mapping.clear()
        self.mapping.setRowCount(0)
        self.mapping.setColumnCount(0)
        self._say(localise(exc.message, self.chinese), error=True)
        return False

    def _opened(self, path: Path, table: RawTable) -> bool:
        self.table = table
        self.file_label.setText(
            self.tr("%1: %2 rows").replace("%1", path.name).replace("%2", str(len(table.rows)))
        )
        self._show_mapping(table, auto_map(table.headers))
        self._say(self.tr("Check the column mapping, then press Check file."))
        return True

    def _show_mapping(self, table: RawTable, mapping: dict[int, str]) -> None:
        captions = account_field_labels()
        shown = table.rows[:PREVIEW_ROWS]
        self.mapping.clear()
        self.mapping.setColumnCount(len(table.headers))
        self.mapping.setRowCount(1 + len(shown))
        self.mapping.setHorizontalHeaderLabels(list(table.headers))
        self.boxes = []
        for column in range(len(table.headers)):
            box = QComboBox(self.mapping)
            box.addItem(self.tr("(ignore)"), "")
            for name in ACCOUNT_FIELDS:
                if name != "opening_hours":
                    box.addItem(captions[name], name)
            box.setCurrentIndex(max(box.findData(mapping.get(column, "")), 0))
            box.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.mapping.setCellWidget(0, column, box)
            self.boxes.append(box)
            for row, values in enumerate(shown, start=1):
                item = QTableWidgetItem(values[column] if column < len(values) else "")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.mapping.setItem(row, column, item)
        self.mapping.resizeColumnsToContents()

    def _mapping_changed(self) -> None:
        self.preview = None
        self.import_button.setEnabled(False)

    def current_mapping(self) -> dict[int, str]:
        return {i: str(b.currentData()) for i, b in enumerate(self.boxes) if b.currentData()}

    # -- step 2 ----------------------------------------------------------------------------
    def check(self) -> ImportPreview | None:
        if self.table is None:
            return None
        mapping = self.current_mapping()
        chosen = list(mapping.values())
        if len(chosen) != len(set(chosen)):
            self._say(self.tr("Two columns are mapped to the same field."), error=True)
            return None
        table = self.table
        return self._run(  # type: ignore[no-any-return]
            self.tr("Checking the file"),
            lambda: self.importer.preview(table, mapping),
            self._checked,
            self._refused,
        )

    def _refused(self, exc: KamdeskError) -> None:
        self._say(localise(exc.message, self.chinese), error=True)

    def _checked(self, preview: ImportPreview) -> ImportPreview:
        self.preview = preview
        self.report.setRowCount(len(preview.issues))
        for row, issue in enumerate(preview.issues):
            for column, text in enumerate(
                (str(issue.row), issue.column, localise(issue.reason, self.chinese))
            ):
                self.report.setItem(row, column, QTableWidgetItem(text))
        self.report.resizeColumnToContents(0)
        self.report.resizeColumnToContents(1)
        if preview.issues:
            self._say(
                self.tr(
                    "%n problem(s) found; fix the file and choose it again. Nothing was imported.",
                    "",
                    len(preview.issues),
                ),
                error=True,
            )
        else:
            self._say(
                self.tr(
                    "Ready: %1 new account(s), %2 already known (same licence or name+address)."
                )
                .replace("%1", str(preview.new_count))
                .replace("%2", str(preview.duplicate_count))
            )
        self.import_button.setEnabled(preview.ok)
        return preview

    # -- step 3 ----------------------------------------------------------------------------
    def commit(self) -> ImportResult | None:
        if self.preview is None or not self.preview.ok:
            return None
        preview, merge = self.preview, self.merge_check.isChecked()
        self.import_button.setEnabled(False)  # never twice, even while the import runs
        return self._run(  # type: ignore[no-any-return]
            self.tr("Importing accounts"),
            lambda: self.importer.commit(preview, merge=merge),
            self._imported,
            self._import_failed,
        )

    def _import_failed(self, exc: KamdeskError) -> None:
        self._say(localise(exc.message, self.chinese), error=True)
        self.import_button.setEnabled(self.preview is not None and self.preview.ok)

    def _imported(self, result: ImportResult) -> ImportResult:
        self.result = result
        self.import_button.setEnabled(False)
        self.preview = None
        self._say(
            self.tr("Imported: %1 created, %2 merged, %3 unchanged.")
            .replace("%1", str(result.created))
            .replace("%2", str(result.merged))
            .replace("%3", str(result.skipped))
        )
        if self.on_done is not None:
            self.on_done(result)
        return result

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #c0392b;" if error else "color: #1e8449;")
