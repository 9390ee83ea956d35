"""The main window on the accounts page, showing the list (a recipe may leave a card open)."""

from __future__ import annotations

from pathlib import Path

from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace
from tools.shots.context import ShotContext


def take(ctx: ShotContext) -> list[Path]:
    workspace = ctx.window.show_page("accounts")
    assert isinstance(workspace, AccountsWorkspace)
    workspace.show_list()
    workspace.list_page.clear_filters()
    ctx.settle()
    return [ctx.grab(ctx.window, "main_window_accounts.png")]
