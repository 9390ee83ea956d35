"""The card's History tab lists edits newest first with old → new values, and exports CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt

from kamdesk.db.engine import Store
from kamdesk.services.audit import CHINA_TZ
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace
from kamdesk.ui.widgets.history_panel import HistoryPanel, table_labels


def _text(panel: HistoryPanel, row: int, column: int) -> str:
    return str(panel.model.data(panel.model.index(row, column)))


def test_history_tab_shows_edits_newest_first_and_exports_csv(
    workspace: AccountsWorkspace, demo_store: Store, tmp_path: Path
) -> None:
    account_id = workspace.list_page.model.account_id(0)
    assert account_id is not None
    assert workspace.open_account(account_id)
    card = workspace.card_page
    panel = card.history
    assert isinstance(panel, HistoryPanel)
    index = card.tabs.indexOf(panel)
    assert index >= 0
    assert card.tabs.tabText(index) == card.tr("History")
    assert card.tabs.isTabEnabled(index)
    start = panel.model.rowCount()
    old_owner = card.card.fields["owner_name"]  # type: ignore[union-attr]

    editor = card.basic.editors["owner_name"]
    editor.input.setText("王建国")  # type: ignore[attr-defined]
    editor.input.textEdited.emit("王建国")  # type: ignore[attr-defined]
    assert card.save()
    card.add_note("老板下周出差")

    assert panel.model.rowCount() == start + 2
    assert panel.entries[0].action == "note.add"  # newest first
    assert panel.entries[1].action == "account.update_fields"
    assert _text(panel, 0, 3) == panel.what_text(panel.entries[0])
    # "note.add" is named by its table (备注), not by the raw mutation prefix
    assert _text(panel, 0, 3).startswith(table_labels()["account_note"])
    assert "老板下周出差" in _text(panel, 0, 4)
    edit = _text(panel, 1, 4)
    assert edit.endswith(f"{old_owner or '—'} → 王建国")
    assert _text(panel, 1, 2) == panel.tr("This laptop")
    shown = _text(panel, 1, 0)
    assert shown == panel.entries[1].at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")

    target = tmp_path / "历史"
    panel.pick_target = lambda suggested: str(target)
    written = panel.export()
    assert written == tmp_path / "历史.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    horizontal = Qt.Orientation.Horizontal
    assert rows[0] == [panel.model.headerData(c, horizontal) for c in range(5)]
    assert len(rows) == start + 3
    assert rows[1][4] == _text(panel, 0, 4)
    assert rows[2][4] == edit


def test_new_card_has_no_history(workspace: AccountsWorkspace) -> None:
    first = workspace.list_page.model.account_id(0)
    assert first is not None
    workspace.open_account(first)
    card = workspace.card_page
    card.start_new(None)
    panel = card.history
    assert panel is not None
    assert panel.model.rowCount() == 0
    assert not card.tabs.isTabEnabled(card.tabs.indexOf(panel))
    assert panel.export() is None
