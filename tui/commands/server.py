"""`careforms server init|add-user`: prepare the office CouchDB server."""

from __future__ import annotations

import argparse
import os
from typing import Any

from sync.couch import CouchServer
from sync.errors import SyncError
from sync.server_setup import USER_ROLES, BadDistrict, add_user, init_server
from tui.commands.common import UserError, ask, server_login
from tui.commands.texts import describe


def register(commands: Any) -> None:
    server = commands.add_parser("server", help="prepare the office CouchDB server (admin)")
    sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create databases, security, validation and indexes")
    init.add_argument("url", help="server URL")
    init.add_argument(
        "--district", action="append", required=True, help="a district to prepare (repeatable)"
    )
    init.set_defaults(run=run_init)
    user = sub.add_parser("add-user", help="create or update a worker or supervisor")
    user.add_argument("name", help="the user's name on the server")
    user.add_argument("--server", required=True, help="server URL")
    user.add_argument("--district", help="the user's district (an author may have none)")
    user.add_argument("--role", choices=USER_ROLES, required=True, help="what the user may do")
    user.set_defaults(run=run_add_user)


def _admin(url: str) -> CouchServer:
    return CouchServer(url, *server_login("Administrator name: "))


def run_init(args: argparse.Namespace) -> int:
    try:
        report = init_server(_admin(args.url), args.district)
    except BadDistrict as exc:
        raise UserError(str(exc)) from exc
    except SyncError as exc:  # unreachable, not an administrator
        raise UserError(describe(exc, args.lang)) from exc
    print("\n".join(report.changed) if report.changed else "nothing to change")
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    password = os.environ.get("CAREFORMS_NEW_USER_PASSWORD")
    if not password:
        hint = "Set CAREFORMS_NEW_USER_PASSWORD."
        password = ask(f"Password for the new user {args.name}: ", secret=True, hint=hint)
        if ask("Type it again: ", secret=True, hint=hint) != password:
            raise UserError("The two passwords differ; nothing was changed.")
    if args.district is None and args.role != "author":
        raise UserError("A worker or supervisor needs --district.")
    try:
        created = add_user(
            _admin(args.server), args.name, password, district=args.district, role=args.role
        )
    except BadDistrict as exc:
        raise UserError(str(exc)) from exc
    except SyncError as exc:
        raise UserError(describe(exc, args.lang)) from exc
    where = args.district or "all districts"
    print(f"{'created' if created else 'updated'} {args.name} ({args.role}, {where})")
    return 0
