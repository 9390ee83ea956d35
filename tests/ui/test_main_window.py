"""The main window starts on demo data, lists accounts lazily and searches by pinyin."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kamdesk.db.engine import Store
from kamdesk.services.account_queries import AccountQueries
from kamdesk.settings import Settings
from kamdesk.ui.app import build_main_window
from kamdesk.ui.models.account_table import PAGE, AccountTableModel
from kamdesk.ui.pages.accounts_list import AccountListPage


def test_account_model_is_lazy_and_valid(demo_store: Store, qtmodeltester: ModelTester) -> None:
    model = AccountTableModel(AccountQueries(demo_store))
    assert model.rowCount() == PAGE  # first page only: rows arrive lazily
    assert model.canFetchMore()
    qtmodeltester.check(model)  # fetches the rest as a view would
    assert model.rowCount() == 300
    assert not model.canFetchMore()


def test_main_window_shows_demo_accounts_in_chinese(demo_store: Store, qtbot: QtBot) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings(language="zh_CN"))
    qtbot.addWidget(window)
    window.show()
    workspace = window.show_page("accounts")
    page = workspace.list_page  # type: ignore[attr-defined]
    assert isinstance(page, AccountListPage)
    qtbot.waitUntil(lambda: page.model.total() == 300, timeout=10_000)
    first_name = page.model.data(page.model.index(0, 1))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in first_name)
    assert window.nav.count() == 5


def test_search_by_pinyin_initials_finds_the_shop(demo_store: Store, qtbot: QtBot) -> None:
    page = AccountListPage(AccountQueries(demo_store))
    qtbot.addWidget(page)
    name = page.model.data(page.model.index(3, 1))
    from kamdesk.domain.search_text import pinyin_keys

    _full, initials = pinyin_keys(name)
    page.search.setText(initials)
    qtbot.waitUntil(lambda: page.model.total() < 300, timeout=2000)
    names = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
    assert name in names
