"""The Exports tab: file dialogs answered by the test, tasks run inline; files written, the
status line worded, errors shown in a message box, a cancelled batch keeping whole files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTabWidget
from pytestqt.qtbot import QtBot

from kamdesk.db.engine import Store
from kamdesk.services.dossier import DossierService
from kamdesk.services.dossier_export import export_dossiers
from kamdesk.settings import Settings
from kamdesk.ui.dialogs import export_dossier as export_dialogs
from kamdesk.ui.dialogs.export_dossier import ExportController
from kamdesk.ui.pages.reports_exports import ExportsPanel, build_exports_panel
from kamdesk.ui.tasks import TaskRunner
from tests.conftest import DEMO_TODAY
from tests.unit.export.pdfcheck import parse, squash


class Answers:
    """What the (monkeypatched) file dialogs and message boxes answer and saw."""

    def __init__(self) -> None:
        self.save_as = ""
        self.folder = ""
        self.warnings: list[str] = []
        self.suggested: list[str] = []


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    seen = Answers()

    def save(parent: Any, title: str, suggested: str, filters: str) -> tuple[str, str]:
        seen.suggested.append(suggested)
        return seen.save_as, filters

    def folder(parent: Any, title: str, start: str) -> str:
        return seen.folder

    def warn(parent: Any, title: str, text: str) -> QMessageBox.StandardButton:
        seen.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warn))
    return seen


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exports (tmp_path also holds the demo workspace copy)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _panel(store: Store) -> ExportsPanel:
    """The panel as build_exports_panel makes it, minus the ordering-advice engine (a 3-4 s
    territory run that the service tests cover): these tests are about the dialog flow."""
    service = DossierService(store, clock=lambda: DEMO_TODAY)
    return ExportsPanel(ExportController(service, TaskRunner()), today=lambda: DEMO_TODAY)


@pytest.fixture
def panel(qtbot: QtBot, demo_store: Store) -> ExportsPanel:
    widget = _panel(demo_store)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_export_one_code_through_the_file_dialog(
    panel: ExportsPanel, answers: Answers, out: Path
) -> None:
    answers.save_as = str(out / "chosen")  # no extension typed: .pdf is added
    panel.code.setText("HF000002")
    assert panel.export_code()
    target = out / "chosen.pdf"
    assert target.exists() and "HF000002" in parse(target.read_bytes()).text
    assert answers.suggested[0].endswith("HF000002_旺鼎生活超市_客户档案.pdf")
    assert str(target) in panel.status.text() and answers.warnings == []


def test_cancelled_file_dialog_does_nothing(
    panel: ExportsPanel, answers: Answers, out: Path
) -> None:
    panel.code.setText("HF000002")
    assert not panel.export_code()  # the dialog answered "" (Cancel)
    assert panel.status.text() == "" and list(out.iterdir()) == []


def test_unknown_code_and_missing_plan_are_worded(panel: ExportsPanel, answers: Answers) -> None:
    panel.code.setText("NOPE")
    assert not panel.export_code()
    assert answers.warnings == ["No account has that code."]
    assert panel.status.text() == "No account has that code."
    answers.save_as = "/tmp/never-written.pdf"
    panel.week.setText("2026-W48")
    assert panel.export_route()  # started: the failure comes back from the task
    assert "No plan is saved for that week" in answers.warnings[-1]
    assert not Path("/tmp/never-written.pdf").exists()


def test_batch_into_a_folder(panel: ExportsPanel, answers: Answers, out: Path) -> None:
    answers.folder = str(out)
    panel.codes.setText("HF000001，HF000003")  # a Chinese comma is accepted too
    assert panel.export_codes()
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and names[0].startswith("HF000001_")
    assert "2" in panel.status.text() and str(out) in panel.status.text()


def test_cancel_keeps_complete_files_only(
    panel: ExportsPanel, answers: Answers, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancelled_after_two(*args: Any, **kwargs: Any) -> tuple[Path, ...]:
        cancel: threading.Event = kwargs["cancel"]
        report = kwargs["progress"]

        def progress(done: int, total: int, message: str) -> None:
            report(done, total, message)
            if done == 2:
                cancel.set()  # as the progress dialog's Cancel button does

        return export_dossiers(*args, **{**kwargs, "progress": progress})

    monkeypatch.setattr(export_dialogs, "export_dossiers", cancelled_after_two)
    answers.folder = str(out)
    panel.codes.setText("HF000001,HF000002,HF000003,HF000004")
    assert panel.export_codes()
    files = sorted(out.iterdir())
    assert len(files) == 2 and all(parse(p.read_bytes()).pages for p in files)
    assert panel.controller.last_written == tuple(sorted(panel.controller.last_written))
    assert "Cancelled" in panel.status.text() and answers.warnings == []


def test_open_account_and_english(
    qtbot: QtBot, demo_store: Store, answers: Answers, out: Path
) -> None:
    panel = build_exports_panel(  # the real composition, advice engine included
        demo_store, tasks=TaskRunner(), settings=Settings(), today=lambda: DEMO_TODAY
    )
    qtbot.addWidget(panel)
    assert not panel.export_open_account()  # nothing is open
    assert "Open an account" in panel.status.text()
    account_id = panel.controller.service.account_id("HF000005")
    panel._open_account = lambda: account_id  # the accounts page now shows HF000005
    panel.refresh()
    assert panel.open_button.isEnabled()
    panel.lang.setCurrentIndex(1)  # English
    answers.save_as = str(out / "en.pdf")
    assert panel.export_open_account()
    text = parse((out / "en.pdf").read_bytes()).text
    assert squash("Account dossier") in text and "HF000005" in text


def test_main_window_has_the_exports_tab(qtbot: QtBot, demo_store: Store) -> None:
    from kamdesk.ui.app import build_main_window

    window = build_main_window(demo_store, demo=True, settings=Settings(), tasks=TaskRunner())
    qtbot.addWidget(window)
    reports = window.show_page("reports")
    assert isinstance(reports, QTabWidget)
    titles = [reports.tabText(i) for i in range(reports.count())]
    assert "Exports" in titles
    panel = reports.widget(titles.index("Exports"))
    assert isinstance(panel, ExportsPanel)
