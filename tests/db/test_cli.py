"""The `kamdesk` command: version, demo creation and schema upgrade."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kamdesk import __version__
from kamdesk.cli import main


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("kamdesk")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"kamdesk {__version__}"


def test_demo_create_then_upgrade_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert (
        main(["demo", "create", "--path", str(path), "--accounts", "20", "--today", "2026-11-23"])
        == 0
    )
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["accounts"] == 20
    assert summary["purchase_lines"] > 0
    assert not path.read_bytes().startswith(b"SQLite format 3")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["db", "upgrade", "--path", str(path)]) == 0
    assert "already at" in capsys.readouterr().out
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_demo_create_refuses_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.db"
    path.write_bytes(b"precious")
    assert main(["demo", "create", "--path", str(path), "--accounts", "5"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == b"precious"


def test_upgrade_of_a_missing_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--path", str(tmp_path / "none.db")]) == 2
    assert "store.no_keyinfo" in capsys.readouterr().err
