"""``kamdesk export``: dossiers and route briefs as PDF from the command line.

    kamdesk export dossier --account HF000001 -o dossier.pdf [--lang zh|en] [--path DB]
    kamdesk export dossiers (--all | --codes A,B) -o FOLDER
    kamdesk export route --week 2026-W48 [--day 2026-11-25] -o brief.pdf

Errors (unknown account code, no plan for the week, unwritable path) print one line and exit
with code 2. A batch shows progress on stderr; Ctrl+C finishes the document in hand, keeps the
complete files and exits with 130.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamdesk.errors import KamdeskError

if TYPE_CHECKING:
    from kamdesk.cli import SubParsers
    from kamdesk.db.engine import Store
    from kamdesk.export import ExportOptions
    from kamdesk.services.dossier import DossierService

EXIT_ERROR = 2
EXIT_CANCELLED = 130


def add_export_parser(sub: SubParsers) -> None:
    export = sub.add_parser("export", help="export dossiers and route briefs as PDF")
    export_sub = export.add_subparsers(dest="export_command", required=True)

    one = export_sub.add_parser("dossier", help="one account's dossier (客户档案)")
    one.add_argument("--account", required=True, metavar="CODE", help="account code")
    one.add_argument("-o", "--output", required=True, metavar="FILE", help="PDF to write")
    _common(one)
    one.set_defaults(handler=cmd_export_dossier)

    many = export_sub.add_parser("dossiers", help="dossiers of many accounts into a folder")
    which = many.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every account of the workspace")
    which.add_argument("--codes", metavar="A,B", help="comma-separated account codes")
    many.add_argument("-o", "--output", required=True, metavar="FOLDER", help="folder to fill")
    _common(many)
    many.set_defaults(handler=cmd_export_dossiers)

    route = export_sub.add_parser("route", help="the route brief of a planned week")
    route.add_argument("--week", required=True, metavar="YYYY-Www", help="ISO week, 2026-W48")
    route.add_argument("--day", metavar="YYYY-MM-DD", help="only this day of the week")
    route.add_argument("-o", "--output", required=True, metavar="FILE", help="PDF to write")
    _common(route)
    route.set_defaults(handler=cmd_export_route)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="document language")
    parser.add_argument("--path", dest="db_path", metavar="DB", help="workspace database")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="reference day (default: today)")


# -- handlers ---------------------------------------------------------------------------------
def cmd_export_dossier(args: argparse.Namespace) -> int:
    from kamdesk.services.dossier_export import export_dossier

    def work(service: DossierService, options: ExportOptions) -> int:
        account_id = service.account_id(args.account)
        path = export_dossier(
            service, account_id, _file(args.output), options=options, as_of=_day(args.as_of)
        )
        print(path)
        return 0

    return _run(args, work)


def cmd_export_dossiers(args: argparse.Namespace) -> int:
    from kamdesk.export import ExportCancelledError
    from kamdesk.services.dossier_export import export_dossiers

    def work(service: DossierService, options: ExportOptions) -> int:
        codes = None if args.all else [c for c in args.codes.split(",") if c.strip()]
        if codes is not None and not codes:
            raise KamdeskError("--codes names no account.", code="dossier.unknown_account")
        ids = service.account_ids(codes)
        folder = Path(args.output)
        cancel = threading.Event()
        finished = threading.Event()
        outcome: dict[str, Any] = {}

        def batch() -> None:
            try:
                outcome["written"] = export_dossiers(
                    service,
                    ids,
                    folder,
                    options=options,
                    as_of=_day(args.as_of),
                    progress=_progress_printer(),
                    cancel=cancel,
                )
            except BaseException as exc:  # handed to the main thread below
                outcome["error"] = exc
            finally:
                finished.set()

        # The batch runs in a worker so Ctrl+C (delivered to this thread) only sets the cancel
        # flag: the document in hand is completed, never cut into a partial file. (An Event,
        # not Thread.join: an interrupted join can report a live thread as finished.)
        threading.Thread(target=batch, name="kamdesk-export", daemon=True).start()
        while True:
            try:
                finished.wait()
                break
            except KeyboardInterrupt:
                if not cancel.is_set():
                    print("\ncancelling after the current document…", file=sys.stderr)
                cancel.set()
        error = outcome.get("error")
        if isinstance(error, ExportCancelledError):
            print(
                f"cancelled: {len(error.written)} complete dossiers kept in {folder}",
                file=sys.stderr,
            )
            return EXIT_CANCELLED
        if error is not None:
            raise error
        written = outcome["written"]
        print(f"{len(written)} dossiers written to {folder}")
        return 0

    return _run(args, work)


def cmd_export_route(args: argparse.Namespace) -> int:
    from kamdesk.services.dossier_export import export_route_brief

    def work(service: DossierService, options: ExportOptions) -> int:
        path = export_route_brief(
            service, args.week, _file(args.output), options=options, day=_day(args.day)
        )
        print(path)
        return 0

    return _run(args, work)


# -- plumbing ---------------------------------------------------------------------------------
def _run(args: argparse.Namespace, work: Callable[[DossierService, ExportOptions], int]) -> int:
    from kamdesk.export import ExportError, ExportOptions, Lang
    from kamdesk.services.advice import AdviceService
    from kamdesk.services.dossier import DossierService

    try:
        store = _open_store(args)
    except KamdeskError as exc:
        return _fail(exc.message, exc.code)
    try:
        as_of = _day(args.as_of)
        clock = (lambda: as_of) if as_of is not None else date.today
        service = DossierService(store, advice=AdviceService(store, clock=clock), clock=clock)
        options = ExportOptions(lang=Lang(args.lang), generated_by=service.manager_name())
        return work(service, options)
    except (KamdeskError, ExportError) as exc:
        return _fail(exc.message, exc.code)
    finally:
        store.close()


def _open_store(args: argparse.Namespace) -> Store:
    from kamdesk.cli import _passphrase_for
    from kamdesk.paths import app_paths
    from kamdesk.services.workspace import open_workspace

    paths = app_paths()
    given = args.db_path or getattr(args, "path", None)
    if given:
        path = Path(given)
    elif getattr(args, "demo", False):
        path = paths.demo_database
    else:
        path = paths.database
    if not path.exists():
        raise KamdeskError(f"No workspace at {path}.", code="store.missing")
    demo = path == paths.demo_database or bool(getattr(args, "demo", False))
    return open_workspace(path, passphrase=_passphrase_for(path, demo=demo, creating=False))


def _file(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() != ".pdf" and not path.is_dir():
        path = path.with_name(path.name + ".pdf")
    return path


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KamdeskError(
            f"{value!r} is not a date YYYY-MM-DD.", code="dossier.bad_date"
        ) from None


def _fail(message: str, code: str) -> int:
    print(f"kamdesk: {message} [{code}]", file=sys.stderr)
    return EXIT_ERROR


def _progress_printer() -> Callable[[int, int, str], None]:
    interactive = sys.stderr.isatty()

    def show(done: int, total: int, message: str) -> None:
        if interactive:
            print(f"\rdossiers: {done}/{total} {message:<40}", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr)
        elif done == total or done % 10 == 0:
            print(f"dossiers: {done}/{total}", file=sys.stderr, flush=True)

    return show
