"""``kamdesk server`` commands, run in-process through the same parser the main CLI uses."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Credential, SyncClient, User
from kamdesk.server.cli import add_server_parser, main, settings_from_args


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The commands read settings from the environment like a real deployment would.
    monkeypatch.setenv("KAMDESK_SERVER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("KAMDESK_SERVER_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("KAMDESK_SERVER_ARGON2_PARALLELISM", "1")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _user(data_dir: Path, username: str) -> tuple[User, Credential]:
    engine = create_engine(f"sqlite:///{data_dir / 'kamdesk-server.db'}")
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        cred = session.get(Credential, user.id)
        assert cred is not None
        session.expunge_all()
    engine.dispose()
    return user, cred


def test_territory_and_user_commands(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = str(data_dir)
    assert run(capsys, "territory", "add", "SH01", "浦东", "--city", "上海", "--data", d)[0] == 0
    code, out, _ = run(
        capsys,
        "--data",
        d,
        "user",
        "add",
        "wang",
        "--role",
        "manager",
        "--territory",
        "SH01",
        "--display-name",
        "王经理",
    )
    assert code == 0
    assert "temporary password" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("admin password 1\n"))
    code, out, _ = run(
        capsys, "user", "add", "boss", "--role", "admin", "--password-stdin", "--data", d
    )
    assert code == 0
    assert "temporary password" not in out
    user, cred = _user(data_dir, "boss")
    assert user.role == "admin"
    assert cred.must_change is False
    code, out, _ = run(capsys, "user", "list", "--data", d)
    assert "wang\tmanager\tSH01\tactive\t王经理" in out
    assert run(capsys, "user", "disable", "wang", "--data", d)[0] == 0
    assert _user(data_dir, "wang")[0].active is False
    assert run(capsys, "user", "enable", "wang", "--data", d)[0] == 0
    old_hash = _user(data_dir, "wang")[1].password_hash
    code, out, _ = run(capsys, "user", "reset-password", "wang", "--data", d)
    assert code == 0
    assert "temporary password" in out
    assert _user(data_dir, "wang")[1].password_hash != old_hash
    code, out, _ = run(capsys, "territory", "list", "--data", d)
    assert out.startswith("SH01\t浦东\t上海\t")


def test_errors_exit_with_code_and_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = str(data_dir)
    code, _, err = run(
        capsys, "user", "add", "li", "--role", "manager", "--territory", "NOPE", "--data", d
    )
    assert code == 2
    assert "admin.territory_unknown" in err
    code, _, err = run(capsys, "user", "disable", "ghost", "--data", d)
    assert (code, "admin.user_unknown" in err) == (2, True)
    code, _, err = run(capsys, "territory", "assign", "A-1", "T1", "--data", d)
    assert (code, "admin.account_unknown" in err) == (2, True)


def test_revoke_devices_marks_clients(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = str(data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO("a good password\n"))
    run(capsys, "user", "add", "zhou", "--role", "supervisor", "--password-stdin", "--data", d)
    user, _ = _user(data_dir, "zhou")
    engine = create_engine(f"sqlite:///{data_dir / 'kamdesk-server.db'}")
    with Session(engine) as session:
        session.add(SyncClient(client_id="c" * 36, user_id=user.id))
        session.commit()
    code, out, _ = run(capsys, "user", "revoke-devices", "zhou", "--data", d)
    assert code == 0
    assert "revoked 1 device(s)" in out
    with Session(engine) as session:
        client = session.get(SyncClient, "c" * 36)
        assert client is not None
        assert client.revoked is True
    engine.dispose()


def test_parser_hooks_into_a_main_cli_and_reads_options_anywhere(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="kamdesk")
    add_server_parser(parser.add_subparsers(dest="command"))
    bare = parser.parse_args(["server", "--data", str(tmp_path), "--port", "9000"])
    settings = settings_from_args(bare)
    assert (settings.port, settings.data_dir) == (9000, tmp_path)
    assert bare.func.__name__ == "cmd_run"
    nested = parser.parse_args(
        ["server", "run", "--database-url", "postgresql+psycopg://x@h/db", "--host", "0.0.0.0"]
    )
    settings = settings_from_args(nested)
    assert settings.resolved_database_url() == "postgresql+psycopg://x@h/db"
    assert settings.host == "0.0.0.0"
    both = settings_from_args(
        parser.parse_args(["server", "run", "--data", str(tmp_path), "--database-url", "x://"])
    )
    assert (both.resolved_database_url(), both.resolved_data_dir()) == ("x://", tmp_path)
    with pytest.raises(SystemExit):
        parser.parse_args(["server", "user", "add", "x", "--role", "king"])


def test_tls_needs_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    code, _, err = run(capsys, "run", "--data", str(tmp_path), "--tls-cert", str(cert))
    assert code == 2
    assert "server.tls_incomplete" in err
    code, _, err = run(
        capsys,
        "run",
        "--data",
        str(tmp_path),
        "--tls-cert",
        str(cert),
        "--tls-key",
        str(tmp_path / "missing.pem"),
    )
    assert (code, "server.tls_missing" in err) == (2, True)
