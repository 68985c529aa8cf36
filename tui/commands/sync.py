"""`careforms sync`: push and pull with the district's database, with a progress bar."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from sync.couch import CouchServer
from sync.preview import preview_sync
from sync.published_forms import pull_published
from sync.replicator import DEFAULT_BATCH, Progress, Replicator, SyncReport
from sync.secrets import environment_credentials, remember_password, stored_password
from sync.server_setup import BadDistrict, district_database
from sync.settings import SyncSettings
from tui.commands.common import UserError, ask, open_store
from tui.commands.sync_preview import preview_lines
from tui.form_sources import describe_pull

EXIT_ATTENTION = 2  # finished, with rejected or conflicted documents


def register(commands: Any) -> None:
    sync = commands.add_parser("sync", help="push and pull with the office server")
    sync.add_argument("--server", help="server URL (remembered after the first sync)")
    sync.add_argument("--district", help="district (remembered after the first sync)")
    sync.add_argument("--user", help="user name (or COUCHDB_USER; remembered)")
    sync.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="documents per batch")
    sync.add_argument(
        "--preview",
        action="store_true",
        help="only show what would go out and come in (nothing is sent or written)",
    )
    sync.set_defaults(run=run_sync)


class ProgressBar:
    """One line on standard error, redrawn in place on a terminal."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()

    def __call__(self, p: Progress) -> None:
        if p.phase == "checking":
            text = f"{p.direction}: checking…"
        else:
            total = p.total if p.total is not None else p.done
            width = 30
            filled = width if not total else int(width * min(p.done, total) / total)
            text = f"{p.direction}: [{'#' * filled}{'.' * (width - filled)}] {p.done}/{total}"
        if self.live:
            self.stream.write("\r\033[K" + text)
            if p.phase == "done":
                self.stream.write("\n")
        elif p.phase == "done":
            self.stream.write(text + "\n")
        self.stream.flush()


def _credentials(
    args: argparse.Namespace, settings: SyncSettings, server: str
) -> tuple[str, str, bool]:
    env_user, env_password = environment_credentials()
    user = env_user or args.user or settings.user or ask("User name: ", hint="Set COUCHDB_USER.")
    if env_password is not None:
        return user, env_password, False
    kept = stored_password(server, user)
    if kept is not None:
        return user, kept, False
    return user, ask(f"Password for {user}: ", secret=True, hint="Set COUCHDB_PASSWORD."), True


def _summary(report: SyncReport) -> list[str]:
    lines = [
        f"pulled {report.pulled.written}, pushed {report.pushed.written}, "
        f"conflicts {len(report.conflicts)}, rejected {len(report.rejected)}"
    ]
    lines += [f"  conflict: {doc_id}" for doc_id in report.conflicts]
    lines += [f"  rejected: {r.doc_id} ({r.error}: {r.reason})" for r in report.rejected]
    return lines


def _preview(
    args: argparse.Namespace, store: Any, settings: SyncSettings, server: str, name: str
) -> int:
    """What a sync would do; counted on this laptop alone when no password can be had."""
    try:
        user, password, _asked = _credentials(args, settings, server)
    except UserError:
        user, password = "", ""
    database = CouchServer(server, user, password).database(name)
    preview = preview_sync(store, database, reachable=bool(user))
    print("\n".join(preview_lines(preview, args.lang)))
    return 0


def run_sync(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        settings = SyncSettings.load(store)
        server = args.server or settings.server
        district = args.district or settings.district
        if not server or not district:
            raise UserError(
                "No server or district yet: run careforms sync --server URL "
                "--district NAME once; both are remembered."
            )
        try:
            database_name = district_database(district)
        except BadDistrict as exc:
            raise UserError(str(exc)) from exc
        if args.preview:
            return _preview(args, store, settings, server, database_name)
        user, password, asked = _credentials(args, settings, server)
        couch = CouchServer(server, user, password)
        report = Replicator(store, couch.database(database_name), batch_size=args.batch).sync(
            ProgressBar()
        )
        forms_pulled = pull_published(store, couch, district)  # the forms databases too
        settings.server, settings.district, settings.user = couch.url, district, user
        settings.synced_at(datetime.now(UTC), store.update_seq)
        settings.save(store)
        if asked:
            remember_password(couch.url, user, password)
    print("\n".join(_summary(report) + describe_pull(forms_pulled, args.lang)))
    return EXIT_ATTENTION if report.rejected or report.conflicts else 0
