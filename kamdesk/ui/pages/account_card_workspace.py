"""The accounts workspace: the list and the card on one page, with the unsaved-change guard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStackedWidget, QWidget

from kamdesk.db.engine import Store
from kamdesk.errors import KamdeskError
from kamdesk.services.account_queries import AccountQueries
from kamdesk.settings import Settings, save_settings
from kamdesk.ui.pages.accounts_list import AccountListPage
from kamdesk.ui.resources import pick_language
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.card_fields import localise
from kamdesk.ui.widgets.card_language_dialog import LanguageDialog

if TYPE_CHECKING:
    from kamdesk.services.account_import import AccountImporter
    from kamdesk.ui.dialogs.import_accounts import ImportAccountsDialog
    from kamdesk.ui.pages.account_card import AccountCardPage


class AccountsWorkspace(QStackedWidget):
    def __init__(
        self,
        queries: AccountQueries,
        card_factory: Callable[[], AccountCardPage],
        importer_factory: Callable[[], AccountImporter],
        *,
        tasks: TaskRunner | None = None,
        settings: Settings | None = None,
        save: Callable[[Settings], None] = save_settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.queries = queries
        self.tasks = tasks
        self.settings = settings or Settings()
        self._card_factory = card_factory
        self._importer_factory = importer_factory
        self._card: AccountCardPage | None = None
        self.chinese = pick_language(self.settings.language) != "en"
        self._save_settings = save
        self.list_page = AccountListPage(queries, tasks=tasks, settings=self.settings, save=save)
        self.addWidget(self.list_page)
        self.list_page.account_activated.connect(self.open_account)
        self.list_page.new_requested.connect(self.new_account)
        self.list_page.import_requested.connect(self.import_accounts)
        self.list_page.export_requested.connect(self.export_accounts)
        self.list_page.settings_requested.connect(self.edit_settings)
        self._watched: QObject | None = None

    @property
    def card_page(self) -> AccountCardPage:
        """The card editor, built on first use (keeps start-up to the list alone)."""
        if self._card is None:
            card = self._card_factory()
            self.addWidget(card)
            card.back_requested.connect(self.show_list)
            card.navigate_requested.connect(self.step)
            card.new_requested.connect(self.new_account)
            card.find_requested.connect(self.find)
            card.saved.connect(self._saved)
            self._card = card
        return self._card

    def _on_card(self) -> bool:
        return self._card is not None and self.currentWidget() is self._card

    # -- navigation with the guard -------------------------------------------------------------
    def open_account(self, account_id: str) -> bool:
        if self._on_card() and not self.card_page.maybe_leave():
            return False
        try:
            self.card_page.load(account_id)
        except KamdeskError as exc:
            QMessageBox.warning(self, self.tr("Cannot open the account"), exc.message)
            return False
        self.setCurrentWidget(self.card_page)
        self.list_page.select_account(account_id)
        return True

    def step(self, delta: int) -> bool:
        current = self.card_page.account_id
        if current is None:
            return False
        target = self.list_page.model.neighbour(current, delta)
        return target is not None and self.open_account(target)

    def show_list(self) -> bool:
        if self._on_card() and not self.card_page.maybe_leave():
            return False
        self.setCurrentWidget(self.list_page)
        if self._card is not None and self._card.account_id:
            self.list_page.select_account(self._card.account_id)
        self.list_page.table.setFocus()
        return True

    def new_account(self) -> bool:
        if self._on_card() and not self.card_page.maybe_leave():
            return False
        self.card_page.start_new(None)
        self.setCurrentWidget(self.card_page)
        return True

    def find(self) -> None:
        if self.show_list():
            self.list_page.focus_search()

    def _saved(self, account_id: str) -> None:
        self.queries.refresh_accounts([account_id])
        self.list_page.model.refresh()

    # -- import / export / settings ------------------------------------------------------------
    def import_accounts(self) -> ImportAccountsDialog:
        from kamdesk.ui.dialogs.import_accounts import ImportAccountsDialog

        dialog = ImportAccountsDialog(
            self._importer_factory(),
            chinese=self.chinese,
            parent=self,
            on_done=lambda _r: self.list_page.refresh(),
            tasks=self.tasks,
        )
        dialog.open()
        return dialog

    def export_accounts(self, target: Path | None = None) -> None:
        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the list"),
                f"accounts-{date.today():%Y%m%d}.xlsx",
                self.tr("Excel workbook (*.xlsx)"),
            )
            if not name:
                return
            target = Path(name if name.endswith(".xlsx") else name + ".xlsx")
        from kamdesk.services.account_export import export_accounts_xlsx

        flt = self.list_page.model.current_filter()
        order_by, descending = self.list_page.model.order()
        queries = self.queries
        path = target

        def work(progress: object = None, cancel: object = None) -> int:
            return export_accounts_xlsx(
                queries,
                flt,
                path,
                order_by=order_by,
                descending=descending,
                progress=progress,  # type: ignore[arg-type]
                cancel=cancel,  # type: ignore[arg-type]
            )

        def done(count: int) -> None:
            self.list_page.count_label.setText(
                self.tr("Exported %1 account(s) to %2")
                .replace("%1", str(count))
                .replace("%2", path.name)
            )

        def failed(error: BaseException) -> None:
            message = error.message if isinstance(error, KamdeskError) else str(error)
            QMessageBox.warning(self, self.tr("Export failed"), localise(message, self.chinese))

        runner = self.tasks or TaskRunner()
        runner.run_with_dialog(
            self, self.tr("Exporting…"), work, on_success=done, on_failure=failed
        )

    def edit_settings(self) -> None:
        LanguageDialog(self.settings, self, save=self._save_settings).open()

    # -- closing the window with unsaved edits -------------------------------------------------
    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        window = self.window()
        if window is not self and window is not self._watched:
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = watched is self._watched and event.type() == QEvent.Type.Close
        if closing and self._on_card() and not self.card_page.maybe_leave():
            assert isinstance(event, QCloseEvent)
            event.ignore()
            return True
        return super().eventFilter(watched, event)


def build_accounts_page(
    store: Store,
    *,
    tasks: TaskRunner | None = None,
    settings: Settings | None = None,
    today: Callable[[], date] = date.today,
    extra_tabs: Callable[[], Sequence[tuple[str, QWidget]]] | None = None,
) -> AccountsWorkspace:
    """Everything the accounts workspace needs, created once (called by build_main_window).

    The card, its services and the importer are built on first use: start-up shows the list
    without loading pinyin tables or the classification rules.
    """
    settings = settings or Settings()
    chinese = pick_language(settings.language) != "en"

    def card_factory() -> AccountCardPage:
        from kamdesk.services.account_card import AccountCardService
        from kamdesk.services.accounts import AccountService
        from kamdesk.services.attachments import AttachmentService
        from kamdesk.services.audit import AuditService
        from kamdesk.ui.pages.account_card import AccountCardPage

        panel: QWidget | None
        try:
            from kamdesk.services.classification import ClassificationService
            from kamdesk.ui.widgets.classification_panel import ClassificationPanel

            panel = ClassificationPanel(
                ClassificationService(store), tasks, today=today, chinese=chinese
            )
        except ImportError:  # the classification area is optional in this build
            panel = None
        return AccountCardPage(
            AccountCardService(store, today=today),
            AccountService(store),
            AttachmentService(store),
            chinese=chinese,
            classification_panel=panel,
            extra_tabs=extra_tabs() if extra_tabs else (),
            history=AuditService(store),
        )

    def importer_factory() -> AccountImporter:
        from kamdesk.services.account_import import AccountImporter

        return AccountImporter(store)

    return AccountsWorkspace(
        AccountQueries(store, today=today),
        card_factory,
        importer_factory,
        tasks=tasks,
        settings=settings,
    )


__all__ = ["AccountsWorkspace", "build_accounts_page"]
