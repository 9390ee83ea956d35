"""The Backups and restore dialog (Tools menu), with a few backups of the demo workspace."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kamdesk.services.backup import BackupKind, BackupService
from kamdesk.settings import Settings
from kamdesk.ui.dialogs.backups import BackupsDialog, recovery_key_reminder
from tools.shots.context import DEMO_NOW, ShotContext, inline_tasks


def take(ctx: ShotContext) -> list[Path]:
    backups: BackupService = getattr(ctx.window, "backups")  # noqa: B009 - dynamic attribute
    made = [
        backups.create(BackupKind.WEEKLY, now=DEMO_NOW - timedelta(days=14, hours=1)),
        backups.create(BackupKind.PRE_MIGRATION, now=DEMO_NOW - timedelta(days=9, hours=3)),
        backups.create(BackupKind.WEEKLY, now=DEMO_NOW - timedelta(days=7, hours=1)),
        backups.create(BackupKind.WEEKLY, now=DEMO_NOW - timedelta(minutes=40)),
        backups.create(BackupKind.MANUAL, now=DEMO_NOW - timedelta(minutes=5)),
    ]
    ctx.window.backups_action.trigger()  # type: ignore[attr-defined]
    dialog = ctx.window.backups_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, BackupsDialog)
    dialog.resize(760, 420)
    with inline_tasks():
        dialog.table.selectRow(0)
        dialog.check_selected()
    dialog.checked[made[0].path] = ""
    dialog.refresh()
    # a typical Windows data folder rather than the shot's temporary one
    folder = r"C:\Users\王经理\AppData\Local\KAMDesk\backups"
    dialog.folder_label.setText(dialog.tr("Backup folder: %1").replace("%1", folder))
    path = ctx.grab(dialog, "backups_dialog.png")
    dialog.close()
    # shown at start-up for keyring workspaces (the demo's key comes from a passphrase)
    reminder = recovery_key_reminder(ctx.window, backups, Settings(), lambda _s: None)
    reminder.adjustSize()
    shown = ctx.grab(reminder, "recovery_key_reminder.png")
    reminder.done(0)
    return [path, shown]
