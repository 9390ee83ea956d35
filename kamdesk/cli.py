"""The ``kamdesk`` command: the desktop app by default, sub-commands for scripts and admins."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from kamdesk import __version__
from kamdesk.db import keys
from kamdesk.errors import KamdeskError, NoKeyError
from kamdesk.paths import app_paths
from kamdesk.services.audit_cli import add_audit_parser
from kamdesk.services.backup_cli import add_backup_parser
from kamdesk.services.export_cli import add_export_parser

# The demo workspace holds no real data; where no keyring exists it uses this published
# passphrase so `kamdesk --demo` works on any machine. Real workspaces never do this.
DEMO_PASSPHRASE = "kamdesk-demo"
PASSPHRASE_ENV = "KAMDESK_PASSPHRASE"

Handler = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
Registrar = Callable[["SubParsers"], None]


def _passphrase_for(path: Path, *, demo: bool, creating: bool) -> str | None:
    """None when the keyring holds (or will hold) the key; else a passphrase from somewhere."""
    info = keys.read_keyinfo(path) if path.exists() else None
    needs_passphrase = (info is not None and info.source == "passphrase") or (
        info is None and creating and not keys.keyring_available()
    )
    if not needs_passphrase:
        return None
    if demo:
        return DEMO_PASSPHRASE
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if sys.stdin.isatty():
        prompt = "New passphrase for the database: " if creating else "Database passphrase: "
        return getpass.getpass(prompt)
    raise NoKeyError(
        f"{path} needs its passphrase: run interactively or set {PASSPHRASE_ENV}.",
        code="store.need_pass",
    )


def _progress_printer(label: str) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, message: str) -> None:
        print(f"\r{label}: {done}/{total} {message:<30}", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


def cmd_demo_create(args: argparse.Namespace) -> int:
    from kamdesk.services.demo import build_demo_workspace

    path = Path(args.path) if args.path else app_paths().demo_database
    cancel = threading.Event()
    try:
        summary = build_demo_workspace(
            path,
            accounts=args.accounts,
            seed=args.seed,
            today=date.fromisoformat(args.today) if args.today else None,
            passphrase=_passphrase_for(path, demo=True, creating=True),
            progress=_progress_printer("demo") if sys.stderr.isatty() else None,
            cancel=cancel,
        )
    except KeyboardInterrupt:
        cancel.set()
        print("cancelled; nothing was written", file=sys.stderr)
        return 130
    print(
        json.dumps(
            {
                "path": str(summary.path),
                "accounts": summary.accounts,
                "products": summary.products,
                "purchase_lines": summary.purchase_lines,
                "stock_counts": summary.stock_counts,
                "visits": summary.visits,
                "seconds": round(summary.seconds, 1),
            },
            ensure_ascii=False,
        )
    )
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from kamdesk.db import migrate
    from kamdesk.services.backup_cli import default_backup_dir
    from kamdesk.services.workspace import open_workspace, pre_migration_backup

    path = Path(args.path) if args.path else app_paths().database
    demo = path == app_paths().demo_database
    store = open_workspace(
        path, passphrase=_passphrase_for(path, demo=demo, creating=False), upgrade=False
    )
    try:
        before = migrate.current_revision(store.engine)
        assert store.key is not None  # open_workspace always knows it
        backup = pre_migration_backup(path, store.key, default_backup_dir())
        changed = migrate.upgrade(store.engine, before_apply=backup)
        after = migrate.current_revision(store.engine)
    finally:
        store.close()
    print(f"{path}: {before} -> {after}" if changed else f"{path}: already at {after}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from kamdesk.ui.app import run_app

    paths = app_paths()
    if args.demo:
        path = paths.demo_database
        if not path.exists():
            from kamdesk.services.demo import build_demo_workspace

            print("Creating the demo workspace (first use)…", file=sys.stderr)
            build_demo_workspace(path, passphrase=_passphrase_for(path, demo=True, creating=True))
        passphrase = _passphrase_for(path, demo=True, creating=False)
    else:
        path = Path(args.path) if args.path else paths.database
        # the app asks in a dialog when it needs one and the environment gives none
        passphrase = os.environ.get(PASSPHRASE_ENV) or None
    return run_app(
        path,
        demo=args.demo,
        passphrase=passphrase,
        quit_after_ms=args.quit_after,
        smoke_test=args.smoke_test,
    )


def _server_parser(sub: SubParsers, *, full: bool) -> None:
    if not full:
        # a stand-in, so `kamdesk --help` lists it without importing the server stack
        server = sub.add_parser(
            "server", help="run or administer a team sync server", add_help=False
        )
        server.add_argument("rest", nargs=argparse.REMAINDER)
        server.set_defaults(handler=lambda args: main(["server", *args.rest]))
        return
    try:
        from kamdesk.server.cli import add_server_parser
    except ImportError as exc:  # the [server] extra is not installed
        missing = str(exc)

        def unavailable(_args: argparse.Namespace) -> int:
            print(f"The server needs `pip install kamdesk[server]` ({missing}).", file=sys.stderr)
            return 2

        server = sub.add_parser("server", help="run or administer a team sync server")
        server.set_defaults(handler=unavailable)
        return
    add_server_parser(sub)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kamdesk", description="KAMDesk — key-account management for field managers"
    )
    parser.add_argument("--version", action="version", version=f"kamdesk {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the demo workspace")
    parser.add_argument("--path", help="workspace database to open (default: your own)")
    parser.add_argument("--quit-after", type=int, default=None, help=argparse.SUPPRESS)
    # packaging smoke test: quit once the account list has loaded (see packaging/README.md)
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="demo workspaces")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    create = demo_sub.add_parser("create", help="create a demo workspace")
    create.add_argument("--accounts", type=int, default=300)
    create.add_argument("--seed", type=int, default=7)
    create.add_argument("--path", help="where to write it (must not exist)")
    create.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
    create.set_defaults(handler=cmd_demo_create)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply pending schema migrations")
    upgrade.add_argument("--path", help="workspace database (default: your own)")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    for register in _extra_commands():
        register(sub)
    _server_parser(sub, full=argv is not None and len(argv) > 0 and argv[0] == "server")
    return parser


def _extra_commands() -> list[Registrar]:
    """Sub-commands contributed by other areas (exports, backups), registered here explicitly."""
    registrars: list[Registrar] = []
    registrars.append(add_export_parser)
    registrars.append(add_backup_parser)
    registrars.append(add_audit_parser)
    return registrars


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    # the server's sub-commands set ``func``; ours set ``handler``
    handler: Handler = getattr(args, "func", None) or args.handler
    try:
        return handler(args)
    except KamdeskError as exc:
        print(f"kamdesk: {exc.message} [{exc.code}]", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
