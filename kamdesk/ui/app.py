"""Composition root: builds the services once and hands them to the windows (no globals)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kamdesk import __version__
from kamdesk.db import keys
from kamdesk.db.engine import Store
from kamdesk.errors import KamdeskError, NoKeyError, WrongKeyError
from kamdesk.services.advice import AdviceService
from kamdesk.services.profitability import ProfitabilityService
from kamdesk.services.reminder_feed import advice_reorders
from kamdesk.services.workspace import create_workspace, open_workspace
from kamdesk.settings import Settings, load_settings
from kamdesk.ui.dialogs.backups import backup_folder, install_backups, remind_recovery_key
from kamdesk.ui.dialogs.passphrase import PassphraseDialog
from kamdesk.ui.dialogs.visit_services import VisitServices
from kamdesk.ui.main_window import MainWindow, Page
from kamdesk.ui.pages.account_card_workspace import build_accounts_page
from kamdesk.ui.pages.advice import build_advice_page
from kamdesk.ui.pages.dashboard_reports import ReportsPage, build_reports_page
from kamdesk.ui.pages.reports_exports import add_exports_tab
from kamdesk.ui.pages.sync_page import build_sync_page, start_sync
from kamdesk.ui.pages.week import build_week_page
from kamdesk.ui.resources import install_translator, load_fonts, pick_language
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.advice_panel import AdvicePanel
from kamdesk.ui.widgets.profit_panel import ProfitPanel
from kamdesk.ui.widgets.today_panel import install_today_dock


def prepare_application(settings: Settings) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("KAMDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("KAMDesk")
    load_fonts(app)
    install_translator(app, pick_language(settings.language))
    return app


def open_store_interactively(
    path: Path, passphrase: str | None, *, backup_dir: Path | None = None
) -> Store | None:
    """Open (or on first run create) the workspace, asking for a passphrase only if needed.

    A migration on open is preceded by a pre-migration backup in ``backup_dir``."""
    if not path.exists():
        if passphrase is None and not keys.keyring_available():
            dialog = PassphraseDialog(creating=True)
            if not dialog.exec():
                return None
            passphrase = dialog.value()
        return create_workspace(path, passphrase=passphrase)
    error = ""
    while True:
        try:
            return open_workspace(path, passphrase=passphrase, backup_dir=backup_dir)
        except WrongKeyError:
            error = QCoreApplication.translate("app", "That passphrase is wrong. Try again.")
        except NoKeyError as exc:
            if exc.code != "store.need_pass":
                raise
        dialog = PassphraseDialog(creating=False, error=error)
        if not dialog.exec():
            return None
        passphrase = dialog.value()


def _with_margin_tab(reports: ReportsPage, panel: ProfitPanel) -> ReportsPage:
    panel.territory_on_show = True
    reports.add_report(panel, QCoreApplication.translate("app", "Margin by account"))
    return reports


def build_main_window(
    store: Store, *, demo: bool, settings: Settings, tasks: TaskRunner | None = None
) -> MainWindow:
    tasks = tasks or TaskRunner()
    # one advice engine run serves the Advice page, the card's advice and margin tabs and the
    # dashboard's margin tab
    advice = AdviceService(store)
    profit = ProfitabilityService(advice)
    chinese = pick_language(settings.language) != "en"

    def card_tabs() -> list[tuple[str, QWidget]]:
        return [
            (
                QCoreApplication.translate("app", "Ordering advice"),
                AdvicePanel(advice, tasks, chinese=chinese),
            ),
            (QCoreApplication.translate("app", "Margin"), ProfitPanel(profit, tasks)),
        ]

    accounts = build_accounts_page(store, tasks=tasks, settings=settings, extra_tabs=card_tabs)
    pages = [
        Page("accounts", QCoreApplication.translate("app", "Accounts"), accounts),
        Page(
            "week",
            QCoreApplication.translate("app", "This week"),
            build_week_page(store, tasks=tasks, settings=settings, demo=demo),
        ),
        Page(
            "advice",
            QCoreApplication.translate("app", "Advice"),
            build_advice_page(store, tasks=tasks, settings=settings, service=advice),
        ),
        Page(
            "reports",
            QCoreApplication.translate("app", "Reports"),
            add_exports_tab(
                _with_margin_tab(
                    build_reports_page(store, tasks=tasks, settings=settings),
                    ProfitPanel(profit, tasks),
                ),
                store,
                tasks=tasks,
                settings=settings,
                accounts=accounts,
            ),
        ),
        Page(
            "sync",
            QCoreApplication.translate("app", "Sync"),
            build_sync_page(store, tasks=tasks, settings=settings),
        ),
    ]
    label = f"{store.path.name} · " + (
        QCoreApplication.translate("app", "demo data")
        if demo
        else QCoreApplication.translate("app", "local, encrypted")
    )
    window = MainWindow(pages, workspace_label=label, demo=demo)
    window.store = store  # keeps the store alive as long as the window
    window.tasks = tasks
    start_sync(window)
    install_today_dock(
        window, VisitServices.from_store(store), tasks=tasks, reorders=advice_reorders(advice)
    )
    # the demo holds no real data: no weekly backup of it (Tools → Backups still works)
    install_backups(
        window, store, tasks=tasks, settings=settings, weekly=not demo, tools_menu=window.tools_menu
    )
    return window


SMOKE_TIMEOUT_MS = 120_000


def watch_smoke_test(app: QApplication, window: MainWindow, timeout_ms: int) -> None:
    """``--smoke-test`` (packaging): exit once the window is up and the account list is loaded.

    Prints ``smoke ok: N accounts`` and exits 0, or ``smoke failed: …`` and exits 3.
    """
    model = window.show_page("accounts").list_page.model
    finished = False

    def report(total: int) -> None:
        nonlocal finished
        if finished:
            return
        finished = True
        ok = window.isVisible() and total > 0
        outcome = f"{total} accounts" if total >= 0 else f"no account list after {timeout_ms} ms"
        print(f"smoke {'ok' if ok else 'failed'}: {outcome}", flush=True)
        app.exit(0 if ok else 3)

    # the background search (search index, pinyin) answers after the event loop starts
    model.searched.connect(report)
    QTimer.singleShot(timeout_ms, lambda: report(-1))


def run_app(
    path: Path,
    *,
    demo: bool,
    passphrase: str | None = None,
    quit_after_ms: int | None = None,
    smoke_test: bool = False,
) -> int:
    settings = load_settings()
    app = prepare_application(settings)
    try:
        store = open_store_interactively(path, passphrase, backup_dir=backup_folder(settings))
    except KamdeskError as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("app", "KAMDesk cannot open your data"),
            f"{exc.message}\n[{exc.code}]",
        )
        return 2
    if store is None:
        return 1
    window = build_main_window(store, demo=demo, settings=settings)
    window.show()
    if not demo and not smoke_test:
        remind_recovery_key(window, settings)
    if smoke_test:
        watch_smoke_test(app, window, quit_after_ms or SMOKE_TIMEOUT_MS)
    elif quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, app.quit)
    try:
        return app.exec()
    finally:
        store.close()
