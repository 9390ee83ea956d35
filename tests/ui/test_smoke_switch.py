"""``kamdesk --smoke-test`` (packaging/smoke_test.sh): report the loaded account list, then exit."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kamdesk.cli import build_parser
from kamdesk.db.engine import Store
from kamdesk.settings import Settings
from kamdesk.ui.app import build_main_window, watch_smoke_test


class FakeApp:
    def __init__(self) -> None:
        self.codes: list[int] = []

    def exit(self, code: int) -> None:
        self.codes.append(code)


def test_the_switch_is_hidden_but_parsed() -> None:
    parser = build_parser([])
    assert parser.parse_args(["--demo", "--smoke-test"]).smoke_test
    assert "--smoke-test" not in parser.format_help()


def test_smoke_ok_once_the_account_list_has_loaded(
    demo_store: Store, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings())
    qtbot.addWidget(window)
    window.show()
    app = FakeApp()
    watch_smoke_test(app, window, timeout_ms=60_000)  # type: ignore[arg-type]
    window.show_page("accounts").list_page.model.refresh()  # type: ignore[attr-defined]
    assert app.codes == [0]
    assert "smoke ok: 300 accounts" in capsys.readouterr().out


def test_smoke_fails_when_the_list_never_answers(
    demo_store: Store, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    window = build_main_window(demo_store, demo=True, settings=Settings())
    qtbot.addWidget(window)
    window.show()
    app = FakeApp()
    watch_smoke_test(app, window, timeout_ms=10)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: app.codes == [3], timeout=5000)
    assert "smoke failed: no account list after 10 ms" in capsys.readouterr().out
