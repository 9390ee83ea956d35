"""``kamdesk backup create|list|restore``: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdesk.cli import main
from tests.db.backup.conftest import PASSPHRASE


def test_create_list_restore(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KAMDESK_PASSPHRASE", PASSPHRASE)
    out_dir = tmp_path / "usb"
    assert main(["backup", "create", "--path", str(workspace), "--to", str(out_dir)]) == 0
    made = json.loads(capsys.readouterr().out)
    assert Path(made["path"]).parent == out_dir and made["kind"] == "manual"

    assert main(["backup", "list", "--path", str(workspace), "--to", str(out_dir)]) == 0
    assert made["path"] in capsys.readouterr().out

    assert main(["backup", "restore", made["path"], "--path", str(workspace)]) == 0
    restored = json.loads(capsys.readouterr().out)
    assert restored["database"] == str(workspace) and restored["previous_moved_to"]


def test_restore_of_garbage_exits_2(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KAMDESK_PASSPHRASE", PASSPHRASE)
    garbage = tmp_path / "garbage.kdbackup"
    garbage.write_bytes(b"\x00" * 8192)
    before = workspace.read_bytes()
    assert main(["backup", "restore", str(garbage), "--path", str(workspace)]) == 2
    err = capsys.readouterr().err
    assert "[backup." in err
    assert workspace.read_bytes() == before
    assert main(["backup", "restore", str(tmp_path / "nope"), "--path", str(workspace)]) == 2
    assert "[backup.missing]" in capsys.readouterr().err


def test_backup_commands_use_the_folder_chosen_in_the_app(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kamdesk.settings import Settings, save_settings

    monkeypatch.setenv("KAMDESK_PASSPHRASE", PASSPHRASE)
    chosen = tmp_path / "chosen in the app"
    save_settings(Settings(backup_dir=str(chosen)))
    assert main(["backup", "create", "--path", str(workspace)]) == 0
    made = json.loads(capsys.readouterr().out)
    assert Path(made["path"]).parent == chosen
    assert main(["backup", "list", "--path", str(workspace)]) == 0
    assert made["path"] in capsys.readouterr().out


def test_db_upgrade_backs_up_before_migrating(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamdesk.db import keys, migrate
    from kamdesk.db.engine import open_store
    from kamdesk.services.backup import BackupKind, BackupService
    from kamdesk.settings import Settings, save_settings

    monkeypatch.setenv("KAMDESK_PASSPHRASE", PASSPHRASE)
    key = keys.load_key(workspace, PASSPHRASE)
    store = open_store(workspace, key)
    try:
        migrate.downgrade(store.engine, sorted(migrate.known_revisions())[0])
    finally:
        store.close()
    chosen = tmp_path / "chosen"
    save_settings(Settings(backup_dir=str(chosen)))
    assert main(["db", "upgrade", "--path", str(workspace)]) == 0
    made = BackupService(workspace, key, backup_dir=chosen).list()
    assert [b.kind for b in made] == [BackupKind.PRE_MIGRATION]
