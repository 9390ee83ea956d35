"""The Advice screen and the account card's advice panel (pytest-qt, tasks inline)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import AdviceDecision
from kamdesk.domain.ordering import AdviceKind
from kamdesk.services.advice import AdviceService, DecisionState
from kamdesk.ui.models.advice_models import AdviceFilterModel, AdviceTableModel, OrderLinesModel
from kamdesk.ui.pages.advice import AdvicePage
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.advice_panel import AdvicePanel
from tests.conftest import DEMO_TODAY


def _page(qtbot: Any, service: AdviceService) -> AdvicePage:
    page = AdvicePage(service, TaskRunner(), today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()  # the first show computes (inline in tests)
    assert page.snapshot is not None
    return page


def _decisions(store: Store) -> list[tuple[str, str]]:
    with store.session() as session:
        rows = session.execute(select(AdviceDecision.kind, AdviceDecision.decision)).all()
    return [(k, d) for k, d in rows]


def test_models_pass_the_model_tester(qtmodeltester: Any, read_service: AdviceService) -> None:
    snap = read_service.advise(DEMO_TODAY)
    model = AdviceTableModel()
    model.set_rows(snap.rows[::25])  # every kind, a few hundred rows
    qtmodeltester.check(model)
    proxy = AdviceFilterModel()
    proxy.setSourceModel(model)
    proxy.set_filters(kind=AdviceKind.REORDER_NOW)
    qtmodeltester.check(proxy)
    assert 0 < proxy.rowCount() < model.rowCount()
    lines = OrderLinesModel()
    view = read_service.account_advice(snap.rows[0].account_id, DEMO_TODAY)
    lines.set_lines(view.orders)
    qtmodeltester.check(lines)
    assert lines.rowCount() == len(view.orders) > 0


def test_page_lists_and_filters(qtbot: Any, read_service: AdviceService) -> None:
    page = _page(qtbot, read_service)
    snap = page.snapshot
    assert snap is not None
    assert page.model.rowCount() == len(snap.rows)
    assert page.proxy.rowCount() == len(snap.open_rows())
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(AdviceKind.OVERSTOCK))
    kinds = {
        page.model.row_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).kind
        for r in range(page.proxy.rowCount())
    }
    assert kinds == {AdviceKind.OVERSTOCK}
    page.severity_combo.setCurrentIndex(page.severity_combo.findData(0))  # critical
    assert page.proxy.rowCount() == 0  # overstock is never critical
    page.severity_combo.setCurrentIndex(0)
    name = snap.rows[0].account_name
    page.kind_combo.setCurrentIndex(0)
    page.account_edit.setText(name)
    assert page.proxy.rowCount() > 0
    assert all(
        name in page.proxy.index(r, AdviceTableModel.ACCOUNT).data()
        for r in range(page.proxy.rowCount())
    )
    assert isinstance(page.proxy, QSortFilterProxyModel)
    # the detail pane shows the working of the selected item
    page.select_row(0)
    current = page.current_row()
    assert current is not None and current.account_name == page.proxy.index(0, 2).data()


def test_enter_accepts_and_delete_dismisses(
    qtbot: Any, advice_service: AdviceService, demo_store: Store
) -> None:
    page = _page(qtbot, advice_service)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(AdviceKind.REORDER_NOW))
    before = page.proxy.rowCount()
    page.select_row(0)
    first = page.current_row()
    assert first is not None
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.proxy.rowCount() == before - 1  # accepted: gone from the open list
    second = page.current_row()
    assert second is not None and second.key != first.key
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    third = page.current_row()
    assert third is not None and third.key != second.key
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.proxy.rowCount() == before - 2
    assert sorted(_decisions(demo_store)) == [
        ("reorder_now", "accepted"),
        ("reorder_now", "dismissed"),
    ]
    page.state_combo.setCurrentIndex(page.state_combo.findData(DecisionState.DISMISSED))
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, AdviceTableModel.PRODUCT).data() == third.product_name
    # a recompute keeps the decisions
    page.refresh()
    assert page.proxy.rowCount() == 1


def test_buttons_decide_too(qtbot: Any, advice_service: AdviceService, demo_store: Store) -> None:
    page = _page(qtbot, advice_service)
    page.select_row(0)
    assert page.accept_button.isEnabled()
    page.dismiss_button.click()
    assert _decisions(demo_store) and _decisions(demo_store)[0][1] == "dismissed"


def test_advice_panel_shows_an_accounts_advice(qtbot: Any, read_service: AdviceService) -> None:
    run = read_service.run(DEMO_TODAY)
    acc = max(run.territory.accounts, key=lambda a: len(a.advice))
    panel = AdvicePanel(read_service, TaskRunner(), today=DEMO_TODAY)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.load(acc.account_id)
    view = panel.view
    assert view is not None and view.advised
    assert panel.advice_model.rowCount() == len(acc.advice)
    assert all(r.account_id == acc.account_id for r in panel.advice_model.rows())
    assert panel.orders_model.rowCount() == len(view.orders)
    assert all(ln.working.rounded_qty >= ln.qty > 0 or ln.working.caps for ln in view.orders)
    assert run.accounts[acc.account_id].name in panel.summary.text()
    if view.orders:
        assert panel.working.toPlainText()  # the first line's working is shown


def test_english_interface_shows_english_reasons(read_service: AdviceService) -> None:
    snap = read_service.advise(DEMO_TODAY)
    row = snap.rows[0]
    english = AdviceTableModel(chinese=False)
    english.set_rows([row])
    chinese = AdviceTableModel()
    chinese.set_rows([row])
    assert english.index(0, AdviceTableModel.REASON).data() == row.reason_en
    assert chinese.index(0, AdviceTableModel.REASON).data() == row.reason_zh
    assert row.reason_zh != row.reason_en


def test_detail_pane_shows_the_working(qtbot: Any, read_service: AdviceService) -> None:
    page = _page(qtbot, read_service)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(AdviceKind.REORDER_NOW))
    for r in range(page.proxy.rowCount()):
        row = page.model.row_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row())
        if row.order is not None and row.order.qty > 0:
            page.select_row(r)
            break
    else:
        raise AssertionError("no reorder item with a suggested order")
    text = page.detail.toPlainText()
    w = row.order.working
    assert row.reason_zh in text
    for number in (w.target_stock, w.safety_stock, w.on_hand_est, w.forecast_weekly[0]):
        assert f"{number:.1f}" in text
    assert str(w.pack_size) in text and str(row.order.qty) in text
