"""The Sync page, its issues model, the status widget and the controller (pytest-qt)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry
from kamdesk.services.sync_session import SyncSession, TokenVault, list_issues
from kamdesk.settings import Settings
from kamdesk.sync import resolve, state
from kamdesk.sync.upgrade import SYNC_SCHEMA_VERSION
from kamdesk.ui.dialogs.sign_in import SignInDialog
from kamdesk.ui.models.sync_issue import SyncIssueModel
from kamdesk.ui.pages.sync_page import SyncPage
from kamdesk.ui.sync_controller import SyncController
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.sync_status import SyncStatusWidget
from tests.db.sync_session.fixtures import SERVER_URL, Workspaces, field_conflict
from tests.server.conftest import PASSWORD
from tests.sync import local_ops


def _page(session: SyncSession, qtbot: QtBot) -> SyncPage:
    controller = SyncController(session, TaskRunner())
    page = SyncPage(controller, TaskRunner())
    controller.setParent(page)
    qtbot.addWidget(page)
    return page


def _select(page: SyncPage, row: int) -> None:
    page.table.selectionModel().select(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _offline_session(workspaces: Workspaces, block: threading.Event | None = None) -> SyncSession:
    """A signed-in workspace whose server is down (or hangs until ``block`` is set)."""
    store = workspaces.session().store

    def handler(request: httpx.Request) -> httpx.Response:
        if block is not None:
            block.wait(10)
        raise httpx.ConnectError("Connection refused")

    settings = Settings(server_url="https://sync.example.cn", username="mgr1")
    TokenVault(settings.server_url, settings.username).save("access", "refresh")
    return SyncSession(
        store,
        settings,
        http_factory=lambda url: httpx.Client(base_url=url, transport=httpx.MockTransport(handler)),
        engine_options={"sleep": lambda _s: None, "retries": 0},
    )


def test_issue_model_is_valid_and_shows_base_theirs_yours(
    workspaces: Workspaces, qtmodeltester: ModelTester
) -> None:
    _a, b, _account = field_conflict(workspaces)
    model = SyncIssueModel()
    model.set_issues(list_issues(b.store))
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    assert model.rowCount() == 1
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[0] == "HF-002 蜀山便利店" and row[2] == "Remarks"
    assert row[4:6] == ["A", "B"]  # theirs, yours


def test_keep_mine_resolves_through_the_client(workspaces: Workspaces, qtbot: QtBot) -> None:
    _a, b, _account = field_conflict(workspaces)
    page = _page(b, qtbot)
    assert page.model.rowCount() == 1 and page.empty.isHidden()
    assert not page.keep_button.isEnabled()  # nothing selected yet
    _select(page, 0)
    assert page.keep_button.isEnabled() and page.edit_button.isEnabled()
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert page.model.rowCount() == 0 and not page.empty.isHidden()
    assert list_issues(b.store) == []
    resolved = list_issues(b.store, include_resolved=True)
    assert [i.conflict.resolution for i in resolved] == ["keep_mine"]
    assert b.engine().pending_count() == 0  # the later arrival (mine) already won


def test_take_theirs_queues_a_mutation_that_reaches_the_other_device(
    workspaces: Workspaces, qtbot: QtBot
) -> None:
    a, b, account = field_conflict(workspaces)
    page = _page(b, qtbot)
    _select(page, 0)
    assert page.resolve_selected("take_theirs")
    assert b.engine().pending_count() == 1
    with qtbot.waitSignal(page.controller.finished, timeout=5000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert b.engine().pending_count() == 0
    a.engine().sync_once()
    with a.store.session() as s:
        assert s.get(Account, account).remarks == "A"  # type: ignore[union-attr]


def test_edit_sends_the_typed_value(
    workspaces: Workspaces, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a, b, _account = field_conflict(workspaces)
    page = _page(b, qtbot)
    _select(page, 0)
    monkeypatch.setattr(
        "kamdesk.ui.pages.sync_page.QInputDialog.getText", lambda *a, **k: ("A和B", True)
    )
    assert page.edit_selected()
    with b.store.session() as s:
        entry = s.scalars(select(OutboxEntry).where(OutboxEntry.state == "pending")).one()
        assert entry.args == {"fields": {"remarks": "A和B"}}


def test_status_widget_shows_pending_and_offline(workspaces: Workspaces, qtbot: QtBot) -> None:
    session = _offline_session(workspaces)
    controller = SyncController(session, TaskRunner())
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    controller.refresh_status()
    assert "Not synced" not in widget.text() and "0 pending" in widget.text()
    with qtbot.waitSignal(controller.finished, timeout=5000) as done:
        assert controller.sync_now()
    assert done.args[0].error == "sync.offline"
    assert "Server unreachable" in widget.text()
    assert widget.property("error") is True
    assert controller.retry_timer.isActive()  # backoff retry, the network may come back


def test_pending_count_is_shown(workspaces: Workspaces, qtbot: QtBot) -> None:
    _a, b, account = field_conflict(workspaces)
    local_ops.update_account(b.store, account, {"address": "长江西路1号"})
    controller = SyncController(b, TaskRunner())
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    controller.refresh_status()
    assert "1 pending change" in widget.text()
    assert "1 sync issue" in widget.text()


def test_sync_runs_in_a_worker_one_at_a_time(
    workspaces: Workspaces, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TaskRunner, "inline", False)
    block = threading.Event()
    session = _offline_session(workspaces, block)
    controller = SyncController(session, TaskRunner())
    started = time.monotonic()
    assert controller.sync_now()
    assert time.monotonic() - started < 5.0  # the server hangs 10 s: the UI did not wait
    assert controller.running
    assert not controller.sync_now()  # one sync at a time
    with qtbot.waitSignal(controller.finished, timeout=10000):
        block.set()
    assert not controller.running


def test_upgrade_required_banner(workspaces: Workspaces, qtbot: QtBot) -> None:
    session = workspaces.session("mgr1")
    page = _page(session, qtbot)
    page.controller.refresh_status()
    assert page.banner.isHidden()
    with session.store.session() as s:
        state.put(s, state.PAUSE, {"upgrade_required": True, "schema_version": SYNC_SCHEMA_VERSION})
    page.controller.refresh_status()
    assert not page.banner.isHidden()
    assert "local changes are kept" in page.banner.text()


def test_sign_in_dialog_errors_and_success(workspaces: Workspaces, qtbot: QtBot) -> None:
    session = workspaces.session()
    session.settings.server_url = SERVER_URL
    dialog = SignInDialog(session, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.username.setText("mgr1")
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.result() == 0
    dialog.password.setText("")
    dialog.submit()
    assert not dialog.field_errors["password"].isHidden()
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.result() == 1 and dialog.user is not None
    assert session.signed_in() and dialog.password.text() == ""


def test_sign_in_dialog_names_an_unreachable_server(
    workspaces: Workspaces, qtbot: QtBot, tmp_path: Path
) -> None:
    session = _offline_session(workspaces)
    dialog = SignInDialog(session, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.password.setText("x")
    dialog.submit()
    assert "cannot be reached" in dialog.error.text()


def test_sign_out_from_the_page(workspaces: Workspaces, qtbot: QtBot) -> None:
    session = workspaces.session("mgr1")
    page = _page(session, qtbot)
    assert not page.sign_out_button.isHidden() and page.sync_button.isEnabled()
    qtbot.mouseClick(page.sign_out_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert not session.signed_in()
    assert not page.sign_in_button.isHidden() and not page.sync_button.isEnabled()


def test_supervisor_reassigns_and_the_manager_sees_a_moved_issue(
    workspaces: Workspaces, qtbot: QtBot
) -> None:
    manager = workspaces.session("mgr1")
    manager.engine().sync_once()
    account = local_ops.create_account(
        manager.store,
        workspaces.team.territories["T1"],
        {"code": "HF-010", "name": "包河烟酒行", "business_format": "tobacco_liquor"},
    )
    manager.engine().sync_once()
    local_ops.update_account(manager.store, account, {"remarks": "下周补货"})  # still pending
    manager_page = _page(manager, qtbot)
    assert manager_page.supervisor.isHidden()  # managers never see the panel
    supervisor_page = _page(workspaces.session("sup"), qtbot)
    panel = supervisor_page.supervisor
    assert not panel.isHidden()
    assert [panel.territory.itemData(i) for i in range(panel.territory.count())] == ["T1", "T2"]
    panel.code.setText("NOPE")
    panel.territory.setCurrentIndex(1)
    panel.reassign()
    assert "No account" in panel.result.text()
    panel.code.setText("HF-010")
    panel.reassign()
    assert "HF-010" in panel.result.text() and "T2" in panel.result.text()
    with qtbot.waitSignal(manager_page.controller.finished, timeout=5000):
        manager_page.controller.sync_now()
    kinds = [i.conflict.kind for i in manager_page.model._issues]
    assert kinds == ["moved"]
    assert manager_page.model.data(manager_page.model.index(0, 6)) == "Moved to 西城"
    assert manager_page.model.data(manager_page.model.index(0, 5)) == "Remarks: 下周补货"


def test_network_returning_triggers_a_sync(workspaces: Workspaces, qtbot: QtBot) -> None:
    from PySide6.QtNetwork import QNetworkInformation

    controller = SyncController(workspaces.session("mgr1"), TaskRunner())
    with qtbot.waitSignal(controller.finished, timeout=5000) as done:
        controller._reachability_changed(QNetworkInformation.Reachability.Online)
    assert done.args[0].error is None
    with qtbot.assertNotEmitted(controller.started):
        controller._reachability_changed(QNetworkInformation.Reachability.Disconnected)


def test_a_failed_resolution_is_shown_on_the_page(workspaces: Workspaces, qtbot: QtBot) -> None:
    _a, b, _account = field_conflict(workspaces)
    page = _page(b, qtbot)
    _select(page, 0)
    issue = page.model.issue(0).conflict
    resolve(b.store, issue.id, "keep_mine")  # resolved elsewhere meanwhile (another window)
    assert not page.resolve_selected("take_theirs")
    assert not page.issue_error.isHidden() and "sync.resolve.done" in page.issue_error.text()


def test_main_window_has_the_sync_page_and_status(demo_store: Store, qtbot: QtBot) -> None:
    from kamdesk.ui.app import build_main_window

    window = build_main_window(demo_store, demo=True, settings=Settings())
    qtbot.addWidget(window)
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    status = window.findChild(SyncStatusWidget)
    assert status is not None and "Not signed in" in status.text()
    assert page.controller.timer.isActive() and page.controller.timer.interval() == 10 * 60_000
    assert not page.controller.running  # signed out: nothing tries the network
    page.controller.stop()
