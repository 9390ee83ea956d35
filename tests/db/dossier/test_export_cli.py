"""`kamdesk export` end to end on a copy of the demo workspace: files written, clear errors
with exit code 2, and Ctrl+C on a batch keeping complete files only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamdesk.cli import DEMO_PASSPHRASE, PASSPHRASE_ENV, main
from tests.conftest import DEMO_TODAY
from tests.unit.export.pdfcheck import parse, squash


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, DEMO_PASSPHRASE)


def _export(demo_path: Path, *args: str) -> int:
    return main(["export", *args, "--path", str(demo_path), "--as-of", DEMO_TODAY.isoformat()])


def test_export_one_dossier(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "dossier"  # no extension typed: .pdf is added
    args = ("dossier", "--account", "hf000002", "-o", str(target), "--lang", "en")
    assert _export(demo_path, *args) == 0  # codes are matched case-blind
    written = tmp_path / "dossier.pdf"
    assert capsys.readouterr().out.strip() == str(written)
    text = parse(written.read_bytes()).text
    assert squash("Account dossier") in text and "HF000002" in text


def test_export_dossiers_by_codes(demo_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    assert _export(demo_path, "dossiers", "--codes", "HF000003,HF000001", "-o", str(folder)) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2
    assert names[0].startswith("HF000001_") and names[1].startswith("HF000003_")
    assert all(n.endswith("_客户档案.pdf") for n in names)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("dossier", "--account", "NOPE", "-o", "{tmp}/x.pdf"), "dossier.unknown_account"),
        (("dossiers", "--codes", "HF000001,NOPE", "-o", "{tmp}"), "dossier.unknown_account"),
        (("dossier", "--account", "HF000001", "-o", "{tmp}/missing/x.pdf"), "export.unwritable"),
        (("dossiers", "--all", "-o", "{tmp}/missing"), "export.unwritable"),
        (("route", "--week", "2026-W48", "-o", "{tmp}/r.pdf"), "dossier.no_plan"),
        (("route", "--week", "2026-W60", "-o", "{tmp}/r.pdf"), "dossier.bad_week"),
    ],
)
def test_clear_errors_exit_2(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    code: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    filled = [a.replace("{tmp}", str(out)) for a in args]
    assert _export(demo_path, *filled) == 2
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "Traceback" not in err
    assert list(out.iterdir()) == []  # nothing half-made


def test_missing_workspace_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["export", "dossier", "--account", "A", "-o", str(tmp_path / "x.pdf")]
    assert main([*args, "--path", str(tmp_path / "none.db")]) == 2
    assert "[store.missing]" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_keeps_complete_files_only(demo_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    env = {**os.environ, PASSPHRASE_ENV: DEMO_PASSPHRASE}
    command = [sys.executable, "-m", "kamdesk.cli", "export", "dossiers", "--all"]
    process = subprocess.Popen(
        [*command, "-o", str(folder), "--path", str(demo_path), "--as-of", "2026-11-23"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a child of a non-interactive shell may inherit an ignored SIGINT: restore it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while len(list(folder.glob("*.pdf"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    files = sorted(folder.iterdir())
    assert 2 <= len(files) < 300
    assert all(p.suffix == ".pdf" and not p.name.startswith(".") for p in files)
    for path in files:
        assert len(parse(path.read_bytes()).pages) >= 1
    assert f"{len(files)} complete dossiers" in err
