"""A workspace on the demo data with settings kept in memory."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kamdesk.db.engine import Store
from kamdesk.settings import Settings
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace, build_accounts_page
from kamdesk.ui.tasks import TaskRunner
from tests.conftest import DEMO_TODAY


@pytest.fixture
def workspace(demo_store: Store, qtbot: QtBot) -> AccountsWorkspace:
    page = build_accounts_page(
        demo_store,
        tasks=TaskRunner(),
        settings=Settings(language="zh_CN"),
        today=lambda: DEMO_TODAY,
    )
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page
