"""The accounts workspace: list, search, filters, card editing, guard, import and export."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry, PurchaseLine
from kamdesk.domain.search_text import pinyin_keys
from kamdesk.services.account_queries import AccountFilter, AccountQueries
from kamdesk.settings import Settings
from kamdesk.ui.app import build_main_window
from kamdesk.ui.models.account_table import PAGE, AccountTableModel
from kamdesk.ui.models.card_records import RecordTableModel
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace
from kamdesk.ui.widgets.card_language_dialog import LanguageDialog

Answer = QMessageBox.StandardButton


def _count(store: Store, table: type) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _buyer_id(store: Store) -> str:
    with store.session() as session:
        return str(session.scalar(select(PurchaseLine.account_id).limit(1)))


def _names(workspace: AccountsWorkspace) -> list[str]:
    model = workspace.list_page.model
    return [model.data(model.index(r, 1)) for r in range(model.rowCount())]


def test_models_pass_the_model_tester(demo_store: Store, qtmodeltester: ModelTester) -> None:
    model = AccountTableModel(AccountQueries(demo_store))
    assert model.rowCount() == PAGE and model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    assert model.rowCount() == 300
    records: RecordTableModel[tuple[str, int]] = RecordTableModel(
        [("Month", lambda m: m[0]), ("Amount ¥", lambda m: str(m[1]))]
    )
    records.set_records([("2026-10", 100), ("2026-11", 250)])
    qtmodeltester.check(records)  # type: ignore[no-untyped-call]
    assert records.data(records.index(1, 1)) == "250"


def test_search_by_pinyin_initials(workspace: AccountsWorkspace) -> None:
    page = workspace.list_page
    name = page.model.data(page.model.index(5, 1))
    _full, initials = pinyin_keys(name)
    page.search.setText(initials)
    page.apply_search()
    assert name in _names(workspace)
    assert 0 < page.model.total() < 300
    assert str(page.model.total()) in page.count_label.text()


def test_newer_search_replaces_older(workspace: AccountsWorkspace) -> None:
    model = workspace.list_page.model
    model.set_filter(AccountFilter(text="zzzz-no-such-shop"))
    model.set_filter(AccountFilter(text=""))
    assert model.total() == 300  # the last request wins


def test_filters_and_saved_filters(workspace: AccountsWorkspace) -> None:
    page = workspace.list_page
    page.format_box.setCurrentIndex(page.format_box.findData("supermarket"))
    supermarkets = page.model.total()
    assert 0 < supermarkets < 300
    rows = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert set(rows) == {rows[0]}
    page.save_filter("超市")
    assert page.settings.saved_filters["超市"]["formats"] == ["supermarket"]
    page.clear_filters()
    assert page.model.total() == 300
    assert page.load_saved("超市")
    assert page.model.total() == supermarkets
    page.debt_check.setChecked(True)
    assert page.model.total() <= supermarkets


def test_sorting_by_name(workspace: AccountsWorkspace) -> None:
    model = workspace.list_page.model
    model.sort(1, Qt.SortOrder.DescendingOrder)
    names = _names(workspace)[:50]
    assert names == sorted(names, reverse=True)


def test_open_card_shows_sections(workspace: AccountsWorkspace) -> None:
    account_id = _buyer_id(workspace.list_page.queries._store)
    assert workspace.open_account(account_id)
    card = workspace.card_page
    assert workspace.currentWidget() is card
    assert card.tabs.count() == 11  # ten sections and the History tab
    assert card.tabs.tabText(10) == card.tr("History")
    assert card.basic.editors["name"].value() == card.card.fields["name"]  # type: ignore[union-attr]
    assert card.purchases.recent.rowCount() > 0
    assert "¥" in card.purchases.summary.text()


def test_edit_and_save_writes_outbox(workspace: AccountsWorkspace, demo_store: Store) -> None:
    account_id = _buyer_id(demo_store)
    workspace.open_account(account_id)
    card = workspace.card_page
    before = _count(demo_store, OutboxEntry)
    editor = card.basic.editors["owner_name"]
    editor.input.setText("王建国")  # type: ignore[attr-defined]
    editor.input.textEdited.emit("王建国")  # type: ignore[attr-defined]
    assert card.is_dirty()
    card.business.editors["credit_limit_fen"].input.setText("5000.50")  # type: ignore[attr-defined]
    assert card.save()
    assert _count(demo_store, OutboxEntry) == before + 1
    with demo_store.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert (account.owner_name, account.credit_limit_fen) == ("王建国", 500050)
    assert not card.is_dirty()


def test_invalid_value_is_shown_at_the_field(
    workspace: AccountsWorkspace, demo_store: Store
) -> None:
    workspace.open_account(_buyer_id(demo_store))
    card = workspace.card_page
    card.tabs.setCurrentIndex(3)
    before = _count(demo_store, OutboxEntry)
    card.basic.editors["phone"].input.setText("打电话")  # type: ignore[attr-defined]
    assert not card.save()
    phone = card.basic.editors["phone"]
    assert phone.has_error() and "电话号码格式不正确" in phone.error.text()
    assert card.tabs.currentIndex() == 0
    assert _count(demo_store, OutboxEntry) == before
    card.business.editors["vehicles"].input.setText("-3")  # type: ignore[attr-defined]
    card.basic.editors["phone"].set_value("13900001111")
    assert not card.save()
    assert card.business.editors["vehicles"].has_error() and card.tabs.currentIndex() == 1


def test_unsaved_change_guard(workspace: AccountsWorkspace, demo_store: Store) -> None:
    first = workspace.list_page.model.account_id(0)
    assert first is not None
    workspace.open_account(first)
    card = workspace.card_page
    card.basic.editors["street"].input.setText("长江路")  # type: ignore[attr-defined]
    answers = iter([Answer.Cancel, Answer.Save])
    card.ask_unsaved = lambda: next(answers)
    assert not workspace.step(1)  # cancelled: still on the same, still dirty card
    assert card.account_id == first and card.is_dirty()
    before = _count(demo_store, OutboxEntry)
    assert workspace.step(1)  # saved, then moved on
    assert card.account_id == workspace.list_page.model.account_id(1)
    assert _count(demo_store, OutboxEntry) == before + 1
    card.basic.editors["street"].input.setText("不要的修改")  # type: ignore[attr-defined]
    card.ask_unsaved = lambda: Answer.Discard
    assert workspace.show_list()
    assert _count(demo_store, OutboxEntry) == before + 1


def test_keyboard_shortcuts(workspace: AccountsWorkspace, qtbot: QtBot, demo_store: Store) -> None:
    first = workspace.list_page.model.account_id(0)
    assert first is not None
    workspace.open_account(first)
    card = workspace.card_page
    card.activateWindow()
    card.tabs.setFocus()
    qtbot.keyClick(card.tabs, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # type: ignore[no-untyped-call]
    assert card.account_id == workspace.list_page.model.account_id(1)
    qtbot.keyClick(card.tabs, Qt.Key.Key_PageUp)  # type: ignore[no-untyped-call]
    assert card.account_id == first
    card.basic.editors["street"].input.setText("周边三个小区")  # type: ignore[attr-defined]
    before = _count(demo_store, OutboxEntry)
    qtbot.keyClick(card.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
    assert _count(demo_store, OutboxEntry) == before + 1
    qtbot.keyClick(card.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
    assert not card.tabs.isTabEnabled(2)
    assert card.title.text() == "New account"


def test_new_account_is_created(workspace: AccountsWorkspace, demo_store: Store) -> None:
    assert workspace.new_account()
    card = workspace.card_page
    editors = card.basic.editors
    editors["code"].input.setText("NEW-0001")  # type: ignore[attr-defined]
    editors["name"].input.setText("宏兴烟酒新店")  # type: ignore[attr-defined]
    assert not card.save()  # the format is required
    assert editors["business_format"].has_error()
    box = editors["business_format"].input
    box.setCurrentIndex(box.findData("tobacco_liquor"))  # type: ignore[attr-defined]
    before = _count(demo_store, Account)
    assert card.save()
    assert _count(demo_store, Account) == before + 1 and card.account_id is not None
    workspace.list_page.search.setText("hxyjxd")
    workspace.list_page.apply_search()
    assert "宏兴烟酒新店" in _names(workspace)


def test_note_and_attachment(workspace: AccountsWorkspace, tmp_path: Path) -> None:
    first = workspace.list_page.model.account_id(0)
    assert first is not None
    workspace.open_account(first)
    card = workspace.card_page
    card.add_note("第一条")
    card.add_note("第二条")
    assert card.notes.model.data(card.notes.model.index(0, 1)) == "第二条"  # newest first
    photo = tmp_path / "门头.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    card.pick_file = lambda: str(photo)
    card.add_attachment()
    assert card.attachment_section.model.rowCount() == 1
    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    card.pick_file = lambda: str(big)
    card.add_attachment()
    assert "10 MB" in card.attachment_section.message.text()
    assert card.attachment_section.model.rowCount() == 1


GOOD = (
    "店名,许可证号,地址,电话,业态\r\n"
    "福来便利,340100900011,合肥市包河区马鞍山路8号,13912345678,便利店\r\n"
)


def test_import_dialog_good_gbk_file(
    workspace: AccountsWorkspace, demo_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(GOOD.encode("gbk"))
    dialog = workspace.import_accounts()
    assert dialog.open_file(path)
    assert dialog.current_mapping()[0] == "name"
    preview = dialog.check()
    assert preview is not None and preview.ok and dialog.import_button.isEnabled()
    before = _count(demo_store, Account)
    result = dialog.commit()
    assert result is not None and result.created == 1
    assert _count(demo_store, Account) == before + 1
    assert workspace.list_page.model.total() == 301
    dialog.close()


def test_import_dialog_bad_file_changes_nothing(
    workspace: AccountsWorkspace, demo_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes((GOOD + "坏店,12,某路,0551,星际商店\r\n").encode("utf-8-sig"))
    dialog = workspace.import_accounts()
    assert dialog.open_file(path)
    before = (_count(demo_store, Account), _count(demo_store, OutboxEntry))
    preview = dialog.check()
    assert preview is not None and not preview.ok
    assert dialog.report.rowCount() == len(preview.issues) >= 2
    first_issue = dialog.report.item(0, 0)
    assert first_issue is not None and first_issue.text() == "3"
    assert not dialog.import_button.isEnabled() and dialog.commit() is None
    assert (_count(demo_store, Account), _count(demo_store, OutboxEntry)) == before
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert not dialog.open_file(empty)
    assert "Excel" in dialog.summary.text()
    dialog.close()


def test_export_filtered_list(workspace: AccountsWorkspace, tmp_path: Path) -> None:
    page = workspace.list_page
    page.format_box.setCurrentIndex(page.format_box.findData("grocery"))
    target = tmp_path / "grocery.xlsx"
    workspace.export_accounts(target)
    workbook = load_workbook(target, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()  # read-only workbooks keep the file open
    assert len(rows) - 1 == page.model.total()
    assert {r[5] for r in rows[1:]} == {"食杂店"}


def test_language_setting(qtbot: QtBot) -> None:
    saved: list[str] = []
    settings = Settings()
    dialog = LanguageDialog(settings, save=lambda s: saved.append(s.language))
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    assert settings.language == "en" and saved == ["en"]


def test_main_window_hosts_the_workspace(demo_store: Store, qtbot: QtBot) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings(language="zh_CN"))
    qtbot.addWidget(window)
    page = window.show_page("accounts")
    assert isinstance(page, AccountsWorkspace)
    assert page.list_page.model.total() == 300


def test_closing_the_window_asks_about_unsaved_edits(demo_store: Store, qtbot: QtBot) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings(language="zh_CN"))
    qtbot.addWidget(window)
    window.show()
    workspace = window.show_page("accounts")
    assert isinstance(workspace, AccountsWorkspace)
    first = workspace.list_page.model.account_id(0)
    assert first is not None and workspace.open_account(first)
    card = workspace.card_page
    card.basic.editors["street"].input.setText("未保存的街道")  # type: ignore[attr-defined]
    asked: list[str] = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append("cancel")
        return Answer.Cancel

    card.ask_unsaved = cancel
    assert not window.close()  # cancelled: the window stays open with the edit
    assert window.isVisible() and card.is_dirty() and asked == ["cancel"]
    card.ask_unsaved = lambda: Answer.Discard
    assert window.close()
