"""With real worker threads the import dialog reads, checks and imports off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.services.account_import import AccountImporter
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace
from kamdesk.ui.tasks import TaskRunner

ROWS = "".join(
    f"新店{i:04d},3401009{i:05d},合肥市蜀山区长江西路{i}号,139{i:08d},便利店\r\n"
    for i in range(1, 401)
)


def _accounts(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def test_import_runs_in_a_worker_and_reports_back(
    workspace: AccountsWorkspace,
    demo_store: Store,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(TaskRunner, "inline", False)
    threads: set[str] = set()
    for name in ("preview", "commit"):
        original = getattr(AccountImporter, name)

        def spy(
            self: AccountImporter, *args: object, _f: object = original, **kw: object
        ) -> object:
            threads.add(threading.current_thread().name)
            return _f(self, *args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(AccountImporter, name, spy)
    path = tmp_path / "新开门店.csv"
    path.write_text("店名,许可证号,地址,电话,业态\r\n" + ROWS, encoding="utf-8-sig")
    dialog = workspace.import_accounts()
    before = _accounts(demo_store)

    dialog.open_file(path)
    qtbot.waitUntil(lambda: dialog.table is not None and dialog.isEnabled(), timeout=30000)
    assert len(dialog.table.rows) == 400  # type: ignore[union-attr]
    dialog.check()
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.isEnabled(), timeout=30000)
    assert dialog.preview is not None and dialog.preview.new_count == 400
    dialog.commit()
    qtbot.waitUntil(lambda: dialog.result is not None and dialog.isEnabled(), timeout=60000)
    assert dialog.result is not None and dialog.result.created == 400
    assert _accounts(demo_store) == before + 400
    assert threading.main_thread().name not in threads and threads  # never on the UI thread
    assert workspace.tasks is not None and workspace.tasks.wait(10000)
    dialog.close()
