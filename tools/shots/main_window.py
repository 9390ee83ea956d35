"""The main window on the accounts page."""

from __future__ import annotations

from pathlib import Path

from tools.shots.context import ShotContext


def take(ctx: ShotContext) -> list[Path]:
    ctx.window.show_page("accounts")
    return [ctx.grab(ctx.window, "main_window_accounts.png")]
