"""The dashboard draws every chart from the demo, and its anomaly model is a sound model."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from PySide6.QtCharts import QHorizontalBarSeries, QLineSeries, QPieSeries
from PySide6.QtCore import Qt
from sqlalchemy import func, select, text

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.services.classification import ClassificationService
from kamdesk.services.portfolio import DEBT_BUCKETS, PortfolioService
from kamdesk.ui.pages.dashboard import DashboardPage
from kamdesk.ui.pages.dashboard_models import ROW_ROLE, AnomalyTableModel
from kamdesk.ui.pages.dashboard_reports import ReportsPage
from kamdesk.ui.tasks import TaskRunner
from tests.conftest import DEMO_TODAY


@pytest.fixture
def page(qtbot: Any, demo_store: Store) -> DashboardPage:
    widget = DashboardPage(
        PortfolioService(demo_store),
        ClassificationService(demo_store),
        TaskRunner(),
        today=lambda: DEMO_TODAY,
    )
    qtbot.addWidget(widget)
    return widget


def test_refresh_draws_every_chart_with_data(page: DashboardPage, demo_store: Store) -> None:
    with_signal: list[bool] = []
    page.refreshed.connect(lambda: with_signal.append(True))
    page.refresh()
    assert with_signal == [True], page.status.text()
    snap = page.snapshot
    assert snap is not None
    assert snap.accounts == 300
    pareto = page.pareto_view.chart().series()
    assert isinstance(pareto[0], QLineSeries)
    points = pareto[0].points()
    assert len(points) > 100
    assert points[0].y() == 0.0
    assert points[-1].y() == pytest.approx(100.0)
    assert all(b.y() >= a.y() for a, b in itertools.pairwise(points))
    assert len(pareto) == 3  # the curve plus the A and B cut-off markers
    a_cut = pareto[1].points()[0].x()
    assert a_cut == pytest.approx(snap.pareto.a_accounts * 100)
    assert snap.pareto.a_value >= 0.8 - 1e-9
    (pie,) = page.tier_view.chart().series()
    assert isinstance(pie, QPieSeries)
    assert sum(s.value() for s in pie.slices()) == 300
    for view, dist in ((page.stage_view, snap.stages), (page.format_view, snap.formats)):
        (bars,) = view.chart().series()
        assert isinstance(bars, QHorizontalBarSeries)
        values = [bars.barSets()[0].at(i) for i in range(bars.barSets()[0].count())]
        assert values[::-1] == [float(n) for _, n in dist.counts]  # largest group on top
        assert sum(values) == 300
    (debt,) = page.debt_view.chart().series()
    assert debt.barSets()[0].count() == len(DEBT_BUCKETS)
    with demo_store.session() as s:
        owed = s.scalar(
            text("SELECT SUM(outstanding_fen) FROM purchase_line WHERE outstanding_fen > 0")
        )
    assert snap.debt.total == pytest.approx(int(owed) / 100)
    assert "300" in page.summary.text()


def test_anomaly_model_passes_the_model_tester(page: DashboardPage, qtmodeltester: Any) -> None:
    page.refresh()
    model = page.anomalies
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    row = model.data(model.index(0, 0), ROW_ROLE)
    assert row.kind.value == "account"
    assert row.special_visit
    assert model.data(model.index(0, AnomalyTableModel.SPECIAL)) != ""
    shown_change = model.data(model.index(0, AnomalyTableModel.CHANGE))
    assert shown_change.endswith("%")
    assert str(round(abs(row.change) * 100)) in shown_change
    tip = model.data(model.index(0, AnomalyTableModel.NAME), Qt.ItemDataRole.ToolTipRole)
    assert "环比" in tip or "同比" in tip
    products = [model.row_at(r) for r in range(model.rowCount())]
    assert any(r.kind.value == "product" and not r.special_visit for r in products)


def test_empty_model_is_sound(qtmodeltester: Any) -> None:
    model = AnomalyTableModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_refresh_reclassifies_only_when_data_changed(
    page: DashboardPage, demo_store: Store
) -> None:
    calls: list[date] = []
    service = page._classification
    original = service.reclassify_all

    def counting(as_of: date, *args: Any, **kwargs: Any) -> Any:
        calls.append(as_of)
        return original(as_of, *args, **kwargs)

    service.reclassify_all = counting  # type: ignore[method-assign]
    page.refresh()
    page.refresh()
    assert calls == [DEMO_TODAY]
    with demo_store.session() as s:
        s.execute(
            text("UPDATE account SET deleted = 1 WHERE code = (SELECT MIN(code) FROM account)")
        )
    page.refresh()
    assert calls == [DEMO_TODAY, DEMO_TODAY]
    assert page.snapshot is not None and page.snapshot.accounts == 299
    with demo_store.session() as s:
        live = s.scalar(select(func.count()).select_from(Account).where(Account.deleted.is_(False)))
    assert page.snapshot.tiers.total == live


def test_failure_is_shown_with_its_code(page: DashboardPage) -> None:
    codes: list[str] = []
    page.failed.connect(codes.append)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        from kamdesk.services.portfolio import PortfolioCancelled

        raise PortfolioCancelled("stopped")

    page._portfolio.snapshot = broken  # type: ignore[method-assign]
    page.refresh()
    assert codes == ["portfolio.cancelled"]
    assert "portfolio.cancelled" in page.status.text()
    assert page.refresh_button.isEnabled()


def test_reports_page_puts_the_dashboard_first(qtbot: Any, demo_store: Store) -> None:
    page = DashboardPage(
        PortfolioService(demo_store), ClassificationService(demo_store), TaskRunner()
    )
    reports = ReportsPage(page)
    qtbot.addWidget(reports)
    assert reports.widget(0) is page
    from PySide6.QtWidgets import QLabel

    index = reports.add_report(QLabel("exports"), "Exports")
    assert index == 1
    assert reports.count() == 2
