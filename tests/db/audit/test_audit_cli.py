"""``kamdesk audit export``: the history as CSV from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kamdesk.cli import main
from kamdesk.services.accounts import AccountService
from kamdesk.services.workspace import create_workspace
from tests.helpers.factories import seed_territory


def test_audit_export_writes_one_accounts_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.db"
    store = create_workspace(db)
    territory = seed_territory(store)
    accounts = AccountService(store)
    first = accounts.create(
        territory, {"code": "HF1", "name": "宏兴烟酒", "business_format": "tobacco_liquor"}
    )
    accounts.update_fields(first, {"owner_name": "王老板"})
    accounts.create(
        territory, {"code": "HF2", "name": "福来便利", "business_format": "convenience"}
    )
    store.close()
    out = tmp_path / "audit.csv"

    code = main(["audit", "export", "--account", "HF1", "--out", str(out), "--path", str(db)])

    assert code == 0
    assert "2 changes written" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Mutation"] for r in rows] == ["account.update_fields", "account.create"]
    assert rows[0]["Changes"] == "owner_name: — → 王老板"
    assert {r["Account"] for r in rows} == {"HF1 宏兴烟酒"}
    assert main(["audit", "export", "--out", str(out), "--path", str(db)]) == 0
    assert "3 changes written" in capsys.readouterr().out
    assert (
        main(["audit", "export", "--since", "2999-01-01", "--out", str(out), "--path", str(db)])
        == 0
    )
    assert "0 changes written" in capsys.readouterr().out


def test_audit_export_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.db"
    create_workspace(db).close()
    out = str(tmp_path / "a.csv")
    assert main(["audit", "export", "--account", "NOPE", "--out", out, "--path", str(db)]) == 2
    assert "audit.unknown_account" in capsys.readouterr().err
    assert main(["audit", "export", "--since", "23/11", "--out", out, "--path", str(db)]) == 2
    assert "cli.date" in capsys.readouterr().err
