"""`careforms migrate --form ID --to N [--dry-run]`: move stored answers to a newer version."""

from __future__ import annotations

import argparse
import getpass
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.commands.common import UserError, open_store


def register(commands: Any) -> None:
    migrate = commands.add_parser(
        "migrate", help="move stored answers of a form to a newer version, re-scored"
    )
    migrate.add_argument("--form", required=True, help="form id, e.g. risk")
    migrate.add_argument("--to", type=int, required=True, help="the version to move to")
    migrate.add_argument("--dry-run", action="store_true", help="show what would change only")
    migrate.add_argument("--child", help="only this child's documents (its uuid)")
    migrate.add_argument(
        "--forms", action="append", type=Path, default=[], help="another folder of forms"
    )
    migrate.set_defaults(run=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    from tui.form_sources import app_forms
    from tui.migrations import describe, migrate_stored

    with open_store(args) as store:
        forms = app_forms(store, args.forms)
        if args.to not in forms.versions(args.form):
            known = ", ".join(f"v{v}" for v in forms.versions(args.form)) or "—"
            raise UserError(
                f"no form {args.form} v{args.to} (known: {known})"
                if args.lang == "en"
                else f"没有表单 {args.form} 第 {args.to} 版（现有：{known}）"
            )
        outcome = migrate_stored(
            store,
            forms,
            args.form,
            args.to,
            by=getpass.getuser(),
            device=socket.gethostname(),
            at=datetime.now().astimezone(),
            dry_run=args.dry_run,
            child=args.child,
        )
        print("\n".join(describe(outcome, store, forms, args.lang)))
    return 1 if outcome.skipped else 0
