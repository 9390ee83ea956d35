"""``kamdesk server ...``: run the team server and administer it from the server machine.

``add_server_parser(subparsers)`` adds the ``server`` command to the main ``kamdesk`` parser;
every parser it creates sets ``func`` (``args.func(args) -> int`` is the exit code).
Whoever can open the server database is the operator, so these commands need no login.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import utcnow
from kamdesk.db.migrate import upgrade
from kamdesk.errors import KamdeskError
from kamdesk.server.admin import territories as territory_admin
from kamdesk.server.admin import users as user_admin
from kamdesk.server.app import create_app, make_server_engine
from kamdesk.server.auth.passwords import PasswordService
from kamdesk.server.settings import ServerSettings

Handler = Callable[[argparse.Namespace], int]


def _db_options(parser: argparse.ArgumentParser, *, nested: bool) -> None:
    # Accepted before or after the sub-command; SUPPRESS keeps a nested default from hiding
    # a value given at the outer level.
    default: Any = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--data",
        type=Path,
        default=default,
        metavar="DIR",
        help="server data folder: embedded SQLite database (unless --database-url) and the "
        "token signing secret",
    )
    parser.add_argument(
        "--database-url",
        default=default,
        metavar="URL",
        help="PostgreSQL instead of the embedded SQLite, e.g. "
        "postgresql+psycopg://kamdesk@db/kamdesk",
    )


def _net_options(parser: argparse.ArgumentParser, *, nested: bool) -> None:
    default: Any = argparse.SUPPRESS if nested else None
    parser.add_argument("--host", default=default, help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=default, help="port (8765)")
    parser.add_argument("--tls-cert", type=Path, default=default, metavar="FILE")
    parser.add_argument("--tls-key", type=Path, default=default, metavar="FILE")
    parser.add_argument(
        "--workers",
        type=int,
        default=argparse.SUPPRESS if nested else 1,
        help="server processes sharing the port (PostgreSQL; SQLite has one writer anyway)",
    )


def _sub(subs: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subs.add_parser(name, help=help_text, description=help_text)
    _db_options(parser, nested=True)
    parser.set_defaults(func=handler)
    return parser


def add_server_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``server`` (run by default) with ``run``, ``user ...`` and ``territory ...``."""
    server: argparse.ArgumentParser = subparsers.add_parser(
        "server",
        help="run or administer the team sync server",
        description="Run the KAMDesk team server (default) or administer it.",
    )
    _db_options(server, nested=False)
    _net_options(server, nested=False)
    server.set_defaults(func=cmd_run)
    commands = server.add_subparsers(dest="server_command", metavar="COMMAND")

    run = _sub(commands, "run", cmd_run, "serve the API (uvicorn), optionally over TLS")
    _net_options(run, nested=True)

    user = commands.add_parser("user", help="user accounts").add_subparsers(
        dest="user_command", metavar="ACTION", required=True
    )
    add = _sub(user, "add", cmd_user_add, "create a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("manager", "supervisor", "admin"))
    add.add_argument("--territory", metavar="CODE", help="territory code (managers need one)")
    add.add_argument("--display-name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (else a temporary one is printed)",
    )
    _sub(user, "list", cmd_user_list, "list users")
    dis = _sub(user, "disable", cmd_user_disable, "disable a user and sign out all devices")
    dis.add_argument("username")
    ena = _sub(user, "enable", cmd_user_enable, "enable a disabled user again")
    ena.add_argument("username")
    reset = _sub(user, "reset-password", cmd_user_reset, "set a new password, sign out devices")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    revoke = _sub(
        user,
        "revoke-devices",
        cmd_user_revoke,
        "lost laptop: revoke every refresh token and sync client of a user",
    )
    revoke.add_argument("username")

    territory = commands.add_parser("territory", help="territories").add_subparsers(
        dest="territory_command", metavar="ACTION", required=True
    )
    tadd = _sub(territory, "add", cmd_territory_add, "create a territory")
    tadd.add_argument("code")
    tadd.add_argument("name")
    tadd.add_argument("--city", default="")
    _sub(territory, "list", cmd_territory_list, "list territories")
    assign = _sub(
        territory,
        "assign",
        cmd_territory_assign,
        "move an account (and its history) to another territory",
    )
    assign.add_argument("account_code")
    assign.add_argument("territory_code")
    return server


# -- helpers ---------------------------------------------------------------------------------
def settings_from_args(args: argparse.Namespace) -> ServerSettings:
    given: dict[str, Any] = {}
    for arg, key in (
        ("data", "data_dir"),
        ("database_url", "database_url"),
        ("host", "host"),
        ("port", "port"),
        ("tls_cert", "tls_cert"),
        ("tls_key", "tls_key"),
    ):
        value = getattr(args, arg, None)
        if value is not None:
            given[key] = value
    return ServerSettings(**given)


@contextmanager
def _admin_session(args: argparse.Namespace) -> Iterator[tuple[Session, ServerSettings]]:
    settings = settings_from_args(args)
    engine = make_server_engine(settings)
    try:
        upgrade(engine)
        with sessionmaker(engine, expire_on_commit=False)() as session:
            yield session, settings
            session.commit()
    finally:
        engine.dispose()


def _passwords(settings: ServerSettings) -> PasswordService:
    return PasswordService(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        min_length=settings.min_password_length,
    )


def _read_password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except KamdeskError as exc:
            print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
            return 2

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


# -- commands --------------------------------------------------------------------------------
@_guarded
def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    settings = settings_from_args(args)
    settings.check_tls()
    workers = max(1, int(getattr(args, "workers", 1) or 1))
    scheme = "https" if settings.tls_cert else "http"
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "ssl_certfile": str(settings.tls_cert) if settings.tls_cert else None,
        "ssl_keyfile": str(settings.tls_key) if settings.tls_key else None,
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
    }
    if workers == 1:
        app = create_app(settings)
        print(f"KAMDesk server on {scheme}://{settings.host}:{settings.port}", file=sys.stderr)
        uvicorn.run(app, **common)
        return 0
    # Several processes: migrate and create the secret once here, then each worker builds
    # its app from the same settings, passed down through the environment.
    engine = make_server_engine(settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    settings.signing_secret()
    for key, value in settings.model_dump(exclude_none=True).items():
        if key != "jwt_secret":
            os.environ[f"KAMDESK_SERVER_{key.upper()}"] = str(value)
    print(
        f"KAMDesk server on {scheme}://{settings.host}:{settings.port} ({workers} workers)",
        file=sys.stderr,
    )
    uvicorn.run("kamdesk.server.app:app_from_environment", factory=True, workers=workers, **common)
    return 0


@_guarded
def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    with _admin_session(args) as (session, settings):
        created = user_admin.create_user(
            session,
            _passwords(settings),
            username=args.username,
            role=args.role,
            territory_code=args.territory,
            display_name=args.display_name,
            password=password,
        )
    print(f"created {created.user.role} {created.user.username} ({created.user.id})")
    if created.temporary_password:
        print(f"temporary password (must be changed at first login): {created.temporary_password}")
    return 0


@_guarded
def cmd_user_list(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        for view in user_admin.list_users(session):
            state = "active" if view.active else "disabled"
            print(
                f"{view.username}\t{view.role}\t{view.territory_code or '-'}\t{state}\t"
                f"{view.display_name}"
            )
    return 0


@_guarded
def cmd_user_disable(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        user_admin.disable_user(session, args.username, utcnow())
    print(f"disabled {args.username}; its devices are signed out")
    return 0


@_guarded
def cmd_user_enable(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        user_admin.enable_user(session, args.username)
    print(f"enabled {args.username}")
    return 0


@_guarded
def cmd_user_reset(args: argparse.Namespace) -> int:
    password = _read_password(args)
    with _admin_session(args) as (session, settings):
        temp = user_admin.reset_password(
            session, _passwords(settings), args.username, utcnow(), password=password
        )
    print(f"password of {args.username} reset; its devices are signed out")
    if temp:
        print(f"temporary password (must be changed at first login): {temp}")
    return 0


@_guarded
def cmd_user_revoke(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        done = user_admin.revoke_devices(session, args.username, utcnow())
    print(
        f"revoked {done.clients} device(s) and {done.refresh_tokens} refresh token(s) "
        f"of {args.username}"
    )
    return 0


@_guarded
def cmd_territory_add(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        view = territory_admin.add_territory(session, args.code, args.name, args.city)
    print(f"created territory {view.code} {view.name} ({view.id})")
    return 0


@_guarded
def cmd_territory_list(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        for view in territory_admin.list_territories(session):
            print(f"{view.code}\t{view.name}\t{view.city}\t{view.id}")
    return 0


@_guarded
def cmd_territory_assign(args: argparse.Namespace) -> int:
    with _admin_session(args) as (session, _settings):
        sessions = sessionmaker(session.get_bind(), expire_on_commit=False)
        done = territory_admin.assign_account(sessions, args.account_code, args.territory_code)
    if done.seq is None:
        print(f"account {done.account_code} is already in {done.to_territory}")
    else:
        print(
            f"moved account {done.account_code} from {done.from_territory} to {done.to_territory}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kamdesk")
    add_server_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m kamdesk.server ARGS`` = ``kamdesk server ARGS``."""
    args = build_parser().parse_args(["server", *(sys.argv[1:] if argv is None else argv)])
    handler: Handler = args.func
    return handler(args)


__all__ = ["add_server_parser", "main", "settings_from_args"]
