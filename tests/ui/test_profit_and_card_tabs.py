"""The account card shows its ordering advice and margin; the dashboard the territory margin."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.services.advice import AdviceService
from kamdesk.services.profitability import ProfitabilityService
from kamdesk.settings import Settings
from kamdesk.ui.app import build_main_window
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.profit_panel import ProfitPanel
from tests.conftest import DEMO_TODAY


def _active_account(store: Store) -> str:
    with store.session() as session:
        return str(session.scalars(select(Account.id).where(Account.status == "active")).first())


def test_profit_panel_for_an_account_and_the_territory(demo_store: Store, qtbot: QtBot) -> None:
    profit = ProfitabilityService(AdviceService(demo_store))
    panel = ProfitPanel(profit, TaskRunner(), today=DEMO_TODAY)
    qtbot.addWidget(panel)
    account_id = _active_account(demo_store)
    panel.load(account_id)
    assert panel.last is not None
    assert panel.last.account_id == account_id
    assert panel.last.monthly_margin_fen > 0
    assert panel.table.rowCount() > 0
    assert "¥" in panel.summary_label.text()
    panel.load(None)
    assert panel.last.account_id is None
    assert panel.table.rowCount() == min(15, len(panel.last.accounts))
    shares = sum(a.monthly_margin_fen for a in panel.last.accounts)
    assert shares == panel.last.monthly_margin_fen


def test_card_has_advice_and_margin_tabs(demo_store: Store, qtbot: QtBot) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings(language="zh_CN"))
    qtbot.addWidget(window)
    workspace = window.show_page("accounts")
    assert workspace.open_account(_active_account(demo_store))  # type: ignore[attr-defined]
    card = workspace.card_page  # type: ignore[attr-defined]
    titles = [card.tabs.tabText(i) for i in range(card.tabs.count())]
    assert len(card.extra_tabs) == 2
    assert titles[-2:] == [t for t, _w in card.extra_tabs]
    margin = card.extra_tabs[1][1]
    assert isinstance(margin, ProfitPanel)
    assert margin.last is not None
    reports = window.show_page("reports")
    labels = [reports.tabText(i) for i in range(reports.count())]  # type: ignore[attr-defined]
    assert len(labels) >= 3
