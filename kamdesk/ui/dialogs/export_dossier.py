"""Export actions of the app: one account's dossier, many dossiers into a folder, the week's
route brief. Each asks where to write (a file dialog), runs off the UI thread with a progress
dialog (Cancel stops a batch after the document in hand) and reports in plain words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kamdesk.errors import KamdeskError
from kamdesk.export import ExportCancelledError, ExportError, ExportOptions, Lang, dossier_filename
from kamdesk.export.dossier_data import DossierData
from kamdesk.services.dossier import DossierService
from kamdesk.services.dossier_export import (
    export_dossier,
    export_dossiers,
    export_route_brief,
    route_brief_filename,
)
from kamdesk.ui.tasks import TaskRunner


class ExportController(QObject):
    """The export use cases for widgets; ``done`` carries a sentence for a status line."""

    done = Signal(str)  # success or cancel, worded
    failed = Signal(str)  # an error, worded

    def __init__(
        self,
        service: DossierService,
        tasks: TaskRunner,
        *,
        lang: Lang = Lang.ZH,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.lang = lang
        self.last_folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self.last_written: tuple[Path, ...] = ()
        self._generated_by: str | None = None

    def options(self) -> ExportOptions:
        if self._generated_by is None:
            self._generated_by = self.service.manager_name()
        return ExportOptions(lang=self.lang, generated_by=self._generated_by)

    # -- one account ---------------------------------------------------------------------------
    def export_account(self, parent: QWidget | None, account_id: str) -> bool:
        """Ask for a file, then write the account's dossier there. False: nothing started."""
        options = self.options()
        try:
            suggested = self._dossier_name(account_id, options)
        except KamdeskError as exc:
            self._fail(parent, exc)
            return False
        target = self._ask_file(parent, self.tr("Save the account dossier"), suggested)
        if target is None:
            return False

        def work(progress: Any = None, cancel: Any = None) -> Path:
            return export_dossier(self.service, account_id, target, options=options)

        self.tasks.run_with_dialog(
            parent,
            self.tr("Making the dossier"),
            work,
            on_success=lambda path: self._wrote(
                self.tr("Dossier saved to %1").replace("%1", str(path)), (path,)
            ),
            on_failure=lambda exc: self._fail(parent, exc),
        )
        return True

    def export_code(self, parent: QWidget | None, code: str) -> bool:
        try:
            account_id = self.service.account_id(code)
        except KamdeskError as exc:
            self._fail(parent, exc)
            return False
        return self.export_account(parent, account_id)

    # -- many accounts -------------------------------------------------------------------------
    def export_accounts(self, parent: QWidget | None, account_ids: Sequence[str]) -> bool:
        """Ask for a folder, then write one dossier per account into it (cancellable)."""
        ids = list(account_ids)
        if not ids:
            self.failed.emit(self.tr("Choose at least one account to export."))
            return False
        folder = self._ask_folder(
            parent, self.tr("Choose a folder for %n dossier(s)", "", len(ids))
        )
        if folder is None:
            return False
        options = self.options()

        def work(progress: Any = None, cancel: Any = None) -> tuple[Path, ...]:
            return export_dossiers(
                self.service, ids, folder, options=options, progress=progress, cancel=cancel
            )

        def succeeded(written: tuple[Path, ...]) -> None:
            text = self.tr("%n dossier(s) saved in %1", "", len(written)).replace("%1", str(folder))
            self._wrote(text, written)

        self.tasks.run_with_dialog(
            parent,
            self.tr("Making %n dossier(s)", "", len(ids)),
            work,
            on_success=succeeded,
            on_failure=lambda exc: self._fail(parent, exc),
        )
        return True

    def export_codes(self, parent: QWidget | None, codes: Sequence[str] | None) -> bool:
        """Every account (``None``) or the accounts with these codes."""
        try:
            ids = self.service.account_ids(codes)
        except KamdeskError as exc:
            self._fail(parent, exc)
            return False
        return self.export_accounts(parent, ids)

    # -- the week's route ----------------------------------------------------------------------
    def export_route(
        self, parent: QWidget | None, week: str | date, day: date | None = None
    ) -> bool:
        options = self.options()
        try:
            suggested = route_brief_filename(week, day, options.lang.value)
        except KamdeskError as exc:
            self._fail(parent, exc)
            return False
        target = self._ask_file(parent, self.tr("Save the route brief"), suggested)
        if target is None:
            return False

        def work(progress: Any = None, cancel: Any = None) -> Path:
            return export_route_brief(self.service, week, target, options=options, day=day)

        self.tasks.run_with_dialog(
            parent,
            self.tr("Making the route brief"),
            work,
            on_success=lambda path: self._wrote(
                self.tr("Route brief saved to %1").replace("%1", str(path)), (path,)
            ),
            on_failure=lambda exc: self._fail(parent, exc),
        )
        return True

    # -- helpers -------------------------------------------------------------------------------
    def _dossier_name(self, account_id: str, options: ExportOptions) -> str:
        """The file name the dossier will get (code, shop name), without reading it all."""
        return dossier_filename(DossierData(account=self.service.card(account_id)), options)

    def _ask_file(self, parent: QWidget | None, title: str, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, title, str(self.last_folder / suggested), self.tr("PDF documents (*.pdf)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.last_folder = path.parent
        return path

    def _ask_folder(self, parent: QWidget | None, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, str(self.last_folder))
        if not chosen:
            return None
        self.last_folder = Path(chosen)
        return self.last_folder

    def _wrote(self, text: str, written: tuple[Path, ...]) -> None:
        self.last_written = written
        self.done.emit(text)

    def _fail(self, parent: QWidget | None, exc: BaseException) -> None:
        if isinstance(exc, ExportCancelledError):
            self.last_written = exc.written
            text = self.tr("Cancelled: %n complete dossier(s) kept.", "", len(exc.written))
            self.done.emit(text)
            return
        text = self.describe(exc)
        self.failed.emit(text)
        QMessageBox.warning(parent, self.tr("Export failed"), text)

    def describe(self, exc: BaseException) -> str:
        """The user's words for an export error (codes from the services and the renderer)."""
        code = getattr(exc, "code", "")
        words: dict[str, str] = {
            "dossier.unknown_account": self.tr("No account has that code."),
            "dossier.no_plan": self.tr(
                "No plan is saved for that week. Plan it on the This week page first."
            ),
            "dossier.empty_plan": self.tr("The plan has no visits on that day."),
            "dossier.bad_week": self.tr("Write the week as year-W-week, for example 2026-W48."),
            "dossier.day_outside_week": self.tr("That day is not in the chosen week."),
            "export.unwritable": self.tr(
                "KAMDesk cannot write there. Choose another folder or file name."
            ),
            "export.font_missing": self.tr(
                "The Chinese font of the PDFs is missing. Reinstall KAMDesk."
            ),
            "export.invalid_data": self.tr("The data of this document cannot be laid out."),
            "export.render_failed": self.tr("The document could not be laid out."),
        }
        if code in words:
            return words[code]
        if isinstance(exc, KamdeskError | ExportError):
            return f"{exc.message} [{code}]"
        return self.tr("Unexpected error: %1").replace("%1", repr(exc))


def open_account_of(accounts: QWidget) -> Callable[[], str | None]:
    """The account open in the accounts workspace (its card is showing), if any."""

    def current() -> str | None:
        stack: Any = accounts
        shown = stack.currentWidget() if hasattr(stack, "currentWidget") else None
        if shown is None or shown is getattr(stack, "list_page", None):
            return None
        value = getattr(shown, "account_id", None)
        return value if isinstance(value, str) else None

    return current


def listed_accounts_of(accounts: QWidget) -> Callable[[], list[str]]:
    """Ids of the accounts the accounts list shows (its current search and filters)."""

    def listed() -> list[str]:
        model = getattr(getattr(accounts, "list_page", None), "model", None)
        ids = getattr(model, "ids", None)
        return list(ids()) if callable(ids) else []

    return listed
