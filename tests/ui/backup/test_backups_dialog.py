"""Backups from the app: back up now, restore (good and damaged), choose the folder, the
recovery key, and the start-up weekly backup. Message boxes and file dialogs are answered by
the test; tasks run inline."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from kamdesk.cli import DEMO_PASSPHRASE
from kamdesk.db.engine import Store
from kamdesk.services.backup import BackupKind, BackupService, RestoreResult
from kamdesk.services.workspace import create_workspace, open_workspace
from kamdesk.settings import Settings, load_settings
from kamdesk.ui.app import build_main_window
from kamdesk.ui.dialogs.backups import (
    BackupsDialog,
    install_backups,
    remind_recovery_key,
    start_weekly_backup,
)
from kamdesk.ui.tasks import TaskRunner

MARK = "KAMDESK-BACKUP-TEST"


class Answers:
    """What the patched dialogs answer, and what they were asked or told."""

    def __init__(self) -> None:
        self.question = QMessageBox.StandardButton.Yes
        self.open_file = ""
        self.folder = ""
        self.passphrase = ""
        self.questions: list[str] = []
        self.warnings: list[str] = []
        self.infos: list[str] = []


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    seen = Answers()

    def question(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        seen.questions.append(text)
        return seen.question

    def warning(_parent: Any, title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        seen.warnings.append(f"{title}\n{text}")
        return QMessageBox.StandardButton.Ok

    def information(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        seen.infos.append(text)
        return QMessageBox.StandardButton.Ok

    def get_text(*_a: Any, **_k: Any) -> tuple[str, bool]:
        return seen.passphrase, bool(seen.passphrase)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(information))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (seen.open_file, ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: seen.folder)
    )
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return seen


class Harness:
    def __init__(self, store: Store, folder: Path, qtbot: QtBot) -> None:
        assert store.key is not None
        self.store = store
        self.closed = 0
        self.settings = Settings()
        self.backups = BackupService(store.path, store.key, backup_dir=folder)
        self.dialog = BackupsDialog(
            self.backups,
            tasks=TaskRunner(),
            settings=self.settings,
            close_workspace=self.close,
        )
        qtbot.addWidget(self.dialog)

    def close(self) -> None:
        self.closed += 1
        self.store.close()

    def select(self, path: Path) -> None:
        row = next(i for i, b in enumerate(self.dialog.listed) if b.path == path)
        self.dialog.table.selectRow(row)


@pytest.fixture
def harness(demo_store: Store, tmp_path: Path, qtbot: QtBot) -> Harness:
    return Harness(demo_store, tmp_path / "backups", qtbot)


def _first_account(store: Store) -> tuple[str, str]:
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id, name FROM account ORDER BY id LIMIT 1").one()
    return str(row[0]), str(row[1])


def _rename(store: Store, account_id: str, name: str) -> None:
    # raw SQL on purpose: this is "a change made after the backup", not a user edit under test
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE account SET name = ? WHERE id = ?", (name, account_id))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_back_up_now_adds_a_manual_backup_to_the_list(harness: Harness) -> None:
    dialog = harness.dialog
    assert dialog.table.rowCount() == 0
    dialog.backup_button.click()
    assert dialog.table.rowCount() == 1
    dialog.back_up_now()
    assert dialog.table.rowCount() == 2
    assert [b.kind for b in harness.backups.list()] == [BackupKind.MANUAL] * 2
    assert dialog.table.item(0, 0).text() == "Manual"
    assert dialog.listed[0].path.name in dialog.status.text()
    # the date column is China time (UTC+8), from the name's UTC stamp
    made = dialog.listed[0].created_at.astimezone(UTC) + timedelta(hours=8)
    assert dialog.table.item(0, 1).text() == made.strftime("%Y-%m-%d %H:%M")


def test_restore_a_good_backup_undoes_later_changes(
    harness: Harness, answers: Answers, demo_path: Path
) -> None:
    account_id, name = _first_account(harness.store)
    info = harness.backups.create()
    _rename(harness.store, account_id, MARK)
    restored: list[RestoreResult] = []
    harness.dialog.restored.connect(restored.append)
    closed: list[bool] = []
    harness.dialog.workspace_closed.connect(lambda: closed.append(True))
    harness.dialog.refresh()
    harness.select(info.path)
    harness.dialog.check_button.click()
    assert harness.dialog.table.item(0, 3).text() == "OK"

    harness.dialog.restore_button.click()

    assert len(answers.questions) == 1 and "kept aside" in answers.questions[0]
    assert answers.warnings == []
    assert harness.closed == 1 and closed == [True]
    assert len(restored) == 1 and restored[0].replaced is not None
    assert "start it again" in answers.infos[-1]
    reopened = open_workspace(demo_path, passphrase=DEMO_PASSPHRASE)
    try:
        assert _first_account(reopened) == (account_id, name)
    finally:
        reopened.close()
    # the database it replaced is kept aside, with the change, and still opens
    aside = BackupService(restored[0].replaced, harness.store.key)
    assert aside.verify(restored[0].replaced) is not None
    kept = open_workspace(restored[0].replaced, passphrase=DEMO_PASSPHRASE, upgrade=False)
    try:
        assert _first_account(kept)[1] == MARK
    finally:
        kept.close()


def test_cancelling_the_confirmation_restores_nothing(
    harness: Harness, answers: Answers, demo_path: Path
) -> None:
    info = harness.backups.create()
    answers.question = QMessageBox.StandardButton.Cancel
    before = _digest(demo_path)
    assert harness.dialog.restore_file(info.path) is None
    assert harness.closed == 0
    assert _digest(demo_path) == before


def test_a_damaged_backup_is_refused_and_the_database_untouched(
    harness: Harness, answers: Answers, demo_path: Path, tmp_path: Path
) -> None:
    account_id, _name = _first_account(harness.store)
    info = harness.backups.create()
    _rename(harness.store, account_id, MARK)
    damaged = tmp_path / "damaged.kdbackup"
    data = bytearray(info.path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = bytes(8192)  # zero two pages in the middle of the file
    damaged.write_bytes(bytes(data))
    harness.store.engine.dispose()  # checkpoint-free: compare the file as it stands
    before = _digest(demo_path)
    answers.open_file = str(damaged)

    harness.dialog.restore_file_button.click()

    assert harness.closed == 0
    assert len(answers.warnings) == 1
    warning = answers.warnings[0]
    assert "nothing was changed" in warning
    assert "damaged" in warning and "[backup.corrupt]" in warning
    assert _digest(demo_path) == before
    assert not list(demo_path.parent.glob("*.replaced-*"))
    assert not list(demo_path.parent.glob("*.restoring-*"))
    assert _first_account(harness.store)[1] == MARK


def test_a_file_that_is_not_a_backup_is_refused_with_the_key_message(
    harness: Harness, answers: Answers, tmp_path: Path
) -> None:
    stranger = tmp_path / "notes.kdbackup"
    stranger.write_bytes(b"just some notes, not a database" * 200)
    harness.dialog.restore_file(stranger)
    assert harness.closed == 0
    assert "[backup.wrong_key]" in answers.warnings[0]


def test_choose_folder_moves_new_backups_and_persists_the_setting(
    harness: Harness, answers: Answers, tmp_path: Path
) -> None:
    folder = tmp_path / "usb stick"
    folder.mkdir()
    answers.folder = str(folder)
    harness.dialog.choose_folder_button.click()
    assert harness.backups.backup_dir == folder
    assert load_settings().backup_dir == str(folder)
    assert str(folder) in harness.dialog.folder_label.text()
    harness.dialog.back_up_now()
    assert len(list(folder.glob("*-manual.kdbackup"))) == 1
    assert harness.dialog.table.rowCount() == 1


def test_recovery_key_needs_the_right_passphrase(harness: Harness, answers: Answers) -> None:
    answers.passphrase = "not the passphrase"
    assert harness.dialog.show_recovery_key() is None
    assert "wrong" in answers.warnings[-1]
    answers.passphrase = DEMO_PASSPHRASE
    key = harness.dialog.show_recovery_key()
    assert key is not None and len(key.replace("-", "")) == 64
    assert harness.store.key is not None and key.replace("-", "") == harness.store.key.hex()
    assert key in answers.infos[-1]


# -- the start-up weekly backup ---------------------------------------------------------------
def test_weekly_backup_at_start_up_only_when_due(
    demo_store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    assert demo_store.key is not None
    folder = tmp_path / "weekly"
    window = QMainWindow()
    qtbot.addWidget(window)
    backups = BackupService(demo_store.path, demo_store.key, backup_dir=folder)
    start_weekly_backup(window, backups, TaskRunner())
    weekly = [b for b in backups.list() if b.kind is BackupKind.WEEKLY]
    assert len(weekly) == 1
    assert weekly[0].path.name in window.statusBar().currentMessage()
    start_weekly_backup(window, backups, TaskRunner())  # a fresh one exists: nothing new
    assert len(backups.list()) == 1
    # a week later it is due again
    later = BackupService(
        demo_store.path,
        demo_store.key,
        backup_dir=folder,
        clock=lambda: datetime.now(UTC) + timedelta(days=7, minutes=1),
    )
    start_weekly_backup(window, later, TaskRunner())
    assert len([b for b in later.list() if b.kind is BackupKind.WEEKLY]) == 2


def test_weekly_backup_failure_shows_in_the_status_bar(
    demo_store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    assert demo_store.key is not None
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    window = QMainWindow()
    qtbot.addWidget(window)
    backups = BackupService(demo_store.path, demo_store.key, backup_dir=blocker / "backups")
    start_weekly_backup(window, backups, TaskRunner())
    assert "weekly backup failed" in window.statusBar().currentMessage()


def test_main_window_makes_the_weekly_backup_and_offers_the_dialog(
    demo_store: Store, tmp_path: Path, qtbot: QtBot, answers: Answers
) -> None:
    folder = tmp_path / "chosen"
    window = build_main_window(demo_store, demo=False, settings=Settings(backup_dir=str(folder)))
    qtbot.addWidget(window)
    weekly = list(folder.glob("*-weekly.kdbackup"))
    assert len(weekly) == 1
    action = window.backups_action  # type: ignore[attr-defined]
    assert action in window.tools_menu().actions()
    action.trigger()
    dialog = window.backups_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, BackupsDialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "Weekly"
    dialog.close()


def test_demo_window_makes_no_weekly_backup(demo_store: Store, qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    backups = install_backups(
        window, demo_store, tasks=TaskRunner(), settings=Settings(), weekly=False
    )
    assert backups is not None
    assert backups.list() == []
    assert not hasattr(window, "weekly_backup")


def test_password_echo_is_used_for_the_passphrase(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, answers: Answers
) -> None:
    modes: list[QLineEdit.EchoMode] = []

    def get_text(_p: Any, _t: str, _l: str, mode: QLineEdit.EchoMode, *_a: Any) -> tuple[str, bool]:
        modes.append(mode)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    assert harness.dialog.show_recovery_key() is None
    assert modes == [QLineEdit.EchoMode.Password]


@pytest.fixture
def keyring_store(tmp_path: Path) -> Iterator[Store]:
    store = create_workspace(tmp_path / "laptop.kamdesk")  # key in the (test) keyring
    yield store
    store.close()


def _window_with_backups(store: Store, folder: Path, qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    install_backups(
        window, store, tasks=TaskRunner(), settings=Settings(backup_dir=str(folder)), weekly=False
    )
    return window


def _click(box: QMessageBox, label: str) -> None:
    next(b for b in box.buttons() if b.text() == label).click()


class Reminder:
    """The start-up reminder on a keyring workspace's window, with the settings it records."""

    def __init__(self, store: Store, folder: Path, qtbot: QtBot) -> None:
        self.window = _window_with_backups(store, folder, qtbot)
        self.settings = Settings()
        self.saved: list[Settings] = []

    def open(self) -> QMessageBox | None:
        return remind_recovery_key(self.window, self.settings, save=self.saved.append)


@pytest.fixture
def reminder(keyring_store: Store, tmp_path: Path, qtbot: QtBot) -> Reminder:
    return Reminder(keyring_store, tmp_path / "b", qtbot)


def test_start_up_reminder_shows_the_key_once_and_then_stays_quiet(
    reminder: Reminder, answers: Answers
) -> None:
    box = reminder.open()
    assert box is not None and box.isVisible()
    assert "recovery key" in box.text()
    _click(box, "Remind me next time")  # nothing recorded: asked again at the next start
    assert reminder.saved == [] and not reminder.settings.recovery_key_confirmed
    box = reminder.open()
    assert box is not None
    _click(box, "Show recovery key…")
    assert len(answers.questions) == 1  # "anyone with it can read your data: show it?"
    key = answers.infos[0].rsplit("\n", 1)[-1]
    assert key == reminder.window.backups.export_recovery_key()  # type: ignore[attr-defined]
    assert reminder.settings.recovery_key_confirmed and reminder.saved == [reminder.settings]
    assert reminder.open() is None  # not again


def test_start_up_reminder_is_not_confirmed_when_the_key_was_not_shown(
    reminder: Reminder, answers: Answers
) -> None:
    box = reminder.open()
    assert box is not None
    answers.question = QMessageBox.StandardButton.Cancel  # changed their mind
    _click(box, "Show recovery key…")
    assert answers.infos == [] and not reminder.settings.recovery_key_confirmed
    assert reminder.saved == []


def test_no_reminder_for_a_passphrase_workspace(
    demo_store: Store, tmp_path: Path, qtbot: QtBot
) -> None:
    window = _window_with_backups(demo_store, tmp_path / "b", qtbot)
    assert remind_recovery_key(window, Settings(), save=lambda _s: None) is None


def test_recovery_key_confirmation_survives_a_restart(tmp_path: Path) -> None:
    from kamdesk.settings import save_settings

    path = tmp_path / "settings.json"
    save_settings(Settings(recovery_key_confirmed=True), path)
    assert load_settings(path).recovery_key_confirmed
    path.write_text('{"schema_version": 2, "language": "zh_CN"}', encoding="utf-8")
    assert load_settings(path).recovery_key_confirmed is False  # older files: not yet shown
