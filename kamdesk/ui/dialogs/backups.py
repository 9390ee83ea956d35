"""Backups from the app: list, back up now, choose the folder, restore, show the recovery key.

Also the start-up weekly backup (``install_backups``, called by ``build_main_window``): it runs
``BackupService.ensure_weekly`` in the background and reports in the status bar; a failure
never blocks start-up.

Restoring needs the workspace closed: the backup is verified first (with the workspace open, so
a refused backup changes nothing), then the store is closed, the service puts the backup in
place (keeping the current database aside) and the app closes; the next start opens (and if
needed migrates) the restored database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.db import keys
from kamdesk.db.engine import Store
from kamdesk.errors import KamdeskError
from kamdesk.services.backup import (
    BACKUP_SUFFIX,
    BackupError,
    BackupInfo,
    BackupKind,
    BackupService,
    RestoreResult,
)
from kamdesk.services.visits import CHINA
from kamdesk.settings import Settings, save_settings
from kamdesk.ui.tasks import TaskHandle, TaskRunner

COLUMNS = 4  # kind, date (China time), size, checked


def backup_folder(settings: Settings) -> Path | None:
    """The folder the user chose for backups, or None for the data folder's ``backups/``."""
    return Path(settings.backup_dir).expanduser() if settings.backup_dir else None


def kind_label(kind: BackupKind) -> str:
    return {
        BackupKind.WEEKLY: QCoreApplication.translate("BackupsDialog", "Weekly"),
        BackupKind.PRE_MIGRATION: QCoreApplication.translate("BackupsDialog", "Before update"),
        BackupKind.MANUAL: QCoreApplication.translate("BackupsDialog", "Manual"),
    }[kind]


def size_label(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 104_858 else f"{max(size // 1024, 1)} KB"


def describe_error(exc: BaseException) -> str:
    """A translated headline for the backup error codes, then the details and the code."""
    headlines = {
        "backup.missing": QCoreApplication.translate(
            "BackupsDialog", "The backup file does not exist."
        ),
        "backup.wrong_key": QCoreApplication.translate(
            "BackupsDialog",
            "This backup cannot be opened with this workspace's key: it belongs to another "
            "workspace, needs another passphrase or recovery key, or is not a backup.",
        ),
        "backup.corrupt": QCoreApplication.translate(
            "BackupsDialog", "This backup is damaged and cannot be restored."
        ),
        "backup.schema_newer": QCoreApplication.translate(
            "BackupsDialog",
            "This backup was made by a newer KAMDesk. Update the app before restoring it.",
        ),
        "backup.not_workspace": QCoreApplication.translate(
            "BackupsDialog", "This file is not a KAMDesk workspace backup."
        ),
        "backup.no_database": QCoreApplication.translate(
            "BackupsDialog", "There is no database to back up."
        ),
        "backup.pre_migration_failed": QCoreApplication.translate(
            "BackupsDialog", "The backup before the database update failed."
        ),
    }
    if isinstance(exc, KamdeskError):
        headline = headlines.get(exc.code, "")
        details = f"{headline}\n\n{exc.message}" if headline else exc.message
        return f"{details}\n[{exc.code}]"
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "BackupsDialog", "The backup folder cannot be used: %1"
        ).replace("%1", str(exc))
    return f"{type(exc).__name__}: {exc}"


class BackupsDialog(QDialog):
    """The backups of one open workspace."""

    restored = Signal(object)  # RestoreResult
    workspace_closed = Signal()  # the store was closed for a restore: the app must close

    def __init__(
        self,
        backups: BackupService,
        *,
        tasks: TaskRunner,
        settings: Settings,
        close_workspace: Callable[[], None],
        persist_settings: Callable[[Settings], None] = save_settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self.tasks = tasks
        self.settings = settings
        self._close_workspace = close_workspace
        self._persist = persist_settings
        self.checked: dict[Path, str] = {}  # path -> "" (sound) or the error
        self.listed: list[BackupInfo] = []
        self.setWindowTitle(self.tr("Backups and restore"))
        self.resize(720, 440)

        intro = QLabel(
            self.tr(
                "Backups are encrypted with your workspace's key. A weekly backup is made at "
                "start-up and one before every database update; restoring keeps the current "
                "database aside."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel(self)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_folder_button = QPushButton(self.tr("Choose folder…"), self)
        self.choose_folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_folder_button)

        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Kind"), self.tr("Made (China time)"), self.tr("Size"), self.tr("Checked")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.backup_button = QPushButton(self.tr("Back up now"), self)
        self.backup_button.clicked.connect(self.back_up_now)
        self.check_button = QPushButton(self.tr("Check"), self)
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button = QPushButton(self.tr("Restore…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(self.tr("Restore from file…"), self)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.recovery_button = QPushButton(self.tr("Show recovery key…"), self)
        self.recovery_button.clicked.connect(self.show_recovery_key)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (
            self.backup_button,
            self.check_button,
            self.restore_button,
            self.restore_file_button,
            self.recovery_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    # -- the list --------------------------------------------------------------------------
    def refresh(self) -> None:
        self.folder_label.setText(
            self.tr("Backup folder: %1").replace("%1", str(self.backups.backup_dir))
        )
        selected = self.selected()
        try:
            self.listed = self.backups.list()
        except OSError as exc:  # e.g. a chosen folder on a removed USB stick
            self.listed = []
            self.status.setText(describe_error(exc))
        self.table.setRowCount(len(self.listed))
        for row, info in enumerate(self.listed):
            when = info.created_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
            problem = self.checked.get(info.path)
            checked = (
                self.tr("Not checked")
                if problem is None
                else self.tr("OK")
                if problem == ""
                else self.tr("Damaged")
            )
            cells = (kind_label(info.kind), when, size_label(info.size_bytes), checked)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                if problem:
                    item.setToolTip(problem)
                self.table.setItem(row, column, item)
            if selected is not None and info.path == selected.path:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.listed[row] if 0 <= row < len(self.listed) else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.check_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen)

    # -- backing up ------------------------------------------------------------------------
    def back_up_now(self) -> TaskHandle:
        def work(progress: Callable[[int, int, str], None], cancel: Any) -> BackupInfo:
            progress(0, 0, "")
            return self.backups.create(BackupKind.MANUAL)

        def done(info: BackupInfo) -> None:
            self.status.setText(self.tr("Backup saved: %1").replace("%1", info.path.name))
            self.refresh()

        return self.tasks.run_with_dialog(
            self,
            self.tr("Backing up"),
            work,
            on_success=done,
            on_failure=lambda exc: self._fail(self.tr("The backup failed"), exc),
        )

    def choose_folder(self) -> bool:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for backups"), str(self.backups.backup_dir)
        )
        if not chosen:
            return False
        folder = Path(chosen)
        self.backups.backup_dir = folder
        self.settings.backup_dir = str(folder)
        self._persist(self.settings)
        self.status.setText(
            self.tr("New backups go to %1. Existing backups stay where they are.").replace(
                "%1", str(folder)
            )
        )
        self.refresh()
        return True

    def check_selected(self) -> TaskHandle | None:
        info = self.selected()
        if info is None:
            return None
        return self.tasks.run_with_dialog(
            self,
            self.tr("Checking the backup"),
            lambda progress, cancel: self.backups.verify(info.path),
            on_success=lambda _revision: self._checked(info.path, ""),
            on_failure=lambda exc: self._checked(info.path, describe_error(exc)),
        )

    def _checked(self, path: Path, problem: str) -> None:
        self.checked[path] = problem
        sound = self.tr("%1 is sound: it opens with the key and passes the integrity check.")
        self.status.setText(problem or sound.replace("%1", path.name))
        self.refresh()

    # -- restoring -------------------------------------------------------------------------
    def restore_selected(self) -> TaskHandle | None:
        info = self.selected()
        return None if info is None else self.restore_file(info.path)

    def restore_from_file(self) -> TaskHandle | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Restore from a backup file"),
            str(self.backups.backup_dir),
            self.tr("KAMDesk backups (*%1);;All files (*)").replace("%1", BACKUP_SUFFIX),
        )
        return self.restore_file(Path(name)) if name else None

    def restore_file(self, path: Path) -> TaskHandle | None:
        """Confirm, verify (nothing changes if the backup is refused), then restore."""
        answer = QMessageBox.question(
            self,
            self.tr("Restore this backup?"),
            self.tr(
                "Restore %1?\n\nEverything changed since this backup was made will no longer "
                "be in your workspace: changes not yet synced are lost. The current database "
                "is kept aside next to it (not deleted). KAMDesk closes after restoring; start "
                "it again to use the restored data."
            ).replace("%1", path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None

        def refused(exc: BaseException) -> None:
            self.checked[path] = describe_error(exc)
            self.refresh()
            self._fail(self.tr("This backup cannot be restored; nothing was changed"), exc)

        return self.tasks.run_with_dialog(
            self,
            self.tr("Checking the backup"),
            lambda progress, cancel: self.backups.verify(path),
            on_success=lambda _revision: self._replace(path),
            on_failure=refused,
        )

    def _replace(self, path: Path) -> bool:
        """The backup passed its checks: close the workspace and put the backup in place."""
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            self._close_workspace()
            result: RestoreResult = self.backups.restore(path)
        except (KamdeskError, OSError) as exc:
            self.unsetCursor()
            self._fail(
                self.tr("The restore failed; your current database is unchanged"),
                exc,
                after=self.tr("KAMDesk closes now; start it again."),
            )
            self.workspace_closed.emit()
            return False
        self.unsetCursor()
        self.restored.emit(result)
        kept = (
            self.tr("The previous database was kept as %1.").replace("%1", str(result.replaced))
            if result.replaced is not None
            else ""
        )
        QMessageBox.information(
            self,
            self.tr("Backup restored"),
            self.tr("The workspace was restored from %1.").replace("%1", path.name)
            + (f"\n{kept}" if kept else "")
            + "\n\n"
            + self.tr("KAMDesk closes now; start it again to use the restored data."),
        )
        self.workspace_closed.emit()
        self.accept()
        return True

    # -- the recovery key ------------------------------------------------------------------
    def show_recovery_key(self) -> str | None:
        return show_recovery_key(self, self.backups, self._fail)

    # -- errors ----------------------------------------------------------------------------
    def _fail(self, title: str, exc: BaseException, *, after: str = "") -> None:
        text = describe_error(exc)
        self.status.setText(f"{title}: {text}")
        QMessageBox.warning(self, title, text + (f"\n\n{after}" if after else ""))


def _key_from_passphrase(backups: BackupService) -> bool:
    info = keys.read_keyinfo(backups.db_path)
    return info is not None and info.source == "passphrase"


def show_recovery_key(
    parent: QWidget,
    backups: BackupService,
    fail: Callable[[str, BaseException], None] | None = None,
) -> str | None:
    """Show the workspace's recovery key (asking for the passphrase if the key comes from
    one); returns it, or None if the user stopped or it could not be read."""
    db = backups.db_path
    try:
        if _key_from_passphrase(backups):
            passphrase, ok = QInputDialog.getText(
                parent,
                QCoreApplication.translate("BackupsDialog", "Show recovery key"),
                QCoreApplication.translate(
                    "BackupsDialog", "Enter the passphrase of your KAMDesk database:"
                ),
                QLineEdit.EchoMode.Password,
            )
            if not ok or not passphrase:
                return None
            service = BackupService.for_workspace(db, passphrase=passphrase)
            try:
                text = service.export_recovery_key()
            except BackupError as exc:
                if exc.code != "backup.wrong_key":
                    raise
                QMessageBox.warning(
                    parent,
                    QCoreApplication.translate("BackupsDialog", "Show recovery key"),
                    QCoreApplication.translate("BackupsDialog", "That passphrase is wrong."),
                )
                return None
        else:
            answer = QMessageBox.question(
                parent,
                QCoreApplication.translate("BackupsDialog", "Show recovery key"),
                QCoreApplication.translate(
                    "BackupsDialog",
                    "The recovery key opens your backups on another computer. Anyone who "
                    "has it and a backup can read your data. Show it now?",
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
            text = backups.export_recovery_key()
    except (KamdeskError, OSError) as exc:
        title = QCoreApplication.translate("BackupsDialog", "The recovery key cannot be shown")
        if fail is not None:
            fail(title, exc)
        else:
            QMessageBox.warning(parent, title, describe_error(exc))
        return None
    QMessageBox.information(
        parent,
        QCoreApplication.translate("BackupsDialog", "Recovery key"),
        QCoreApplication.translate(
            "BackupsDialog",
            "Write this key down and keep it as safe as your computer's password. With "
            "it, a backup can be restored on a new computer:",
        )
        + f"\n\n{text}",
    )
    return text


def remind_recovery_key(
    window: QMainWindow,
    settings: Settings,
    save: Callable[[Settings], None] = save_settings,
) -> QMessageBox | None:
    """At start-up, until the user has seen it once: offer to write the recovery key down.
    For a workspace whose key lives in the keyring, a backup cannot be opened without it once
    this laptop (or its keyring) is gone. Not modal: the app is usable meanwhile, and "later"
    asks again at the next start."""
    backups: BackupService | None = getattr(window, "backups", None)
    if backups is None or settings.recovery_key_confirmed:
        return None
    if _key_from_passphrase(backups):
        return None  # the passphrase (and the key info beside each backup) opens them
    box = recovery_key_reminder(window, backups, settings, save)
    window.recovery_reminder = box  # type: ignore[attr-defined]
    return box


def recovery_key_reminder(
    window: QMainWindow,
    backups: BackupService,
    settings: Settings,
    save: Callable[[Settings], None],
) -> QMessageBox:
    """The reminder itself, opened: "show" leads to the key and, once shown, is remembered."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("BackupsDialog", "Write down your recovery key"),
        QCoreApplication.translate(
            "BackupsDialog",
            "Your KAMDesk data is encrypted on this laptop. If the laptop is lost or breaks, "
            "your backups can only be opened with its recovery key. Write the key down now "
            "and keep it somewhere safe, away from the laptop.",
        ),
        QMessageBox.StandardButton.NoButton,
        window,
    )
    show = box.addButton(
        QCoreApplication.translate("BackupsDialog", "Show recovery key…"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    later = box.addButton(
        QCoreApplication.translate("BackupsDialog", "Remind me next time"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(show)
    box.setEscapeButton(later)

    def answered() -> None:
        if box.clickedButton() is show and show_recovery_key(window, backups) is not None:
            settings.recovery_key_confirmed = True
            save(settings)

    box.finished.connect(answered)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# -- wiring into the main window -------------------------------------------------------------
def start_weekly_backup(
    window: QMainWindow, backups: BackupService, tasks: TaskRunner
) -> TaskHandle:
    """Make the weekly backup in the background if it is due; report in the status bar."""

    def done(info: BackupInfo | None) -> None:
        if info is not None:
            window.statusBar().showMessage(
                QCoreApplication.translate("BackupsDialog", "Weekly backup saved: %1").replace(
                    "%1", info.path.name
                ),
                15_000,
            )

    def failed(exc: BaseException) -> None:
        text = exc.message if isinstance(exc, KamdeskError) else str(exc)
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "BackupsDialog",
                "The weekly backup failed: %1 (Tools → Backups and restore to retry)",
            ).replace("%1", text),
            0,
        )

    return tasks.run(
        lambda progress, cancel: backups.ensure_weekly(), on_success=done, on_failure=failed
    )


def open_backups_dialog(
    window: QMainWindow,
    backups: BackupService,
    store: Store,
    *,
    tasks: TaskRunner,
    settings: Settings,
) -> BackupsDialog:
    def close_workspace() -> None:
        tasks.wait()  # background readers finish before their database goes away
        store.close()

    dialog = BackupsDialog(
        backups, tasks=tasks, settings=settings, close_workspace=close_workspace, parent=window
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.workspace_closed.connect(window.close)
    window.backups_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def install_backups(
    window: QMainWindow,
    store: Store,
    *,
    tasks: TaskRunner,
    settings: Settings,
    weekly: bool,
    tools_menu: Callable[[], Any] | None = None,
) -> BackupService | None:
    """The Tools → Backups action, and (``weekly``) the start-up weekly backup."""
    if store.key is None:
        return None
    backups = BackupService(store.path, store.key, backup_dir=backup_folder(settings))
    action = QAction(QCoreApplication.translate("BackupsDialog", "Backups and restore…"), window)
    action.setShortcut(QKeySequence("Ctrl+Shift+B"))
    action.triggered.connect(
        lambda: open_backups_dialog(window, backups, store, tasks=tasks, settings=settings)
    )
    if tools_menu is not None:
        tools_menu().addAction(action)
    else:
        window.addAction(action)
    window.backups = backups  # type: ignore[attr-defined]
    window.backups_action = action  # type: ignore[attr-defined]
    if weekly:
        window.weekly_backup = start_weekly_backup(window, backups, tasks)  # type: ignore[attr-defined]
    return backups
