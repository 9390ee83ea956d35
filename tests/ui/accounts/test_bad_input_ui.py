"""Oversized input in the accounts workspace fails at once with a clear message (issue #8.4)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote, OutboxEntry
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace


def _counts(store: Store) -> tuple[int, int, int]:
    with store.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Account, AccountNote, OutboxEntry)
        )


def test_choosing_a_200mb_file_shows_the_limit_without_reading_it(
    workspace: AccountsWorkspace, demo_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "全部客户.xlsx"
    with path.open("wb") as handle:  # sparse: 200 MB that nobody has to read
        handle.truncate(200 * 1024 * 1024)
    before = _counts(demo_store)
    dialog = workspace.import_accounts()
    started = time.perf_counter()
    assert not dialog.open_file(path)
    assert time.perf_counter() - started < 1.0  # refused from its size: the UI never stalls
    assert "50 MB" in dialog.summary.text() and "200 MB" in dialog.summary.text()
    assert dialog.table is None and not dialog.import_button.isEnabled()
    assert dialog.mapping.columnCount() == 0
    assert _counts(demo_store) == before
    dialog.close()


def test_a_1mb_note_is_refused_at_the_note_box(
    workspace: AccountsWorkspace, demo_store: Store
) -> None:
    first = workspace.list_page.model.account_id(0)
    assert first is not None
    workspace.open_account(first)
    card = workspace.card_page
    before = _counts(demo_store)
    card.add_note("备" * (1024 * 1024 // 3))  # 1 MB of UTF-8
    assert "20000" in card.notes.message.text()
    assert _counts(demo_store) == before
