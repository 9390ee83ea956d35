"""``kamdesk audit export``: the audit trail of one account, or of the whole workspace, as CSV.

    kamdesk audit export [--account CODE] [--since YYYY-MM-DD] --out FILE [--path DB]

The CSV is UTF-8 with a byte-order mark (Excel shows the Chinese); ``--since`` is a day in
China time. Errors (unknown account code, bad date, no workspace) print one line and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from kamdesk.errors import KamdeskError

if TYPE_CHECKING:
    from kamdesk.cli import SubParsers

EXIT_ERROR = 2


def add_audit_parser(sub: SubParsers) -> None:
    audit = sub.add_parser("audit", help="the audit trail: who changed what and when")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_sub.add_parser("export", help="write the history as CSV for a supervisor")
    export.add_argument("--account", metavar="CODE", help="one account (default: every account)")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="changes from this day on")
    export.add_argument("--out", required=True, metavar="FILE", help="CSV file to write")
    export.add_argument("--path", dest="db_path", metavar="DB", help="workspace database")
    export.set_defaults(handler=cmd_audit_export)


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KamdeskError(
            f"--since {value!r} is not a date (YYYY-MM-DD).", code="cli.date"
        ) from None


def cmd_audit_export(args: argparse.Namespace) -> int:
    from kamdesk.db.models import Account
    from kamdesk.services.audit import AuditService, start_of_day
    from kamdesk.services.export_cli import _open_store

    try:
        since = _since(args.since)
        store = _open_store(args)
    except KamdeskError as exc:
        print(f"kamdesk: {exc.message} [{exc.code}]", file=sys.stderr)
        return EXIT_ERROR
    try:
        account_id = None
        if args.account:
            with store.session() as session:
                account_id = session.scalar(
                    select(Account.id).where(Account.code == args.account.strip())
                )
            if account_id is None:
                raise KamdeskError(f"No account {args.account}.", code="audit.unknown_account")
        target = Path(args.out)
        count = AuditService(store).export_csv(
            target,
            account_id=account_id,
            since=start_of_day(since) if since is not None else None,
        )
    except KamdeskError as exc:
        print(f"kamdesk: {exc.message} [{exc.code}]", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"kamdesk: cannot write {args.out}: {exc.strerror} [audit.write]", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()
    print(f"{count} changes written to {target}")
    return 0
